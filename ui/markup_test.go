package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// TestLayout_Screens snapshots every screen and every wizard step as
// markup (masters in testdata/; a difference is written to
// testdata/failed/ for review).
func TestLayout_Screens(t *testing.T) {
	old := examplePassword
	examplePassword = func(wizard.PasswordRules, string) (string, error) { return "Example#Pw1234", nil }
	t.Cleanup(func() { examplePassword = old })

	h := newHarness(t, harnessOpts{})
	c := h.u.win.Canvas()
	snap := func(name string) {
		t.Helper()
		test.AssertRendersToMarkup(t, name+".xml", c)
	}
	w := h.w
	h.u.Show(ScreenNewUsers)
	snap("step_enterprise")
	w.views[wizard.StepEnterprise].(*enterpriseStep).pickID("acme-ent")
	h.next()
	snap("step_group")
	w.views[wizard.StepGroup].(*groupStep).pickID("acme-hq")
	h.next()
	uc := w.views[wizard.StepUserCount].(*userCountStep)
	uc.count.entry.SetText("501")
	snap("step_usercount_over_limit")
	uc.count.entry.SetText("3")
	h.next()
	snap("step_userid")
	h.next()
	snap("step_passwords")
	h.next()
	snap("step_names")
	h.next()
	num := w.views[wizard.StepNumbers].(*numbersStep)
	num.mode.SetSelected(numList)
	num.add.SetText("2025550300-2025550302")
	num.add.OnSubmitted(num.add.Text)
	snap("step_numbers")
	h.next()
	dev := w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Generic SIP Phone")
	snap("step_device")
	h.next()
	w.views[wizard.StepServices].(*servicesStep).pickName("Basic")
	snap("step_services")
	h.next()
	snap("step_department")
	h.next()
	snap("step_details")
	h.next()
	snap("step_contact")
	h.next()
	snap("step_address")
	h.next()
	snap("step_preview")

	ctx := context.Background()
	if _, err := h.store.CreateTask(ctx, jobs.TaskSpec{Description: "1 user in acme-ent/acme-hq", OSUser: "helpdesk", Admin: "admin", Server: "demo",
		Jobs: []jobs.JobSpec{{Row: 1, UserID: "a@acme.example.com", Fields: map[string]string{"userId": "a@acme.example.com"}, Commands: planOne(t, "a@acme.example.com")}}}); err != nil {
		t.Fatal(err)
	}
	h.u.tasks.reload()
	h.u.Show(ScreenTasks)
	snap("screen_tasks")

	data, _ := w.m.MarshalDraft(w.cur)
	if _, err := h.store.SaveDraft(ctx, jobs.Draft{Name: "3 users in acme-ent/acme-hq", Data: data}); err != nil {
		t.Fatal(err)
	}
	h.u.drafts.reload()
	h.u.Show(ScreenDrafts)
	snap("screen_drafts")

	h.u.Show(ScreenImport)
	snap("screen_import")

	h.u.connections.edit(jobs.Profile{Name: "Lab AS", Address: "as1.example.net:2209", Transport: "tls", AdminUser: "helpdesk"})
	h.u.Show(ScreenConnections)
	snap("screen_connections")

	h.u.Show(ScreenSettings)
	snap("screen_settings")
}
