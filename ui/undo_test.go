package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
)

// TestFlow_UndoTask: Undo plans the reverse of a partly failed task from
// the server, shows it, stays disabled until the group id is typed, and
// its task deletes only the users the task created.
func TestFlow_UndoTask(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	id, task := runTask(t, h, "undo.a@acme.example.com", "undo.b@acme.example.com", "branch.user01@acme.example.com")
	if task.Completed != 2 || task.Failed != 1 {
		t.Fatalf("task = %+v", task)
	}
	v := h.u.tasks
	waitFor(t, func() bool { cur, ok := v.current(); return ok && cur.ID == id && !v.undoBtn.Disabled() })

	v.undoItems[0].Action() // Undo whole task…
	waitFor(t, func() bool { return v.undoDialog != nil })
	if !v.undoConfirm.Disabled() {
		t.Fatal("Undo is enabled before the group id is typed")
	}
	test.Type(v.undoTyped, "acme-h")
	if !v.undoConfirm.Disabled() {
		t.Fatal("Undo is enabled with a partial group id")
	}
	test.Type(v.undoTyped, "q")
	if v.undoConfirm.Disabled() {
		t.Fatal("Undo stays disabled with the group id typed")
	}
	test.Tap(v.undoConfirm)
	var undo jobs.Task
	waitFor(t, func() bool {
		ts, _ := h.store.ListTasks(context.Background())
		for _, t := range ts {
			if t.UndoOf == id {
				undo = t
				return true
			}
		}
		return false
	})
	undo = waitTask(t, h.store, undo.ID, 30*time.Second)
	if undo.Status != jobs.StatusCompleted || undo.Completed != 2 {
		t.Fatalf("undo task = %+v", undo)
	}
	for _, uid := range []string{"undo.a@acme.example.com", "undo.b@acme.example.com"} {
		if _, ok := h.srv.User(uid); ok {
			t.Errorf("user %s still there", uid)
		}
	}
	if _, ok := h.srv.User("branch.user01@acme.example.com"); !ok {
		t.Error("the user the task did not create was deleted")
	}
	// The undo is selected; it cannot itself be undone.
	waitFor(t, func() bool { cur, ok := v.current(); return ok && cur.ID == undo.ID })
	if !v.undoBtn.Disabled() {
		t.Error("Undo is enabled on an undo task")
	}
	// Back on the task undone: it says so at once, in the list and its
	// header, and cannot be undone again.
	v.selectTask(id)
	v.reload()
	src, _ := v.current()
	if line := v.taskLine(src); !strings.Contains(line, fmt.Sprintf("undone by task %d", undo.ID)) {
		t.Errorf("task line = %q", line)
	}
	if !strings.Contains(v.detail.Text, fmt.Sprintf("undone by task %d", undo.ID)) {
		t.Errorf("header = %q", v.detail.Text)
	}
	if !v.undoBtn.Disabled() {
		t.Error("Undo still enabled on the task undone")
	}
}

// TestFlow_UndoOneJob: "Undo this job" undoes the highlighted job of the
// selected task only, never a job of the task shown before.
func TestFlow_UndoOneJob(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	id, _ := runTask(t, h, "one.a@acme.example.com", "one.b@acme.example.com")
	v := h.u.tasks
	waitFor(t, func() bool { return len(v.jobs) == 2 && v.jobs[0].TaskID == id && !v.undoBtn.Disabled() })
	v.table.Select(widget.TableCellID{Row: 1, Col: 1})
	waitFor(t, func() bool { return v.jobSel != 0 })
	// A job of another task is never undone with this one.
	other := v.jobSel
	v.jobs[1].TaskID = id + 100
	v.undoItems[2].Action()
	if v.undoDialog != nil {
		t.Fatal("a job not of the selected task was planned")
	}
	v.jobs[1].TaskID = id
	v.undoItems[2].Action()
	waitFor(t, func() bool { return v.undoDialog != nil })
	test.Type(v.undoTyped, "acme-hq")
	test.Tap(v.undoConfirm)
	waitFor(t, func() bool {
		ts, _ := h.store.ListTasks(context.Background())
		return len(ts) == 2 && ts[0].UndoOf == id && jobs.Terminal(ts[0].Status)
	})
	if _, ok := h.srv.User(v2user(t, h, other)); ok {
		t.Error("the undone job's user is still there")
	}
	if _, ok := h.srv.User("one.a@acme.example.com"); !ok {
		t.Error("the other job's user was deleted")
	}
	// The undo task made no users: nothing to reuse from it.
	v.list.Select(0)
	waitFor(t, func() bool { t2, ok := v.current(); return ok && t2.UndoOf == id })
	if !v.reuseBtn.Disabled() {
		t.Error("Reuse… offered on an undo task")
	}
}

func v2user(t *testing.T, h *harness, jobID int64) string {
	j, err := h.store.Job(context.Background(), jobID)
	if err != nil {
		t.Fatal(err)
	}
	return j.UserID
}
