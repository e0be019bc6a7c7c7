package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// TestSubmit_TasksShownWhileStoring: the Tasks screen shows the submitted
// task, its jobs pending, before the store has given it an id.
func TestSubmit_TasksShownWhileStoring(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	tv := h.u.tasks
	spec := jobs.TaskSpec{Description: "3 users in acme-ent/acme-hq", Admin: "admin", Jobs: []jobs.JobSpec{
		{Row: 1, UserID: "a@acme.example.com"}, {Row: 2, UserID: "b@acme.example.com"}, {Row: 3, UserID: "c@acme.example.com"},
	}}
	tv.showStoring(&spec)
	if rows, _ := tv.table.Length(); rows != 0 {
		t.Errorf("%d job rows shown in the first frame, want none", rows)
	}
	tv.showStoringJobs(&spec)
	if got := tv.title.Text; got != "New task · 3 users in acme-ent/acme-hq" {
		t.Errorf("title = %q", got)
	}
	if !strings.Contains(tv.detail.Text, "being stored") || !strings.Contains(tv.counts.Text, "0 of 3 done") {
		t.Errorf("detail %q, counts %q", tv.detail.Text, tv.counts.Text)
	}
	if rows, _ := tv.table.Length(); rows != 3 {
		t.Fatalf("%d job rows shown, want 3", rows)
	}
	cell := tv.table.CreateCell()
	tv.table.UpdateCell(widgetCell(1, 1), cell)
	if got := cellText(cell); got != "b@acme.example.com" {
		t.Errorf("row 2 user = %q", got)
	}
	tv.table.UpdateCell(widgetCell(2, 2), cell)
	if got := cellText(cell); got != jobs.StatusPending {
		t.Errorf("row 3 status = %q", got)
	}
	for _, b := range []interface{ Disabled() bool }{tv.pause, tv.resume, tv.cancel, tv.retryAll} {
		if !b.Disabled() {
			t.Error("a task control is enabled before the task is stored")
		}
	}
	// A reload meanwhile (progress of another task) keeps it.
	tv.reload()
	if rows, _ := tv.table.Length(); rows != 3 || !strings.HasPrefix(tv.title.Text, "New task") {
		t.Errorf("after a reload: %d rows, title %q", rows, tv.title.Text)
	}
	tv.storeFailed()
	if rows, _ := tv.table.Length(); rows != 0 || tv.storing != nil {
		t.Errorf("after a failed store: %d rows shown", rows)
	}
}

// TestSubmit_StoreFailureKeepsTheUsers: when the task cannot be stored the
// wizard comes back as it was, with an error, and nothing is lost.
func TestSubmit_StoreFailureKeepsTheUsers(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 4)
	v := h.w.preview
	v.p.Set(0, wizard.ColFirstName, "Edited")
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	h.store.Close()
	v.createTask(plan)
	waitFor(t, func() bool { return h.u.nav.Selected().Text == ScreenNewUsers })
	if h.w.cur != wizard.StepPreview || h.w.startOver {
		t.Errorf("wizard at %s (start over %v) after a failed store", h.w.cur, h.w.startOver)
	}
	if got := h.w.preview.p.Rows[0].Get(wizard.ColFirstName); got != "Edited" {
		t.Errorf("the hand edit is gone: first name %q", got)
	}
	if h.u.win.Canvas().Overlays().Top() == nil {
		t.Error("no error shown")
	}
	if ts, err := h.store.ListTasks(context.Background()); err == nil && len(ts) > 0 {
		t.Errorf("%d tasks listed from a closed store", len(ts))
	}
}

// waitFor polls cond (work handed to goroutines ends in fyne.Do) for up
// to ten seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
	}
}

// TestSubmit_RefusedWhileStoring: Submit again while the same users are
// being stored shows no plan and says why.
func TestSubmit_RefusedWhileStoring(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	v.storing = true
	v.submit()
	if h.u.win.Canvas().Overlays().Top() != nil {
		t.Fatal("a plan dialog while the same users are being stored")
	}
	if !strings.Contains(h.u.status.message.Text, "being stored") {
		t.Errorf("status = %q", h.u.status.message.Text)
	}
	v.storing = false
	v.submit()
	if h.u.win.Canvas().Overlays().Top() == nil {
		t.Error("no plan dialog once storing is over")
	}
}

// TestSubmit_OneUserInWords: the plan of one user says "1 user", in its
// title and its lines, never "1 users".
func TestSubmit_OneUserInWords(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	walkToPreview(h, 1, "2025550300")
	h.next()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan")
	}
	shown := strings.Join(texts(top), "\n")
	if !strings.Contains(shown, "Submit 1 user in acme-ent/acme-hq?") || strings.Contains(shown, "1 users") {
		t.Errorf("the plan reads:\n%s", shown)
	}
}

// TestSubmit_StoredChunkByChunk: a task of more users than a chunk is
// stored a chunk at a time while it runs (jobs.StartTask): every user is
// stored and created once, and the task is shown from its first chunk on.
func TestSubmit_StoredChunkByChunk(t *testing.T) {
	old := jobs.StoreChunk
	jobs.StoreChunk = 2
	t.Cleanup(func() { jobs.StoreChunk = old })
	h := newHarness(t, harnessOpts{runner: true})
	h.toStep(wizard.StepPreview, 5)
	v := h.w.preview
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	v.createTask(plan)
	waitFor(t, func() bool { return h.u.tasks.selected != 0 })
	id := h.u.tasks.selected
	task := waitTask(t, h.store, id, 30*time.Second)
	if task.Status != jobs.StatusCompleted || task.Completed != 5 || task.Total != 5 {
		t.Fatalf("task = %+v", task)
	}
	js, err := h.store.Jobs(context.Background(), id, jobs.Filter{})
	if err != nil || len(js) != 5 {
		t.Fatalf("%d jobs stored (err %v)", len(js), err)
	}
	for i, j := range js {
		if j.Row != i+1 || j.Status != jobs.StatusCompleted {
			t.Errorf("job %d: row %d, %s", i, j.Row, j.Status)
		}
		if _, ok := h.srv.User(j.UserID); !ok {
			t.Errorf("%s not created", j.UserID)
		}
	}
	if h.u.win.Canvas().Overlays().Top() != nil {
		t.Error("a dialog after a task stored whole")
	}
}
