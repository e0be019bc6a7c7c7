package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
)

// drawnRows returns the Row column of the job rows the table draws.
func drawnRows(tv *tasksView) []string {
	var out []string
	walk(tv.table, func(o fyne.CanvasObject) {
		if c, ok := o.(*gridCell); ok && c.style.Monospace && c.text != "" && c.Size().Width == 60 {
			out = append(out, c.text)
		}
	})
	slices.Sort(out)
	return out
}

// TestTasks_JobsReadByWindow: a task of more jobs than the window shows
// all its rows in the table but holds a window of them; scrolling far
// down reads the rows that come into view, a filter or search starts
// again from its first row, and "the jobs shown" are every job the filter
// selects, not only the window's.
func TestTasks_JobsReadByWindow(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx := context.Background()
	n := jobWindow*2 + 500
	cmds := planOne(t, "w@acme.example.com")
	id, err := h.store.CreateTask(ctx, jobs.TaskSpec{Description: "window", NumJobs: n, JobAt: func(i int) (jobs.JobSpec, error) {
		u := fmt.Sprintf("win%05d@acme.example.com", i+1)
		return jobs.JobSpec{Row: i + 1, UserID: u, Fields: map[string]string{"userId": u}, Commands: cmds}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	h.u.Show(ScreenTasks)
	tv := h.u.tasks
	tv.reload()
	if tv.selected != id {
		t.Fatalf("task %d not selected (%d)", id, tv.selected)
	}
	if rows, _ := tv.table.Length(); rows != n || len(tv.jobs) != jobWindow || tv.jobOffset != 0 {
		t.Fatalf("table of %d rows holds %d jobs from %d; want %d rows, %d jobs from 0", rows, len(tv.jobs), tv.jobOffset, n, jobWindow)
	}
	if got := drawnRows(tv); len(got) == 0 || got[0] != "1" {
		t.Fatalf("rows drawn at the top: %v", got)
	}
	far := n - 10
	tv.table.ScrollTo(widget.TableCellID{Row: far, Col: 0})
	if far < tv.jobOffset || far >= tv.jobOffset+len(tv.jobs) {
		t.Fatalf("scrolled to row %d: the window is %d..%d", far+1, tv.jobOffset, tv.jobOffset+len(tv.jobs))
	}
	drawn := drawnRows(tv)
	if !slices.Contains(drawn, fmt.Sprint(far+1)) || slices.Contains(drawn, "") {
		t.Fatalf("rows drawn at row %d: %v", far+1, drawn)
	}
	// A job selected there is described, and stays so.
	tv.table.Select(widget.TableCellID{Row: far, Col: 1})
	if j, ok := tv.selectedJob(); !ok || j.Row != far+1 || tv.jobSel != j.ID {
		t.Fatalf("selected row %d: %+v %v", far+1, j, ok)
	}
	tv.search.SetText("win0000")
	if rows, _ := tv.table.Length(); rows != 9 || tv.jobOffset != 0 || tv.jobs[0].Row != 1 {
		t.Fatalf("search: %d rows from %d", rows, tv.jobOffset)
	}
	tv.search.SetText("")
	if rows, _ := tv.table.Length(); rows != n || tv.jobOffset != 0 {
		t.Fatalf("search cleared: %d rows from %d", rows, tv.jobOffset)
	}
	ids, err := tv.shownJobIDs(id)
	if err != nil || len(ids) != n {
		t.Fatalf("jobs shown: %d, %v; want %d", len(ids), err, n)
	}
}
