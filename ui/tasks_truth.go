package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
)

// outcomeBar is a progress bar that tells done from failed: the done part
// in the primary colour, the failed part in the error colour, with the
// share finished and the failures written on it.
type outcomeBar struct {
	widget.BaseWidget
	// Value is the share of jobs finished (done or failed), 0…1; Failed
	// the share failed.
	Value, Failed float64
	text          string
}

func newOutcomeBar() *outcomeBar {
	b := &outcomeBar{}
	b.ExtendBaseWidget(b)
	return b
}

// set shows done and failed of total jobs.
func (b *outcomeBar) set(done, failed, total int) {
	b.Value, b.Failed, b.text = 0, 0, "0%"
	if total > 0 {
		b.Value = float64(done+failed) / float64(total)
		b.Failed = float64(failed) / float64(total)
		b.text = fmt.Sprintf("%d%%", int(b.Value*100+0.5))
		if failed > 0 {
			b.text += fmt.Sprintf(" · %d failed", failed)
		}
	}
	b.Refresh()
}

func (b *outcomeBar) CreateRenderer() fyne.WidgetRenderer {
	r := &outcomeRenderer{b: b,
		bg: canvas.NewRectangle(color.Transparent), done: canvas.NewRectangle(color.Transparent),
		failed: canvas.NewRectangle(color.Transparent), label: canvas.NewText("", color.Black)}
	r.label.Alignment = fyne.TextAlignCenter
	r.label.TextStyle.Bold = true
	r.Refresh()
	return r
}

type outcomeRenderer struct {
	b                *outcomeBar
	bg, done, failed *canvas.Rectangle
	label            *canvas.Text
}

func (r *outcomeRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	okW := float32(r.b.Value-r.b.Failed) * s.Width
	failW := float32(r.b.Failed) * s.Width
	r.done.Move(fyne.NewPos(0, 0))
	r.done.Resize(fyne.NewSize(okW, s.Height))
	r.failed.Move(fyne.NewPos(okW, 0))
	r.failed.Resize(fyne.NewSize(failW, s.Height))
	r.label.Resize(s)
	ts := fyne.MeasureText(r.label.Text, r.label.TextSize, r.label.TextStyle)
	r.label.Move(fyne.NewPos(0, (s.Height-ts.Height)/2))
	r.label.Resize(fyne.NewSize(s.Width, ts.Height))
}

func (r *outcomeRenderer) MinSize() fyne.Size {
	ts := fyne.MeasureText("100% · 10000 failed", theme.TextSize(), fyne.TextStyle{Bold: true})
	return fyne.NewSize(ts.Width+2*theme.InnerPadding(), ts.Height+2*theme.InnerPadding())
}

func (r *outcomeRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.done.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.failed.FillColor = th.Color(theme.ColorNameError, v)
	r.label.Text = r.b.text
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

func (r *outcomeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.done, r.failed, r.label}
}

func (r *outcomeRenderer) Destroy() {}

// emptyJobsText is what the jobs table says when it shows no job.
func emptyJobsText(filter, search string) string {
	what := "jobs"
	switch filter {
	case jobs.StatusFailed, jobs.StatusPending, jobs.StatusCompleted:
		what = filter + " jobs"
	}
	if search != "" {
		return fmt.Sprintf("No %s match “%s”", what, search)
	}
	return "No " + what
}

// showEmptyJobs shows or hides the empty-table line.
func (v *tasksView) showEmptyJobs() {
	if _, ok := v.current(); ok && v.jobTotal == 0 {
		v.noJobs.SetText(emptyJobsText(v.filter.Selected, v.search.Text))
		v.noJobs.Show()
	} else {
		v.noJobs.Hide()
	}
}

// selectedJob is the job of the highlighted row of the jobs table, when
// it is in the window read.
func (v *tasksView) selectedJob() (jobs.Job, bool) {
	if i := v.jobRow - v.jobOffset; v.jobRow >= 0 && i >= 0 && i < len(v.jobs) {
		return v.jobs[i], true
	}
	return jobs.Job{}, false
}

// describeJob makes the footer and Edit and retry describe the
// highlighted row as it is now (after a reload or an event too).
func (v *tasksView) describeJob() {
	j, ok := v.selectedJob()
	if !ok && v.jobSel != 0 && v.jobRow >= 0 && v.jobRow < v.jobTotal {
		return // scrolled out of the window read: described as it was
	}
	if !ok {
		v.jobRow, v.jobSel = -1, 0
		v.jobInfo.SetText(jobHint)
		v.edit.Disable()
		return
	}
	v.jobSel = j.ID
	info := fmt.Sprintf("Row %d · %s · %s", j.Row, j.UserID, statusText(j.Status))
	if n := v.sends[j.ID]; n > 0 {
		info += " · " + plural(n, "attempt")
	}
	if j.Error != "" {
		info += " — " + desk.JobErrorText(j.Error)
	}
	v.jobInfo.SetText(info)
	t, _ := v.current()
	// An undo's jobs are deletes: retried (Retry all failed), not edited.
	enable(v.edit, (j.Status == jobs.StatusFailed || j.Status == jobs.StatusCancelled) && j.ID != 0 && t.UndoOf == 0)
}

// jobHint is the footer with no job selected.
const jobHint = "Select a job to see its error; failed jobs can be edited and retried."

// unselectJob drops the highlighted row (another task, another filter).
func (v *tasksView) unselectJob() {
	v.jobRow = -1
	v.table.UnselectAll()
	v.describeJob()
}

// attemptsText is the Attempts cell: how often the job was attempted (1
// on a clean success, whatever its number of commands), from the audit
// when read, else the sends of its current command.
func (v *tasksView) attemptsText(j jobs.Job) string {
	n := v.sends[j.ID]
	if j.Attempts > n {
		n = j.Attempts
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
