package broadworks

import (
	"context"
	"sync"

	"bwbulk/broadworks/oci"
)

// Pool holds up to size logged-in sessions for parallel work. Each Do or
// Batch takes one session for its duration (so a Batch's documents go
// through one session, in order). Sessions are dialled lazily with the
// dial function, which must return a logged-in Client; a session that can
// no longer be used is closed and replaced. A Pool is safe for concurrent
// use.
type Pool struct {
	dial  func(ctx context.Context) (*Client, error)
	slots chan struct{} // one token per session that may exist

	mu     sync.Mutex
	idle   []*Client
	closed bool
}

// NewPool returns a pool of at most size sessions (at least 1). It does
// no I/O: sessions are dialled on first use.
func NewPool(size int, dial func(ctx context.Context) (*Client, error)) *Pool {
	if size < 1 {
		size = 1
	}
	return &Pool{dial: dial, slots: make(chan struct{}, size)}
}

// Size returns the most sessions the pool holds.
func (p *Pool) Size() int { return cap(p.slots) }

// acquire waits for a free session slot and returns an idle or new client.
func (p *Pool) acquire(ctx context.Context) (*Client, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, unsent(ctx.Err())
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, unsent(ErrClosed)
	}
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if c.usable() {
			p.mu.Unlock()
			return c, nil
		}
		c.Close()
	}
	p.mu.Unlock()
	c, err := p.dial(ctx)
	if err != nil {
		<-p.slots
		return nil, unsent(err)
	}
	return c, nil
}

// release gives c back, or closes it when it is broken or the pool closed.
func (p *Pool) release(c *Client) {
	p.mu.Lock()
	if p.closed || !c.usable() {
		p.mu.Unlock()
		c.Close()
	} else {
		p.idle = append(p.idle, c)
		p.mu.Unlock()
	}
	<-p.slots
}

// Do sends one request through one of the pool's sessions (see Client.Do).
func (p *Pool) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	rs, err := p.Batch(ctx, req)
	return doResult(rs, err)
}

// Batch sends reqs through one of the pool's sessions (see Client.Batch).
// When no session can be had (dial or login failure, closed pool), every
// Result.Err is set and SafeToRetry reports true.
func (p *Pool) Batch(ctx context.Context, reqs ...oci.Request) ([]Result, error) {
	c, err := p.acquire(ctx)
	if err != nil {
		rs := make([]Result, len(reqs))
		for i, r := range reqs {
			rs[i] = Result{Request: r, Err: err}
		}
		return rs, err
	}
	defer p.release(c)
	return c.Batch(ctx, reqs...)
}

// Closed reports whether Close was called.
func (p *Pool) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Close closes the idle sessions and makes the pool refuse new calls;
// sessions in use are closed when their call returns.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
	return nil
}
