package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bwbulk/broadworks/oci"
)

// The Store's side of the Runner: claiming work, recording intent before a
// send and outcomes after it.

// nextTask returns the oldest task with work: pending, running (possibly
// interrupted by a crash) or waiting; or paused/cancelled with a command
// whose outcome must still be resolved. 0 when none.
func (s *Store) nextTask(ctx context.Context) (int64, error) {
	if s.queueTo != "" {
		return 0, nil // a desk database's tasks run in the team's queue
	}
	if err := s.sweepStoring(ctx); err != nil {
		return 0, err
	}
	var id int64
	cond, args := s.runnableStoring()
	err := s.w.QueryRowContext(ctx, `SELECT id FROM tasks t
		WHERE (status IN ('pending','running','waiting')
		   OR (status = 'cancelled' AND (setup_inflight = 1 OR teardown_inflight = 1 OR EXISTS
		         (SELECT 1 FROM jobs j WHERE j.task_id = t.id AND j.inflight = 1 AND j.status = 'running'))))`+cond+`
		ORDER BY id LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("jobs: next task: %w", err)
	}
	return id, nil
}

// stage is a list of task-level commands sent in order, one per document,
// with its progress in the tasks table: the setup (before any job) and
// the cleanup (after every job completed).
type stage struct {
	name                         string // as messages say it
	blob, n, step, inflight, aad string
}

var (
	stageSetup    = stage{name: "setup", blob: "setup", step: "setup_step", inflight: "setup_inflight", aad: purposeSetup}
	stageTeardown = stage{name: "cleanup", blob: "teardown", n: "teardown_n", step: "teardown_step", inflight: "teardown_inflight", aad: purposeTeardown}
)

// taskStage returns a task's commands of stage st and their progress.
func (s *Store) taskStage(ctx context.Context, taskID int64, st stage) (cmds []oci.Request, step int, inflight bool, err error) {
	var blob []byte
	err = s.w.QueryRowContext(ctx, `SELECT `+st.blob+`, `+st.step+`, `+st.inflight+` FROM tasks WHERE id = ?`, taskID).Scan(&blob, &step, &inflight)
	if err != nil {
		return nil, 0, false, notFound(err, "task", taskID)
	}
	cmds, err = s.openCommands(st.aad, blob)
	if err != nil {
		return nil, 0, false, fmt.Errorf("jobs: task %d %s: %w", taskID, st.name, err)
	}
	return cmds, step, inflight, nil
}

func (s *Store) setStage(ctx context.Context, taskID int64, st stage, step int, inflight bool, audit *AuditEntry) error {
	return s.InTx(ctx, func(tx *sql.Tx) error {
		q, args := `UPDATE tasks SET `+st.step+` = ?, `+st.inflight+` = ?, updated_at = ? WHERE id = ?`, []any{step, inflight, s.ms(), taskID}
		if s.eng.shared() {
			// Fenced as markSent: a command goes out only under a live lease.
			q += ` AND lease_owner = ?`
			args = append(args, s.owner)
			if inflight {
				q += ` AND lease_until > ` + dbNowMS + ` + ?`
				args = append(args, leaseMargin.Milliseconds())
			}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 && s.eng.shared() {
			return ErrLeaseLost
		}
		if audit != nil {
			return s.auditTx(ctx, tx, *audit)
		}
		return nil
	})
}

// runJob is a job as the runner holds it. Its commands are decoded from
// their stored form only when needed (so a large task starts at once).
type runJob struct {
	id     int64
	row    int
	userID string
	// Until opened (Store.openJob) only the sealed payload and the number
	// of commands are known; raw, cmds, userAddIdx and secrets are set
	// by the opening.
	opened     bool
	sealed     sealedJob
	ncmds      int
	raw        []storedCommand
	cmds       []oci.Request // decoded lazily, see cmd
	userAddIdx int           // index of the user add, -1 if none
	secrets    []string
	step       int
	inflight   bool
	attempts   int
	reads      int // failed reads (resolution or read-back) in this run
	// reconcile: queued again after a failure, each command is checked on
	// the server before it is sent (see reconcileSet).
	reconcile bool
	checking  bool // to be checked (stored unverified)
	phase     phase
	due       time.Time // not before
	warning   string    // the Warning a service assignment was accepted with (phaseServiceCheck)
}

// n is the number of commands.
func (j *runJob) n() int { return j.ncmds }

// cmd returns command i, decoding it on first use.
func (j *runJob) cmd(i int) (oci.Request, error) {
	if j.cmds[i] == nil {
		c, err := decodeCommand(j.raw[i])
		if err != nil {
			return nil, fmt.Errorf("stored command %d (%s): %w", i+1, j.raw[i].Type, err)
		}
		j.cmds[i] = c
	}
	return j.cmds[i], nil
}

// send returns command i as it is sent: its stored element as it is
// (oci.Stored), or, for a command stored in the JSON form of the first
// store, decoded.
func (j *runJob) send(i int) (oci.Request, error) {
	if j.cmds[i] != nil || j.raw[i].XML == "" {
		return j.cmd(i)
	}
	c, err := oci.NewStored(j.raw[i].Type, j.raw[i].XML)
	if err != nil {
		return nil, fmt.Errorf("stored command %d (%s): %w", i+1, j.raw[i].Type, err)
	}
	return c, nil
}

// rendered is command i as the audit shows it (secrets masked).
func (j *runJob) rendered(i int) string {
	if x := j.raw[i].XML; x != "" {
		return maskSecrets(x)
	}
	if c, err := j.cmd(i); err == nil {
		return renderCommand(c)
	}
	return j.raw[i].Type
}

func isUserAddName(name string) bool {
	return strings.HasPrefix(name, "UserAddRequest") || strings.HasPrefix(name, "UserConsolidatedAddRequest")
}

type phase int

const (
	phaseSend         phase = iota // send cmds[step]
	phaseResolve                   // cmds[step] was sent, outcome unknown: read first
	phaseReadBack                  // every command applied: verify the user
	phaseServiceCheck              // cmds[step], a service assignment, was accepted: verify it
)

// loadRun returns the jobs of a task still to do (pending or running), or
// with resolveOnly only those with a command in flight. Their fields and
// commands stay sealed until openJob: a task of ten thousand users starts
// without decoding them all at once (a burst of work and garbage that kept
// the window's goroutine waiting).
func (s *Store) loadRun(ctx context.Context, taskID int64, resolveOnly bool) ([]*runJob, error) {
	dict, err := s.taskDict(ctx, s.w, taskID)
	if err != nil {
		return nil, err
	}
	q := `SELECT id, row, user_id, payload, fields, commands, ncommands, step, inflight, attempts, reconcile, unverified FROM jobs
		WHERE task_id = ? AND status IN ('pending','running')`
	if resolveOnly {
		q += ` AND inflight = 1`
	}
	rows, err := s.w.QueryContext(ctx, q+` ORDER BY row`, taskID)
	if err != nil {
		return nil, fmt.Errorf("jobs: load task %d: %w", taskID, err)
	}
	defer rows.Close()
	var out []*runJob
	for rows.Next() {
		j := &runJob{userAddIdx: -1, sealed: sealedJob{dict: dict}}
		if err := rows.Scan(&j.id, &j.row, &j.userID, &j.sealed.payload, &j.sealed.fields, &j.sealed.cmds, &j.ncmds,
			&j.step, &j.inflight, &j.attempts, &j.reconcile, &j.checking); err != nil {
			return nil, fmt.Errorf("jobs: load task %d: %w", taskID, err)
		}
		j.step = min(j.step, j.ncmds)
		out = append(out, j)
	}
	return out, rows.Err()
}

// openJob decodes j's sealed fields and commands, once.
func (s *Store) openJob(j *runJob) error {
	if j.opened {
		return nil
	}
	fields, raw, err := s.openSealed(j.sealed)
	if err != nil {
		return fmt.Errorf("row %d %w", j.row, err)
	}
	j.raw, j.opened, j.ncmds = raw, true, len(raw)
	j.sealed = sealedJob{}
	j.cmds = make([]oci.Request, len(raw))
	j.secrets = secretValues(fields)
	for i, sc := range raw {
		if isUserAddName(sc.Type) {
			j.userAddIdx = i
		}
	}
	j.step = min(j.step, len(raw))
	return nil
}

// markSent records, before a document leaves, that each job's current
// command is in flight (status running, inflight 1, attempts+1). After a
// crash such a job is resolved by reading the server. One statement for
// the whole document.
func (s *Store) markSent(ctx context.Context, js []*runJob) error {
	if len(js) == 0 {
		return nil
	}
	ctx = hotCtx(ctx)
	args := make([]any, 0, 1+2*len(js))
	args = append(args, s.ms())
	for _, j := range js {
		args = append(args, j.id, j.step)
	}
	// The jobs are found by id from the list (a row value IN list would
	// scan the table: a cost per document that grows with the task).
	fence, fargs := s.fenceSend()
	args = append(args, fargs...)
	q := `UPDATE jobs SET status = 'running', inflight = 1, attempts = attempts + 1, updated_at = ?
		FROM (VALUES (CAST(? AS BIGINT), CAST(? AS BIGINT))` + strings.Repeat(", (?, ?)", len(js)-1) + `) AS v
		WHERE jobs.id = v.column1 AND jobs.step = v.column2 AND jobs.status IN ('pending','running')` + fence
	st, err := s.stmt(ctx, q)
	if err != nil {
		return fmt.Errorf("jobs: mark sent: %w", err)
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("jobs: mark sent: %w", err)
	}
	if n, _ := res.RowsAffected(); int(n) != len(js) {
		if n == 0 && fence != "" {
			return ErrLeaseLost
		}
		return fmt.Errorf("jobs: mark sent: %d of %d jobs changed under the runner", len(js)-int(n), len(js))
	}
	return nil
}

// hotCtx is ctx without its cancellation, for the statements of every
// document (markSent, record): mattn/go-sqlite3 starts a goroutine per
// statement, and database/sql one per transaction, to watch a context
// that can be cancelled. Those statements are short and bounded by the
// busy timeout; and once a document is sent its outcome is better
// recorded than dropped when the runner is asked to stop.
func hotCtx(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// jobUpdate is the new state of a job after a document's answer.
type jobUpdate struct {
	id        int64
	status    string
	step      int
	inflight  bool
	attempts  int
	code      int
	text      string
	notBefore time.Time
	// unverified: the outcome could not be read yet (StatusChecking).
	unverified bool
}

// recordRow is the first row of record's VALUES, typed: PostgreSQL types
// the other rows' parameters from it (SQLite ignores the casts' names but
// for their integer affinity).
const recordRow = `CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
	CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)`

// record writes job updates and audit entries in one transaction, with
// one prepared statement for each group of up to 100 rows.
func (s *Store) record(ctx context.Context, ups []jobUpdate, audit []AuditEntry) error {
	if len(ups) == 0 && len(audit) == 0 {
		return nil
	}
	ctx = hotCtx(ctx)
	now := s.ms()
	type exec struct {
		st   *sql.Stmt
		args []any
	}
	var execs []exec
	// Statements are prepared outside the transaction: the writer pool has
	// a single connection, which the transaction holds.
	// On a team store a runner that lost the task records no job state:
	// the new owner resolves what it sent by reading the server.
	fence, fargs := s.fenceRecord()
	for len(ups) > 0 {
		chunk := ups[:min(len(ups), 100)]
		ups = ups[len(chunk):]
		args := make([]any, 0, 1+9*len(chunk))
		args = append(args, now)
		for _, u := range chunk {
			var nb int64
			if !u.notBefore.IsZero() {
				nb = u.notBefore.UnixMilli()
			}
			args = append(args, u.id, u.status, u.step, u.inflight, u.attempts, u.code, u.text, nb, u.unverified)
		}
		args = append(args, fargs...)
		// A job at rest is reconciled no more; one to be checked is
		// stored as pending (work remains) and marked unverified.
		st, err := s.stmt(ctx, `UPDATE jobs SET status = v.column2, step = v.column3, inflight = v.column4,
			attempts = v.column5, error_code = v.column6, error_text = v.column7, not_before = v.column8,
			unverified = v.column9,
			reconcile = CASE WHEN v.column2 IN ('completed','failed','cancelled') THEN 0 ELSE reconcile END,
			updated_at = ?
			FROM (VALUES (`+recordRow+`)`+strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?)", len(chunk)-1)+`) AS v
			WHERE jobs.id = v.column1`+fence)
		if err != nil {
			return fmt.Errorf("jobs: record: %w", err)
		}
		execs = append(execs, exec{st, args})
	}
	for len(audit) > 0 {
		chunk := audit[:min(len(audit), 100)]
		audit = audit[len(chunk):]
		args := make([]any, 0, 10*len(chunk))
		for _, a := range chunk {
			d, err := s.taskDict(ctx, s.w, a.TaskID)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("jobs: record: %w", err)
			}
			req, dictID, z := auditRequest(d, a.Request)
			args = append(args, now, a.TaskID, a.JobID, a.Command, req, dictID, z, a.Outcome, a.ErrorCode, a.Error, s.desk)
		}
		st, err := s.stmt(ctx, `INSERT INTO audit (at, task_id, job_id, command, request, dict_id, request_z, outcome, error_code, error_text, desk)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`+strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(chunk)-1))
		if err != nil {
			return fmt.Errorf("jobs: record: %w", err)
		}
		execs = append(execs, exec{st, args})
	}
	return s.InTx(ctx, func(tx *sql.Tx) error {
		for _, e := range execs {
			if _, err := tx.StmtContext(ctx, e.st).ExecContext(ctx, e.args...); err != nil {
				return fmt.Errorf("jobs: record: %w", err)
			}
		}
		return nil
	})
}

// settleStopped puts a stopped task's idle jobs in their resting state:
// cancelled for a cancelled task, pending for a paused one. Jobs with a
// command in flight are left for resolution.
func (s *Store) settleStopped(ctx context.Context, taskID int64, status string) error {
	var err error
	switch status {
	case StatusCancelled:
		// A job whose every command is known applied (its last one read
		// back after a crash) is completed, not cancelled: its user is on
		// the server.
		_, err = s.w.ExecContext(ctx, `UPDATE jobs SET status = CASE WHEN step >= ncommands THEN 'completed' ELSE 'cancelled' END,
			error_text = CASE WHEN step >= ncommands THEN '' WHEN step > 0 THEN 'cancelled after ' || step || ' of ' || ncommands || ' commands' ELSE 'cancelled' END,
			updated_at = ? WHERE task_id = ? AND status IN ('pending','running') AND inflight = 0`, s.ms(), taskID)
	case StatusPaused:
		_, err = s.w.ExecContext(ctx, `UPDATE jobs SET status = 'pending', updated_at = ?
			WHERE task_id = ? AND status = 'running' AND inflight = 0`, s.ms(), taskID)
	}
	if err != nil {
		return fmt.Errorf("jobs: settle task %d: %w", taskID, err)
	}
	return nil
}

// failPending fails every job of a task that has not started (setup
// failure): they can be retried once the cause is fixed.
func (s *Store) failPending(ctx context.Context, taskID int64, code int, msg string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed', error_code = ?, error_text = ?, updated_at = ?
		WHERE task_id = ? AND status IN ('pending','running') AND inflight = 0`, code, msg, s.ms(), taskID)
	return err
}

// finishTask sets a task whose jobs are all final to completed (or failed
// when a job failed, cancelled when it was cancelled) and returns the
// status; "" when work remains. It reads and writes in one transaction so
// a job queued meanwhile (retryJob) is never overruled.
func (s *Store) finishTask(ctx context.Context, taskID int64) (string, error) {
	var status string
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskCols+`
			FROM tasks t LEFT JOIN jobs j ON j.task_id = t.id WHERE t.id = ? GROUP BY t.id`, taskID))
		if err != nil {
			return notFound(err, "task", taskID)
		}
		if t.Pending+t.Running > 0 {
			return nil
		}
		var tdN, tdStep int
		if err := tx.QueryRowContext(ctx, `SELECT teardown_n, teardown_step FROM tasks WHERE id = ?`, taskID).Scan(&tdN, &tdStep); err != nil {
			return err
		}
		msg := ""
		switch {
		case t.Failed > 0:
			status, msg = StatusFailed, fmt.Sprintf("%d of %d jobs failed", t.Failed, t.Total)
			if tdStep < tdN {
				msg += "; the cleanup waits until they are done"
			}
		case t.Status == StatusCancelled:
			status, msg = StatusCancelled, t.Error
		case tdStep < tdN:
			status, msg = StatusFailed, t.Error
			if msg == "" {
				msg = "cleanup not done"
			}
		default:
			status = StatusCompleted
		}
		_, err = tx.ExecContext(ctx, `UPDATE tasks SET status = ?, error = ?, updated_at = ? WHERE id = ?`,
			status, msg, s.ms(), taskID)
		return err
	})
	return status, err
}
