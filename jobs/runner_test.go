package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

func TestRetryPolicy_Next(t *testing.T) {
	p := retryPolicy{maxAttempts: 3, base: 100 * time.Millisecond, max: time.Second}
	refusal := &oci.ErrorResponse{Type: oci.TypeError, Code: 4200, Summary: "[Error 4200] User already exists"}
	busy := &oci.ErrorResponse{Type: oci.TypeError, Code: 5200, Summary: "[Error 5200] System busy, try again later"}
	dial := &broadworks.DialError{Addr: "x:2208", Err: errors.New("connection refused")}
	unknown := fmt.Errorf("send: %w", broadworks.ErrOutcomeUnknown)
	for _, tc := range []struct {
		name     string
		err      error
		attempts int
		want     action
		delay    time.Duration
	}{
		{"refusal is final", refusal, 1, actFail, 0},
		{"wrapped refusal is final", fmt.Errorf("x: %w", refusal), 1, actFail, 0},
		{"transient refusal retried", busy, 1, actRetry, 100 * time.Millisecond},
		{"backoff doubles", busy, 2, actRetry, 200 * time.Millisecond},
		{"attempts exhausted", busy, 3, actFail, 0},
		{"never sent is retried", dial, 1, actRetry, 100 * time.Millisecond},
		{"not logged in is retried", broadworks.ErrNotLoggedIn, 2, actRetry, 200 * time.Millisecond},
		{"outcome unknown is resolved", unknown, 1, actResolve, 0},
		{"outcome unknown resolved even when exhausted", unknown, 9, actResolve, 0},
		{"other error is final", errors.New("boom"), 1, actFail, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, d := p.next(tc.err, tc.attempts)
			if got != tc.want || d != tc.delay {
				t.Errorf("next = %v %v, want %v %v", got, d, tc.want, tc.delay)
			}
		})
	}
	if d := (retryPolicy{maxAttempts: 99, base: time.Second, max: 5 * time.Second}).backoff(20); d != 5*time.Second {
		t.Errorf("backoff cap = %v", d)
	}
}

func TestRunner_NormalTask(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("norm", 20)
	spec := taskOf(us, []oci.Request{&oci.GroupDepartmentAddRequest{ServiceProviderID: "acme-ent", GroupID: "acme-hq", DepartmentName: "Bulk"}})
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 4), nil)
	events, unsub := h.runner.Subscribe()
	defer unsub()
	task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != 20 {
		js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
		t.Fatalf("task = %+v, failed jobs %+v", task, js)
	}
	for _, u := range us {
		got, ok := srv.User(u.userID)
		if !ok || got.PhoneNumber != u.number || got.GroupID != "acme-hq" {
			t.Errorf("user %s: %+v %v", u.userID, got, ok)
		}
		if _, ok := srv.Device("acme-ent", "acme-hq", u.device); !ok {
			t.Errorf("device %s missing", u.device)
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 20 {
		t.Errorf("UserAddRequest22V2 accepted %d times, want 20", n)
	}
	if ds := srv.Departments("acme-ent", "acme-hq"); !containsString(ds, "Bulk") {
		t.Errorf("setup department missing: %v", ds)
	}
	audit, _ := st.Audit(ctx, id)
	var sends, reads int
	for _, a := range audit {
		if strings.Contains(a.Request, "Pw0") {
			t.Fatalf("audit holds a password: %s", a.Request)
		}
		if a.Command == "UserGetRequest23V2" {
			reads++
		} else {
			sends++
		}
	}
	if sends != 41 || reads != 20 {
		t.Errorf("audit: %d sends, %d read-backs; want 41 and 20", sends, reads)
	}
	// No password reached the database file or its WAL in clear.
	checked := 0
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(st.Path() + suffix)
		if err != nil {
			continue
		}
		checked++
		for _, u := range us {
			if bytes.Contains(b, []byte(u.password)) {
				t.Errorf("password of %s in clear in %s", u.userID, suffix)
			}
		}
	}
	t.Logf("checked %d passwords in %d database images after the run", len(us), checked)

	// Every job's terminal event arrives.
	completed := map[int64]bool{}
	timeout := time.After(5 * time.Second)
	for len(completed) < 20 {
		select {
		case e := <-events:
			if e.JobID != 0 && e.Status == StatusCompleted {
				completed[e.JobID] = true
			}
		case <-timeout:
			t.Fatalf("got %d completed events", len(completed))
		}
	}
}

func TestRunner_MixedFailures(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	limit, count := srv.GroupCounts("acme-ent", "acme-branch")
	if limit-count != 5 {
		t.Fatalf("demo acme-branch has %d free licences, want 5", limit-count)
	}
	existing := srv.UsersInGroup("acme-ent", "acme-branch")[0]
	mk := func(i int, uid, number string) plannedUser {
		return plannedUser{sp: "acme-ent", group: "acme-branch", domain: "acme.example.com", userID: uid,
			device: fmt.Sprintf("mix-dev-%d", i), number: number, password: fmt.Sprintf("Mixed%04d", i)}
	}
	us := []plannedUser{
		mk(1, "mix1@acme.example.com", "3125550130"),
		mk(2, existing.UserID, "3125550131"),                 // duplicate user id
		mk(3, "mix3@acme.example.com", existing.PhoneNumber), // number taken
		mk(4, "mix4@acme.example.com", "3125550133"),
		mk(5, "mix5@acme.example.com", "3125550134"),
		mk(6, "mix6@acme.example.com", "3125550135"),
		mk(7, "mix7@acme.example.com", "3125550136"),
		mk(8, "mix8@acme.example.com", "3125550137"), // the sixth new user: licence exceeded
		mk(9, "mix9@acme.example.com", "3125550138"), // its device is refused: the user is never sent
	}
	spec := taskOf(us, nil)
	spec.Jobs[8].Commands[0].(*oci.GroupAccessDeviceAddRequest22V2).DeviceType = "No Such Phone"
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 4), nil)
	task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusFailed || task.Completed != 5 || task.Failed != 4 {
		t.Fatalf("task = %+v", task)
	}
	want := map[int][]int{2: {4200}, 3: {4470, 4471}, 8: {4154}, 9: {4501}}
	js, _ := st.Jobs(ctx, id, Filter{})
	for _, j := range js {
		codes, shouldFail := want[j.Row]
		switch {
		case shouldFail && j.Status != StatusFailed:
			t.Errorf("row %d: status %s, want failed", j.Row, j.Status)
		case shouldFail && !containsInt(codes, j.ErrorCode):
			t.Errorf("row %d: error %d %q, want code %v", j.Row, j.ErrorCode, j.Error, codes)
		case !shouldFail && j.Status != StatusCompleted:
			t.Errorf("row %d: status %s (%s), want completed", j.Row, j.Status, j.Error)
		}
		if shouldFail {
			t.Logf("row %d failed as expected: [%d] %s", j.Row, j.ErrorCode, j.Error)
			// Row 9's device was refused; the others' users were, and the
			// device each added first was removed: nothing of theirs is
			// left on the server.
			if j.Step != 0 {
				t.Errorf("row %d: step %d, want 0", j.Row, j.Step)
			}
			if _, ok := srv.Device("acme-ent", "acme-branch", fmt.Sprintf("mix-dev-%d", j.Row)); ok {
				t.Errorf("row %d: its device is left on the server", j.Row)
			}
			if j.Row != 9 && !strings.Contains(j.Error, fmt.Sprintf("device mix-dev-%d, which this job added for the user, was removed", j.Row)) {
				t.Errorf("row %d: %q does not say the device was removed", j.Row, j.Error)
			}
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 5 {
		t.Errorf("users accepted = %d, want 5", n)
	}
	audit, _ := st.Audit(ctx, id)
	for _, a := range audit {
		if strings.Contains(a.Request, "mix9@") {
			t.Errorf("row 9's user add was sent after its device failed: %s", a.Command)
		}
	}
	if l, c := srv.GroupCounts("acme-ent", "acme-branch"); c != l {
		t.Errorf("branch %d/%d, want full", c, l)
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
