package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"bwbulk/wizard"
)

// TestWizard_NextRules checks, step by step, that Next is disabled while
// the step's input is invalid and enabled once it is fixed, through the
// widgets a user would touch.
func TestWizard_NextRules(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	w := h.w
	nextOff := func(why string) {
		t.Helper()
		if !w.next.Disabled() {
			t.Errorf("step %s: Next enabled %s", w.cur, why)
		}
	}
	nextOn := func(why string) {
		t.Helper()
		if w.next.Disabled() {
			t.Errorf("step %s: Next disabled %s: %v", w.cur, why, w.m.Validate(w.cur))
		}
	}
	errLine := func(fs *fieldSet, f wizard.Field) string { return fs.errs[f].Text }

	// 1. Enterprise: nothing picked, then acme-ent from the loaded list.
	ent := w.views[wizard.StepEnterprise].(*enterpriseStep)
	nextOff("with no service provider")
	if len(ent.pick.shown) < 2 {
		t.Fatalf("service provider list not loaded: %v (%s)", ent.pick.shown, ent.pick.status.Text)
	}
	test.Type(ent.pick.search, "acme")
	if len(ent.pick.shown) != 1 || ent.pick.shown[0].ID != "acme-ent" {
		t.Fatalf("search acme shows %v", ent.pick.shown)
	}
	ent.pickID("acme-ent")
	nextOn("with acme-ent")
	if !w.back.Disabled() {
		t.Error("Back enabled on the first step")
	}
	h.next()

	// 2. Group.
	grp := w.views[wizard.StepGroup].(*groupStep)
	nextOff("with no group")
	if !grp.pickID("acme-hq") {
		t.Fatalf("acme-hq not listed: %v", grp.pick.shown)
	}
	nextOn("with acme-hq")
	h.next()
	if w.m.Facts == nil || w.m.Facts.Group.GroupID != "acme-hq" {
		t.Fatal("facts not loaded on leaving the group step")
	}

	// 3. User count: the title shows the free licences; above them, no Next.
	uc := w.views[wizard.StepUserCount].(*userCountStep)
	if !strings.Contains(uc.title.Text, "500 free licences") {
		t.Errorf("title = %q, want the free licences", uc.title.Text)
	}
	uc.count.entry.SetText("0")
	nextOff("with 0 users")
	uc.count.entry.SetText("501")
	nextOff("with more users than free licences")
	if msg := errLine(uc.fs, wizard.FieldUserCount); !strings.Contains(msg, "free licences") {
		t.Errorf("error line = %q", msg)
	}
	uc.count.entry.SetText("3")
	test.Tap(uc.count.plus)
	if w.m.UserCount != 4 {
		t.Errorf("after '+': %d users, want 4", w.m.UserCount)
	}
	nextOn("with 4 users")
	h.next()

	// 4. User id: empty template, then a tag from the picker.
	uid := w.views[wizard.StepUserID].(*userIDStep)
	uid.tpl.SetText("")
	nextOff("with an empty template")
	uid.tpl.SetText("u{{ unknown tag }}")
	nextOff("with an unknown tag")
	uid.tpl.SetText("hq.")
	uid.tpl.CursorColumn = 3
	insertAtCursor(uid.tpl, "{{ index | pad 3 }}")
	if w.m.UserID.Template != "hq.{{ index | pad 3 }}" {
		t.Errorf("template = %q", w.m.UserID.Template)
	}
	if !strings.Contains(uid.sample.l.Text, "hq.001@acme.example.com") {
		t.Errorf("sample = %q", uid.sample.l.Text)
	}
	nextOn("with a valid template")
	h.next()

	// 5. Passwords: both choices are valid; the rules are shown.
	pw := w.views[wizard.StepPasswords].(*passwordsStep)
	if pw.rules.Text == "" {
		t.Error("password rules not shown")
	}
	pw.mode.SetSelected(pwBlank)
	nextOn("with blank passwords")
	pw.mode.SetSelected(pwGenerate)
	nextOn("with generated passwords")
	h.next()

	// 6. Names.
	nm := w.views[wizard.StepNames].(*namesStep)
	nm.first.entry.SetText("")
	nextOff("without a first name")
	nm.first.entry.SetText("Desk")
	nextOn("with a first name")
	h.next()

	// 7. Numbers: a list needs entries; a range added with '+' fills it.
	num := w.views[wizard.StepNumbers].(*numbersStep)
	num.mode.SetSelected(numList)
	nextOff("with an empty number list")
	num.add.SetText("2025550300-2025550303")
	num.add.OnSubmitted(num.add.Text)
	nextOn("with a range of 4 numbers")
	if got := sampleText(w.m, wizard.ColExtension); len(got) == 0 || got[0] != "0300" {
		t.Errorf("extensions = %v, want 0300 first (4 digits)", got)
	}
	h.next()

	// 8. Device: hosted needs a type.
	dev := w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	nextOff("without a device type")
	dev.devType.set("No Such Phone")
	nextOff("with an unknown device type")
	dev.devType.set("Generic SIP Phone")
	nextOn("with Generic SIP Phone")
	h.next()

	// Services: optional, valid as it is.
	if w.tabs[wizard.StepServices].Selected().Text != "Optional" {
		t.Error("the Services step should open on its Optional tab")
	}
	nextOn("without services")
	h.next()

	// 9. Department: "existing" needs a pick.
	dep := w.views[wizard.StepDepartment].(*departmentStep)
	dep.mode.SetSelected(depExisting)
	nextOff("without a department")
	if !dep.pick.pick("grp:Sales") {
		t.Fatalf("Sales not listed: %v", dep.pick.shown)
	}
	nextOn("with Sales")
	h.next()

	// 10. Details: a typed unknown time zone blocks Next.
	det := w.views[wizard.StepDetails].(*detailsStep)
	if w.tabs[wizard.StepDetails].Selected().Text != "Optional" {
		t.Error("a step with nothing required should open on its Optional tab")
	}
	det.tz.set("Nowhere/Void")
	nextOff("with an unknown time zone")
	det.tz.set("")
	test.Type(det.tz.entry, "New_York")
	if len(det.tz.shown) != 1 {
		t.Errorf("time zone search New_York offers %v", det.tz.shown)
	}
	det.tz.set(det.tz.shown[0])
	nextOn("with America/New_York")
	h.next()

	// 11. Contact: a bad tag blocks Next.
	con := w.views[wizard.StepContact].(*templateStep)
	con.tfs[0].entry.SetText("{{ nope }}@x.example.com")
	nextOff("with an unknown tag in the e-mail")
	con.tfs[0].entry.SetText("{{ user name }}@acme.example.com")
	nextOn("with a valid e-mail template")
	h.next()

	// 12. Address: an unclosed tag blocks Next.
	adr := w.views[wizard.StepAddress].(*templateStep)
	adr.tfs[3].entry.SetText("{{ city")
	nextOff("with an unclosed tag")
	adr.tfs[3].entry.SetText("Washington")
	nextOn("with a city")
	h.next()

	// 13. Preview: valid, so Submit is enabled; a duplicate user id blocks it.
	if w.cur != wizard.StepPreview {
		t.Fatalf("at step %s, want preview", w.cur)
	}
	nextOn("with a valid preview")
	if !strings.HasPrefix(w.next.Text, "Submit") {
		t.Errorf("Next reads %q on the preview", w.next.Text)
	}
	w.preview.p.Set(1, wizard.ColUserID, w.preview.p.Rows[0].Get(wizard.ColUserID))
	w.preview.recheck()
	w.changed()
	nextOff("with a duplicate user id")

	// Back always works and keeps the values.
	test.Tap(w.back)
	if w.cur != wizard.StepAddress || w.m.Address.City != "Washington" {
		t.Errorf("Back went to %s, city %q", w.cur, w.m.Address.City)
	}
}

// TestWizard_StepListShowsCompletion checks the step list: completed
// steps are marked, later ones cannot be jumped to.
func TestWizard_StepListShowsCompletion(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPasswords, 5)
	w := h.w
	w.stepList.Select(int(wizard.StepNames))
	if w.cur != wizard.StepPasswords {
		t.Errorf("jumped ahead to %s", w.cur)
	}
	w.stepList.Select(int(wizard.StepEnterprise))
	if w.cur != wizard.StepEnterprise {
		t.Errorf("could not go back to the first step: at %s", w.cur)
	}
	if !w.canReach(wizard.StepPasswords) {
		t.Error("a reached step cannot be returned to")
	}
}

// TestWizard_CreateInline checks the '+' create-or-select path: a new
// enterprise and group typed in dialogs.
func TestWizard_CreateInline(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	w := h.w
	w.m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeCreate, ID: "new-ent", Domain: "new.example.com", IsEnterprise: true}
	ent := w.views[wizard.StepEnterprise].(*enterpriseStep)
	ent.refreshItems()
	w.changed()
	if ent.pick.shown[0].ID != "new-ent" || !strings.Contains(ent.pick.shown[0].Label, "will be created") {
		t.Errorf("new enterprise not listed first: %v", ent.pick.shown)
	}
	h.next()
	if w.cur != wizard.StepGroup {
		t.Fatalf("at %s", w.cur)
	}
	h.w.next.Refresh()
	if !w.next.Disabled() {
		t.Error("Next enabled with no group")
	}
}

// TestPreview_BuiltInBackground: a large preview is built off the UI
// goroutine: meanwhile the step says so and Submit is off; then the rows,
// counts and Submit appear. A build overtaken by Back is dropped.
func TestPreview_BuiltInBackground(t *testing.T) {
	old := asyncPreviewRows
	asyncPreviewRows = 1
	t.Cleanup(func() { asyncPreviewRows = old })
	h := newHarness(t, harnessOpts{})
	w, v := h.w, h.w.preview
	h.toStep(wizard.StepAddress, 40)
	// Background work waits here until run() (tests otherwise run it
	// inline).
	var queued []func()
	h.u.spawn = func(f func()) { queued = append(queued, f) }
	run := func() {
		for len(queued) > 0 {
			f := queued[0]
			queued = queued[1:]
			f()
		}
	}

	h.next()
	if w.cur != wizard.StepPreview || !v.building || len(queued) != 1 {
		t.Fatalf("at %s, building %v, %d queued", w.cur, v.building, len(queued))
	}
	if !w.next.Disabled() || !strings.HasPrefix(v.counts.Text, "Building the preview of 40 users") || len(v.rows) != 0 {
		t.Errorf("while building: Submit enabled %v, counts %q, %d rows", !w.next.Disabled(), v.counts.Text, len(v.rows))
	}
	// Export and paste wait for the rows, and say so.
	for _, press := range []func(){v.exportDialog, v.pasteColumn} {
		press()
		o := h.u.win.Canvas().Overlays().Top()
		if o == nil {
			t.Fatal("Export or Paste while building says nothing")
		}
		h.u.win.Canvas().Overlays().Remove(o)
	}
	run()
	if v.building || v.p == nil || len(v.rows) != 40 || v.counts.Text != "40 users · 0 with problems · 0 problems" {
		t.Fatalf("after the build: building %v, rows %d, counts %q", v.building, len(v.rows), v.counts.Text)
	}
	if w.next.Disabled() {
		t.Error("Submit disabled on a valid preview")
	}
	if len(w.m.Passwords.Generated) != 40 || w.m.Passwords.Generated[39] != v.p.Rows[39].Get(wizard.ColPassword) {
		t.Errorf("the model keeps %d generated passwords", len(w.m.Passwords.Generated))
	}
	// An edit goes to the wizard's model and is checked at once.
	v.table.Select(widgetCell(1, 0))
	v.applyEdit(v.p.Rows[0].Get(wizard.ColUserID))
	if !w.next.Disabled() || !w.m.Edited(1, wizard.ColUserID) {
		t.Errorf("after a duplicate user id: Submit enabled %v, edit in the model %v", !w.next.Disabled(), w.m.Edited(1, wizard.ColUserID))
	}

	// Back while a build runs: its result never shows.
	test.Tap(w.back)
	w.m.UserCount = 41
	h.next()
	test.Tap(w.back)
	run()
	if w.cur != wizard.StepAddress || len(v.rows) == 41 {
		t.Errorf("at %s with %d preview rows: a build for a visit left behind was shown", w.cur, len(v.rows))
	}
	if w.next.Disabled() {
		t.Error("Next stays disabled on the Address step once the build left behind ended")
	}
	// Coming back builds it again.
	h.next()
	run()
	if len(v.rows) != 41 || len(w.m.Passwords.Generated) != 41 {
		t.Errorf("%d rows, %d passwords after coming back", len(v.rows), len(w.m.Passwords.Generated))
	}
}

// TestPreview_StepMarksOffUIGoroutine: on a large preview, an edit's
// effect on the marks of the steps before it is worked out off the UI
// goroutine, edits meanwhile coalesced into one more check, and the marks
// then follow.
func TestPreview_StepMarksOffUIGoroutine(t *testing.T) {
	old := asyncMarkRows
	asyncMarkRows = 1
	t.Cleanup(func() { asyncMarkRows = old })
	h := newHarness(t, harnessOpts{})
	w, v := h.w, h.w.preview
	h.toStep(wizard.StepPreview, 3)
	var queued []func()
	h.u.spawn = func(f func()) { queued = append(queued, f) }
	run := func() {
		for len(queued) > 0 {
			f := queued[0]
			queued = queued[1:]
			f()
		}
	}
	// Every row the same user id: the User ID step is not complete.
	w.m.UserID.Template = "same@acme.example.com"
	w.goTo(wizard.StepPreview)
	run()
	if w.cur != wizard.StepPreview || w.stepOK[wizard.StepUserID] || v.p.Valid() {
		t.Fatalf("at %s, User ID marked complete %v, preview valid %v", w.cur, w.stepOK[wizard.StepUserID], v.p.Valid())
	}
	// Rows 2 and 3 given their own ids by hand: the step's template makes
	// no duplicate any more in the rows it gives.
	v.table.Select(widgetCell(1, 0))
	v.applyEdit("b@acme.example.com")
	v.table.Select(widgetCell(2, 0))
	v.applyEdit("c@acme.example.com")
	if !v.p.Valid() {
		t.Fatalf("preview after the edits: %v", v.p.Problems())
	}
	if len(queued) != 1 || w.stepOK[wizard.StepUserID] {
		t.Fatalf("%d checks queued (want 1: the second edit waits for it), User ID marked complete %v before the check ran", len(queued), w.stepOK[wizard.StepUserID])
	}
	run()
	if !w.stepOK[wizard.StepUserID] || w.marking {
		t.Errorf("after the checks: User ID marked complete %v, still marking %v", w.stepOK[wizard.StepUserID], w.marking)
	}
}
