package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// serverMark is a cell the check against the server found colliding: the
// value it checked and why. The mark holds while the cell keeps that
// value.
type serverMark struct {
	val, msg string
}

// checkResult is the outcome of one check against the server.
type checkResult struct {
	rep *jobs.CheckReport
	// err is why the check could not run (offline, say).
	err error
	at  time.Time
}

// offlineCheckText says what happens to users that were not checked.
const offlineCheckText = "The check runs by itself when the server is reachable again. A task submitted now starts by itself then; " +
	"the runner checks licences and numbers first, and a user that collides with what is on the server fails alone, with the reason, " +
	"and can be fixed and retried from Tasks."

// checkSpec is what the check sends for the preview on screen; the rows
// are copied, so edits meanwhile do not race the check.
func (v *previewView) checkSpec() jobs.CheckSpec {
	s := jobs.CheckSpecFor(v.w.m, v.p)
	s.Rows = append([]wizard.Row(nil), v.p.Rows...)
	if v.fix != nil {
		s.Target.ExistingDevices = append(append([]string(nil), s.Target.ExistingDevices...), v.fix.Applied...)
	}
	return s
}

// runCheck checks the preview against the server off the UI goroutine,
// with progress, marks what collides, and then calls then (UI goroutine)
// when given. A check already running is not started twice.
func (v *previewView) runCheck(then func(checkResult)) {
	if v.p == nil || v.building {
		return
	}
	if v.checking {
		v.w.u.status.setMessage("The check against the server is still running")
		return
	}
	u := v.w.u
	if u.status.conn == Offline {
		res := checkResult{err: errOffline, at: time.Now()}
		v.showCheckResult(res)
		if then != nil {
			then(res)
		}
		return
	}
	spec := v.checkSpec()
	gen := v.gen
	v.checking = true
	v.checkBtn.Disable()
	v.checkBar.SetValue(0)
	v.checkBar.Show()
	v.checkInfo.Importance = widget.MediumImportance
	v.checkInfo.SetText(fmt.Sprintf("Checking %s against the server…", plural(len(spec.Rows), "user")))
	v.req.Refresh()
	ctx, cancel := context.WithTimeout(u.ctx, 5*time.Minute)
	u.spawn(func() {
		defer cancel()
		rep, err := jobs.Check(ctx, u.session.Reads(), spec, &jobs.CheckOptions{
			Parallel: 4,
			Progress: func(done, total int) {
				fyne.Do(func() {
					if v.checking && total > 0 {
						v.checkBar.SetValue(float64(done) / float64(total))
						v.checkInfo.SetText(fmt.Sprintf("Checking %s against the server… %d of %d reads", plural(len(spec.Rows), "user"), done, total))
					}
				})
			},
		})
		fyne.Do(func() {
			v.checking = false
			v.checkBtn.Enable()
			v.checkBar.Hide()
			if err == nil {
				u.serverAnswered()
			}
			res := checkResult{rep: rep, err: err, at: time.Now()}
			if gen != v.gen || v.p == nil {
				// The preview was rebuilt meanwhile: the marks still apply
				// to cells that kept their values.
				res.err = nil
			}
			v.showCheckResult(res)
			if then != nil {
				then(res)
			}
		})
	})
}

// showCheckResult keeps the marks of a check and says what it found.
func (v *previewView) showCheckResult(res checkResult) {
	v.lastCheck = &res
	if res.err != nil {
		v.checkWhenOnline()
		v.checkInfo.Importance = widget.WarningImportance
		v.checkInfo.SetText("Could not check against the server. " + errorWords(res.err) + " " + offlineCheckText)
		v.req.Refresh()
		return
	}
	v.server = map[int]map[wizard.Column]serverMark{}
	for _, p := range res.rep.Problems {
		r := p.Row - 1
		if v.p == nil || r < 0 || r >= len(v.p.Rows) {
			continue
		}
		if v.server[r] == nil {
			v.server[r] = map[wizard.Column]serverMark{}
		}
		v.server[r][p.Column] = serverMark{val: v.p.Rows[r].Get(p.Column), msg: "on the server: " + v.p.Model().NumberText(p.Msg)}
	}
	v.recheck() // marks the cells and says what the check found (checkLine)
	v.showSelection()
	v.req.Refresh()
}

// checkLine says what the last check against the server found, as it
// stands now: the users whose marked cells were edited since no longer
// count as failing, so the line never reads "3 users of 30 would fail"
// after the fix.
func (v *previewView) checkLine() {
	res := v.lastCheck
	if res == nil || res.err != nil || res.rep == nil || v.p == nil {
		return
	}
	n := len(v.p.Rows)
	at := res.at.Format("15:04")
	still, cells := map[int]bool{}, 0
	for r, cols := range v.server {
		for c, m := range cols {
			if r < n && v.p.Rows[r].Get(c) == m.val {
				still[r] = true
				cells++
			}
		}
	}
	found := res.rep.Rows()
	var text string
	switch {
	case found == 0:
		v.checkInfo.Importance = widget.SuccessImportance
		text = fmt.Sprintf("Checked against the server at %s: none of the %s collides with what is there.", at, plural(n, "user"))
	case len(still) == 0:
		v.checkInfo.Importance = widget.MediumImportance
		text = fmt.Sprintf("Checked against the server at %s: the %s that would have failed %s edited since. Submit checks them again (or Check against server now).",
			at, plural(found, "user"), isAre(found))
	case len(still) < found:
		v.checkInfo.Importance = widget.DangerImportance
		text = fmt.Sprintf("Checked against the server at %s: %s of %d would still fail (%s marked in red; %d edited since, checked again at Submit).",
			at, plural(len(still), "user"), n, plural(cells, "cell"), found-len(still))
	default:
		v.checkInfo.Importance = widget.DangerImportance
		text = fmt.Sprintf("Checked against the server at %s: %s of %d would fail (%s marked in red).", at, plural(len(still), "user"), n, plural(cells, "cell"))
	}
	if len(res.rep.Notes) > 0 {
		text += " Not checked: " + strings.Join(res.rep.Notes, "; ") + "."
	}
	v.checkInfo.SetText(text)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// serverMarks adds to bad the marks of the last check whose cells still
// hold the value checked; it returns how many it added and their lines.
func (v *previewView) serverMarks(bad map[int]map[wizard.Column]string) (int, []string) {
	n := 0
	var lines []string
	for r, cols := range v.server {
		if v.p == nil || r >= len(v.p.Rows) {
			continue
		}
		for c, m := range cols {
			if v.p.Rows[r].Get(c) != m.val {
				continue // edited since: the next check decides
			}
			if bad[r] == nil {
				bad[r] = map[wizard.Column]string{}
			}
			if _, ok := bad[r][c]; !ok {
				bad[r][c] = m.msg
				n++
				lines = append(lines, problemLine(v.p.RowNumber(r), c, m.msg))
			}
		}
	}
	return n, lines
}

// problemLine names a cell as its column header does: "Row 3, User ID: …".
func problemLine(row int, c wizard.Column, msg string) string {
	switch {
	case row > 0 && c.Valid():
		return fmt.Sprintf("Row %d, %s: %s", row, c.Title(), msg)
	case row > 0:
		return fmt.Sprintf("Row %d: %s", row, msg)
	case c.Valid():
		return fmt.Sprintf("%s: %s", c.Title(), msg)
	}
	return msg
}

// plural is "1 user", "2 users".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// submit checks the preview against the server, then shows what would
// fail, or the plan. One confirmation at a time, however often Submit is
// pressed.
func (v *previewView) submit() {
	if v.p == nil {
		return
	}
	u := v.w.u
	if v.storing {
		u.status.setMessage("These users are being stored as a task already: see Tasks")
		return
	}
	if v.confirming {
		return
	}
	v.confirming = true
	if v.checking {
		v.confirming = false
		u.status.setMessage("The check against the server is still running")
		return
	}
	v.runCheck(func(res checkResult) {
		if res.err == nil && res.rep != nil && res.rep.Rows() > 0 {
			v.confirmCollisions(res)
			return
		}
		v.proceed(res)
	})
}

// proceed goes on from the check to the plan of a new task, or, in a
// fix, to the retry of the jobs.
func (v *previewView) proceed(res checkResult) {
	if v.fix != nil {
		v.retryPlan(res)
		return
	}
	v.showPlan(res)
}

// confirmCollisions says which users would fail; Fix them shows only the
// rows with problems, Submit anyway goes on to the plan.
func (v *previewView) confirmCollisions(res checkResult) {
	u := v.w.u
	var lines []string
	for i, p := range res.rep.Problems {
		if i == 8 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(res.rep.Problems)-8))
			break
		}
		lines = append(lines, problemLine(p.Row, p.Column, p.Msg))
	}
	body := widget.NewLabel(strings.Join(lines, "\n"))
	body.Wrapping = fyne.TextWrapWord
	text := "Nothing has been sent. Fix the cells marked in red, or submit anyway: those users then fail, the others are created."
	title := fmt.Sprintf("%s of %d would fail on the server", plural(res.rep.Rows(), "user"), len(v.p.Rows))
	anyway := "Submit anyway"
	if v.fix != nil {
		text = "Nothing has been sent. Fix the cells marked in red, or retry anyway: those jobs fail again, the others go through."
		title = fmt.Sprintf("%s of %d would fail again", plural(res.rep.Rows(), "job"), len(v.p.Rows))
		anyway = "Retry anyway"
	}
	content := container.NewVBox(body, note(text))
	d := u.confirmDialog(title, anyway, "Fix them", content, func(ok bool) {
		v.confirming = false
		if ok {
			v.proceed(res)
			return
		}
		if !v.errorsOnly.Checked {
			v.errorsOnly.SetChecked(true)
		}
	})
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// checkHint is the check line before any check ran.
const checkHint = "Submit checks the users against the server first; Check against server does it now."

// forget drops what belongs to the previous wizard: selection, the edit
// field, problem lines, the marks of the last check.
func (v *previewView) forget() {
	v.server, v.lastCheck = nil, nil
	v.confirming = false
	v.fix = nil
	v.fixInfo.Hide()
	v.hasSel, v.hasAnchor = false, false
	v.table.UnselectAll()
	v.editor.SetText("")
	v.editor.Disable()
	v.problems.SetText("")
	v.cellInfo.SetText(selectHint)
	v.checkInfo.Importance = widget.MediumImportance
	v.checkInfo.SetText(checkHint)
	if v.errorsOnly.Checked {
		v.errorsOnly.SetChecked(false)
	}
}

// replaceInColumn replaces find with repl in column c of every row (all
// rows, not only those shown) and returns how many cells changed. Cells
// derived from c by the templates follow.
func (v *previewView) replaceInColumn(c wizard.Column, find, repl string) int {
	if v.p == nil {
		return 0
	}
	all := make([]int, len(v.p.Rows))
	for r := range all {
		all[r] = r
	}
	return v.replaceIn(c, all, find, repl)
}

// replaceIn replaces find by repl in column c of the preview rows given.
func (v *previewView) replaceIn(c wizard.Column, in []int, find, repl string) int {
	if v.p == nil || find == "" {
		return 0
	}
	var rows []int
	var vals []string
	for _, r := range in {
		if r < 0 || r >= len(v.p.Rows) {
			continue
		}
		old := v.p.Rows[r].Get(c)
		if strings.Contains(old, find) {
			rows = append(rows, r)
			vals = append(vals, strings.ReplaceAll(old, find, repl))
		}
	}
	n := len(rows)
	v.setCells(c, rows, vals)
	if n > 0 {
		v.recheck()
		v.showSelection()
		v.w.changed()
	}
	return n
}

// Where Find and replace works.
const (
	replaceAll      = "Every row"
	replaceShown    = "The rows shown (Errors only)"
	replaceSelected = "The selected rows"
)

// replaceScopes are the scopes Find and replace offers now, the likeliest
// first: the selected rows when a range of rows is selected, the rows
// shown when Errors only is ticked.
func (v *previewView) replaceScopes() []string {
	var out []string
	if v.hasSel && v.selRange().r1 > v.selRange().r0 {
		out = append(out, replaceSelected)
	}
	if v.errorsOnly.Checked {
		out = append(out, replaceShown)
	}
	return append(out, replaceAll)
}

// replaceRows are the preview rows of scope.
func (v *previewView) replaceRows(scope string) []int {
	var rows []int
	switch scope {
	case replaceSelected:
		rg := v.selRange()
		for r := rg.r0; r <= rg.r1 && r < len(v.rows); r++ {
			rows = append(rows, v.rows[r])
		}
	case replaceShown:
		rows = append(rows, v.rows...)
	default:
		for r := range v.p.Rows {
			rows = append(rows, r)
		}
	}
	return rows
}

// findReplaceDialog asks for a column, the text to find and its
// replacement, and where: every row, the rows shown or the selected ones.
// The column and the texts are those of the last time.
func (v *previewView) findReplaceDialog() {
	if v.stillBuilding("Find and replace") || v.p == nil {
		return
	}
	titles := make([]string, len(v.cols))
	for i, c := range v.cols {
		titles[i] = c.Title()
	}
	col := newSelect(titles, nil)
	switch {
	case v.lastReplace.set && slices.Contains(v.cols, v.lastReplace.col):
		col.SetSelected(v.lastReplace.col.Title())
	case v.hasSel && v.sel.Col < len(v.cols):
		col.SetSelected(v.cols[v.sel.Col].Title())
	default:
		col.SetSelected(wizard.ColUserID.Title())
	}
	scopes := v.replaceScopes()
	scope := newSelect(scopes, nil)
	scope.SetSelected(scopes[0])
	find, repl := newEntry(), newEntry()
	find.SetPlaceHolder("text to find, for example @acme.example.com")
	find.SetText(v.lastReplace.find)
	repl.SetText(v.lastReplace.repl)
	items := []*widget.FormItem{
		widget.NewFormItem("Column", col),
		widget.NewFormItem("In", scope),
		widget.NewFormItem("Find", find),
		widget.NewFormItem("Replace with", repl),
	}
	d := v.w.u.formDialog("Find and replace", "Replace", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		c := v.cols[col.SelectedIndex()]
		v.lastReplace = lastReplace{set: true, col: c, find: find.Text, repl: repl.Text}
		rows := v.replaceRows(scope.Selected)
		n := v.replaceIn(c, rows, find.Text, repl.Text)
		v.w.u.status.setMessage("Replaced in %s of %s (%s)", plural(n, "cell"), c.Title(), strings.ToLower(scope.Selected))
	})
	v.replaceDialog = d
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	v.w.u.win.Canvas().Focus(find)
	v.replaceForm = &replaceForm{col: col, scope: scope, find: find, repl: repl}
}

// lastReplace is what Find and replace was last asked.
type lastReplace struct {
	set        bool
	col        wizard.Column
	find, repl string
}

// replaceForm is the open Find and replace dialog's fields.
type replaceForm struct {
	col, scope *keySelect
	find, repl *keyEntry
}

// checkWhenOnline runs the check again once the server is reachable, if
// the preview is still on screen and not checked since.
func (v *previewView) checkWhenOnline() {
	v.w.u.status.onOnline = func() {
		v.w.u.status.onOnline = nil
		if v.p != nil && v.w.cur == wizard.StepPreview && v.lastCheck != nil && v.lastCheck.err != nil {
			v.runCheck(nil)
		}
	}
}
