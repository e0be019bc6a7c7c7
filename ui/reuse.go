package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"bwbulk/desk"
	"bwbulk/wizard"
)

// Titles of the two ways to skip the wizard's first steps.
const (
	reuseGroup = "New users in this group"
	reuseTask  = "Start from this task"
)

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
		o, err := desk.ReadOrigin(v.u.ctx, st, t)
		fyne.Do(func() {
			if err != nil {
				v.u.showError(title, err)
				return
			}
			m := wizard.ForGroup(o.SP, o.IsEnterprise, o.Group, nil)
			note := fmt.Sprintf("New draft for %s/%s (the group of task %d)", o.SP, o.Group, id)
			switch {
			case answers && o.Model == nil:
				note = fmt.Sprintf("New draft for %s/%s with the defaults: task %d has no wizard answers to copy (its users came from a file)", o.SP, o.Group, id)
			case answers:
				m = o.Model.Reuse()
				note = reuseNote(id, m)
			}
			v.u.openPreset(title, m, note, o.Prior)
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
func (u *UI) openPreset(title string, m *wizard.Model, note string, prior *desk.Prior) {
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
			if offline && prior != nil && !at.After(prior.Updated) {
				f = f.After(prior.Outcome)
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
