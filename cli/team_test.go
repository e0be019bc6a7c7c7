package cli_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/pgtest"
	"bwbulk/jobs"
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
	e := &env{t: t, dir: t.TempDir(), srv: ocisim.StartTest(t, opts)}
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
	acts, err := st.Actions(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range acts {
		kinds = append(kinds, a.Action)
		if a.Desk != jobs.Desk() {
			t.Errorf("action %s from %q, want %q", a.Action, a.Desk, jobs.Desk())
		}
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
	if r.code != 0 || !strings.Contains(r.stdout, "Schema: ") || !strings.Contains(r.stdout, "This desk: "+jobs.Desk()) {
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
