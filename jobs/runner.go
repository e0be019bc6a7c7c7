package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// RunnerOptions configures a Runner. A nil *RunnerOptions is the zero
// value; every default is given with its field.
type RunnerOptions struct {
	// Sessions is how many documents are in flight at once (one per pool
	// session; make the pool at least this big). The runner keeps twice
	// as many workers so that recording one document's outcome overlaps
	// with sending the next. Default 4.
	Sessions int
	// BatchSize is the most commands per document, 1..15. Default 15.
	BatchSize int
	// DisableReadBack turns off reading each created user back after its
	// last command (read-back is on by default).
	DisableReadBack bool
	// MaxAttempts bounds the sends of one command that failed without
	// being executed (transient refusals, unsent documents). Default 6.
	MaxAttempts int
	// RetryBase and RetryMax bound the exponential backoff between
	// attempts. Defaults 250ms and 30s.
	RetryBase, RetryMax time.Duration
	// ProbeBase and ProbeMax bound the backoff of the connectivity probe
	// while a task waits for its server. Defaults 1s and 2s: a probe is one
	// dial, bounded by ProbeTimeout, so a task resumes within seconds of
	// its server coming back.
	ProbeBase, ProbeMax time.Duration
	// ProbeTimeout bounds one probe (dial, login, one read): a network
	// that drops packets must not hold a waiting task longer. Default 3s,
	// far above what a server that answers takes.
	ProbeTimeout time.Duration
	// SilentAfter is how long documents may go unanswered before the task
	// says it waits for the server (and shows no time left). Default 5s.
	SilentAfter time.Duration
	// PollInterval is how often an idle runner looks for new work besides
	// being woken by the store. Default 5s.
	PollInterval time.Duration
	// Clock is the time source. Default: the system clock.
	Clock Clock
	// Logf receives diagnostics (never secrets). Default: discarded.
	Logf func(format string, args ...any)
}

// Runner sends tasks' jobs to BroadWorks in the background. Its methods
// are safe for concurrent use.
type Runner struct {
	store   *Store
	connect func(ctx context.Context) (*broadworks.Pool, error)
	opts    RunnerOptions
	policy  retryPolicy
	clock   Clock
	hub     hub

	mu   sync.Mutex
	pool *broadworks.Pool
	cur  *taskRun
	// answered is when the server last answered a document or a probe
	// (unix nanoseconds); inflight counts the documents sent and not
	// answered yet.
	answered atomic.Int64
	inflight atomic.Int32
}

// heard records that the server answered.
func (r *Runner) heard() { r.answered.Store(r.clock.Now().UnixNano()) }

// silentSince is when the server last answered (zero: never).
func (r *Runner) silentSince() time.Time {
	if n := r.answered.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// WaitingText says, for people, since when a server has not answered:
// "waiting for the server since 14:05 (no answer for 23 s)". since is
// the last answer (zero when there was none: "no answer yet").
func WaitingText(since, now time.Time) string {
	if since.IsZero() {
		return "waiting for the server (no answer yet)"
	}
	return fmt.Sprintf("waiting for the server since %s (no answer for %d s)",
		since.Local().Format("15:04"), int(now.Sub(since).Round(time.Second)/time.Second))
}

// NewRunner returns a runner over store; connect returns the pool of
// logged-in sessions to the server (called when work needs it, and again
// after it failed). Nothing happens until Start.
func NewRunner(store *Store, connect func(ctx context.Context) (*broadworks.Pool, error), opts *RunnerOptions) *Runner {
	var o RunnerOptions
	if opts != nil {
		o = *opts
	}
	if o.Sessions <= 0 {
		o.Sessions = 4
	}
	if o.BatchSize <= 0 || o.BatchSize > 15 {
		o.BatchSize = 15
	}
	o.MaxAttempts, o.RetryBase, o.RetryMax = retryDefaults(o.MaxAttempts, o.RetryBase, o.RetryMax)
	if o.ProbeBase <= 0 {
		o.ProbeBase = time.Second
	}
	if o.ProbeMax <= 0 {
		o.ProbeMax = 2 * time.Second
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = 3 * time.Second
	}
	if o.SilentAfter <= 0 {
		o.SilentAfter = 5 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 5 * time.Second
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return &Runner{
		store: store, connect: connect, opts: o, clock: o.Clock,
		policy: retryPolicy{maxAttempts: o.MaxAttempts, base: o.RetryBase, max: o.RetryMax},
	}
}

// Subscribe returns a channel of progress events and a function that
// unsubscribes (and closes the channel). The runner never waits for a
// subscriber: a slow one gets every terminal event (job completed, failed
// or cancelled; task state changes) and, for running progress, only the
// latest per task. The store always has the full state.
func (r *Runner) Subscribe() (<-chan Event, func()) { return r.hub.subscribe() }

// taskRun is the task being worked on.
type taskRun struct {
	id   int64
	stop chan struct{} // closed by Pause or Cancel
	once sync.Once
	// lost: the task's lease passed to another runner (team store).
	lost atomic.Bool
	// probeNow is signalled by Resume while the task waits.
	probeNow chan struct{}

	mu                  sync.Mutex
	total, done, failed int
	cancelled, checking int
	started             time.Time
	doneThisRun         int
	// unreadable is a read the server does not know in any version
	// (broadworks.UnknownCommandError): the task stops for a person.
	unreadable error
}

func (t *taskRun) halt() { t.once.Do(func() { close(t.stop) }) }

// next returns the task to run next: on a team store the oldest one whose
// lease this runner could take (and took), else the oldest with work.
func (r *Runner) next(ctx context.Context) (int64, error) {
	if !r.store.Shared() {
		return r.store.nextTask(ctx)
	}
	id, prev, err := r.store.claimTask(ctx)
	if prev != "" {
		r.opts.Logf("jobs: task %d: taken over from %s, whose lease ran out", id, prev)
	}
	return id, err
}

// heartbeat renews a team task's lease every LeaseTTL/3 while it runs.
// It stops the run when the lease passed to another runner, when it could
// not be renewed for so long that it may have (the database out of
// reach), and when another desk paused or cancelled the task.
func (r *Runner) heartbeat(ctx context.Context, tr *taskRun) {
	tick := time.NewTicker(LeaseTTL / 3)
	defer tick.Stop()
	renewed := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tr.stop:
			return
		case <-tick.C:
		}
		status, err := r.store.renewLease(ctx, tr.id)
		switch {
		case errors.Is(err, ErrLeaseLost):
			tr.lost.Store(true)
			tr.halt()
			return
		case err != nil:
			if time.Since(renewed) > LeaseTTL-leaseMargin {
				r.opts.Logf("jobs: task %d: lease not renewed for %v (%v): stopping", tr.id, time.Since(renewed).Round(time.Second), err)
				tr.lost.Store(true)
				tr.halt()
				return
			}
		default:
			renewed = time.Now()
			if status == StatusPaused || status == StatusCancelled {
				tr.halt()
			}
		}
	}
}

// cannotRead records a read the server does not know; the first stands.
func (t *taskRun) cannotRead(err error) {
	t.mu.Lock()
	if t.unreadable == nil {
		t.unreadable = err
	}
	t.mu.Unlock()
}

func (t *taskRun) stopped() bool {
	select {
	case <-t.stop:
		return true
	default:
		return false
	}
}

// Start runs tasks, oldest first, until ctx is done; it then lets the
// documents in flight finish (bounded by the client's timeout) and
// returns. Interrupted work, including work of a previous process that
// crashed, is resumed with the same exactly-once guarantee: a command that
// was sent but whose outcome was not recorded is resolved by reading the
// server before anything is sent again.
func (r *Runner) Start(ctx context.Context) error {
	defer func() {
		r.mu.Lock()
		if r.pool != nil {
			r.pool.Close()
			r.pool = nil
		}
		r.mu.Unlock()
	}()
	for ctx.Err() == nil {
		id, err := r.next(ctx)
		if err != nil {
			r.opts.Logf("jobs: %v", err)
		}
		if id == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-r.store.wake:
			case <-r.clock.After(r.opts.PollInterval):
			}
			continue
		}
		err = r.runTask(ctx, id)
		if r.store.Shared() {
			if rerr := r.store.releaseLease(context.WithoutCancel(ctx), id); rerr != nil {
				r.opts.Logf("jobs: task %d: give the lease back: %v", id, rerr)
			}
			if errors.Is(err, ErrLeaseLost) {
				r.opts.Logf("jobs: task %d: another runner took it over", id)
				continue
			}
		}
		if err != nil && ctx.Err() == nil {
			r.opts.Logf("jobs: task %d: %v", id, err)
			// Tell the UI (ErrKeyringUnavailable, a disk error...): the
			// task stays as it is and is tried again.
			if t, terr := r.store.taskW(ctx, id); terr == nil {
				r.hub.publish(Event{TaskID: id, Status: t.Status, Err: maskSecrets(err.Error()),
					Done: t.Completed, Failed: t.Failed, Total: t.Total})
			}
			select {
			case <-ctx.Done():
			case <-r.clock.After(r.opts.PollInterval):
			}
		}
	}
	return nil
}

// ErrTaskState is returned by Pause, Resume and Cancel when the task's
// status does not allow them (it finished meanwhile, for one).
var ErrTaskState = errors.New("jobs: not possible in the task's present state")

// Pause stops sending a task's jobs after the documents in flight; Resume
// continues it.
func (r *Runner) Pause(ctx context.Context, taskID int64) error {
	ok, err := r.store.setTaskStatus(ctx, taskID, StatusPaused, "", StatusPending, StatusRunning, StatusWaiting)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: pause task %d: it is not pending, running or waiting", ErrTaskState, taskID)
	}
	r.haltCurrent(taskID)
	r.publishTask(taskID, StatusPaused, "")
	return nil
}

// Resume continues a paused task, or makes a waiting task probe its
// server now.
func (r *Runner) Resume(ctx context.Context, taskID int64) error {
	ok, err := r.store.setTaskStatus(ctx, taskID, StatusPending, "", StatusPaused)
	if err != nil {
		return err
	}
	if !ok {
		t, err := r.store.taskW(ctx, taskID)
		if err != nil {
			return err
		}
		if t.Status != StatusWaiting {
			return fmt.Errorf("%w: resume task %d: it is %s, not paused or waiting", ErrTaskState, taskID, t.Status)
		}
		r.mu.Lock()
		if r.cur != nil && r.cur.id == taskID {
			select {
			case r.cur.probeNow <- struct{}{}:
			default:
			}
		}
		r.mu.Unlock()
		return nil
	}
	r.store.signal()
	r.publishTask(taskID, StatusPending, "")
	return nil
}

// Cancel stops a task for good: documents in flight finish (their
// outcome is recorded), every job not yet done is cancelled. Cancelled
// jobs can be queued again one by one (retryJob).
func (r *Runner) Cancel(ctx context.Context, taskID int64) error {
	ok, err := r.store.setTaskStatus(ctx, taskID, StatusCancelled, "cancelled by the user",
		StatusPending, StatusRunning, StatusWaiting, StatusPaused)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: cancel task %d: it is already finished", ErrTaskState, taskID)
	}
	r.mu.Lock()
	running := r.cur != nil && r.cur.id == taskID
	r.mu.Unlock()
	if running {
		r.haltCurrent(taskID)
	} else if err := r.store.settleStopped(ctx, taskID, StatusCancelled); err != nil {
		return err
	}
	r.store.signal()
	r.publishTask(taskID, StatusCancelled, "cancelled by the user")
	return nil
}

// EditJob re-plans a failed or cancelled job from edited fields through
// wizard.Replan (so the wizard's rules validate them) and queues it
// again.
func (r *Runner) EditJob(ctx context.Context, jobID int64, fields map[string]string) error {
	userID, cmds, err := wizard.Replan(fields)
	if err != nil {
		return fmt.Errorf("jobs: edit job %d: %w", jobID, err)
	}
	return r.store.updateJob(ctx, jobID, userID, fields, cmds)
}

func (r *Runner) haltCurrent(taskID int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil && r.cur.id == taskID {
		r.cur.halt()
	}
}

func (r *Runner) publishTask(taskID int64, status, msg string) {
	e := Event{TaskID: taskID, Status: status, Err: msg}
	if t, err := r.store.taskW(r.store.life(), taskID); err == nil {
		e.Done, e.Failed, e.Checking, e.Total = t.Completed, t.Failed, t.Checking, t.Total
	}
	r.hub.publish(e)
}

// jobEvent publishes a job's change with the task's counts.
func (r *Runner) jobEvent(tr *taskRun, j *runJob, status, msg string) {
	tr.mu.Lock()
	switch status {
	case StatusCompleted:
		tr.done++
		tr.doneThisRun++
	case StatusFailed:
		tr.failed++
	case StatusCancelled:
		tr.cancelled++
	}
	if j.checking {
		tr.checking--
	}
	j.checking = status == StatusChecking
	if j.checking {
		tr.checking++
	}
	e := Event{TaskID: tr.id, JobID: j.id, Row: j.row, Status: status, Err: msg, Attempts: j.attempts,
		Done: tr.done, Failed: tr.failed, Checking: tr.checking, Total: tr.total}
	if el := r.clock.Now().Sub(tr.started).Seconds(); el > 0 && tr.doneThisRun > 0 {
		e.Throughput = float64(tr.doneThisRun) / el
		left := tr.total - tr.done - tr.failed - tr.cancelled
		e.ETA = time.Duration(float64(left) / e.Throughput * float64(time.Second))
	}
	tr.mu.Unlock()
	r.hub.publish(e)
}

// runTask works on one task until it is finished, stopped, or ctx is done.
func (r *Runner) runTask(ctx context.Context, id int64) error {
	t, err := r.store.taskW(ctx, id)
	if err != nil {
		return err
	}
	tr := &taskRun{id: id, stop: make(chan struct{}), probeNow: make(chan struct{}, 1),
		total: t.Total, done: t.Completed, failed: t.Failed, cancelled: t.Cancelled, checking: t.Checking,
		started: r.clock.Now()}
	r.mu.Lock()
	r.cur = tr
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.cur = nil
		r.mu.Unlock()
	}()
	if r.store.Shared() {
		hctx, stop := context.WithCancel(ctx)
		defer stop()
		go r.heartbeat(hctx, tr)
	}
	// A Pause or Cancel that landed before r.cur was set.
	if t, err = r.store.taskW(ctx, id); err != nil {
		return err
	}
	w := &taskWork{resolveOnly: t.Status == StatusCancelled || t.Status == StatusPaused,
		waited: t.Status == StatusWaiting, loadc: make(chan loadResult, 1)}
	// Load (and unseal) the jobs while the server is probed.
	go func() {
		js, err := r.store.loadRun(ctx, id, w.resolveOnly)
		w.loadc <- loadResult{js, err}
	}()
	defer func() {
		if !w.loaded {
			<-w.loadc
		}
	}()
	if w.setup.cmds, w.setup.step, w.setup.inflight, err = r.store.taskStage(ctx, id, stageSetup); err != nil {
		return err
	}
	if w.teardown.cmds, w.teardown.step, w.teardown.inflight, err = r.store.taskStage(ctx, id, stageTeardown); err != nil {
		return err
	}
	if t.Pending+t.Running == 0 && !w.setup.left() {
		if due, err := r.cleanupDue(ctx, id, w); err != nil || !due {
			if err != nil {
				return err
			}
			return r.settle(ctx, tr) // nothing to send: no need for the server
		}
	}
	for ctx.Err() == nil && !tr.stopped() {
		pool := r.online(ctx, tr, &w.waited)
		if pool == nil {
			break
		}
		next, err := r.round(ctx, pool, tr, w)
		if err != nil {
			return err
		}
		if next == leaveTask {
			return nil
		}
		if next == settleTask {
			break
		}
	}
	return r.settle(ctx, tr)
}

// taskWork is what a run of one task has left to do.
type taskWork struct {
	resolveOnly bool // paused or cancelled: settle what is in flight
	waited      bool // the task waited for its server: preflight before sending
	setup       stageWork
	teardown    stageWork
	jobs        []*runJob
	loadc       chan loadResult // the jobs, loaded while the server is probed
	loaded      bool
	checkDelay  time.Duration // before reading jobs to be checked again
}

type loadResult struct {
	jobs []*runJob
	err  error
}

// stageWork is a stage's commands and how far they are.
type stageWork struct {
	cmds     []oci.Request
	step     int
	inflight bool
}

// left reports whether a command of the stage is still to send or resolve.
func (s *stageWork) left() bool { return s.step < len(s.cmds) || s.inflight }

// cleanupDue reports whether the task's cleanup is to run: once every job
// completed; a command of it in flight is resolved in any case.
func (r *Runner) cleanupDue(ctx context.Context, id int64, w *taskWork) (bool, error) {
	if w.teardown.inflight {
		return true, nil
	}
	if w.teardown.step >= len(w.teardown.cmds) {
		return false, nil
	}
	t, err := r.store.taskW(ctx, id)
	return err == nil && t.Pending+t.Running+t.Checking+t.Failed+t.Cancelled == 0, err
}

// roundEnd says what follows a round of work on a task.
type roundEnd int

const (
	nextRound  roundEnd = iota // probe the server and go on
	settleTask                 // nothing left now: settle the task
	leaveTask                  // it stopped for a person: leave it as it is
)

// round works on a task once the server answers: its setup, its jobs,
// then its cleanup.
func (r *Runner) round(ctx context.Context, pool *broadworks.Pool, tr *taskRun, w *taskWork) (roundEnd, error) {
	if !w.loaded {
		l := <-w.loadc
		w.loaded = true
		if l.err != nil {
			return 0, l.err
		}
		w.jobs = l.jobs
	}
	if !w.resolveOnly {
		if _, err := r.store.setTaskStatus(ctx, tr.id, StatusRunning, "", StatusPending, StatusWaiting, StatusRunning); err != nil {
			return 0, err
		}
		r.publishTask(tr.id, StatusRunning, "")
	}
	if w.waited {
		w.waited = false
		if !w.resolveOnly {
			var err error
			if w.jobs, err = r.preflight(ctx, pool, tr, w.jobs); err != nil {
				return 0, err
			}
		}
	}
	if w.setup.left() {
		res, err := r.runStage(ctx, pool, tr, stageSetup, w.setup.cmds, &w.setup.step, &w.setup.inflight, w.resolveOnly)
		switch {
		case err != nil:
			return 0, err
		case res == resOffline:
			w.waited = true
			return nextRound, nil
		case res == resFailed:
			w.jobs = nil
		case res == resStopped:
			return settleTask, nil
		}
	}
	res, rest, err := r.runJobs(ctx, pool, tr, w.jobs, w.resolveOnly)
	if err != nil {
		return 0, err
	}
	tr.mu.Lock()
	unreadable := tr.unreadable
	tr.mu.Unlock()
	if unreadable != nil {
		// Reading again cannot help: stop and say what is missing.
		msg := "needs attention: " + attentionText(unreadable)
		if ok, _ := r.store.needsAttention(ctx, tr.id, msg); ok {
			r.publishTask(tr.id, StatusPaused, msg)
		}
		r.opts.Logf("jobs: task %d: %s", tr.id, msg)
		return leaveTask, nil
	}
	w.jobs = rest
	switch {
	case res == resOffline:
		w.waited = true
		return nextRound, nil
	case res == resDone && len(rest) == 0:
		due, err := r.cleanupDue(ctx, tr.id, w)
		if err != nil || !due {
			return settleTask, err
		}
		res, err := r.runStage(ctx, pool, tr, stageTeardown, w.teardown.cmds, &w.teardown.step, &w.teardown.inflight, w.resolveOnly)
		if err != nil {
			return 0, err
		}
		if res == resOffline {
			w.waited = true
			return nextRound, nil
		}
	case res == resDone:
		// Outcomes that could not be read: neither completed nor
		// failed. Read them again after a pause, until the server says.
		if r.awaitCheck(ctx, tr, len(rest), &w.checkDelay) {
			return nextRound, nil
		}
	}
	return settleTask, nil
}

// awaitCheck keeps a task whose jobs are to be checked waiting for delay
// (doubled up to ProbeMax for the next time) and says so; false when the
// task was stopped or ctx is done meanwhile.
func (r *Runner) awaitCheck(ctx context.Context, tr *taskRun, n int, delay *time.Duration) bool {
	if *delay == 0 {
		*delay = r.opts.ProbeBase
	}
	msg := fmt.Sprintf("%d %s to be checked: the server did not tell whether %s created; reading again in %v",
		n, plural(n, "user", "users"), plural(n, "it was", "they were"), delay.Round(time.Second))
	if ok, _ := r.store.setTaskStatus(ctx, tr.id, StatusWaiting, msg, StatusPending, StatusRunning, StatusWaiting); ok {
		r.publishTask(tr.id, StatusWaiting, msg)
	}
	select {
	case <-ctx.Done():
		return false
	case <-tr.stop:
		return false
	case <-tr.probeNow:
	case <-r.clock.After(*delay):
	}
	if *delay *= 2; *delay > r.opts.ProbeMax {
		*delay = r.opts.ProbeMax
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// settle records where a stopped or finished task rests.
func (r *Runner) settle(ctx context.Context, tr *taskRun) error {
	if ctx.Err() != nil {
		return nil // interrupted: resumed at the next Start
	}
	if tr.lost.Load() {
		return ErrLeaseLost // the new owner settles it
	}
	t, err := r.store.taskW(ctx, tr.id)
	if err != nil {
		return err
	}
	stopped := false
	switch t.Status {
	case StatusCancelled, StatusPaused:
		if err := r.store.settleStopped(ctx, tr.id, t.Status); err != nil {
			return err
		}
		stopped = true
	}
	status, err := r.store.finishTask(ctx, tr.id)
	if err != nil {
		return err
	}
	switch {
	case status != "":
		t, _ = r.store.taskW(ctx, tr.id)
		r.publishTask(tr.id, status, t.Error)
	case stopped:
		// The jobs in flight when it stopped are at rest now: listeners
		// that show them read them again.
		r.publishTask(tr.id, t.Status, t.Error)
	}
	return nil
}

type result int

const (
	resDone    result = iota // nothing left to do now
	resOffline               // the server became unreachable
	resStopped               // paused, cancelled or ctx done
	resFailed                // setup failed: the jobs were failed
)

// isOffline reports whether err means the work cannot go on now and
// nothing was sent: the server could not be dialled, the pool was closed
// under the runner (the next probe asks for the current one), or no
// session could be had for a reason a person must fix (the next probe
// puts the task in "needs attention").
func isOffline(err error) bool {
	var de *broadworks.DialError
	return errors.As(err, &de) || errors.Is(err, broadworks.ErrClosed) && broadworks.SafeToRetry(err) ||
		broadworks.NeedsAttention(err) && broadworks.SafeToRetry(err) // the next probe says what to do
}

// attentionText says, for a person, what stopped a task and what to do.
func attentionText(err error) string {
	var (
		ce  *broadworks.CertificateError
		wp  *broadworks.WrongProtocolError
		uce *broadworks.UnknownCommandError
	)
	switch {
	case errors.As(err, &ce):
		todo := "if the server's administrator confirms this fingerprint, trust the certificate in Connections (Test connection) " +
			"or with bwbulk profile add NAME --replace --ca-pin " + ce.SHA256 + ", then Resume"
		if ce.Changed {
			todo = "the certificate trusted for this server has changed; if its administrator confirms the new fingerprint, " +
				"trust it in Connections or with bwbulk profile add NAME --replace --ca-pin " + ce.SHA256 + ", then Resume"
		}
		return maskSecrets(ce.Error()) + ". " + todo
	case errors.As(err, &wp):
		return maskSecrets(wp.Error()) + ": correct the profile's address or transport in Connections, then Resume"
	case broadworks.IsErrorCode(err, loginRefused...):
		return "the server refused the login (" + maskSecrets(err.Error()) + "): correct the administrator's password in Connections, then Resume"
	case errors.As(err, &uce):
		rel := "its release"
		if uce.Release != "" {
			rel = "R" + uce.Release
		}
		return "the server (" + rel + ") does not know " + uce.Command + " nor any older version of it, so bwbulk cannot read back what it sent" +
			" (the jobs concerned are kept as to be checked): check the server's release under Connections (Test connection), then Resume"
	}
	return "the server refuses this computer (" + maskSecrets(err.Error()) +
		"): ask its administrator to add this computer's address to the OCI-P access list, then Resume"
}

// loginRefused is BroadWorks' answer to a wrong user id or password.
var loginRefused = []int{4962}

// Reachable tells the runner the server answers (the window's own check
// saw it): a task waiting for its connection probes now instead of at the
// end of its backoff.
func (r *Runner) Reachable() {
	r.mu.Lock()
	tr := r.cur
	r.mu.Unlock()
	if tr == nil {
		return
	}
	select {
	case tr.probeNow <- struct{}{}:
	default:
	}
}

// online returns the pool once the server answers a probe, keeping the
// task "waiting" (for connection) with backoff until then; nil when the
// task was stopped or ctx is done.
func (r *Runner) online(ctx context.Context, tr *taskRun, waited *bool) *broadworks.Pool {
	delay := r.opts.ProbeBase
	for {
		err := r.probeOnce(ctx, tr)
		if err == nil {
			r.mu.Lock()
			p := r.pool
			r.mu.Unlock()
			return p
		}
		if ctx.Err() != nil {
			return nil
		}
		if broadworks.NeedsAttention(err) {
			// Waiting cannot fix it: stop and say what must be done.
			msg := "needs attention: " + attentionText(err)
			if ok, _ := r.store.needsAttention(ctx, tr.id, msg); ok {
				r.publishTask(tr.id, StatusPaused, msg)
			}
			r.opts.Logf("jobs: task %d: %s", tr.id, msg)
			return nil
		}
		*waited = true
		msg := WaitingText(r.silentSince(), r.clock.Now())
		if why := unreachableText(err); why != "" {
			msg += ": " + why
		}
		if ok, _ := r.store.setTaskStatus(ctx, tr.id, StatusWaiting, msg, StatusPending, StatusRunning, StatusWaiting); ok {
			r.publishTask(tr.id, StatusWaiting, msg)
		}
		r.opts.Logf("jobs: task %d: %s (%v; next probe in %v)", tr.id, msg, maskSecrets(err.Error()), delay)
		select {
		case <-ctx.Done():
			return nil
		case <-tr.stop:
			return nil
		case <-tr.probeNow:
		case <-r.clock.After(delay):
		}
		if delay *= 2; delay > r.opts.ProbeMax {
			delay = r.opts.ProbeMax
		}
	}
}

// probeOnce runs one probe, bounded by ProbeTimeout. When the window sees
// the server again meanwhile (Reachable), the probe under way — a dial or
// login stuck on a connection the outage left dead — is cancelled and a
// new one starts at once on a fresh connection.
func (r *Runner) probeOnce(ctx context.Context, tr *taskRun) error {
	for {
		pctx, cancel := context.WithTimeout(ctx, r.opts.ProbeTimeout)
		done := make(chan error, 1)
		go func() { done <- r.probe(pctx) }()
		select {
		case err := <-done:
			cancel()
			if err == nil {
				r.heard()
			}
			return err
		case <-tr.probeNow:
			cancel()
			<-done
			continue
		case <-tr.stop:
			cancel()
			<-done
			return context.Canceled
		}
	}
}

// unreachableText says why a probe failed, in words ("" when the words
// of WaitingText say it all: no answer in time).
func unreachableText(err error) string {
	var de *broadworks.DialError
	switch {
	case errors.Is(err, context.DeadlineExceeded), broadworks.OutcomeUnknown(err):
		return ""
	case broadworks.IsErrorCode(err):
		return "the server says " + maskSecrets(serverSays(err))
	case errors.As(err, &de):
		return ConnectText(err)
	}
	return ""
}

// ConnectText says in a sentence why a server could not be reached (a
// connection refused, an unknown host, no answer in time); the error's
// own text, masked, for what it cannot name.
func ConnectText(err error) string {
	var (
		dns *net.DNSError
		op  *net.OpError
	)
	switch {
	case errors.As(err, &dns):
		return "the server's name " + dns.Name + " is not known (check the address, or the network's DNS)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the server's computer refused the connection (nothing listens on that port, or a firewall says no)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the connection was cut"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the network has no route to the server"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &op) && op.Timeout():
		return "the server did not answer in time"
	}
	return maskSecrets(err.Error())
}

// probe connects if needed and checks the session with
// VerifySessionIsValidRequest. The pool is the connect function's: the
// runner never keeps one that was closed under it (a profile switch, the
// application's owner of the connection), it asks for the current one.
func (r *Runner) probe(ctx context.Context) error {
	r.mu.Lock()
	p := r.pool
	if p != nil && p.Closed() {
		p, r.pool = nil, nil
	}
	r.mu.Unlock()
	if p == nil {
		np, err := r.connect(ctx)
		if err != nil {
			return err
		}
		r.mu.Lock()
		if r.pool == nil {
			r.pool = np
		} else if np != r.pool {
			np.Close()
		}
		p = r.pool
		r.mu.Unlock()
	}
	// Probe every session at once: this also logs them all in, in
	// parallel, before the work starts.
	errs := make(chan error, r.opts.Sessions)
	for range r.opts.Sessions {
		go func() {
			_, err := p.Do(ctx, &oci.VerifySessionIsValidRequest{})
			if err != nil && broadworks.IsErrorCode(err) && !broadworks.NeedsAttention(err) {
				err = nil // the server answered
			}
			errs <- err
		}()
	}
	var first error
	ok := false
	for range r.opts.Sessions {
		if err := <-errs; err == nil {
			ok = true
		} else if first == nil {
			first = err
		}
	}
	if ok {
		return nil
	}
	return first
}

// sendCtx keeps a document going when the runner is asked to stop: an
// abandoned document would leave its outcome unknown.
func sendCtx(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// runStage sends the task's commands of stage st (setup or cleanup) in
// order, one per document, each as a job of one command moved by the
// engine (rules.stage): a command whose outcome is unknown is resolved by
// reading the server. A failed setup fails the jobs not sent; a failed
// cleanup fails the task.
func (r *Runner) runStage(ctx context.Context, pool *broadworks.Pool, tr *taskRun, st stage, cmds []oci.Request, step *int, inflight *bool, resolveOnly bool) (result, error) {
	ru := rules{policy: r.policy, resolveOnly: resolveOnly, stage: true}
	for *step < len(cmds) {
		s := jobState{phase: phaseSend, n: 1, inflight: *inflight, userAdd: -1}
		if *inflight {
			s.phase = phaseResolve
		}
		at := *step
		res, err := r.stageCommand(ctx, pool, tr, st, ru, cmds[at], s, step, inflight)
		if err != nil || res != resDone || *step == at {
			return res, err
		}
	}
	return resDone, nil
}

// stageCommand moves cmd, the stage's command at *step in state s, until
// it is applied, it failed, or the run stops for now; *step and
// *inflight follow it, and so does the store.
func (r *Runner) stageCommand(ctx context.Context, pool *broadworks.Pool, tr *taskRun, st stage, ru rules, cmd oci.Request, s jobState, step *int, inflight *bool) (result, error) {
	read, judge, ok := resolver(cmd)
	turn := event{kind: evTurn, cmd: cmd.OCIName()}
	switch {
	case !ok:
		turn.read = readNever
	case read == nil:
		turn.read = readNone
	}
	var effs []effect // each move's, the slice reused
	for ev := turn; ; {
		if ev.kind == evTurn && (ctx.Err() != nil || tr.stopped()) {
			return resStopped, nil
		}
		s, effs = ru.move(s, ev, effs[:0])
		*inflight = s.inflight
		var (
			audit            *AuditEntry
			sending, reading bool
		)
		for _, e := range effs {
			switch e.do {
			case doSend:
				if err := r.store.setStage(ctx, tr.id, st, *step, true, nil); err != nil {
					return 0, err
				}
				sending = true
			case doRead:
				reading = true
			case doAudit:
				audit = &AuditEntry{TaskID: tr.id, Command: cmd.OCIName(), Request: renderCommand(cmd), Outcome: e.outcome}
				if ev.err != nil && e.outcome != OutcomeApplied && e.outcome != OutcomeNotApplied {
					audit.ErrorCode, audit.Error = errorCode(ev.err), ev.text
				}
			case doRecord:
				at := *step
				if e.status == StatusCompleted {
					at++
				}
				if err := r.store.setStage(ctx, tr.id, st, at, s.inflight, audit); err != nil {
					return 0, err
				}
				*step, audit = at, nil
				if e.status == StatusFailed {
					return r.failStage(ctx, tr, st, cmd, e.code, e.text)
				}
			case doAgain:
				if audit != nil { // a read to do again: its answer is kept too
					if err := r.store.setStage(ctx, tr.id, st, *step, s.inflight, audit); err != nil {
						return 0, err
					}
				}
				if ev.kind == evUnsent {
					return resOffline, nil
				}
				if e.delay > 0 {
					select {
					case <-ctx.Done():
					case <-r.clock.After(e.delay):
					}
				}
			case doRest:
				return resDone, nil
			}
		}
		req := cmd
		switch {
		case reading:
			req = read
		case !sending:
			ev = turn
			continue
		}
		resp, err := pool.Do(sendCtx(ctx), req)
		if err != nil && isOffline(err) {
			ev = event{kind: evUnsent}
			continue
		}
		ev = event{kind: evAnswer, cmd: cmd.OCIName(), err: err}
		if err != nil {
			ev.text = maskSecrets(err.Error())
		}
		if reading {
			var msg string
			ev.verdict, msg = judge(resp, err)
			ev.msg = maskSecrets(msg)
		}
	}
}

// failStage fails the task for its stage st's command cmd; a failed setup
// fails the jobs not sent with it.
func (r *Runner) failStage(ctx context.Context, tr *taskRun, st stage, cmd oci.Request, code int, msg string) (result, error) {
	msg = st.name + " " + cmd.OCIName() + ": " + maskSecrets(msg)
	if _, err := r.store.setTaskStatus(ctx, tr.id, StatusFailed, msg); err != nil {
		return 0, err
	}
	if st == stageSetup {
		if err := r.store.failPending(ctx, tr.id, code, "not sent: task "+msg); err != nil {
			return 0, err
		}
	}
	return resFailed, nil
}
