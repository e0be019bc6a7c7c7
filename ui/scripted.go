package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// ScriptedDemo walks the running application through every screen on the
// demo server, saving a screenshot of the whole screen after each (see
// saveScreen; Fyne's own capture is blank under Xvfb). It runs in its own
// goroutine and drives the UI with fyne.DoAndWait.
func (u *UI) ScriptedDemo(dir string, log io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	n := 0
	shot := func(name string) error {
		time.Sleep(700 * time.Millisecond)
		n++
		out := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", n, name))
		if err := saveScreen(out); err != nil {
			return fmt.Errorf("screenshot %s: %w", name, err)
		}
		fmt.Fprintln(log, "saved", out)
		return nil
	}
	do := func(f func()) { fyne.DoAndWait(f) }
	idle := func() {
		for i := 0; i < 200; i++ {
			busy := false
			do(func() { busy = u.wizard.busyN > 0 })
			if !busy {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	wait := func(cond func() bool) {
		for i := 0; i < 200; i++ {
			ok := false
			do(func() { ok = cond() })
			if ok {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	w := u.wizard
	wait(func() bool { return u.status.conn == Online || u.status.conn == Offline })

	do(func() { u.Show(ScreenConnections); u.connections.edit(u.session.Profile()); u.connections.test() })
	wait(func() bool { return !u.connections.testBtn.Disabled() })
	if err := shot("connections"); err != nil {
		return err
	}

	do(func() { u.Show(ScreenNewUsers); w.reset(wizard.NewModel(), wizard.StepEnterprise, 0) })
	idle()
	do(func() { w.views[wizard.StepEnterprise].(*enterpriseStep).picked("acme-ent") })
	if err := shot("step-enterprise"); err != nil {
		return err
	}
	do(w.goNext)
	idle()
	do(func() { w.views[wizard.StepGroup].(*groupStep).picked("acme-hq") })
	if err := shot("step-group"); err != nil {
		return err
	}
	do(w.goNext)
	idle()
	do(func() { w.views[wizard.StepUserCount].(*userCountStep).count.set(25) })
	if err := shot("step-usercount"); err != nil {
		return err
	}
	steps := []struct {
		name string
		set  func()
	}{
		{"step-userid", nil},
		{"step-passwords", nil},
		{"step-names", func() {
			s := w.views[wizard.StepNames].(*namesStep)
			s.first.entry.SetText("Demo")
			s.last.entry.SetText("{{ index | pad 3 }}")
			u.win.Canvas().Focus(w.back) // the focus shows on the button
		}},
		{"step-numbers", func() {
			s := w.views[wizard.StepNumbers].(*numbersStep)
			s.mode.SetSelected(numList)
			s.add.SetText("2025550200-2025550224")
			s.add.OnSubmitted(s.add.Text)
		}},
		{"step-device", func() {
			s := w.views[wizard.StepDevice].(*deviceStep)
			s.mode.SetSelected(devHosted)
			s.devType.set("Generic SIP Phone")
		}},
		{"step-services", func() {
			s := w.views[wizard.StepServices].(*servicesStep)
			s.pickName("Basic")
			s.pickName("Voice Messaging User")
			s.search.SetText("voicemail") // finds it by its common name
		}},
		{"step-department", func() {
			s := w.views[wizard.StepDepartment].(*departmentStep)
			s.mode.SetSelected(depExisting)
			s.picked("grp:Sales")
			s.load()
		}},
		{"step-details", func() {
			s := w.views[wizard.StepDetails].(*detailsStep)
			s.lang.set("English")
		}},
		{"step-contact", func() {
			s := w.views[wizard.StepContact].(*templateStep)
			s.tfs[0].entry.SetText("{{ user name }}@acme.example.com")
		}},
		{"step-address", func() {
			s := w.views[wizard.StepAddress].(*templateStep)
			s.tfs[3].entry.SetText("Washington") // city
		}},
	}
	for _, st := range steps {
		do(w.goNext)
		idle()
		if st.set != nil {
			do(st.set)
		}
		if err := shot(st.name); err != nil {
			return err
		}
	}
	do(w.goNext)
	idle()
	if err := shot("step-preview"); err != nil {
		return err
	}
	// A cell selected, then the table given the keyboard and Left
	// pressed: the outline moves one cell and turns the text colour.
	do(func() {
		t := w.preview.table
		t.Select(widgetCell(2, 6))
		u.win.Canvas().Focus(t)
		t.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	})
	if err := shot("preview-cell-selected"); err != nil {
		return err
	}
	// The Services column: a row given a service the group is not
	// authorised for is refused, then put back.
	do(func() {
		v := w.preview
		for i, c := range v.cols {
			if c == wizard.ColServices {
				v.table.Select(widgetCell(1, i))
				v.applyEdit("Basic; Voice Messaging User; Hoteling Guest")
			}
		}
	})
	if err := shot("preview-services"); err != nil {
		return err
	}
	// Eleven rows given the Executive pack, of which 10 are left: the
	// eleventh is refused.
	def := w.m.ServicePacks[0] + wizard.ServiceListSeparator + w.m.Services[0]
	do(func() {
		v := w.preview
		v.applyEdit(def)
		exec := make([]string, 11)
		for i := range exec {
			exec[i] = "Basic; Executive; Voice Messaging User"
		}
		v.setColumn(wizard.ColServices, 0, exec)
		for i, c := range v.cols {
			if c == wizard.ColServices {
				v.table.Select(widgetCell(10, i))
			}
		}
	})
	if err := shot("preview-services-licences"); err != nil {
		return err
	}
	do(func() {
		v := w.preview
		back := make([]string, 11)
		for i := range back {
			back[i] = def
		}
		v.setColumn(wizard.ColServices, 0, back)
		v.table.Select(widgetCell(2, 6))
	})
	do(w.goNext) // Submit: the plan dialog
	if err := shot("submit-plan"); err != nil {
		return err
	}
	var plan *submitPlan
	var again, points *wizard.Model
	do(func() {
		again, points = w.m.Clone(), w.m.Clone()
		if w.preview.p == nil {
			return
		}
		p, err := buildPlan(w.m, w.preview.p, u.session.Profile().AdminUser, u.session.Profile().Address)
		if err == nil {
			plan = p
			plan.spec.Name, plan.spec.Ticket = "March starters", scriptedTicket
			u.dismissOverlays()
			w.preview.createTask(plan)
		}
	})
	if plan == nil {
		return fmt.Errorf("preview not valid: could not submit")
	}
	// Pause the task as soon as it is stored, to show a task part-way.
	wait(func() bool { return u.tasks.selected != 0 })
	var first int64
	do(func() { first = u.tasks.selected })
	do(func() { u.tasks.pause.OnTapped() })
	wait(func() bool {
		t, ok := u.tasks.current()
		return ok && jobs.Terminal(t.Status) || t.Status == jobs.StatusPaused
	})
	time.Sleep(time.Second)
	if err := shot("tasks-paused"); err != nil {
		return err
	}
	do(func() { u.tasks.resume.OnTapped() })
	wait(func() bool {
		t, ok := u.tasks.current()
		return ok && (t.Status == "completed" || t.Status == "failed")
	})
	time.Sleep(1500 * time.Millisecond)
	if err := shot("tasks-done"); err != nil {
		return err
	}
	if err := u.scriptedCollisions(again, shot, do, idle, wait); err != nil {
		return err
	}
	do(func() { u.Show(ScreenImport) })
	if err := shot("import"); err != nil {
		return err
	}
	// A help desk's sheet with columns bwbulk does not know: the mapping
	// screen, then what the import says once they are answered.
	do(func() {
		u.importer.load("helpdesk-march.csv", []byte(scriptedImportCSV))
	})
	wait(func() bool { return u.importer.mapping != nil })
	if err := shot("import-mapping"); err != nil {
		return err
	}
	do(func() {
		u.importer.mapping.choose("Handy", wizard.ColMobile.Title())
		u.importer.mapping.choose("Kostenstelle", ignoreColumn)
	})
	if err := shot("import-mapping-answered"); err != nil {
		return err
	}
	do(func() { u.importer.mapping.submit() })
	u.scriptedImportTo(do, wait)
	if err := shot("import-read"); err != nil {
		return err
	}
	do(func() { u.importer.toPreview() })
	wait(func() bool { return u.wizard.cur == wizard.StepPreview && u.wizard.preview.p != nil })
	if err := shot("import-preview"); err != nil {
		return err
	}
	// Undo one job of the first task: its plan, confirmed by typing the
	// group id, then the undo task done (24 of the 25 users stay).
	do(func() {
		u.Show(ScreenTasks)
		for i, t := range u.tasks.tasks {
			if t.ID == first {
				u.tasks.list.Select(i) // as a click on it
			}
		}
	})
	wait(func() bool {
		t, ok := u.tasks.current()
		return ok && t.ID == first && !u.tasks.undoBtn.Disabled() && len(u.tasks.jobs) > 0 && u.tasks.jobs[0].TaskID == first
	})
	do(func() { u.tasks.table.Select(widget.TableCellID{Row: 1, Col: 1}) })
	wait(func() bool { return u.tasks.jobSel != 0 })
	do(func() { u.tasks.undo(undoJob) })
	wait(func() bool { return u.tasks.undoDialog != nil })
	if err := shot("undo-plan"); err != nil {
		return err
	}
	do(func() {
		if u.tasks.undoTyped != nil {
			u.tasks.undoTyped.SetText(plan.spec.Jobs[0].Fields[wizard.FieldTargetGroup])
		}
	})
	if err := shot("undo-confirm"); err != nil {
		return err
	}
	do(func() {
		if u.tasks.undoConfirm != nil {
			u.tasks.undoConfirm.OnTapped()
		}
	})
	wait(func() bool { t, ok := u.tasks.current(); return ok && t.UndoOf == first && jobs.Terminal(t.Status) })
	time.Sleep(time.Second)
	if err := shot("undo-done"); err != nil {
		return err
	}
	if err := u.scriptedReuse(shot, do, idle, wait); err != nil {
		return err
	}
	if err := u.scriptedPoints(points, shot, do, idle, wait); err != nil {
		return err
	}
	do(func() { u.Show(ScreenDrafts); u.drafts.reload() })
	if err := shot("drafts"); err != nil {
		return err
	}
	do(func() { u.Show(ScreenSettings) })
	return shot("settings")
}

// scriptedImportCSV is the file the scripted demo imports: Excel EU
// style (semicolons), two unknown columns, punctuated numbers and MACs.
const scriptedImportCSV = "User ID;First Name;Last Name;Phone Number;Device Type;MAC Address;Kostenstelle;Handy\r\n" +
	"anna.berg@acme.example.com;Anna;Berg;+1 (202) 555-0160;Polycom VVX 450;00:04:F2:AB:01:60;4711;+49 170 1234567\r\n" +
	"jonas.keller@acme.example.com;Jonas;Keller;202.555.0161;Polycom VVX 450;0004.f2ab.0161;4711;+49 170 7654321\r\n" +
	"mia.roth@acme.example.com;Mia;Roth;2025550162;Polycom VVX 450;00-04-F2-AB-01-62;4712;\r\n"

// scriptedCollisions shows the check against the server on a second
// wizard that makes the same users again, the failed task it gives when
// submitted anyway, and Fix in preview on it.
func (u *UI) scriptedCollisions(m *wizard.Model, shot func(string) error, do func(func()), idle func(), wait func(func() bool)) error {
	w := u.wizard
	do(func() { u.Show(ScreenNewUsers); w.reset(m, wizard.StepPreview, 0) })
	idle()
	do(func() { w.preview.runCheck(nil) })
	wait(func() bool { return !w.preview.checking && w.preview.lastCheck != nil })
	if err := shot("preview-server-check"); err != nil {
		return err
	}
	do(func() { w.toggleSteps(); w.preview.table.Select(widgetCell(0, 0)) })
	if err := shot("preview-steps-hidden"); err != nil {
		return err
	}
	do(w.toggleSteps)
	do(w.goNext) // Submit: checked again, the collisions dialog
	wait(func() bool { return u.win.Canvas().Overlays().Top() != nil })
	if err := shot("submit-collisions"); err != nil {
		return err
	}
	var id int64
	do(func() {
		u.dismissOverlays()
		w.preview.confirming = false
		p, err := buildPlan(w.m, w.preview.p, u.session.Profile().AdminUser, u.session.Profile().Address)
		if err == nil {
			w.preview.createTask(p)
		}
	})
	wait(func() bool { id = u.tasks.selected; return id != 0 })
	wait(func() bool {
		t, ok := u.tasks.current()
		return ok && t.ID == id && jobs.Terminal(t.Status)
	})
	time.Sleep(1500 * time.Millisecond)
	do(func() { u.tasks.reload() })
	if err := shot("tasks-failed"); err != nil {
		return err
	}
	do(u.tasks.fixInPreview)
	wait(func() bool { return w.preview.fix != nil })
	idle()
	if err := shot("fix-in-preview"); err != nil {
		return err
	}
	do(func() {
		w.preview.replaceInColumn(wizard.ColUserID, "@", ".b@")
		w.preview.table.Select(widgetCell(0, 0))
	})
	if err := shot("fix-edited"); err != nil {
		return err
	}
	do(w.goNext) // the retry confirmation, after the check
	wait(func() bool { return u.win.Canvas().Overlays().Top() != nil })
	if err := shot("fix-retry"); err != nil {
		return err
	}
	do(func() {
		u.dismissOverlays()
		w.preview.confirming = false
		w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
	})
	return nil
}

// scriptedReuse shows the two ways past the first steps: Reuse… on the
// first task (its menu, Start from this task at the user count, numbers
// and preview steps), and New users in this group from the Import
// screen's group picker.
func (u *UI) scriptedReuse(shot func(string) error, do func(func()), idle func(), wait func(func() bool)) error {
	w := u.wizard
	do(func() {
		u.Show(ScreenTasks)
		if n := len(u.tasks.tasks); n > 0 {
			u.tasks.list.Select(n - 1) // the first task: newest first
		}
	})
	wait(func() bool { return !u.tasks.reuseBtn.Disabled() })
	do(func() { u.tasks.reuseBtn.OnTapped() })
	if err := shot("tasks-reuse-menu"); err != nil {
		return err
	}
	do(func() {
		u.dismissOverlays()
		u.tasks.reuse(true)
	})
	wait(func() bool { return u.nav.Selected() == u.tabs[ScreenNewUsers] && w.cur == wizard.StepUserCount })
	idle()
	if err := shot("reuse-task-usercount"); err != nil {
		return err
	}
	// advance presses Next until the wizard reaches step to (at most 20
	// presses, should a step stay invalid).
	advance := func(to wizard.Step) {
		for cur, i := wizard.StepUserCount, 0; cur < to && i < 20; i++ {
			do(w.goNext)
			idle()
			do(func() { cur = w.cur })
		}
	}
	advance(wizard.StepNumbers)
	if err := shot("reuse-task-numbers"); err != nil {
		return err
	}
	advance(wizard.StepPreview)
	if err := shot("reuse-task-preview"); err != nil {
		return err
	}
	do(func() { u.Show(ScreenImport) })
	wait(func() bool { return !u.importer.newHere.Disabled() })
	if err := shot("import-new-users-in-group"); err != nil {
		return err
	}
	do(func() { u.importer.newUsersHere() })
	wait(func() bool {
		return u.nav.Selected() == u.tabs[ScreenNewUsers] && w.cur == wizard.StepUserCount && w.draftID != 0
	})
	idle()
	return shot("reuse-group-usercount")
}
