package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// runTask stores a task of the given user ids in acme-ent/acme-hq, runs
// it to its end and shows it on the Tasks screen.
func runTask(t *testing.T, h *harness, ids ...string) (int64, jobs.Task) {
	t.Helper()
	spec := jobs.TaskSpec{Description: "truth", Admin: "admin", Server: "demo"}
	for i, id := range ids {
		spec.Jobs = append(spec.Jobs, jobs.JobSpec{Row: i + 1, UserID: id, Fields: map[string]string{"userId": id}, Commands: planOne(t, id)})
	}
	id, err := h.store.CreateTask(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	task := waitTask(t, h.store, id, 30*time.Second)
	h.u.Show(ScreenTasks)
	h.u.tasks.selectTask(id)
	h.u.tasks.reload()
	return id, task
}

// TestTasks_BarShowsFailures: a task whose jobs all failed draws its bar
// in the error colour, not as a plain 100%.
func TestTasks_BarShowsFailures(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	_, task := runTask(t, h, "branch.user01@acme.example.com", "branch.user02@acme.example.com")
	if task.Failed != 2 {
		t.Fatalf("task = %+v", task)
	}
	b := h.u.tasks.bar
	if b.Value != 1 || b.Failed != 1 || b.text != "100% · 2 failed" {
		t.Errorf("bar: value %v, failed %v, text %q", b.Value, b.Failed, b.text)
	}
	b.Resize(fyne.NewSize(400, 30))
	r := test.WidgetRenderer(b).(*outcomeRenderer)
	if r.failed.Size().Width != 400 || r.done.Size().Width != 0 {
		t.Errorf("failed part %v, done part %v", r.failed.Size(), r.done.Size())
	}
	if r.failed.FillColor != theme.Color(theme.ColorNameError) {
		t.Errorf("failed part colour %v", r.failed.FillColor)
	}
	var _ *canvas.Rectangle = r.failed
}

// TestTasks_FooterFollowsSelection: the footer and Edit and retry always
// describe the highlighted row of the shown task — after a reload that
// changed the job, after choosing another task, after a filter.
func TestTasks_FooterFollowsSelection(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	tv := h.u.tasks
	first, _ := runTask(t, h, "fine.one@acme.example.com")
	id, _ := runTask(t, h, "fine.two@acme.example.com", "branch.user03@acme.example.com")
	tv.table.Select(widget.TableCellID{Row: 1, Col: 1})
	if !strings.Contains(tv.jobInfo.Text, "Row 2 · branch.user03@acme.example.com · failed") || tv.edit.Disabled() {
		t.Fatalf("footer %q, edit disabled %v", tv.jobInfo.Text, tv.edit.Disabled())
	}
	// Retried and failed again: the footer reads the new state and two
	// attempts; the Attempts column counts both.
	if _, err := h.store.RetryAllFailed(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	waitTask(t, h.store, id, 30*time.Second)
	tv.reload()
	if !strings.Contains(tv.jobInfo.Text, "2 attempts") {
		t.Errorf("footer after a retry = %q", tv.jobInfo.Text)
	}
	cell := tv.table.CreateCell()
	tv.table.UpdateCell(widgetCell(1, 3), cell)
	if got := cellText(cell); got != "2" {
		t.Errorf("Attempts = %q, want 2", got)
	}
	// Row 1 highlighted: a completed job, nothing to edit.
	tv.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if !strings.Contains(tv.jobInfo.Text, "fine.two") || !tv.edit.Disabled() {
		t.Errorf("footer %q, edit disabled %v", tv.jobInfo.Text, tv.edit.Disabled())
	}
	// Another task: no row of it is highlighted yet.
	for i, task := range tv.tasks {
		if task.ID == first {
			tv.list.Select(i)
		}
	}
	if tv.jobInfo.Text != jobHint || !tv.edit.Disabled() {
		t.Errorf("after another task: footer %q, edit disabled %v", tv.jobInfo.Text, tv.edit.Disabled())
	}
}

// TestTasks_EmptyFilterSays: a filter that leaves no job says so.
func TestTasks_EmptyFilterSays(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	tv := h.u.tasks
	runTask(t, h, "fine.three@acme.example.com")
	tv.filter.SetSelected(jobs.StatusFailed)
	if !tv.noJobs.Visible() || tv.noJobs.Text != "No failed jobs" {
		t.Errorf("empty filter: visible %v, %q", tv.noJobs.Visible(), tv.noJobs.Text)
	}
	tv.filter.SetSelected("All")
	if tv.noJobs.Visible() {
		t.Error("the empty line stays over a job")
	}
	tv.search.SetText("nobody")
	if tv.noJobs.Text != "No jobs match “nobody”" {
		t.Errorf("search: %q", tv.noJobs.Text)
	}
}

// TestWizard_NewWizardOpensOnRequired: after a wizard was left on the
// Optional tabs and submitted, the next one opens every step on Required,
// with nothing of the old preview.
func TestWizard_NewWizardOpensOnRequired(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	for _, s := range []wizard.Step{wizard.StepEnterprise, wizard.StepGroup, wizard.StepUserCount, wizard.StepUserID} {
		h.w.tabs[s].SelectIndex(1)
	}
	v := h.w.preview
	v.table.Select(widget.TableCellID{Row: 0, Col: colIndex(v, wizard.ColUserID)})
	if v.editor.Text == "" {
		t.Fatal("no value in the edit field")
	}
	h.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
	if v.editor.Text != "" || v.hasSel || v.problems.Text != "" {
		t.Errorf("the old preview leaks: editor %q, selection %v, problems %q", v.editor.Text, v.hasSel, v.problems.Text)
	}
	h.w.views[wizard.StepEnterprise].(*enterpriseStep).pickID("acme-ent")
	if got := h.w.tabs[wizard.StepEnterprise].SelectedIndex(); got != 0 {
		t.Errorf("step 1 opens on tab %d", got)
	}
	h.next()
	h.w.views[wizard.StepGroup].(*groupStep).pickID("acme-hq")
	if got := h.w.tabs[wizard.StepGroup].SelectedIndex(); got != 0 {
		t.Errorf("step 2 opens on tab %d", got)
	}
	h.next()
	h.next()
	if h.w.cur != wizard.StepUserID || h.w.tabs[wizard.StepUserID].SelectedIndex() != 0 {
		t.Errorf("step %s opens on tab %d", h.w.cur, h.w.tabs[h.w.cur].SelectedIndex())
	}
}

// TestPreview_SameTextIsNoEdit: applying the text a cell already holds
// does not mark it changed by hand.
func TestPreview_SameTextIsNoEdit(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	v.table.Select(widget.TableCellID{Row: 0, Col: colIndex(v, wizard.ColFirstName)})
	v.editor.OnSubmitted(v.editor.Text)
	if h.w.m.Edited(0, wizard.ColFirstName) || strings.Contains(v.cellInfo.Text, "changed by hand") {
		t.Errorf("same text counted as an edit: %q", v.cellInfo.Text)
	}
}

// TestPreview_PasteLeavesNoStaleProblem: a paste that fixes the selected
// cell leaves no problem line about it.
func TestPreview_PasteLeavesNoStaleProblem(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	v := h.w.preview
	col := colIndex(v, wizard.ColMACAddress)
	v.table.Select(widget.TableCellID{Row: 0, Col: col})
	v.editor.SetText("not-a-mac")
	v.editor.OnSubmitted(v.editor.Text)
	if !strings.Contains(v.cellInfo.Text, "problem") {
		t.Fatalf("no problem shown for a bad MAC: %q", v.cellInfo.Text)
	}
	h.u.app.Clipboard().SetContent("0004F2000001\n0004F2000002\n")
	v.pasteColumn()
	if strings.Contains(v.cellInfo.Text, "problem") || strings.Contains(v.problems.Text, "MAC") {
		t.Errorf("stale problem after the paste: %q / %q", v.cellInfo.Text, v.problems.Text)
	}
	if !strings.Contains(h.u.status.message.Text, "Pasted 2 values into MAC address") {
		t.Errorf("status = %q", h.u.status.message.Text)
	}
}

// TestTasks_AttemptsOneOnCleanSuccess: users added with their device and
// services went through at once: Attempts reads 1 for each, not the
// number of commands.
func TestTasks_AttemptsOneOnCleanSuccess(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	v := walkToPreview(h, 2, "2025550300-2025550301")
	v.setCells(wizard.ColServices, []int{0, 1}, []string{"Voice Messaging User", "Voice Messaging User"})
	task := submitPreview(t, h)
	if task.Completed != 2 {
		t.Fatalf("task = %+v", task)
	}
	tv := h.u.tasks
	tv.reload()
	cell := tv.table.CreateCell()
	for r := range 2 {
		tv.table.UpdateCell(widgetCell(r, 3), cell)
		if got := cellText(cell); got != "1" {
			t.Errorf("row %d: Attempts = %q, want 1", r+1, got)
		}
		tv.table.Select(widget.TableCellID{Row: r, Col: 1})
		if !strings.Contains(tv.jobInfo.Text, "· 1 attempt") {
			t.Errorf("row %d footer = %q", r+1, tv.jobInfo.Text)
		}
	}
}
