package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"bwbulk/wizard"
)

// visibleRows is how many whole data rows the preview's table shows in
// its current size: below the header row, each row and the separator
// under it, as the table lays them out.
func visibleRows(v *previewView) int {
	sep := theme.Padding()
	row := v.table.CreateCell().MinSize().Height
	head := v.table.CreateHeader().MinSize().Height
	room := v.table.Size().Height - head - sep
	n := 0
	for room >= row {
		n++
		room -= row + sep
	}
	return n
}

// TestWindow_FitsLaptop: at the size the window opens on first run
// (chosen for a 1366×768 laptop), no screen and no wizard step needs a
// larger window, so the window opens at the size asked; the preview
// shows at least 12 users and the Submit… button holds its label.
func TestWindow_FitsLaptop(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.win.Resize(defaultSize)
	pad := 2 * theme.Padding()
	room := fyne.NewSize(defaultSize.Width-pad, defaultSize.Height-pad)
	fits := func(what string) {
		t.Helper()
		if min := h.u.win.Content().MinSize(); min.Width > room.Width || min.Height > room.Height {
			t.Errorf("%s needs %v, more than the window's %v", what, min, room)
		}
	}
	h.toStep(wizard.StepPreview, 30)
	// Next became Submit… on the way in: laid out again, not left at the
	// width of "Next".
	if got, want := h.w.next.Size().Width, h.w.next.MinSize().Width; h.w.next.Text != "Submit…" || got < want {
		t.Errorf("on entering the preview %q is %.0f wide, its label needs %.0f", h.w.next.Text, got, want)
	}
	for s := wizard.StepEnterprise; s <= wizard.StepPreview; s++ {
		h.w.goTo(s)
		fits("step " + s.Title())
	}
	for _, name := range []string{ScreenImport, ScreenTasks, ScreenDrafts, ScreenConnections, ScreenSettings, ScreenNewUsers} {
		h.u.Show(name)
		fits(name)
	}
	v := h.w.preview
	if h.w.cur != wizard.StepPreview || v.p == nil || len(v.p.Rows) != 30 {
		t.Fatalf("not on a preview of 30 users: step %s", h.w.cur)
	}
	relayout := func() { h.u.win.Resize(defaultSize.AddWidthHeight(1, 1)); h.u.win.Resize(defaultSize) }
	relayout()
	n := visibleRows(v)
	t.Logf("the preview shows %d users at %v", n, defaultSize)
	if n < 12 {
		t.Errorf("the preview shows %d users at %v (table %v), want at least 12", n, defaultSize, v.table.Size())
	}
	if got, want := h.w.next.Size().Width, h.w.next.MinSize().Width; h.w.next.Text != "Submit…" || got < want {
		t.Errorf("%q is %.0f wide, its label needs %.0f", h.w.next.Text, got, want)
	}
	h.w.toggleSteps()
	relayout()
	if n := visibleRows(v); n < 12 {
		t.Errorf("steps hidden: the preview shows %d users", n)
	}
}

// TestPreview_SelectedCellOutlined: the selected cell is outlined by the
// cell itself, where the table draws it (Fyne's own selection mark is put
// a column away once the table with a pinned column scrolls sideways, so
// it is not drawn); arrows move the selection and the outline with it,
// and the outline turns the text colour while the table has the keyboard.
func TestPreview_SelectedCellOutlined(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 5)
	v := h.w.preview
	variant := h.u.app.Settings().ThemeVariant()
	for _, n := range []fyne.ThemeColorName{theme.ColorNameSelection, theme.ColorNameHover} {
		if _, _, _, a := v.table.Theme().Color(n, variant).RGBA(); a != 0 {
			t.Errorf("the table still paints its own %s mark", n)
		}
	}
	mark := func(row, col int) fyne.ThemeColorName {
		c := v.table.CreateCell().(*gridCell)
		v.updateCell(widgetCell(row, col), c)
		return c.mark
	}
	phone := colIndex(v, wizard.ColPhoneNumber)
	v.table.Select(widgetCell(2, phone))
	if got := mark(2, phone); got != theme.ColorNamePrimary {
		t.Errorf("selected cell outlined in %q", got)
	}
	if got := mark(2, phone-1); got != "" {
		t.Errorf("the cell beside it is outlined in %q", got)
	}
	h.u.win.Canvas().Focus(v.table)
	press(h.u.win, fyne.KeyLeft)
	press(h.u.win, fyne.KeyDown)
	if v.sel != widgetCell(3, phone-1) {
		t.Fatalf("after Left, Down the selection is %+v", v.sel)
	}
	if got := mark(3, phone-1); got != theme.ColorNameForeground {
		t.Errorf("focused selection outlined in %q", got)
	}
	if mark(2, phone) != "" {
		t.Error("the old cell keeps its outline")
	}
	if want := v.p.Rows[v.rows[3]].Get(v.cols[phone-1]); v.editor.Text != want {
		t.Errorf("the edit field shows %q, want %q", v.editor.Text, want)
	}
}
