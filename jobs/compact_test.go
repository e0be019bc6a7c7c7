package jobs

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/wizard"
)

// legacyDB makes a database as bwbulk wrote it before migration 0006: the
// first five migrations, and a task of n jobs whose fields and commands
// are two sealed JSON values each, with audit entries in text. It returns
// the path and the task's id.
func legacyDB(t *testing.T, sec Secrets, us []plannedUser) (string, int64) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", dsn(path, false, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"0001_init.sql", "0002_checking_reconcile.sql", "0003_profile_release.sql", "0004_undo_cleanup.sql", "0005_task_name.sql"} {
		body, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO migrations VALUES (?, 1)`, name); err != nil {
			t.Fatal(err)
		}
	}
	// The old writer: sealing as it did, through a store on the same key.
	old := &Store{secrets: sec, now: time.Now}
	res, err := db.ExecContext(ctx, `INSERT INTO tasks (description, os_user, admin, server, status, created_at, updated_at)
		VALUES ('old task', 'tester', ?, 'sim', 'pending', 1, 1)`, ocisim.DefaultAdmin)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	for i, u := range us {
		js := u.spec(i + 1)
		f, err := old.sealJSON(purposeFields, js.Fields)
		if err != nil {
			t.Fatal(err)
		}
		c, err := old.sealCommands(purposeCommands, js.Commands)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO jobs (task_id, row, user_id, fields, commands, ncommands, status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', 1)`, id, js.Row, js.UserID, f, c, len(js.Commands)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO audit (at, task_id, job_id, command, request, outcome)
		VALUES (1, ?, 0, 'X', '<command>old text</command>', 'success')`, id); err != nil {
		t.Fatal(err)
	}
	return path, id
}

// TestStore_Compact_LegacyDatabase: a database of the previous schema
// opens (migration 0006), its jobs read as before, Compact rewrites them
// in the compact form with the same content, and the runner creates the
// users of the rewritten task exactly once.
func TestStore_Compact_LegacyDatabase(t *testing.T) {
	ctx := context.Background()
	sec := newMemSecrets()
	us := hqUsers("old", 300)
	path, id := legacyDB(t, sec, us)
	st, err := Open(ctx, path, &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, err := st.JobsWithPayload(ctx, id, Filter{})
	if err != nil || len(before) != len(us) {
		t.Fatalf("legacy jobs = %d, %v", len(before), err)
	}
	sizeBefore := payloadBytes(t, st)
	n, err := st.Compact(ctx)
	if err != nil || n != len(us) {
		t.Fatalf("Compact = %d, %v; want %d", n, err, len(us))
	}
	if n, err := st.Compact(ctx); err != nil || n != 0 {
		t.Fatalf("second Compact = %d, %v; want 0", n, err)
	}
	var legacy int
	st.r.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE payload IS NULL OR length(fields) > 0 OR length(commands) > 0`).Scan(&legacy)
	if legacy != 0 {
		t.Fatalf("%d jobs still in the old form", legacy)
	}
	after, err := st.JobsWithPayload(ctx, id, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if !reflect.DeepEqual(before[i].Fields, after[i].Fields) || !reflect.DeepEqual(before[i].Commands, after[i].Commands) {
			t.Fatalf("row %d changed in the rewrite:\n%+v\n%+v", before[i].Row, before[i], after[i])
		}
	}
	sizeAfter := payloadBytes(t, st)
	t.Logf("jobs: compact: %d jobs, stored payload %d → %d bytes (%.0f → %.0f per job)",
		len(us), sizeBefore, sizeAfter, float64(sizeBefore)/float64(len(us)), float64(sizeAfter)/float64(len(us)))
	if sizeAfter*3 > sizeBefore {
		t.Errorf("the compact form takes %d bytes, the old %d: want a third or less", sizeAfter, sizeBefore)
	}
	// The old audit text reads as it was.
	audit, err := st.Audit(ctx, id)
	if err != nil || len(audit) != 1 || audit[0].Request != "<command>old text</command>" {
		t.Fatalf("audit = %+v, %v", audit, err)
	}

	srv := ocisimtest.Start(t, nil)
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	task := h.waitTask(id, 60*time.Second, StatusCompleted, StatusFailed)
	if task.Completed != len(us) {
		t.Fatalf("task = %+v", task)
	}
	if got := srv.AddCount("UserAddRequest22V2"); got != len(us) {
		t.Fatalf("server accepted %d user adds for %d users", got, len(us))
	}
	// The new audit entries are deflated and read back as the masked text.
	audit, err = st.Audit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var z int
	st.r.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE request_z IS NOT NULL`).Scan(&z)
	if z == 0 {
		t.Error("no audit entry is stored deflated")
	}
	for _, a := range audit[1:] {
		if !strings.HasPrefix(a.Request, "<command") || !strings.Contains(a.Request, a.Command) {
			t.Fatalf("audit request = %q", a.Request)
		}
		for _, u := range us {
			if strings.Contains(a.Request, u.password) {
				t.Fatalf("audit request holds a password: %q", a.Request)
			}
		}
	}
}

func payloadBytes(t *testing.T, st *Store) int64 {
	var n int64
	if err := st.r.QueryRow(`SELECT coalesce(sum(length(fields) + length(commands) + coalesce(length(payload), 0)), 0) FROM jobs`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStore_CreateTask_Compact: a new task stores each job once, in the
// compact form, and reads it back whole.
func TestStore_CreateTask_Compact(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t, nil)
	spec := taskOf(hqUsers("new", 200), nil)
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.JobsWithPayload(ctx, id, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := range got {
		want := spec.Jobs[i]
		if !reflect.DeepEqual(j.Fields, want.Fields) || !reflect.DeepEqual(j.Commands, want.Commands) {
			t.Fatalf("row %d: read back %+v, stored %+v", j.Row, j, want)
		}
	}
	var legacy, perJob int64
	st.r.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE payload IS NULL OR length(fields) > 0 OR length(commands) > 0`).Scan(&legacy)
	st.r.QueryRowContext(ctx, `SELECT avg(length(payload)) FROM jobs`).Scan(&perJob)
	if legacy != 0 {
		t.Errorf("%d jobs stored in the old form", legacy)
	}
	// Found when written: 2 KB in the old form for these jobs.
	if perJob > 400 {
		t.Errorf("a job's payload takes %d bytes", perJob)
	}
	// The dictionary holds no password.
	var dict []byte
	st.r.QueryRowContext(ctx, `SELECT data FROM dicts`).Scan(&dict)
	for _, j := range spec.Jobs {
		if strings.Contains(string(dict), j.Fields["password"]) {
			t.Fatalf("the dictionary holds row %d's password", j.Row)
		}
	}
	if len(dict) == 0 {
		t.Fatal("no dictionary stored")
	}
}

// importUsers reads users from a file as the Import screen does, every
// column known.
func importUsers(ctx context.Context, name string, r io.Reader) (*wizard.Import, error) {
	t, err := wizard.ReadFile(ctx, name, r, nil)
	if err != nil {
		return nil, err
	}
	return t.Import(ctx, nil, nil)
}

// TestPlanTaskLazy_SameJobs: a task planned lazily, as `bwbulk submit`
// stores it, holds the same jobs as one planned whole (as the window's
// Submit plans it).
func TestPlanTaskLazy_SameJobs(t *testing.T) {
	ctx := context.Background()
	imp, err := importUsers(context.Background(), "users.csv", bytes.NewReader(importCSV(40)))
	if err != nil {
		t.Fatal(err)
	}
	srv := ocisimtest.Start(t, nil)
	c, err := broadworks.Dial(ctx, srv.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	facts, err := wizard.LoadFacts(ctx, LiveCatalogue{D: c}, "acme-ent", "acme-hq")
	if err != nil {
		t.Fatal(err)
	}
	wizard.PrepareImport(imp, facts)
	m := wizard.ModelForImport("acme-ent", true, facts, imp.Rows)
	p, err := m.Preview()
	if err != nil || !p.Valid() {
		t.Fatalf("preview: %v %v", err, p.Problems())
	}
	st := openTestStore(t, nil)
	whole, _, err := PlanTask(m, p, "admin", "sim", "tester")
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := PlanTaskLazy(m, p, "admin", "sim", "tester")
	if err != nil || lazy.Jobs != nil || lazy.NumJobs != 40 {
		t.Fatalf("lazy plan: %d jobs held, %d to plan, %v", len(lazy.Jobs), lazy.NumJobs, err)
	}
	a, err := st.CreateTask(ctx, whole)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateTask(ctx, lazy)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := st.JobsWithPayload(ctx, a, Filter{})
	jb, _ := st.JobsWithPayload(ctx, b, Filter{})
	if len(ja) != 40 || len(jb) != 40 {
		t.Fatalf("%d and %d jobs stored", len(ja), len(jb))
	}
	for i := range ja {
		if ja[i].Row != jb[i].Row || ja[i].UserID != jb[i].UserID || !reflect.DeepEqual(ja[i].Fields, jb[i].Fields) ||
			!reflect.DeepEqual(ja[i].Commands, jb[i].Commands) {
			t.Fatalf("row %d differs:\n%+v\n%+v", ja[i].Row, ja[i], jb[i])
		}
	}
	ta, _ := st.Task(ctx, a)
	tb, _ := st.Task(ctx, b)
	if ta.Description != tb.Description {
		t.Errorf("descriptions %q and %q", ta.Description, tb.Description)
	}
}

// TestStore_Compact_LegacyAudit: the audit's requests of a database of the
// previous schema are deflated by Compact and read back as the same text;
// the audit stays append-only for every other change.
func TestStore_Compact_LegacyAudit(t *testing.T) {
	ctx := context.Background()
	sec := newMemSecrets()
	us := hqUsers("olda", 40)
	path, id := legacyDB(t, sec, us)
	st, err := Open(ctx, path, &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// What the old writer logged for each job: its commands, masked.
	jobs, err := st.JobsWithPayload(ctx, id, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		for _, c := range j.Commands {
			if _, err := st.w.ExecContext(ctx, `INSERT INTO audit (at, task_id, job_id, command, request, outcome)
				VALUES (2, ?, ?, ?, ?, 'success')`, id, j.ID, c.OCIName(), renderCommand(c)); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, err := st.Audit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var textBefore int
	st.r.QueryRowContext(ctx, `SELECT sum(length(request)) FROM audit`).Scan(&textBefore)
	if _, err := st.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st.Audit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the audit reads differently after Compact")
	}
	var text, deflated, left int
	st.r.QueryRowContext(ctx, `SELECT coalesce(sum(length(request)), 0), coalesce(sum(length(request_z)), 0) FROM audit`).Scan(&text, &deflated)
	st.r.QueryRowContext(ctx, `SELECT count(*) FROM audit WHERE dict_id = 0 AND length(request) >= 64`).Scan(&left)
	t.Logf("audit: %d entries, requests %d bytes of text → %d text + %d deflated", len(after), textBefore, text, deflated)
	if left != 0 || (text+deflated)*3 > textBefore {
		t.Fatalf("%d long requests left as text; %d+%d bytes of %d", left, text, deflated, textBefore)
	}
	// Nothing else may change or go: not the outcome, not the request
	// again, not a row.
	for _, q := range []string{
		`UPDATE audit SET outcome = 'error' WHERE task_id = ?`,
		`UPDATE audit SET request = 'forged', dict_id = 0, request_z = NULL WHERE task_id = ? AND dict_id <> 0`,
		`UPDATE audit SET request_z = x'00' WHERE task_id = ? AND dict_id <> 0`,
		`DELETE FROM audit WHERE task_id = ?`,
	} {
		if _, err := st.w.ExecContext(ctx, q, id); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v, want refused as append-only", q, err)
		}
	}
}
