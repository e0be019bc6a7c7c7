package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// chooseScenario picks a training scenario in Settings → Demo server, as
// a user would.
func chooseScenario(t *testing.T, h *harness, name string) {
	t.Helper()
	d := h.u.demoSettings
	if d == nil || d.choice == nil {
		t.Fatal("Settings has no Demo server choice")
	}
	d.choice.SetSelected(scenarioOf(name).Title)
	if got := h.srv.Scenario(); got != name {
		t.Fatalf("the demo server plays %q, want %q", got, name)
	}
	if name != "" && !strings.Contains(h.u.status.profile.Text, "training: "+scenarioOf(name).Title) {
		t.Errorf("status bar reads %q, want the scenario named", h.u.status.profile.Text)
	}
	if !strings.Contains(d.about.Text, scenarioOf(name).About) {
		t.Errorf("Settings reads %q", d.about.Text)
	}
}

// submitPreview submits the preview through its plan dialog and waits
// for the task.
func submitPreview(t *testing.T, h *harness) jobs.Task {
	t.Helper()
	h.next()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan")
	}
	test.Tap(button(t, top, "Submit"))
	return waitTask(t, h.store, h.u.tasks.selected, 60*time.Second)
}

// failedJobs selects the Failed filter and returns what the footer says
// of each failed job.
func failedJobs(t *testing.T, tv *tasksView) []string {
	t.Helper()
	tv.filter.SetSelected(jobs.StatusFailed)
	tv.reload()
	var out []string
	for r := range tv.jobs {
		tv.table.Select(widget.TableCellID{Row: r, Col: 0})
		out = append(out, tv.jobInfo.Text)
	}
	return out
}

// TestScenario_takenIDRehearsed: with "A user id is taken mid-task" the
// task's second user fails for good; the failed-task screen says why,
// Retry all failed says it would fail again, and Fix in preview with
// another id ends the same task with every user.
func TestScenario_takenIDRehearsed(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	chooseScenario(t, h, "taken-id")
	walkToPreview(h, 3, "2025550300-2025550302")
	task := submitPreview(t, h)
	if task.Completed != 2 || task.Failed != 1 {
		t.Fatalf("task = %+v, want 2 completed, 1 failed", task)
	}
	tv := h.u.tasks
	got := failedJobs(t, tv)
	if len(got) != 1 || !strings.Contains(got[0], "already exists") {
		t.Fatalf("failed jobs read %q", got)
	}
	if strings.Contains(got[0], "oci:") || !strings.Contains(got[0], "refused while adding the user ([Error 4200], UserAdd") {
		t.Errorf("the failed job reads %q: want the refusal in words, with its code and command", got[0])
	}
	taken := tv.jobs[0].UserID
	test.Tap(tv.retryAll)
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Retry all failed: no dialog")
	}
	if shown := strings.Join(texts(top), "\n"); !strings.Contains(shown, "1 job of 1 would fail again") || !strings.Contains(shown, taken) {
		t.Errorf("Retry all failed reads:\n%s", shown)
	}
	test.Tap(button(t, top, "Cancel"))
	test.Tap(tv.fixBtn)
	v := h.w.preview
	if h.w.cur != wizard.StepPreview || len(v.p.Rows) != 1 || v.p.Rows[0].Get(wizard.ColUserID) != taken {
		t.Fatalf("Fix in preview: step %s, %d rows", h.w.cur, len(v.p.Rows))
	}
	local, domain, _ := strings.Cut(taken, "@")
	if n := v.replaceInColumn(wizard.ColUserID, local+"@", local+".2@"); n != 1 {
		t.Fatalf("replaced %d", n)
	}
	h.next()
	top = h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no retry confirmation")
	}
	test.Tap(button(t, top, "Retry"))
	task = waitTask(t, h.store, task.ID, 60*time.Second)
	if task.Completed != 3 || task.Failed != 0 {
		t.Fatalf("after the fix: %+v", task)
	}
	if u, ok := h.srv.User(local + ".2@" + domain); !ok || u.FirstName == "Someone" {
		t.Errorf("the fixed user on the server: %v %+v", ok, u)
	}
	if u, _ := h.srv.User(taken); u.FirstName != "Someone" {
		t.Errorf("the other administrator's user was changed: %+v", u)
	}
}

// TestScenario_licencesRehearsed: with "Licences run out mid-task" the
// users from the third on are created but their services refused; once
// licences are back (Nothing fails), Retry all failed assigns them.
func TestScenario_licencesRehearsed(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	chooseScenario(t, h, "licences")
	v := walkToPreview(h, 4, "2025550300-2025550303")
	v.setCells(wizard.ColServices, []int{0, 1, 2, 3}, []string{"Voice Messaging User", "Voice Messaging User", "Voice Messaging User", "Voice Messaging User"})
	task := submitPreview(t, h)
	if task.Completed != 2 || task.Failed != 2 {
		t.Fatalf("task = %+v, want 2 completed, 2 failed", task)
	}
	tv := h.u.tasks
	got := failedJobs(t, tv)
	if len(got) != 2 || !strings.Contains(got[0], "licences") {
		t.Fatalf("failed jobs read %q", got)
	}
	chooseScenario(t, h, "")
	// The users are the jobs' own: nothing would fail again, so the jobs
	// are queued at once, with no "would fail again" dialog.
	test.Tap(tv.retryAll)
	if top := h.u.win.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("Retry all failed asks:\n%s", strings.Join(texts(top), "\n"))
	}
	task = waitTask(t, h.store, task.ID, 60*time.Second)
	if task.Completed != 4 || task.Failed != 0 {
		t.Fatalf("after Retry all failed: %+v", task)
	}
	for _, j := range tv.jobs {
		if u, _ := h.srv.User(j.UserID); !strings.Contains(strings.Join(u.Services, ","), "Voice Messaging User") {
			t.Errorf("%s has services %v", j.UserID, u.Services)
		}
	}
}

// TestScenario_flakyRehearsed: on a flaky network (answers lost, busy
// refusals) the task still ends with every user created exactly once.
func TestScenario_flakyRehearsed(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	chooseScenario(t, h, "flaky")
	walkToPreview(h, 5, "2025550300-2025550304")
	task := submitPreview(t, h)
	if task.Completed != 5 || task.Failed != 0 {
		t.Fatalf("task = %+v, want 5 completed", task)
	}
	before := len(h.srv.UsersInGroup("acme-ent", "acme-hq")) - 5
	js, err := h.store.Jobs(context.Background(), task.ID, jobs.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if _, ok := h.srv.User(j.UserID); !ok {
			t.Errorf("%s not on the server", j.UserID)
		}
	}
	if before < 0 {
		t.Errorf("fewer users in the group than the task created")
	}
}

// TestScenario_flakyStatusClearsOnAnswer: the status bar said the server
// was busy (a probe refused on the flaky network); the first job the
// server carries out turns it Online, without waiting for the next probe.
func TestScenario_flakyStatusClearsOnAnswer(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	pumpMu.Lock()
	h.u.tasks.start()
	chooseScenario(t, h, "flaky")
	walkToPreview(h, 3, "2025550300-2025550302")
	h.u.status.setConnectivity(Offline, "the server is busy")
	h.next()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no plan")
	}
	test.Tap(button(t, top, "Submit"))
	pumpMu.Unlock()
	task := waitTask(t, h.store, h.u.tasks.selected, 60*time.Second)
	if task.Completed == 0 {
		t.Fatalf("task = %+v", task)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		pumpMu.Lock()
		conn, text := h.u.status.conn, h.u.status.state.Text
		pumpMu.Unlock()
		if conn == Online {
			if !strings.HasPrefix(text, "Online — ") {
				t.Errorf("status bar reads %q", text)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d jobs done the status bar reads %q", task.Completed, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
