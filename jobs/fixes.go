package jobs

import (
	"context"
	"fmt"
	"strings"

	"bwbulk/wizard"
)

// ApplyFixes puts the rows of a fixes file (wizard.ReadFixes) back into
// task taskID: each row replaces the cells of the failed job of the task
// row it names (imp.Replace), the job is planned again and queued
// (EditJob). A row for a job that has not failed is refused before
// anything changes. A blank password cell keeps the stored password (an
// export never writes a failed job's password). It returns how many jobs
// were queued again.
func (r *Runner) ApplyFixes(ctx context.Context, taskID int64, imp *wizard.Import) (int, error) {
	js, err := r.store.JobsWithPayload(ctx, taskID, Filter{Status: StatusFailed})
	if err != nil {
		return 0, err
	}
	byRow := map[int]Job{}
	for _, j := range js {
		byRow[j.Row] = j
	}
	seen := map[int]int{}
	for k, n := range imp.Replace {
		if _, ok := byRow[n]; !ok {
			return 0, fmt.Errorf("row %d of the file is for row %d of task %d, which has not failed: nothing was changed", imp.SourceRows[k], n, taskID)
		}
		if k0, dup := seen[n]; dup {
			return 0, fmt.Errorf("rows %d and %d of the file are both for row %d of task %d: keep one: nothing was changed", imp.SourceRows[k0], imp.SourceRows[k], n, taskID)
		}
		seen[n] = k
	}
	done := 0
	for k, n := range imp.Replace {
		j := byRow[n]
		row := wizard.RowFromFields(wizard.RowFields(j.Fields))
		for _, c := range imp.Columns {
			v := imp.Rows[k].Get(c)
			if c == wizard.ColPassword && v == "" {
				continue
			}
			row.Set(c, v)
		}
		fields := map[string]string{}
		for key, val := range j.Fields {
			if strings.HasPrefix(key, "target.") {
				fields[key] = val
			}
		}
		for key, val := range row.Fields() {
			fields[key] = val
		}
		if err := r.EditJob(ctx, j.ID, fields); err != nil {
			return done, fmt.Errorf("row %d: %w", n, err)
		}
		done++
	}
	return done, nil
}
