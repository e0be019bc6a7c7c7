package jobs

import (
	"context"
	"fmt"
)

// sends returns, for each job of a task that sent anything, how many
// times its commands were sent: every attempt of every command, retries
// and earlier runs of the job included (Job.Attempts counts the sends of
// the current command only). It reads the audit, so it survives retries
// and edits; the reads that verify or resolve a job (the only commands
// named …Get…) are not sends.
func (s *Store) sends(ctx context.Context, taskID int64) (map[int64]int, error) {
	return s.countByJob(ctx, "sends", `SELECT job_id, COUNT(*) FROM audit
		WHERE task_id = ? AND job_id <> 0 AND outcome IN (?, ?, ?)
		AND command NOT LIKE '%Get%' GROUP BY job_id`, taskID)
}

// Attempts returns, for each job of a task that sent anything, how many
// times it was attempted: the most sends of any one of its commands
// (retries and earlier runs included). A job whose commands all went
// through at once was attempted once, however many commands it has.
func (s *Store) Attempts(ctx context.Context, taskID int64) (map[int64]int, error) {
	return s.countByJob(ctx, "attempts", `SELECT job_id, MAX(n) FROM (SELECT job_id, command, COUNT(*) AS n FROM audit
		WHERE task_id = ? AND job_id <> 0 AND outcome IN (?, ?, ?)
		AND command NOT LIKE '%Get%' GROUP BY job_id, command) AS per_command GROUP BY job_id`, taskID)
}

// countByJob runs a query of (job id, count) rows over a task's sent
// commands (its arguments: the task, then the three outcomes of a send).
// A queued task (negative id) sent nothing yet.
func (s *Store) countByJob(ctx context.Context, what, query string, taskID int64) (map[int64]int, error) {
	if taskID < 0 {
		return map[int64]int{}, nil
	}
	rows, err := s.r.QueryContext(ctx, query, taskID, OutcomeSuccess, OutcomeError, OutcomeUnknown)
	if err != nil {
		return nil, fmt.Errorf("jobs: %s of task %d: %w", what, taskID, err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("jobs: %s of task %d: %w", what, taskID, err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("jobs: %s of task %d: %w", what, taskID, err)
	}
	return out, nil
}
