package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// previewTable is the preview's table with spreadsheet keys: typing on a
// selected cell starts editing it with what was typed, Enter or F2 edits
// its value, Ctrl+C copies the selected range (Shift+click or
// Shift+arrow extends it) as tab-separated text, Ctrl+V pastes such a
// block from the selected cell on.
type previewTable struct {
	widget.Table
	v *previewView
	// focused: the table has the keyboard; the selected cell's outline
	// is then drawn in the text colour, as a focused button's.
	focused bool
}

// FocusGained draws the selected cell as focused.
func (t *previewTable) FocusGained() {
	t.Table.FocusGained()
	t.focused = true
	t.Refresh()
}

// FocusLost draws it as selected only.
func (t *previewTable) FocusLost() {
	t.Table.FocusLost()
	t.focused = false
	t.Refresh()
}

// selectionMark is the outline of the selected cell.
func (t *previewTable) selectionMark() fyne.ThemeColorName {
	if t.focused {
		return theme.ColorNameForeground
	}
	return theme.ColorNamePrimary
}

// markless is the app's theme, whatever it is when drawn, without the
// colours Fyne's table paints its selection and hover marks in: with a
// pinned column and a row-number column, Fyne v2.7.1 places those marks
// a column away from the cell once the table has scrolled sideways. The
// preview outlines its selected cell itself (gridCell.setMark).
type markless struct{}

func (markless) app() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (m markless) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameSelection || n == theme.ColorNameHover {
		return color.Transparent
	}
	return m.app().Color(n, v)
}

func (m markless) Font(s fyne.TextStyle) fyne.Resource     { return m.app().Font(s) }
func (m markless) Icon(n fyne.ThemeIconName) fyne.Resource { return m.app().Icon(n) }
func (m markless) Size(n fyne.ThemeSizeName) float32       { return m.app().Size(n) }

func newPreviewTable(v *previewView) *previewTable {
	t := &previewTable{v: v}
	t.Length = func() (int, int) { return len(v.rows), len(v.cols) }
	t.CreateCell = func() fyne.CanvasObject {
		c := newGridCell()
		c.hover = v.hoverCell
		return c
	}
	t.UpdateCell = v.updateCell
	t.ExtendBaseWidget(t)
	return t
}

var (
	_ fyne.Focusable    = (*previewTable)(nil)
	_ fyne.Shortcutable = (*previewTable)(nil)
)

// TypedRune starts editing the selected cell with r.
func (t *previewTable) TypedRune(r rune) {
	v := t.v
	if !v.hasSel || v.editor.Disabled() {
		return
	}
	v.editor.SetText(string(r))
	v.editor.CursorColumn = 1
	v.focusEditor()
}

// TypedKey: Enter and F2 edit the selected cell; arrows move (Shift
// extends the range); the rest goes to the table.
func (t *previewTable) TypedKey(ev *fyne.KeyEvent) {
	v := t.v
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyF2:
		if v.hasSel && !v.editor.Disabled() {
			v.editor.CursorColumn = len([]rune(v.editor.Text))
			v.focusEditor()
		}
		return
	case fyne.KeyUp, fyne.KeyDown, fyne.KeyLeft, fyne.KeyRight:
		// Arrows move the selection, as in a spreadsheet: what is typed
		// next goes to the cell the outline is on.
		id := v.sel
		if !v.hasSel {
			id = widget.TableCellID{}
		} else {
			switch ev.Name {
			case fyne.KeyUp:
				id.Row = max(id.Row-1, 0)
			case fyne.KeyDown:
				id.Row = min(id.Row+1, len(v.rows)-1)
			case fyne.KeyLeft:
				id.Col = max(id.Col-1, 0)
			case fyne.KeyRight:
				id.Col = min(id.Col+1, len(v.cols)-1)
			}
		}
		if id.Row >= 0 && id.Row < len(v.rows) && id.Col >= 0 && id.Col < len(v.cols) {
			t.Select(id)
		}
		return
	}
	t.Table.TypedKey(ev)
}

// TypedShortcut copies and pastes ranges of cells.
func (t *previewTable) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy:
		t.v.copyRange()
	case *fyne.ShortcutPaste:
		t.v.pasteRange()
	}
}

func (v *previewView) focusEditor() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.editor); c != nil {
		c.Focus(v.editor)
	}
}

// shiftHeld reports whether Shift is down (false without a desktop
// driver, as in tests).
func shiftHeld() bool {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()&fyne.KeyModifierShift != 0
	}
	return false
}

// cellRange is a rectangle of table cells (rows of the filtered view).
type cellRange struct{ r0, c0, r1, c1 int }

// selRange is the selected range: from the anchor to the selected cell.
func (v *previewView) selRange() cellRange {
	a := v.anchor
	if !v.hasAnchor {
		a = v.sel
	}
	return cellRange{min(a.Row, v.sel.Row), min(a.Col, v.sel.Col), max(a.Row, v.sel.Row), max(a.Col, v.sel.Col)}
}

func (r cellRange) has(row, col int) bool {
	return row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1
}

func (r cellRange) cells() int { return (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1) }

// copyRange puts the selected range on the clipboard, tab-separated.
func (v *previewView) copyRange() {
	if v.p == nil || !v.hasSel {
		return
	}
	rg := v.selRange()
	var b strings.Builder
	for row := rg.r0; row <= rg.r1 && row < len(v.rows); row++ {
		for col := rg.c0; col <= rg.c1 && col < len(v.cols); col++ {
			if col > rg.c0 {
				b.WriteByte('\t')
			}
			b.WriteString(v.p.Rows[v.rows[row]].Get(v.cols[col]))
		}
		b.WriteByte('\n')
	}
	v.w.u.app.Clipboard().SetContent(b.String())
	v.w.u.status.setMessage("Copied %s", plural(rg.cells(), "cell"))
}

// pasteRange pastes a tab-separated block at the selected range's top
// left: columns to the right, rows down (the rows shown). As in a
// spreadsheet, a block pasted onto a larger range that is a whole number
// of blocks (one cell onto a column of them, say) fills the range.
func (v *previewView) pasteRange() {
	if v.stillBuilding("Paste") || v.p == nil || !v.hasSel {
		return
	}
	text := strings.TrimRight(strings.ReplaceAll(v.w.u.app.Clipboard().Content(), "\r\n", "\n"), "\n")
	if text == "" {
		return
	}
	var block [][]string
	width := 0
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, "\t")
		width = max(width, len(cells))
		block = append(block, cells)
	}
	rg := v.selRange()
	rows, cols := len(block), width
	if h, w := rg.r1-rg.r0+1, rg.c1-rg.c0+1; h*w > 1 && h%rows == 0 && w%cols == 0 {
		rows, cols = h, w // fill the range, the block repeated
	}
	n := 0
	byCol := map[int][]int{}
	vals := map[int][]string{}
	for i := 0; i < rows; i++ {
		row := rg.r0 + i
		if row >= len(v.rows) {
			break
		}
		line := block[i%len(block)]
		for j := 0; j < cols; j++ {
			col := rg.c0 + j
			if col >= len(v.cols) {
				break
			}
			if j%width >= len(line) {
				continue // a short line of the block: nothing there
			}
			byCol[col] = append(byCol[col], v.rows[row])
			vals[col] = append(vals[col], strings.TrimSpace(line[j%width]))
			n++
		}
	}
	for col, rows := range byCol {
		v.setCells(v.cols[col], rows, vals[col])
	}
	v.recheck()
	v.showSelection()
	v.w.changed()
	v.w.u.status.setMessage("Pasted %s", plural(n, "cell"))
}

// hoverCell shows the whole value under the pointer in the cell line
// (cut values stay readable); "" gives the line back to the selection.
func (v *previewView) hoverCell(text string) {
	if text == "" {
		v.showSelection()
		return
	}
	v.cellInfo.SetText("Under the pointer: " + text)
}

// rangeColor tints the cells of a selected range.
var rangeColor = color.NRGBA{R: 0x21, G: 0x96, B: 0xf3, A: 0x50}

// Column widths the Columns dialog offers.
var columnWidths = map[string]float32{"Narrow": 100, "Normal": 0, "Wide": 340}

// defaultWidth is the width a column starts with.
func defaultWidth(c wizard.Column) float32 {
	switch c {
	case wizard.ColUserID, wizard.ColEmail, wizard.ColLinePort:
		return 260
	case wizard.ColServices:
		return 320
	case wizard.ColDeviceType, wizard.ColDeviceName, wizard.ColTimeZone:
		return 190
	}
	return 150
}

// applyColumns shows the columns not hidden, at their widths. User ID
// is always first and stays pinned when the table scrolls sideways.
func (v *previewView) applyColumns() {
	v.cols = v.cols[:0]
	for _, c := range wizard.Columns() {
		if !v.hidden[c] {
			v.cols = append(v.cols, c)
		}
	}
	for i, c := range v.cols {
		w := v.widths[c]
		if w == 0 {
			w = defaultWidth(c)
		}
		v.table.SetColumnWidth(i, w)
	}
	v.hasSel, v.hasAnchor = false, false
	v.table.UnselectAll()
	v.table.Refresh()
	v.showSelection()
}

// columnsDialog hides, shows and widens columns.
func (v *previewView) columnsDialog() {
	var rows []fyne.CanvasObject
	checks := map[wizard.Column]*keyCheck{}
	sizes := map[wizard.Column]*keySelect{}
	for _, c := range wizard.Columns() {
		chk := newCheck(c.Title(), nil)
		chk.SetChecked(!v.hidden[c])
		if c == wizard.ColUserID {
			chk.Text = c.Title() + " (always shown, pinned)"
			chk.Disable()
		}
		size := newSelect([]string{"Narrow", "Normal", "Wide"}, nil)
		size.SetSelected("Normal")
		for name, w := range columnWidths {
			if w != 0 && v.widths[c] == w {
				size.SetSelected(name)
			}
		}
		checks[c], sizes[c] = chk, size
		rows = append(rows, chk, size)
	}
	grid := container.NewGridWithColumns(2, rows...)
	scroll := container.NewVScroll(grid)
	scroll.SetMinSize(fyne.NewSize(420, 420))
	d := v.w.u.confirmDialog("Columns", "Apply", "Cancel", scroll, func(ok bool) {
		if !ok {
			return
		}
		for c, chk := range checks {
			v.hidden[c] = !chk.Checked && c != wizard.ColUserID
			v.widths[c] = columnWidths[sizes[c].Selected]
		}
		v.applyColumns()
		hidden := 0
		for _, h := range v.hidden {
			if h {
				hidden++
			}
		}
		v.w.u.status.setMessage("%s shown, %s hidden", plural(len(v.cols), "column"), plural(hidden, "column"))
	})
	d.Show()
}

// widen makes the selected column wider (d > 0) or narrower.
func (v *previewView) widen(d float32) {
	if !v.hasSel || v.sel.Col >= len(v.cols) {
		v.w.u.status.setMessage("Select a cell of the column to widen")
		return
	}
	c := v.cols[v.sel.Col]
	w := v.widths[c]
	if w == 0 {
		w = defaultWidth(c)
	}
	w = min(max(w+d, 60), 800)
	v.widths[c] = w
	v.table.SetColumnWidth(v.sel.Col, w)
	v.table.Refresh()
	v.w.u.status.setMessage("%s: %.0f wide", c.Title(), w)
}

func describeRange(rg cellRange) string {
	if rg.cells() == 1 {
		return ""
	}
	return fmt.Sprintf(" · %d×%d cells selected (Ctrl+C copies them)", rg.r1-rg.r0+1, rg.c1-rg.c0+1)
}
