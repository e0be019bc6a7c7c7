package ui

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// tapMenuItem opens the menu of button b and taps its item label.
func tapMenuItem(t *testing.T, c fyne.Canvas, b *keyButton, label string) {
	t.Helper()
	if b.Disabled() {
		t.Fatalf("%q is disabled", b.Text)
	}
	test.Tap(b)
	top := c.Overlays().Top()
	if top == nil {
		t.Fatalf("%q opened no menu", b.Text)
	}
	var item fyne.Tappable
	walk(top, func(o fyne.CanvasObject) {
		v := reflect.ValueOf(o)
		if item != nil || v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return
		}
		// Fyne's menu items are unexported; their Item field is not.
		f := v.Elem().FieldByName("Item")
		if !f.IsValid() {
			return
		}
		if it, ok := f.Interface().(*fyne.MenuItem); ok && it.Label == label {
			item, _ = o.(fyne.Tappable)
		}
	})
	if item == nil {
		t.Fatalf("menu of %q has no %q", b.Text, label)
	}
	test.Tap(item)
}

// earlierTask is a task submitted from the wizard and run: 3 users of
// acme-ent/acme-hq with numbers (typed, or the first free ones when
// typed is false), hosted phones, a service pack, a new department, time
// zone, language, contact and address templates. It returns the task's
// id, the model it was made from and its rows.
func earlierTask(t *testing.T, h *harness, typed bool) (int64, *wizard.Model, []wizard.Row) {
	t.Helper()
	h.toStep(wizard.StepNumbers, 3)
	num := h.w.views[wizard.StepNumbers].(*numbersStep)
	if typed {
		num.mode.SetSelected(numList)
		num.add.SetText("2025550300-2025550302")
		num.add.OnSubmitted(num.add.Text)
	} else {
		num.mode.SetSelected(numAvailable)
	}
	h.next()
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Generic SIP Phone")
	h.next()
	h.w.views[wizard.StepServices].(*servicesStep).pickName("Basic")
	h.next()
	dep := h.w.views[wizard.StepDepartment].(*departmentStep)
	dep.mode.SetSelected(depExisting)
	dep.addDialog()
	form := h.u.win.Canvas().Overlays().Top()
	walk(form, func(o fyne.CanvasObject) {
		if e, ok := o.(*keyEntry); ok && e.PlaceHolder == "Marketing" {
			e.SetText("Lab")
		}
	})
	test.Tap(button(t, form, "Create"))
	h.next()
	det := h.w.views[wizard.StepDetails].(*detailsStep)
	det.tz.set("Europe/London")
	det.lang.set("French")
	h.next()
	h.w.views[wizard.StepContact].(*templateStep).tfs[4].entry.SetText("Agent") // title
	h.next()
	h.w.views[wizard.StepAddress].(*templateStep).tfs[3].entry.SetText("Springfield") // city
	h.next()
	v := h.w.preview
	if !v.p.Valid() {
		t.Fatalf("first preview invalid: %v", v.p.Problems())
	}
	m := h.w.m
	rows := slices.Clone(v.p.Rows)
	plan, err := buildPlan(m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	v.createTask(plan)
	id := h.u.tasks.selected
	if task := waitTask(t, h.store, id, 30*time.Second); task.Status != jobs.StatusCompleted {
		t.Fatalf("first task %+v", task)
	}
	if got := h.srv.Departments("acme-ent", "acme-hq"); !slices.Contains(got, "Lab") {
		t.Fatalf("department Lab not created: %v", got)
	}
	h.u.tasks.reload()
	return id, m, rows
}

func column(rows []wizard.Row, c wizard.Column) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Get(c))
	}
	return out
}

// TestReuse_startFromTask: Reuse → Start from this task on a finished
// task opens the wizard at step 3 on its group with its answers; the
// users made from them are new (ids past the task's, new passwords,
// numbers picked from what is free now) and the server takes them.
func TestReuse_startFromTask(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	id, before, old := earlierTask(t, h, true)
	drafts, _ := h.store.Drafts(context.Background())

	tapMenuItem(t, h.u.win.Canvas(), h.u.tasks.reuseBtn, reuseTask)
	w := h.w
	if h.u.nav.Selected().Text != ScreenNewUsers || w.cur != wizard.StepUserCount {
		t.Fatalf("screen %q, step %s", h.u.nav.Selected().Text, w.cur)
	}
	m := w.m
	if m == before {
		t.Fatal("the wizard kept the earlier model")
	}
	if m.Enterprise.ID != "acme-ent" || m.Group.ID != "acme-hq" || m.Group.Mode != wizard.ModeSelect || !m.Skip {
		t.Errorf("target %+v %+v", m.Enterprise, m.Group)
	}
	for name, eq := range map[string]bool{
		"user count": m.UserCount == 3,
		"user id":    m.UserID == before.UserID,
		"names":      m.Names == before.Names,
		"device":     m.Device == before.Device && m.Device.DeviceType == "Generic SIP Phone",
		"services":   slices.Equal(m.ServicePacks, []string{"Basic"}),
		"department": m.Department == wizard.DepartmentStep{Mode: wizard.ModeSelect, Name: "Lab"},
		"details":    m.Details == wizard.DetailsStep{TimeZone: "Europe/London", Language: "French"},
		"contact":    m.Contact == before.Contact && m.Contact.Title == "Agent",
		"address":    m.Address == before.Address && m.Address.City == "Springfield",
	} {
		if !eq {
			t.Errorf("%s not copied", name)
		}
	}
	if m.StartIndex != 4 || m.Passwords.Generated != nil || m.Numbers.Mode != wizard.NumbersAvailable || m.Numbers.Entries != nil {
		t.Errorf("start index %d, %d passwords, numbers %+v", m.StartIndex, len(m.Passwords.Generated), m.Numbers)
	}
	if w.catAge.Visible() {
		t.Errorf("online, yet %q", w.catAge.Text)
	}
	// A new draft, and the status bar says what was copied.
	if w.draftID == 0 {
		t.Error("no draft saved")
	}
	if now, _ := h.store.Drafts(context.Background()); len(now) != len(drafts)+1 {
		t.Errorf("%d drafts, had %d", len(now), len(drafts))
	}
	if msg := h.u.status.message.Text; !strings.HasPrefix(msg, "Task ") || !strings.Contains(msg, "copied: from index 4") {
		t.Errorf("status %q", msg)
	}

	for w.cur < wizard.StepPreview {
		h.next()
	}
	p := w.preview.p
	if !p.Valid() {
		t.Fatalf("copy's preview invalid: %v", p.Problems())
	}
	free, err := wizard.LoadFacts(context.Background(), h.u.catalogue(), "acme-ent", "acme-hq")
	if err != nil {
		t.Fatal(err)
	}
	if got := column(p.Rows, wizard.ColPhoneNumber); !slices.Equal(got, free.AvailableNumbers[:3]) {
		t.Errorf("numbers %v, want the first free %v", got, free.AvailableNumbers[:3])
	}
	for _, c := range []wizard.Column{wizard.ColUserID, wizard.ColPassword, wizard.ColPhoneNumber, wizard.ColDeviceName} {
		was := column(old, c)
		for i, v := range column(p.Rows, c) {
			if v == "" || slices.Contains(was, v) {
				t.Errorf("row %d %s %q: the earlier task has %q", i+1, c, v, was)
			}
		}
	}
	for i, r := range p.Rows {
		if r.Get(wizard.ColDepartment) != "Lab" || r.Get(wizard.ColTimeZone) != "Europe/London" || r.Get(wizard.ColTitle) != "Agent" {
			t.Errorf("row %d: %v", i+1, r.Fields())
		}
	}
	// The server takes them.
	plan, err := buildPlan(w.m, w.preview.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	w.preview.createTask(plan)
	if task := waitTask(t, h.store, h.u.tasks.selected, 30*time.Second); task.ID == id || task.Status != jobs.StatusCompleted || task.Completed != 3 {
		t.Errorf("second task %+v", task)
	}
	if n := len(h.srv.UsersInGroup("acme-ent", "acme-hq")); n < 6 {
		t.Errorf("%d users in acme-hq", n)
	}
}

// TestReuse_newUsersInGroup: "New users in this group", from a task and
// from the Import screen's group picker, opens the wizard at step 3 on
// that group with the defaults everywhere else.
func TestReuse_newUsersInGroup(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	earlierTask(t, h, true)
	defaults := func(t *testing.T, sp, group string) {
		t.Helper()
		w := h.w
		if h.u.nav.Selected().Text != ScreenNewUsers || w.cur != wizard.StepUserCount {
			t.Fatalf("screen %q, step %s", h.u.nav.Selected().Text, w.cur)
		}
		f, err := wizard.LoadFacts(context.Background(), h.u.catalogue(), sp, group)
		if err != nil {
			t.Fatal(err)
		}
		want := wizard.NewModel()
		want.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: sp, IsEnterprise: true}
		want.Group = wizard.GroupStep{Mode: wizard.ModeSelect, ID: group}
		want.UserID.Domain = f.Group.DefaultDomain
		want.Facts = f
		want.Skip = true
		want.Release = w.m.Release
		if !reflect.DeepEqual(w.m, want) {
			t.Errorf("model\n%+v\nwant\n%+v", w.m, want)
		}
		if w.draftID == 0 {
			t.Error("no draft saved")
		}
		for w.cur < wizard.StepPreview {
			h.next()
		}
		if p := w.preview.p; !p.Valid() || len(p.Rows) != 1 {
			t.Errorf("preview: %v", p.Problems())
		}
	}
	t.Run("from a task", func(t *testing.T) {
		tapMenuItem(t, h.u.win.Canvas(), h.u.tasks.reuseBtn, reuseGroup)
		defaults(t, "acme-ent", "acme-hq")
	})
	t.Run("from the Import screen", func(t *testing.T) {
		h.u.Show(ScreenImport)
		v := h.u.importer
		if !v.newHere.Disabled() {
			t.Error("enabled with no group picked")
		}
		v.spSel.SetSelected("acme-ent")
		v.groupSel.SetSelected("acme-branch")
		if v.next.Disabled() == v.newHere.Disabled() {
			t.Error("Preview and New users alike with a group and no file")
		}
		test.Tap(v.newHere)
		defaults(t, "acme-ent", "acme-branch")
	})
}

// TestReuse_offline: with the server gone, Start from this task opens the
// copy on the offline catalogue, says how old it is, and validates
// against it; the numbers the earlier task took are not offered again
// even if the copy is older than the task.
func TestReuse_offline(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	_, _, old := earlierTask(t, h, false)
	users := len(h.srv.UsersInGroup("acme-ent", "acme-hq"))
	h.srv.Close()

	tapMenuItem(t, h.u.win.Canvas(), h.u.tasks.reuseBtn, reuseTask)
	w := h.w
	if w.cur != wizard.StepUserCount || w.m.Group.ID != "acme-hq" || w.m.Facts == nil {
		t.Fatalf("step %s, group %q, facts %v", w.cur, w.m.Group.ID, w.m.Facts != nil)
	}
	if !w.catAge.Visible() || !strings.HasPrefix(w.catAge.Text, "Offline: catalogue from") {
		t.Errorf("age label %q (shown %v)", w.catAge.Text, w.catAge.Visible())
	}
	if msg := h.u.status.message.Text; !strings.Contains(msg, "offline: catalogue from") {
		t.Errorf("status %q", msg)
	}
	if w.draftID == 0 {
		t.Error("no draft saved")
	}
	// The copy was read before the task ran: its users count.
	if got := w.m.Facts.Group.UserCount; got != users {
		t.Errorf("offline user count %d, the group has %d", got, users)
	}
	// Validated against the cached facts: more users than the cached
	// licence headroom is refused on the spot.
	uc := w.views[wizard.StepUserCount].(*userCountStep)
	uc.count.entry.SetText(itoa(w.m.Facts.Group.Free() + 1))
	if got := w.m.Validate(wizard.StepUserCount)[wizard.FieldUserCount]; !w.next.Disabled() || !strings.Contains(got, "free licences in group acme-hq") {
		t.Errorf("%d users offline: Next enabled %v, error %q", w.m.UserCount, !w.next.Disabled(), got)
	}
	uc.count.entry.SetText("3")
	for w.cur < wizard.StepPreview {
		h.next()
	}
	p := w.preview.p
	if !p.Valid() {
		t.Fatalf("offline preview invalid: %v", p.Problems())
	}
	taken := column(old, wizard.ColPhoneNumber)
	for i, n := range column(p.Rows, wizard.ColPhoneNumber) {
		if n == "" || slices.Contains(taken, n) {
			t.Errorf("row %d number %q, the earlier task took %v", i+1, n, taken)
		}
	}
}
