package jobs

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/wizard"
)

// manualClock fires After channels only when Advance passes their time.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []manualWaiter
}

type manualWaiter struct {
	at time.Time
	ch chan time.Time
}

func newManualClock() *manualClock {
	return &manualClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, manualWaiter{c.now.Add(d), ch})
	return ch
}

func (c *manualClock) pending(atLeast time.Duration) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, w := range c.waiters {
		if w.at.Sub(c.now) >= atLeast {
			n++
		}
	}
	return n
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
	c.mu.Unlock()
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func branchUser(i int, number string) plannedUser {
	return plannedUser{sp: "acme-ent", group: "acme-branch", domain: "acme.example.com",
		userID: fmt.Sprintf("off%d@acme.example.com", i), device: fmt.Sprintf("off-dev-%d", i),
		number: number, password: fmt.Sprintf("Offline%04d", i)}
}

func TestRunner_OfflineThenOnline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the server is "down"

	st := openTestStore(t, nil)
	ctx := context.Background()
	var us []plannedUser
	for i := 1; i <= 6; i++ {
		us = append(us, branchUser(i, fmt.Sprintf("%d", 3125550130+i)))
	}
	clk := newManualClock()
	h := startRunner(t, st, dialer(addr, 2), &RunnerOptions{Clock: clk, ProbeBase: time.Hour, ProbeMax: time.Hour, PollInterval: 24 * time.Hour})
	// Subscribed before the task exists, so that no event of it is missed.
	events, unsub := h.runner.Subscribe()
	defer unsub()
	id, err := st.CreateTask(ctx, taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	task := h.waitTask(id, 10*time.Second, StatusWaiting)
	if !strings.HasPrefix(task.Error, "waiting for the server") || !strings.Contains(task.Error, "refused the connection") {
		t.Errorf("waiting task error = %q", task.Error)
	}
	waitFor(t, "the probe to be scheduled", 5*time.Second, func() bool { return clk.pending(time.Hour) > 0 })

	// The server comes back; meanwhile someone took row 2's number and
	// one of the 5 free licences.
	srv := ocisim.NewDemo(nil)
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c, err := broadworks.Dial(ctx, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, &oci.UserAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-branch",
		UserID: "someone@acme.example.com", LastName: "Else", FirstName: "Someone", CallingLineIDLastName: "Else",
		CallingLineIDFirstName: "Someone", PhoneNumber: oci.String(us[1].number)}); err != nil {
		t.Fatal(err)
	}
	if srv.AddCount("UserAddRequest22V2") != 1 {
		t.Fatal("the runner sent before the probe")
	}

	clk.Advance(time.Hour) // the probe fires
	task = h.waitTask(id, 20*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusFailed || task.Completed != 4 || task.Failed != 2 {
		t.Fatalf("task = %+v", task)
	}
	js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
	if len(js) != 2 || js[0].Row != 2 || !strings.Contains(js[0].Error, "pre-flight: phone number") ||
		js[1].Row != 6 || !strings.Contains(js[1].Error, "pre-flight: licence exceeded") {
		t.Fatalf("failed jobs = %+v", js)
	}
	for _, j := range js {
		t.Logf("row %d: %s", j.Row, j.Error)
		if _, ok := srv.User(us[j.Row-1].userID); ok {
			t.Errorf("row %d was created", j.Row)
		}
	}
	// The task announced it was waiting.
	sawWaiting := false
	for len(events) > 0 || !sawWaiting {
		select {
		case e := <-events:
			if e.JobID == 0 && e.Status == StatusWaiting {
				sawWaiting = true
			}
		case <-time.After(time.Second):
			t.Fatal("no waiting event")
		}
	}
}

func TestRunner_PauseCancelResume(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 15 * time.Millisecond})
	st := openTestStore(t, nil)
	ctx := context.Background()
	id, us := storeNumberlessTask(t, st, "pcr", 60)
	h := startRunner(t, st, dialer(srv.Addr().String(), 1), &RunnerOptions{Sessions: 1, BatchSize: 4, Logf: t.Logf})
	users := func() int { return srv.AddCount("UserAddRequest22V2") }
	waitFor(t, "some users", 20*time.Second, func() bool { return users() >= 4 })
	events, unsubscribe := h.runner.Subscribe()
	defer unsubscribe()
	if err := h.runner.Pause(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	h.waitTask(id, time.Second, StatusPaused)
	// A task event follows once the jobs in flight are at rest, so that a
	// listener showing the jobs sees none left running.
	settled := false
	for timeout := time.After(5 * time.Second); !settled; {
		select {
		case ev := <-events:
			if ev.TaskID == id && ev.JobID == 0 && ev.Status == StatusPaused {
				js, _ := st.Jobs(ctx, id, Filter{Status: StatusRunning})
				settled = len(js) == 0
			}
		case <-timeout:
			t.Fatal("no task event with the paused task's jobs at rest")
		}
	}
	time.Sleep(100 * time.Millisecond) // the document in flight finishes
	paused := srv.Documents()
	time.Sleep(200 * time.Millisecond)
	if srv.Documents() != paused {
		t.Fatalf("documents sent while paused: %d → %d", paused, srv.Documents())
	}
	if js, _ := st.Jobs(ctx, id, Filter{Status: StatusRunning}); len(js) != 0 {
		t.Errorf("%d jobs still running while paused", len(js))
	}
	if err := h.runner.Resume(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "progress after resume", 20*time.Second, func() bool { return users() >= 20 })
	if err := h.runner.Cancel(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	task := h.waitTask(id, 10*time.Second, StatusCancelled)
	waitFor(t, "jobs to settle", 10*time.Second, func() bool {
		task, _ = st.Task(ctx, id)
		return task.Pending+task.Running == 0
	})
	if task.Completed == 0 || task.Cancelled == 0 || task.Completed+task.Cancelled != 60 {
		t.Fatalf("after cancel: %+v", task)
	}
	t.Logf("cancelled with %d completed, %d cancelled", task.Completed, task.Cancelled)
	for name, f := range map[string]func(context.Context, int64) error{"Pause": h.runner.Pause, "Resume": h.runner.Resume, "Cancel": h.runner.Cancel} {
		if err := f(context.Background(), id); !errors.Is(err, ErrTaskState) {
			t.Errorf("%s of a cancelled task: %v, want ErrTaskState", name, err)
		}
	}
	// A cancelled job whose user add was applied holds an existing user;
	// the others hold none.
	js, _ := st.Jobs(ctx, id, Filter{Status: StatusCancelled})
	for _, j := range js {
		_, exists := srv.User(j.UserID)
		if exists != (j.Step >= 2) {
			t.Errorf("row %d: step %d, user exists %v", j.Row, j.Step, exists)
		}
	}
	// Retrying a cancelled job finishes it, without duplicates.
	if err := st.retryJob(ctx, js[len(js)-1].ID); err != nil {
		t.Fatal(err)
	}
	task = h.waitTask(id, 20*time.Second, StatusCompleted, StatusFailed, StatusCancelled)
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, _ := st.Job(ctx, js[len(js)-1].ID)
		if j.Status == StatusCompleted {
			break
		}
		if time.Now().After(deadline) {
			tk, _ := st.Task(ctx, id)
			t.Fatalf("retried job: %+v; task %+v", j, tk)
		}
		time.Sleep(5 * time.Millisecond)
	}
	created := 0
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			created++
		}
	}
	if n := users(); n != created {
		t.Errorf("UserAddRequest22V2 accepted %d times for %d users", n, created)
	}
}

func TestRunner_SlowSubscriberNeverBlocks(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("evt", 150)
	for i := range us {
		us[i].number, us[i].device = "", ""
	}
	id, _ := st.CreateTask(ctx, taskOf(us, nil))
	h := startRunner(t, st, dialer(srv.Addr().String(), 4), nil)
	events, unsub := h.runner.Subscribe() // never read until the end
	defer unsub()
	h.waitTask(id, 30*time.Second, StatusCompleted)
	completed := map[int64]bool{}
	var last Event
	timeout := time.After(5 * time.Second)
	for len(completed) < len(us) {
		select {
		case e := <-events:
			if e.JobID != 0 && e.Status == StatusCompleted {
				completed[e.JobID] = true
				last = e
			}
		case <-timeout:
			t.Fatalf("%d of %d completed events", len(completed), len(us))
		}
	}
	if last.Total != len(us) || last.Done == 0 || last.Throughput <= 0 {
		t.Errorf("last event = %+v", last)
	}
}

func TestRunner_EditAndRetry_Export(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	existing := srv.UsersInGroup("acme-ent", "acme-branch")[0]
	us := hqUsers("edit", 3)
	us[1].userID = existing.UserID // refused: already exists
	id, _ := st.CreateTask(ctx, taskOf(us, nil))
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	h.waitTask(id, 20*time.Second, StatusFailed)
	failed, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
	if len(failed) != 1 || failed[0].ErrorCode != 4200 {
		t.Fatalf("failed = %+v", failed)
	}
	// The row as the preview edits it: its fields and target.
	u := us[1]
	target := wizard.Target{ServiceProviderID: u.sp, GroupID: u.group, Domain: u.domain}
	edited := wizard.JobFields(target, wizard.RowFromFields(map[string]string{
		"userId": "no-domain", "firstName": "Row2", "lastName": "User",
		"callingLineIdFirstName": "Row2", "callingLineIdLastName": "User", "password": u.password,
		"phoneNumber": u.number, "deviceType": "Generic SIP Phone", "deviceName": u.device,
		"linePort": "lp-" + u.device + "@" + u.domain,
	}))
	if err := h.runner.EditJob(ctx, failed[0].ID, edited); err == nil {
		t.Fatal("invalid edit accepted")
	}
	edited["userId"] = "edited@acme.example.com"
	if err := h.runner.EditJob(ctx, failed[0].ID, edited); err != nil {
		t.Fatal(err)
	}
	task := h.waitTask(id, 20*time.Second, StatusCompleted)
	if task.Completed != 3 {
		t.Fatalf("task = %+v", task)
	}
	if _, ok := srv.User("edited@acme.example.com"); !ok {
		t.Error("edited user missing")
	}
	if n := srv.AddCount("GroupAccessDeviceAddRequest22V2"); n != 4 {
		t.Errorf("devices added %d times, want 4 (the refused row's device was removed, and added again by its retry)", n)
	}

	var buf bytes.Buffer
	if _, err := st.ExportTask(ctx, id, &buf, ExportOptions{Format: FormatCSV}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	if len(recs) != 4 || recs[2][col["Status"]] != StatusCompleted || recs[2][col["User ID"]] != "edited@acme.example.com" ||
		recs[1][col["Password"]] != us[0].password {
		t.Fatalf("csv = %v", recs)
	}
	buf.Reset()
	if _, err := st.ExportTask(ctx, id, &buf, ExportOptions{Format: FormatXLSX}); err != nil || buf.Len() == 0 {
		t.Fatalf("xlsx: %v", err)
	}
}

// TestRunner_UnreadableJobFailsAlone: jobs are opened when their turn
// comes; one whose stored commands are damaged fails with the reason and
// the rest of the task goes ahead.
func TestRunner_UnreadableJobFailsAlone(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("dmg", 6)
	id, err := st.CreateTask(ctx, taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE jobs SET payload = ? WHERE task_id = ? AND row = 3`, []byte{0, 0x11, 0x22, 0x33}, id); err != nil {
		t.Fatal(err)
	}
	// Row 5 was in flight when the app stopped: it opens before anything
	// is sent, to be resolved.
	if _, err := st.w.ExecContext(ctx, `UPDATE jobs SET payload = ?, status = 'running', inflight = 1, attempts = 1 WHERE task_id = ? AND row = 5`, []byte{0, 0x11}, id); err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Completed != 4 || task.Failed != 2 {
		t.Fatalf("task = %+v", task)
	}
	js, _ := st.Jobs(ctx, id, Filter{})
	for _, j := range js {
		_, exists := srv.User(j.UserID)
		want := map[int]string{3: "the stored job cannot be read: row 3 payload", 5: "the stored job cannot be read: row 5 payload"}[j.Row]
		switch {
		case want != "" && (j.Status != StatusFailed || !strings.Contains(j.Error, want)):
			t.Errorf("row %d: %s %q", j.Row, j.Status, j.Error)
		case want != "" && exists:
			t.Errorf("row %d: the damaged job's user was created", j.Row)
		case want == "" && (j.Status != StatusCompleted || !exists):
			t.Errorf("row %d: %s %q, user exists %v", j.Row, j.Status, j.Error, exists)
		}
	}
}
