package ui

import (
	"context"
	"encoding/json"
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

// fixSession is the preview opened on the failed jobs of a task: each
// preview row is one job, retried (not created again) by Submit.
type fixSession struct {
	taskID int64
	jobIDs []int64
	// index is each job's row in the task (0-based): the templates
	// render it with that index.
	index []int
	// edited are the columns the templates do not make, by preview row:
	// hand edits of the task and of this fix, and the password.
	edited []map[wizard.Column]bool
	// base is the task's wizard model; nil for tasks stored before it
	// was kept (derived cells then stay as they are).
	base *wizard.Model
	// applied are the device names the jobs already created: not a
	// collision for the check.
	applied []string
}

// fixModel builds the model and session of a preview of failed jobs;
// model is row 1's job (may be the zero Job).
func fixModel(taskID int64, failed []jobs.Job, model jobs.Job) (*wizard.Model, *fixSession, error) {
	if len(failed) == 0 {
		return nil, nil, errors.New("the task has no failed jobs")
	}
	f := &fixSession{taskID: taskID}
	if s := model.Fields[desk.FieldModel]; s != "" {
		base := wizard.NewModel()
		if err := json.Unmarshal([]byte(s), base); err == nil {
			f.base = base
		}
	}
	first := failed[0].Fields
	var m *wizard.Model
	if f.base != nil {
		b, _ := json.Marshal(f.base)
		m = wizard.NewModel()
		_ = json.Unmarshal(b, m)
	} else {
		m = wizard.NewModel()
		m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: first[wizard.FieldTargetSP], IsEnterprise: first[wizard.FieldTargetEnterprise] == "true"}
		m.Group = wizard.GroupStep{Mode: wizard.ModeSelect, ID: first[wizard.FieldTargetGroup]}
		m.UserID.Domain = first[wizard.FieldTargetDomain]
		m.Release = first[wizard.FieldTargetRelease]
	}
	// The groups (and department) exist now: the task's setup ran.
	m.Enterprise.Mode, m.Group.Mode = wizard.ModeSelect, wizard.ModeSelect
	if m.Department.Mode == wizard.ModeCreate {
		m.Department.Mode = wizard.ModeSelect
	}
	m.Skip = true
	rows := make([]wizard.Row, len(failed))
	for i, j := range failed {
		rows[i] = wizard.RowFromFields(j.Fields)
		f.jobIDs = append(f.jobIDs, j.ID)
		f.index = append(f.index, j.Row-1)
		ed := map[wizard.Column]bool{wizard.ColPassword: true}
		for _, name := range strings.Split(j.Fields[desk.FieldEdited], ",") {
			if c, ok := wizard.ParseColumn(name); ok {
				ed[c] = true
			}
		}
		f.edited = append(f.edited, ed)
		if j.Step > 0 {
			if d := rows[i].Get(wizard.ColDeviceName); d != "" {
				f.applied = append(f.applied, d)
			}
		}
	}
	m.SetImported(rows)
	// Each row is shown by its job's row in the task.
	m.RowNumbers = make([]int, len(failed))
	for i, j := range failed {
		m.RowNumbers[i] = j.Row
	}
	return m, f, nil
}

// derive applies the task's templates again to preview rows rs of p: every
// cell not edited by hand follows the cells that were (a new user id
// gives a new line/port and device name).
func (f *fixSession) derive(p *wizard.Preview, rs []int) {
	if f.base == nil || len(rs) == 0 {
		return
	}
	b, err := json.Marshal(f.base)
	if err != nil {
		return
	}
	m := wizard.NewModel()
	if json.Unmarshal(b, m) != nil {
		return
	}
	m.Edits = map[int]map[wizard.Column]string{}
	maxK := 0
	for _, r := range rs {
		k := f.index[r]
		e := map[wizard.Column]string{}
		for c := range f.edited[r] {
			e[c] = p.Rows[r].Get(c)
		}
		m.Edits[k] = e
		maxK = max(maxK, k)
	}
	if m.UserCount < maxK+1 {
		m.UserCount = maxK + 1
	}
	sample, err := m.Sample(maxK + 1)
	if err != nil || len(sample) <= maxK {
		return
	}
	for _, r := range rs {
		d := &sample[f.index[r]]
		for _, c := range wizard.Columns() {
			if f.edited[r][c] {
				continue
			}
			if nv := d.Get(c); nv != p.Rows[r].Get(c) {
				p.Set(r, c, nv)
			}
		}
	}
}

// setCells sets cells of the preview; in a fix the cells the templates
// make from them follow. rows are preview rows.
func (v *previewView) setCells(col wizard.Column, rows []int, values []string) {
	for i, r := range rows {
		v.p.Set(r, col, values[i])
		if v.fix != nil {
			v.fix.edited[r][col] = true
		}
	}
	if v.fix != nil {
		v.fix.derive(v.p, rows)
	}
}

// openFix shows the failed jobs of a task in the preview.
func (w *wizardView) openFix(m *wizard.Model, f *fixSession) {
	w.reset(m, wizard.StepPreview, 0)
	w.preview.fix = f
	w.preview.fixInfo.SetText(fmt.Sprintf("Fixing %s of task %d: edit the cells, then Submit retries these jobs (no new task).", plural(len(f.jobIDs), "failed job"), f.taskID))
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
	t := v.p.Target()
	fields := make([]map[string]string, len(v.p.Rows))
	for r := range v.p.Rows {
		fields[r] = wizard.JobFields(t, v.p.Rows[r])
		var cols []string
		for c := range f.edited[r] {
			if c != wizard.ColPassword {
				cols = append(cols, c.String())
			}
		}
		if len(cols) > 0 {
			fields[r][desk.FieldEdited] = strings.Join(cols, ",")
		}
		if _, _, err := wizard.Replan(fields[r]); err != nil {
			u.showError(fmt.Sprintf("Row %d", f.index[r]+1), err)
			return
		}
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
	title := fmt.Sprintf("Retry %s of task %d?", plural(len(f.jobIDs), "job"), f.taskID)
	u.showDialog(u.confirmDialog(title, "Retry", "Cancel", note(checked), func(ok bool) {
		v.confirming = false
		if !ok {
			return
		}
		ids, taskID := f.jobIDs, f.taskID
		u.spawn(func() {
			var errs []string
			for r, id := range ids {
				if err := u.runner.EditJob(u.ctx, id, fields[r]); err != nil {
					errs = append(errs, fmt.Sprintf("row %d: %v", f.index[r]+1, err))
				}
			}
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
		ctx := v.u.ctx
		failed, err := st.JobsWithPayload(ctx, id, jobs.Filter{Status: jobs.StatusFailed})
		var model jobs.Job
		if err == nil {
			model = rowOneJob(ctx, st, id, failed)
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Fix in preview", err)
				return
			}
			m, f, err := fixModel(id, failed, model)
			if err != nil {
				v.u.showError("Fix in preview", err)
				return
			}
			v.u.wizard.openFix(m, f)
		})
	})
}

// rowOneJob returns the task's row 1 job with its fields (it carries the
// model), from failed when it is there.
func rowOneJob(ctx context.Context, st *jobs.Store, taskID int64, failed []jobs.Job) jobs.Job {
	for _, j := range failed {
		if j.Row == 1 {
			return j
		}
	}
	js, err := st.Jobs(ctx, taskID, jobs.Filter{Search: "1"})
	if err != nil {
		return jobs.Job{}
	}
	for _, j := range js {
		if j.Row == 1 {
			if full, err := st.Job(ctx, j.ID); err == nil {
				return full
			}
		}
	}
	return jobs.Job{}
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
		if err == nil && len(failed) > 0 {
			rep, checkErr = jobs.Check(ctx, v.u.session.Reads(), failedSpec(failed), nil)
			if rep != nil {
				rep.Problems = notOwnUser(failed, rep.Problems)
			}
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

// failedSpec is the check of failed jobs: their stored cells, in the
// group their fields name; devices their jobs created are theirs.
func failedSpec(failed []jobs.Job) jobs.CheckSpec {
	f := failed[0].Fields
	s := jobs.CheckSpec{Target: wizard.Target{
		ServiceProviderID: f[wizard.FieldTargetSP], GroupID: f[wizard.FieldTargetGroup], Domain: f[wizard.FieldTargetDomain],
		Release: f[wizard.FieldTargetRelease], IsEnterprise: f[wizard.FieldTargetEnterprise] == "true",
	}}
	for _, j := range failed {
		r := wizard.RowFromFields(j.Fields)
		s.Rows = append(s.Rows, r)
		if j.Step > 0 && r.Get(wizard.ColDeviceName) != "" {
			s.Target.ExistingDevices = append(s.Target.ExistingDevices, r.Get(wizard.ColDeviceName))
		}
	}
	return s
}

// notOwnUser drops the collisions of the failed jobs that created their
// user before they failed (their services were refused, say): the user,
// number and line/port the check finds taken are the job's own, and the
// retry reads them back instead of sending them again.
func notOwnUser(failed []jobs.Job, ps []wizard.Problem) []wizard.Problem {
	var out []wizard.Problem
	for _, p := range ps {
		if p.Row >= 1 && p.Row <= len(failed) && createdUser(failed[p.Row-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// createdUser reports whether the job's user add is among its applied
// commands.
func createdUser(j jobs.Job) bool {
	for i, c := range j.Commands {
		if i >= j.Step {
			break
		}
		if strings.HasPrefix(c.OCIName(), "UserAddRequest") {
			return true
		}
	}
	return false
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
