package jobs

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"bwbulk/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// testEngine is the engine openTestStore uses: BWBULK_TEST_ENGINE
// ("sqlite", the default, or "postgres"). make test runs the package once
// with each.
func testEngine() string {
	if e := os.Getenv("BWBULK_TEST_ENGINE"); e != "" {
		return e
	}
	return "sqlite"
}

// onlySQLite marks a test of the SQLite file itself (its bytes on disk,
// its lock file): under BWBULK_TEST_ENGINE=postgres it has nothing to
// test, and runs in the SQLite pass.
func onlySQLite(t testing.TB) {
	t.Helper()
	if testEngine() != "sqlite" {
		t.Skip("a test of the SQLite file; it runs in the sqlite pass")
	}
}

var pgMu sync.Mutex

// newPGDatabase returns the URL of a new, empty database on the test
// server (started for this test binary when none is given).
func newPGDatabase(t testing.TB) string {
	t.Helper()
	base, err := pgtest.Shared()
	if err != nil {
		t.Fatal(err)
	}
	url, err := pgtest.NewDatabase(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// openPGStoreAt opens the database made for dir, whose URL is kept in
// dir/pg-url (so a child process opens the same one).
func openPGStoreAt(t testing.TB, dir string, sec Secrets) *Store {
	t.Helper()
	pgMu.Lock()
	b, err := os.ReadFile(filepath.Join(dir, "pg-url"))
	if err != nil {
		b = []byte(newPGDatabase(t))
		if err := os.WriteFile(filepath.Join(dir, "pg-url"), b, 0o600); err != nil {
			pgMu.Unlock()
			t.Fatal(err)
		}
	}
	pgMu.Unlock()
	s, err := OpenTeam(context.Background(), TeamConfig{URL: string(b)}, &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// A test that put a data key in the keyring meant it for this store.
	if k, err := sec.Get(KeyringService, KeyringDataKey); err == nil {
		if _, err := sec.Get(KeyringService, s.keyName(KeyringDataKey)); err != nil {
			sec.Set(KeyringService, s.keyName(KeyringDataKey), k)
		}
	}
	return s
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`a = ? AND b IN (?, ?)`, `a = $1 AND b IN ($2, $3)`},
		{`x = '?' AND y = ? AND "q?" = ?`, `x = '?' AND y = $1 AND "q?" = $2`},
		{`'it''s ?' || ?`, `'it''s ?' || $1`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// columns lists table.column names of a store's schema, by engine.
func schemaColumns(t *testing.T, s *Store) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	var rows *sql.Rows
	var err error
	if s.eng.name() == "postgres" {
		rows, err = s.r.QueryContext(ctx, `SELECT table_name, column_name,
			CASE WHEN data_type IN ('bigint','integer') THEN 'int' WHEN data_type = 'bytea' THEN 'blob' ELSE 'text' END,
			is_nullable = 'NO'
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, column_name`)
	} else {
		rows, err = s.r.QueryContext(ctx, `SELECT m.name, p.name,
			CASE WHEN p.type = 'INTEGER' THEN 'int' WHEN p.type = 'BLOB' THEN 'blob' ELSE 'text' END,
			p."notnull" OR p.pk
			FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' ORDER BY m.name, p.name`)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, col, typ string
		var notNull bool
		if err := rows.Scan(&tbl, &col, &typ, &notNull); err != nil {
			t.Fatal(err)
		}
		nn := ""
		if notNull {
			nn = " not null"
		}
		out = append(out, tbl+"."+col+" "+typ+nn)
	}
	return out
}

// TestSchemaSameOnBothEngines applies the migration list to a SQLite file
// and to a PostgreSQL database and compares what came out: the same
// tables and columns, of the same kinds, and the same migrations applied.
func TestSchemaSameOnBothEngines(t *testing.T) {
	ctx := context.Background()
	lite, err := Open(ctx, filepath.Join(t.TempDir(), "bwbulk.db"), &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := OpenTeam(ctx, TeamConfig{URL: newPGDatabase(t)}, &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	a, b := schemaColumns(t, lite), schemaColumns(t, pg)
	if len(a) < 40 {
		t.Fatalf("only %d columns read from SQLite: %v", len(a), a)
	}
	if !slices.Equal(a, b) {
		for _, c := range a {
			if !slices.Contains(b, c) {
				t.Errorf("SQLite only: %s", c)
			}
		}
		for _, c := range b {
			if !slices.Contains(a, c) {
				t.Errorf("PostgreSQL only: %s", c)
			}
		}
	}
	ma, _ := lite.Migrations(ctx)
	mb, _ := pg.Migrations(ctx)
	if !slices.Equal(ma, mb) || len(ma) == 0 {
		t.Errorf("migrations: SQLite %v, PostgreSQL %v", ma, mb)
	}
	if lite.eng.name() != "sqlite" || lite.Shared() || pg.eng.name() != "postgres" || !pg.Shared() {
		t.Errorf("engines: %s %v, %s %v", lite.eng.name(), lite.Shared(), pg.eng.name(), pg.Shared())
	}
}

// TestTeamSchemaNewerRefused: a team database a newer bwbulk migrated is
// refused with a message saying so, and opening again applies nothing.
func TestTeamSchemaNewerRefused(t *testing.T) {
	ctx := context.Background()
	url := newPGDatabase(t)
	s, err := OpenTeam(ctx, TeamConfig{URL: url}, &Options{Keyring: newMemSecrets()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = OpenTeam(ctx, TeamConfig{URL: url}, &Options{Keyring: newMemSecrets()})
	if !errors.Is(err, ErrSchemaNewer) || !strings.Contains(err.Error(), "9999_future.sql") {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

// TestTeamKey_WrappedPerMember: two desks with their own keyrings share a
// team database. The first desk's task is sealed with the team key; the
// second cannot read its passwords until the first admits it, then can;
// the database holds the team key only wrapped, never in clear.
func TestTeamKey_WrappedPerMember(t *testing.T) {
	ctx := context.Background()
	url := newPGDatabase(t)
	secA, secB := newMemSecrets(), newMemSecrets()
	a, err := OpenTeam(ctx, TeamConfig{URL: url, Desk: "ann@desk1"}, &Options{Keyring: secA})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	us := hqUsers("tk", 3)
	id, err := a.CreateTask(ctx, taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenTeam(ctx, TeamConfig{URL: url, Desk: "bob@desk2"}, &Options{Keyring: secB})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.JobsWithPayload(ctx, id, Filter{}); !errors.Is(err, ErrTeamKeyPending) {
		t.Fatalf("a desk not admitted read the passwords: %v", err)
	}
	ms, err := a.Members(ctx)
	if err != nil || len(ms) != 2 || !ms[0].Admitted || ms[1].Admitted || ms[1].Desk != "bob@desk2" {
		t.Fatalf("members before admission: %+v, %v", ms, err)
	}
	if err := a.AdmitMember(ctx, "bob@desk2"); err != nil {
		t.Fatal(err)
	}
	js, err := b.JobsWithPayload(ctx, id, Filter{})
	if err != nil || len(js) != 3 {
		t.Fatalf("after admission: %v", err)
	}
	for i, j := range js {
		if j.Fields["password"] != us[i].password {
			t.Errorf("row %d: password %q, want %q", j.Row, j.Fields["password"], us[i].password)
		}
	}
	// Bob's own task opens on Ann's desk: one key for the team.
	id2, err := b.CreateTask(ctx, taskOf(hqUsers("tb", 1), nil))
	if err != nil {
		t.Fatal(err)
	}
	if js, err := a.JobsWithPayload(ctx, id2, Filter{}); err != nil || js[0].Fields["password"] == "" {
		t.Fatalf("bob's task on ann's desk: %v", err)
	}
	key, _ := a.teamKeyBytes()
	rows, err := a.r.QueryContext(ctx, `SELECT public_key, wrapped_key FROM members`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, w []byte
		rows.Scan(&p, &w)
		if len(key) != 32 || strings.Contains(string(p)+string(w), string(key)) {
			t.Errorf("the team key is in the members table in clear")
		}
	}
}

// FuzzRebind: every ? outside quotes becomes $1, $2… in order, and
// nothing else changes.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT 1`, `a = ? AND b IN (?, ?)`, `x = '?' AND "q?" = ?`, `'it''s ?' || ?`, `'unterminated ?`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if regexp.MustCompile(`\?[0-9]`).MatchString(q) || strings.Contains(q, "$") {
			t.Skip("SQLite's numbered ?NNN or PostgreSQL's $N, which the store never writes")
		}
		got := rebind(q)
		// Undo: $n back to ? gives q again, and n counts up from 1.
		var b strings.Builder
		n := 0
		var quote byte
		for i := 0; i < len(got); i++ {
			ch := got[i]
			switch {
			case quote != 0:
				if ch == quote {
					quote = 0
				}
			case ch == '\'' || ch == '"':
				quote = ch
			case ch == '$':
				j := i + 1
				for j < len(got) && got[j] >= '0' && got[j] <= '9' {
					j++
				}
				if j > i+1 {
					n++
					if got[i+1:j] != strconv.Itoa(n) {
						t.Fatalf("rebind(%q) = %q: parameter %s, want %d", q, got, got[i+1:j], n)
					}
					b.WriteByte('?')
					i = j - 1
					continue
				}
			}
			b.WriteByte(ch)
		}
		if b.String() != q {
			t.Fatalf("rebind(%q) = %q", q, got)
		}
	})
}
