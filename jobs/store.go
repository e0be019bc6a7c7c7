package jobs

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // database/sql driver "sqlite3"

	"bwbulk/broadworks"
)

// The migrations, one hand-kept list for both engines: migrations/*.sql in
// lexical order, each applied once. PostgreSQL runs the same text with its
// types (see pgMigration) unless migrations/postgres/ holds a file of the
// same name, written for it.
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// ErrNotFound is returned when a task, job, profile, draft or cache entry
// does not exist.
var ErrNotFound = errors.New("jobs: not found")

// Options configures Open. A nil *Options is the zero value.
type Options struct {
	// Keyring stores the data key and administrator passwords. Default:
	// the OS keyring through github.com/zalando/go-keyring.
	Keyring Secrets
	// Now is the clock. Default: time.Now.
	Now func() time.Time
	// BusyTimeout is how long a connection waits for a lock. Default 5s.
	BusyTimeout time.Duration
	// ReadConns bounds the read-only pool. Default 4.
	ReadConns int
}

// Store is the bwbulk database. It is safe for concurrent use: writes go
// through one connection (transactions begin IMMEDIATE), reads through a
// separate read-only pool.
type Store struct {
	w, r    *sql.DB
	eng     engine
	path    string
	team    string // the team database's host:port/name; "" for a local store
	desk    string // Desk(): who and where, in the audit and actions
	owner   string // the name this store's runner holds task leases under
	now     func() time.Time
	secrets Secrets

	// Team mode's desk database (teamqueue.go). On a team store, local is
	// this desk's own SQLite: its cached look-ups, a copy of the team's
	// server profiles, and the tasks submitted while the team database
	// was out of reach. On that desk database (local's own Store, or the
	// store OpenData returns when the team database cannot be reached),
	// queueTo is the team database it feeds; its tasks are never run.
	local      *Store
	queueTo    string
	adminNS    string // on a desk database: the team's name, for its profiles' passwords
	teamCfg    TeamConfig
	offlineWhy string
	lastTasks  []Task // the team's tasks at the last ListTasks that reached it
	tasksMu    sync.Mutex
	moverStop  func()
	lifetime   storeLife // life(): the context of the store's own work

	keyMu sync.Mutex
	box   *box // nil until the data key is loaded

	wake chan struct{} // signalled when work may have become runnable

	stmtAudit *sql.Stmt

	// stmts caches the runner's hot statements, prepared once per shape
	// (one per number of rows in a document).
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// dicts caches the deflate dictionaries by id, taskDicts the
	// dictionary of each task that has one (neither ever changes).
	dictMu    sync.Mutex
	dicts     map[int64]*zdict
	taskDicts map[int64]int64

	// learned holds, per profile id, what its server taught by refusing
	// command versions, shared by every client of that profile.
	learnedMu sync.Mutex
	learned   map[int64]*broadworks.Learned
}

// stmt returns q prepared on the writer, preparing it on first use.
func (s *Store) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[q]; ok {
		return st, nil
	}
	st, err := s.w.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[q] = st
	return st, nil
}

// dsn builds a mattn/go-sqlite3 URI: every pragma is set per connection
// through the DSN, never with Exec on a pool.
func dsn(path string, readOnly bool, busy time.Duration) string {
	// Escape the URI-significant characters of a file name.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	q := []string{
		fmt.Sprintf("_busy_timeout=%d", busy.Milliseconds()),
		"_fk=1",
		"_synchronous=NORMAL",
	}
	if readOnly {
		q = append(q, "mode=ro")
	} else {
		q = append(q, "_journal_mode=WAL", "_txlock=immediate", "mode=rwc")
	}
	return "file:" + p + "?" + strings.Join(q, "&")
}

// withDefaults is a copy of opts (nil: none) with the OS keyring and
// the wall clock where it names none.
func (opts *Options) withDefaults() Options {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Keyring == nil {
		o.Keyring = OSKeyring{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Open opens (creating if needed) the database at path and applies pending
// migrations. The data key is read from the keyring only when a sealed
// value is first needed, so a store with an unavailable keyring still opens
// and lists history; sealing and unsealing then fail with
// ErrKeyringUnavailable.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	o := opts.withDefaults()
	keepMallocHeap()
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	if o.ReadConns <= 0 {
		o.ReadConns = 4
	}
	w, err := sql.Open("sqlite3", dsn(path, false, o.BusyTimeout))
	if err != nil {
		return nil, fmt.Errorf("jobs: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, eng: sqliteEngine{}, path: path, now: o.Now, secrets: o.Keyring, wake: make(chan struct{}, 1),
		desk: Desk(), owner: newOwner(Desk())}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, true, o.BusyTimeout))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("jobs: open %s read-only: %w", path, err)
	}
	r.SetMaxOpenConns(o.ReadConns)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("jobs: open %s read-only: %w", path, err)
	}
	s.r = r
	if err := s.prepare(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) prepare(ctx context.Context) error {
	var err error
	if s.stmtAudit, err = s.w.PrepareContext(ctx, `INSERT INTO audit
		(at, task_id, job_id, command, request, dict_id, request_z, outcome, error_code, error_text, desk)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return fmt.Errorf("jobs: prepare: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	s.endLife()
	if s.moverStop != nil {
		s.moverStop()
	}
	if s.local != nil {
		errs = append(errs, s.local.Close())
	}
	if s.stmtAudit != nil {
		errs = append(errs, s.stmtAudit.Close())
	}
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		errs = append(errs, st.Close())
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// Path returns the database file name ("" for a team store).
func (s *Store) Path() string { return s.path }

// InTx runs fn in one write transaction, committing when fn returns nil
// and rolling back when it returns an error or panics. Write transactions
// run one at a time, as SQLite's BEGIN IMMEDIATE has them: on PostgreSQL
// they take the store's transaction lock first, across every desk.
func (s *Store) InTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("jobs: begin: %w", err)
	}
	if err := s.eng.beginWrite(ctx, tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("jobs: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("jobs: commit: %w", err)
	}
	return nil
}

// notFound maps sql.ErrNoRows to ErrNotFound, naming what was looked up.
func notFound(err error, what string, id any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("jobs: %s %v: %w", what, id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("jobs: %s %v: %w", what, id, err)
	}
	return nil
}

// signal wakes a runner waiting for work; it never blocks.
func (s *Store) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Store) ms() int64 { return s.now().UnixMilli() }

func fromMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// migrate applies the embedded migrations in lexical order, each in its
// own transaction, recording them in the migrations table.
func (s *Store) migrate(ctx context.Context) error {
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.eng.ddl(`CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`))
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: migrations table: %w", err)
	}
	names, err := migrationNames()
	if err != nil {
		return err
	}
	if err := s.checkNotNewer(ctx, names); err != nil {
		return err
	}
	for _, base := range names {
		body, err := s.eng.migration(base)
		if err != nil {
			return err
		}
		err = s.InTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, base).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, body); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, base, s.ms())
			return err
		})
		if err != nil {
			return fmt.Errorf("jobs: migration %s: %w", base, err)
		}
	}
	return nil
}

// migrationNames lists the migrations this build knows, in order.
func migrationNames() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, "migrations/")
	}
	return names, nil
}

// ErrSchemaNewer is returned by Open when the database holds migrations
// this build does not know: a newer bwbulk changed it.
var ErrSchemaNewer = errors.New("jobs: the database was changed by a newer bwbulk: update this bwbulk first")

// checkNotNewer refuses a shared database a newer bwbulk migrated: this
// build would not know what its columns mean. (A local database is
// opened as it always was.)
func (s *Store) checkNotNewer(ctx context.Context, known []string) error {
	if !s.eng.shared() {
		return nil
	}
	have, err := s.appliedMigrations(ctx, s.w)
	if err != nil {
		return err
	}
	k := map[string]bool{}
	for _, n := range known {
		k[n] = true
	}
	var unknown []string
	for _, n := range have {
		if !k[n] {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%w (it has %s)", ErrSchemaNewer, strings.Join(unknown, ", "))
	}
	return nil
}

// Migrations returns the names of the applied migrations in order.
func (s *Store) Migrations(ctx context.Context) ([]string, error) {
	return s.appliedMigrations(ctx, s.r)
}

func (s *Store) appliedMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("jobs: migrations: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
