package ui

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// colIndex is the table column of c.
func colIndex(v *previewView, c wizard.Column) int {
	for i, x := range v.cols {
		if x == c {
			return i
		}
	}
	return -1
}

// serverCols lists the columns of row r the check marked, sorted.
func serverCols(v *previewView, r int) []string {
	var out []string
	for c, msg := range v.bad[r] {
		if strings.HasPrefix(msg, "on the server: ") {
			out = append(out, c.String())
		}
	}
	sort.Strings(out)
	return out
}

// TestPreview_CheckMarksServerCollisions: Check against server marks a
// user id that exists with the reason, in red, and the mark goes when the
// cell is edited.
func TestPreview_CheckMarksServerCollisions(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 3)
	v := h.w.preview
	v.p.Set(1, wizard.ColUserID, "branch.user01@acme.example.com")
	v.recheck()
	test.Tap(v.checkBtn)
	if got := serverCols(v, 1); strings.Join(got, ",") != "userId" {
		t.Fatalf("row 2 marked %v, want userId", got)
	}
	if msg := v.bad[1][wizard.ColUserID]; !strings.Contains(msg, "already exists on the server (in acme-ent/acme-branch)") {
		t.Errorf("reason = %q", msg)
	}
	if len(serverCols(v, 0))+len(serverCols(v, 2)) != 0 {
		t.Errorf("rows 1 and 3 marked: %v %v", v.bad[0], v.bad[2])
	}
	if !strings.Contains(v.checkInfo.Text, "1 user of 3 would fail (1 cell marked in red)") {
		t.Errorf("check line = %q", v.checkInfo.Text)
	}
	if v.counts.Text != "3 users · 1 with problems · 1 problem, 1 of them on the server" {
		t.Errorf("counts = %q", v.counts.Text)
	}
	if !strings.Contains(v.problems.Text, "Row 2, User ID: on the server: user branch.user01@acme.example.com already exists") {
		t.Errorf("problems = %q", v.problems.Text)
	}
	col := colIndex(v, wizard.ColUserID)
	cell := v.table.CreateCell()
	v.updateCell(widget.TableCellID{Row: 1, Col: col}, cell)
	if cellBackground(cell) != badCellColor {
		t.Error("the colliding cell is not drawn in red")
	}
	v.table.Select(widget.TableCellID{Row: 1, Col: col})
	if !strings.Contains(v.cellInfo.Text, "problem: on the server") {
		t.Errorf("cell info = %q", v.cellInfo.Text)
	}
	v.editor.SetText("someone.new@acme.example.com")
	v.editor.OnSubmitted(v.editor.Text)
	if got := serverCols(v, 1); len(got) != 0 {
		t.Errorf("still marked after the edit: %v", got)
	}
	// At once, with no new check: the cell is drawn plain, the lines no
	// longer say it would fail.
	v.updateCell(widget.TableCellID{Row: 1, Col: col}, cell)
	if cellBackground(cell) == badCellColor {
		t.Error("the edited cell is still drawn in red")
	}
	if strings.Contains(v.checkInfo.Text, "would fail") || !strings.Contains(v.checkInfo.Text, "the 1 user that would have failed is edited since") {
		t.Errorf("check line after the fix = %q", v.checkInfo.Text)
	}
	if strings.Contains(v.cellInfo.Text, "on the server") || strings.Contains(v.problems.Text, "on the server") {
		t.Errorf("cell info %q, problems %q", v.cellInfo.Text, v.problems.Text)
	}
	// Put back: the old mark holds again, as the server still has it.
	v.editor.SetText("branch.user01@acme.example.com")
	v.editor.OnSubmitted(v.editor.Text)
	if !strings.Contains(v.checkInfo.Text, "1 user of 3 would fail") {
		t.Errorf("check line put back = %q", v.checkInfo.Text)
	}
}

// TestPreview_CheckOffline: with the server unreachable the check says it
// could not run and what happens once connected; Submit still offers the
// plan, with the same words.
func TestPreview_CheckOffline(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	h.u.status.setConnectivity(Offline, "demo")
	test.Tap(v.checkBtn)
	if !strings.HasPrefix(v.checkInfo.Text, "Could not check against the server") || !strings.Contains(v.checkInfo.Text, "The check runs by itself when the server is reachable again") {
		t.Errorf("check line = %q", v.checkInfo.Text)
	}
	// Back online: the check runs by itself.
	h.u.status.setConnectivity(Online, "demo")
	if v.lastCheck == nil || v.lastCheck.err != nil || !strings.Contains(v.checkInfo.Text, "Checked against the server") {
		t.Errorf("after reconnecting: %q", v.checkInfo.Text)
	}
	h.u.status.setConnectivity(Offline, "demo")
	test.Tap(v.checkBtn)
	v.submit()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan offline")
	}
	if shown := strings.Join(texts(top), "\n"); !strings.Contains(shown, "The check against the server could not run") {
		t.Errorf("plan reads:\n%s", shown)
	}
}

// TestSubmit_OneConfirmationAtATime: Submit pressed again while its
// confirmation is open opens no second one.
func TestSubmit_OneConfirmationAtATime(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	v.submit()
	v.submit()
	h.next()
	if n := len(h.u.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open, want 1", n)
	}
	test.Tap(button(t, h.u.win.Canvas().Overlays().Top(), "Cancel"))
	v.submit()
	if n := len(h.u.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("after Cancel, Submit opened %d dialogs, want 1", n)
	}
}

// walkToPreview fills the wizard for n users with numbers from first on,
// hosted on Generic SIP Phones, up to the preview.
func walkToPreview(h *harness, n int, numbers string) *previewView {
	h.t.Helper()
	h.toStep(wizard.StepNumbers, n)
	num := h.w.views[wizard.StepNumbers].(*numbersStep)
	num.mode.SetSelected(numList)
	num.add.SetText(numbers)
	num.add.OnSubmitted(num.add.Text)
	h.next()
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Generic SIP Phone")
	for h.w.cur < wizard.StepPreview {
		h.next()
	}
	if !h.w.preview.p.Valid() {
		h.t.Fatalf("preview invalid: %v", h.w.preview.p.Problems())
	}
	return h.w.preview
}

// TestFlow_ReusedIDsFixedInOnePass: a second wizard that reuses the user
// ids, numbers and devices of a task that was created is checked before
// it is sent; every colliding cell is marked, one find and replace per
// column fixes them all, and the task then creates every user.
func TestFlow_ReusedIDsFixedInOnePass(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	walkToPreview(h, 4, "2025550300-2025550303")
	h.next() // Submit: checked, nothing collides, the plan
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan")
	}
	if shown := strings.Join(texts(top), "\n"); !strings.Contains(shown, "Checked against the server: nothing collides.") {
		t.Errorf("plan reads:\n%s", shown)
	}
	test.Tap(button(t, top, "Submit"))
	first := waitTask(t, h.store, h.u.tasks.selected, 30*time.Second)
	if first.Completed != 4 {
		t.Fatalf("first task = %+v", first)
	}

	// The same again, in a new wizard.
	h.u.Show(ScreenNewUsers)
	if h.w.cur != wizard.StepEnterprise {
		t.Fatalf("new wizard opens on %s", h.w.cur)
	}
	// (Numbers in use are refused on the Numbers step already.)
	v := walkToPreview(h, 4, "2025550304-2025550307")
	h.next() // Submit: the check finds every user colliding
	top = h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Submit showed nothing")
	}
	shown := strings.Join(texts(top), "\n")
	if !strings.Contains(shown, "4 users of 4 would fail on the server") && !strings.Contains(shown, "Row 1, User ID: user ") {
		t.Errorf("collision dialog reads:\n%s", shown)
	}
	test.Tap(button(t, top, "Fix them"))
	if !v.errorsOnly.Checked || len(v.rows) != 4 {
		t.Errorf("Fix them: errors only %v, %d rows", v.errorsOnly.Checked, len(v.rows))
	}
	for r := range 4 {
		got := strings.Join(serverCols(v, r), ",")
		for _, want := range []string{"userId", "deviceName", "linePort"} {
			if !strings.Contains(got, want) {
				t.Errorf("row %d: %s not marked (marked: %s)", r+1, want, got)
			}
		}
	}
	// One pass over the user ids: their device names and line/ports
	// follow.
	if n := v.replaceInColumn(wizard.ColUserID, "@", ".b@"); n != 4 {
		t.Errorf("replaced %d user ids", n)
	}
	test.Tap(v.checkBtn)
	for r := range 4 {
		if got := serverCols(v, r); len(got) > 0 {
			t.Errorf("row %d still collides: %v (%v)", r+1, got, v.bad[r])
		}
	}
	if !strings.Contains(v.checkInfo.Text, "none of the 4 users collides") {
		t.Errorf("check line = %q", v.checkInfo.Text)
	}
	h.next()
	top = h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan after the fix")
	}
	test.Tap(button(t, top, "Submit"))
	second := waitTask(t, h.store, h.u.tasks.selected, 30*time.Second)
	if second.Completed != 4 || second.Failed != 0 {
		t.Fatalf("second task = %+v", second)
	}
	if n := len(h.srv.UsersInGroup("acme-ent", "acme-hq")); n != 8 {
		t.Errorf("%d users in acme-hq, want 8", n)
	}
	ts, _ := h.store.ListTasks(context.Background())
	if len(ts) != 2 {
		t.Errorf("%d tasks", len(ts))
	}
}

// TestFlow_FixInPreview: the failed jobs of a task open in the preview;
// an edited user id brings its line/port and device name along (the
// templates apply again), and Submit retries the same jobs: the task
// ends with every user created and no second task.
func TestFlow_FixInPreview(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	v := walkToPreview(h, 4, "2025550300-2025550303")
	// Rows 2 and 4 take user ids that exist.
	v.setCells(wizard.ColUserID, []int{1, 3}, []string{"branch.user01@acme.example.com", "branch.user02@acme.example.com"})
	v.recheck()
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	v.createTask(plan)
	id := h.u.tasks.selected
	task := waitTask(t, h.store, id, 30*time.Second)
	if task.Completed != 2 || task.Failed != 2 {
		t.Fatalf("task = %+v, want 2 completed, 2 failed", task)
	}
	tv := h.u.tasks
	tv.reload()
	if tv.fixBtn.Disabled() {
		t.Fatal("Fix in preview disabled on a task with failed jobs")
	}
	test.Tap(tv.fixBtn)
	if h.u.nav.Selected().Text != ScreenNewUsers || h.w.cur != wizard.StepPreview {
		t.Fatalf("Fix in preview shows %s, step %s", h.u.nav.Selected().Text, h.w.cur)
	}
	v = h.w.preview
	if v.fix == nil || len(v.p.Rows) != 2 || !strings.Contains(v.fixInfo.Text, "Fixing 2 failed jobs of task") {
		t.Fatalf("fix: %v, %d rows, %q", v.fix, len(v.p.Rows), v.fixInfo.Text)
	}
	if got := v.p.Rows[0].Get(wizard.ColUserID); got != "branch.user01@acme.example.com" {
		t.Fatalf("row 1 = %q", got)
	}
	// Edit the first by typing into the cell, the second by find and
	// replace: the derived cells follow.
	v.table.Select(widget.TableCellID{Row: 0, Col: colIndex(v, wizard.ColUserID)})
	v.editor.SetText("fixed.one@acme.example.com")
	v.editor.OnSubmitted(v.editor.Text)
	if n := v.replaceInColumn(wizard.ColUserID, "branch.user02", "fixed.two"); n != 1 {
		t.Fatalf("replaced %d", n)
	}
	for r, name := range []string{"fixed.one", "fixed.two"} {
		if got := v.p.Rows[r].Get(wizard.ColLinePort); got != name+"@acme.example.com" {
			t.Errorf("row %d line/port = %q, want it to follow the user id", r+1, got)
		}
		if got := v.p.Rows[r].Get(wizard.ColDeviceName); got != name+"-phone" {
			t.Errorf("row %d device name = %q, want it to follow the user id", r+1, got)
		}
	}
	if h.w.next.Text != "Retry jobs…" {
		t.Errorf("Next reads %q", h.w.next.Text)
	}
	h.next()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no retry confirmation")
	}
	if shown := strings.Join(texts(top), "\n"); !strings.Contains(shown, "Checked against the server: nothing collides.") {
		t.Errorf("retry dialog reads:\n%s", shown)
	}
	test.Tap(button(t, top, "Retry"))
	task = waitTask(t, h.store, id, 30*time.Second)
	if task.Completed != 4 || task.Failed != 0 {
		t.Fatalf("after the fix: %+v", task)
	}
	if ts, _ := h.store.ListTasks(context.Background()); len(ts) != 1 {
		t.Errorf("%d tasks, want the same one", len(ts))
	}
	for _, uid := range []string{"fixed.one@acme.example.com", "fixed.two@acme.example.com"} {
		u, ok := h.srv.User(uid)
		if !ok || u.LinePort != strings.TrimSuffix(uid, "@acme.example.com")+"@acme.example.com" {
			t.Errorf("%s on the server: %v %+v", uid, ok, u)
		}
	}
}

// TestTasks_RetryAllFailedChecksFirst: Retry all failed says which jobs
// would fail again before it sends anything.
func TestTasks_RetryAllFailedChecksFirst(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	id, _ := runTask(t, h, "ok.one@acme.example.com", "branch.user04@acme.example.com")
	tv := h.u.tasks
	tv.reload()
	test.Tap(tv.retryAll)
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	shown := strings.Join(texts(top), "\n")
	if !strings.Contains(shown, "1 job of 1 would fail again") || !strings.Contains(shown, "Row 2, User ID: user branch.user04@acme.example.com already exists") {
		t.Errorf("dialog reads:\n%s", shown)
	}
	test.Tap(button(t, top, "Cancel"))
	if task, _ := h.store.Task(context.Background(), id); task.Failed != 1 {
		t.Errorf("retried although cancelled: %+v", task)
	}
}

// TestEditDialog_LinePortFollowsUserID: in the edit form of one failed
// job, a new user id brings the line/port and device name along.
func TestEditDialog_LinePortFollowsUserID(t *testing.T) {
	test.NewTempApp(t)
	id, lp, dev := newEntry(), newEntry(), newEntry()
	id.SetText("ann.lee@acme.example.com")
	lp.SetText("ann.lee@acme.example.com")
	dev.SetText("ann.lee-phone")
	followUserID(map[wizard.Column]*keyEntry{wizard.ColUserID: id, wizard.ColLinePort: lp, wizard.ColDeviceName: dev})
	id.SetText("ann.lee2@acme.example.com")
	if lp.Text != "ann.lee2@acme.example.com" || dev.Text != "ann.lee2-phone" {
		t.Errorf("line/port %q, device %q", lp.Text, dev.Text)
	}
	for _, c := range []struct{ v, old, now, want string }{
		{"3125550101@acme.example.com", "a@x", "b@x", "3125550101@acme.example.com"},
		{"a-phone", "a@x", "", "a-phone"},
		{"a-phone", "a@x", "bee@x", "bee-phone"},
		{"ann@acme.example.com", "ann@acme.example.org", "bo@acme.example.org", "bo@acme.example.com"},
	} {
		if got := followID(c.v, c.old, c.now); got != c.want {
			t.Errorf("followID(%q, %q, %q) = %q", c.v, c.old, c.now, got)
		}
	}
}
