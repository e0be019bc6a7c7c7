package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"bwbulk/broadworks"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// Fix is a preview opened on the failed jobs of a task: each preview row
// is one job, retried (not created again) when it is submitted.
type Fix struct {
	TaskID int64
	JobIDs []int64
	// Index is each job's row in the task (0-based): the templates
	// render it with that index.
	Index []int
	// Edited are the columns the templates do not make, by preview row:
	// hand edits of the task and of this fix, and the password.
	Edited []map[wizard.Column]bool
	// Base is the task's wizard model; nil for tasks stored before it
	// was kept (derived cells then stay as they are).
	Base *wizard.Model
	// Applied are the device names the jobs already created: not a
	// collision for the check.
	Applied []string
}

// FailedJobs reads the failed jobs of task id with their fields, and the
// task's row 1 job (it carries the wizard model, AddFixInfo).
func FailedJobs(ctx context.Context, st *jobs.Store, id int64) (failed []jobs.Job, rowOne jobs.Job, err error) {
	failed, err = st.JobsWithPayload(ctx, id, jobs.Filter{Status: jobs.StatusFailed})
	if err != nil {
		return nil, jobs.Job{}, err
	}
	return failed, RowOneJob(ctx, st, id, failed), nil
}

// RowOneJob returns the task's row 1 job with its fields (it carries the
// model), from failed when it is there; the zero Job when there is none.
func RowOneJob(ctx context.Context, st *jobs.Store, taskID int64, failed []jobs.Job) jobs.Job {
	for _, j := range failed {
		if j.Row == 1 {
			return j
		}
	}
	js, err := st.Jobs(ctx, taskID, jobs.Filter{Search: "1"})
	if err != nil {
		return jobs.Job{}
	}
	for _, j := range js {
		if j.Row == 1 {
			if full, err := st.Job(ctx, j.ID); err == nil {
				return full
			}
		}
	}
	return jobs.Job{}
}

// NewFix builds the model and the Fix of a preview of failed jobs;
// rowOne is the task's row 1 job (may be the zero Job).
func NewFix(taskID int64, failed []jobs.Job, rowOne jobs.Job) (*wizard.Model, *Fix, error) {
	if len(failed) == 0 {
		return nil, nil, errors.New("the task has no failed jobs")
	}
	f := &Fix{TaskID: taskID}
	if s := rowOne.Fields[FieldModel]; s != "" {
		base := wizard.NewModel()
		if err := json.Unmarshal([]byte(s), base); err == nil {
			f.Base = base
		}
	}
	m := f.model(failed[0].Fields)
	rows := make([]wizard.Row, len(failed))
	for i, j := range failed {
		rows[i] = wizard.RowFromFields(j.Fields)
		f.JobIDs = append(f.JobIDs, j.ID)
		f.Index = append(f.Index, j.Row-1)
		ed := map[wizard.Column]bool{wizard.ColPassword: true}
		for _, name := range strings.Split(j.Fields[FieldEdited], ",") {
			if c, ok := wizard.ParseColumn(name); ok {
				ed[c] = true
			}
		}
		f.Edited = append(f.Edited, ed)
		if j.Step > 0 {
			if d := rows[i].Get(wizard.ColDeviceName); d != "" {
				f.Applied = append(f.Applied, d)
			}
		}
	}
	m.SetImported(rows)
	// Each row is shown by its job's row in the task.
	m.RowNumbers = make([]int, len(failed))
	for i, j := range failed {
		m.RowNumbers[i] = j.Row
	}
	return m, f, nil
}

// model is the wizard model of the fix: a copy of the task's, else one
// made from the target fields of its first failed job, with the groups
// (and department) selected, as the task's setup made them.
func (f *Fix) model(first map[string]string) *wizard.Model {
	var m *wizard.Model
	if f.Base != nil {
		b, _ := json.Marshal(f.Base)
		m = wizard.NewModel()
		_ = json.Unmarshal(b, m)
	} else {
		m = wizard.NewModel()
		m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: first[wizard.FieldTargetSP], IsEnterprise: first[wizard.FieldTargetEnterprise] == "true"}
		m.Group = wizard.GroupStep{Mode: wizard.ModeSelect, ID: first[wizard.FieldTargetGroup]}
		m.UserID.Domain = first[wizard.FieldTargetDomain]
		m.Release = first[wizard.FieldTargetRelease]
	}
	m.Enterprise.Mode, m.Group.Mode = wizard.ModeSelect, wizard.ModeSelect
	if m.Department.Mode == wizard.ModeCreate {
		m.Department.Mode = wizard.ModeSelect
	}
	m.Skip = true
	return m
}

// Derive applies the task's templates again to preview rows rs of p:
// every cell not edited by hand follows the cells that were (a new user
// id gives a new line/port and device name).
func (f *Fix) Derive(p *wizard.Preview, rs []int) {
	if f.Base == nil || len(rs) == 0 {
		return
	}
	b, err := json.Marshal(f.Base)
	if err != nil {
		return
	}
	m := wizard.NewModel()
	if json.Unmarshal(b, m) != nil {
		return
	}
	m.Edits = map[int]map[wizard.Column]string{}
	maxK := 0
	for _, r := range rs {
		k := f.Index[r]
		e := map[wizard.Column]string{}
		for c := range f.Edited[r] {
			e[c] = p.Rows[r].Get(c)
		}
		m.Edits[k] = e
		maxK = max(maxK, k)
	}
	if m.UserCount < maxK+1 {
		m.UserCount = maxK + 1
	}
	sample, err := m.Sample(maxK + 1)
	if err != nil || len(sample) <= maxK {
		return
	}
	for _, r := range rs {
		d := &sample[f.Index[r]]
		for _, c := range wizard.Columns() {
			if f.Edited[r][c] {
				continue
			}
			if nv := d.Get(c); nv != p.Rows[r].Get(c) {
				p.Set(r, c, nv)
			}
		}
	}
}

// JobFields are the fields each fixed job is queued again with
// (jobs.Runner.EditJob): the preview row's cells in p's target, and the
// columns edited by hand. A row that cannot be planned is an error, with
// its row in the task (1 the first).
func (f *Fix) JobFields(p *wizard.Preview) (fields []map[string]string, row int, err error) {
	t := p.Target()
	fields = make([]map[string]string, len(p.Rows))
	for r := range p.Rows {
		fields[r] = wizard.JobFields(t, p.Rows[r])
		var cols []string
		for c := range f.Edited[r] {
			if c != wizard.ColPassword {
				cols = append(cols, c.String())
			}
		}
		if len(cols) > 0 {
			fields[r][FieldEdited] = strings.Join(cols, ",")
		}
		if _, _, err := wizard.Replan(fields[r]); err != nil {
			return nil, f.Index[r] + 1, err
		}
	}
	return fields, 0, nil
}

// Retry queues the fixed jobs again with fields (JobFields), one by one,
// and returns what went wrong, a line a job.
func (f *Fix) Retry(ctx context.Context, r *jobs.Runner, fields []map[string]string) []string {
	var errs []string
	for i, id := range f.JobIDs {
		if err := r.EditJob(ctx, id, fields[i]); err != nil {
			errs = append(errs, fmt.Sprintf("row %d: %v", f.Index[i]+1, err))
		}
	}
	return errs
}

// CheckFailed checks failed jobs against the server before they are
// queued again: their stored cells, in the group their fields name. The
// devices and the users the jobs created before they failed are theirs,
// not a collision.
func CheckFailed(ctx context.Context, reads broadworks.Doer, failed []jobs.Job) (*jobs.CheckReport, error) {
	if len(failed) == 0 {
		return nil, nil
	}
	rep, err := jobs.Check(ctx, reads, failedSpec(failed), nil)
	if rep != nil {
		rep.Problems = notOwnUser(failed, rep.Problems)
	}
	return rep, err
}

// failedSpec is the check of failed jobs: their stored cells, in the
// group their fields name; devices their jobs created are theirs.
func failedSpec(failed []jobs.Job) jobs.CheckSpec {
	f := failed[0].Fields
	s := jobs.CheckSpec{Target: wizard.Target{
		ServiceProviderID: f[wizard.FieldTargetSP], GroupID: f[wizard.FieldTargetGroup], Domain: f[wizard.FieldTargetDomain],
		Release: f[wizard.FieldTargetRelease], IsEnterprise: f[wizard.FieldTargetEnterprise] == "true",
	}}
	for _, j := range failed {
		r := wizard.RowFromFields(j.Fields)
		s.Rows = append(s.Rows, r)
		if j.Step > 0 && r.Get(wizard.ColDeviceName) != "" {
			s.Target.ExistingDevices = append(s.Target.ExistingDevices, r.Get(wizard.ColDeviceName))
		}
	}
	return s
}

// notOwnUser drops the collisions of the failed jobs that created their
// user before they failed (their services were refused, say): the user,
// number and line/port the check finds taken are the job's own, and the
// retry reads them back instead of sending them again.
func notOwnUser(failed []jobs.Job, ps []wizard.Problem) []wizard.Problem {
	var out []wizard.Problem
	for _, p := range ps {
		if p.Row >= 1 && p.Row <= len(failed) && createdUser(failed[p.Row-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// createdUser reports whether the job's user add is among its applied
// commands.
func createdUser(j jobs.Job) bool {
	for i, c := range j.Commands {
		if i >= j.Step {
			break
		}
		if strings.HasPrefix(c.OCIName(), "UserAddRequest") {
			return true
		}
	}
	return false
}

// ApplyFixes puts the rows of a fixes file (wizard.ReadFixes) back into
// the failed jobs of task id and queues them again, as Import fixes and
// bwbulk retry --fixes do (jobs.Runner.ApplyFixes); left is how many
// failed jobs the file did not name, which stay failed.
func ApplyFixes(ctx context.Context, st *jobs.Store, r *jobs.Runner, id int64, imp *wizard.Import) (queued, left int, err error) {
	if queued, err = r.ApplyFixes(ctx, id, imp); err != nil {
		return 0, 0, err
	}
	if js, err := st.Jobs(ctx, id, jobs.Filter{Status: jobs.StatusFailed}); err == nil {
		left = len(js)
	}
	return queued, left, nil
}

// FixesExport are the options of the file of a task's failed jobs to fix
// ("Failed jobs to fix…", bwbulk task N --export FILE --failed): the
// failed jobs only, without passwords; o gives the format and the
// workbook's password. Import fixes and bwbulk retry --fixes read it back.
func FixesExport(o jobs.ExportOptions) jobs.ExportOptions {
	o.Status, o.NoPasswords = jobs.StatusFailed, true
	return o
}
