package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

// Team mode offline. Each desk of a team keeps a database of its own next
// to the team's, DeskFile in its data folder (SQLite, like bwbulk.db): its
// cached look-ups, a copy of the team's server profiles (refreshed each
// time they are read from the team), and its queue: the tasks submitted
// while the team database was out of reach. A queued task is never run
// from there. When the team database answers again, each queued task is
// moved into the team's queue, where any desk's runner takes it.
//
// The move is exactly once: a task submitted on a team store has an
// origin, 'submit:UUID', written with it wherever it is stored; the team
// database holds at most one task per origin (migration 0010). Moving
// stores the task in the team database (one transaction, skipped when
// its origin is there already), then removes it from the desk's queue.
// A desk that stops between the two finds the task in the team database
// at the next move and only removes it; nothing was sent for it before
// it joined the team's queue, where the runner's exactly-once rules hold.

// DeskFile is team mode's desk database in a data folder.
const DeskFile = "team-desk.db"

// waitingTeam is the message of a queued task.
const waitingTeam = "waiting for the team database"

// ErrOriginExists is returned by CreateTask when a task with the spec's
// origin is stored already (with its id).
var ErrOriginExists = errors.New("jobs: a task with this origin is stored already")

// ErrQueuedTask is returned by Runner.Run for a task that waits in this
// desk's queue for the team database: it runs once it joined the team's.
var ErrQueuedTask = errors.New("jobs: the task waits in this desk's queue for the team database: it runs once it joins the team's queue")

// moveEvery is how often a desk tries to move its queued tasks.
var moveEvery = 2 * time.Second

// newOrigin names a task submitted on a team store.
func newOrigin() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("submit:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// teamDown reports whether err means the team database is out of reach.
func teamDown(err error) bool {
	return err != nil && (databaseGone(err) || IsTeamUnreachable(err))
}

// CreateTask stores a task and its jobs (status pending) in one
// transaction and wakes the runner. On a team store whose database is out
// of reach it stores the task in this desk's queue instead and returns
// its id there, negative (see Task.Queued); it joins the team's queue by
// itself when the database is back.
func (s *Store) CreateTask(ctx context.Context, spec TaskSpec) (int64, error) {
	if s.local == nil && s.queueTo == "" {
		return s.createTask(ctx, spec)
	}
	if spec.Origin == "" {
		spec.Origin = newOrigin()
	}
	if s.queueTo != "" {
		return s.createTask(ctx, spec)
	}
	id, err := s.createTask(ctx, spec)
	if !teamDown(err) {
		return id, err
	}
	// Had the commit reached the database, the same origin keeps the
	// move from storing the task twice.
	lid, lerr := s.local.createTask(ctx, spec)
	if lerr != nil {
		return 0, fmt.Errorf("%s, and this desk's queue refused the task: %w", Diagnose(err), lerr)
	}
	return -lid, nil
}

// queuedIn returns the desk database holding task id when id names a
// queued task of a team store (a negative id), else nil.
func (s *Store) queuedIn(id int64) *Store {
	if id < 0 && s.local != nil {
		return s.local
	}
	return nil
}

// TeamOffline says, on the store OpenData returned while the team
// database was out of reach, why; ok is false on every other store.
func (s *Store) TeamOffline() (why string, ok bool) {
	if s.queueTo == "" {
		return "", false
	}
	return s.offlineWhy, true
}

// Queued counts this desk's tasks waiting for the team database.
func (s *Store) Queued(ctx context.Context) (int, error) {
	d := s.local
	if s.queueTo != "" {
		d = s
	}
	if d == nil {
		return 0, nil
	}
	var n int
	err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM tasks`).Scan(&n)
	return n, err
}

// listTeamTasks is ListTasks on a team store: the team's tasks, then this
// desk's queued ones (negative ids). While the team database is out of
// reach, the team's tasks are those of the last list that reached it.
func (s *Store) listTeamTasks(ctx context.Context) ([]Task, error) {
	if s.queueTo != "" {
		ts, err := s.listTasks(ctx)
		for i := range ts {
			ts[i].Queued = true
		}
		return ts, err
	}
	ts, err := s.listTasks(ctx)
	s.tasksMu.Lock()
	switch {
	case err == nil:
		s.lastTasks = ts
	case teamDown(err):
		ts = append([]Task(nil), s.lastTasks...)
	default:
		s.tasksMu.Unlock()
		return nil, err
	}
	s.tasksMu.Unlock()
	q, qerr := s.local.listTasks(ctx)
	for _, t := range q {
		t.ID, t.Queued = -t.ID, true
		ts = append(ts, t)
	}
	return ts, qerr
}

// teamProfiles reads the team's profiles and refreshes this desk's copy;
// while the database is out of reach it returns the copy.
func (s *Store) teamProfiles(ctx context.Context) ([]Profile, error) {
	ps, err := s.profiles(ctx)
	if teamDown(err) {
		return s.local.profiles(ctx)
	}
	if err == nil {
		_ = s.local.mirrorProfiles(ctx, ps) // a copy for offline work: the next read tries again
	}
	return ps, err
}

func (s *Store) teamProfile(ctx context.Context, id int64) (Profile, error) {
	p, err := scanProfile(s.r.QueryRowContext(ctx, `SELECT `+profileCols+` FROM profiles WHERE id = ?`, id))
	if teamDown(err) {
		return s.local.Profile(ctx, id)
	}
	if err == nil {
		p.learning = s.learnedFor(p)
	}
	return p, notFound(err, "profile", id)
}

// mirrorProfiles makes the desk database's profiles those of ps (same
// ids, so the administrator passwords in the keyring match).
func (s *Store) mirrorProfiles(ctx context.Context, ps []Profile) error {
	have, err := s.profiles(ctx)
	if err != nil {
		return err
	}
	same := len(have) == len(ps)
	for i := 0; same && i < len(ps); i++ {
		a, b := have[i], ps[i]
		same = a.ID == b.ID && a.Name == b.Name && a.Address == b.Address && a.Transport == b.Transport &&
			a.AdminUser == b.AdminUser && a.Insecure == b.Insecure && a.CAPin == b.CAPin && a.Release == b.Release &&
			a.Updated.Equal(b.Updated) && DescribeLearned(a.LearnedCommands()) == DescribeLearned(b.LearnedCommands())
	}
	if same {
		return nil
	}
	return s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM profiles`); err != nil {
			return err
		}
		for _, p := range ps {
			learned := ""
			if m := p.LearnedCommands(); len(m) > 0 {
				b, _ := json.Marshal(m)
				learned = string(b)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO profiles
				(id, name, address, transport, admin_user, insecure, ca_pin, release, learned, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.Name, p.Address, p.Transport, p.AdminUser, p.Insecure,
				p.CAPin, p.Release, learned, p.Created.UnixMilli(), p.Updated.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// openDesk opens the desk database of data folder dir for the team
// database tc names.
func openDesk(ctx context.Context, dir string, tc TeamConfig, opts *Options) (*Store, error) {
	d, err := Open(ctx, filepath.Join(dir, DeskFile), opts)
	if err != nil {
		return nil, err
	}
	d.queueTo, d.teamCfg = tc.URL, tc
	if cfg, err := pgx.ParseConfig(tc.URL); err == nil {
		d.adminNS = teamIdent(cfg)
	}
	return d, nil
}

// queuedSpec reads queued task id back as the spec it was stored from.
func (s *Store) queuedSpec(ctx context.Context, id int64) (TaskSpec, error) {
	var spec TaskSpec
	var setup, teardown []byte
	err := s.r.QueryRowContext(ctx, `SELECT description, os_user, admin, server, setup, teardown, undo_of, name, ticket, origin
		FROM tasks WHERE id = ?`, id).Scan(&spec.Description, &spec.OSUser, &spec.Admin, &spec.Server, &setup, &teardown,
		&spec.UndoOf, &spec.Name, &spec.Ticket, &spec.Origin)
	if err != nil {
		return spec, notFound(err, "task", id)
	}
	if spec.Origin == "" {
		spec.Origin = fmt.Sprintf("copy:%s:%s#%d", s.desk, s.path, id)
	}
	if spec.Setup, err = s.openCommands(purposeSetup, setup); err != nil {
		return spec, fmt.Errorf("jobs: task %d setup: %w", id, err)
	}
	if spec.Teardown, err = s.openCommands(purposeTeardown, teardown); err != nil {
		return spec, fmt.Errorf("jobs: task %d cleanup: %w", id, err)
	}
	err = s.EachJob(ctx, id, Filter{}, true, func(j Job) error {
		spec.Jobs = append(spec.Jobs, JobSpec{Row: j.Row, UserID: j.UserID, Fields: j.Fields, Commands: j.Commands})
		return nil
	})
	return spec, err
}

// moveQueued moves the desk database's queued tasks into team's queue,
// oldest first, and returns how many it moved.
func (s *Store) moveQueued(ctx context.Context, team *Store) (int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM tasks ORDER BY id`)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	moved := 0
	for _, id := range ids {
		spec, err := s.queuedSpec(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue // moved meanwhile by another process of this desk
		}
		if err != nil {
			return moved, err
		}
		tid, err := team.createTask(ctx, spec)
		switch {
		case err == nil:
			team.addAction(ctx, tid, 0, "queued", fmt.Sprintf("submitted while the team database was out of reach, at %s", time.Now().UTC().Format(time.RFC3339)))
		case errors.Is(err, ErrOriginExists):
		default:
			return moved, err
		}
		if _, err := s.w.ExecContext(ctx, `DELETE FROM tasks WHERE id = ?`, id); err != nil {
			return moved, err
		}
		moved++
	}
	return moved, nil
}

// startMover moves the desk's queued tasks into the team's queue every
// moveEvery, until Close. On a team store it uses the store; on a desk
// database opened offline it connects to the team database for each try
// while there is something to move.
func (s *Store) startMover() {
	ctx, cancel := context.WithCancel(s.life())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(moveEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			s.moveOnce(ctx)
		}
	}()
	s.moverStop = func() { cancel(); <-done }
}

// moveOnce is one try of the mover.
func (s *Store) moveOnce(ctx context.Context) {
	if s.local != nil {
		if n, err := s.Queued(ctx); err == nil && n > 0 {
			if _, err := s.local.moveQueued(ctx, s); err == nil {
				s.signal()
			}
		}
		return
	}
	if n, err := s.Queued(ctx); err != nil || n == 0 {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	team, err := OpenTeam(cctx, s.teamCfg, &Options{Keyring: s.secrets, Now: s.now})
	if err != nil {
		s.offlineWhy = Diagnose(err)
		return
	}
	defer team.Close()
	_, _ = s.moveQueued(cctx, team)
}
