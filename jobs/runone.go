package jobs

import (
	"context"
	"errors"
	"fmt"
)

// Run works on task id alone, touching no other task, until it is
// finished, paused or cancelled (the documents in flight then settle
// first), or ctx is done; an interrupted task is resumed later by Run or
// Start with the same exactly-once guarantee. It returns ctx.Err() when
// ctx ended the run. It is for a process that runs one task for its user
// (`bwbulk submit --wait`); Start runs every task. Do not use Run and
// Start of one Runner at once, nor two runners on one store: see
// Store.LockRunner.
func (r *Runner) Run(ctx context.Context, id int64) error {
	defer func() {
		r.mu.Lock()
		if r.pool != nil {
			r.pool.Close()
			r.pool = nil
		}
		r.mu.Unlock()
	}()
	if _, err := r.store.Task(ctx, id); err != nil {
		return err
	}
	if r.store.queueTo != "" || id < 0 {
		return ErrQueuedTask
	}
	waitingFor := ""
	for {
		// A task whose storing process stopped is cancelled as
		// incomplete, not waited for.
		if err := r.store.sweepStoring(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logf("jobs: %v", err)
		}
		if r.store.Shared() {
			// A team task runs here only under its lease: while another
			// runner holds it, wait and take over if that runner stops.
			ok, holder, err := r.store.claimTaskID(ctx, id)
			if err != nil && ctx.Err() == nil {
				r.opts.Logf("jobs: task %d: %v", id, err)
			}
			if !ok {
				if t, err := r.store.taskW(ctx, id); err == nil && Terminal(t.Status) {
					return nil
				}
				if holder != "" && holder != waitingFor {
					waitingFor = holder
					r.opts.Logf("jobs: task %d runs on %s; it is taken over here if that runner stops", id, holder)
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-r.clock.After(r.opts.PollInterval):
				}
				continue
			}
			if holder != "" && holder != r.store.Owner() {
				r.opts.Logf("jobs: task %d: taken over from %s, whose lease ran out", id, holder)
			}
		}
		err := r.runTask(ctx, id)
		if r.store.Shared() {
			r.store.releaseLease(context.WithoutCancel(ctx), id)
			if errors.Is(err, ErrLeaseLost) && ctx.Err() == nil {
				continue
			}
			// The team database went away under the run (a restart, the
			// network): wait for it and go on. What was sent meanwhile is
			// in flight in the database and is resolved by reading first.
			if err != nil && ctx.Err() == nil && (databaseGone(err) || r.store.waitDatabase(ctx, r.opts.Logf)) {
				r.store.waitDatabase(ctx, r.opts.Logf)
				continue
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("jobs: task %d: %w", id, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t, err := r.store.taskW(ctx, id)
		if err != nil {
			return err
		}
		switch t.Status {
		case StatusPending, StatusRunning, StatusWaiting:
			// Work left (a job queued again meanwhile): go on after a
			// wake-up or a poll.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-r.store.wake:
			case <-r.clock.After(r.opts.PollInterval):
			}
		default:
			return nil
		}
	}
}
