// Package faultnet is a TCP proxy for tests that puts a network between a
// client and a server and breaks it on demand: packets dropped (a
// black hole, as when a link goes down), connections refused, connections
// reset. Unlike stopping the server, the server
// keeps running and keeps its state, as in a real network outage.
package faultnet

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// Mode is how the proxy treats traffic.
type Mode int

const (
	// Pass forwards everything.
	Pass Mode = iota
	// BlackHole accepts connections and forwards nothing either way, and
	// stops forwarding on open connections: a dial hangs, a request is
	// never answered, nothing is closed.
	BlackHole
	// Refuse closes new connections at once and resets the open ones, as
	// a host whose port is closed.
	Refuse
	// Lost is a black hole whose packets are gone for good: while it
	// lasts nothing is forwarded, and when it ends every connection it
	// held is reset (a router or firewall that forgot them), so that
	// what was sent during it never arrives and a dial begun during it
	// never completes.
	Lost
)

// Proxy forwards connections from its address to a target.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  Mode
	conns map[*link]struct{}
	wake  chan struct{} // closed when the mode changes
}

type link struct{ client, server net.Conn }

// Start listens on 127.0.0.1:0 and forwards to target until Close.
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, conns: map[*link]struct{}{}, wake: make(chan struct{})}
	go p.accept()
	return p, nil
}

// Addr is the address clients dial.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget changes where new connections go (a server restarted on
// another port).
func (p *Proxy) SetTarget(target string) {
	p.mu.Lock()
	p.target = target
	p.mu.Unlock()
}

// Set changes the mode. Refuse resets every open connection.
func (p *Proxy) Set(m Mode) {
	p.mu.Lock()
	p.mode = m
	close(p.wake)
	p.wake = make(chan struct{})
	var reset []*link
	if m == Refuse {
		for l := range p.conns {
			reset = append(reset, l)
		}
	}
	p.mu.Unlock()
	for _, l := range reset {
		l.reset()
	}
}

// Reset resets every open connection (TCP RST) and leaves the mode.
func (p *Proxy) Reset() {
	p.mu.Lock()
	var all []*link
	for l := range p.conns {
		all = append(all, l)
	}
	p.mu.Unlock()
	for _, l := range all {
		l.reset()
	}
}

// Close stops the proxy and closes every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.Reset()
	return err
}

func (l *link) reset() {
	if tc, ok := l.client.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	l.client.Close()
	if l.server != nil {
		l.server.Close()
	}
}

func (p *Proxy) state() (Mode, <-chan struct{}, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode, p.wake, p.target
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.serve(c)
	}
}

func (p *Proxy) serve(c net.Conn) {
	l := &link{client: c}
	for {
		mode, wake, target := p.state()
		switch mode {
		case Refuse:
			l.reset()
			return
		case BlackHole, Lost:
			// Held open, never answered, until the mode changes.
			p.track(l, true)
			<-wake
			p.track(l, false)
			if mode == Lost {
				l.reset()
				return
			}
			continue
		}
		s, err := net.DialTimeout("tcp", target, 5*time.Second)
		if err != nil {
			l.reset()
			return
		}
		l.server = s
		p.track(l, true)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); p.pipe(s, c) }()
		go func() { defer wg.Done(); p.pipe(c, s) }()
		wg.Wait()
		p.track(l, false)
		return
	}
}

func (p *Proxy) track(l *link, on bool) {
	p.mu.Lock()
	if on {
		p.conns[l] = struct{}{}
	} else {
		delete(p.conns, l)
	}
	p.mu.Unlock()
}

// pipe copies from src to dst chunk by chunk, holding chunks while the
// proxy is a black hole.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			for {
				mode, wake, _ := p.state()
				if mode == BlackHole {
					<-wake // dropped on the floor until the link is back
					continue
				}
				if mode == Lost {
					<-wake
					return // never delivered; the connection is reset
				}
				if mode == Refuse {
					return
				}
				break
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			return
		}
	}
}
