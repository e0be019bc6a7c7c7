package cli_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

// undo N shows the window's plan and deletes nothing until --yes names
// the group; a partial undo of some rows deletes those users only.
func TestCLI_Undo_planAndConfirmation(t *testing.T) {
	e := newEnv(t, nil)
	f := e.file("users.csv", users("u", 4))
	if r := e.run("", "submit", f, "--group", "acme-ent/acme-hq", "--wait"); r.code != 0 {
		t.Fatalf("submit: %v", r)
	}
	r := e.run("", "undo", "1")
	if r.code != 2 || !strings.Contains(r.stdout, "Undo task 1") || !strings.Contains(r.stdout, "delete 4 users") ||
		!strings.Contains(r.stderr, "--yes acme-hq") {
		t.Fatalf("undo without confirmation: %v", r)
	}
	if r := e.run("", "undo", "1", "--yes", "acme-ent"); r.code != 2 || !strings.Contains(r.stderr, "not the group id acme-hq") {
		t.Errorf("undo with the wrong group: %v", r)
	}
	if n := len(e.srv.UsersInGroup("acme-ent", "acme-hq")); n == 0 {
		t.Fatal("no users")
	}
	for _, u := range users("u", 4)[1:] {
		if _, ok := e.srv.User(u[0]); !ok {
			t.Fatalf("%s deleted without confirmation", u[0])
		}
	}
	if r := e.run("", "undo", "1", "--jobs", "3-4,9"); r.code != 2 || !strings.Contains(r.stderr, "no job on row 9") {
		t.Errorf("undo of a row the task has not: %v", r)
	}
	r = e.run("", "undo", "1", "--jobs", "3-4", "--yes", "acme-hq", "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "delete 2 users") || !strings.Contains(r.stderr, "2 of 2 jobs of the undo of task 1 done, 0 failed") {
		t.Fatalf("partial undo: %v", r)
	}
	for i, u := range users("u", 4)[1:] {
		_, ok := e.srv.User(u[0])
		// Rows as the file numbers them: row 2 is the first user.
		if gone := i == 1 || i == 2; ok == gone {
			t.Errorf("%s: on the server %v after undoing rows 3-4", u[0], ok)
		}
	}
	// The rest, then nothing is left.
	if r := e.run("", "undo", "1", "--yes", "acme-hq", "--wait"); r.code != 0 || !strings.Contains(r.stdout, "delete 2 users") {
		t.Fatalf("undo of the rest: %v", r)
	}
	if r := e.run("", "undo", "1", "--yes", "acme-hq"); r.code != 0 || !strings.Contains(r.stdout, "Nothing of what task 1 created is left") {
		t.Errorf("undo with nothing left: %v", r)
	}
}

// kill -9 during undo --wait, then resume: every user the task created is
// deleted once, the undo completes with no job failed, and the demo
// company's own users are untouched.
func TestCLI_Undo_killedThenResumed(t *testing.T) {
	const n = 100
	e := newEnv(t, &ocisim.Options{Latency: 100 * time.Millisecond})
	before := len(e.srv.UsersInGroup("acme-ent", "acme-hq"))
	f := e.file("users.csv", users("x", n))
	if r := e.run("", "submit", f, "--group", "acme-ent/acme-hq", "--wait"); r.code != 0 {
		t.Fatalf("submit: %v", r)
	}
	cmd := e.cmd("", "undo", "1", "--yes", "acme-hq", "--wait")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the undo deletes users", func() bool { return len(e.srv.UsersInGroup("acme-ent", "acme-hq")) < before+n })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	left := len(e.srv.UsersInGroup("acme-ent", "acme-hq")) - before
	if left <= 0 {
		t.Fatalf("the undo had finished before the kill: the test needs a kill part-way")
	}
	if r := e.run("", "tasks"); !strings.Contains(r.stdout, "interrupted") {
		t.Errorf("tasks after the undo was killed: %v", r)
	}
	r := e.run("", "resume", "2")
	if r.code != 0 || !strings.Contains(r.stderr, "100 of 100 jobs of the undo of task 1 done, 0 failed") {
		t.Fatalf("resume of the undo: %v", r)
	}
	for _, u := range users("x", n)[1:] {
		if _, ok := e.srv.User(u[0]); ok {
			t.Errorf("%s still on the server", u[0])
		}
	}
	if got := len(e.srv.UsersInGroup("acme-ent", "acme-hq")); got != before {
		t.Errorf("%d users in the group after the undo, %d before the task", got, before)
	}
	t.Logf("undo killed with %d of %d users left; resume deleted them, no job failed", left, n)
}
