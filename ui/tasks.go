package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Job filters offered above the jobs table.
var jobFilters = []string{"All", jobs.StatusPending, jobs.StatusCompleted, jobs.StatusFailed, jobs.StatusChecking}

// flushInterval bounds UI refreshes from job events to 4 per second:
// often enough to watch, rarely enough to leave the UI goroutine free.
const flushInterval = 250 * time.Millisecond

// reloadInterval bounds how often the task list, and a filtered or
// searched jobs table, are re-read from the store while tasks run
// (progress, and an unfiltered jobs table, follow the events).
const reloadInterval = 2 * time.Second

// taskProgress is the latest progress of one task, from events.
type taskProgress struct {
	Done, Failed, Total int
	Checking            int
	Throughput          float64
	ETA                 time.Duration
	Status              string
}

// tasksView is the Tasks screen: the task list, the selected task's
// progress and controls, and its jobs with filter and search.
type tasksView struct {
	u *UI
	// flushed, when set (by tests), is called after each flush, on the
	// goroutine that flushed.
	flushed func()

	tasks    []jobs.Task
	selected int64
	// jobs is the window of the selected task's jobs the table shows
	// (those of its filter and search): jobTotal rows in all, jobs[0]
	// the one at jobOffset. Rows out of the window are read when they
	// come into view (jobWant is the offset the next read starts at);
	// paging is set while that read runs.
	jobs               []jobs.Job
	jobOffset, jobWant int
	jobTotal           int
	paging             bool
	progress           map[int64]taskProgress
	jobSel             int64
	// jobRow is the highlighted row of the jobs table (-1: none); the
	// footer and Edit and retry describe it (describeJob).
	jobRow int
	// sends is how often each job of the selected task was attempted
	// (Store.Attempts: the most sends of one of its commands).
	sends map[int64]int
	// listSel is the row selected in the task list (-1: none).
	listSel int

	// problemsOut and fixesIn are Export problems and Import fixes.
	problemsOut, fixesIn *fyne.MenuItem

	list     *widget.List
	title    *widget.Label
	detail   *widget.Label
	bar      *outcomeBar
	noJobs   *widget.Label
	counts   *widget.Label
	pause    *keyButton
	resume   *keyButton
	cancel   *keyButton
	retryAll *keyButton
	fixBtn   *keyButton
	download *keyButton
	// undoBtn opens the undo menu (undoItems); undoDialog, undoTyped and
	// undoConfirm are the open undo confirmation, its group-id entry and
	// its Undo button.
	reuseBtn    *keyButton
	undoBtn     *keyButton
	undoItems   []*fyne.MenuItem
	undoDialog  *dialog.CustomDialog
	undoTyped   *keyEntry
	undoConfirm *keyButton
	edit        *keyButton
	filter      *keySelect
	search      *keyEntry
	// taskSearch narrows the task list (taskMatches).
	taskSearch *keyEntry
	table      *widget.Table
	jobInfo    *widget.Label
	right      *fyne.Container
	empty      fyne.CanvasObject
	obj        fyne.CanvasObject
	reloadBusy bool
	reloadMore bool
	// tasksRead is set once the task list was read.
	tasksRead bool
	// reloadMoreTasks and reloadMoreJobs are set when the reload that
	// follows must read the tasks, and the selected task's jobs.
	reloadMoreTasks, reloadMoreJobs bool
	// rowIndex is the index in jobs of each row number of the window,
	// when jobs is not in row order (jobAt).
	rowIndex map[int]int
	// storing is the task being stored after Submit, shown (with its jobs,
	// all pending) until the store gives it an id.
	storing *jobs.Task
}

func newTasksView(u *UI) *tasksView {
	v := &tasksView{u: u, progress: map[int64]taskProgress{}, listSel: -1, jobRow: -1}
	v.list = widget.NewList(
		func() int { return len(v.tasks) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("#00 100 users in acme-ent/acme-hq")
			t.TextStyle.Bold = true
			t.Truncation = fyne.TextTruncateEllipsis
			s := widget.NewLabel("completed · 100/100 · by someone · 12:00")
			s.TextStyle.Italic = true
			s.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(t, s)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.tasks) {
				return
			}
			t := v.tasks[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(taskNumber(t, "#%d ") + desk.TaskTitle(t))
			box.Objects[1].(*widget.Label).SetText(v.taskLine(t))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		v.listSel = i
		if i < len(v.tasks) && v.tasks[i].ID != v.selected {
			v.selected = v.tasks[i].ID
			v.sends = nil
			v.showTask()
			v.jobsFromTop(true)
		}
	}
	v.title = heading("")
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.detail = note("")
	v.bar = newOutcomeBar()
	v.counts = widget.NewLabel("")
	// Cut rather than grown: a label whose width follows its text makes
	// every progress update lay out the screen again and draw it twice.
	v.counts.Truncation = fyne.TextTruncateEllipsis
	v.pause = newButtonWithIcon("Pause", theme.MediaPauseIcon(), func() { v.control("Pause", v.u.runner.Pause) })
	v.resume = newButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { v.control("Resume", v.u.runner.Resume) })
	v.cancel = newButtonWithIcon("Cancel task", theme.CancelIcon(), func() {
		v.u.showDialog(v.u.confirmDialog("Cancel the task?", "Cancel task", "Keep it running", infoContent("Jobs in flight finish; the rest are cancelled. Cancelled jobs can be retried."), func(ok bool) {
			if ok {
				v.control("Cancel", v.u.runner.Cancel)
			}
		}))
	})
	v.retryAll = newButtonWithIcon("Retry all failed", theme.ViewRefreshIcon(), v.retryAllFailed)
	// Download also holds the fix-and-re-import loop over the failed jobs
	// (ui/problems.go).
	v.problemsOut = fyne.NewMenuItem("Failed jobs to fix…", v.exportTaskProblems)
	v.fixesIn = fyne.NewMenuItem("Import fixes…", v.importTaskFixes)
	v.download = menuButton("Download…", theme.DownloadIcon(), fyne.NewMenuItem("Task with passwords…", v.downloadJobs), v.problemsOut, v.fixesIn)
	v.reuseBtn = v.newReuseButton()
	v.fixBtn = newButtonWithIcon("Fix in preview…", theme.DocumentCreateIcon(), v.fixInPreview)
	v.edit = newButtonWithIcon("Edit and retry…", theme.DocumentCreateIcon(), v.editJob)
	v.edit.Disable()
	v.filter = newSelect(jobFilters, nil)
	v.filter.SetSelected("All")
	v.filter.OnChanged = func(string) { v.jobsFromTop(false) }
	v.search = newEntry()
	v.search.SetPlaceHolder("Search user ID, error or row")
	v.search.OnChanged = func(string) { v.jobsFromTop(false) }
	v.table = v.newJobsTable()
	v.jobInfo = note(jobHint)
	v.noJobs = widget.NewLabel("")
	v.noJobs.Hide()
	v.undoBtn = v.undoMenu()
	controls := container.NewHBox(v.pause, v.resume, v.cancel, v.retryAll, v.fixBtn)
	// What is done with a finished task sits beside its counts.
	more := container.NewBorder(nil, nil, nil, container.NewHBox(v.download, v.undoBtn), v.counts)
	filters := inOrder(container.NewHBox(widget.NewLabel("Show"), v.filter), nil, v.search) // Tab: the filter, then the search
	// Reuse… starts new users from the task as a whole: it sits by the
	// title, where it does not widen the controls row.
	header := container.NewBorder(nil, nil, nil, v.reuseBtn, v.title)
	top := container.NewVBox(header, v.detail, v.bar, more, controls, filters)
	bottom := container.NewBorder(nil, nil, nil, v.edit, v.jobInfo)
	v.right = container.NewBorder(top, bottom, nil, nil, container.NewStack(v.table, container.NewCenter(v.noJobs)))
	v.empty = container.NewCenter(widget.NewLabel("No tasks yet. Submit users from New users or Import."))
	v.taskSearch = newEntry()
	v.taskSearch.SetPlaceHolder("Search name, ticket or group")
	v.taskSearch.OnChanged = func(string) { v.reload() }
	left := container.NewBorder(container.NewVBox(heading("Tasks"), v.taskSearch), nil, nil, nil, v.list)
	split := container.NewHSplit(left, container.NewStack(v.empty, v.right))
	split.Offset = 0.3
	v.obj = split
	v.showTask()
	return v
}

// statusColor is the colour a job or task status is written in.
func statusColor(s string) fyne.ThemeColorName {
	switch s {
	case jobs.StatusCompleted:
		return theme.ColorNameSuccess
	case jobs.StatusFailed:
		return theme.ColorNameError
	case jobs.StatusRunning:
		return theme.ColorNamePrimary
	case jobs.StatusWaiting, jobs.StatusPaused, jobs.StatusCancelled, jobs.StatusChecking:
		return theme.ColorNameWarning
	}
	return theme.ColorNameForeground
}

// statusStoring is the status of a task Submit is still storing.
const statusStoring = "storing"

// statusQueued is the status shown for a task submitted while the team
// database was out of reach (jobs.Task.Queued).
const statusQueued = "waiting for the team database"

// taskNumber is format with the task's number, or "Queued · " for a task
// that has none yet (it waits for the team database).
func taskNumber(t jobs.Task, format string) string {
	if t.Queued {
		return "Queued · "
	}
	return fmt.Sprintf(format, t.ID)
}

// statusText explains a task status for people.
func statusText(s string) string {
	switch s {
	case jobs.StatusWaiting:
		return "waiting for connection"
	case statusStoring:
		return "being stored"
	case jobs.StatusChecking:
		return "to be checked"
	}
	return s
}

// taskStatusText is statusText for a task: a task the runner stopped on
// an error that retrying cannot fix says it needs attention.
func taskStatusText(t jobs.Task) string {
	if t.Queued {
		return statusQueued
	}
	if t.Attention != "" {
		return "needs attention"
	}
	return statusText(t.Status)
}

func (v *tasksView) taskLine(t jobs.Task) string {
	done, total := t.Completed, t.Total
	if p, ok := v.progress[t.ID]; ok && p.Total > 0 && !jobs.Terminal(t.Status) {
		done, total = p.Done, p.Total
	}
	line := fmt.Sprintf("%s · %d/%d", taskStatusText(t), done, total)
	if t.Failed > 0 {
		line += fmt.Sprintf(" · %d failed", t.Failed)
	}
	if t.Checking > 0 {
		line += fmt.Sprintf(" · %d to be checked", t.Checking)
	}
	if t.OSUser != "" {
		line += " · by " + t.OSUser
	}
	if t.RunBy != "" && !jobs.Terminal(t.Status) {
		line += " · runs on " + t.RunBy
	}
	if u := v.undoneText(t); u != "" {
		line += " · " + u
	}
	return line + " · " + t.Updated.Local().Format("Jan 2 15:04")
}

func (v *tasksView) current() (jobs.Task, bool) {
	if v.selected == 0 && v.storing != nil {
		return *v.storing, true
	}
	for _, t := range v.tasks {
		if t.ID == v.selected {
			return t, true
		}
	}
	return jobs.Task{}, false
}

// showTask renders the selected task's header, progress and buttons.
func (v *tasksView) showTask() {
	t, ok := v.current()
	if !ok {
		v.right.Hide()
		v.empty.Show()
		return
	}
	v.empty.Hide()
	v.right.Show()
	if t.ID == 0 {
		v.title.SetText("New task · " + desk.TaskTitle(t))
	} else {
		v.title.SetText(taskNumber(t, "Task %d · ") + desk.TaskTitle(t))
	}
	by := t.OSUser
	if by == "" {
		by = "?"
	}
	detail := fmt.Sprintf("Submitted by %s as %s on %s, %s · status %s", by, t.Admin, t.Server, t.Created.Local().Format("Jan 2 15:04"), taskStatusText(t))
	if u := v.undoneText(t); u != "" {
		detail += ", " + u
	}
	if t.Error != "" {
		detail += " — " + t.Error
	}
	v.detail.SetText(detail)
	done, failed, checking, total := t.Completed, t.Failed, t.Checking, t.Total
	eta := ""
	if p, ok := v.progress[t.ID]; ok && !jobs.Terminal(t.Status) && p.Total > 0 {
		done, failed, checking, total = p.Done, p.Failed, p.Checking, p.Total
		status := t.Status
		if p.Status != "" {
			status = p.Status
		}
		// Waiting for the server, the last estimate no longer holds.
		if p.ETA > 0 && status == jobs.StatusRunning {
			eta = fmt.Sprintf(" · about %s left", p.ETA.Round(time.Second))
		}
		if p.Throughput > 0 && status == jobs.StatusRunning {
			eta += fmt.Sprintf(" · %.1f users/s", p.Throughput)
		}
	}
	v.bar.set(done, failed, total)
	toCheck := ""
	if checking > 0 {
		toCheck = fmt.Sprintf(" · %d to be checked", checking)
	}
	v.counts.SetText(fmt.Sprintf("%d of %d done · %d failed%s · %d pending%s", done, total, failed, toCheck,
		max(total-done-failed-checking-t.Cancelled, 0), eta))
	active := t.Status == jobs.StatusRunning || t.Status == jobs.StatusPending || t.Status == jobs.StatusWaiting
	enable(v.pause, active && v.u.runner != nil)
	enable(v.resume, (t.Status == jobs.StatusPaused || t.Status == jobs.StatusWaiting) && v.u.runner != nil)
	enable(v.cancel, (active || t.Status == jobs.StatusPaused) && v.u.runner != nil)
	enable(v.retryAll, t.Failed > 0 || t.Cancelled > 0)
	v.problemsOut.Disabled = t.Failed == 0
	v.fixesIn.Disabled = t.Failed == 0
	enable(v.fixBtn, t.Failed > 0 && jobs.Terminal(t.Status) && v.u.runner != nil)
	v.enableUndo(t)
	enable(v.reuseBtn, t.ID != 0 && t.Total > 0 && t.UndoOf == 0) // an undo made no users to start from
	if t.Queued {
		// Kept on this desk until the team database answers: it has no
		// team task to pause, retry, export or undo yet.
		for _, b := range []*keyButton{v.pause, v.resume, v.cancel, v.retryAll, v.fixBtn, v.download, v.undoBtn} {
			b.Disable()
		}
		v.problemsOut.Disabled, v.fixesIn.Disabled = true, true
		v.counts.SetText(fmt.Sprintf("%d users, kept on this desk: the task joins the team's queue when the team database answers", total))
	}
}

func enable(b *keyButton, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// reload reads tasks and the selected task's jobs off the UI goroutine and
// applies them in one fyne.Do. Calls while a reload runs are coalesced.
func (v *tasksView) reload() { v.reloadWith(true, true) }

// reloadTasks reads the tasks only; the jobs table stays as it is. Reading
// the jobs of a large task is the costly part, and a task that starts
// running changes none of them.
func (v *tasksView) reloadTasks() { v.reloadWith(true, false) }

// reloadJobs reads the selected task's jobs only (another filter, search
// or window of them): the task list, whose counts are read from every job
// of every task, stays as it is.
func (v *tasksView) reloadJobs() { v.reloadWith(false, true) }

func (v *tasksView) reloadWith(withTasks, withJobs bool) {
	st := v.u.store()
	if st == nil {
		return
	}
	withTasks = withTasks || !v.tasksRead
	if v.reloadBusy {
		v.reloadMore = true
		v.reloadMoreTasks = v.reloadMoreTasks || withTasks
		v.reloadMoreJobs = v.reloadMoreJobs || withJobs
		return
	}
	v.reloadBusy = true
	sel, from, f := v.selected, v.jobWant, v.jobFilter()
	v.u.spawn(func() {
		ctx := v.u.ctx
		var ts []jobs.Task
		var err error
		if withTasks {
			ts, err = st.ListTasks(ctx)
		}
		var page jobs.JobPage
		if err == nil && sel != 0 && withJobs {
			page, err = st.JobsPage(ctx, sel, f, from, jobWindow)
		}
		fyne.Do(func() {
			if withJobs && err == nil && sel == v.selected && !maps.Equal(v.sends, page.Attempts) {
				v.sends = page.Attempts
				v.table.Refresh()
			}
			if !withTasks {
				ts = v.tasks // as shown: sorted and searched
			}
			v.apply(ts, withTasks, page, withJobs, err)
		})
	})
}

func (v *tasksView) apply(ts []jobs.Task, withTasks bool, page jobs.JobPage, withJobs bool, err error) {
	v.reloadBusy = false
	if withJobs {
		v.paging = false
	}
	if err == nil && withTasks {
		v.tasksRead = true
		sort.Slice(ts, func(i, j int) bool {
			if ts[i].Queued != ts[j].Queued {
				return ts[i].Queued // a team store's queued tasks (negative ids) first
			}
			if ts[i].Queued {
				return ts[i].Created.After(ts[j].Created)
			}
			return ts[i].ID > ts[j].ID
		})
		if q := strings.TrimSpace(v.taskSearch.Text); q != "" {
			ts = slices.DeleteFunc(ts, func(t jobs.Task) bool { return !taskMatches(t, q) })
		}
	}
	if err == nil {
		jobsChanged := withJobs && !v.samePage(page)
		tasksChanged := !sameTasks(v.tasks, ts)
		v.tasks = ts
		switch {
		case v.selected == 0 && v.storing != nil:
			jobsChanged = false // the stored task's jobs are shown
		case withJobs:
			v.setPage(page)
		}
		if v.selected == 0 && v.storing == nil && len(ts) > 0 {
			v.selected = ts[0].ID
			v.reloadMore, v.reloadMoreJobs = true, true
		}
		if tasksChanged {
			// Select refreshes the list itself: one refresh, not two.
			sel := -1
			for i, t := range v.tasks {
				if t.ID == v.selected {
					sel = i
				}
			}
			if sel >= 0 && sel != v.listSel {
				v.list.Select(sel)
			} else {
				v.list.Refresh()
			}
		}
		if jobsChanged {
			v.table.Refresh()
		}
		v.showTask()
		v.describeJob()
		v.showEmptyJobs()
	}
	if v.reloadMore {
		tasks, more := v.reloadMoreTasks, v.reloadMoreJobs
		v.reloadMore, v.reloadMoreTasks, v.reloadMoreJobs = false, false, false
		v.reloadWith(tasks, more)
	}
}

// taskMatches reports whether the task search q (any case) is in the
// task's name, ticket, description or number.
func taskMatches(t jobs.Task, q string) bool {
	q = strings.ToLower(strings.TrimPrefix(q, "#"))
	for _, s := range []string{t.Name, t.Ticket, t.Description, strconv.FormatInt(t.ID, 10)} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// sameJobs reports whether two job lists show the same rows.
func sameJobs(a, b []jobs.Job) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Status != b[i].Status || a[i].Attempts != b[i].Attempts || a[i].Error != b[i].Error {
			return false
		}
	}
	return true
}

// sameTasks reports whether two task lists read the same.
func sameTasks(a, b []jobs.Task) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Status != y.Status || x.Completed != y.Completed || x.Failed != y.Failed || !x.Updated.Equal(y.Updated) {
			return false
		}
	}
	return true
}

// showStoring shows a task while Submit stores it, so that the screen is
// drawn before the runner starts to compete for the processor. Its jobs,
// all pending, follow in showStoringJobs (a frame later: the work of
// drawing the screen is split in two). selectTask or storeFailed ends it.
func (v *tasksView) showStoring(spec *jobs.TaskSpec) {
	v.storing = &jobs.Task{
		Description: spec.Description, OSUser: spec.OSUser, Admin: spec.Admin, Server: spec.Server,
		Name: spec.Name, Ticket: spec.Ticket,
		Status: statusStoring, Total: len(spec.Jobs), Created: time.Now(),
	}
	v.selected, v.jobSel, v.jobWant = 0, 0, 0
	v.setJobs(nil)
	v.unselectJob()
	v.list.UnselectAll()
	v.table.Refresh()
	v.showTask()
}

// showStoringJobs lists the jobs of the task showStoring shows.
func (v *tasksView) showStoringJobs(spec *jobs.TaskSpec) {
	if v.storing == nil || v.selected != 0 {
		return
	}
	js := make([]jobs.Job, len(spec.Jobs))
	for i, j := range spec.Jobs {
		js[i] = jobs.Job{Row: j.Row, UserID: j.UserID, Status: jobs.StatusPending}
	}
	v.setJobs(js)
	v.table.Refresh()
}

// storeFailed drops the task shown by showStoring.
func (v *tasksView) storeFailed() {
	v.storing = nil
	v.setJobs(nil)
	v.table.Refresh()
	v.reload()
}

// selectTask selects the task just stored after Submit. Its jobs, all
// pending, are on screen already (showStoringJobs): they are read from the
// store with the first progress, not while the runner starts on them.
func (v *tasksView) selectTask(id int64) {
	v.storing = nil
	v.selected, v.jobWant = id, 0
	v.sends = nil
	v.unselectJob()
	v.reloadTasks()
}

// start drains runner events in one goroutine and flushes at most every
// flushInterval on the UI goroutine.
func (v *tasksView) start() {
	if v.u.runner == nil {
		return
	}
	events, unsubscribe := v.u.runner.Subscribe()
	v.u.goWork(func() { v.pump(events, unsubscribe) })
}

func (v *tasksView) pump(events <-chan jobs.Event, unsubscribe func()) {
	defer unsubscribe()
	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
	pending := map[int64]taskProgress{}
	moved := map[int64]map[int]jobs.Event{} // latest event of each job, by task and row
	structural, answered := false, false
	// jobsMoved: a task changed state in a way its jobs show (it ended,
	// paused, was cancelled or waits): the jobs are read at once.
	jobsMoved := false
	lastReload := time.Time{}
	for {
		select {
		case <-v.u.ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			p := pending[ev.TaskID]
			p.Done, p.Failed, p.Checking, p.Total, p.Throughput, p.ETA = ev.Done, ev.Failed, ev.Checking, ev.Total, ev.Throughput, ev.ETA
			if ev.JobID == 0 {
				p.Status = ev.Status
				structural = true
				jobsMoved = jobsMoved || ev.Status != jobs.StatusRunning
			} else {
				if moved[ev.TaskID] == nil {
					moved[ev.TaskID] = map[int]jobs.Event{}
				}
				moved[ev.TaskID][ev.Row] = ev
				answered = answered || ev.Status == jobs.StatusCompleted
			}
			pending[ev.TaskID] = p
		case <-tick.C:
			// A team's tasks move on other desks too: the list is read
			// again every reloadInterval (2 s) while nothing moves here.
			if v.u.store().Shared() && time.Since(lastReload) > reloadInterval {
				structural = true
			}
			if len(pending) == 0 && !structural {
				continue
			}
			batch, jobMoves := pending, moved
			pending, moved = map[int64]taskProgress{}, map[int64]map[int]jobs.Event{}
			// The task list is re-read at every change of state and every
			// reloadInterval; the jobs table follows the job events, and
			// is re-read when a task's state shows in its jobs (it ended,
			// paused, was cancelled or waits) — or every reloadInterval
			// when it is filtered or searched (events cannot say which
			// rows then belong).
			due := !structural && time.Since(lastReload) > reloadInterval
			if structural || due {
				lastReload = time.Now()
			}
			f := flushing{progress: batch, moved: jobMoves, reload: structural || due, jobsMoved: jobsMoved, due: due, answered: answered}
			structural, jobsMoved, answered = false, false, false
			pumpDo(func() { v.flush(f) })
		}
	}
}

// flushing is what pump gathered since the last flush.
type flushing struct {
	progress map[int64]taskProgress
	moved    map[int64]map[int]jobs.Event
	// reload: re-read the task list; jobsMoved: and the jobs; due: and
	// the jobs if the table does not follow events.
	reload, jobsMoved, due bool
	// answered: a job was done, so the server answers.
	answered bool
}

// flush applies coalesced progress and job moves (UI goroutine), and
// re-reads what f asks for.
func (v *tasksView) flush(f flushing) {
	if v.flushed != nil {
		defer v.flushed()
	}
	for id, p := range f.progress {
		old := v.progress[id]
		if p.Status == "" {
			p.Status = old.Status
		}
		v.progress[id] = p
	}
	// The list's progress line of each task that moved.
	for i, t := range v.tasks {
		if _, ok := f.progress[t.ID]; ok {
			v.list.RefreshItem(i)
		}
	}
	if f.answered {
		v.u.serverAnswered()
	}
	if v.followsEvents() && v.follow(f.moved[v.selected]) {
		v.table.Refresh()
		v.describeJob()
	}
	if f.reload {
		// The reload shows the progress too, with what it read: one
		// frame instead of two.
		v.reloadWith(true, f.jobsMoved || f.due && !v.followsEvents())
		return
	}
	if _, ok := f.progress[v.selected]; ok {
		v.showTask()
	}
}

// followsEvents reports whether the jobs table shows every job of the
// selected task, so that job events can be applied to it as they come.
func (v *tasksView) followsEvents() bool {
	return v.selected != 0 && v.filter.Selected == "All" && strings.TrimSpace(v.search.Text) == ""
}

// follow applies job events to the rows they name; it reports whether a
// row changed.
func (v *tasksView) follow(moved map[int]jobs.Event) bool {
	changed := false
	for row, ev := range moved {
		i, ok := v.jobAt(row)
		if !ok || i >= len(v.jobs) {
			continue
		}
		j := &v.jobs[i]
		if j.Status == ev.Status && j.Error == ev.Err && j.Attempts == ev.Attempts && j.ID == ev.JobID {
			continue
		}
		if jobs.Terminal(j.Status) && !jobs.Terminal(ev.Status) {
			continue // a late progress event of a job already at rest
		}
		j.ID, j.Status, j.Error, j.Attempts = ev.JobID, ev.Status, ev.Err, ev.Attempts
		changed = true
	}
	return changed
}

func (v *tasksView) control(what string, f func(context.Context, int64) error) {
	if v.u.runner == nil || v.selected == 0 {
		return
	}
	id := v.selected
	v.u.spawn(func() {
		err := f(v.u.ctx, id)
		var now jobs.Task
		if errors.Is(err, jobs.ErrTaskState) {
			now, _ = v.u.store().Task(v.u.ctx, id)
		}
		fyne.Do(func() {
			switch {
			case now.ID != 0:
				// The task moved on between the look and the click (it
				// finished, say): say so and show it as it is.
				v.u.status.setMessage("%s: task %d is %s now", what, id, statusText(now.Status))
			case err != nil:
				v.u.showError(what, err)
			}
			v.reload()
		})
	})
}

// editJob opens a failed job's fields in a form; Save re-plans and
// queues it again.
func (v *tasksView) editJob() {
	st, id := v.u.store(), v.jobSel
	if st == nil || id == 0 || v.u.runner == nil {
		return
	}
	v.u.spawn(func() {
		j, err := st.Job(v.u.ctx, id)
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Edit job", err)
				return
			}
			v.editDialog(j)
		})
	})
}

func (v *tasksView) editDialog(j jobs.Job) {
	row := wizard.RowFromFields(j.Fields)
	entries := map[wizard.Column]*keyEntry{}
	var items []*widget.FormItem
	for _, c := range wizard.Columns() {
		val := row.Get(c)
		if val == "" && c != wizard.ColPhoneNumber && c != wizard.ColExtension && c != wizard.ColMACAddress {
			continue
		}
		e := newEntry()
		if c == wizard.ColPassword {
			e = newPasswordEntry()
		}
		e.SetText(val)
		entries[c] = e
		items = append(items, widget.NewFormItem(c.Title(), e))
	}
	followUserID(entries)
	msg := widget.NewLabel("Failed: " + desk.JobErrorText(j.Error))
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	items = append([]*widget.FormItem{widget.NewFormItem("", msg)}, items...)
	d := v.u.formDialog(fmt.Sprintf("Edit row %d (%s)", j.Row, j.UserID), "Save and retry", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		fields := map[string]string{}
		for k, val := range j.Fields {
			if strings.HasPrefix(k, "target.") {
				fields[k] = val
			}
		}
		for c, e := range entries {
			if e.Text != "" {
				fields[c.String()] = e.Text
			}
		}
		v.u.spawn(func() {
			err := v.u.runner.EditJob(v.u.ctx, j.ID, fields)
			fyne.Do(func() {
				if err != nil {
					v.u.showError(fmt.Sprintf("Row %d", j.Row), err)
					return
				}
				v.u.status.setMessage("Row %d queued again", j.Row)
				v.reload()
			})
		})
	})
	d.Resize(fyne.NewSize(620, 640))
	d.Show()
}

// downloadJobs exports the selected task's jobs: row, status, error, and
// the created users with their passwords (jobs.Store.TaskSheet). A CSV
// has no workbook options, and leaves the passwords out unless asked.
func (v *tasksView) downloadJobs() {
	st, id := v.u.store(), v.selected
	if st == nil || id == 0 {
		return
	}
	o := newExportOptions("")
	o.pwSheet.Hide() // the workbook holds the passwords of the created users
	o.xlsx.Add(note("The file holds the passwords of the created users: keep it safe."))
	format, encrypt, pwCSV := o.format, o.encrypt, o.pwCSV
	items := o.items()
	d := v.u.formDialog(fmt.Sprintf("Download task %d", id), "Choose file…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		csv := format.Selected == "CSV"
		ext := ".xlsx"
		if csv {
			ext = ".csv"
		}
		pass, withPw := encrypt.Text, pwCSV.Checked
		v.u.chooseSave(fmt.Sprintf("Download task %d", id), fmt.Sprintf("task-%d%s", id, ext), ext, func(wc fyne.URIWriteCloser, err error) {
			if err != nil {
				v.u.showError("Download", err)
				return
			}
			if wc == nil {
				return
			}
			// A CSV has no workbook options, and the passwords only
			// when asked for.
			o := jobs.ExportOptions{Format: jobs.FormatXLSX, Password: pass}
			if csv {
				o = jobs.ExportOptions{Format: jobs.FormatCSV, NoPasswords: !withPw}
			}
			v.u.spawn(func() {
				_, err := st.ExportTask(v.u.ctx, id, wc, o)
				if cerr := wc.Close(); err == nil {
					err = cerr
				}
				fyne.Do(func() {
					if err != nil {
						v.u.showError("Download", err)
						return
					}
					v.u.status.setMessage("Task %d saved to %s", id, wc.URI().Path())
					v.u.showSaved(fmt.Sprintf("Task %d saved", id), wc.URI())
				})
			})
		})
	})
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}
