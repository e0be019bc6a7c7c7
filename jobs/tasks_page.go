package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// JobPage is a window of the jobs a filter selects in a task, in row
// order: what a table of a hundred thousand jobs reads to show the rows in
// view, instead of every job.
type JobPage struct {
	// Total is how many jobs the filter selects; Offset is the position
	// of Jobs[0] among them.
	Total, Offset int
	Jobs          []Job
	// Attempts is Store.Attempts for the jobs of the page only.
	Attempts map[int64]int
}

// JobsPage reads the jobs f selects in a task from position offset on, at
// most limit of them (without their sealed payload), with how many f
// selects in all and how often each job of the page was attempted. An
// offset past the end reads the last limit jobs.
func (s *Store) JobsPage(ctx context.Context, taskID int64, f Filter, offset, limit int) (JobPage, error) {
	if d := s.queuedIn(taskID); d != nil {
		p, err := d.JobsPage(ctx, -taskID, f, offset, limit)
		for i := range p.Jobs {
			p.Jobs[i].TaskID = taskID
		}
		return p, err
	}
	where, args := jobFilterSQL(taskID, f)
	var p JobPage
	limit = max(limit, 1)
	count := func() error {
		if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE `+where, args...).Scan(&p.Total); err != nil {
			return fmt.Errorf("jobs: count jobs of task %d: %w", taskID, err)
		}
		return nil
	}
	// From the first job on, a page that is not full is all there is: a
	// search, which reads every job of the task, reads them once.
	if offset > 0 {
		if err := count(); err != nil {
			return p, err
		}
		p.Offset = max(min(offset, p.Total-limit), 0)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE `+where+` ORDER BY row LIMIT ? OFFSET ?`,
		append(args, limit, p.Offset)...)
	if err != nil {
		return p, fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
	}
	defer rows.Close()
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return p, fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
		}
		p.Jobs = append(p.Jobs, j)
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
	}
	if offset <= 0 {
		if p.Total = len(p.Jobs); p.Total == limit {
			if err := count(); err != nil {
				return p, err
			}
		}
	}
	p.Attempts, err = s.attemptsOf(ctx, taskID, p.Jobs)
	return p, err
}

// attemptsOf is Attempts for the given jobs of a task (a page: the audit
// is read through its (task_id, job_id) index for their ids only).
func (s *Store) attemptsOf(ctx context.Context, taskID int64, js []Job) (map[int64]int, error) {
	out := map[int64]int{}
	if taskID < 0 || len(js) == 0 {
		return out, nil
	}
	args := []any{taskID}
	for _, j := range js {
		args = append(args, j.ID)
	}
	args = append(args, OutcomeSuccess, OutcomeError, OutcomeUnknown)
	rows, err := s.r.QueryContext(ctx, `SELECT job_id, MAX(n) FROM (SELECT job_id, command, COUNT(*) AS n FROM audit
		WHERE task_id = ? AND job_id IN (?`+strings.Repeat(`, ?`, len(js)-1)+`) AND outcome IN (?, ?, ?)
		AND command NOT LIKE '%Get%' GROUP BY job_id, command) AS per_command GROUP BY job_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("jobs: attempts of task %d: %w", taskID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("jobs: attempts of task %d: %w", taskID, err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("jobs: attempts of task %d: %w", taskID, err)
	}
	return out, nil
}

// JobIDs returns the ids of the jobs f selects in a task, in row order.
func (s *Store) JobIDs(ctx context.Context, taskID int64, f Filter) ([]int64, error) {
	if d := s.queuedIn(taskID); d != nil {
		return d.JobIDs(ctx, -taskID, f)
	}
	where, args := jobFilterSQL(taskID, f)
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM jobs WHERE `+where+` ORDER BY row`, args...)
	if err != nil {
		return nil, fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// jobFilterSQL is the condition selecting a task's jobs by f, and its
// arguments: by status (the checking ones are the unverified pending or
// running jobs), and by a search in the user id, the error or the row
// number.
func jobFilterSQL(taskID int64, f Filter) (string, []any) {
	q := `task_id = ?`
	args := []any{taskID}
	switch f.Status {
	case "":
	case StatusChecking:
		q += ` AND unverified = 1 AND status IN ('pending','running')`
	case StatusPending, StatusRunning:
		q += ` AND status = ? AND unverified = 0`
		args = append(args, f.Status)
	default:
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	if f.Search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Search) + "%"
		row := -1
		if n, err := strconv.Atoi(strings.TrimSpace(f.Search)); err == nil {
			row = n
		}
		q += ` AND (user_id LIKE ? ESCAPE '\' OR error_text LIKE ? ESCAPE '\' OR row = ?)`
		args = append(args, like, like, row)
	}
	return q, args
}
