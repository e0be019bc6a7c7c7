package jobs

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// TestRunner_UnreadOutcomeIsToBeChecked: users the server created but whose
// read-back keeps failing are never marked failed. They are "to be
// checked", counted apart, the task waits and says so, and once the server
// answers the reads they are completed — the counts follow the server.
func TestRunner_UnreadOutcomeIsToBeChecked(t *testing.T) {
	var refuseReads atomic.Bool
	refuseReads.Store(true)
	srv := ocisimtest.Start(t, &ocisim.Options{Intercept: func(name string, n int) *ocisim.Fault {
		if strings.HasPrefix(name, "UserGetRequest") && refuseReads.Load() {
			return &ocisim.Fault{Code: 5001, Message: "System busy, try again later"}
		}
		return nil
	}})
	st := openTestStore(t, nil)
	id, us := storeNumberlessTask(t, st, "chk", 6)
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), &RunnerOptions{
		MaxAttempts: 2, ProbeBase: 20 * time.Millisecond, ProbeMax: 50 * time.Millisecond})
	events, unsub := h.runner.Subscribe()
	defer unsub()

	// The users exist; their outcome cannot be read: to be checked.
	deadline := time.Now().Add(20 * time.Second)
	var task Task
	for {
		var err error
		if task, err = st.Task(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		// All to be checked, and the task says so (it goes on waiting
		// just after the last job is set aside).
		if task.Checking == len(us) && task.Status == StatusWaiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs never to be checked: %+v", task)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if task.Failed != 0 || task.Completed != 0 || task.Status != StatusWaiting ||
		!strings.Contains(task.Error, "6 users to be checked") {
		t.Fatalf("task while reads fail: %+v", task)
	}
	js, err := st.Jobs(context.Background(), id, Filter{Status: StatusChecking})
	if err != nil || len(js) != len(us) {
		t.Fatalf("jobs to be checked = %d %v", len(js), err)
	}
	if !strings.HasPrefix(js[0].Error, "to be checked: the user could not be read back yet") {
		t.Errorf("job error = %q", js[0].Error)
	}
	if pend, _ := st.Jobs(context.Background(), id, Filter{Status: StatusPending}); len(pend) != 0 {
		t.Errorf("to-be-checked jobs also listed as pending: %d", len(pend))
	}

	refuseReads.Store(false)
	task = h.waitTask(id, 20*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != len(us) || task.Checking != 0 {
		t.Fatalf("after the server answers: %+v", task)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); !ok {
			t.Errorf("user %s missing on the server", u.userID)
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != len(us) {
		t.Errorf("user adds accepted %d, want %d", n, len(us))
	}
	sawChecking := false
	for len(events) > 0 {
		e := <-events
		if e.Status == StatusFailed {
			t.Errorf("a job event said failed: %+v", e)
		}
		if e.Status == StatusChecking {
			sawChecking = true
		}
	}
	if !sawChecking {
		t.Error("no job event said to be checked")
	}
}

// TestRetry_ReconcilesWithTheServer: the server confirmed commands and then
// did not hold them (a restore, a crash). Retry reads the server's state
// for each command and sends exactly what is missing, in order: a lost
// device is added again before its user; a device the server still has is
// not sent twice.
func TestRetry_ReconcilesWithTheServer(t *testing.T) {
	for _, tc := range []struct {
		name        string
		lose        func(name string) bool // confirmed, not applied
		wantDevices int                    // device adds the server applied in all
	}{
		{"device and user lost", func(n string) bool {
			return strings.HasPrefix(n, "UserAddRequest") || strings.HasPrefix(n, "GroupAccessDeviceAddRequest")
		}, 4},
		{"user lost", func(n string) bool { return strings.HasPrefix(n, "UserAddRequest") }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lose atomic.Bool
			lose.Store(true)
			srv := ocisimtest.Start(t, &ocisim.Options{Intercept: func(name string, n int) *ocisim.Fault {
				if lose.Load() && tc.lose(name) {
					// A Warning: the client takes it as done; the
					// server holds nothing.
					return &ocisim.Fault{Code: 4999, Warning: true, Message: "accepted"}
				}
				return nil
			}})
			st := openTestStore(t, nil)
			id, us := storeNumberlessTask(t, st, "rec", 4)
			h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
			task := h.waitTask(id, 20*time.Second, StatusCompleted, StatusFailed)
			if task.Failed != len(us) {
				t.Fatalf("first run: %+v", task)
			}
			js, _ := st.Jobs(context.Background(), id, Filter{})
			if !strings.Contains(js[0].Error, "not found after a successful add") {
				t.Fatalf("first run job error = %q", js[0].Error)
			}

			lose.Store(false)
			n, err := st.RetryAllFailed(context.Background(), id)
			if err != nil || n != len(us) {
				t.Fatalf("retry all failed = %d %v", n, err)
			}
			task = h.waitTask(id, 20*time.Second, StatusCompleted, StatusFailed)
			if task.Status != StatusCompleted || task.Completed != len(us) {
				js, _ := st.Jobs(context.Background(), id, Filter{})
				t.Fatalf("after retry: %+v, first job: %+v", task, js[0])
			}
			for _, u := range us {
				got, ok := srv.User(u.userID)
				if !ok || got.DeviceName != u.device {
					t.Errorf("user %s after retry: %+v %v", u.userID, got, ok)
				}
				if _, ok := srv.Device(u.sp, u.group, u.device); !ok {
					t.Errorf("device %s missing after retry", u.device)
				}
			}
			if got := srv.AddCount("UserAddRequest22V2"); got != len(us) {
				t.Errorf("user adds applied %d, want %d", got, len(us))
			}
			if got := srv.AddCount("GroupAccessDeviceAddRequest22V2"); got != tc.wantDevices {
				t.Errorf("device adds applied %d, want %d", got, tc.wantDevices)
			}
		})
	}
}

// stopsForAttention runs a task of n jobs through connect and checks that
// it is paused as needing attention, the attention naming each of want,
// with no job failed.
func stopsForAttention(t *testing.T, connect func(context.Context) (*broadworks.Pool, error), name string, n int, want ...string) (*runnerHarness, Task) {
	t.Helper()
	st := openTestStore(t, nil)
	id, _ := storeNumberlessTask(t, st, name, n)
	h := startRunner(t, st, connect, &RunnerOptions{ProbeBase: 10 * time.Millisecond})
	task := h.waitTask(id, 20*time.Second, StatusPaused, StatusFailed, StatusCompleted)
	if task.Status != StatusPaused {
		t.Fatalf("task = %+v", task)
	}
	for _, w := range want {
		if !strings.Contains(task.Attention, w) {
			t.Fatalf("attention = %q, want %q in it", task.Attention, w)
		}
	}
	if task.Failed != 0 {
		t.Errorf("%d jobs failed", task.Failed)
	}
	return h, task
}

// TestRunner_UntrustedCertificateNeedsAttention: a task whose server shows
// an untrusted certificate does not wait for ever: it is paused as needing
// attention, with the fingerprint and what to do, and Resume clears that.
func TestRunner_UntrustedCertificateNeedsAttention(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	connect := dialerWith(srv.Addr().String(), 1, &broadworks.Options{Transport: "tls", Timeout: 5 * time.Second}, ocisim.DefaultPassword)
	h, task := stopsForAttention(t, connect, "tls", 2, "SHA-256 fingerprint", "trust the certificate in Connections")
	if !strings.HasPrefix(task.Attention, "needs attention: ") {
		t.Fatalf("attention = %q", task.Attention)
	}
	if task.Completed != 0 {
		t.Fatalf("jobs moved: %+v", task)
	}
	if err := h.runner.Resume(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	if task, _ = h.store.Task(context.Background(), task.ID); task.Attention != "" {
		t.Errorf("attention kept after Resume: %q", task.Attention)
	}
}

// TestRunner_RefusedLoginNeedsAttention: a wrong administrator password is
// not retried until every job fails: the task stops as needing attention.
func TestRunner_RefusedLoginNeedsAttention(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	connect := dialerWith(srv.Addr().String(), 2, &broadworks.Options{Timeout: 5 * time.Second}, "not-the-password")
	stopsForAttention(t, connect, "pw", 3, "refused the login", "correct the administrator's password in Connections")
}

// TestRunner_ACLRefusalNeedsAttention: a server whose access list does not
// allow this computer answers the login with "Server refused to register
// protocol" (the code only in the summary, as real servers send it). The
// task stops as needing attention with what to do; no job fails.
func TestRunner_ACLRefusalNeedsAttention(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{
		OmitErrorCode: true,
		Intercept: func(cmd string, n int) *ocisim.Fault {
			if strings.HasPrefix(cmd, "AuthenticationRequest") || strings.HasPrefix(cmd, "LoginRequest") {
				return &ocisim.Fault{Code: 4000, Message: "Server refused to register protocol"}
			}
			return nil
		},
	})
	stopsForAttention(t, dialer(srv.Addr().String(), 2), "acl", 3, "the server refuses this computer", "OCI-P access list")
}
