package cli_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/internal/pgtest"
	"bwbulk/jobs"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to read the team database as it is
)

// newTeamEnv is newEnv in team mode: a throw-away PostgreSQL server of
// its own (so a test may restart it), a new database, `bwbulk team
// connect`, then the profile (kept in the team database).
func newTeamEnv(t *testing.T, opts *ocisim.Options) (*env, *pgtest.Server, string) {
	t.Helper()
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	url, err := pgtest.NewDatabase(context.Background(), pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: t.TempDir(), srv: ocisimtest.Start(t, opts)}
	if r := e.run("", "team", "connect", url); r.code != 0 || !strings.Contains(r.stderr, "Team mode on") {
		t.Fatalf("team connect: %v", r)
	}
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--address", e.addr(), "--admin", ocisim.DefaultAdmin)
	if r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	return e, pg, url
}

// waitUsers waits until the simulator holds at least n users of the test
// group.
func waitUsers(t *testing.T, e *env, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for len(e.srv.UsersInGroup("acme-ent", "acme-hq")) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d users after %v, waited for %d", len(e.srv.UsersInGroup("acme-ent", "acme-hq")), within, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// started runs bwbulk in the background; wait returns its result.
type started struct {
	cmd  *exec.Cmd
	out  strings.Builder
	errb strings.Builder
	done chan struct{}
	code int
}

func (e *env) start(args ...string) *started {
	e.t.Helper()
	s := &started{cmd: e.cmd("", args...), done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.errb
	if err := s.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() {
		err := s.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			s.code = ee.ExitCode()
		}
		close(s.done)
	}()
	return s
}

func (s *started) wait(t *testing.T, within time.Duration) result {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(within):
		s.cmd.Process.Kill()
		<-s.done
		t.Fatalf("still running after %v:\n%s", within, s.errb.String())
	}
	return result{s.out.String(), s.errb.String(), s.code}
}

// Two desks' runners on one team task: `bwbulk submit --wait` runs it,
// `bwbulk resume` on the same task waits for its lease. The first is
// killed (SIGKILL) part-way; the second takes the task over once the
// lease runs out and finishes it: every user exists once on the server,
// none added twice, and the shared history says who did what.
func TestTeam_TwoRunnersKill9(t *testing.T) {
	const n = 300
	e, _, url := newTeamEnv(t, &ocisim.Options{Latency: 10 * time.Millisecond})
	f := e.file("users.csv", users("tk", n))
	a := e.start("submit", f, "--group", "acme-ent/acme-hq", "--wait")
	waitUsers(t, e, 30, time.Minute)
	b := e.start("resume", "1")
	waitUsers(t, e, 100, time.Minute)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	<-a.done
	atKill := e.srv.AddCount("UserAddRequest22V2")
	// The takeover: the first user added after the kill and the
	// documents that were in flight.
	var takeover time.Duration
	var once sync.Once
	go func() {
		time.Sleep(200 * time.Millisecond)
		base := e.srv.AddCount("UserAddRequest22V2")
		for time.Since(killed) < 2*time.Minute {
			if e.srv.AddCount("UserAddRequest22V2") > base {
				once.Do(func() { takeover = time.Since(killed) })
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	r := b.wait(t, 3*time.Minute)
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d of %d users created, 0 failed", n, n)) {
		t.Fatalf("the second runner: %v", r)
	}
	e.exactlyOnce("tk", n)
	once.Do(func() {})
	msg := fmt.Sprintf("team: 2 runners, %d users, kill -9 of the first after %d users: took over in %v; %d users on the server, %d adds accepted",
		n, atKill, takeover.Round(100*time.Millisecond), len(e.srv.UsersInGroup("acme-ent", "acme-hq")), e.srv.AddCount("UserAddRequest22V2"))
	t.Log(msg)
	fmt.Println(msg)
	if takeover == 0 || takeover > 30*time.Second {
		t.Errorf("takeover after kill -9 took %v, want at most 30s", takeover)
	}
	st, err := jobs.OpenTeam(context.Background(), jobs.TeamConfig{URL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The actions as the team database holds them: the product writes
	// them for the audit; nothing of the product reads them back.
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), `SELECT action, desk FROM actions WHERE task_id = 1 ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for rows.Next() {
		var action, desk string
		if err := rows.Scan(&action, &desk); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, action)
		if desk != jobs.Desk() {
			t.Errorf("action %s from %q, want %q", action, desk, jobs.Desk())
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds, " "); got != "submit run takeover" {
		t.Errorf("actions = %q, want submit, run, takeover", got)
	}
	audit, _ := st.Audit(context.Background(), 1)
	if len(audit) < n || audit[0].Desk != jobs.Desk() {
		t.Errorf("audit: %d entries, first from %q", len(audit), audit[0].Desk)
	}
}

// The team database restarts (an immediate stop, as a crash) in the middle
// of a task: the runner waits for it and finishes, nothing sent twice.
func TestTeam_DatabaseRestartMidTask(t *testing.T) {
	const n = 200
	e, pg, _ := newTeamEnv(t, &ocisim.Options{Latency: 10 * time.Millisecond})
	f := e.file("users.csv", users("tr", n))
	a := e.start("submit", f, "--group", "acme-ent/acme-hq", "--wait")
	waitUsers(t, e, 60, time.Minute)
	if err := pg.Restart(); err != nil {
		t.Fatal(err)
	}
	r := a.wait(t, 3*time.Minute)
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d of %d users created, 0 failed", n, n)) {
		t.Fatalf("submit --wait across a database restart: %v\nfailed jobs: %v", r, e.run("", "task", "1", "--failed"))
	}
	e.exactlyOnce("tr", n)
}

// team status says what is wrong: the database stopped is "unreachable";
// team mode off says so.
func TestTeam_Status(t *testing.T) {
	e, pg, _ := newTeamEnv(t, nil)
	r := e.run("", "team", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "Schema: ") || !strings.Contains(r.stdout, "This desk: "+jobs.Desk()) ||
		!strings.Contains(r.stdout, "Team key: held") || !strings.Contains(r.stdout, "Member: "+jobs.Desk()+" (admitted by "+jobs.Desk()+")") {
		t.Fatalf("team status: %v", r)
	}
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	r = e.run("", "team", "status")
	if r.code != 1 || !strings.Contains(r.stdout, "Problem: unreachable") {
		t.Fatalf("team status, database stopped: %v", r)
	}
	pg.Start()
	if r := e.run("", "team", "disconnect"); r.code != 0 {
		t.Fatalf("disconnect: %v", r)
	}
	if r := e.run("", "team", "status"); r.code != 0 || !strings.Contains(r.stdout, "Team mode is off") {
		t.Fatalf("status after disconnect: %v", r)
	}
}

// TestTeam_Figures measures what README gives for team mode (set
// BWBULK_TEAM_FIGURES=1; it takes a few minutes): k = 2 and 4 runner
// processes, first each submitting and running its own 1,000-user task
// at once, then all k on one 1,000-user task with the runner killed
// (SIGKILL) part-way. Every user is checked on the simulator.
func TestTeam_Figures(t *testing.T) {
	if testing.Short() || os.Getenv("BWBULK_TEAM_FIGURES") == "" {
		t.Skip("a measurement: BWBULK_TEAM_FIGURES=1")
	}
	const n = 1000
	for _, k := range []int{2, 4} {
		e, _, _ := newTeamEnv(t, nil)
		e.srv.SetUserLimit("acme-ent", "acme-hq", 10000)
		start := time.Now()
		var ps []*started
		for i := 0; i < k; i++ {
			f := e.file(fmt.Sprintf("u%d.csv", i), users(fmt.Sprintf("f%d", i), n))
			ps = append(ps, e.start("submit", f, "--group", "acme-ent/acme-hq", "--wait"))
		}
		for _, p := range ps {
			if r := p.wait(t, 10*time.Minute); r.code != 0 {
				t.Fatalf("submit --wait: %v", r)
			}
		}
		took := time.Since(start)
		for i := 0; i < k; i++ {
			e.exactlyOnceOf(fmt.Sprintf("f%d", i), n)
		}
		adds := e.srv.AddCount("UserAddRequest22V2")
		fmt.Printf("team figures: %d runner processes, %d tasks of %d users at once: %.1fs, %d users, %d adds accepted (duplicates %d)\n",
			k, k, n, took.Seconds(), len(e.srv.UsersInGroup("acme-ent", "acme-hq")), adds, adds-k*n)

		// All k on one task, the one running it killed.
		e2, _, _ := newTeamEnv(t, nil)
		e2.srv.SetUserLimit("acme-ent", "acme-hq", 10000)
		f := e2.file("one.csv", users("g", n))
		start = time.Now()
		first := e2.start("submit", f, "--group", "acme-ent/acme-hq", "--wait")
		waitUsers(t, e2, 50, time.Minute)
		var rest []*started
		for i := 1; i < k; i++ {
			rest = append(rest, e2.start("resume", "1"))
		}
		waitUsers(t, e2, n/3, 5*time.Minute)
		first.cmd.Process.Signal(syscall.SIGKILL)
		killed := time.Now()
		<-first.done
		base := e2.srv.AddCount("UserAddRequest22V2")
		time.Sleep(300 * time.Millisecond) // documents in flight
		base = max(base, e2.srv.AddCount("UserAddRequest22V2"))
		for e2.srv.AddCount("UserAddRequest22V2") == base && time.Since(killed) < 2*time.Minute {
			time.Sleep(5 * time.Millisecond)
		}
		takeover := time.Since(killed)
		for _, p := range rest {
			if r := p.wait(t, 10*time.Minute); r.code != 0 {
				t.Fatalf("resume: %v", r)
			}
		}
		took = time.Since(start)
		e2.exactlyOnce("g", n)
		adds = e2.srv.AddCount("UserAddRequest22V2")
		fmt.Printf("team figures: %d runner processes on one task of %d users, kill -9 of its runner: takeover %.1fs, done in %.1fs, %d users, %d adds accepted (duplicates %d)\n",
			k, n, takeover.Seconds(), took.Seconds(), len(e2.srv.UsersInGroup("acme-ent", "acme-hq")), adds, adds-n)
	}
}

// exactlyOnceOf checks that every user of prefix exists on the simulator
// (the add count is checked by the caller, for all prefixes at once).
func (e *env) exactlyOnceOf(prefix string, n int) {
	e.t.Helper()
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%s.%03d@acme.example.com", prefix, i)
		if _, ok := e.srv.User(id); !ok {
			e.t.Errorf("user %s missing on the server", id)
		}
	}
}

// A desk offline during a submit, through the binary: with the team
// database stopped, submit checks the file against the server, says the
// task is queued on this desk and tasks lists it so; once the database is
// back the next command moves it into the team's queue, once, and resume
// runs it: every user on the simulator once.
func TestTeam_OfflineSubmit(t *testing.T) {
	const n = 40
	e, pg, _ := newTeamEnv(t, nil)
	f := e.file("users.csv", users("to", n))
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	r := e.run("", "submit", f, "--group", "acme-ent/acme-hq")
	if r.code != 0 || !strings.Contains(r.stdout, "task queued on this desk") || !strings.Contains(r.stderr, "The team database is out of reach (unreachable") {
		t.Fatalf("submit with the team database stopped: %v", r)
	}
	r = e.run("", "tasks")
	if r.code != 0 || !strings.Contains(r.stdout, "queued  waiting for the team database  0/40") {
		t.Fatalf("tasks with the team database stopped: %v", r)
	}
	if r := e.run("", "team", "status"); r.code != 1 || !strings.Contains(r.stdout, "Problem: unreachable") || !strings.Contains(r.stdout, "Queued on this desk: 1") {
		t.Fatalf("team status with the team database stopped: %v", r)
	}
	if got := e.srv.AddCount("UserAddRequest22V2"); got != 0 {
		t.Fatalf("%d users added while queued", got)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	r = e.run("", "tasks")
	if r.code != 0 || strings.Contains(r.stdout, "queued") || !strings.Contains(r.stdout, "1   pending") {
		t.Fatalf("tasks once the database is back: %v", r)
	}
	r = e.run("", "resume", "1")
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d of %d users created, 0 failed", n, n)) {
		t.Fatalf("resume: %v", r)
	}
	if r := e.run("", "tasks"); strings.Count(r.stdout, "users in acme-ent/acme-hq") != 1 {
		t.Fatalf("the task twice in the team's queue: %v", r)
	}
	e.exactlyOnce("to", n)
}

// team copy-history, twice: connect offers it for a desk with a history
// of its own; the first run copies the finished task, the second nothing
// more; the team's task list has it once, with its outcome.
func TestTeam_CopyHistory(t *testing.T) {
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	url, err := pgtest.NewDatabase(context.Background(), pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: t.TempDir(), srv: ocisimtest.Start(t, nil)}
	if r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--address", e.addr(), "--admin", ocisim.DefaultAdmin); r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	if r := e.run("", "submit", e.file("u.csv", users("hc", 5)), "--group", "acme-ent/acme-hq", "--wait"); r.code != 0 {
		t.Fatalf("submit --wait: %v", r)
	}
	r := e.run("", "team", "connect", url)
	if r.code != 0 || !strings.Contains(r.stderr, "This desk has 1 tasks of its own (bwbulk.db): bwbulk team copy-history") {
		t.Fatalf("team connect: %v", r)
	}
	r = e.run("", "team", "copy-history")
	if r.code != 0 || !strings.Contains(r.stdout, "Copied 1 tasks into the team database (0 were copied before).") {
		t.Fatalf("copy-history: %v", r)
	}
	r = e.run("", "team", "copy-history")
	if r.code != 0 || !strings.Contains(r.stdout, "Copied 0 tasks into the team database (1 were copied before).") {
		t.Fatalf("copy-history again: %v", r)
	}
	r = e.run("", "tasks")
	if r.code != 0 || strings.Count(r.stdout, "5 users in acme-ent/acme-hq") != 1 || !strings.Contains(r.stdout, "completed  5/5") {
		t.Fatalf("team tasks after two copies: %v", r)
	}
	e.exactlyOnce("hc", 5)
}
