package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// ReadRetry is a Doer for the reads made before a task is stored — the
// catalogue's look-ups (password rules, available numbers…), the check
// against the server, the plan — that sends a read again when the server
// refused it as "try again later" ("[Error 5200] System busy"), or when
// its answer was lost, with the runner's backoff (RunnerOptions.RetryBase,
// RetryMax and MaxAttempts defaults). Reads change nothing, so sending
// them again is always safe. A server that cannot be reached is not
// waited for: that error returns at once (the caller works offline).
// ReadRetry is safe for concurrent use when D is.
type ReadRetry struct {
	D broadworks.Doer
	// Notice, when set, is told each time reads are about to be sent
	// again and why, in a sentence for people ("the server is busy…").
	// It may be called from several goroutines at once.
	Notice func(msg string)
	// MaxAttempts, Base and Max: as RunnerOptions' MaxAttempts,
	// RetryBase and RetryMax (defaults 6, 250ms, 30s).
	MaxAttempts int
	Base, Max   time.Duration
	// Clock is the time source. Default: the system clock.
	Clock Clock
}

var _ broadworks.Doer = (*ReadRetry)(nil)

func (r *ReadRetry) policy() retryPolicy {
	p := retryPolicy{maxAttempts: r.MaxAttempts, base: r.Base, max: r.Max}
	p.maxAttempts, p.base, p.max = retryDefaults(p.maxAttempts, p.base, p.max)
	return p
}

// retryDefaults fills in what a caller left zero of a retry policy: 6
// attempts, backing off from 250 ms to at most 30 s.
func retryDefaults(attempts int, base, most time.Duration) (int, time.Duration, time.Duration) {
	if attempts <= 0 {
		attempts = 6
	}
	if base <= 0 {
		base = 250 * time.Millisecond
	}
	if most <= 0 {
		most = 30 * time.Second
	}
	return attempts, base, most
}

// again reports whether a read that failed with err is worth sending
// again: the server said to try later, or its answer was lost.
func again(err error) bool {
	if err == nil {
		return false
	}
	if broadworks.IsErrorCode(err) {
		return broadworks.Temporary(err)
	}
	var de *broadworks.DialError
	if errors.As(err, &de) || broadworks.SafeToRetry(err) && !broadworks.Temporary(err) {
		return false
	}
	return broadworks.OutcomeUnknown(err) || errors.Is(err, broadworks.ErrSessionLost)
}

// Do sends req, again while the server says to try later.
func (r *ReadRetry) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	p := r.policy()
	for attempt := 1; ; attempt++ {
		resp, err := r.D.Do(ctx, req)
		if !again(err) || attempt >= p.maxAttempts || ctx.Err() != nil {
			return resp, err
		}
		if !r.wait(ctx, err, 1, p.backoff(attempt), attempt+1, p.maxAttempts) {
			return resp, err
		}
	}
}

// wait tells Notice why n reads go again, and waits d; false when ctx is
// done first.
func (r *ReadRetry) wait(ctx context.Context, why error, n int, d time.Duration, next, max int) bool {
	if r.Notice != nil {
		r.Notice(readsAgain(why, n, d, next, max))
	}
	clock := r.Clock
	if clock == nil {
		clock = realClock{}
	}
	select {
	case <-ctx.Done():
		return false
	case <-clock.After(d):
		return true
	}
}

// Batch sends reqs in one document, then again only those the server
// refused as "try again later" (or whose answer was lost), until each has
// an answer or MaxAttempts sends were made.
func (r *ReadRetry) Batch(ctx context.Context, reqs ...oci.Request) ([]broadworks.Result, error) {
	p := r.policy()
	out := make([]broadworks.Result, len(reqs))
	todo := make([]int, len(reqs))
	for i := range todo {
		todo[i] = i
	}
	var lastErr error
	for attempt := 1; ; attempt++ {
		batch := make([]oci.Request, len(todo))
		for k, i := range todo {
			batch[k] = reqs[i]
		}
		rs, err := r.D.Batch(ctx, batch...)
		if len(rs) != len(batch) {
			return out, err // nothing usable came back
		}
		lastErr = err
		var retry []int
		var why error
		for k, i := range todo {
			out[i] = rs[k]
			if again(rs[k].Err) {
				retry = append(retry, i)
				if why == nil {
					why = rs[k].Err
				}
			}
		}
		if len(retry) == 0 || attempt >= p.maxAttempts || ctx.Err() != nil {
			return out, lastErr
		}
		if lastErr != nil && !again(lastErr) && len(retry) == len(todo) {
			return out, lastErr
		}
		if !r.wait(ctx, why, len(retry), p.backoff(attempt), attempt+1, p.maxAttempts) {
			return out, lastErr
		}
		todo = retry
	}
}

// readsAgain says, for people, why reads are sent again and when.
func readsAgain(err error, n int, d time.Duration, next, max int) string {
	what := "the server did not answer"
	if broadworks.IsErrorCode(err) {
		what = "the server is busy (" + maskSecrets(serverSays(err)) + ")"
	}
	return fmt.Sprintf("%s: reading %s again in %s (attempt %d of %d)", what,
		plural(n, "1 item", fmt.Sprintf("%d items", n)), roundWait(d), next, max)
}

// serverSays is the server's own words of a refusal: "[Error 5200] System
// busy, try again later".
func serverSays(err error) string {
	var er *oci.ErrorResponse
	if errors.As(err, &er) {
		s := er.Summary
		if s == "" {
			s = er.SummaryEnglish
		}
		if er.Code != 0 && !containsCode(s) {
			return fmt.Sprintf("[Error %d] %s", er.Code, s)
		}
		return s
	}
	return err.Error()
}

func containsCode(s string) bool { return len(s) > 7 && s[:7] == "[Error " }

func roundWait(d time.Duration) string {
	if d < time.Second {
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
