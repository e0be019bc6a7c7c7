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
	service  bool                                                   // phaseServiceCheck: ok moves on
	rendered string                                                 // masked request, for the audit
}

// process sends one document for batch and records every outcome.
func (r *Runner) process(ctx context.Context, pool *broadworks.Pool, tr *taskRun, s *sched, batch []*runJob, resolveOnly bool) error {
	var (
		items []item
		sends []*runJob
		ups   []jobUpdate
		audit []AuditEntry
		again []*runJob
		fin   int
		lost  bool // the document got no answer
	)
	type ev struct {
		j           *runJob
		status, msg string
	}
	var evs []ev
	finish := func(j *runJob, status string, code int, msg string) {
		ups = append(ups, jobUpdate{id: j.id, status: status, step: j.step, inflight: j.inflight,
			attempts: j.attempts, code: code, text: msg})
		evs = append(evs, ev{j, status, msg})
		fin++
		// Done for this run: what was decoded goes (a task's finished
		// jobs are not all held in memory).
		j.raw, j.cmds, j.secrets = nil, nil, nil
	}
	// toCheck sets aside a job whose outcome could not be read: it is
	// neither completed nor failed until a read of the server says which.
	var checks []*runJob
	toCheck := func(j *runJob, code int, msg string) {
		msg = "to be checked: " + msg
		ups = append(ups, jobUpdate{id: j.id, status: StatusPending, step: j.step, inflight: j.inflight,
			attempts: j.attempts, code: code, text: msg, unverified: true})
		evs = append(evs, ev{j, StatusChecking, msg})
		j.reads, j.due = 0, time.Time{}
		checks = append(checks, j)
		fin++
	}
	// advance moves a job past its current command.
	advance := func(j *runJob) {
		j.step++
		j.inflight, j.attempts, j.due = false, 0, time.Time{}
		switch {
		case j.step < j.n():
			if resolveOnly {
				ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step})
				fin++
				return
			}
			j.phase = phaseSend
			if j.reconcile {
				j.phase = phaseResolve
			}
			ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step})
			evs = append(evs, ev{j, StatusRunning, ""})
			again = append(again, j)
		case j.userAddIdx >= 0 && !r.opts.DisableReadBack && !resolveOnly:
			j.phase = phaseReadBack
			ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step})
			again = append(again, j)
		default:
			finish(j, StatusCompleted, 0, "")
		}
	}
	mask := func(j *runJob, err error) string { return maskValues(maskSecrets(err.Error()), j.secrets) }
	now := r.clock.Now()

	for _, j := range batch {
		if err := r.store.openJob(j); err != nil {
			finish(j, StatusFailed, 0, unreadable(err))
			continue
		}
		var cur oci.Request
		if j.phase == phaseSend || j.phase == phaseResolve || j.phase == phaseServiceCheck {
			c, err := j.cmd(j.step)
			if err != nil {
				finish(j, StatusFailed, 0, err.Error())
				continue
			}
			cur = c
		}
		switch j.phase {
		case phaseSend:
			items = append(items, item{j: j, req: cur, rendered: j.rendered(j.step)})
			sends = append(sends, j)
		case phaseResolve:
			read, judge, ok := resolver(cur)
			switch {
			case !ok && !j.inflight:
				// Reconciling: what cannot be read is not sent twice.
				finish(j, StatusFailed, 0, "whether "+cur.OCIName()+
					" was applied cannot be read from the server: check the server, then send it by hand")
			case !ok:
				// Never re-sent blindly, never skipped silently.
				finish(j, StatusFailed, 0, "outcome of "+cur.OCIName()+
					" unknown and it cannot be verified by reading: check the server, then retry")
			case read == nil:
				j.inflight, j.phase = false, phaseSend
				ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step, attempts: j.attempts})
				if resolveOnly {
					fin++
				} else {
					again = append(again, j)
				}
			default:
				items = append(items, item{j: j, req: read, judge: judge})
			}
		case phaseServiceCheck:
			read, verify := serviceReadBack(cur, maskValues(maskSecrets(j.warning), j.secrets))
			items = append(items, item{j: j, req: read, verify: verify, service: true})
		case phaseReadBack:
			add, err := j.cmd(j.userAddIdx)
			if err != nil {
				finish(j, StatusFailed, 0, err.Error())
				continue
			}
			read, verify := readBack(add)
			items = append(items, item{j: j, req: read, verify: verify})
		}
	}

	if len(items) > 0 {
		// Intent first: after a crash these commands are resolved by reading.
		for _, j := range sends {
			j.attempts++
			j.inflight = true
		}
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
		lost = berr != nil && unanswered(berr)
		if berr != nil && isOffline(berr) {
			// Nothing left: undo the intent and wait for the server.
			for _, j := range sends {
				j.attempts--
				j.inflight = false
			}
			for _, it := range items {
				ups = append(ups, jobUpdate{id: it.j.id, status: StatusRunning, step: it.j.step,
					inflight: it.j.inflight, attempts: it.j.attempts})
			}
			if err := r.store.record(ctx, ups, audit); err != nil {
				return err
			}
			s.put(batch...)
			s.goOffline()
			return nil
		}
		if len(results) != len(items) {
			return errors.New("jobs: client returned a wrong number of results")
		}
		for i, it := range items {
			j, res := it.j, results[i]
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
			if it.rendered == "" {
				it.rendered = renderCommand(it.req)
			}
			a := AuditEntry{TaskID: tr.id, JobID: j.id, Command: it.req.OCIName(), Request: it.rendered}
			if err != nil {
				a.ErrorCode, a.Error = errorCode(err), mask(j, err)
			}
			switch {
			case it.judge != nil:
				v, msg := it.judge(res.Response, err)
				switch v {
				case applied:
					a.Outcome = OutcomeApplied
					advance(j)
				case notApplied:
					a.Outcome = OutcomeNotApplied
					j.inflight, j.phase = false, phaseSend
					if j.attempts >= r.opts.MaxAttempts {
						finish(j, StatusFailed, 0, "not applied after "+itoa(j.attempts)+" attempts: "+msg)
						break
					}
					ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step, attempts: j.attempts})
					if resolveOnly {
						fin++
					} else {
						again = append(again, j)
					}
				default:
					a.Outcome = OutcomeError
					if unknownCommand(err) {
						toCheck(j, errorCode(err), "whether "+j.raw[j.step].Type+" was applied cannot be read: "+mask(j, err))
						tr.cannotRead(err)
						break
					}
					j.reads++
					if j.reads < r.opts.MaxAttempts && err != nil {
						j.due = now.Add(r.policy.backoff(j.reads))
						again = append(again, j)
						break
					}
					toCheck(j, errorCode(err), "whether "+j.raw[j.step].Type+
						" was applied could not be read yet: "+maskValues(maskSecrets(msg), j.secrets))
				}
			case it.verify != nil:
				ok, final, msg := it.verify(res.Response, err)
				a.Outcome = OutcomeSuccess
				if err != nil {
					a.Outcome = OutcomeError
				}
				switch {
				case ok && it.service:
					j.warning = ""
					advance(j)
				case ok:
					finish(j, StatusCompleted, 0, "")
				case final:
					finish(j, StatusFailed, errorCode(err), maskValues(msg, j.secrets))
				case unknownCommand(err):
					toCheck(j, errorCode(err), "the user cannot be read back: "+mask(j, err))
					tr.cannotRead(err)
				default:
					j.reads++
					if act, _ := r.policy.next(err, j.reads); act != actFail {
						j.due = now.Add(r.policy.backoff(j.reads))
						again = append(again, j)
						break
					}
					toCheck(j, errorCode(err), "the user could not be read back yet: "+mask(j, err))
				}
			default: // a send
				if err == nil && isServiceAssign(it.req.OCIName()) && !r.opts.DisableReadBack {
					// Accepted, perhaps in part (a Warning): read what the
					// user has before moving on. Still in flight until then.
					a.Outcome = OutcomeSuccess
					j.phase, j.warning = phaseServiceCheck, warning
					ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step, inflight: true, attempts: j.attempts})
					again = append(again, j)
					break
				}
				if err == nil {
					a.Outcome = OutcomeSuccess
					advance(j)
					break
				}
				act, delay := r.policy.next(err, j.attempts)
				switch act {
				case actResolve:
					a.Outcome = OutcomeUnknown
					j.phase = phaseResolve
					ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step, inflight: true, attempts: j.attempts})
					again = append(again, j)
				case actRetry:
					a.Outcome = OutcomeError
					j.inflight = false
					j.due = now.Add(delay)
					ups = append(ups, jobUpdate{id: j.id, status: StatusRunning, step: j.step, attempts: j.attempts,
						code: a.ErrorCode, text: a.Error, notBefore: j.due})
					again = append(again, j)
				default:
					a.Outcome = OutcomeError
					j.inflight = false
					msg := a.Error
					var cleanup []AuditEntry
					if j.step == j.userAddIdx && !resolveOnly {
						// The user cannot be added: the device added
						// for it would be left behind.
						msg, cleanup = r.removeOrphanDevice(ctx, pool, tr, j, msg)
					}
					finish(j, StatusFailed, a.ErrorCode, msg)
					audit = append(audit, a)
					audit = append(audit, cleanup...)
					continue
				}
			}
			audit = append(audit, a)
		}
	}
	if err := r.store.record(ctx, ups, audit); err != nil {
		return err
	}
	for _, e := range evs {
		r.jobEvent(tr, e.j, e.status, e.msg)
	}
	if len(checks) > 0 {
		s.check(checks...)
	}
	if fin > 0 {
		s.finish(fin)
	}
	if len(again) > 0 {
		s.put(again...)
	}
	if lost {
		s.goOffline()
	}
	return nil
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
