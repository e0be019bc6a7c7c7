package jobs

import (
	"context"
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
	for {
		if err := r.runTask(ctx, id); err != nil {
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
