package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Origin is what an earlier task's jobs say about where its users went
// and how the wizard made them.
type Origin struct {
	SP, Group    string
	IsEnterprise bool
	// Model is the wizard model the task was made from (on row 1's job,
	// AddFixInfo); nil for imported users and tasks stored before it was
	// kept.
	Model *wizard.Model
	// Prior is what the task did to the group.
	Prior *Prior
}

// Prior is what an earlier task did to its group, and when it last moved:
// an offline copy of the group read before then does not know it.
type Prior struct {
	Outcome wizard.TaskOutcome
	Updated time.Time
}

// ReadOrigin reads the target and wizard model of task t from its jobs.
func ReadOrigin(ctx context.Context, st *jobs.Store, t jobs.Task) (Origin, error) {
	id := t.ID
	j := RowOneJob(ctx, st, id, nil)
	if j.Fields == nil {
		// No row 1 (a task of fixes, say): any job names the target.
		js, err := st.Jobs(ctx, id, jobs.Filter{})
		if err != nil {
			return Origin{}, err
		}
		if len(js) == 0 {
			return Origin{}, fmt.Errorf("task %d has no users", id)
		}
		if j, err = st.Job(ctx, js[0].ID); err != nil {
			return Origin{}, err
		}
	}
	o := Origin{
		SP:           j.Fields[wizard.FieldTargetSP],
		Group:        j.Fields[wizard.FieldTargetGroup],
		IsEnterprise: j.Fields[wizard.FieldTargetEnterprise] == "true",
	}
	if o.SP == "" || o.Group == "" {
		return Origin{}, fmt.Errorf("task %d does not name its group", id)
	}
	if s := j.Fields[FieldModel]; s != "" {
		m := wizard.NewModel()
		if json.Unmarshal([]byte(s), m) == nil && m.Enterprise.ID == o.SP && m.Group.ID == o.Group {
			o.Model = m
		}
	}
	o.Prior = &Prior{Outcome: wizard.TaskOutcome{Users: t.Completed}, Updated: t.Updated}
	if o.Model != nil && o.Model.Department.Mode == wizard.ModeCreate && t.Completed > 0 {
		o.Prior.Outcome.Department = o.Model.Department.Name
	}
	if o.Model != nil && o.Model.Numbers.Mode != wizard.ModeNone && o.Model.Numbers.Mode != "" {
		// Every job's number, done or not: a failed job may have been
		// given its number before it stopped.
		js, err := st.JobsWithPayload(ctx, id, jobs.Filter{})
		if err != nil {
			return Origin{}, err
		}
		for _, j := range js {
			if n := j.Fields[wizard.ColPhoneNumber.String()]; n != "" {
				o.Prior.Outcome.Numbers = append(o.Prior.Outcome.Numbers, n)
			}
		}
	}
	return o, nil
}
