package desk

import (
	"encoding/json"
	"os/user"
	"strings"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Keys of a job's fields that Fix in preview reads: the columns edited by
// hand in the preview ("userId,macAddress"), and on row 1's job the
// wizard model the task came from (its templates, without rows).
const (
	FieldEdited = "target.edited"
	FieldModel  = "target.model"
)

// OSUser is the name of the operating system's user, who submits a task
// ("" when it cannot be told).
func OSUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// PlanTask is jobs.PlanTask for profile p's administrator and server, by
// this OS user, with the fix info of m (AddFixInfo).
func PlanTask(m *wizard.Model, pv *wizard.Preview, p jobs.Profile) (jobs.TaskSpec, wizard.Summary, error) {
	spec, sum, err := jobs.PlanTask(m, pv, p.AdminUser, p.Address, OSUser())
	if err != nil {
		return spec, sum, err
	}
	AddFixInfo(m, &spec)
	return spec, sum, nil
}

// PlanTaskLazy is jobs.PlanTaskLazy for profile p's administrator and
// server, by this OS user, with the fix info of m (AddFixInfo).
func PlanTaskLazy(m *wizard.Model, pv *wizard.Preview, p jobs.Profile) (jobs.TaskSpec, error) {
	spec, err := jobs.PlanTaskLazy(m, pv, p.AdminUser, p.Address, OSUser())
	if err != nil {
		return spec, err
	}
	AddFixInfo(m, &spec)
	return spec, nil
}

// AddFixInfo stores in the jobs of spec (planned already, or as
// spec.JobAt plans them) what Fix in preview needs to apply the
// templates again: the hand-edited columns of each row, and the model on
// row 1's job.
func AddFixInfo(m *wizard.Model, spec *jobs.TaskSpec) {
	var model string
	if m.Imported == nil { // imported rows have no templates to apply again
		base := *m
		base.Edits, base.Passwords.Generated = nil, nil
		if b, err := json.Marshal(&base); err == nil {
			model = string(b)
		}
	}
	// A job's row is the number its preview row is shown by
	// (wizard.Model.RowNumber); the edits are by preview row.
	add := func(j *jobs.JobSpec, i int) {
		first := i == 0
		var cols []string
		for c := range m.Edits[i] {
			cols = append(cols, c.String())
		}
		if len(cols) > 0 {
			j.Fields[FieldEdited] = strings.Join(cols, ",")
		}
		if first && j.Row == 1 && model != "" {
			j.Fields[FieldModel] = model
		}
	}
	for i := range spec.Jobs {
		add(&spec.Jobs[i], i)
	}
	if at := spec.JobAt; at != nil {
		spec.JobAt = func(i int) (jobs.JobSpec, error) {
			j, err := at(i)
			if err == nil {
				add(&j, i)
			}
			return j, err
		}
	}
}
