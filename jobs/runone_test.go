package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// Run works on the task it is given and leaves an older pending task (of
// another server, say) alone.
func TestRunner_Run_onlyThatTask(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, newMemSecrets())
	older, _ := storeNumberlessTask(t, st, "older", 3)
	id, us := storeNumberlessTask(t, st, "mine", 5)
	r := NewRunner(st, dialer(srv.Addr().String(), 2), &RunnerOptions{Sessions: 2})
	if err := r.Run(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Task(context.Background(), id)
	if got.Status != StatusCompleted || got.Completed != len(us) {
		t.Errorf("task: %+v", got)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); !ok {
			t.Errorf("%s not created", u.userID)
		}
	}
	if o, _ := st.Task(context.Background(), older); o.Status != StatusPending || o.Completed != 0 {
		t.Errorf("older task touched: %+v", o)
	}
	if _, err := st.Task(context.Background(), 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Task(99): %v", err)
	}
	if err := r.Run(context.Background(), 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Run(99) = %v, want ErrNotFound", err)
	}
}

// Run returns once the task is paused, the documents in flight settled.
func TestRunner_Run_returnsWhenPaused(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 5 * time.Millisecond})
	st := openTestStore(t, newMemSecrets())
	id, _ := storeNumberlessTask(t, st, "p", 200)
	r := NewRunner(st, dialer(srv.Addr().String(), 2), &RunnerOptions{Sessions: 2})
	events, unsubscribe := r.Subscribe()
	defer unsubscribe()
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background(), id) }()
	for ev := range events {
		if ev.TaskID == id && ev.Done >= 10 {
			break
		}
	}
	if err := r.Pause(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after Pause")
	}
	got, _ := st.Task(context.Background(), id)
	if got.Status != StatusPaused || got.Running != 0 || got.Completed == got.Total {
		t.Errorf("after pause: %+v", got)
	}
}

// One process at a time holds the runner lock; it is free again after
// Unlock, and WaitRunnerLock gives up when its context ends.
func TestStore_LockRunner(t *testing.T) {
	onlySQLite(t) // a team store's runners hold leases on tasks instead
	st := openTestStore(t, newMemSecrets())
	l, err := st.LockRunner()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LockRunner(); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v, want ErrLocked", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := st.WaitRunnerLock(ctx, 10*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait while held: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := st.WaitRunnerLock(context.Background(), 10*time.Millisecond)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	l2.Unlock()
}
