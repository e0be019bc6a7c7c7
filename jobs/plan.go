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
		Description: fmt.Sprintf("%d %s in %s/%s", len(rows), plural(len(rows), "user", "users"), t.ServiceProviderID, t.GroupID),
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

// PlanTaskLazy is PlanTask for storing at once, without the summary: the
// task's jobs are planned one at a time as CreateTask stores them
// (TaskSpec.JobAt), so the plan of a large file is never held whole. The
// preview must not change until the task is stored.
func PlanTaskLazy(m *wizard.Model, p *wizard.Preview, admin, server, osUser string) (TaskSpec, error) {
	if !p.Valid() {
		_, err := p.Plan() // says why
		return TaskSpec{}, err
	}
	t := p.Target()
	spec := TaskSpec{
		Description: fmt.Sprintf("%d users in %s/%s", len(p.Rows), t.ServiceProviderID, t.GroupID),
		OSUser:      osUser,
		Admin:       admin,
		Server:      server,
		Setup:       wizard.PlanSetup(m),
		NumJobs:     len(p.Rows),
		JobAt: func(i int) (JobSpec, error) {
			cmds, err := wizard.PlanRow(t, p.Rows[i])
			if err != nil {
				return JobSpec{}, fmt.Errorf("row %d: %w", p.RowNumber(i), err)
			}
			return JobSpec{Row: p.RowNumber(i), UserID: p.Rows[i].Get(wizard.ColUserID), Fields: wizard.JobFields(t, p.Rows[i]), Commands: cmds}, nil
		},
	}
	if len(p.Rows) == 0 {
		spec.JobAt = nil
	}
	return spec, nil
}
