package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StoreChunk is how many jobs one transaction stores. A task of more is
// stored chunk by chunk (see StartTask) and can run from its first chunk
// on; tasks with an origin (team queue moves and copies) are always
// stored in one transaction.
var StoreChunk = 5000

// storeTTL is how long a process storing a task's jobs may go without
// storing a chunk before it is taken for gone (killed, its computer
// stopped) and the task is cancelled as incomplete.
var storeTTL = 30 * time.Second

// Storing is a task whose jobs are being stored (StartTask).
type Storing struct {
	// ID is the task's id, there from the first chunk on.
	ID   int64
	done chan struct{}
	err  error
}

// Done is closed once every job is stored or storing stopped.
func (w *Storing) Done() <-chan struct{} { return w.done }

// Wait waits until the task's jobs are stored and says whether they all
// were: when not, the task was cancelled with what was stored in its
// error (the jobs not stored were never sent).
func (w *Storing) Wait() error {
	<-w.done
	return w.err
}

func doneStoring(id int64, err error) *Storing {
	w := &Storing{ID: id, done: make(chan struct{}), err: err}
	close(w.done)
	return w
}

// StartTask is CreateTask returning as soon as the task and its first
// chunk of jobs (StoreChunk) are stored and the runner was woken, while
// the rest is stored in the background: the runner of this store starts
// on the first chunk and goes on with the next as they are stored. No
// runner finishes the task before every job is stored (those not stored
// count as pending), and the runners of other processes do not run it
// before. Should storing stop (ctx done, a database error, or the process
// ends: see sweepStoring) the task is cancelled and its error says how
// many of its jobs were stored; what was not stored was never sent.
//
// Invalid input fails before anything is stored: err is then non-nil and
// no task exists. On a team store with this desk's queue, the task is
// stored whole (CreateTask) before StartTask returns.
func (s *Store) StartTask(ctx context.Context, spec TaskSpec) (*Storing, error) {
	if s.local != nil || s.queueTo != "" {
		id, err := s.CreateTask(ctx, spec)
		if err != nil && !errors.Is(err, ErrOriginExists) {
			return nil, err
		}
		return doneStoring(id, nil), err
	}
	return s.startTask(ctx, spec)
}

// createTask stores a task and its jobs (status pending) and wakes the
// runner (see CreateTask): in one transaction, or chunk by chunk for a
// large task (StartTask), returning once all are stored.
func (s *Store) createTask(ctx context.Context, spec TaskSpec) (int64, error) {
	w, err := s.startTask(ctx, spec)
	if err != nil {
		if w != nil {
			return w.ID, err
		}
		return 0, err
	}
	return w.ID, w.Wait()
}

// taskWriter stores one task: its row and first chunk of jobs, then the
// other chunks.
type taskWriter struct {
	s               *Store
	spec            TaskSpec
	n               int
	jobAt           func(i int) (JobSpec, error)
	dict            *zdict
	setup, teardown []byte
	seen            map[int]bool
	id              int64
	chunked         bool
}

// sealedRow is a job sealed for the insert: a job is held only while it
// is sealed.
type sealedRow struct {
	row, ncmds int
	userID     string
	payload    []byte
}

func (s *Store) startTask(ctx context.Context, spec TaskSpec) (*Storing, error) {
	w, err := s.newTaskWriter(spec)
	if err != nil {
		return nil, err
	}
	first, err := w.seal(0, min(w.n, StoreChunk))
	if err != nil {
		return nil, err
	}
	err = w.insertTask(ctx, first)
	if errors.Is(err, ErrOriginExists) {
		return doneStoring(w.id, err), err
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: create task: %w", err)
	}
	if w.dict != nil {
		s.cacheDict(w.dict)
		s.dictMu.Lock()
		if s.taskDicts == nil {
			s.taskDicts = map[int64]int64{}
		}
		s.taskDicts[w.id] = w.dict.id
		s.dictMu.Unlock()
	}
	s.signal()
	if !w.chunked {
		return doneStoring(w.id, nil), nil
	}
	st := &Storing{ID: w.id, done: make(chan struct{})}
	go func() {
		defer close(st.done)
		st.err = w.storeRest(ctx, len(first))
	}()
	return st, nil
}

// newTaskWriter checks the spec and seals what the task row holds.
func (s *Store) newTaskWriter(spec TaskSpec) (*taskWriter, error) {
	w := &taskWriter{s: s, spec: spec, n: len(spec.Jobs), jobAt: func(i int) (JobSpec, error) { return spec.Jobs[i], nil }}
	if spec.Jobs == nil && spec.JobAt != nil {
		w.n, w.jobAt = spec.NumJobs, spec.JobAt
	}
	if w.n == 0 && len(spec.Setup) == 0 && len(spec.Teardown) == 0 {
		return nil, errors.New("jobs: task has no jobs")
	}
	if _, err := s.dataBox(); err != nil {
		return nil, err
	}
	w.chunked = spec.Origin == "" && spec.then == nil && w.n > StoreChunk
	w.seen = make(map[int]bool, w.n)
	if w.n > 0 {
		first, err := w.jobAt(0)
		if err != nil {
			return nil, err
		}
		data, err := dictFrom(first)
		if err != nil {
			return nil, fmt.Errorf("jobs: row %d: %w", first.Row, err)
		}
		w.dict = newZdict(0, data) // its id once stored
	}
	var err error
	if len(spec.Setup) > 0 {
		if w.setup, err = s.sealCommands(purposeSetup, spec.Setup); err != nil {
			return nil, fmt.Errorf("jobs: setup: %w", err)
		}
	}
	if len(spec.Teardown) > 0 {
		if w.teardown, err = s.sealCommands(purposeTeardown, spec.Teardown); err != nil {
			return nil, fmt.Errorf("jobs: cleanup: %w", err)
		}
	}
	return w, nil
}

// seal plans and seals jobs lo to hi-1 (hi is w.n when the task is
// stored in one transaction). Encoding and sealing is CPU work: it is
// spread over the cores.
func (w *taskWriter) seal(lo, hi int) ([]sealedRow, error) {
	if !w.chunked {
		hi = w.n
	}
	out := make([]sealedRow, hi-lo)
	errs := make([]error, hi-lo)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i-lo], errs[i-lo] = w.sealOne(i)
			}
		}()
	}
	for i := lo; i < hi; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for _, j := range out {
		if w.seen[j.row] {
			return nil, fmt.Errorf("jobs: row %d appears twice", j.row)
		}
		w.seen[j.row] = true
	}
	return out, nil
}

func (w *taskWriter) sealOne(i int) (sealedRow, error) {
	j, err := w.jobAt(i)
	if err != nil {
		return sealedRow{}, err
	}
	if len(j.Commands) == 0 {
		return sealedRow{}, fmt.Errorf("jobs: row %d (%s): no commands", j.Row, j.UserID)
	}
	p, err := w.s.sealPayload(w.dict, j.Fields, j.Commands)
	if err != nil {
		return sealedRow{}, fmt.Errorf("jobs: row %d: %w", j.Row, err)
	}
	return sealedRow{row: j.Row, ncmds: len(j.Commands), userID: j.UserID, payload: p}, nil
}

// nowSQL is the expression of "now" in Unix ms that storing_until is
// written and compared with: the database's clock on a team database,
// this store's on a local one.
func (s *Store) nowSQL() (string, []any) {
	if s.eng.shared() {
		return dbNowMS, nil
	}
	return "?", []any{s.ms()}
}

// insertTask stores the task row, its dictionary, the submit action and
// the first jobs in one transaction.
func (w *taskWriter) insertTask(ctx context.Context, jobs []sealedRow) error {
	s, spec := w.s, w.spec
	now := s.ms()
	status, msg := StatusPending, ""
	if s.queueTo != "" {
		status, msg = StatusWaiting, waitingTeam
	}
	storing, planned := "", 0
	if w.chunked {
		storing, planned = s.owner, w.n
	}
	return s.InTx(ctx, func(tx *sql.Tx) error {
		if spec.Origin != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM tasks WHERE origin = ?`, spec.Origin).Scan(&w.id)
			if err == nil {
				return ErrOriginExists
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		nowQ, nowArgs := s.nowSQL()
		args := []any{spec.Description, spec.OSUser, spec.Admin, spec.Server, status, msg, w.setup, w.teardown, len(spec.Teardown), spec.UndoOf,
			strings.TrimSpace(spec.Name), strings.TrimSpace(spec.Ticket), s.desk, spec.Origin, now, now, storing, planned}
		err := tx.QueryRowContext(ctx, `INSERT INTO tasks
			(description, os_user, admin, server, status, error, setup, teardown, teardown_n, undo_of, name, ticket, desk, origin, created_at, updated_at,
			 storing, planned, storing_until)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+nowQ+` + ?) RETURNING id`,
			append(append(args, nowArgs...), storeTTL.Milliseconds())...).Scan(&w.id)
		if err != nil {
			return err
		}
		if w.dict != nil {
			d, err := s.addDict(ctx, tx, w.dict.data)
			if err != nil {
				return err
			}
			w.dict.id = d.id
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET dict_id = ? WHERE id = ?`, w.dict.id, w.id); err != nil {
				return err
			}
		}
		action, detail := "submit", fmt.Sprintf("%d jobs", w.n)
		if spec.UndoOf != 0 {
			action, detail = "undo", fmt.Sprintf("of task %d", spec.UndoOf)
		}
		if spec.action != "" {
			action, detail = spec.action, spec.actionDetail
		}
		if err := s.addActionTx(ctx, tx, w.id, 0, action, detail); err != nil {
			return err
		}
		if err := w.insertJobs(ctx, tx, jobs); err != nil {
			return err
		}
		if spec.then != nil {
			return spec.then(ctx, tx, w.id)
		}
		return nil
	})
}

func (w *taskWriter) insertJobs(ctx context.Context, tx *sql.Tx, jobs []sealedRow) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO jobs
		(task_id, row, user_id, fields, commands, payload, ncommands, status, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	now := w.s.ms()
	for _, j := range jobs {
		if _, err := st.ExecContext(ctx, w.id, j.row, j.userID, []byte{}, []byte{}, j.payload, j.ncmds, now); err != nil {
			return fmt.Errorf("row %d: %w", j.row, err)
		}
	}
	return nil
}

// errStoringTaken: the task was cancelled as incomplete under its storer
// (it stored nothing for storeTTL).
var errStoringTaken = errors.New("the task was cancelled as incomplete meanwhile")

// storeRest stores jobs from..n-1, a chunk per transaction, the next
// chunk sealed while the last is written. When it fails the task is
// cancelled as incomplete.
func (w *taskWriter) storeRest(ctx context.Context, from int) error {
	type chunk struct {
		jobs []sealedRow
		err  error
	}
	chunks := make(chan chunk, 1)
	stop := make(chan struct{})
	go func() {
		defer close(chunks)
		for lo := from; lo < w.n; lo += StoreChunk {
			js, err := w.seal(lo, min(lo+StoreChunk, w.n))
			select {
			case chunks <- chunk{js, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for range chunks {
		}
	}()
	stored := from
	for c := range chunks {
		err := c.err
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		if err == nil {
			err = w.storeChunk(ctx, c.jobs, stored+len(c.jobs) == w.n)
		}
		if err != nil {
			w.s.abandonStoring(context.WithoutCancel(ctx), w.id, w.s.owner, err.Error())
			return fmt.Errorf("jobs: task %d: %d of %d jobs stored, then: %w", w.id, stored, w.n, err)
		}
		stored += len(c.jobs)
		w.s.signal()
	}
	return nil
}

// storeChunk stores one chunk of jobs while the task is still this
// store's to write, and renews that; last marks every job stored.
func (w *taskWriter) storeChunk(ctx context.Context, jobs []sealedRow, last bool) error {
	s := w.s
	return s.InTx(ctx, func(tx *sql.Tx) error {
		nowQ, nowArgs := s.nowSQL()
		q := `UPDATE tasks SET storing_until = ` + nowQ + ` + ? WHERE id = ? AND storing = ?`
		args := append(nowArgs, storeTTL.Milliseconds(), w.id, s.owner)
		if last {
			q = `UPDATE tasks SET storing = '', storing_until = 0 WHERE id = ? AND storing = ?`
			args = []any{w.id, s.owner}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStoringTaken
		}
		return w.insertJobs(ctx, tx, jobs)
	})
}

// abandonStoring cancels a task whose jobs are not all stored (owner ""
// for any storer) and says so in its error and its actions; the jobs
// stored and not sent are cancelled too (they can be retried). why says
// what stopped the storing.
func (s *Store) abandonStoring(ctx context.Context, taskID int64, owner, why string) error {
	done := false
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		var planned, stored int
		if err := tx.QueryRowContext(ctx, `SELECT planned, (SELECT count(*) FROM jobs WHERE task_id = ?) FROM tasks WHERE id = ? AND storing <> ''`,
			taskID, taskID).Scan(&planned, &stored); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return err
		}
		msg := fmt.Sprintf("incomplete: only %d of its %d jobs were stored (%s); the %d not stored were never sent: submit those rows again",
			stored, planned, why, planned-stored)
		q, args := `UPDATE tasks SET storing = '', status = 'cancelled', error = ?, attention = '', updated_at = ? WHERE id = ? AND storing <> ''`,
			[]any{msg, s.ms(), taskID}
		if owner != "" {
			q += ` AND storing = ?`
			args = append(args, owner)
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		done = true
		return s.addActionTx(ctx, tx, taskID, 0, "incomplete", fmt.Sprintf("%d of %d jobs stored", stored, planned))
	})
	if err != nil || !done {
		return err
	}
	return s.settleStopped(ctx, taskID, StatusCancelled)
}

// sweepStoring cancels, as incomplete, the tasks whose storing process
// stored nothing for storeTTL (it was killed, or its computer stopped),
// and at once those whose storer was a process of this desk that is gone
// (killed: a restart takes its task without waiting).
func (s *Store) sweepStoring(ctx context.Context) error {
	nowQ, nowArgs := s.nowSQL()
	rows, err := s.w.QueryContext(ctx, `SELECT id, storing, storing_until < `+nowQ+` FROM tasks WHERE storing <> '' AND storing <> ?`,
		append(nowArgs, s.owner)...)
	if err != nil {
		return fmt.Errorf("jobs: tasks being stored: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var (
			id      int64
			storer  string
			expired bool
		)
		if err := rows.Scan(&id, &storer, &expired); err != nil {
			rows.Close()
			return err
		}
		if expired || s.ownerGone(storer) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	for _, id := range ids {
		if err := s.abandonStoring(ctx, id, "", "the process storing them stopped"); err != nil {
			return fmt.Errorf("jobs: task %d: %w", id, err)
		}
	}
	return rows.Err()
}

// ownerGone reports whether owner (see newOwner) names a process of this
// desk, user and computer, that no longer runs. A process id used again
// since is taken for the owner: its task then waits for storeTTL.
func (s *Store) ownerGone(owner string) bool {
	rest, ok := strings.CutPrefix(owner, s.desk+" pid ")
	if !ok {
		return false
	}
	pid, _, ok := strings.Cut(rest, " ")
	if !ok {
		return false
	}
	n, err := strconv.Atoi(pid)
	return err == nil && processGone(n)
}

// runnableStoring is the condition (on tasks t) that a task is stored
// whole, or is being stored by this store and has a stored job pending:
// a runner takes no other (and does not take its own again and again
// while it waits for the next chunk).
func (s *Store) runnableStoring() (string, []any) {
	return ` AND (t.storing = '' OR (t.storing = ? AND EXISTS (SELECT 1 FROM jobs sj WHERE sj.task_id = t.id AND sj.status = 'pending')))`,
		[]any{s.owner}
}
