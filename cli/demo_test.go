package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bwbulk/desk"
	"bwbulk/internal/demo"
	"bwbulk/jobs"
)

const demoNotice = "on the built-in demo server (not a real BroadWorks); add yours with `bwbulk profile add`"

// window is the window's wiring as main.go makes it on a data folder:
// the demo server, its profile in use, and the runner holding the lock.
type window struct {
	host  *demo.Host
	st    *jobs.Store
	close func()
}

func openWindow(t *testing.T, dir string) *window {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	host, err := demo.Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := jobs.Open(ctx, filepath.Join(dir, "bwbulk.db"), &jobs.Options{Keyring: &desk.FallbackKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	lock, err := st.LockRunner()
	if err != nil {
		t.Fatal(err)
	}
	d := desk.DemoAt(host.Addr())
	session := desk.NewSession(st, d)
	p, err := desk.EnsureDemoProfile(ctx, st, d)
	if err != nil {
		t.Fatal(err)
	}
	session.Use(p)
	runner := jobs.NewRunner(st, session.Connect, &jobs.RunnerOptions{PollInterval: 50 * time.Millisecond})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = runner.Start(ctx)
	}()
	w := &window{host: host, st: st}
	closed := false
	w.close = func() {
		if closed {
			return
		}
		closed = true
		cancel()
		<-done
		lock.Unlock()
		session.Close()
		host.Close()
		st.Close()
	}
	t.Cleanup(w.close)
	return w
}

// With no profile of the user's own, the commands work on the window's
// demo server: a task submitted from the shell is run by the window on
// it, and a command after the window has closed finds the same users in
// the data folder's demo state.
func TestCLI_demo_sharedWithTheWindow(t *testing.T) {
	const n = 20
	e := &env{t: t, dir: t.TempDir()}
	w := openWindow(t, e.dir)
	f := e.file("hires.csv", users("d", n))

	r := e.run("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	if r.code != 0 || strings.Count(r.stderr, demoNotice) != 1 || !strings.Contains(r.stderr, "Following it here") ||
		!strings.Contains(r.stderr, "20 of 20 users created") {
		t.Fatalf("submit --wait on the demo server beside the window: %v", r)
	}
	sim := w.host.Server()
	for _, u := range users("d", n)[1:] {
		if _, ok := sim.User(u[0]); !ok {
			t.Errorf("user %s is not on the window's demo server", u[0])
		}
	}
	if got := sim.AddCount("UserAddRequest22V2"); got != n {
		t.Errorf("the window's demo server accepted %d user adds for %d users", got, n)
	}
	if ts, err := w.st.ListTasks(context.Background()); err != nil || len(ts) != 1 || ts[0].Status != jobs.StatusCompleted {
		t.Errorf("the window's tasks: %v %+v", err, ts)
	}

	// While the window is open and once it has closed, validate sees the
	// users it made (they exist already).
	for _, when := range []string{"window open", "window closed"} {
		r = e.run("", "validate", f, "--group", "acme-ent/acme-hq")
		if r.code != 1 || strings.Count(r.stdout, "\n") < n || strings.Count(r.stderr, demoNotice) != 1 {
			t.Errorf("%s: validate does not find the %d users on the demo server: %v", when, n, r)
		}
		w.close()
	}
	if r := e.run("", "profile", "list"); r.code != 0 || !strings.Contains(r.stdout, "demo (default)") {
		t.Errorf("profile list: %v", r)
	}
	if r := e.run("", "plan", f, "--group", "acme-ent/acme-hq", "--profile", "demo"); r.code != 1 {
		t.Errorf("plan --profile demo of users that exist: %v", r)
	}
}
