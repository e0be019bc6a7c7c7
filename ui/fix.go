package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// setCells sets cells of the preview; in a fix the cells the templates
// make from them follow. rows are preview rows.
func (v *previewView) setCells(col wizard.Column, rows []int, values []string) {
	for i, r := range rows {
		v.p.Set(r, col, values[i])
		if v.fix != nil {
			v.fix.Edited[r][col] = true
		}
	}
	if v.fix != nil {
		v.fix.Derive(v.p, rows)
	}
}

// openFix shows the failed jobs of a task in the preview.
func (w *wizardView) openFix(m *wizard.Model, f *desk.Fix) {
	w.reset(m, wizard.StepPreview, 0)
	w.preview.fix = f
	w.preview.fixInfo.SetText(fmt.Sprintf("Fixing %s of task %d: edit the cells, then Submit retries these jobs (no new task).", plural(len(f.JobIDs), "failed job"), f.TaskID))
	w.preview.fixInfo.Show()
	w.next.SetText("Retry jobs…")
	w.preview.req.Refresh()
	w.u.Show(ScreenNewUsers)
}

// retryPlan confirms and queues the fixed jobs again (EditJob each).
func (v *previewView) retryPlan(res checkResult) {
	u, f := v.w.u, v.fix
	v.confirming = false
	if u.runner == nil {
		u.showError("Retry", errors.New("no runner"))
		return
	}
	fields, row, err := f.JobFields(v.p)
	if err != nil {
		u.showError(fmt.Sprintf("Row %d", row), err)
		return
	}
	checked := ""
	switch {
	case res.err != nil:
		checked = "The check against the server could not run. " + errorWords(res.err) + " " + offlineCheckText
	case res.rep != nil && res.rep.Rows() > 0:
		checked = fmt.Sprintf("%s will fail again: they collide with what is on the server (marked in red).", plural(res.rep.Rows(), "job"))
	case res.rep != nil:
		checked = "Checked against the server: nothing collides."
	}
	v.confirming = true
	title := fmt.Sprintf("Retry %s of task %d?", plural(len(f.JobIDs), "job"), f.TaskID)
	u.showDialog(u.confirmDialog(title, "Retry", "Cancel", note(checked), func(ok bool) {
		v.confirming = false
		if !ok {
			return
		}
		ids, taskID := f.JobIDs, f.TaskID
		u.spawn(func() {
			errs := f.Retry(u.ctx, u.runner, fields)
			fyne.Do(func() {
				if len(errs) > 0 {
					u.showError("Retry", errors.New(strings.Join(errs, "\n")))
				}
				u.status.setMessage("Task %d: %s queued again", taskID, plural(len(ids)-len(errs), "job"))
				v.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
				u.tasks.selectTask(taskID)
				u.Show(ScreenTasks)
				u.tasks.reload()
			})
		})
	}))
}

// fixInPreview opens the selected task's failed jobs in the preview.
func (v *tasksView) fixInPreview() {
	st, id := v.u.store(), v.selected
	if st == nil || id == 0 {
		return
	}
	v.u.spawn(func() {
		failed, rowOne, err := desk.FailedJobs(v.u.ctx, st, id)
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Fix in preview", err)
				return
			}
			m, f, err := desk.NewFix(id, failed, rowOne)
			if err != nil {
				v.u.showError("Fix in preview", err)
				return
			}
			v.u.wizard.openFix(m, f)
		})
	})
}

// retryAllFailed checks the failed jobs against the server, says which
// would fail again (with Fix in preview at hand), and queues them.
func (v *tasksView) retryAllFailed() {
	st := v.u.store()
	id := v.selected
	if st == nil || id == 0 {
		return
	}
	v.u.status.setMessage("Checking the failed jobs of task %d against the server…", id)
	v.u.spawn(func() {
		ctx, cancel := context.WithTimeout(v.u.ctx, 5*time.Minute)
		defer cancel()
		failed, err := st.JobsWithPayload(ctx, id, jobs.Filter{Status: jobs.StatusFailed})
		var rep *jobs.CheckReport
		var checkErr error
		if err == nil {
			rep, checkErr = desk.CheckFailed(ctx, v.u.session.Reads(), failed)
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Retry all failed", err)
				return
			}
			if checkErr == nil && rep != nil && rep.Rows() > 0 {
				v.confirmRetry(id, failed, rep)
				return
			}
			if checkErr != nil {
				v.u.status.setMessage("Could not check against the server, so retrying anyway. %s", errorWords(checkErr))
			}
			v.retryNow(id)
		})
	})
}

// confirmRetry says which failed jobs would fail again.
func (v *tasksView) confirmRetry(id int64, failed []jobs.Job, rep *jobs.CheckReport) {
	var lines []string
	for i, p := range rep.Problems {
		if i == 8 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(rep.Problems)-8))
			break
		}
		lines = append(lines, problemLine(failed[p.Row-1].Row, p.Column, p.Msg))
	}
	body := widget.NewLabel(strings.Join(lines, "\n"))
	body.Wrapping = fyne.TextWrapWord
	var d *keyDialog
	fix := newButtonWithIcon("Fix in preview…", theme.DocumentCreateIcon(), func() {
		d.Hide()
		v.fixInPreview()
	})
	content := container.NewVBox(body, note("Nothing has been sent. Fix them in the preview, or retry anyway: those jobs fail again, the others go through."), container.NewHBox(fix))
	d = v.u.confirmDialog(fmt.Sprintf("%s of %d would fail again", plural(rep.Rows(), "job"), len(failed)), "Retry anyway", "Cancel", content, func(ok bool) {
		if ok {
			v.retryNow(id)
		}
	})
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// retryNow queues every failed job of the task again.
func (v *tasksView) retryNow(id int64) {
	st := v.u.store()
	v.u.spawn(func() {
		n, err := st.RetryAllFailed(v.u.ctx, id)
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Retry all failed", err)
				return
			}
			v.u.status.setMessage("Queued %s again", plural(n, "job"))
			v.reload()
		})
	})
}

// derivedFromUserID are the cells that are usually made from the user id
// (the wizard's default templates: "{{ user name }}@{{ domain }}",
// "{{ user name }}-phone").
var derivedFromUserID = []wizard.Column{wizard.ColLinePort, wizard.ColDeviceName, wizard.ColEmail}

// followUserID makes the cells of an edit form that hold the user id, or
// its user part, follow an edit of the user id (the form of one job has
// no templates to apply again).
func followUserID(entries map[wizard.Column]*keyEntry) {
	uid := entries[wizard.ColUserID]
	if uid == nil {
		return
	}
	old := uid.Text
	uid.OnChanged = func(now string) {
		for _, c := range derivedFromUserID {
			if e := entries[c]; e != nil {
				e.SetText(followID(e.Text, old, now))
			}
		}
		old = now
	}
}

// followID replaces in v the user id old, or else its user part, by now's.
func followID(v, old, now string) string {
	if old == "" || now == "" {
		return v
	}
	if strings.Contains(v, old) {
		return strings.ReplaceAll(v, old, now)
	}
	// The user part only where it begins the value and ends at a
	// separator ("ann.lee-phone"), so "a" does not rewrite "acme".
	ou, _, _ := strings.Cut(old, "@")
	nu, _, _ := strings.Cut(now, "@")
	if ou != "" && strings.HasPrefix(v, ou) && (len(v) == len(ou) || !alnum(v[len(ou)])) {
		return nu + v[len(ou):]
	}
	return v
}

func alnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
