package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// press delivers a key to the window as the desktop driver does
// (internal/driver/glfw window.processKeyPressed): KeyDown to the focused
// widget, Tab moves the focus unless the widget takes Tab, then TypedKey
// to the focused widget, or to the canvas when nothing is focused.
func press(w fyne.Window, name fyne.KeyName) {
	c := w.Canvas()
	ev := &fyne.KeyEvent{Name: name}
	if k, ok := c.Focused().(desktop.Keyable); ok {
		k.KeyDown(ev)
	}
	if name == fyne.KeyTab {
		if t, ok := c.Focused().(fyne.Tabbable); !ok || !t.AcceptsTab() {
			c.FocusNext()
			return
		}
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
	if k, ok := c.Focused().(desktop.Keyable); ok {
		k.KeyUp(ev)
	}
}

// typeText types s into the focused widget, rune by rune.
func typeText(t *testing.T, w fyne.Window, s string) {
	t.Helper()
	f := w.Canvas().Focused()
	if f == nil {
		t.Fatalf("typing %q with nothing focused", s)
	}
	for _, r := range s {
		f.TypedRune(r)
	}
}

// tabTo presses Tab until target has the focus; it fails after max presses.
func tabTo(t *testing.T, w fyne.Window, target fyne.Focusable, max int) int {
	t.Helper()
	for n := 1; n <= max; n++ {
		press(w, fyne.KeyTab)
		if w.Canvas().Focused() == target {
			return n
		}
	}
	t.Fatalf("%d Tabs did not reach %T (focus on %T)", max, target, w.Canvas().Focused())
	return 0
}

// TestKeyboard_WizardAndSubmit creates users with key events only: each
// step takes the keyboard when shown, Enter picks and goes Next, Tab
// reaches Next, Escape cancels the Submit dialog, and in it the task's
// name and ticket are typed and Enter submits. The runner creates the
// users on the simulator.
func TestKeyboard_WizardAndSubmit(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	w := h.u.win
	h.u.Show(ScreenTasks)
	press(w, fyne.KeyTab) // something focused on another screen
	// Ctrl+1 opens New users.
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: fyne.KeyModifierShortcutDefault})
	if h.u.nav.Selected() != h.u.tabs[ScreenNewUsers] {
		t.Fatalf("Ctrl+1 showed %s", h.u.nav.Selected().Text)
	}

	// Step 1: the search box has the keyboard; Enter with no match shown
	// does nothing, a typed id and Enter pick it and go on.
	es := h.w.views[wizard.StepEnterprise].(*enterpriseStep)
	if w.Canvas().Focused() != es.pick.search {
		t.Fatalf("step 1 opens with %T focused, want its search box", w.Canvas().Focused())
	}
	typeText(t, w, "zzz-none")
	press(w, fyne.KeyReturn)
	if h.w.cur != wizard.StepEnterprise {
		t.Fatalf("Enter with nothing matching went to %s", h.w.cur)
	}
	es.pick.search.SetText("")
	typeText(t, w, "acme-ent")
	// Tab reaches Next once the step is valid (picked by Enter below);
	// first prove the Tab order gets there from the search box.
	es.pickID("acme-ent")
	w.Canvas().Focus(es.pick.search)
	tabTo(t, w, h.w.next, 40)
	press(w, fyne.KeyReturn) // Enter on the focused Next
	if h.w.cur != wizard.StepGroup {
		t.Fatalf("Enter on Next: step %s", h.w.cur)
	}

	// Step 2: type to filter, Enter picks the first match and goes on.
	gs := h.w.views[wizard.StepGroup].(*groupStep)
	if w.Canvas().Focused() != gs.pick.search {
		t.Fatalf("step 2 opens with %T focused", w.Canvas().Focused())
	}
	typeText(t, w, "acme-hq")
	press(w, fyne.KeyReturn)
	if h.w.cur != wizard.StepUserCount || h.w.m.Group.ID != "acme-hq" {
		t.Fatalf("after Enter in the group search: step %s, group %q", h.w.cur, h.w.m.Group.ID)
	}

	// Step 3: the count has the keyboard; Ctrl+A, 3, Enter.
	uc := h.w.views[wizard.StepUserCount].(*userCountStep)
	if w.Canvas().Focused() != uc.count.entry {
		t.Fatalf("step 3 opens with %T focused", w.Canvas().Focused())
	}
	uc.count.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	typeText(t, w, "3")
	press(w, fyne.KeyReturn)

	// The other steps: Enter goes on from whatever the step focuses.
	for i := 0; h.w.cur != wizard.StepPreview; i++ {
		if i > 20 {
			t.Fatalf("stuck on step %s: %v", h.w.cur, h.w.m.Validate(h.w.cur))
		}
		if w.Canvas().Focused() == nil {
			t.Fatalf("step %s opens with nothing focused", h.w.cur)
		}
		press(w, fyne.KeyReturn)
	}
	if got := len(h.w.preview.p.Rows); got != 3 {
		t.Fatalf("preview has %d rows", got)
	}

	// Preview: Next (Submit…) has the keyboard; Enter opens the plan,
	// Escape cancels it, nothing is stored.
	if w.Canvas().Focused() != h.w.next {
		t.Fatalf("preview opens with %T focused, want Submit…", w.Canvas().Focused())
	}
	press(w, fyne.KeyReturn)
	if w.Canvas().Overlays().Top() == nil || h.w.preview.submitName == nil {
		t.Fatal("Enter on Submit… showed no plan")
	}
	press(w, fyne.KeyEscape)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the plan open")
	}
	if ts, _ := h.store.ListTasks(context.Background()); len(ts) != 0 {
		t.Fatalf("Escape stored %d tasks", len(ts))
	}

	// Again: the name field has the keyboard; name, Tab, ticket, Enter.
	w.Canvas().Focus(h.w.next)
	press(w, fyne.KeyReturn)
	if w.Canvas().Focused() != h.w.preview.submitName {
		t.Fatalf("the plan opens with %T focused, want the task name", w.Canvas().Focused())
	}
	typeText(t, w, "Spring hires")
	tabTo(t, w, h.w.preview.submitTicket, 1)
	typeText(t, w, "CHG-1042")
	press(w, fyne.KeyReturn)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter left the plan open")
	}
	if h.u.nav.Selected() != h.u.tabs[ScreenTasks] {
		t.Fatalf("after Submit the window shows %s", h.u.nav.Selected().Text)
	}

	var task jobs.Task
	deadline := time.Now().Add(20 * time.Second)
	for {
		ts, _ := h.store.ListTasks(context.Background())
		if len(ts) == 1 && ts[0].Status == jobs.StatusCompleted {
			task = ts[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tasks = %+v", ts)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if task.Name != "Spring hires" || task.Ticket != "CHG-1042" || task.Completed != 3 {
		t.Errorf("task = %+v", task)
	}
	// Tasks shows the name and ticket and finds the task by either.
	tv := h.u.tasks
	tv.reload()
	if len(tv.tasks) != 1 || !strings.Contains(tv.title.Text, "Spring hires") || !strings.Contains(tv.title.Text, "CHG-1042") {
		t.Errorf("Tasks: %d tasks, title %q", len(tv.tasks), tv.title.Text)
	}
	for q, want := range map[string]int{"chg-1042": 1, "spring": 1, "acme-hq": 1, "CHG-9": 0} {
		tv.taskSearch.SetText(q)
		if len(tv.tasks) != want {
			t.Errorf("task search %q: %d tasks, want %d", q, len(tv.tasks), want)
		}
	}
	for _, r := range h.w.preview.p.Rows {
		id := r.Get(wizard.ColUserID)
		if _, ok := h.srv.User(id); !ok {
			t.Errorf("user %s is not on the server", id)
		}
	}
}

// shortcut sends a shortcut to the window as a key combination would.
func shortcut(w fyne.Window, s fyne.Shortcut) {
	c := w.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok { // as glfw's triggersShortcut
		f.TypedShortcut(s)
		return
	}
	if sc, ok := c.(interface{ TypedShortcut(fyne.Shortcut) }); ok {
		sc.TypedShortcut(s)
	}
}

// TestConnections_InsecureNeedsConfirmation: a click on "Do not verify the
// TLS certificate" asks first; Escape leaves it off, confirming ticks it,
// and a profile loaded with it ticked does not ask.
func TestConnections_InsecureNeedsConfirmation(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.Show(ScreenConnections)
	v := h.u.connections
	w := h.u.win
	test.Tap(v.insecure)
	if v.insecure.Checked || w.Canvas().Overlays().Top() == nil {
		t.Fatalf("one click ticked it: checked %v", v.insecure.Checked)
	}
	press(w, fyne.KeyEscape)
	if v.insecure.Checked || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("after Escape: checked %v", v.insecure.Checked)
	}
	test.Tap(v.insecure)
	press(w, fyne.KeyReturn)
	if !v.insecure.Checked || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("after confirming: checked %v", v.insecure.Checked)
	}
	v.edit(jobs.Profile{Name: "lab", Address: "lab:2209", Transport: "tls", Insecure: true})
	if !v.insecure.Checked || w.Canvas().Overlays().Top() != nil {
		t.Error("loading a profile asked for confirmation")
	}
}

// TestKeyboard_TasksUndo works Tasks with keys only: Ctrl+3 opens it, Tab
// reaches the task list, Down and Space pick the older task, Tab reaches
// Undo…, Enter opens its menu, Down and Enter pick "Undo whole task…",
// the confirmation field has the keyboard (its placeholder is not the
// answer), the group id typed and Enter undo the task; the task then
// reads "undone by" and Undo… is off.
func TestKeyboard_TasksUndo(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	w := h.u.win
	first, _ := runTask(t, h, "keys.a@acme.example.com", "keys.b@acme.example.com")
	second, _ := runTask(t, h, "keys.c@acme.example.com")
	h.u.Show(ScreenNewUsers)
	shortcut(w, &desktop.CustomShortcut{KeyName: fyne.Key3, Modifier: fyne.KeyModifierShortcutDefault})
	v := h.u.tasks
	if h.u.nav.Selected() != h.u.tabs[ScreenTasks] {
		t.Fatalf("Ctrl+3 showed %s", h.u.nav.Selected().Text)
	}
	v.reload()
	if len(v.tasks) != 2 || v.tasks[0].ID != second {
		t.Fatalf("tasks %+v", v.tasks)
	}
	w.Canvas().Focus(v.taskSearch)
	tabTo(t, w, v.list, 10)
	press(w, fyne.KeyDown) // the list's focus from the newest to the older task
	press(w, fyne.KeySpace)
	if v.selected != first {
		t.Fatalf("Down, Space selected task %d, want %d", v.selected, first)
	}
	waitFor(t, func() bool { cur, ok := v.current(); return ok && cur.ID == first && !v.undoBtn.Disabled() })
	tabTo(t, w, v.undoBtn, 40)
	press(w, fyne.KeyReturn)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("Enter on Undo… opened no menu")
	}
	press(w, fyne.KeyDown)
	press(w, fyne.KeyReturn)
	waitFor(t, func() bool { return v.undoDialog != nil })
	if w.Canvas().Focused() != v.undoTyped {
		t.Fatalf("the undo plan opens with %T focused", w.Canvas().Focused())
	}
	if ph := v.undoTyped.PlaceHolder; strings.Contains(ph, "acme-hq") {
		t.Errorf("the confirmation's placeholder gives the answer: %q", ph)
	}
	typeText(t, w, "acme-hq")
	press(w, fyne.KeyReturn)
	var undo jobs.Task
	waitFor(t, func() bool {
		ts, _ := h.store.ListTasks(context.Background())
		for _, t := range ts {
			if t.UndoOf == first && jobs.Terminal(t.Status) {
				undo = t
				return true
			}
		}
		return false
	})
	if undo.Completed != 2 {
		t.Fatalf("undo task = %+v", undo)
	}
	v.selectTask(first)
	v.reload()
	waitFor(t, func() bool { cur, ok := v.current(); return ok && cur.ID == first })
	if !strings.Contains(v.detail.Text, "undone by task") || !v.undoBtn.Disabled() {
		t.Errorf("after the undo: header %q, Undo… enabled %v", v.detail.Text, !v.undoBtn.Disabled())
	}
}

// TestConnections_FormStaysPut: the form's fields, the TLS tick box and
// the buttons keep their places on screen whatever shows below them — a
// test's result, a failure's long explanation, the demo's note — and when
// another profile is picked, so a click lands where the pointer aimed.
func TestConnections_FormStaysPut(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.Show(ScreenConnections)
	v := h.u.connections
	d := fyne.CurrentApp().Driver()
	where := func() [3]fyne.Position {
		return [3]fyne.Position{d.AbsolutePositionForObject(v.host), d.AbsolutePositionForObject(v.insecure), d.AbsolutePositionForObject(v.testBtn)}
	}
	v.edit(h.u.session.Profile())
	at := where()
	if at[1].Y <= at[0].Y || at[2].Y <= at[1].Y {
		t.Fatalf("positions %v", at)
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"a successful test", v.test},
		{"a failed test", func() { v.password.SetText("wrong"); v.test() }},
		{"another profile", func() {
			v.edit(jobs.Profile{Name: "lab", Address: "lab.example.net:2209", Transport: "tls", AdminUser: "admin"})
		}},
		{"the demo again", func() { v.edit(h.u.session.Profile()) }},
	}
	for _, st := range steps {
		st.do()
		if got := where(); got != at {
			t.Errorf("after %s: host, TLS box, Test connection at %v, were at %v", st.name, got, at)
		}
	}
}
