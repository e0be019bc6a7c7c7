package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Leases: on a team store many runners, on many desks, take tasks from one
// queue. A runner takes a task by writing itself as the task's lease owner
// until LeaseTTL from now (the database's clock, so desks' clocks do not
// matter), renews the lease every LeaseTTL/3 while it runs the task and
// gives it back when it stops. A task whose lease ran out (its runner was
// killed, its computer slept or lost its network) is taken by the next
// runner that looks for work, within LeaseTTL + its poll interval, and that
// runner resolves every command left in flight by reading the server
// before it sends anything again (the same rule as after a crash).
//
// Fencing: a runner records a command as in flight only while its lease
// has at least leaseMargin left, in the same statement; its outcomes are
// recorded only while it still owns the task. A runner that lost its
// lease therefore sends nothing more, and what it sent is resolved by the
// next owner.

// LeaseTTL is how long a task's lease lasts without renewal.
var LeaseTTL = 15 * time.Second

// leaseMargin is the least time left on a lease for a command to be sent
// under it: more than a document's round trip.
var leaseMargin = 5 * time.Second

// dbNowMS is the database's clock in Unix milliseconds.
const dbNowMS = `CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)`

// ErrLeaseLost means another runner holds the task now (this one's lease
// ran out): nothing more may be sent for it from here.
var ErrLeaseLost = errors.New("jobs: the task's lease passed to another runner")

// newOwner names a runner of this process: its desk, process id and a
// random part (two stores in one process are two runners).
func newOwner(desk string) string {
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s pid %d %s", desk, os.Getpid(), hex.EncodeToString(b))
}

// Owner is the name this store's runner holds leases under.
func (s *Store) Owner() string { return s.owner }

// claimTask takes the oldest task with work whose lease is free, ran out,
// or is already this runner's; 0 when none. prev is the runner it was
// taken from ("" when none held it).
func (s *Store) claimTask(ctx context.Context) (id int64, prev string, err error) {
	if err := s.sweepStoring(ctx); err != nil {
		return 0, "", err
	}
	ttl := LeaseTTL.Milliseconds()
	cond, cargs := s.runnableStoring()
	err = s.w.QueryRowContext(ctx, `WITH c AS (
		SELECT id, lease_owner, lease_until FROM tasks t
		WHERE (status IN ('pending','running','waiting')
		   OR (status = 'cancelled' AND (setup_inflight = 1 OR teardown_inflight = 1 OR EXISTS
		         (SELECT 1 FROM jobs j WHERE j.task_id = t.id AND j.inflight = 1 AND j.status = 'running'))))
		  AND (lease_owner = '' OR lease_owner = ? OR lease_until < `+dbNowMS+`)`+cond+`
		ORDER BY id LIMIT 1 FOR UPDATE OF t SKIP LOCKED)
		UPDATE tasks SET lease_owner = ?, lease_until = `+dbNowMS+` + ?
		FROM c WHERE tasks.id = c.id
		RETURNING tasks.id, CASE WHEN c.lease_owner <> ? THEN c.lease_owner ELSE '' END`,
		append(append([]any{s.owner}, cargs...), s.owner, ttl, s.owner)...).Scan(&id, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("jobs: take a task: %w", err)
	}
	s.noteClaim(ctx, id, prev)
	return id, prev, nil
}

// renewLease extends this runner's lease on a task and returns the task's
// status; ErrLeaseLost when another runner holds it.
func (s *Store) renewLease(ctx context.Context, taskID int64) (string, error) {
	var status string
	err := s.w.QueryRowContext(ctx, `UPDATE tasks SET lease_until = `+dbNowMS+` + ?
		WHERE id = ? AND lease_owner = ? RETURNING status`, LeaseTTL.Milliseconds(), taskID, s.owner).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrLeaseLost
	}
	return status, err
}

// releaseLease gives a task's lease back, so another runner may take the
// task at once.
func (s *Store) releaseLease(ctx context.Context, taskID int64) error {
	_, err := s.w.ExecContext(ctx, `UPDATE tasks SET lease_owner = '', lease_until = 0 WHERE id = ? AND lease_owner = ?`,
		taskID, s.owner)
	return err
}

// fenceSend is the condition (on jobs) that the task's lease is this
// runner's with at least leaseMargin left; "" on a local store.
func (s *Store) fenceSend() (string, []any) {
	if !s.eng.shared() {
		return "", nil
	}
	return ` AND EXISTS (SELECT 1 FROM tasks lt WHERE lt.id = jobs.task_id AND lt.lease_owner = ? AND lt.lease_until > ` + dbNowMS + ` + ?)`,
		[]any{s.owner, leaseMargin.Milliseconds()}
}

// fenceRecord is the condition (on jobs) that the task is still this
// runner's; "" on a local store.
func (s *Store) fenceRecord() (string, []any) {
	if !s.eng.shared() {
		return "", nil
	}
	return ` AND EXISTS (SELECT 1 FROM tasks lt WHERE lt.id = jobs.task_id AND lt.lease_owner = ?)`, []any{s.owner}
}

// Action is one line of a task's history of actions: who submitted,
// undid, retried or ran it, from which desk.
type Action struct {
	At     time.Time
	TaskID int64
	JobID  int64
	Action string // submit, undo, retry, run, takeover
	Desk   string
	Detail string
}

func (s *Store) addActionTx(ctx context.Context, tx *sql.Tx, taskID, jobID int64, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO actions (at, task_id, job_id, action, desk, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		s.ms(), taskID, jobID, action, s.desk, detail)
	return err
}

func (s *Store) addAction(ctx context.Context, taskID, jobID int64, action, detail string) {
	s.InTx(ctx, func(tx *sql.Tx) error { return s.addActionTx(ctx, tx, taskID, jobID, action, detail) })
}

// actions returns a task's actions in order (all tasks' when taskID is 0).
func (s *Store) actions(ctx context.Context, taskID int64) ([]Action, error) {
	rows, err := s.ofTask(ctx, `SELECT at, task_id, job_id, action, desk, detail FROM actions`, taskID)
	if err != nil {
		return nil, fmt.Errorf("jobs: actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var at int64
		if err := rows.Scan(&at, &a.TaskID, &a.JobID, &a.Action, &a.Desk, &a.Detail); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// noteClaim records in the task's actions that this runner took its
// lease: "run", or "takeover" from prev when another runner held it.
func (s *Store) noteClaim(ctx context.Context, id int64, prev string) {
	action, detail := "run", ""
	if prev != "" {
		action, detail = "takeover", "from "+prev
	}
	s.addAction(ctx, id, 0, action, detail)
}

// claimTaskID takes the lease of task id when it is free, ran out or is
// this runner's already. Otherwise ok is false and holder names the
// runner that holds it.
func (s *Store) claimTaskID(ctx context.Context, id int64) (ok bool, holder string, err error) {
	var prev string
	err = s.w.QueryRowContext(ctx, `WITH c AS (SELECT id, lease_owner, lease_until FROM tasks WHERE id = ? FOR UPDATE)
		UPDATE tasks SET lease_owner = ?, lease_until = `+dbNowMS+` + ?
		FROM c WHERE tasks.id = c.id AND (c.lease_owner = '' OR c.lease_owner = ? OR c.lease_until < `+dbNowMS+`)
		RETURNING c.lease_owner`, id, s.owner, LeaseTTL.Milliseconds(), s.owner).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.r.QueryRowContext(ctx, `SELECT lease_owner FROM tasks WHERE id = ?`, id).Scan(&holder)
		return false, holder, notFound(err, "task", id)
	}
	if err != nil {
		return false, "", fmt.Errorf("jobs: take task %d: %w", id, err)
	}
	if prev != s.owner {
		s.noteClaim(ctx, id, prev)
	}
	return true, prev, nil
}

// RunBy is the runner holding a team task's lease now ("" when none, or
// on a local store).
func (s *Store) RunBy(ctx context.Context, id int64) (string, error) {
	if !s.eng.shared() {
		return "", nil
	}
	var owner string
	err := s.r.QueryRowContext(ctx, `SELECT CASE WHEN lease_until > `+dbNowMS+` THEN lease_owner ELSE '' END FROM tasks WHERE id = ?`, id).Scan(&owner)
	return owner, notFound(err, "task", id)
}

// databaseGone reports whether err means the team database connection
// broke or the server is (re)starting, rather than a refusal.
func databaseGone(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57")
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	m := err.Error()
	for _, s := range []string{"conn closed", "connection reset", "broken pipe", "unexpected EOF", "connection refused", "failed to connect", "the database system is"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// waitDatabase reports whether the team database was out of reach, after
// waiting until it answers again (or ctx is done).
func (s *Store) waitDatabase(ctx context.Context, logf func(string, ...any)) bool {
	down := false
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := s.w.PingContext(pctx)
		cancel()
		if err == nil {
			return down
		}
		if !down {
			logf("jobs: team database out of reach (%s): waiting for it", Diagnose(err))
		}
		down = true
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return down
}
