package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// TestPreview_EditAndValidate edits cells of the preview table: an invalid
// value is highlighted with its reason on selection, the errors-only filter
// narrows the table, and fixing the cell makes the preview valid again.
func TestPreview_EditAndValidate(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 5)
	v := h.w.preview
	if v.p == nil || len(v.p.Rows) != 5 {
		t.Fatalf("preview rows = %v", v.p)
	}
	if !strings.HasPrefix(v.counts.Text, "5 users · 0 with problems") {
		t.Errorf("counts = %q", v.counts.Text)
	}
	col := -1
	for i, c := range v.cols {
		if c == wizard.ColUserID {
			col = i
		}
	}
	// Row 3 gets row 1's user id: a duplicate.
	v.table.Select(widget.TableCellID{Row: 2, Col: col})
	if v.editor.Disabled() {
		t.Fatal("editor disabled with a cell selected")
	}
	v.editor.SetText(v.p.Rows[0].Get(wizard.ColUserID))
	v.editor.OnSubmitted(v.editor.Text)
	if !strings.Contains(v.counts.Text, "with problems") || strings.Contains(v.counts.Text, " 0 with problems") {
		t.Errorf("counts after a duplicate = %q", v.counts.Text)
	}
	if _, bad := v.bad[2][wizard.ColUserID]; !bad {
		t.Errorf("row 3 userId not marked bad: %v", v.bad)
	}
	if !strings.Contains(v.cellInfo.Text, "problem") {
		t.Errorf("selected cell info = %q, want the reason", v.cellInfo.Text)
	}
	if !h.w.next.Disabled() {
		t.Error("Submit enabled with a duplicate user id")
	}
	// The cell is drawn with the error colour.
	cell := v.table.CreateCell()
	v.updateCell(widget.TableCellID{Row: 2, Col: col}, cell)
	if bg := cellBackground(cell); bg != badCellColor {
		t.Errorf("bad cell background = %v", bg)
	}
	// Errors only.
	test.Tap(v.errorsOnly)
	if len(v.rows) == 0 || len(v.rows) >= 5 {
		t.Errorf("errors only shows %d rows", len(v.rows))
	}
	test.Tap(v.errorsOnly)
	if len(v.rows) != 5 {
		t.Errorf("all rows: %d", len(v.rows))
	}
	// Fix it.
	v.table.Select(widget.TableCellID{Row: 2, Col: col})
	v.editor.SetText("fixed.003@acme.example.com")
	v.editor.OnSubmitted(v.editor.Text)
	if !v.p.Valid() || h.w.next.Disabled() {
		t.Errorf("preview still invalid: %v", v.p.Problems())
	}
	if !h.w.m.Edited(2, wizard.ColUserID) {
		t.Error("hand edit not recorded in the model")
	}
	// Passwords are masked unless asked.
	pcol := -1
	for i, c := range v.cols {
		if c == wizard.ColPassword {
			pcol = i
		}
	}
	v.updateCell(widget.TableCellID{Row: 0, Col: pcol}, cell)
	if txt := cellText(cell); !strings.HasPrefix(txt, "•") {
		t.Errorf("password cell shows %q", txt)
	}
}

// TestPreview_PasteColumn pastes MAC addresses from the clipboard into
// the selected column.
func TestPreview_PasteColumn(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 3)
	v := h.w.preview
	col := -1
	for i, c := range v.cols {
		if c == wizard.ColMACAddress {
			col = i
		}
	}
	h.u.app.Clipboard().SetContent("0004f2aabb01\r\n0004f2aabb02\n0004f2aabb03\n0004f2aabb04\n")
	v.table.Select(widget.TableCellID{Row: 0, Col: col})
	v.pasteColumn()
	for i, want := range []string{"0004f2aabb01", "0004f2aabb02", "0004f2aabb03"} {
		if got := v.p.Rows[i].Get(wizard.ColMACAddress); !strings.EqualFold(got, want) {
			t.Errorf("row %d mac = %q, want %q", i+1, got, want)
		}
	}
}

func cellBackground(o fyne.CanvasObject) color.Color { return o.(*gridCell).fill }

func cellText(o fyne.CanvasObject) string { return o.(*gridCell).text }

// waitTask polls the store until the task is terminal.
func waitTask(t *testing.T, st *jobs.Store, id int64, timeout time.Duration) jobs.Task {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		task, err := st.Task(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if jobs.Terminal(task.Status) {
			return task
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %d still %s after %s", id, task.Status, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFlow_WizardSubmitTaskCompleted is the whole flow: the wizard filled
// through its widgets, Submit, the runner provisions the simulator, the
// Tasks screen shows the task completed and the users exist.
func TestFlow_WizardSubmitTaskCompleted(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	h.toStep(wizard.StepNumbers, 6)
	num := h.w.views[wizard.StepNumbers].(*numbersStep)
	num.mode.SetSelected(numList)
	num.add.SetText("2025550300-2025550305")
	num.add.OnSubmitted(num.add.Text)
	h.next()
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Generic SIP Phone")
	for h.w.cur < wizard.StepPreview {
		h.next()
	}
	v := h.w.preview
	if !v.p.Valid() {
		t.Fatalf("preview invalid: %v", v.p.Problems())
	}
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan.summary, "\n"), "Create 6 users") || !strings.Contains(strings.Join(plan.summary, "\n"), "Create 6 devices") {
		t.Errorf("plan summary = %q", plan.summary)
	}
	h.next() // Submit shows the plan; nothing is stored before it is confirmed
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Submit showed no dialog")
	}
	shown := strings.Join(texts(top), "\n")
	for _, want := range []string{"Create 6 users", "Create 6 devices", "Nothing has been sent yet."} {
		if !strings.Contains(shown, want) {
			t.Errorf("plan dialog lacks %q; it reads:\n%s", want, shown)
		}
	}
	if ts, err := h.store.ListTasks(context.Background()); err != nil || len(ts) != 0 {
		t.Fatalf("before confirming: %d tasks stored (err %v)", len(ts), err)
	}
	test.Tap(button(t, top, "Submit"))
	if h.u.win.Canvas().Overlays().Top() != nil {
		t.Error("the plan dialog stayed open after Submit")
	}
	if h.u.nav.Selected().Text != ScreenTasks {
		t.Errorf("after submit the screen is %q", h.u.nav.Selected().Text)
	}
	id := h.u.tasks.selected
	if id == 0 {
		t.Fatal("no task selected after submit")
	}
	task := waitTask(t, h.store, id, 30*time.Second)
	if task.Status != jobs.StatusCompleted || task.Completed != 6 {
		t.Fatalf("task = %+v", task)
	}
	h.u.tasks.reload()
	if !strings.Contains(h.u.tasks.counts.Text, "6 of 6 done") {
		t.Errorf("counts = %q", h.u.tasks.counts.Text)
	}
	// Pause clicked as the task finishes: a note, not an error dialog.
	h.u.tasks.control("Pause", h.runner.Pause)
	if h.u.win.Canvas().Overlays().Top() != nil {
		t.Error("an error dialog for pausing a finished task")
	}
	if got, want := h.u.status.message.Text, fmt.Sprintf("Pause: task %d is completed now", id); got != want {
		t.Errorf("status message = %q, want %q", got, want)
	}
	for i := 0; i < 6; i++ {
		id := fmt.Sprintf("user.%03d@acme.example.com", i+1)
		u, ok := h.srv.User(id)
		if !ok {
			t.Errorf("%s not created", id)
			continue
		}
		if u.PhoneNumber != fmt.Sprintf("202555030%d", i) {
			t.Errorf("%s phone = %q", id, u.PhoneNumber)
		}
		if u.DeviceName == "" {
			t.Errorf("%s has no device", id)
		}
	}
	// The draft of a submitted wizard is gone and the wizard starts over
	// when shown again.
	h.u.Show(ScreenNewUsers)
	if h.w.cur != wizard.StepEnterprise || h.w.m.UserCount != wizard.NewModel().UserCount || h.w.m.Group.ID != "" {
		t.Errorf("wizard at %s after submit", h.w.cur)
	}
}

// TestTasks_FiltersAndEditRetry runs a task where some rows fail, then
// checks the panel's filters and search, and fixes a failed row with
// Edit and retry.
func TestTasks_FiltersAndEditRetry(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	h.toStep(wizard.StepDevice, 4)
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	// This type needs a MAC address: the step lets the template stay blank
	// (MACs are usually pasted into the preview), and the preview asks for
	// one per row.
	dev.devType.set("Polycom VVX 450")
	if h.w.next.Disabled() {
		t.Fatalf("Device step refuses a blank MAC: %v", h.w.m.Validate(wizard.StepDevice))
	}
	p, err := h.w.m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, pr := range p.RowProblems(0) {
		if pr.Column == wizard.ColMACAddress {
			got = append(got, pr.Msg)
		}
	}
	if !strings.Contains(strings.Join(got, "; "), "Polycom VVX 450 needs a MAC address") {
		t.Fatalf("preview row 1 without a MAC: problems %q", got)
	}
	dev.mac.entry.SetText("0004f2{{ index | pad 6 }}")
	for h.w.cur < wizard.StepPreview {
		h.next()
	}
	v := h.w.preview
	// Rows 1 and 3 reuse MACs of acme-branch's phones: the server
	// refuses them (MACs are unique in the enterprise).
	v.p.Set(0, wizard.ColMACAddress, "0004F2B10001")
	v.p.Set(2, wizard.ColMACAddress, "00:04:f2:b1:00:02")
	v.recheck()
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	v.createTask(plan)
	id := h.u.tasks.selected
	task := waitTask(t, h.store, id, 30*time.Second)
	if task.Completed != 2 || task.Failed != 2 {
		t.Fatalf("task = %+v, want 2 completed and 2 failed", task)
	}
	tv := h.u.tasks
	tv.reload()
	if len(tv.jobs) != 4 {
		t.Fatalf("all: %d jobs", len(tv.jobs))
	}
	cases := []struct {
		filter, search string
		want           int
	}{
		{"All", "", 4},
		{jobs.StatusFailed, "", 2},
		{jobs.StatusCompleted, "", 2},
		{jobs.StatusPending, "", 0},
		{"All", "user.004", 1},
		{jobs.StatusFailed, "MAC", 2},
	}
	for _, c := range cases {
		t.Run(c.filter+"/"+c.search, func(t *testing.T) {
			tv.search.SetText(c.search)
			tv.filter.SetSelected(c.filter)
			if len(tv.jobs) != c.want {
				t.Errorf("%d jobs, want %d", len(tv.jobs), c.want)
			}
		})
	}
	tv.search.SetText("")
	tv.filter.SetSelected(jobs.StatusFailed)
	if tv.retryAll.Disabled() {
		t.Error("Retry all failed disabled with failed jobs")
	}
	// Edit row 1: give it a free MAC, save, and it completes.
	tv.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if tv.edit.Disabled() {
		t.Fatal("Edit and retry disabled on a failed job")
	}
	j, err := h.store.Job(context.Background(), tv.jobSel)
	if err != nil {
		t.Fatal(err)
	}
	fields := j.Fields
	fields[wizard.ColMACAddress.String()] = "0004f2000001"
	if err := h.runner.EditJob(context.Background(), j.ID, fields); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		j, _ = h.store.Job(context.Background(), j.ID)
		if jobs.Terminal(j.Status) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if j.Status != jobs.StatusCompleted {
		t.Errorf("edited job %s: %s", j.Status, j.Error)
	}
}

// TestTasks_FlushCoalesces delivers progress synchronously: the progress
// bar and counts follow the latest event of the selected task.
func TestTasks_FlushCoalesces(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	st := h.store
	id, err := st.CreateTask(context.Background(), jobs.TaskSpec{Description: "probe", Jobs: []jobs.JobSpec{
		{Row: 1, UserID: "a@x", Fields: map[string]string{"userId": "a@x"}, Commands: planOne(t, "a@x")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tv := h.u.tasks
	tv.selectTask(id)
	tv.list.Resize(fyne.NewSize(300, 400))
	if line := strings.Join(texts(tv.list), " | "); !strings.Contains(line, "pending · 0/1") {
		t.Fatalf("task list shows %q before any progress", line)
	}
	tv.flush(flushing{progress: map[int64]taskProgress{id: {Done: 0, Total: 1, Status: jobs.StatusRunning}}})
	tv.tasks[0].Status = jobs.StatusRunning
	tv.flush(flushing{progress: map[int64]taskProgress{id: {Done: 1, Total: 2, ETA: 3 * time.Second, Throughput: 2}}})
	if tv.bar.Value != 0.5 {
		t.Errorf("bar = %v, want 0.5", tv.bar.Value)
	}
	if !strings.Contains(tv.counts.Text, "1 of 2 done") || !strings.Contains(tv.counts.Text, "3s left") {
		t.Errorf("counts = %q", tv.counts.Text)
	}
	// The task's line in the list follows too.
	if line := strings.Join(texts(tv.list), " | "); !strings.Contains(line, "running · 1/2") {
		t.Errorf("task list shows %q, want its progress 1/2", line)
	}
}

// walk calls f for o and everything drawn inside it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, f)
		}
	}
}

// texts lists the text of every label inside o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(c fyne.CanvasObject) {
		switch l := c.(type) {
		case *widget.Label:
			out = append(out, l.Text)
		case *quietLabel:
			out = append(out, l.Text)
		}
	})
	return out
}

// button finds the button labelled text inside o.
func button(t *testing.T, o fyne.CanvasObject, text string) *keyButton {
	t.Helper()
	var found *keyButton
	walk(o, func(c fyne.CanvasObject) {
		if b, ok := c.(*keyButton); ok && b.Text == text && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button", text)
	}
	return found
}

// TestTasks_JobsFollowEvents: the jobs table of the selected task takes
// job events as they come, without reading the store; a late progress
// event does not undo a job at rest; a filtered table does not follow
// events (it is read again when due).
func TestTasks_JobsFollowEvents(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	ctx := context.Background()
	var specs []jobs.JobSpec
	for i := 1; i <= 3; i++ {
		uid := fmt.Sprintf("f%d@acme.example.com", i)
		specs = append(specs, jobs.JobSpec{Row: i, UserID: uid, Fields: map[string]string{"userId": uid}, Commands: planOne(t, uid)})
	}
	id, err := h.store.CreateTask(ctx, jobs.TaskSpec{Description: "follow", Jobs: specs})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := h.store.Jobs(ctx, id, jobs.Filter{})
	tv := h.u.tasks
	tv.selected = id
	tv.reload()
	if len(tv.jobs) != 3 || !tv.followsEvents() {
		t.Fatalf("%d jobs shown, follows events %v", len(tv.jobs), tv.followsEvents())
	}
	ev := func(row int, status, msg string, attempts int) map[int64]map[int]jobs.Event {
		return map[int64]map[int]jobs.Event{id: {row: {TaskID: id, JobID: stored[row-1].ID, Row: row, Status: status, Err: msg, Attempts: attempts}}}
	}
	tv.flush(flushing{moved: ev(2, jobs.StatusFailed, "boom", 2)})
	if j := tv.jobs[1]; j.Status != jobs.StatusFailed || j.Error != "boom" || j.Attempts != 2 || j.ID != stored[1].ID {
		t.Fatalf("row 2 after its event: %+v", j)
	}
	tv.flush(flushing{moved: ev(2, jobs.StatusRunning, "", 2)})
	if tv.jobs[1].Status != jobs.StatusFailed {
		t.Errorf("a late progress event moved row 2 back to %s", tv.jobs[1].Status)
	}
	if tv.jobs[0].Status != jobs.StatusPending || tv.jobs[2].Status != jobs.StatusPending {
		t.Errorf("rows without events changed: %+v", tv.jobs)
	}

	// Filtered: events are not applied; a due flush reads the store.
	tv.filter.SetSelected(jobs.StatusPending)
	if tv.followsEvents() || len(tv.jobs) != 3 {
		t.Fatalf("filtered on pending: follows events %v, %d jobs (the store has 3 pending)", tv.followsEvents(), len(tv.jobs))
	}
	tv.flush(flushing{moved: ev(3, jobs.StatusFailed, "x", 1)})
	if tv.jobs[2].Status != jobs.StatusPending {
		t.Errorf("the pending list took an event: %+v", tv.jobs[2])
	}
}
