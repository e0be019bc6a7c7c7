// Package demo runs the built-in demo server of a data folder: the OCI-P
// simulator with the demo company, its state in the folder's
// demo-state.json. The window and every command that has no server
// profile of the user's own use it.
//
// A data folder has one demo server however many bwbulk processes use it:
// two simulators on one state file would each fold the other's journal
// away. The first process to start takes a lock beside the state and runs
// the simulator; the others forward their connections to it. When that
// process ends, the next connection of another one takes the lock and
// runs the simulator itself, from the state the first left (every change
// it confirmed is in the journal). Each process keeps its own address for
// the demo server all along, so a profile made from it stays right.
package demo

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/jobs"
)

// ProfileName names the demo server's profile in the window's list.
const ProfileName = "Demo server (built-in)"

// Files in the data folder.
const (
	StateFile = "demo-state.json"     // the simulator's state (and StateFile + ".log", its journal)
	lockName  = "demo-state.lock"     // held by the process that runs the simulator
	addrName  = "demo-server.address" // where that process listens
)

// Host is this process's way to the data folder's demo server: the
// simulator itself, or a forwarder to the process that runs it.
type Host struct {
	dir   string
	opts  ocisim.Options
	front net.Listener

	mu     sync.Mutex
	lock   *jobs.RunnerLock // held while this process runs the simulator
	sim    *ocisim.Server
	feed   *feed // the simulator's listener once this process took over
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// Start starts the demo server of data folder dir on a loopback address
// of its own (opts tune the simulator when this process runs it; its
// StateFile is set here), or forwards to the process that runs it.
func Start(dir string, opts *ocisim.Options) (*Host, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo server: %w", err)
	}
	h := &Host{dir: dir, front: ln, conns: map[net.Conn]struct{}{}}
	if opts != nil {
		h.opts = *opts
	}
	h.opts.StateFile = filepath.Join(dir, StateFile)
	lock, err := jobs.LockFile(filepath.Join(dir, lockName))
	switch {
	case err == nil:
		// Served by the simulator itself: no hop in between.
		h.lock, h.sim = lock, ocisim.NewDemo(&h.opts)
		h.publish()
		go h.sim.Serve(ln)
	case errors.Is(err, jobs.ErrLocked):
		h.wg.Add(1)
		go h.forward()
	default:
		ln.Close()
		return nil, fmt.Errorf("demo server: %w", err)
	}
	return h, nil
}

// Addr is the address this process dials for the demo server.
func (h *Host) Addr() string { return h.front.Addr().String() }

// Server returns the simulator when this process runs it, else nil.
func (h *Host) Server() *ocisim.Server {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sim
}

// ErrElsewhere is SetScenario's answer while another bwbulk process runs
// the data folder's demo server.
var ErrElsewhere = errors.New("demo server: another bwbulk process runs it (close the other windows and commands that use it)")

// SetScenario plays a training scenario (ocisim.Scenarios) on the demo
// server from now on, kept when this process takes the server over later.
func (h *Host) SetScenario(name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sim == nil {
		if h.lock == nil {
			return ErrElsewhere
		}
	} else if err := h.sim.SetScenario(name); err != nil {
		return err
	}
	h.opts.Scenario = name
	return nil
}

// Scenario is the training scenario played ("" for none).
func (h *Host) Scenario() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sim != nil {
		return h.sim.Scenario()
	}
	return h.opts.Scenario
}

// publish writes this process's address for the others. Called with the
// lock held.
func (h *Host) publish() {
	_ = os.WriteFile(filepath.Join(h.dir, addrName), []byte(h.Addr()), 0o600)
}

// forward accepts this process's connections and routes each.
func (h *Host) forward() {
	defer h.wg.Done()
	for {
		c, err := h.front.Accept()
		if err != nil {
			return
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			h.route(c)
		}()
	}
}

// takeoverWait bounds how long a connection waits for a demo server while
// the process that runs it starts or stops.
const takeoverWait = 15 * time.Second

// route gives c to the simulator of this process, taking it over when
// the lock is free, or pipes it to the process that holds the lock.
func (h *Host) route(c net.Conn) {
	deadline := time.Now().Add(takeoverWait)
	for {
		if f := h.takeOver(); f != nil {
			f.push(c)
			return
		}
		if b, err := os.ReadFile(filepath.Join(h.dir, addrName)); err == nil {
			if up, err := net.DialTimeout("tcp", strings.TrimSpace(string(b)), 2*time.Second); err == nil {
				h.pipe(c, up)
				return
			}
		}
		if h.isClosed() || time.Now().After(deadline) {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// takeOver returns the simulator's listener of this process, starting the
// simulator when the lock is free; nil while another process holds it.
func (h *Host) takeOver() *feed {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.feed != nil || h.closed {
		return h.feed
	}
	lock, err := jobs.LockFile(filepath.Join(h.dir, lockName))
	if err != nil {
		return nil
	}
	h.lock, h.feed = lock, newFeed(h.front.Addr())
	h.sim = ocisim.NewDemo(&h.opts)
	h.publish()
	go h.sim.Serve(h.feed)
	return h.feed
}

func (h *Host) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// pipe copies between c and up until either ends.
func (h *Host) pipe(c, up net.Conn) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	h.conns[c], h.conns[up] = struct{}{}, struct{}{}
	h.mu.Unlock()
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go cp(up, c)
	go cp(c, up)
	<-done
	c.Close()
	up.Close()
	<-done
	h.mu.Lock()
	delete(h.conns, c)
	delete(h.conns, up)
	h.mu.Unlock()
}

// Close stops the simulator (saving its state) or the forwarding, then
// lets another process run the demo server.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	sim, lock := h.sim, h.lock
	for c := range h.conns {
		c.Close()
	}
	h.mu.Unlock()
	h.front.Close()
	var err error
	if sim != nil {
		err = sim.Close()
	}
	h.wg.Wait()
	if lock != nil {
		_ = os.Remove(filepath.Join(h.dir, addrName))
		lock.Unlock()
	}
	return err
}

// feed is a listener whose connections the forwarder hands over.
type feed struct {
	c    chan net.Conn
	done chan struct{}
	once sync.Once
	addr net.Addr
}

func newFeed(addr net.Addr) *feed {
	return &feed{c: make(chan net.Conn), done: make(chan struct{}), addr: addr}
}

func (f *feed) push(c net.Conn) {
	select {
	case f.c <- c:
	case <-f.done:
		c.Close()
	}
}

func (f *feed) Accept() (net.Conn, error) {
	select {
	case c := <-f.c:
		return c, nil
	case <-f.done:
		return nil, net.ErrClosed
	}
}

func (f *feed) Close() error {
	f.once.Do(func() { close(f.done) })
	return nil
}

func (f *feed) Addr() net.Addr { return f.addr }
