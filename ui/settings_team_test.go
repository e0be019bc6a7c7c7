package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/jackc/pgx/v5"

	"bwbulk/desk"
	"bwbulk/internal/pgtest"
	"bwbulk/jobs"
)

// Settings → Team against a real PostgreSQL: Test says what is wrong
// (nothing listening, TLS the server does not offer, a role without
// rights, a schema from a newer bwbulk) and when all is well; Connect
// keeps the password in the window's keyring and writes the URL only;
// Copy this desk's history, pressed twice, copies the finished task once;
// Disconnect turns team mode off.
func TestSettings_Team(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{runner: true})
	dir := filepath.Dir(h.store.Path())
	h.u.opts.DataDir = dir
	keyring := &desk.FallbackKeyring{OS: &memKeyring{}}
	h.u.opts.Keyring = keyring
	id, err := h.store.CreateTask(ctx, jobs.TaskSpec{Description: "1 user", Admin: "admin", Server: "sim",
		Jobs: []jobs.JobSpec{{Row: 1, UserID: "team.copy@acme.example.com", Fields: map[string]string{"password": "Secret#123456"},
			Commands: planOne(t, "team.copy@acme.example.com")}}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { tk, _ := h.store.Task(ctx, id); return tk.Status == jobs.StatusCompleted })

	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	dbURL, err := pgtest.NewDatabase(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	ts := h.u.newTeamSettings()
	if !strings.HasPrefix(ts.state.Text, "Off:") || !ts.disconnect.Disabled() {
		t.Fatalf("state with team mode off: %q", ts.state.Text)
	}
	try := func(rawURL, mode, want string) {
		t.Helper()
		ts.url.SetText(strings.TrimSuffix(rawURL, "?sslmode=disable"))
		ts.tls.SetSelected(mode)
		test.Tap(ts.test)
		if !strings.HasPrefix(ts.result.Text, want) {
			t.Fatalf("Test of %s (%s): %q, want %q…", rawURL, mode, ts.result.Text, want)
		}
	}
	port, _ := pgtest.FreePort()
	try(fmt.Sprintf("postgres://postgres@127.0.0.1:%d/bwbulk", port), "disable", "Problem: unreachable")
	try(dbURL, "verify-full", "Problem: TLS: the database does not accept TLS connections")
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE ROLE desk9 LOGIN`); err != nil {
		t.Fatal(err)
	}
	try(strings.Replace(dbURL, "postgres@", "desk9@", 1), "disable", "Problem: missing rights: the database is empty and role desk9 may not create tables")
	try(dbURL, "disable", "OK: reachable, TLS disable, login accepted; a new team database: Connect creates its tables.")

	ts.password.SetText("s3cret-role")
	test.Tap(ts.connect)
	if !strings.HasPrefix(ts.result.Text, "Connected: bwbulk works on the team database from its next start.") ||
		!strings.Contains(ts.result.Text, "This desk has 1 tasks of its own") {
		t.Fatalf("Connect: %q", ts.result.Text)
	}
	if ts.password.Text != "" || !strings.HasPrefix(ts.state.Text, "On from the next start") || ts.disconnect.Disabled() {
		t.Fatalf("after Connect: password field %q, state %q", ts.password.Text, ts.state.Text)
	}
	u, err := jobs.TeamURL(dir)
	if err != nil || !strings.Contains(u, "sslmode=disable") {
		t.Fatalf("team.json: %q, %v", u, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, jobs.TeamFile))
	if strings.Contains(string(b), "s3cret") {
		t.Fatalf("the password is in %s: %s", jobs.TeamFile, b)
	}
	if pw, err := keyring.Get(jobs.KeyringService, jobs.TeamPasswordKey(u)); err != nil || pw != "s3cret-role" {
		t.Fatalf("keyring: %q, %v", pw, err)
	}
	test.Tap(ts.test)
	if !strings.HasPrefix(ts.result.Text, "OK: ") || !strings.Contains(ts.result.Text, "schema up to date") {
		t.Fatalf("Test once connected: %q", ts.result.Text)
	}

	test.Tap(ts.copyHist)
	if ts.result.Text != "Copied 1 tasks into the team database (0 were copied before)." {
		t.Fatalf("Copy: %q", ts.result.Text)
	}
	test.Tap(ts.copyHist)
	if ts.result.Text != "Copied 0 tasks into the team database (1 were copied before)." {
		t.Fatalf("Copy again: %q", ts.result.Text)
	}
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM tasks`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("team tasks after two copies: %d, %v", n, err)
	}

	if _, err := c.Exec(ctx, `INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	test.Tap(ts.test)
	if !strings.HasPrefix(ts.result.Text, "Problem: schema too new: a newer bwbulk changed the team database (it has 9999_future.sql)") {
		t.Fatalf("Test, schema too new: %q", ts.result.Text)
	}

	test.Tap(ts.disconnect)
	if u, _ := jobs.TeamURL(dir); u != "" || !strings.HasPrefix(ts.state.Text, "Off:") {
		t.Fatalf("after Disconnect: %q, state %q", u, ts.state.Text)
	}
}
