package ui

import (
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
)

// jobWindow is how many jobs the Tasks screen holds of the selected task:
// a task of a hundred thousand jobs is read a window at a time, the rows
// around the ones in view.
const jobWindow = 1000

// jobHeads are the columns of the jobs table.
var jobHeads = []string{"Row", "User ID", "Status", "Attempts", "Error"}

// newJobsTable is the table of the selected task's jobs: as many rows as
// its filter selects, those out of the window read when they come into
// view.
func (v *tasksView) newJobsTable() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return v.jobTotal, len(jobHeads) },
		func() fyne.CanvasObject { return newGridCell() },
		v.updateJobCell)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return newHeaderCell() }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(jobHeads) {
			o.(*gridCell).set(jobHeads[id.Col], theme.ColorNameForeground, color.Transparent)
		}
	}
	for i, w := range []float32{60, 280, 110, 90, 500} {
		t.SetColumnWidth(i, w)
	}
	t.OnSelected = func(id widget.TableCellID) {
		v.jobRow = id.Row
		v.describeJob()
	}
	return t
}

func (v *tasksView) updateJobCell(id widget.TableCellID, o fyne.CanvasObject) {
	cell := o.(*gridCell)
	i := id.Row - v.jobOffset
	if i < 0 || i >= len(v.jobs) {
		cell.set("", theme.ColorNameForeground, color.Transparent)
		v.needRow(id.Row)
		return
	}
	j := v.jobs[i]
	col := theme.ColorNameForeground
	var text string
	switch id.Col {
	case 0:
		text = strconv.Itoa(j.Row)
	case 1:
		text = j.UserID
	case 2:
		text = statusText(j.Status)
		col = statusColor(j.Status)
	case 3:
		text = v.attemptsText(j)
	case 4:
		text = desk.JobErrorText(j.Error)
	}
	cell.set(text, col, color.Transparent)
}

// needRow reads the window around table row r, which came into view (off
// the UI goroutine: the reload applies it).
func (v *tasksView) needRow(r int) {
	if v.paging || r >= v.jobTotal || v.selected == 0 {
		return
	}
	v.paging = true
	v.jobWant = max(r-jobWindow/4, 0)
	v.reloadJobs()
}

// jobsFromTop shows the jobs of the selected task, filter and search from
// the first: the table scrolls back to the top and is read again, with
// the task list when withTasks (another task was selected; another filter
// or search changes no task).
func (v *tasksView) jobsFromTop(withTasks bool) {
	v.unselectJob()
	v.jobWant = 0
	v.table.ScrollToTop()
	v.reloadWith(withTasks, true)
}

// setJobs shows every job of js in the jobs table.
func (v *tasksView) setJobs(js []jobs.Job) {
	v.setPage(jobs.JobPage{Total: len(js), Jobs: js})
}

// setPage shows a window of the jobs.
func (v *tasksView) setPage(p jobs.JobPage) {
	v.jobs, v.jobOffset, v.jobTotal = p.Jobs, p.Offset, p.Total
	// The store reads jobs in row order, and a task being stored lists
	// them so: a row is then found by binary search, with no index to
	// build for a hundred thousand of them.
	v.rowIndex = nil
	if !slices.IsSortedFunc(p.Jobs, func(a, b jobs.Job) int { return a.Row - b.Row }) {
		v.rowIndex = make(map[int]int, len(p.Jobs))
		for i, j := range p.Jobs {
			v.rowIndex[j.Row] = i
		}
	}
}

// jobAt returns the index in jobs of the job of row number row.
func (v *tasksView) jobAt(row int) (int, bool) {
	if v.rowIndex != nil {
		i, ok := v.rowIndex[row]
		return i, ok
	}
	i, ok := slices.BinarySearchFunc(v.jobs, row, func(j jobs.Job, row int) int { return j.Row - row })
	return i, ok
}

// samePage reports whether a page read shows what the table shows.
func (v *tasksView) samePage(p jobs.JobPage) bool {
	return p.Offset == v.jobOffset && p.Total == v.jobTotal && sameJobs(v.jobs, p.Jobs)
}

// jobFilter is the filter and search of the jobs table.
func (v *tasksView) jobFilter() jobs.Filter {
	f := jobs.Filter{Search: strings.TrimSpace(v.search.Text)}
	if s := v.filter.Selected; s != "All" {
		f.Status = s
	}
	return f
}

// shownJobIDs returns the ids of task's jobs the filter and search show:
// those of the window when it holds them all, else read from the store.
func (v *tasksView) shownJobIDs(task int64) ([]int64, error) {
	if v.jobOffset == 0 && len(v.jobs) == v.jobTotal || v.selected != task {
		var out []int64
		for _, j := range v.jobs {
			if j.TaskID == task {
				out = append(out, j.ID)
			}
		}
		return out, nil
	}
	return v.u.store().JobIDs(v.u.ctx, task, v.jobFilter())
}
