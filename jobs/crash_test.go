package jobs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// The crash test re-executes this test binary as a child that provisions
// a task, kills it with SIGKILL mid-task, and resumes in this process. The
// simulator runs here, so it outlives the child.
const (
	envCrashDir  = "BWBULK_JOBS_CRASH_DIR"
	envCrashAddr = "BWBULK_JOBS_CRASH_ADDR"
	envCrashKey  = "BWBULK_JOBS_CRASH_KEY"
)

// TestRunner_CrashChild is the child's body; it does nothing in a normal
// run.
func TestRunner_CrashChild(t *testing.T) {
	dir := os.Getenv(envCrashDir)
	if dir == "" {
		t.Skip("child of TestRunner_CrashResume only")
	}
	sec := newMemSecrets()
	sec.Set(KeyringService, KeyringDataKey, os.Getenv(envCrashKey))
	st := openStoreAt(t, dir, sec)
	startRunner(t, st, dialer(os.Getenv(envCrashAddr), 4), nil)
	time.Sleep(time.Minute) // killed long before
	t.Fatal("child was not killed")
}

func TestRunner_CrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 3 * time.Millisecond})
	dir := t.TempDir()
	key := make([]byte, 32)
	rand.Read(key)
	sec := newMemSecrets()
	sec.Set(KeyringService, KeyringDataKey, base64.StdEncoding.EncodeToString(key))

	const n = 400
	us := bulkUsers(n)
	ctx := context.Background()
	st := openStoreAt(t, dir, sec)
	id, err := st.CreateTask(ctx, taskOf(us, bulkSetup(n)))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestRunner_CrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashAddr+"="+srv.Addr().String(),
		envCrashKey+"="+base64.StdEncoding.EncodeToString(key))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for srv.AddCount("UserAddRequest22V2") < n/3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made no progress: %d users", srv.AddCount("UserAddRequest22V2"))
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	atKill := srv.AddCount("UserAddRequest22V2")
	time.Sleep(50 * time.Millisecond) // let the server finish documents in flight
	afterKill := srv.AddCount("UserAddRequest22V2")

	st = openStoreAt(t, dir, sec)
	var inflight, running int
	st.r.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE inflight = 1), count(*) FILTER (WHERE status = 'running') FROM jobs WHERE task_id = ?`, id).Scan(&inflight, &running)
	task, _ := st.Task(ctx, id)
	msg := fmt.Sprintf("jobs: crash: child killed (SIGKILL) with %d users added (%d after in-flight documents); task %s, %d jobs running, %d with a command in flight to resolve",
		atKill, afterKill, task.Status, running, inflight)
	t.Log(msg)
	fmt.Println(msg)
	if task.Status != StatusRunning {
		t.Errorf("task status after crash = %s, want running", task.Status)
	}

	h := startRunner(t, st, dialer(srv.Addr().String(), 4), nil)
	task = h.waitTask(id, 2*time.Minute, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != n {
		t.Fatalf("after resume: %+v", task)
	}
	checkExactlyOnce(t, "crash and resume", srv, us)
	audit, _ := st.Audit(ctx, id)
	var resolved int
	for _, a := range audit {
		if a.Outcome == OutcomeApplied || a.Outcome == OutcomeNotApplied {
			resolved++
		}
	}
	msg = fmt.Sprintf("jobs: crash: %d in-flight commands resolved by reading the server after restart", resolved)
	t.Log(msg)
	fmt.Println(msg)
	if resolved != inflight {
		t.Errorf("resolved %d, want %d", resolved, inflight)
	}
}
