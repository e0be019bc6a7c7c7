package cli_test

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bwbulk/broadworks/ocisim"
	"bwbulk/desk"
	"bwbulk/internal/golden"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Every command answers --help on stdout with exit 0, and neither they
// nor the simulator print a Fyne message (LANG=C.UTF-8 made Fyne's
// package init log "Error parsing user locale C").
func TestCLI_HelpAndNoFyneMessages(t *testing.T) {
	e := &env{t: t, dir: t.TempDir()}
	for _, args := range [][]string{
		{"validate"}, {"plan"}, {"submit"}, {"resume"}, {"tasks"}, {"task"}, {"retry"}, {"undo"},
		{"profile"}, {"profile", "add"}, {"profile", "list"}, {"profile", "remove"}, {"help"}, {"sim"},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			r := e.run("", append(args, "--help")...)
			if r.code != 0 {
				t.Fatalf("%v", r)
			}
			usage := r.stdout
			if args[0] == "sim" {
				usage = r.stderr // the simulator's flag package prints there
			}
			if !strings.HasPrefix(usage, "Usage: bwbulk") {
				t.Errorf("help does not start with Usage:\n%v", r)
			}
			if strings.Contains(r.stdout+r.stderr, "Fyne") {
				t.Errorf("Fyne message:\n%v", r)
			}
		})
	}
}

// The window's --help lists the commands too, without Fyne's init lines.
func TestCLI_WindowHelp(t *testing.T) {
	e := &env{t: t, dir: t.TempDir()}
	r := e.run("", "--help")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "Usage: bwbulk") || !strings.Contains(r.stderr, "validate") || strings.Contains(r.stderr, "Fyne") {
		t.Errorf("bwbulk --help: %v", r)
	}
}

// Usage errors: exit 2, the reason on stderr, nothing on stdout.
func TestCLI_UsageErrors(t *testing.T) {
	e := newEnv(t, nil)
	f := e.file("ok.csv", users("u", 2))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"no file", []string{"validate", "--group", "acme-ent/acme-hq"}, "missing argument"},
		{"no group", []string{"validate", f}, "--group SP/GROUP is required"},
		{"missing file", []string{"validate", f + ".nope", "--group", "acme-ent/acme-hq"}, "no such file"},
		{"unknown group", []string{"validate", f, "--group", "acme-ent/nope"}, "nope"},
		{"unknown profile", []string{"validate", f, "--group", "acme-ent/acme-hq", "--profile", "lab"}, `no profile named "lab"`},
		{"bad flag", []string{"tasks", "--color"}, "flag provided but not defined"},
		{"bad task number", []string{"task", "x1"}, `"x1" is not a task number`},
		{"no such task", []string{"task", "99"}, "not found"},
		{"bad export", []string{"task", "1", "--export", "out.txt"}, "name a .xlsx or .csv file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run("", tc.args...)
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("want exit 2 and %q on stderr only, got %v", tc.want, r)
			}
		})
	}
}

// validate prints FILE:ROW:COLUMN: message for every problem, as the
// preview finds them against the server, and exits 1; --json is stable.
func TestCLI_Validate_golden(t *testing.T) {
	e := newEnv(t, nil)
	recs := users("v", 4)
	recs = append(recs,
		[]string{"v.001@acme.example.com", "Again", "Dup"}, // duplicate of row 1
		[]string{"bad id@acme.example.com", "", "X"},       // bad id, no first name
	)
	recs[0] = append(recs[0], "phoneNumber")
	for i := 1; i < len(recs); i++ {
		recs[i] = append(recs[i], "")
	}
	recs[2][3] = "+1-999-555-0000" // not a number of the group
	f := e.file("problems.csv", recs)

	r := e.run("", "validate", f, "--group", "acme-ent/acme-hq")
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	golden.Check(t, "testdata/validate.golden", []byte(e.scrub(r.stdout)))
	if !strings.Contains(r.stderr, "6 users, 6 problems") {
		t.Errorf("summary: %v", r)
	}
	r = e.run("", "validate", f, "--group", "acme-ent/acme-hq", "--json")
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	golden.Check(t, "testdata/validate.json.golden", []byte(e.scrub(r.stdout)))

	// A clean file: exit 0, nothing on stdout.
	ok := e.file("ok.csv", users("v", 4))
	if r := e.run("", "validate", ok, "--group", "acme-ent/acme-hq"); r.code != 0 || r.stdout != "" {
		t.Errorf("clean file: %v", r)
	}

	// Offline: the catalogue cached by the runs above answers, and says so.
	e.srv.Close()
	for _, args := range [][]string{{"validate", ok, "--group", "acme-ent/acme-hq"}, {"validate", ok, "--group", "acme-ent/acme-hq", "--offline"}} {
		r := e.run("", args...)
		if r.code != 0 || !strings.Contains(r.stderr, "catalogue cached at") {
			t.Errorf("offline %v: %v", args[3:], r)
		}
	}
	// A group never loaded while online cannot be checked: exit 2.
	if r := e.run("", "validate", ok, "--group", "acme-ent/acme-branch"); r.code != 2 || !strings.Contains(r.stderr, "no offline copy") {
		t.Errorf("uncached group offline: %v", r)
	}
}

// validate checks the rows against what the server holds, as the
// window's check does: a user id that exists there is a problem of its
// row, before anything is sent.
func TestCLI_Validate_serverCollisions(t *testing.T) {
	e := newEnv(t, nil)
	recs := users("c", 2)
	recs[2][0] = "branch.user07@acme.example.com" // a demo user
	f := e.file("collide.csv", recs)
	r := e.run("", "validate", f, "--group", "acme-ent/acme-hq")
	if r.code != 1 || !strings.Contains(r.stdout, "collide.csv:3:A (userId): user branch.user07@acme.example.com already exists on the server") {
		t.Fatalf("%v", r)
	}
	if strings.Contains(r.stdout, "collide.csv:2:") {
		t.Errorf("a free user id reported: %v", r)
	}
}

// plan shows Submit's confirmation; a file with problems is refused.
func TestCLI_Plan_golden(t *testing.T) {
	e := newEnv(t, nil)
	f := e.file("plan.csv", users("p", 3))
	r := e.run("", "plan", f, "--group", "acme-ent/acme-hq")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	golden.Check(t, "testdata/plan.golden", []byte(e.scrub(r.stdout)))
	r = e.run("", "plan", f, "--group", "acme-ent/acme-hq", "--json")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	golden.Check(t, "testdata/plan.json.golden", []byte(e.scrub(r.stdout)))
	if n := e.srv.AddCount("UserAddRequest22V2"); n != 0 {
		t.Errorf("plan sent %d user adds", n)
	}

	bad := e.file("bad.csv", append(users("p", 1), []string{"p.001@acme.example.com", "X", "Y"}))
	r = e.run("", "plan", bad, "--group", "acme-ent/acme-hq")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "bad.csv:3:A (userId): duplicate: already in row 2") {
		t.Errorf("plan of a bad file: %v", r)
	}
}

// submit refuses a file with problems (no task, nothing sent); --wait
// creates every user once; the task is in the window's store, and task
// --export writes the created users.
func TestCLI_SubmitWait_exportAndWindowStore(t *testing.T) {
	e := newEnv(t, nil)
	bad := e.file("bad.csv", append(users("s", 2), []string{"s.002@acme.example.com", "X", "Y"}))
	r := e.run("", "submit", bad, "--group", "acme-ent/acme-hq", "--wait")
	if r.code != 1 || !strings.Contains(r.stderr, "nothing was sent and no task was stored") {
		t.Fatalf("submit of a bad file: %v", r)
	}
	if r := e.run("", "tasks", "--json"); r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("a task was stored: %v", r)
	}

	const n = 40
	f := e.file("users.csv", users("s", n))
	r = e.run("", "submit", f, "--group", "acme-ent/acme-hq", "--wait", "--name", "Spring hires", "--ticket", "CHG-1042")
	if r.code != 0 || !strings.Contains(r.stdout, "task 1 stored: 40 users in acme-ent/acme-hq") ||
		!strings.Contains(r.stderr, "Task 1 completed: 40 of 40 users created, 0 failed") {
		t.Fatalf("submit --wait: %v", r)
	}
	e.exactlyOnce("s", n)

	r = e.run("", "tasks", "--json")
	var ts []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &ts); err != nil || len(ts) != 1 {
		t.Fatalf("tasks --json: %v %v", err, r)
	}
	if ts[0]["status"] != "completed" || ts[0]["completed"] != float64(n) || ts[0]["failed"] != float64(0) ||
		ts[0]["name"] != "Spring hires" || ts[0]["ticket"] != "CHG-1042" {
		t.Errorf("tasks --json: %v", ts[0])
	}

	// The window's store, opened as main.go opens it, has the task and can
	// unseal its jobs (same data folder, same keyring).
	st, err := jobs.Open(context.Background(), filepath.Join(e.dir, "bwbulk.db"), &jobs.Options{Keyring: &desk.FallbackKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	wt, err := st.ListTasks(context.Background())
	if err != nil || len(wt) != 1 || wt[0].Completed != n {
		t.Fatalf("window store: %v %+v", err, wt)
	}
	js, err := st.JobsWithPayload(context.Background(), wt[0].ID, jobs.Filter{})
	if err != nil || len(js) != n || js[0].Fields["password"] == "" || js[0].Fields["target.groupId"] != "acme-hq" {
		t.Fatalf("window store jobs: %v (%d jobs)", err, len(js))
	}
	st.Close()

	csvOut := filepath.Join(e.dir, "t1.csv")
	if r := e.run("", "task", "1", "--export", csvOut); r.code != 0 || !strings.Contains(r.stderr, wizard.CSVWarning) {
		t.Fatalf("export csv (it must warn against opening it by double-click): %v", r)
	}
	b, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != n+1 {
		t.Fatalf("export csv: %v, %d records", err, len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, rec := range recs[1:] {
		u, ok := e.srv.User(rec[col["User ID"]])
		if rec[col["Status"]] != "completed" || !ok || rec[col["Password"]] == "" ||
			rec[col["Task name"]] != "Spring hires" || rec[col["Ticket"]] != "CHG-1042" {
			t.Errorf("exported row %v (on server: %v)", rec, ok)
		}
		// The password exported is the one the server has, byte for byte.
		if sum := sha1.Sum([]byte(rec[col["Password"]])); hex.EncodeToString(sum[:]) != u.PasswordSHA1 {
			t.Errorf("row %s: the exported password is not the user's password on the server", rec[col["Row"]])
		}
	}
	if fi, _ := os.Stat(csvOut); fi.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v, want 0600 (it holds passwords)", fi.Mode().Perm())
	}

	xlsxOut := filepath.Join(e.dir, "t1.xlsx")
	if r := e.run("", "task", "1", "--export", xlsxOut); r.code != 0 {
		t.Fatalf("export xlsx: %v", r)
	}
	x, err := excelize.OpenFile(xlsxOut)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	x.Close()
	if err != nil || len(rows) != n+1 || rows[1][1] != "completed" {
		t.Fatalf("export xlsx: %v, %d rows", err, len(rows))
	}
	// --failed: no failed job, only the header.
	if r := e.run("", "task", "1", "--failed", "--export", csvOut); r.code != 0 || !strings.Contains(r.stdout, "0 jobs written") {
		t.Errorf("export --failed: %v", r)
	}
}

// A job the server refuses fails alone; task --failed lists it, retry
// --wait sends it again and it is created.
func TestCLI_FailedTaskRetry(t *testing.T) {
	e := newEnv(t, &ocisim.Options{Intercept: func(cmd string, n int) *ocisim.Fault {
		if cmd == "UserAddRequest22V2" && n == 2 {
			return &ocisim.Fault{Code: 4500, Message: "refused for the test"}
		}
		return nil
	}})
	f := e.file("users.csv", users("r", 5))
	r := e.run("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	if r.code != 1 || !strings.Contains(r.stderr, "4 of 5 users created, 1 failed") || !strings.Contains(r.stderr, "bwbulk retry 1") {
		t.Fatalf("submit with a refusal: %v", r)
	}
	r = e.run("", "task", "1", "--failed", "--json")
	var v struct {
		Status string
		Jobs   []struct {
			Row       int
			Status    string
			ErrorCode int
			Error     string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || len(v.Jobs) != 1 || v.Jobs[0].ErrorCode != 4500 {
		t.Fatalf("task --failed --json: %v %v", err, r)
	}
	if r := e.run("", "resume", "1"); r.code != 1 || !strings.Contains(r.stderr, "nothing to resume") {
		t.Errorf("resume of a finished task: %v", r)
	}
	r = e.run("", "retry", "1", "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "1 failed jobs queued again") || !strings.Contains(r.stderr, "5 of 5 users created, 0 failed") {
		t.Fatalf("retry --wait: %v", r)
	}
	e.exactlyOnce("r", 5)
}

// kill -9 during submit --wait, then resume: every user exactly once.
func TestCLI_KillDuringSubmitThenResume(t *testing.T) {
	const n = 300
	e := newEnv(t, &ocisim.Options{Latency: 15 * time.Millisecond})
	f := e.file("users.csv", users("k", n))
	cmd := e.cmd("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(e.srv.UsersInGroup("acme-ent", "acme-hq")) < 100 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	created := e.srv.AddCount("UserAddRequest22V2")
	if created == 0 || created >= n {
		t.Fatalf("killed after %d of %d users: the test needs a kill part-way", created, n)
	}
	r := e.run("", "resume", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "300 of 300 users created, 0 failed") {
		t.Fatalf("resume: %v", r)
	}
	e.exactlyOnce("k", n)
	// Once done, resume again changes nothing.
	if r := e.run("", "resume", "1"); r.code != 0 || !strings.Contains(r.stderr, "nothing to resume") {
		t.Errorf("second resume: %v", r)
	}
	e.exactlyOnce("k", n)
}

// Ctrl-C pauses after the documents in flight (exit 130); resume goes on.
func TestCLI_InterruptPausesThenResume(t *testing.T) {
	const n = 300
	e := newEnv(t, &ocisim.Options{Latency: 15 * time.Millisecond})
	f := e.file("users.csv", users("c", n))
	cmd := e.cmd("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(e.srv.UsersInGroup("acme-ent", "acme-hq")) < 60 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if cmd.ProcessState.ExitCode() != 130 || !strings.Contains(stderr.String(), "paused") || !strings.Contains(stderr.String(), "bwbulk resume 1") {
		t.Fatalf("after Ctrl-C: %v, exit %d\n%s", err, cmd.ProcessState.ExitCode(), stderr.String())
	}
	r := e.run("", "tasks", "--json")
	if !strings.Contains(r.stdout, `"status": "paused"`) {
		t.Fatalf("task not paused: %v", r)
	}
	if got := e.srv.AddCount("UserAddRequest22V2"); got >= n {
		t.Fatalf("all %d users were created before the pause", got)
	}
	r = e.run("", "resume", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "300 of 300 users created, 0 failed") {
		t.Fatalf("resume: %v", r)
	}
	e.exactlyOnce("c", n)
}

// profile add checks the login and keeps the password in the keyring only;
// list and remove; a wrong password saves nothing.
func TestCLI_Profile(t *testing.T) {
	e := newEnv(t, nil)
	r := e.run("wrong-password\n", "profile", "add", "lab", "--address", e.addr(), "--admin", "admin")
	if r.code != 2 || !strings.Contains(r.stderr, "login failed") {
		t.Errorf("wrong password: %v", r)
	}
	r = e.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--address", e.addr(), "--admin", "admin")
	if r.code != 2 || !strings.Contains(r.stderr, `"sim" exists`) {
		t.Errorf("same name again: %v", r)
	}
	r = e.run("", "profile", "add", "nopw", "--address", e.addr(), "--admin", "admin", "--no-check")
	if r.code != 2 || !strings.Contains(r.stderr, "no password") {
		t.Errorf("empty password: %v", r)
	}
	r = e.run("", "profile", "list", "--json")
	golden.Check(t, "testdata/profiles.json.golden", []byte(e.scrub(r.stdout)))
	db, err := os.ReadFile(filepath.Join(e.dir, "bwbulk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(db), ocisim.DefaultPassword) {
		t.Error("the password is in the database")
	}
	if r := e.run("", "profile", "remove", "sim"); r.code != 0 {
		t.Errorf("remove: %v", r)
	}
	// What is left is the built-in demo server, now the default.
	if r := e.run("", "profile", "list", "--json"); !strings.Contains(r.stdout, `"builtIn": true,
    "default": true`) || strings.Contains(r.stdout, `"sim"`) {
		t.Errorf("after remove: %v", r)
	}
	if r := e.run("", "profile", "remove", "demo"); r.code != 2 || !strings.Contains(r.stderr, "cannot be removed") {
		t.Errorf("remove demo: %v", r)
	}
	if r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "demo", "--address", e.addr(), "--admin", "admin"); r.code != 2 {
		t.Errorf("a profile named demo: %v", r)
	}
	if r := e.run("", "profile", "remove", "sim"); r.code != 2 {
		t.Errorf("remove twice: %v", r)
	}
}

// While the window runs the tasks of the data folder (it holds the runner
// lock), submit --wait stores the task and follows it: the window's
// runner, wired as main.go wires it, creates the users, once.
func TestCLI_SubmitWait_whileTheWindowRuns(t *testing.T) {
	const n = 60
	e := newEnv(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := jobs.Open(ctx, filepath.Join(e.dir, "bwbulk.db"), &jobs.Options{Keyring: &desk.FallbackKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lock, err := st.LockRunner()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()

	f := e.file("users.csv", users("w", n))
	cmd := e.cmd("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if ts, _ := st.ListTasks(ctx); len(ts) == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	ps, err := st.Profiles(ctx)
	if err != nil || len(ps) != 1 {
		t.Fatalf("profiles: %v %v", err, ps)
	}
	session := desk.NewSession(st, nil)
	defer session.Close()
	session.Use(ps[0])
	runner := jobs.NewRunner(st, session.Connect, &jobs.RunnerOptions{PollInterval: 50 * time.Millisecond})
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		_ = runner.Start(ctx)
	}()
	defer func() { cancel(); <-runDone }()

	err = cmd.Wait()
	out := stderr.String()
	if err != nil || !strings.Contains(out, "Following it here") || !strings.Contains(out, "Task 1 completed: 60 of 60 users created, 0 failed") {
		t.Fatalf("submit --wait beside the window: %v\n%s", err, out)
	}
	e.exactlyOnce("w", n)
}

// A refused login puts the task in "needs attention": resume says why and
// exits 2; once the profile's password is right again, resume finishes it.
func TestCLI_Resume_needsAttention(t *testing.T) {
	e := newEnv(t, nil)
	f := e.file("users.csv", users("a", 5))
	if r := e.run("", "submit", f, "--group", "acme-ent/acme-hq"); r.code != 0 || !strings.Contains(r.stderr, "bwbulk resume 1") {
		t.Fatalf("submit: %v", r)
	}
	e.srv.AddAdmin(ocisim.DefaultAdmin, "changed-Pw1", ocisim.LevelSystem, "", "")
	r := e.run("", "resume", "1")
	if r.code != 2 || !strings.Contains(r.stderr, "needs attention") {
		t.Fatalf("resume with a refused login: %v", r)
	}
	if r := e.run("", "tasks", "--json"); !strings.Contains(r.stdout, `"attention"`) {
		t.Errorf("tasks --json has no attention: %v", r)
	}
	if r := e.run("changed-Pw1\n", "profile", "add", "sim", "--address", e.addr(), "--admin", ocisim.DefaultAdmin, "--replace"); r.code != 0 {
		t.Fatalf("profile add --replace: %v", r)
	}
	if r := e.run("", "resume", "1"); r.code != 0 || !strings.Contains(r.stderr, "5 of 5 users created") {
		t.Fatalf("resume after the fix: %v", r)
	}
	e.exactlyOnce("a", 5)
}
