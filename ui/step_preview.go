package ui

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/wizard"
)

// previewView is the last wizard step: the editable table of every user
// with invalid cells highlighted, an errors-only filter, counts, paste a
// column, export, and Submit.
type previewView struct {
	w  *wizardView
	fs *fieldSet
	p  *wizard.Preview
	// err is why p could not be built (the templates are wrong).
	err error
	// shown is the model of the last load.
	shown *wizard.Model
	// gen counts loads: a preview built off the UI goroutine is shown
	// only if no load came after it. building is set meanwhile.
	gen      int
	building bool
	// storing is set from Submit until the task is stored: a second
	// Submit meanwhile would send the same users twice.
	storing bool
	// confirming is set while a Submit confirmation (or the check before
	// it) is open: one at a time.
	confirming bool
	// submitName and submitTicket are the fields of the Submit dialog while
	// it is shown.
	submitName, submitTicket *keyEntry

	// server holds the cells the last check against the server marked;
	// checking is set while a check runs.
	server    map[int]map[wizard.Column]serverMark
	checking  bool
	lastCheck *checkResult
	checkBtn  *keyButton
	checkBar  *widget.ProgressBar
	checkInfo *quietLabel

	// fix is set while the preview shows failed jobs of a task (Fix in
	// preview): Submit retries them. fixInfo says so.
	fix     *desk.Fix
	fixInfo *widget.Label

	cols []wizard.Column
	rows []int // preview row index of each table row (filtered)
	bad  map[int]map[wizard.Column]string

	errorsOnly *keyCheck
	showPw     *keyCheck
	counts     *widget.Label
	table      *previewTable
	sel        widget.TableCellID
	hasSel     bool
	// lastReplace is Find and replace's last question; replaceDialog and
	// replaceForm its open dialog.
	lastReplace   lastReplace
	replaceDialog *keyDialog
	replaceForm   *replaceForm
	// anchor is where a range selection started (Shift extends it).
	anchor    widget.TableCellID
	hasAnchor bool
	// hidden and widths are the Columns dialog's choices.
	hidden   map[wizard.Column]bool
	widths   map[wizard.Column]float32
	cellInfo *widget.Label
	editor   *keyEntry
	problems *quietLabel
	req      fyne.CanvasObject
}

func newPreviewView(w *wizardView) *previewView {
	v := &previewView{w: w, fs: newFieldSet(), cols: wizard.Columns(), hidden: map[wizard.Column]bool{}, widths: map[wizard.Column]float32{}}
	v.errorsOnly = newCheck("Errors only", func(bool) { v.filter(); v.table.Refresh() })
	v.showPw = newCheck("Show passwords", func(bool) { v.maskEditor(); v.table.Refresh() })
	v.counts = widget.NewLabel("")
	v.counts.TextStyle.Bold = true
	v.cellInfo = widget.NewLabel(selectHint)
	v.cellInfo.Wrapping = fyne.TextWrapWord
	v.editor = newEntry()
	v.editor.SetPlaceHolder("New value for the selected cell (Enter applies)")
	v.editor.OnSubmitted = func(s string) { v.applyEdit(s) }
	v.editor.Disable()
	v.problems = newQuietLabel("")
	v.problems.Wrapping = fyne.TextWrapWord
	v.problems.Importance = widget.DangerImportance

	v.table = newPreviewTable(v)
	// User ID stays in view when the table scrolls sideways.
	v.table.StickyColumnCount = 1
	v.table.ShowHeaderRow = true
	v.table.ShowHeaderColumn = true
	v.table.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		text := ""
		switch {
		case id.Row < 0 && id.Col >= 0 && id.Col < len(v.cols):
			text = v.cols[id.Col].Title()
		case id.Col < 0 && id.Row >= 0 && id.Row < len(v.rows):
			text = strconv.Itoa(v.p.RowNumber(v.rows[id.Row]))
		}
		o.(*gridCell).set(text, theme.ColorNameForeground, color.Transparent)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		if !v.hasSel || !shiftHeld() {
			v.anchor, v.hasAnchor = id, true
		}
		v.sel, v.hasSel = id, true
		v.showSelection()
		v.table.Refresh()
	}
	for i, c := range v.cols {
		v.table.SetColumnWidth(i, defaultWidth(c))
	}

	v.checkBtn = newButtonWithIcon("Check against server", theme.SearchIcon(), func() { v.runCheck(nil) })
	v.checkBar = widget.NewProgressBar()
	v.checkBar.Hide()
	v.checkInfo = newQuietLabel(checkHint)
	v.checkInfo.Wrapping = fyne.TextWrapWord
	paste := newButtonWithIcon("Paste column", theme.ContentPasteIcon(), v.pasteColumn)
	replace := newButtonWithIcon("Find and replace…", theme.SearchReplaceIcon(), v.findReplaceDialog)
	// Export also holds the fix-and-re-import loop (ui/problems.go), so
	// the toolbar stays as wide as it was.
	export := menuButton("Export…", theme.DocumentSaveIcon(),
		fyne.NewMenuItem("All rows…", v.exportDialog),
		fyne.NewMenuItem("Rows with problems…", v.exportPreviewProblems),
		fyne.NewMenuItem("Import fixes…", v.importPreviewFixes))
	columns := newButtonWithIcon("Columns…", theme.ListIcon(), v.columnsDialog)
	wider := newButtonWithIcon("", theme.ContentAddIcon(), func() { v.widen(60) })
	narrower := newButtonWithIcon("", theme.ContentRemoveIcon(), func() { v.widen(-60) })
	v.fixInfo = widget.NewLabel("")
	v.fixInfo.Wrapping = fyne.TextWrapWord
	v.fixInfo.Importance = widget.WarningImportance
	v.fixInfo.Hide()
	v.counts.Truncation = fyne.TextTruncateEllipsis
	toolbar := container.NewVBox(v.fixInfo,
		container.NewBorder(nil, nil, nil, container.NewHBox(v.errorsOnly, v.showPw, v.checkBtn), v.counts),
		container.NewHBox(paste, replace, columns, narrower, widget.NewLabel("width"), wider, export),
		v.checkBar, v.checkInfo)
	editBar := container.NewBorder(nil, nil, nil, newButton("Apply", func() { v.applyEdit(v.editor.Text) }), v.editor)
	bottom := container.NewVBox(v.cellInfo, editBar, v.problems, v.fs.hidden())
	v.req = container.NewBorder(toolbar, bottom, nil, nil, container.NewThemeOverride(v.table, markless{}))
	return v
}

// selectHint is the cell line while no cell is selected; it also says
// what Submit does, in place of the check's line before any check ran.
const selectHint = "Select a cell to see or change it. Submit checks the users against the server first; Check against server does it now."

// quietLabel is a label that takes no room while it says nothing (or
// only its quiet text, which is said elsewhere): the preview's table gets
// the height.
type quietLabel struct {
	widget.Label
	quiet string
}

func newQuietLabel(quiet string) *quietLabel {
	l := &quietLabel{quiet: quiet}
	l.ExtendBaseWidget(l)
	l.SetText(quiet)
	return l
}

// SetText shows text, and hides the label when text is empty or quiet.
func (l *quietLabel) SetText(text string) {
	l.Label.SetText(text)
	if text == "" || text == l.quiet {
		l.Hide()
	} else {
		l.Show()
	}
}

// hidden returns the error line of FieldRows (shown in problems instead).
func (fs *fieldSet) hidden() fyne.CanvasObject {
	row := fs.row(wizard.FieldRows, "", "", widget.NewLabel(""))
	o := row[1]
	o.Hide()
	return o
}

func (v *previewView) required() fyne.CanvasObject { return v.req }
func (v *previewView) optional() fyne.CanvasObject { return nil }
func (v *previewView) fields() *fieldSet           { return v.fs }

// asyncPreviewRows is the number of users from which the preview is
// built off the UI goroutine (10,000 take a few hundred milliseconds,
// mostly generating passwords); smaller ones are built at once.
var asyncPreviewRows = 1000

// load rebuilds the preview from the model.
func (v *previewView) load() {
	v.gen++
	m := v.w.m
	if v.shown != m {
		// Another wizard: its rows are shown from the first, not where
		// the last preview was scrolled to.
		v.shown = m
		v.table.ScrollToTop()
		v.table.ScrollToLeading()
	}
	n := m.RowCount()
	if n < asyncPreviewRows {
		v.building = false
		v.loaded(m.Preview())
		return
	}
	gen, job := v.gen, m.PreviewJob()
	v.building = true
	v.p, v.rows, v.bad, v.err = nil, nil, nil, nil
	v.server = nil
	what := fmt.Sprintf("Building the preview of %s…", plural(n, "user"))
	v.counts.SetText(what)
	v.problems.SetText("")
	v.table.Refresh()
	v.showSelection()
	v.w.setBusy(what, 1)
	v.w.u.spawn(func() {
		p, err := job.Build()
		var c previewCheck
		if err == nil {
			c = checkPreview(p)
		}
		fyne.Do(func() {
			v.w.setBusy("", -1)
			if gen != v.gen || v.w.m != m || v.w.cur != wizard.StepPreview {
				// Built for a model or a visit that is gone; the step on
				// screen may now go on.
				v.w.validate()
				return
			}
			v.building = false
			if err != nil {
				v.loaded(nil, err)
			} else {
				job.Adopt(p)
				v.p, v.err = p, nil
				v.showCheck(c)
				v.showSelection()
			}
			// The other steps are as they were when the build began.
			v.w.check(false)
		})
	})
}

// loaded shows a preview just built, or why it could not be.
func (v *previewView) loaded(p *wizard.Preview, err error) {
	v.err = err
	if err != nil {
		v.p = nil
		v.rows = nil
		v.counts.SetText("The templates have errors: go back and fix them")
		v.problems.SetText(peopleText(err))
		v.table.Refresh()
		return
	}
	v.p = p
	v.recheck()
	v.showSelection()
}

// stillBuilding says, when the preview is being built, that what was
// asked for has to wait for the rows.
func (v *previewView) stillBuilding(what string) bool {
	if v.building {
		v.w.u.showInfo(what, "The preview is still being built. Try again when its rows appear.")
	}
	return v.building
}

// fieldErrors is why Submit is not possible yet, from the preview on
// screen (Model.Validate would build it all again).
func (v *previewView) fieldErrors() wizard.FieldErrors {
	var fe wizard.FieldErrors
	switch {
	case v.building:
		return wizard.FieldErrors{wizard.FieldRows: "the preview is being built"}
	case errors.As(v.err, &fe):
		return fe
	case v.err != nil:
		return wizard.FieldErrors{wizard.FieldRows: v.err.Error()}
	case v.p == nil:
		return wizard.FieldErrors{wizard.FieldRows: "there is no preview"}
	}
	return v.p.FieldErrors()
}

// recheck recomputes problems, counts and the filter after a change.
func (v *previewView) recheck() { v.showCheck(checkPreview(v.p)) }

// previewCheck is a preview's problems arranged for the screen.
type previewCheck struct {
	bad      map[int]map[wizard.Column]string // reason by row and column
	counts   string
	problems string
	// users and probs are the numbers in counts.
	users, probs int
}

// checkPreview arranges p's problems for the screen; it only reads p, so
// a preview built off the UI goroutine is checked there too.
func checkPreview(p *wizard.Preview) previewCheck {
	c := previewCheck{bad: map[int]map[wizard.Column]string{}}
	probs := p.Problems()
	var general []string
	for _, pr := range probs {
		if pr.Row <= 0 {
			general = append(general, problemLine(0, pr.Column, pr.Msg))
			continue
		}
		r := pr.Row - 1
		if c.bad[r] == nil {
			c.bad[r] = map[wizard.Column]string{}
		}
		col := pr.Column
		if !col.Valid() {
			col = wizard.ColUserID
		}
		if _, ok := c.bad[r][col]; !ok {
			c.bad[r][col] = p.Model().NumberText(pr.Msg)
		}
	}
	c.users, c.probs = len(p.Rows), len(probs)
	c.counts = fmt.Sprintf("%s · %d with problems · %s", plural(len(p.Rows), "user"), len(c.bad), plural(len(probs), "problem"))
	if len(probs) > 0 {
		lines := general
		for i, pr := range probs {
			if i >= 3 {
				lines = append(lines, fmt.Sprintf("… and %d more (tick Errors only)", len(probs)-3))
				break
			}
			if pr.Row > 0 {
				lines = append(lines, problemLine(p.RowNumber(pr.Row-1), pr.Column, p.Model().NumberText(pr.Msg)))
			}
		}
		c.problems = strings.Join(lines, "\n")
	}
	return c
}

func (v *previewView) showCheck(c previewCheck) {
	v.bad = c.bad
	if n, lines := v.serverMarks(c.bad); n > 0 {
		c.counts = fmt.Sprintf("%s · %d with problems · %s, %d of them on the server",
			plural(c.users, "user"), len(c.bad), plural(c.probs+n, "problem"), n)
		sort.Strings(lines)
		if c.problems != "" {
			c.problems += "\n"
		}
		if len(lines) > 3 {
			lines = append(lines[:3], fmt.Sprintf("… and %d more on the server (tick Errors only)", len(lines)-3))
		}
		c.problems += strings.Join(lines, "\n")
	}
	v.counts.SetText(c.counts)
	v.problems.SetText(c.problems)
	v.checkLine()
	v.filter()
	v.fitRowNumbers()
	v.table.Refresh()
}

// fitRowNumbers makes the row-number column as wide as the largest
// number.
func (v *previewView) fitRowNumbers() {
	n := 1
	if v.p != nil {
		n = max(len(v.p.Rows), 1)
	}
	digits := strings.Repeat("0", len(strconv.Itoa(n)))
	w := fyne.MeasureText(digits, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	v.table.SetColumnWidth(-1, float32(math.Ceil(float64(w))))
}

func (v *previewView) filter() {
	v.rows = v.rows[:0]
	if v.p == nil {
		return
	}
	for i := range v.p.Rows {
		if !v.errorsOnly.Checked || len(v.bad[i]) > 0 {
			v.rows = append(v.rows, i)
		}
	}
}

var (
	badCellColor    = color.NRGBA{R: 0xf4, G: 0x43, B: 0x36, A: 0x55}
	editedCellColor = color.NRGBA{R: 0x21, G: 0x96, B: 0xf3, A: 0x30}
)

func (v *previewView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*gridCell)
	if v.p == nil || id.Row >= len(v.rows) || id.Col >= len(v.cols) {
		cell.set("", theme.ColorNameForeground, color.Transparent)
		cell.setMark("")
		return
	}
	r, c := v.rows[id.Row], v.cols[id.Col]
	val := v.p.Rows[r].Get(c)
	if c == wizard.ColPassword && val != "" && !v.showPw.Checked {
		val = strings.Repeat("•", 8)
	}
	fill := color.Color(color.Transparent)
	if _, bad := v.bad[r][c]; bad {
		fill = badCellColor
	} else if v.hasSel && v.selRange().cells() > 1 && v.selRange().has(id.Row, id.Col) {
		fill = rangeColor
	} else if v.p.Edited(r, c) {
		fill = editedCellColor
	}
	cell.set(val, theme.ColorNameForeground, fill)
	mark := fyne.ThemeColorName("")
	if v.hasSel && id == v.sel {
		mark = v.table.selectionMark()
	}
	cell.setMark(mark)
}

func (v *previewView) showSelection() {
	if v.p == nil || !v.hasSel || v.sel.Row >= len(v.rows) || v.sel.Col >= len(v.cols) {
		v.cellInfo.SetText(selectHint)
		v.editor.SetText("")
		v.editor.Disable()
		return
	}
	r, c := v.rows[v.sel.Row], v.cols[v.sel.Col]
	info := fmt.Sprintf("Row %d · %s", v.p.RowNumber(r), c.Title()) + describeRange(v.selRange())
	if msg, bad := v.bad[r][c]; bad {
		info += " — problem: " + msg
	} else if v.p.Edited(r, c) {
		info += " — changed by hand"
	}
	v.cellInfo.SetText(info)
	v.editor.Enable()
	v.editor.SetText(v.p.Rows[r].Get(c))
	v.maskEditor()
}

// maskEditor hides a selected password in the edit field as the table
// hides it, unless Show passwords is ticked: selecting a cell must not put
// a password on screen for whoever stands behind the desk.
func (v *previewView) maskEditor() {
	mask := false
	if v.p != nil && v.hasSel && v.sel.Col < len(v.cols) {
		mask = v.cols[v.sel.Col] == wizard.ColPassword && !v.showPw.Checked
	}
	if v.editor.Password != mask {
		v.editor.Password = mask
		v.editor.Refresh()
	}
}

// applyEdit sets the selected cell.
func (v *previewView) applyEdit(s string) {
	if v.p == nil || !v.hasSel || v.sel.Row >= len(v.rows) {
		return
	}
	r, c := v.rows[v.sel.Row], v.cols[v.sel.Col]
	if s == v.p.Rows[r].Get(c) {
		return // the same text: not a change
	}
	v.setCells(c, []int{r}, []string{s})
	v.recheck()
	v.showSelection()
	v.w.changed()
}

// setColumn writes values down column c from preview row start.
func (v *previewView) setColumn(c wizard.Column, start int, values []string) int {
	var rows []int
	for i := range values {
		if start+i >= len(v.p.Rows) {
			break
		}
		rows = append(rows, start+i)
	}
	n := len(rows)
	v.setCells(c, rows, values[:n])
	v.recheck()
	// The selected cell's line follows (a paste that fixed it leaves no
	// stale problem behind).
	v.showSelection()
	v.w.changed()
	return n
}

// pasteColumn pastes clipboard lines into the selected column, from the
// selected row down.
func (v *previewView) pasteColumn() {
	if v.stillBuilding("Paste a column") {
		return
	}
	if v.p == nil || !v.hasSel || v.sel.Row >= len(v.rows) {
		v.w.u.showInfo("Paste a column", "Select the first cell to paste into (for example the MAC address of row 1), then press Paste column.")
		return
	}
	text := v.w.u.app.Clipboard().Content()
	values := splitLines(text)
	if len(values) == 0 {
		v.w.u.showInfo("Paste a column", "The clipboard is empty. Copy a column of values (one per line) first.")
		return
	}
	c := v.cols[v.sel.Col]
	n := v.setColumn(c, v.rows[v.sel.Row], values)
	v.w.u.status.setMessage("Pasted %s into %s", plural(n, "value"), c.Title())
}

func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimRight(s, "\n")
	if strings.TrimSpace(s) == "" {
		return nil
	}
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(strings.SplitN(lines[i], "\t", 2)[0])
	}
	return lines
}

func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }
