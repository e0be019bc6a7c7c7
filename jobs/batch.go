package jobs

import (
	"context"
	"errors"
	"sync"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// sched hands jobs to the workers: each job is in at most one document at
// a time, so a user's commands go out strictly in order (device → user →
// services), one per document, and a later command is never sent before
// an earlier one is known to have been applied.
type sched struct {
	mu    sync.Mutex
	ready []*runJob
	// started are jobs under way in this run, handed out before the
	// ready ones: a job's commands follow each other within a few
	// documents, so users are done from the first seconds of a large
	// task on and only the jobs in flight are open at a time.
	started []*runJob
	delayed []*runJob
	live    int // jobs not finished (ready, delayed or in a document)
	halted  bool
	offline bool
	changed chan struct{}
	// toCheck are the jobs whose outcome could not be read in this round
	// (StatusChecking): the runner reads them again later.
	toCheck []*runJob
}

func newSched(js []*runJob) *sched {
	s := &sched{changed: make(chan struct{})}
	s.ready = append(s.ready, js...)
	s.live = len(js)
	return s
}

func (s *sched) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// take returns up to max due jobs. With none due it returns how long until
// the next one is (0: wait for a change) and a channel closed on change;
// done is true when the workers should exit.
func (s *sched) take(now time.Time, max int) (batch []*runJob, wait time.Duration, changed <-chan struct{}, done bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.halted || s.offline || s.live == 0 {
		return nil, 0, nil, true
	}
	keep := s.delayed[:0]
	for _, j := range s.delayed {
		if !j.due.After(now) {
			s.started = append(s.started, j)
		} else {
			keep = append(keep, j)
			if d := j.due.Sub(now); wait == 0 || d < wait {
				wait = d
			}
		}
	}
	clear(s.delayed[len(keep):])
	s.delayed = keep
	n := min(max, len(s.started))
	batch = append(batch, s.started[:n]...)
	clear(s.started[:n]) // the queue's array must not keep finished jobs alive
	s.started = s.started[n:]
	if k := min(max-n, len(s.ready)); k > 0 {
		batch = append(batch, s.ready[:k]...)
		clear(s.ready[:k])
		s.ready = s.ready[k:]
		n += k
	}
	if n > 0 {
		wait = 0
	}
	return batch, wait, s.changed, false
}

// put returns a job for more work (after its due time).
func (s *sched) put(js ...*runJob) {
	s.mu.Lock()
	for _, j := range js {
		if j.due.IsZero() {
			s.started = append(s.started, j)
		} else {
			s.delayed = append(s.delayed, j)
		}
	}
	s.notify()
	s.mu.Unlock()
}

// finish marks a job done for this run.
func (s *sched) finish(n int) {
	s.mu.Lock()
	s.live -= n
	s.notify()
	s.mu.Unlock()
}

func (s *sched) halt() {
	s.mu.Lock()
	s.halted = true
	s.notify()
	s.mu.Unlock()
}

func (s *sched) goOffline() {
	s.mu.Lock()
	s.offline = true
	s.notify()
	s.mu.Unlock()
}

// check sets jobs aside to be checked in a later round.
func (s *sched) check(js ...*runJob) {
	s.mu.Lock()
	s.toCheck = append(s.toCheck, js...)
	s.mu.Unlock()
}

// rest returns the jobs not finished (for the next round after offline),
// and those to be checked.
func (s *sched) rest() []*runJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append(append(append(append([]*runJob(nil), s.started...), s.ready...), s.delayed...), s.toCheck...)
	for _, j := range out {
		j.due = time.Time{}
	}
	return out
}

// runJobs works on the jobs with r.opts.Sessions workers until every job
// is final, the task is stopped, or the server goes away (resOffline, with
// the unfinished jobs returned).
func (r *Runner) runJobs(ctx context.Context, pool *broadworks.Pool, tr *taskRun, js []*runJob, resolveOnly bool) (result, []*runJob, error) {
	// Place each job in its phase; finish those with nothing to send.
	var work []*runJob
	var ups []jobUpdate
	for _, j := range js {
		// A job to send opens when its turn comes (process); one whose
		// next move depends on its commands opens now. One that cannot be
		// opened goes to process too, which fails it with the reason.
		if (j.inflight || j.step >= j.n()) && r.store.openJob(j) != nil {
			j.phase = phaseSend
			work = append(work, j)
			continue
		}
		switch {
		case j.inflight:
			j.phase = phaseResolve
		case resolveOnly:
			continue
		case j.reconcile && j.step < j.n():
			// Queued again after a failure: read before sending.
			j.phase = phaseResolve
		case j.step < j.n():
			j.phase = phaseSend
		case j.userAddIdx >= 0 && !r.opts.DisableReadBack:
			j.phase = phaseReadBack
		default:
			ups = append(ups, jobUpdate{id: j.id, status: StatusCompleted, step: j.step})
			r.jobEvent(tr, j, StatusCompleted, "")
			continue
		}
		work = append(work, j)
	}
	if err := r.store.record(ctx, ups, nil); err != nil {
		return 0, nil, err
	}
	if len(work) == 0 {
		return resDone, nil, nil
	}
	s := newSched(work)
	watch := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-tr.stop:
		case <-watch:
		}
		s.halt()
	}()
	silent := make(chan struct{})
	go func() {
		defer close(silent)
		r.watchSilence(ctx, tr, watch)
	}()
	defer func() { <-silent }()
	var (
		wg       sync.Mutex
		firstErr error
		group    sync.WaitGroup
	)
	for w := 0; w < 2*r.opts.Sessions; w++ {
		group.Add(1)
		go func() {
			defer group.Done()
			for {
				batch, wait, changed, done := s.take(r.clock.Now(), r.opts.BatchSize)
				if done {
					return
				}
				if len(batch) == 0 {
					var timer <-chan time.Time
					if wait > 0 {
						timer = r.clock.After(wait)
					}
					select {
					case <-changed:
					case <-timer:
					}
					continue
				}
				if err := r.process(ctx, pool, tr, s, batch, resolveOnly); err != nil {
					wg.Lock()
					if firstErr == nil {
						firstErr = err
					}
					wg.Unlock()
					s.halt()
					return
				}
			}
		}()
	}
	group.Wait()
	close(watch)
	if firstErr != nil {
		return 0, nil, firstErr
	}
	s.mu.Lock()
	offline := s.offline
	s.mu.Unlock()
	if offline {
		return resOffline, s.rest(), nil
	}
	if ctx.Err() != nil || tr.stopped() {
		return resStopped, nil, nil
	}
	return resDone, s.rest(), nil
}

// unknownCommand reports whether err is a read the server does not know
// in any version: reading again cannot tell the outcome.
func unknownCommand(err error) bool {
	var uce *broadworks.UnknownCommandError
	return errors.As(err, &uce)
}

// item is one job's part of a document.
type item struct {
	j        *runJob
	req      oci.Request
	judge    judge                                                  // phaseResolve
	verify   func(oci.Response, error) (ok, final bool, msg string) // phaseReadBack, phaseServiceCheck
	rendered string                                                 // masked request, for the audit
}

// docRun gathers what the moves of one document's jobs leave to do once
// the document is settled.
type docRun struct {
	now    time.Time
	ups    []jobUpdate
	audit  []AuditEntry
	notes  []jobNote
	again  []*runJob // back to the scheduler
	checks []*runJob // set aside to be checked
	fin    int       // done with in this run
}

// jobNote is a job's change to publish once it is stored.
type jobNote struct {
	j           *runJob
	status, msg string
}

// rules are the engine's rules for this runner's jobs.
func (r *Runner) rules(resolveOnly bool) rules {
	return rules{policy: r.policy, readBack: !r.opts.DisableReadBack, resolveOnly: resolveOnly}
}

// process sends one document for batch and records every outcome: each
// job's turn and the server's answer to it are moves of the engine.
func (r *Runner) process(ctx context.Context, pool *broadworks.Pool, tr *taskRun, s *sched, batch []*runJob, resolveOnly bool) error {
	ru := r.rules(resolveOnly)
	d := &docRun{now: r.clock.Now()}
	var items []item
	var sends []*runJob
	var effs []effect // each move's, the slice reused
	for _, j := range batch {
		ev, it := r.turnOf(j)
		var next jobState
		next, effs = ru.move(j.state(), ev, effs[:0])
		for _, e := range effs {
			switch e.do {
			case doSend:
				sends = append(sends, j)
				items = append(items, it)
			case doRead:
				items = append(items, it)
			}
		}
		r.apply(ctx, pool, tr, d, j, next, effs, nil, nil)
	}
	lost := false // the document got no answer
	if len(items) > 0 {
		// Intent first: after a crash these commands are resolved by reading.
		if err := r.store.markSent(ctx, sends); err != nil {
			return err
		}
		reqs := make([]oci.Request, len(items))
		for i, it := range items {
			reqs[i] = it.req
		}
		r.inflight.Add(1)
		results, berr := pool.Batch(sendCtx(ctx), reqs...)
		r.inflight.Add(-1)
		if berr == nil {
			r.heard()
		}
		// A document that got no answer at all (the network dropped it,
		// the connection was cut): the rest waits for the server, probed,
		// instead of each job backing off on its own; what was sent is
		// read back first when it answers again.
		lost = berr != nil && (unanswered(berr) || isOffline(berr))
		switch {
		case berr != nil && isOffline(berr):
			// Nothing left: the intent is undone; wait for the server.
			for _, it := range items {
				var next jobState
				next, effs = ru.move(it.j.state(), event{kind: evUnsent}, effs[:0])
				r.apply(ctx, pool, tr, d, it.j, next, effs, nil, nil)
			}
		case len(results) != len(items):
			return errors.New("jobs: client returned a wrong number of results")
		default:
			for i, it := range items {
				ev := answerOf(it, results[i])
				if it.rendered == "" {
					it.rendered = renderCommand(it.req)
				}
				a := &AuditEntry{TaskID: tr.id, JobID: it.j.id, Command: it.req.OCIName(), Request: it.rendered}
				if ev.err != nil {
					a.ErrorCode, a.Error = errorCode(ev.err), ev.text
				}
				var next jobState
				next, effs = ru.move(it.j.state(), ev, effs[:0])
				r.apply(ctx, pool, tr, d, it.j, next, effs, a, ev.err)
			}
		}
	}
	if err := r.store.record(ctx, d.ups, d.audit); err != nil {
		return err
	}
	for _, n := range d.notes {
		r.jobEvent(tr, n.j, n.status, n.msg)
	}
	if len(d.checks) > 0 {
		s.check(d.checks...)
	}
	if d.fin > 0 {
		s.finish(d.fin)
	}
	if len(d.again) > 0 {
		s.put(d.again...)
	}
	if lost {
		s.goOffline()
	}
	return nil
}

// turnOf opens j and says what it could put in a document: the event of
// its turn, and the item the engine may choose to send.
func (r *Runner) turnOf(j *runJob) (event, item) {
	if err := r.store.openJob(j); err != nil {
		return event{kind: evBroken, text: unreadable(err)}, item{}
	}
	it := item{j: j}
	if j.phase == phaseReadBack {
		// The user add's few fields are read from its stored element,
		// which is not decoded for them.
		if v, ok := storedTexts(j.raw[j.userAddIdx].XML, readBackNames...); ok && j.cmds[j.userAddIdx] == nil {
			it.req, it.verify = readBackOf(v[0], v[1], v[2], v[3])
			return event{kind: evTurn}, it
		}
		add, err := j.cmd(j.userAddIdx)
		if err != nil {
			return event{kind: evBroken, text: err.Error()}, item{}
		}
		it.req, it.verify = readBack(add)
		return event{kind: evTurn}, it
	}
	if j.phase == phaseSend {
		// Sent as stored: the command is not decoded to be encoded again.
		req, err := j.send(j.step)
		if err != nil {
			return event{kind: evBroken, text: err.Error()}, item{}
		}
		it.req, it.rendered = req, j.rendered(j.step)
		return event{kind: evTurn, cmd: req.OCIName()}, it
	}
	cur, err := j.cmd(j.step)
	if err != nil {
		return event{kind: evBroken, text: err.Error()}, item{}
	}
	ev := event{kind: evTurn, cmd: cur.OCIName()}
	switch j.phase {
	case phaseResolve:
		read, judge, ok := resolver(cur)
		switch {
		case !ok:
			ev.read = readNever
		case read == nil:
			ev.read = readNone
		default:
			it.req, it.judge = read, judge
		}
	case phaseServiceCheck:
		it.req, it.verify = serviceReadBack(cur, maskValues(maskSecrets(j.warning), j.secrets))
	}
	return ev, it
}

// answerOf is the event of the server's answer res to it.
func answerOf(it item, res broadworks.Result) event {
	j := it.j
	err := res.Err
	if err == nil && res.Response == nil {
		err = errors.New("no response")
	}
	var er *oci.ErrorResponse
	warning := ""
	if errors.As(err, &er) && er.Type != oci.TypeError {
		warning = warningText(er)
		err = nil // a Warning: partial success
	}
	if w, ok := res.Response.(*oci.ErrorResponse); ok && err == nil {
		warning = warningText(w)
	}
	ev := event{kind: evAnswer, err: err}
	if j.step < len(j.raw) {
		ev.cmd = j.raw[j.step].Type
	}
	if err != nil {
		ev.text = maskValues(maskSecrets(err.Error()), j.secrets)
	}
	// The read's words tell why it did not confirm the command; what
	// confirmed it needs none (and is not masked for nothing).
	var msg string
	switch {
	case it.judge != nil:
		if ev.verdict, msg = it.judge(res.Response, err); ev.verdict == applied {
			msg = ""
		}
	case it.verify != nil:
		if ev.ok, ev.final, msg = it.verify(res.Response, err); ev.ok {
			msg = ""
		}
	default:
		ev.service, ev.warning = isServiceAssign(it.req.OCIName()), warning
	}
	if msg != "" {
		ev.msg = maskValues(maskSecrets(msg), j.secrets)
	}
	return ev
}

// apply takes j's move: its next state, and every effect but the sending
// (the document's). a is the audit entry of the answer (nil for a turn),
// err the answer's error.
func (r *Runner) apply(ctx context.Context, pool *broadworks.Pool, tr *taskRun, d *docRun, j *runJob, next jobState, effs []effect, a *AuditEntry, err error) {
	j.setState(next)
	final, amended := false, ""
	text := func(e effect) string {
		if amended != "" {
			return amended
		}
		return e.text
	}
	for _, e := range effs {
		switch e.do {
		case doAudit:
			a.Outcome = e.outcome
			d.audit = append(d.audit, *a)
		case doOrphan:
			var cleanup []AuditEntry
			amended, cleanup = r.removeOrphanDevice(ctx, pool, tr, j, a.Error)
			d.audit = append(d.audit, cleanup...)
		case doRecord:
			u := jobUpdate{id: j.id, status: e.status, step: j.step, inflight: j.inflight, attempts: j.attempts,
				code: e.code, text: text(e), unverified: e.unverified}
			if e.delay > 0 {
				u.notBefore = d.now.Add(e.delay)
			}
			d.ups = append(d.ups, u)
			final = final || e.status == StatusCompleted || e.status == StatusFailed
		case doPublish:
			d.notes = append(d.notes, jobNote{j, e.status, text(e)})
		case doAgain:
			j.due = time.Time{}
			if e.delay > 0 {
				j.due = d.now.Add(e.delay)
			}
			d.again = append(d.again, j)
		case doPark:
			j.due = time.Time{}
			d.checks = append(d.checks, j)
		case doAttention:
			tr.cannotRead(err)
		case doRest:
			d.fin++
		}
	}
	if final {
		// Done for this run: what was decoded goes (a task's finished
		// jobs are not all held in memory).
		j.raw, j.cmds, j.secrets = nil, nil, nil
	}
}

// unanswered reports whether err is a document that got no answer from
// the server (a timeout, a connection cut), not a refusal.
func unanswered(err error) bool {
	return !broadworks.IsErrorCode(err) && (broadworks.OutcomeUnknown(err) || broadworks.Temporary(err))
}

// unreadable is the error of a job whose stored fields or commands cannot
// be opened (a damaged database, or a key that is not the one they were
// sealed with).
func unreadable(err error) string {
	return "the stored job cannot be read: " + err.Error()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// watchSilence says the task waits for its server while documents are in
// flight and the server has answered none for SilentAfter (a network
// that drops packets: the documents' own timeout is longer), and says it
// runs again when an answer comes; until done is closed.
func (r *Runner) watchSilence(ctx context.Context, tr *taskRun, done <-chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	waiting, last := false, ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-tick.C:
		}
		since := r.silentSince()
		quiet := r.inflight.Load() > 0 && !since.IsZero() && r.clock.Now().Sub(since) >= r.opts.SilentAfter
		switch {
		case quiet:
			msg := WaitingText(since, r.clock.Now())
			if msg == last {
				continue
			}
			if ok, _ := r.store.setTaskStatus(ctx, tr.id, StatusWaiting, msg, StatusRunning, StatusWaiting); ok {
				waiting, last = true, msg
				r.publishTask(tr.id, StatusWaiting, msg)
			}
		case waiting:
			if ok, _ := r.store.setTaskStatus(ctx, tr.id, StatusRunning, "", StatusWaiting); ok {
				r.publishTask(tr.id, StatusRunning, "")
			}
			waiting, last = false, ""
		}
	}
}
