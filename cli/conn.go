package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/jobs"
)

// conn is a command's connection to its profile's server: dialled and
// logged in on first use (jobs.DialProfile), then a pool of sessions for
// the catalogue's look-ups. Safe for concurrent use.
type conn struct {
	p  jobs.Profile
	pw string

	mu   sync.Mutex
	pool *broadworks.Pool
}

var _ broadworks.Doer = (*conn)(nil)

// poolSize is how many sessions a pool keeps: the runner's default
// number of documents in flight.
const poolSize = 4

// newPool dials once, to prove the server is there and the login works,
// and returns a pool that starts with that session. It is the runner's
// connect function: the runner owns (and closes) what it returns.
func (c *conn) newPool(ctx context.Context) (*broadworks.Pool, error) {
	first, _, err := jobs.DialProfile(ctx, c.p, c.pw)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	return broadworks.NewPool(poolSize, func(ctx context.Context) (*broadworks.Client, error) {
		mu.Lock()
		if cl := first; cl != nil {
			first = nil
			mu.Unlock()
			return cl, nil
		}
		mu.Unlock()
		cl, _, err := jobs.DialProfile(ctx, c.p, c.pw)
		return cl, err
	}), nil
}

func (c *conn) get(ctx context.Context) (*broadworks.Pool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pool != nil {
		return c.pool, nil
	}
	p, err := c.newPool(ctx)
	if err != nil {
		return nil, err
	}
	c.pool = p
	return p, nil
}

// Do sends one request on the look-up pool.
func (c *conn) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	p, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return p.Do(ctx, req)
}

// Batch sends requests in one document on the look-up pool.
func (c *conn) Batch(ctx context.Context, reqs ...oci.Request) ([]broadworks.Result, error) {
	p, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	return p.Batch(ctx, reqs...)
}

// Close closes the look-up pool.
func (c *conn) Close() {
	c.mu.Lock()
	p := c.pool
	c.pool = nil
	c.mu.Unlock()
	if p != nil {
		p.Close()
	}
}

// explain adds to an error of connecting to profile's server what to do
// about it from the command line: for a certificate that is not trusted,
// the --ca-pin that trusts it (once its administrator confirms the
// fingerprint). With adding (profile add) it says to add --ca-pin to the
// command being typed, else to save the profile again with it.
func explain(err error, profile string, adding bool) error {
	var ce *broadworks.CertificateError
	if !errors.As(err, &ce) {
		return err
	}
	todo := fmt.Sprintf("save the profile again with it: bwbulk profile add %s --replace --ca-pin %s (and its --address, --admin, --transport tls)", profile, ce.SHA256)
	if adding {
		todo = "add --ca-pin " + ce.SHA256 + " to this command"
	}
	if ce.Changed {
		return fmt.Errorf("%w.\nThe certificate pinned for this server has changed. Only if the server's administrator confirms the new fingerprint, %s", err, todo)
	}
	return fmt.Errorf("%w.\nIf the server's administrator confirms this fingerprint, %s", err, todo)
}
