package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// submitPlan is what Submit shows before anything is sent.
type submitPlan struct {
	spec    jobs.TaskSpec
	summary []string
}

// buildPlan turns the valid preview into a task spec and a summary:
// users, devices, numbers, licences and side effects (jobs.PlanTask).
func buildPlan(m *wizard.Model, p *wizard.Preview, admin, server string) (*submitPlan, error) {
	spec, sum, err := desk.PlanTask(m, p, jobs.Profile{AdminUser: admin, Address: server})
	if err != nil {
		return nil, err
	}
	return &submitPlan{spec: spec, summary: sum.Lines()}, nil
}

// showPlan shows the plan, with what the check against the server found,
// and, once confirmed, stores the task (the runner starts it, or it waits
// for the connection).
func (v *previewView) showPlan(res checkResult) {
	u := v.w.u
	v.confirming = false
	if v.p == nil || v.storing {
		return
	}
	prof := u.session.Profile()
	plan, err := buildPlan(v.w.m, v.p, prof.AdminUser, prof.Address)
	if err != nil {
		u.showError("Submit", err)
		return
	}
	list := widget.NewLabel("• " + strings.Join(plan.summary, "\n• "))
	checked := ""
	switch {
	case res.err != nil:
		checked = "\n\nThe check against the server could not run. " + errorWords(res.err) + " " + offlineCheckText
	case res.rep != nil && res.rep.Rows() > 0:
		checked = fmt.Sprintf("\n\n%s will fail: they collide with what is on the server (marked in red).", plural(res.rep.Rows(), "user"))
	case res.rep != nil:
		checked = "\n\nChecked against the server: nothing collides."
	}
	if res.err == nil && u.status.conn != Online {
		checked += "\n\nThe server is not reachable now: the task will wait for the connection and start by itself."
	}
	// A name and a ticket or change reference, both optional, shown and
	// searched in Tasks and written into its downloads.
	name, ticket := newEntry(), newEntry()
	name.SetPlaceHolder(plan.spec.Description)
	ticket.SetPlaceHolder("for example CHG-1042")
	v.submitName, v.submitTicket = name, ticket
	labels := widget.NewForm(widget.NewFormItem("Task name", name), widget.NewFormItem("Ticket / reference", ticket))
	content := container.NewVBox(list, labels, note("Nothing has been sent yet."+checked))
	v.confirming = true
	d := u.confirmDialog("Submit "+plan.spec.Description+"?", "Submit", "Cancel", content, func(ok bool) {
		v.confirming = false
		v.submitName, v.submitTicket = nil, nil
		if ok {
			plan.spec.Name, plan.spec.Ticket = strings.TrimSpace(name.Text), strings.TrimSpace(ticket.Text)
			v.createTask(plan)
		}
	})
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	u.win.Canvas().Focus(name)
}

func (v *previewView) createTask(plan *submitPlan) {
	u := v.w.u
	st := u.store()
	if st == nil {
		u.showError("Submit", fmt.Errorf("no task database"))
		return
	}
	draftID := v.w.draftID
	// A save still pending would write the draft deleted below again
	// (and fail): drop it; a failed submit saves again.
	if v.w.saveTimer != nil {
		v.w.saveTimer.Stop()
	}
	v.w.saveSeq++
	store := func() {
		// A large task is stored a chunk of users at a time and runs from
		// its first chunk on (jobs.StartTask): it is shown, and its
		// progress, as soon as that chunk is stored.
		storing, err := st.StartTask(v.w.u.ctx, plan.spec)
		var id int64
		var queued bool
		if err == nil {
			id = storing.ID
			if t, terr := st.Task(v.w.u.ctx, id); terr == nil && t.Queued {
				queued = true
			}
		}
		fyne.Do(func() {
			v.storing = false
			if err != nil {
				u.tasks.storeFailed()
				u.Show(ScreenNewUsers)
				u.status.setMessage("")
				u.showError("Submit", err)
				v.w.scheduleSave()
				return
			}
			if queued {
				u.status.setMessage("Queued on this desk, waiting for the team database: %s", plan.spec.Description)
			} else {
				u.status.setMessage("Task %d submitted: %s", id, plan.spec.Description)
			}
			u.tasks.selectTask(id)
			// The wizard starts over when it is next shown, not in the
			// moment the runner starts; at once if it is on screen.
			if u.nav.Selected().Text == ScreenNewUsers {
				v.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
			} else {
				v.w.startOver = true
			}
		})
		if err != nil {
			return
		}
		// The draft goes once every user is stored: should storing stop,
		// the task is cancelled with what was stored (the rest was never
		// sent) and the draft keeps them all.
		err = storing.Wait()
		if err == nil && draftID != 0 {
			_ = st.DeleteDraft(v.w.u.ctx, draftID)
		}
		fyne.Do(func() {
			if err != nil {
				u.showError("Submit", fmt.Errorf("task %d is incomplete: %w; it was cancelled, the users not stored were not sent and the draft keeps them all", id, err))
				u.tasks.reload()
			}
			u.drafts.reload()
		})
	}
	// The Tasks screen comes first, then the task's jobs a frame later;
	// the task is stored, and the runner starts, once both are drawn.
	v.storing = true
	u.status.setMessage("Storing task: %s", plan.spec.Description)
	u.tasks.showStoring(&plan.spec)
	u.Show(ScreenTasks)
	u.afterFrame(func() {
		u.tasks.showStoringJobs(&plan.spec)
		u.afterFrame(func() { u.spawn(store) })
	})
}
