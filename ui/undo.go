package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
)

// The undo of a task: a plan read from the server (jobs.PlanUndo), shown
// like Submit's, confirmed by typing the group id, and run as a task.

// undoScope is what an undo reverses.
type undoScope int

const (
	undoTask  undoScope = iota // every job of the task
	undoJob                    // the highlighted job
	undoShown                  // the jobs the filter and search show
)

func (v *tasksView) undoMenu() *keyButton {
	v.undoItems = []*fyne.MenuItem{
		fyne.NewMenuItem("Undo whole task…", func() { v.undo(undoTask) }),
		fyne.NewMenuItem("Undo the jobs shown…", func() { v.undo(undoShown) }),
		fyne.NewMenuItem("Undo this job…", func() { v.undo(undoJob) }),
	}
	return menuButton("Undo…", theme.ContentUndoIcon(), v.undoItems...)
}

// enableUndo turns the Undo button on for a finished task that is not
// itself an undo.
func (v *tasksView) enableUndo(t jobs.Task) {
	on := jobs.Terminal(t.Status) && t.UndoOf == 0 && t.ID != 0 && v.u.store() != nil
	u := v.undoneBy(t)
	enable(v.undoBtn, on && !u.active && (u.undone == 0 || u.undone < t.Completed))
}

// undone is what the undo tasks of a task did.
type undone struct {
	last   int64 // the newest undo task, 0 for none
	active bool  // one is still running (or waits)
	undone int   // jobs the finished ones completed
}

// undoneBy reads from the task list the undo tasks of t.
func (v *tasksView) undoneBy(t jobs.Task) undone {
	var u undone
	if t.ID == 0 {
		return u
	}
	for _, o := range v.tasks {
		if o.UndoOf != t.ID {
			continue
		}
		u.last = max(u.last, o.ID)
		if jobs.Terminal(o.Status) {
			u.undone += o.Completed
		} else {
			u.active = true
		}
	}
	return u
}

// undoneText is what a task's lines say of its undo ("" for none).
func (v *tasksView) undoneText(t jobs.Task) string {
	u := v.undoneBy(t)
	switch {
	case u.last == 0:
		return ""
	case u.active:
		return fmt.Sprintf("being undone by task %d", u.last)
	case u.undone >= t.Completed:
		return fmt.Sprintf("undone by task %d", u.last)
	}
	return fmt.Sprintf("%d of %d undone (task %d)", u.undone, t.Completed, u.last)
}

// undo plans the reverse of scope off the UI goroutine and shows it.
func (v *tasksView) undo(scope undoScope) {
	st := v.u.store()
	t, ok := v.current()
	if st == nil || !ok || t.ID == 0 {
		return
	}
	var chosen []int64
	switch scope {
	case undoJob:
		// The table may still show the task selected before.
		for _, j := range v.jobs {
			if j.ID == v.jobSel && j.TaskID == t.ID {
				chosen = []int64{j.ID}
			}
		}
		if chosen == nil {
			v.u.status.setMessage("Undo this job: pick a job of task %d in the table first", t.ID)
			return
		}
	case undoShown:
		ids, err := v.shownJobIDs(t.ID)
		if err != nil {
			v.u.showError("Undo", err)
			return
		}
		chosen = ids
		if len(chosen) == 0 {
			v.u.status.setMessage("Undo: no job is shown")
			return
		}
	}
	v.u.status.setMessage("Reading from the server what task %d created…", t.ID)
	v.u.spawn(func() {
		ctx, cancel := context.WithTimeout(v.u.ctx, 5*time.Minute)
		defer cancel()
		plan, err := v.u.session.PlanUndo(ctx, st, t.ID, chosen)
		fyne.Do(func() {
			v.u.status.setMessage("")
			switch {
			case errors.Is(err, jobs.ErrNothingToUndo):
				msg := "Nothing of what task " + fmt.Sprint(t.ID) + " created is left to undo."
				if plan != nil && len(plan.Kept) > 0 {
					msg += "\n\n• " + strings.Join(plan.Kept, "\n• ")
				}
				v.u.showInfo("Undo task", msg)
			case err != nil:
				v.u.showError("Undo task", err)
			default:
				v.confirmUndo(plan)
			}
		})
	})
}

// confirmUndo shows the plan and asks for the group id before it stores
// the undo task.
func (v *tasksView) confirmUndo(plan *jobs.UndoPlan) {
	var lists []fyne.CanvasObject
	list := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		shown := lines
		if len(shown) > 8 {
			shown = append(shown[:8:8], fmt.Sprintf("… and %d more", len(lines)-8))
		}
		l := widget.NewLabel("• " + strings.Join(shown, "\n• "))
		l.Wrapping = fyne.TextWrapWord
		lists = append(lists, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), l)
	}
	list("Lost with the deletes", plan.Lost)
	list("Left on the server", plan.Kept)
	parts := []fyne.CanvasObject{widget.NewLabel(plan.Summary())}
	if len(lists) > 0 {
		scroll := container.NewVScroll(container.NewVBox(lists...))
		scroll.SetMinSize(fyne.NewSize(580, 200))
		parts = append(parts, scroll)
	}
	want := plan.Confirmation()
	typed := newEntry()
	typed.SetPlaceHolder("group id")
	parts = append(parts, note("Deleted users lose their voice mail, call logs and settings; this cannot be reversed. Nothing has been sent yet."),
		widget.NewLabel("Type the group id "+want+" to confirm:"), typed)
	var d *dialog.CustomDialog
	undoBtn := newButtonWithIcon("Undo", theme.ContentUndoIcon(), func() {
		if strings.TrimSpace(typed.Text) != want {
			return
		}
		d.Hide()
		v.storeUndo(plan)
	})
	undoBtn.Importance = widget.DangerImportance
	undoBtn.Disable()
	typed.OnChanged = func(s string) { enable(undoBtn, strings.TrimSpace(s) == want) }
	typed.OnSubmitted = func(string) { undoBtn.OnTapped() }
	cancel := newButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(fmt.Sprintf("Undo task %d?", plan.Source.ID), container.NewVBox(parts...), v.u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, undoBtn})
	d.SetOnClosed(func() { v.undoDialog, v.undoTyped, v.undoConfirm = nil, nil, nil })
	v.undoDialog, v.undoTyped, v.undoConfirm = d, typed, undoBtn
	d.Resize(fyne.NewSize(620, 0))
	(&keyDialog{u: v.u, d: d, enter: func() { undoBtn.OnTapped() }, escape: d.Hide}).Show()
	v.u.win.Canvas().Focus(typed)
}

// storeUndo stores the undo task (the runner starts it) and selects it.
func (v *tasksView) storeUndo(plan *jobs.UndoPlan) {
	st := v.u.store()
	v.u.spawn(func() {
		id, err := st.CreateTask(v.u.ctx, plan.Spec)
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Undo task", err)
				return
			}
			v.u.status.setMessage("Task %d submitted: %s", id, plan.Spec.Description)
			v.selectTask(id)
		})
	})
}
