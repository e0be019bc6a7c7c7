package jobs

import (
	"fmt"

	"bwbulk/wizard"
)

// PlanTask turns the valid preview p of model m into the task Submit
// stores, and the summary its confirmation shows: the setup commands
// first, then one job per row with the row's fields and target (so a
// failed job can be edited and planned again, wizard.Replan). admin,
// server and osUser say who submits it where. Nothing is stored or sent;
// an invalid preview is refused with wizard.ErrInvalidRow.
func PlanTask(m *wizard.Model, p *wizard.Preview, admin, server, osUser string) (TaskSpec, wizard.Summary, error) {
	rows, err := p.Plan()
	if err != nil {
		return TaskSpec{}, wizard.Summary{}, err
	}
	t := p.Target()
	setup := wizard.PlanSetup(m)
	spec := TaskSpec{
		Description: fmt.Sprintf("%d users in %s/%s", len(rows), t.ServiceProviderID, t.GroupID),
		OSUser:      osUser,
		Admin:       admin,
		Server:      server,
		Setup:       setup,
		Jobs:        make([]JobSpec, len(rows)),
	}
	for i, r := range rows {
		spec.Jobs[i] = JobSpec{Row: r.Row, UserID: r.UserID, Fields: wizard.JobFields(t, p.Rows[i]), Commands: r.Commands}
	}
	return spec, wizard.Summarize(m, p, setup, rows), nil
}
