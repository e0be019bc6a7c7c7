package cli_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

// waitFor polls cond every 5 ms for up to a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// safeBuffer is a bytes.Buffer a process writes while the test reads.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func newSafeBuffer() *safeBuffer { return &safeBuffer{} }

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Two real command-line processes on one data folder: the second
// `resume` of a task that the first `submit --wait` runs says which
// process runs it and follows; when the first is killed with kill -9, the
// second takes the runner lock over and finishes the task, every user
// created once. A task whose process was killed shows as interrupted,
// not running, until resume finishes it.
func TestCLI_SecondProcessTakesOverFromAKilledRunner(t *testing.T) {
	const n = 300
	// A slow server (a quarter of a second a document), so that the task is part-way
	// when the first process is killed.
	e := newEnv(t, &ocisim.Options{Latency: 250 * time.Millisecond})
	f := e.file("users.csv", users("o", n))
	t0 := time.Now()
	first := e.cmd("", "submit", f, "--group", "acme-ent/acme-hq", "--wait")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first process creates users", func() bool { return e.srv.AddCount("UserAddRequest22V2") > 0 })

	if r := e.run("", "tasks"); !strings.Contains(r.stdout, "running") {
		t.Errorf("tasks while the first process runs task 1: %v", r)
	}
	second := e.cmd("", "resume", "1")
	var out bytes.Buffer
	errb := newSafeBuffer()
	second.Stdout, second.Stderr = &out, errb
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	runBy := fmt.Sprintf("Task 1 is run by bwbulk submit --wait (pid %d)", first.Process.Pid)
	waitFor(t, "the second process says who runs the task", func() bool { return strings.Contains(errb.String(), runBy) })
	if strings.Contains(errb.String(), "window") {
		t.Errorf("no window is open, yet the second process speaks of one:\n%s", errb.String())
	}

	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	t.Logf("killed at %v", time.Since(t0))
	killedAt := e.srv.AddCount("UserAddRequest22V2")
	if err := second.Wait(); err != nil {
		t.Fatalf("second process: %v\n%s", err, errb.String())
	}
	msg := errb.String()
	t.Logf("second done at %v", time.Since(t0))
	if !strings.Contains(msg, "has ended: task 1 goes on here") || !strings.Contains(msg, "Task 1 completed: 300 of 300 users created, 0 failed") {
		t.Fatalf("the second process did not take over:\n%s", msg)
	}
	if killedAt >= n {
		t.Fatalf("the first process had finished (%d users) before it was killed: the test needs a kill part-way", killedAt)
	}
	e.exactlyOnce("o", n)
	t.Logf("killed after %d of %d users; the second process created the other %d", killedAt, n, n-killedAt)

	// A runner killed with nobody following: the task is interrupted.
	const m = 100
	g := e.file("more.csv", users("p", m))
	third := e.cmd("", "submit", g, "--group", "acme-ent/acme-hq", "--wait")
	if err := third.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the third process creates users", func() bool { return e.srv.AddCount("UserAddRequest22V2") > n })
	if err := third.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = third.Wait()
	t.Logf("third killed at %v", time.Since(t0))
	r := e.run("", "tasks")
	if r.code != 0 || strings.Contains(r.stdout, "running") || !strings.Contains(r.stdout, "interrupted") {
		t.Errorf("tasks after the runner was killed: %v", r)
	}
	if r := e.run("", "tasks", "--json"); !strings.Contains(r.stdout, `"status": "interrupted"`) {
		t.Errorf("tasks --json after the runner was killed: %v", r)
	}
	if r := e.run("", "task", "2"); !strings.Contains(r.stdout, "Status: interrupted") || !strings.Contains(r.stdout, "bwbulk resume 2") {
		t.Errorf("task 2 after its runner was killed: %v", r)
	}
	if r := e.run("", "resume", "2"); r.code != 0 || !strings.Contains(r.stderr, "100 of 100 users created, 0 failed") {
		t.Fatalf("resume 2: %v", r)
	}
	if got := e.srv.AddCount("UserAddRequest22V2"); got != n+m {
		t.Errorf("server accepted %d user adds for %d users", got, n+m)
	}
}
