package ui

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// TestKeys_EnterRules: Enter in a one-line field of a valid step goes
// Next; not on an invalid step, not in a field with its own Enter action;
// Enter on a focused button presses it.
func TestKeys_EnterRules(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.Show(ScreenNewUsers)
	h.toStep(wizard.StepEnterprise, 1)
	es := h.w.views[wizard.StepEnterprise].(*enterpriseStep)
	search := es.pick.search
	h.u.win.Canvas().Focus(search)
	search.SetText("no such provider")
	press(h.u.win, fyne.KeyReturn)
	if h.w.cur != wizard.StepEnterprise {
		t.Fatalf("Enter went on with nothing chosen: %s", h.w.cur)
	}
	search.SetText("")
	es.pickID("acme-ent")
	press(h.u.win, fyne.KeyReturn)
	if h.w.cur != wizard.StepGroup {
		t.Fatalf("Enter in the search box of a valid step: step %s", h.w.cur)
	}
	// A field without an Enter action of its own goes Next too.
	gs := h.w.views[wizard.StepGroup].(*groupStep)
	gs.pickID("acme-hq")
	field := newEntry()
	if !h.u.enterPress(field) {
		t.Error("Enter in a plain field of a valid step did nothing")
	}
	pressed := false
	b := newButton("Press", func() { pressed = true })
	if !h.u.enterPress(b) || !pressed {
		t.Error("Enter did not press the focused button")
	}
	b.Disable()
	pressed = false
	if h.u.enterPress(b) || pressed {
		t.Error("Enter pressed a disabled button")
	}
	own := newEntry()
	own.OnSubmitted = func(string) {}
	if h.u.enterPress(own) {
		t.Error("Enter taken from a field with its own action")
	}
}

// TestKeys_TabOrder: Tab goes − then the value then +, and the search
// box of a pick list comes before its list.
func TestKeys_TabOrder(t *testing.T) {
	test.NewTempApp(t)
	n := newNumberEntry(1, 10, nil)
	w := test.NewTempWindow(t, n.obj)
	c := w.Canvas()
	c.Focus(n.minus)
	c.FocusNext()
	if c.Focused() != n.entry {
		t.Errorf("after −: %T", c.Focused())
	}
	c.FocusNext()
	if c.Focused() != n.plus {
		t.Errorf("after the value: %T", c.Focused())
	}
	p := newPickList("Search", nil, func() {})
	p.setItems([]pickItem{{ID: "a", Label: "A"}, {ID: "b", Label: "B"}})
	w2 := test.NewTempWindow(t, p.obj)
	w2.Resize(fyne.NewSize(300, 300))
	c2 := w2.Canvas()
	c2.FocusNext()
	if c2.Focused() != p.search {
		t.Errorf("first stop is %T, want the search box", c2.Focused())
	}
	c2.FocusNext()
	if c2.Focused() != p.add {
		t.Errorf("second stop is %T, want its + button", c2.Focused())
	}
	c2.FocusNext()
	if c2.Focused() != p.list {
		t.Errorf("third stop is %T, want the list", c2.Focused())
	}
}

// TestPreview_TypingEditsCell: a key typed on a selected cell starts
// editing it with that key; Enter applies.
func TestPreview_TypingEditsCell(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	col := colIndex(v, wizard.ColFirstName)
	v.table.Select(widget.TableCellID{Row: 1, Col: col})
	v.table.TypedRune('Z')
	if v.editor.Text != "Z" || h.u.win.Canvas().Focused() != v.editor {
		t.Fatalf("editor %q, focused %T", v.editor.Text, h.u.win.Canvas().Focused())
	}
	test.Type(v.editor, "oe")
	v.editor.OnSubmitted(v.editor.Text)
	if got := v.p.Rows[1].Get(wizard.ColFirstName); got != "Zoe" {
		t.Errorf("cell = %q", got)
	}
}

// TestPreview_PasswordMaskedInEditor: a selected password is masked in the
// edit field as in the table, shown only with Show passwords, and a typed
// new password is applied as typed.
func TestPreview_PasswordMaskedInEditor(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	v.setCells(wizard.ColPassword, []int{1}, []string{"Secr3t!pass"})
	v.recheck()
	v.table.Select(widget.TableCellID{Row: 1, Col: colIndex(v, wizard.ColPassword)})
	if !v.editor.Password || v.editor.Text != "Secr3t!pass" {
		t.Fatalf("password cell selected: editor masked %v, text %q", v.editor.Password, v.editor.Text)
	}
	v.showPw.SetChecked(true)
	if v.editor.Password {
		t.Error("Show passwords ticked: the edit field still masks the password")
	}
	v.showPw.SetChecked(false)
	if !v.editor.Password {
		t.Error("Show passwords cleared: the edit field shows the password")
	}
	v.table.Select(widget.TableCellID{Row: 1, Col: colIndex(v, wizard.ColFirstName)})
	if v.editor.Password {
		t.Error("a first name is masked")
	}
	v.table.Select(widget.TableCellID{Row: 1, Col: colIndex(v, wizard.ColPassword)})
	v.editor.SetText("")
	test.Type(v.editor, "N3w!pass")
	v.editor.OnSubmitted(v.editor.Text)
	if got := v.p.Rows[1].Get(wizard.ColPassword); got != "N3w!pass" {
		t.Errorf("password = %q", got)
	}
}

// TestPreview_CopyPasteRange: a range of cells copies as tab-separated
// text and pastes back as a block from the selected cell.
func TestPreview_CopyPasteRange(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 4)
	v := h.w.preview
	fn, ln := colIndex(v, wizard.ColFirstName), colIndex(v, wizard.ColLastName)
	v.setCells(wizard.ColFirstName, []int{0, 1}, []string{"Ann", "Bob"})
	v.setCells(wizard.ColLastName, []int{0, 1}, []string{"Ames", "Burr"})
	v.recheck()
	v.table.Select(widget.TableCellID{Row: 0, Col: fn})
	v.sel = widget.TableCellID{Row: 1, Col: ln} // as Shift+click would
	v.table.TypedShortcut(&fyne.ShortcutCopy{})
	if got := h.u.app.Clipboard().Content(); got != "Ann\tAmes\nBob\tBurr\n" {
		t.Fatalf("copied %q", got)
	}
	v.table.Select(widget.TableCellID{Row: 2, Col: fn})
	v.table.TypedShortcut(&fyne.ShortcutPaste{})
	for r, want := range [][2]string{{"Ann", "Ames"}, {"Bob", "Burr"}} {
		row := v.p.Rows[2+r]
		if row.Get(wizard.ColFirstName) != want[0] || row.Get(wizard.ColLastName) != want[1] {
			t.Errorf("row %d = %q %q", 3+r, row.Get(wizard.ColFirstName), row.Get(wizard.ColLastName))
		}
	}
}

// TestPreview_FitsSmallScreen: at 1366×768 the step list folds away, User
// ID stays pinned, columns can be hidden and widened, and a long value is
// readable on selection and under the pointer.
func TestPreview_FitsSmallScreen(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.win.Resize(fyne.NewSize(1366, 768))
	h.toStep(wizard.StepPreview, 3)
	v := h.w.preview
	if min := h.u.win.Content().MinSize(); min.Width > 1366 || min.Height > 768 {
		t.Errorf("the preview needs %v, more than 1366×768", min)
	}
	h.w.toggleSteps()
	if h.w.side.Visible() || h.w.stepsBtn.Text != "Show steps" {
		t.Error("the step list did not fold")
	}
	if v.table.StickyColumnCount != 1 || v.cols[0] != wizard.ColUserID {
		t.Errorf("pinned %d columns, first %s", v.table.StickyColumnCount, v.cols[0])
	}
	v.hidden[wizard.ColPassword] = true
	v.applyColumns()
	if colIndex(v, wizard.ColPassword) >= 0 || len(v.cols) != wizard.NumColumns-1 {
		t.Errorf("Password still shown: %v", v.cols)
	}
	lp := colIndex(v, wizard.ColUserID)
	v.table.Select(widget.TableCellID{Row: 0, Col: lp})
	long := strings.Repeat("x", 70) + "@acme.example.com"
	v.setCells(wizard.ColUserID, []int{0}, []string{long})
	v.recheck()
	v.showSelection()
	if v.editor.Text != long {
		t.Errorf("selection shows %q", v.editor.Text)
	}
	v.widen(60)
	if v.widths[wizard.ColUserID] != 320 {
		t.Errorf("width after widening = %v", v.widths[wizard.ColUserID])
	}
	cell := v.table.CreateCell().(*gridCell)
	v.updateCell(widget.TableCellID{Row: 0, Col: lp}, cell)
	cell.MouseIn(nil)
	if v.cellInfo.Text != "Under the pointer: "+long {
		t.Errorf("hover line = %q", v.cellInfo.Text)
	}
	cell.MouseOut()
	if strings.HasPrefix(v.cellInfo.Text, "Under the pointer") {
		t.Error("the hover line stays")
	}
	h.w.toggleSteps()
	if !h.w.side.Visible() {
		t.Error("the step list did not come back")
	}
}

// TestKeys_FocusIsVisible: the focus colour is the primary colour, far
// more opaque than Fyne's faint default.
func TestKeys_FocusIsVisible(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	th := h.u.app.Settings().Theme()
	c := color.NRGBAModel.Convert(th.Color(theme.ColorNameFocus, theme.VariantDark)).(color.NRGBA)
	if c.A < 0x80 {
		t.Errorf("focus colour %v is faint", c)
	}
	useFocusTheme(h.u.app)
	if _, wrapped := h.u.app.Settings().Theme().(focusTheme).Theme.(focusTheme); wrapped {
		t.Error("the theme is wrapped twice")
	}
}

// TestKeys_FocusedRowIsVisible: a list row or a table cell reached with
// Tab is drawn so that one can see it. Both draw keyboard focus in the
// hover colour; the row is rendered with and without focus and the
// background under it must change by a clear step of brightness (Fyne's
// default changes it by a step no one sees, which the test shows too).
func TestKeys_FocusedRowIsVisible(t *testing.T) {
	const minStep = 30 // of 255, in luma
	for _, tc := range []struct {
		name string
		th   fyne.Theme
		want bool
	}{
		{"bwbulk", focusTheme{theme.DefaultTheme()}, true},
		{"fyne default", theme.DefaultTheme(), false},
	} {
		for _, kind := range []string{"list", "table"} {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(tc.th)
			var obj fyne.Focusable
			var o fyne.CanvasObject
			if kind == "list" {
				l := widget.NewList(func() int { return 3 },
					func() fyne.CanvasObject { return widget.NewLabel("row") },
					func(widget.ListItemID, fyne.CanvasObject) {})
				obj, o = l, l
			} else {
				tb := widget.NewTable(func() (int, int) { return 3, 2 },
					func() fyne.CanvasObject { return widget.NewLabel("cell") },
					func(widget.TableCellID, fyne.CanvasObject) {})
				obj, o = tb, tb
			}
			w := test.NewTempWindow(t, o)
			w.Resize(fyne.NewSize(300, 200))
			before := w.Canvas().Capture()
			w.Canvas().Focus(obj)
			after := w.Canvas().Capture()
			// Pixels whose brightness changed by a visible step: the
			// focused row's background, some hundreds of them.
			changed := 0
			b := before.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					d := luma(after.At(x, y)) - luma(before.At(x, y))
					if d >= minStep || -d >= minStep {
						changed++
					}
				}
			}
			t.Logf("%s theme, focused %s row: %d pixels changed", tc.name, kind, changed)
			if got := changed >= 500; got != tc.want {
				t.Errorf("%s theme, focused %s row: %d pixels changed by a visible step", tc.name, kind, changed)
			}
		}
	}
}

// luma is the brightness of c, 0–255.
func luma(c color.Color) int {
	r, g, b, _ := c.RGBA()
	return int((299*r + 587*g + 114*b) / 1000 >> 8)
}
