package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"bwbulk/broadworks/oci"
)

// Job and task statuses. Tasks use all of them; jobs never wait or pause.
const (
	StatusPending   = "pending"
	StatusRunning   = "running"
	StatusCompleted = "completed"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
	// StatusWaiting: the task waits for a connection to its server.
	StatusWaiting = "waiting"
	// StatusPaused: the task was paused by the user.
	StatusPaused = "paused"
	// StatusChecking: a job whose outcome could not be read from the
	// server yet ("to be checked"). It is neither completed nor failed: it
	// is read again when the server answers, and only what the server
	// holds decides it.
	StatusChecking = "checking"
)

// Terminal reports whether a job or task status is final.
func Terminal(status string) bool {
	return status == StatusCompleted || status == StatusFailed || status == StatusCancelled
}

// TaskSpec is a task to create: the setup commands (sent first, once) and
// one JobSpec per preview row.
type TaskSpec struct {
	Description string
	OSUser      string // who submitted it on this computer
	Admin       string // the BroadWorks administrator
	Server      string
	Setup       []oci.Request
	Jobs        []JobSpec
	// Teardown is sent, in order, once every job completed (an undo
	// deletes the department and group it emptied); a failed or
	// cancelled job holds it back until the job is retried and done.
	Teardown []oci.Request
	// UndoOf is the task an undo task reverses; 0 for other tasks.
	UndoOf int64
	// NumJobs and JobAt give the jobs one at a time when Jobs is nil:
	// JobAt(i), for i from 0 to NumJobs-1, is called once for each, from
	// several goroutines at once, while the task is stored (so a task of
	// a hundred thousand users is planned as it is stored, not held
	// whole). See PlanTaskLazy.
	NumJobs int
	JobAt   func(i int) (JobSpec, error)
	// Name and Ticket are what the person typed at Submit (a task name,
	// a ticket or change reference); "" for none.
	Name, Ticket string
	// Origin, on a team store, names where the task comes from (see
	// migration 0010): a second CreateTask with the same origin stores
	// nothing and returns the first one's id with ErrOriginExists. ""
	// gives a task submitted on a team store a new one.
	Origin string

	// action is the action recorded ("" for submit or undo); then is
	// run last in the transaction that stores the task (copyTask).
	action, actionDetail string
	then                 func(ctx context.Context, tx *sql.Tx, id int64) error
}

// JobSpec is one preview row: its fields (sealed at rest, passwords
// included) and the commands to send, in order.
type JobSpec struct {
	Row      int
	UserID   string
	Fields   map[string]string
	Commands []oci.Request
}

// Task is a stored task with its job counts.
type Task struct {
	ID          int64
	Description string
	OSUser      string
	Admin       string
	Server      string
	Status      string
	Error       string
	Created     time.Time
	Updated     time.Time

	Total, Pending, Running, Completed, Failed, Cancelled int
	// Checking counts the jobs to be checked (StatusChecking); they are
	// not counted in Pending or Running.
	Checking int
	// Attention, on a paused task, says why it stopped and what a person
	// must do before Resume (the runner stopped it on an error that
	// retrying cannot fix). "" for a task paused by hand.
	Attention string
	// UndoOf is the task this one reverses (PlanUndo); 0 for others.
	UndoOf int64
	// Cleanup and CleanupDone count the task's cleanup commands
	// (TaskSpec.Teardown) and those applied.
	Cleanup, CleanupDone int
	// Name and Ticket: TaskSpec's; "" for none.
	Name, Ticket string
	// Desk is the user@computer the task was submitted from; RunBy the
	// runner holding its lease now, on a team store ("" when none).
	Desk, RunBy string
	// Stored, while a task's jobs are still being stored (StartTask),
	// counts those stored; Total and Pending count them all. 0 once all
	// are stored.
	Stored int
	// Queued is a task submitted while the team database was out of
	// reach: it waits in this desk's queue (teamqueue.go) and joins the
	// team's when the database is back. Its ID is then negative on a team
	// store.
	Queued bool
}

// Job is a stored job. Fields and Commands are filled by Job and
// JobsWithPayload only (they need the data key).
type Job struct {
	ID        int64
	TaskID    int64
	Row       int
	UserID    string
	Status    string
	Step      int // commands known to be applied
	NCommands int
	Attempts  int
	ErrorCode int
	Error     string
	Updated   time.Time

	Fields   map[string]string
	Commands []oci.Request
}

// Filter selects jobs: Status ("" = any) and Search (a substring of the
// user id or error text, or an exact row number).
type Filter struct {
	Status string
	Search string
}

const (
	purposeFields   = "jobs.fields"
	purposeCommands = "jobs.commands"
	purposeSetup    = "tasks.setup"
	purposeTeardown = "tasks.teardown"
)

func (s *Store) sealJSON(purpose string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return s.seal(purpose, b)
}

func (s *Store) sealCommands(purpose string, cmds []oci.Request) ([]byte, error) {
	b, err := encodeCommands(cmds)
	if err != nil {
		return nil, err
	}
	return s.seal(purpose, b)
}

func (s *Store) openCommands(purpose string, sealed []byte) ([]oci.Request, error) {
	if len(sealed) == 0 {
		return nil, nil
	}
	b, err := s.open(purpose, sealed)
	if err != nil {
		return nil, err
	}
	return decodeCommands(b)
}

func (s *Store) openFields(sealed []byte) (map[string]string, error) {
	b, err := s.open(purposeFields, sealed)
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("jobs: stored fields: %w", err)
	}
	return m, nil
}

const taskCols = `t.id, t.description, t.os_user, t.admin, t.server, t.status, t.error, t.attention, t.created_at, t.updated_at,
	t.undo_of, t.teardown_n, t.teardown_step, t.name, t.ticket, t.desk, t.lease_owner, t.storing, t.planned,
	count(j.id),
	coalesce(sum(CASE WHEN j.status = 'pending' AND j.unverified = 0 THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN j.status = 'running' AND j.unverified = 0 THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN j.status = 'completed' THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN j.status = 'failed' THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN j.status = 'cancelled' THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN j.status IN ('pending','running') AND j.unverified = 1 THEN 1 ELSE 0 END), 0)`

func scanTask(sc interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var c, u int64
	var storing string
	var planned int
	err := sc.Scan(&t.ID, &t.Description, &t.OSUser, &t.Admin, &t.Server, &t.Status, &t.Error, &t.Attention, &c, &u,
		&t.UndoOf, &t.Cleanup, &t.CleanupDone, &t.Name, &t.Ticket, &t.Desk, &t.RunBy, &storing, &planned,
		&t.Total, &t.Pending, &t.Running, &t.Completed, &t.Failed, &t.Cancelled, &t.Checking)
	t.Created, t.Updated = fromMS(c), fromMS(u)
	if storing != "" && planned > t.Total {
		// The jobs not stored yet are pending: no runner finishes the
		// task before they are all there (StartTask).
		t.Stored, t.Pending, t.Total = t.Total, t.Pending+planned-t.Total, planned
	}
	return t, err
}

// ListTasks returns every task, newest first, with job counts (on a team
// store, with this desk's queued tasks: see listTeamTasks).
func (s *Store) ListTasks(ctx context.Context) ([]Task, error) {
	if s.local != nil || s.queueTo != "" {
		return s.listTeamTasks(ctx)
	}
	return s.listTasks(ctx)
}

func (s *Store) listTasks(ctx context.Context) ([]Task, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+taskCols+`
		FROM tasks t LEFT JOIN jobs j ON j.task_id = t.id GROUP BY t.id ORDER BY t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("jobs: list tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, fmt.Errorf("jobs: list tasks: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Task returns one task with its job counts.
func (s *Store) Task(ctx context.Context, id int64) (Task, error) {
	if d := s.queuedIn(id); d != nil {
		t, err := d.Task(ctx, -id)
		t.ID = id
		return t, err
	}
	t, err := scanTask(s.r.QueryRowContext(ctx, `SELECT `+taskCols+`
		FROM tasks t LEFT JOIN jobs j ON j.task_id = t.id WHERE t.id = ? GROUP BY t.id`, id))
	t.Queued = s.queueTo != ""
	return t, notFound(err, "task", id)
}

// taskW reads a task through the writer (read-your-writes for the runner).
func (s *Store) taskW(ctx context.Context, id int64) (Task, error) {
	t, err := scanTask(s.w.QueryRowContext(ctx, `SELECT `+taskCols+`
		FROM tasks t LEFT JOIN jobs j ON j.task_id = t.id WHERE t.id = ? GROUP BY t.id`, id))
	return t, notFound(err, "task", id)
}

const jobCols = `id, task_id, row, user_id,
	CASE WHEN unverified = 1 AND status IN ('pending','running') THEN 'checking' ELSE status END,
	step, ncommands, attempts, error_code, error_text, updated_at`

func scanJob(sc interface{ Scan(...any) error }, extra ...any) (Job, error) {
	var j Job
	var u int64
	dst := append([]any{&j.ID, &j.TaskID, &j.Row, &j.UserID, &j.Status, &j.Step, &j.NCommands,
		&j.Attempts, &j.ErrorCode, &j.Error, &u}, extra...)
	err := sc.Scan(dst...)
	j.Updated = fromMS(u)
	return j, err
}

// Jobs lists a task's jobs in row order, without their sealed payload.
func (s *Store) Jobs(ctx context.Context, taskID int64, f Filter) ([]Job, error) {
	return s.jobs(ctx, taskID, f, false)
}

// JobsWithPayload is Jobs with Fields and Commands unsealed.
func (s *Store) JobsWithPayload(ctx context.Context, taskID int64, f Filter) ([]Job, error) {
	return s.jobs(ctx, taskID, f, true)
}

func (s *Store) jobs(ctx context.Context, taskID int64, f Filter, payload bool) ([]Job, error) {
	var out []Job
	err := s.EachJob(ctx, taskID, f, payload, func(j Job) error {
		out = append(out, j)
		return nil
	})
	return out, err
}

// EachJob calls fn with each of a task's jobs selected by f, in row order,
// with Fields and Commands unsealed when payload is set, and stops at the
// first error fn returns. It holds one job at a time: an export of a
// hundred thousand jobs streams.
func (s *Store) EachJob(ctx context.Context, taskID int64, f Filter, payload bool, fn func(Job) error) error {
	if d := s.queuedIn(taskID); d != nil {
		return d.EachJob(ctx, -taskID, f, payload, func(j Job) error {
			j.TaskID = taskID
			return fn(j)
		})
	}
	mode := readRow
	if payload {
		mode = readPayload
	}
	return s.eachJob(ctx, taskID, f, mode, fn)
}

// What eachJob reads of a job.
const (
	readRow     = iota // the row only
	readFields         // and its fields
	readPayload        // and its fields and commands
)

func (s *Store) eachJob(ctx context.Context, taskID int64, f Filter, mode int, fn func(Job) error) error {
	payload := mode != readRow
	q := `SELECT ` + jobCols
	if payload {
		q += `, payload, fields, commands`
	}
	where, args := jobFilterSQL(taskID, f)
	q += ` FROM jobs WHERE ` + where
	q += ` ORDER BY row`
	var dict *zdict
	if payload {
		var err error
		if dict, err = s.taskDict(ctx, s.r, taskID); err != nil {
			return err
		}
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
	}
	defer rows.Close()
	for rows.Next() {
		sj := sealedJob{dict: dict}
		var extra []any
		if payload {
			extra = []any{&sj.payload, &sj.fields, &sj.cmds}
		}
		j, err := scanJob(rows, extra...)
		if err != nil {
			return fmt.Errorf("jobs: list jobs of task %d: %w", taskID, err)
		}
		switch mode {
		case readPayload:
			if err := s.unsealJob(&j, sj); err != nil {
				return err
			}
		case readFields:
			if j.Fields, _, err = s.openSealed(sj); err != nil {
				return fmt.Errorf("jobs: row %d %w", j.Row, err)
			}
		}
		if err := fn(j); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *Store) unsealJob(j *Job, sj sealedJob) error {
	fields, raw, err := s.openSealed(sj)
	if err != nil {
		return fmt.Errorf("jobs: row %d %w", j.Row, err)
	}
	if j.Commands, err = decodeRaw(raw); err != nil {
		return fmt.Errorf("jobs: row %d commands: %w", j.Row, err)
	}
	j.Fields = fields
	return nil
}

// Job returns one job with its fields and commands.
func (s *Store) Job(ctx context.Context, id int64) (Job, error) {
	var sj sealedJob
	j, err := scanJob(s.r.QueryRowContext(ctx, `SELECT `+jobCols+`, payload, fields, commands FROM jobs WHERE id = ?`, id),
		&sj.payload, &sj.fields, &sj.cmds)
	if err != nil {
		return Job{}, notFound(err, "job", id)
	}
	if sj.payload != nil {
		if sj.dict, err = s.taskDict(ctx, s.r, j.TaskID); err != nil {
			return Job{}, err
		}
	}
	return j, s.unsealJob(&j, sj)
}

// ErrJobActive is returned when a job is edited or retried while it is
// pending or running.
var ErrJobActive = errors.New("jobs: job is pending or running")

// updateJobFields replaces a failed or cancelled job's fields and commands
// and queues it again. Commands already applied on the server are kept as
// done when the new plan starts with exactly the same commands (so an
// edited user is not given a second device); from the first different
// command on, the new plan is sent. The user id is taken from
// fields["userId"] when present.
func (s *Store) updateJobFields(ctx context.Context, jobID int64, fields map[string]string, cmds []oci.Request) error {
	return s.updateJob(ctx, jobID, fields["userId"], fields, cmds)
}

func (s *Store) updateJob(ctx context.Context, jobID int64, userID string, fields map[string]string, cmds []oci.Request) error {
	if len(cmds) == 0 {
		return fmt.Errorf("jobs: job %d: no commands", jobID)
	}
	old, err := s.Job(ctx, jobID)
	if err != nil {
		return err
	}
	if !Terminal(old.Status) || old.Status == StatusCompleted {
		return fmt.Errorf("jobs: edit row %d: %w", old.Row, errOrCompleted(old.Status))
	}
	step := 0
	for step < old.Step && step < len(cmds) && step < len(old.Commands) {
		a, errA := encodeCommand(old.Commands[step])
		b, errB := encodeCommand(cmds[step])
		if errA != nil || errB != nil || a.XML != b.XML || string(a.Body) != string(b.Body) || a.Type != b.Type {
			break
		}
		step++
	}
	// When the whole new plan is already applied, step == len(cmds): the
	// runner only reads the user back.
	d, err := s.taskDict(ctx, s.w, old.TaskID)
	if err != nil {
		return err
	}
	var fb, cb, pb []byte
	if d != nil {
		pb, err = s.sealPayload(d, fields, cmds)
		fb, cb = []byte{}, []byte{}
	} else {
		// A task stored before dictionaries, not compacted yet.
		if fb, err = s.sealJSON(purposeFields, fields); err == nil {
			cb, err = s.sealCommands(purposeCommands, cmds)
		}
	}
	if err != nil {
		return err
	}
	if userID == "" {
		userID = old.UserID
	}
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET user_id = ?, fields = ?, commands = ?, payload = ?, ncommands = ?,
			status = 'pending', step = ?, inflight = 0, attempts = 0, error_code = 0, error_text = '',
			not_before = 0, updated_at = ? WHERE id = ? AND status IN ('failed','cancelled') AND inflight = 0`,
			userID, fb, cb, pb, len(cmds), step, s.ms(), jobID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("jobs: edit row %d: %w", old.Row, ErrJobActive)
		}
		return s.requeueTask(ctx, tx, old.TaskID)
	})
	if err != nil {
		return err
	}
	s.signal()
	return nil
}

func errOrCompleted(status string) error {
	if status == StatusCompleted {
		return errors.New("jobs: job already completed")
	}
	return ErrJobActive
}

// requeueTask makes a finished task runnable again after a job was queued.
func (s *Store) requeueTask(ctx context.Context, tx *sql.Tx, taskID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE tasks SET status = 'pending', error = '', updated_at = ?
		WHERE id = ? AND status IN ('completed','failed','cancelled')`, s.ms(), taskID)
	return err
}

// reconcileSet queues a job again to be reconciled with the server: from
// its first command, each one is checked by reading the server before it
// is sent, so what the server holds already is not sent again and what it
// lost (a device it had confirmed, say) is. One placeholder: updated_at.
const reconcileSet = `status = 'pending', step = 0, inflight = 0, reconcile = 1, unverified = 0,
	attempts = 0, error_code = 0, error_text = '', not_before = 0, updated_at = ?`

// retryJob queues a failed or cancelled job again. It reconciles rather
// than replays: see reconcileSet.
func (s *Store) retryJob(ctx context.Context, jobID int64) error {
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		var taskID int64
		err := tx.QueryRowContext(ctx, `UPDATE jobs SET `+reconcileSet+`
			WHERE id = ? AND status IN ('failed','cancelled') RETURNING task_id`,
			s.ms(), jobID).Scan(&taskID)
		if errors.Is(err, sql.ErrNoRows) {
			var st string
			if e := tx.QueryRowContext(ctx, `SELECT status FROM jobs WHERE id = ?`, jobID).Scan(&st); e != nil {
				return notFound(e, "job", jobID)
			}
			return fmt.Errorf("jobs: retry job %d: %w", jobID, errOrCompleted(st))
		}
		if err != nil {
			return err
		}
		if err := s.addActionTx(ctx, tx, taskID, jobID, "retry", ""); err != nil {
			return err
		}
		return s.requeueTask(ctx, tx, taskID)
	})
	if err == nil {
		s.signal()
	}
	return err
}

// RetryAllFailed queues every failed job of a task again and returns how
// many were queued; a task whose jobs all completed but whose cleanup
// failed sends its cleanup again (counted as one).
func (s *Store) RetryAllFailed(ctx context.Context, taskID int64) (int, error) {
	var n int64
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET `+reconcileSet+`
			WHERE task_id = ? AND status = 'failed'`, s.ms(), taskID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n == 0 {
			// No failed job, but a cleanup that failed: it is sent again
			// (counted as one).
			res, err := tx.ExecContext(ctx, `UPDATE tasks SET status = 'pending', error = '', updated_at = ?
				WHERE id = ? AND status = 'failed' AND teardown_step < teardown_n`, s.ms(), taskID)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			return s.addActionTx(ctx, tx, taskID, 0, "retry", "the cleanup")
		}
		if err := s.addActionTx(ctx, tx, taskID, 0, "retry", fmt.Sprintf("%d failed jobs", n)); err != nil {
			return err
		}
		return s.requeueTask(ctx, tx, taskID)
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: retry failed jobs of task %d: %w", taskID, err)
	}
	if n > 0 {
		s.signal()
	}
	return int(n), nil
}

// setTaskStatus changes a task's status when its current status is one of
// from (any when from is empty); it reports whether it changed.
func (s *Store) setTaskStatus(ctx context.Context, taskID int64, status, msg string, from ...string) (bool, error) {
	q := `UPDATE tasks SET status = ?, error = ?, attention = '', updated_at = ? WHERE id = ?`
	args := []any{status, msg, s.ms(), taskID}
	if len(from) > 0 {
		q += ` AND status IN (?` + strings.Repeat(",?", len(from)-1) + `)`
		for _, f := range from {
			args = append(args, f)
		}
	}
	res, err := s.w.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("jobs: task %d status: %w", taskID, err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		if _, err := s.taskW(ctx, taskID); err != nil {
			return false, err
		}
	}
	return n > 0, nil
}

// needsAttention pauses a task that cannot go on without a person, and
// says why and what to do; false when the task was not waiting or running
// (paused or cancelled meanwhile).
func (s *Store) needsAttention(ctx context.Context, taskID int64, msg string) (bool, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE tasks SET status = 'paused', error = ?, attention = ?, updated_at = ?
		WHERE id = ? AND status IN ('pending','running','waiting')`, msg, msg, s.ms(), taskID)
	if err != nil {
		return false, fmt.Errorf("jobs: task %d status: %w", taskID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// AuditEntry is one row of the audit.
type AuditEntry struct {
	ID        int64
	At        time.Time
	TaskID    int64
	JobID     int64
	Command   string
	Request   string // masked
	Outcome   string
	ErrorCode int
	Error     string
	Desk      string // user@computer it was sent from
}

// Audit outcomes.
const (
	OutcomeSuccess    = "success"
	OutcomeError      = "error"
	OutcomeUnknown    = "unknown"
	OutcomeApplied    = "resolved-applied"
	OutcomeNotApplied = "resolved-not-applied"
)

// Audit returns the audit entries of a task (all tasks when taskID is 0)
// in order.
func (s *Store) Audit(ctx context.Context, taskID int64) ([]AuditEntry, error) {
	rows, err := s.ofTask(ctx, `SELECT id, at, task_id, job_id, command, request, dict_id, request_z, outcome, error_code, error_text, desk FROM audit`, taskID)
	if err != nil {
		return nil, fmt.Errorf("jobs: audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at, dictID int64
		var z []byte
		if err := rows.Scan(&e.ID, &at, &e.TaskID, &e.JobID, &e.Command, &e.Request, &dictID, &z, &e.Outcome, &e.ErrorCode, &e.Error, &e.Desk); err != nil {
			return nil, err
		}
		e.Request = s.auditText(ctx, e.Request, dictID, z)
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ofTask reads the rows of q (a SELECT of a table with an id and a
// task_id) of task taskID, all tasks' when it is 0, in the order of id.
func (s *Store) ofTask(ctx context.Context, q string, taskID int64) (*sql.Rows, error) {
	if taskID == 0 {
		return s.r.QueryContext(ctx, q+` ORDER BY id`)
	}
	return s.r.QueryContext(ctx, q+` WHERE task_id = ? ORDER BY id`, taskID)
}

// auditTx appends an entry inside tx.
func (s *Store) auditTx(ctx context.Context, tx *sql.Tx, e AuditEntry) error {
	d, err := s.taskDict(ctx, tx, e.TaskID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	req, dictID, z := auditRequest(d, e.Request)
	_, err = tx.StmtContext(ctx, s.stmtAudit).ExecContext(ctx, s.ms(), e.TaskID, e.JobID, e.Command,
		req, dictID, z, e.Outcome, e.ErrorCode, e.Error, s.desk)
	return err
}
