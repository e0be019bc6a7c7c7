package jobs

import (
	"time"

	"bwbulk/broadworks"
)

// Clock is the runner's time source; tests inject a manual one so backoff
// and probes run without sleeping.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// action is what the runner does with a command that did not succeed.
type action int

const (
	// actFail: the failure is final (a server refusal, or attempts
	// exhausted); the job fails with this error.
	actFail action = iota
	// actRetry: send the same command again after the delay; it is known
	// not to have been executed.
	actRetry
	// actResolve: the command may have been executed; read the server
	// state before anything is sent again.
	actResolve
)

func (a action) String() string {
	return [...]string{"fail", "retry", "resolve"}[a]
}

// retryPolicy decides from the client's error predicates only, never from
// error text.
type retryPolicy struct {
	maxAttempts int           // sends of one command, including the first
	base, max   time.Duration // backoff: base·2^(attempts-1), capped at max
}

// next decides what to do after the attempts-th send of a command failed
// with err. It is a pure function.
func (p retryPolicy) next(err error, attempts int) (action, time.Duration) {
	switch {
	case err == nil:
		return actFail, 0
	case broadworks.OutcomeUnknown(err):
		// Even when attempts are exhausted: never fail (or skip) a command
		// that may have been applied without looking first.
		return actResolve, 0
	case broadworks.SafeToRetry(err), broadworks.Temporary(err):
		if attempts >= p.maxAttempts {
			return actFail, 0
		}
		return actRetry, p.backoff(attempts)
	default:
		// A server refusal (IsErrorCode) or a protocol error: final.
		return actFail, 0
	}
}

func (p retryPolicy) backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	d := p.base
	for i := 1; i < attempts && d < p.max; i++ {
		d *= 2
	}
	if d > p.max {
		d = p.max
	}
	return d
}
