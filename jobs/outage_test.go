package jobs

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// link is a TCP relay in front of the simulator that can be cut (every
// connection closed at once, new ones refused) and restored on the same
// address: the network between the help desk and BroadWorks going away
// and coming back while the server keeps its state.
type link struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
}

func newLink(t *testing.T, target string) *link {
	l := &link{t: t, target: target, conns: map[net.Conn]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.addr = ln.Addr().String()
	l.serve(ln)
	t.Cleanup(l.cut)
	return l
}

func (l *link) serve(ln net.Listener) {
	l.mu.Lock()
	l.ln = ln
	l.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", l.target)
			if err != nil {
				c.Close()
				continue
			}
			l.mu.Lock()
			if l.ln != ln { // cut meanwhile
				l.mu.Unlock()
				c.Close()
				s.Close()
				continue
			}
			l.conns[c], l.conns[s] = struct{}{}, struct{}{}
			l.mu.Unlock()
			go relay(c, s)
			go relay(s, c)
		}
	}()
}

func relay(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// cut closes the listener and every relayed connection.
func (l *link) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
		l.ln = nil
	}
	for c := range l.conns {
		c.Close()
		delete(l.conns, c)
	}
}

// restore listens again on the same address.
func (l *link) restore() {
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		l.t.Fatal(err)
	}
	l.serve(ln)
}

// TestRunner_ConnectionLostMidTask: the network goes away while a task
// runs, with documents in flight. The task waits for its server, sends
// nothing meanwhile, resumes by itself when the network is back, and
// every user exists exactly once with the right settings.
func TestRunner_ConnectionLostMidTask(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 5 * time.Millisecond})
	lk := newLink(t, srv.Addr().String())
	st := openTestStore(t, nil)
	ctx := context.Background()
	id, us := storeNumberlessTask(t, st, "cut", 60)
	h := startRunner(t, st, dialer(lk.addr, 2), &RunnerOptions{Sessions: 2, BatchSize: 4,
		ProbeBase: 50 * time.Millisecond, ProbeMax: 200 * time.Millisecond, Logf: t.Logf})
	users := func() int { return srv.AddCount("UserAddRequest22V2") }
	waitFor(t, "some users", 20*time.Second, func() bool { return users() >= 8 })

	lk.cut()
	task := h.waitTask(id, 20*time.Second, StatusWaiting)
	t.Logf("cut with %d users added: task %s (%s)", users(), task.Status, task.Error)
	before := srv.Documents()
	time.Sleep(300 * time.Millisecond)
	if srv.Documents() != before {
		t.Fatalf("documents reached the server while the link was cut: %d → %d", before, srv.Documents())
	}
	if task.Completed+task.Failed >= len(us) {
		t.Fatalf("the task finished before the cut: %+v", task)
	}

	lk.restore()
	task = h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != len(us) {
		fs, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
		t.Fatalf("after the link came back: %+v; failed jobs %+v", task, fs)
	}
	checkExactlyOnce(t, "connection lost mid-task", srv, us)
}
