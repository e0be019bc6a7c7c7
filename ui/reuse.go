package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Titles of the two ways to skip the wizard's first steps.
const (
	reuseGroup = "New users in this group"
	reuseTask  = "Start from this task"
)

// taskOrigin is what an earlier task's jobs say about where its users went
// and how the wizard made them.
type taskOrigin struct {
	sp, group    string
	isEnterprise bool
	// model is the wizard model the task was made from (on row 1's job,
	// desk.AddFixInfo); nil for imported users and tasks stored before it was
	// kept.
	model *wizard.Model
	// prior is what the task did to the group.
	prior *priorTask
}

// priorTask is what an earlier task did to its group, and when it last
// moved: an offline copy of the group read before then does not know it.
type priorTask struct {
	outcome wizard.TaskOutcome
	updated time.Time
}

// readOrigin reads the target and wizard model of task t from its jobs.
func readOrigin(ctx context.Context, st *jobs.Store, t jobs.Task) (taskOrigin, error) {
	id := t.ID
	j := rowOneJob(ctx, st, id, nil)
	if j.Fields == nil {
		// No row 1 (a task of fixes, say): any job names the target.
		js, err := st.Jobs(ctx, id, jobs.Filter{})
		if err != nil {
			return taskOrigin{}, err
		}
		if len(js) == 0 {
			return taskOrigin{}, fmt.Errorf("task %d has no users", id)
		}
		if j, err = st.Job(ctx, js[0].ID); err != nil {
			return taskOrigin{}, err
		}
	}
	o := taskOrigin{
		sp:           j.Fields[wizard.FieldTargetSP],
		group:        j.Fields[wizard.FieldTargetGroup],
		isEnterprise: j.Fields[wizard.FieldTargetEnterprise] == "true",
	}
	if o.sp == "" || o.group == "" {
		return taskOrigin{}, fmt.Errorf("task %d does not name its group", id)
	}
	if s := j.Fields[desk.FieldModel]; s != "" {
		m := wizard.NewModel()
		if json.Unmarshal([]byte(s), m) == nil && m.Enterprise.ID == o.sp && m.Group.ID == o.group {
			o.model = m
		}
	}
	o.prior = &priorTask{outcome: wizard.TaskOutcome{Users: t.Completed}, updated: t.Updated}
	if o.model != nil && o.model.Department.Mode == wizard.ModeCreate && t.Completed > 0 {
		o.prior.outcome.Department = o.model.Department.Name
	}
	if o.model != nil && o.model.Numbers.Mode != wizard.ModeNone && o.model.Numbers.Mode != "" {
		// Every job's number, done or not: a failed job may have been
		// given its number before it stopped.
		js, err := st.JobsWithPayload(ctx, id, jobs.Filter{})
		if err != nil {
			return taskOrigin{}, err
		}
		for _, j := range js {
			if n := j.Fields[wizard.ColPhoneNumber.String()]; n != "" {
				o.prior.outcome.Numbers = append(o.prior.outcome.Numbers, n)
			}
		}
	}
	return o, nil
}

// newReuseButton is the Tasks screen's menu of the two ways to start new
// users from the selected task.
func (v *tasksView) newReuseButton() *keyButton {
	return menuButton("Reuse…", theme.ContentCopyIcon(),
		fyne.NewMenuItem(reuseGroup, func() { v.reuse(false) }),
		fyne.NewMenuItem(reuseTask, func() { v.reuse(true) }))
}

// reuse opens the wizard at the user count step on the selected task's
// group: with the task's answers (answers), or with the defaults.
func (v *tasksView) reuse(answers bool) {
	st := v.u.store()
	t, ok := v.current()
	if st == nil || !ok || t.ID == 0 {
		return
	}
	id := t.ID
	title := reuseGroup
	if answers {
		title = reuseTask
	}
	v.u.spawn(func() {
		o, err := readOrigin(v.u.ctx, st, t)
		fyne.Do(func() {
			if err != nil {
				v.u.showError(title, err)
				return
			}
			m := wizard.ForGroup(o.sp, o.isEnterprise, o.group, nil)
			note := fmt.Sprintf("New draft for %s/%s (the group of task %d)", o.sp, o.group, id)
			switch {
			case answers && o.model == nil:
				note = fmt.Sprintf("New draft for %s/%s with the defaults: task %d has no wizard answers to copy (its users came from a file)", o.sp, o.group, id)
			case answers:
				m = o.model.Reuse()
				note = reuseNote(id, m)
			}
			v.u.openPreset(title, m, note, o.prior)
		})
	})
}

// reuseNote tells what a copy of task id's answers changed.
func reuseNote(id int64, m *wizard.Model) string {
	// Short enough for the status bar beside the connection line.
	s := fmt.Sprintf("Task %d copied: from index %d, new passwords", id, m.StartIndex)
	if m.Numbers.Mode == wizard.NumbersAvailable {
		s += " and numbers"
	}
	return s
}

// newUsersIn opens the wizard at the user count step for new users in an
// existing group (every other step has its defaults).
func (u *UI) newUsersIn(sp string, isEnterprise bool, group string) {
	u.openPreset(reuseGroup, wizard.ForGroup(sp, isEnterprise, group, nil), "New draft for "+sp+"/"+group, nil)
}

// openPreset loads the facts of m's group (from the offline copy when the
// server cannot be reached), opens the wizard on m at its first step
// (StepUserCount: the group is preset) and keeps it as a new draft; the
// status bar then says note ("New draft …"), and how old the catalogue is when offline.
// Errors go to a dialog titled title. prior, when not nil, is a task that
// ran in the group: an offline copy read before it is taken as changed by
// it (GroupFacts.After), so it does not offer what the task took.
func (u *UI) openPreset(title string, m *wizard.Model, note string, prior *priorTask) {
	cat := u.catalogue()
	// The age shown is that of the facts of this group.
	cat.ResetAge()
	sp, g := m.Enterprise.ID, m.Group.ID
	u.status.setMessage("Reading group %s/%s…", sp, g)
	u.spawn(func() {
		ctx, cancel := context.WithTimeout(u.ctx, 60*time.Second)
		defer cancel()
		f, err := wizard.LoadFacts(ctx, cat, sp, g)
		fyne.Do(func() {
			if err != nil {
				u.status.setMessage("")
				u.showError(title, err)
				return
			}
			at, offline := cat.Age()
			if offline && prior != nil && !at.After(prior.updated) {
				f = f.After(prior.outcome)
			}
			m.SetFacts(f)
			w := u.wizard
			w.reset(m, m.FirstStep(), 0)
			w.showCatalogueAge()
			u.Show(ScreenNewUsers)
			if offline {
				note += fmt.Sprintf(" · offline: catalogue from %s", age(time.Since(at)))
			}
			w.saveDraftNote(note)
		})
	})
}
