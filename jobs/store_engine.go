package jobs

import (
	"context"
	"database/sql"
	"os"
	"os/user"
)

// engine is what differs between the databases a Store keeps its data
// in: the embedded SQLite file of one desk (the default) or the
// PostgreSQL database a team of desks shares. Every query of the Store is
// written once, in SQL both accept (with ? for parameters); an engine
// adds only its types, its way of serialising writers and, for the
// shared one, leases on tasks.
type engine interface {
	// name is "sqlite" or "postgres".
	name() string
	// ddl adapts schema text written in SQLite's types.
	ddl(q string) string
	// migration returns the text of the named migration for this engine.
	migration(name string) (string, error)
	// beginWrite is run first in every write transaction.
	beginWrite(ctx context.Context, tx *sql.Tx) error
	// shared is true when other desks use the same database: tasks are
	// then run under leases (see lease.go) instead of the file lock.
	shared() bool
}

// sqliteEngine is one desk's bwbulk.db.
type sqliteEngine struct{}

func (sqliteEngine) name() string        { return "sqlite" }
func (sqliteEngine) ddl(q string) string { return q }
func (sqliteEngine) shared() bool        { return false }

func (sqliteEngine) migration(name string) (string, error) {
	b, err := migrationFS.ReadFile("migrations/" + name)
	return string(b), err
}

// beginWrite: the writer's transactions begin IMMEDIATE (see dsn) on the
// single writer connection; nothing more is needed.
func (sqliteEngine) beginWrite(context.Context, *sql.Tx) error { return nil }

// Shared reports whether other desks use the same database.
func (s *Store) Shared() bool { return s.eng.shared() }

// Desk names this computer and its user as the shared audit and the
// Tasks screen show them: "user@host".
func Desk() string {
	h, _ := os.Hostname()
	return osUserName() + "@" + h
}

func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}
