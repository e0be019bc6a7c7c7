package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

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
}
