package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// CopyReport says what CopyHistory did.
type CopyReport struct {
	Copied  int     // tasks copied now
	Already int     // tasks copied by an earlier run
	Left    []int64 // tasks not finished, left in the desk's own database
}

// CopyHistory copies the finished tasks of a desk's own database (from,
// its bwbulk.db) into the team store s: each with its jobs, their
// outcomes and passwords (sealed again with the team key), and its audit.
// It is safe to repeat: a copied task's origin names the database and the
// task there, and the team database holds one task per origin, so a
// second run copies only what the first did not. A task that is not
// finished (it may still send commands from this desk) is left where it
// is and listed in the report. Nothing is sent to any server.
func (s *Store) CopyHistory(ctx context.Context, from *Store) (CopyReport, error) {
	var rep CopyReport
	if !s.Shared() {
		return rep, errors.New("jobs: team mode is off: there is no team database to copy into")
	}
	ts, err := from.listTasks(ctx)
	if err != nil {
		return rep, err
	}
	// Oldest first, so that an undo finds the task it reverses copied.
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		if !Terminal(t.Status) || t.Pending+t.Running+t.Checking > 0 {
			rep.Left = append(rep.Left, t.ID)
			continue
		}
		inflight, err := from.inflight(ctx, t.ID)
		if err != nil {
			return rep, err
		}
		if inflight {
			rep.Left = append(rep.Left, t.ID)
			continue
		}
		switch _, err := s.copyTask(ctx, from, t); {
		case err == nil:
			rep.Copied++
		case errors.Is(err, ErrOriginExists):
			rep.Already++
		default:
			return rep, fmt.Errorf("jobs: copy task %d: %w", t.ID, err)
		}
	}
	for i, j := 0, len(rep.Left)-1; i < j; i, j = i+1, j-1 {
		rep.Left[i], rep.Left[j] = rep.Left[j], rep.Left[i]
	}
	return rep, nil
}

// copyOrigin names task id of the desk database from.
func copyOrigin(from *Store, id int64) string {
	path := from.path
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return fmt.Sprintf("copy:%s:%s#%d", from.desk, path, id)
}

// inflight reports whether a task has a command sent and not settled.
func (s *Store) inflight(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT setup_inflight + teardown_inflight FROM tasks WHERE id = ?)
		+ (SELECT count(*) FROM jobs WHERE task_id = ? AND inflight = 1)`, id, id).Scan(&n)
	return n > 0, err
}

// copyTask stores finished task t of from in s, as it is, in one
// transaction.
func (s *Store) copyTask(ctx context.Context, from *Store, t Task) (int64, error) {
	spec, err := from.queuedSpec(ctx, t.ID)
	if err != nil {
		return 0, err
	}
	spec.Origin = copyOrigin(from, t.ID)
	var setupStep, teardownStep int
	var desk string
	if err := from.r.QueryRowContext(ctx, `SELECT setup_step, teardown_step, desk FROM tasks WHERE id = ?`, t.ID).
		Scan(&setupStep, &teardownStep, &desk); err != nil {
		return 0, err
	}
	if desk == "" {
		desk = from.desk
	}
	js, err := from.Jobs(ctx, t.ID, Filter{})
	if err != nil {
		return 0, err
	}
	audit, err := from.Audit(ctx, t.ID)
	if err != nil {
		return 0, err
	}
	rowOf := map[int64]int{}
	for _, j := range js {
		rowOf[j.ID] = j.Row
	}
	undoOf := spec.UndoOf
	spec.UndoOf = 0 // set below, to the copy's id
	spec.action = "copy"
	spec.actionDetail = fmt.Sprintf("from task %d of %s's own database", t.ID, desk)
	spec.then = func(ctx context.Context, tx *sql.Tx, id int64) error {
		if undoOf != 0 {
			var of int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE origin = ?`, copyOrigin(from, undoOf)).Scan(&of)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET undo_of = ? WHERE id = ?`, of, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = ?, error = ?, attention = ?, setup_step = ?, teardown_step = ?,
			desk = ?, created_at = ?, updated_at = ? WHERE id = ?`, t.Status, t.Error, t.Attention, setupStep, teardownStep,
			desk, t.Created.UnixMilli(), t.Updated.UnixMilli(), id); err != nil {
			return err
		}
		jobID := map[int]int64{}
		rows, err := tx.QueryContext(ctx, `SELECT id, row FROM jobs WHERE task_id = ?`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var jid int64
			var row int
			if err := rows.Scan(&jid, &row); err != nil {
				rows.Close()
				return err
			}
			jobID[row] = jid
		}
		rows.Close()
		for _, j := range js {
			if _, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ?, step = ?, attempts = ?, error_code = ?, error_text = ?,
				updated_at = ? WHERE id = ?`, j.Status, j.Step, j.Attempts, j.ErrorCode, j.Error, j.Updated.UnixMilli(), jobID[j.Row]); err != nil {
				return err
			}
		}
		for _, e := range audit {
			var jid int64
			if e.JobID != 0 {
				jid = jobID[rowOf[e.JobID]]
			}
			d := e.Desk
			if d == "" {
				d = desk
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit
				(at, task_id, job_id, command, request, dict_id, request_z, outcome, error_code, error_text, desk)
				VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?)`, e.At.UnixMilli(), id, jid, e.Command, e.Request,
				e.Outcome, e.ErrorCode, e.Error, d); err != nil {
				return err
			}
		}
		return nil
	}
	return s.createTask(ctx, spec)
}

// LocalHistory opens the desk's own database in data folder dir (its
// bwbulk.db) for CopyHistory; nil when there is none.
func LocalHistory(ctx context.Context, dir string, opts *Options) (*Store, error) {
	p := filepath.Join(dir, "bwbulk.db")
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return Open(ctx, p, opts)
}
