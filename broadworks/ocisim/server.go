package ocisim

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"

	"bwbulk/broadworks/ocirelease"
)

// Server is a stateful OCI-P server. All its methods are safe for
// concurrent use; the simulated system is guarded by one mutex.
type Server struct {
	opts    Options
	release ocirelease.Release // the emulated release (Options.Release)
	refused map[string]bool    // versions refused beyond the release (Options.Refuse)

	mu   sync.Mutex // guards w, docs, jr
	w    *world
	docs int
	jr   *journal // the state file's journal, or nil

	faultMu sync.Mutex // guards rng, seq, seen
	rng     *rand.Rand
	seq     int
	seen    map[string]int // commands received per type (Intercept)

	netMu     sync.Mutex // guards listeners, conns, closed, addr
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	closed    bool
	addr      net.Addr
	done      chan struct{}
	ready     chan struct{} // closed when addr is set
	wg        sync.WaitGroup

	tlsOnce sync.Once
	tlsConf *tls.Config
	tlsErr  error

	logMu sync.Mutex // serialises writes to opts.Log

	soapMu       sync.Mutex
	soapSessions map[string]*session

	scenario scenarioState // the training scenario played (SetScenario)
}

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("ocisim: server closed")

// New returns a server with an empty system and one system administrator
// (Options.Admin/Password, default admin/welcome1). When Options.StateFile
// names an existing file, the state is loaded from it instead.
func New(opts *Options) *Server { return newServer(opts, false) }

// NewDemo returns a server loaded with the deterministic demo dataset (see
// the package documentation), unless Options.StateFile names an existing
// file, which is loaded instead.
func NewDemo(opts *Options) *Server { return newServer(opts, true) }

func newServer(opts *Options, demo bool) *Server {
	s := &Server{
		listeners:    map[net.Listener]struct{}{},
		conns:        map[net.Conn]struct{}{},
		done:         make(chan struct{}),
		ready:        make(chan struct{}),
		soapSessions: map[string]*session{},
	}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.Admin == "" {
		s.opts.Admin = DefaultAdmin
	}
	if s.opts.Password == "" {
		s.opts.Password = DefaultPassword
	}
	if s.opts.MaxDocumentSize <= 0 {
		s.opts.MaxDocumentSize = DefaultMaxDocumentSize
	}
	if s.opts.Release == "" {
		s.opts.Release = DefaultRelease
	}
	if r, ok := parseRelease(s.opts.Release); ok {
		s.release = r
	} else {
		s.release = ocirelease.Newest
	}
	s.refused = map[string]bool{}
	for _, name := range s.opts.Refuse {
		s.refused[name] = true
	}
	seed := uint64(s.opts.Seed)
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	_ = s.SetScenario(s.opts.Scenario)
	if s.opts.StateFile != "" {
		if w, err := loadWorld(s.opts.StateFile); err == nil {
			s.w = w
		} else if !errors.Is(err, os.ErrNotExist) {
			s.logf("state file not loaded: %v", err)
		}
	}
	if s.w == nil {
		s.w = newWorld()
		if demo {
			seedDemo(s.w)
		}
	}
	s.w.Admins[s.opts.Admin] = &Admin{UserID: s.opts.Admin, Level: LevelSystem, PasswordSHA1: sha1Hex(s.opts.Password)}
	if s.opts.StateFile != "" {
		if err := s.openState(); err != nil {
			s.logf("%v", err)
		}
	}
	return s
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		line := fmt.Sprintf("ocisim: "+format+"\n", args...)
		s.logMu.Lock()
		io.WriteString(s.opts.Log, line)
		s.logMu.Unlock()
	}
}

// Listen opens a TCP listener on addr (e.g. "127.0.0.1:0") and serves it in
// the background; it returns the bound address, which Addr also reports
// from then on.
func (s *Server) Listen(addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ln, err = s.register(ln)
	if err != nil {
		return nil, err
	}
	go s.acceptLoop(ln)
	return ln.Addr(), nil
}

// Addr returns the address of the first listener. When called before any
// listener is registered it waits up to two seconds for one (Serve started
// in a goroutine), then returns nil.
func (s *Server) Addr() net.Addr {
	select {
	case <-s.ready:
	case <-time.After(2 * time.Second):
	}
	s.netMu.Lock()
	defer s.netMu.Unlock()
	return s.addr
}

// SystemAdmin is the system administrator the server was started with
// (Options.Admin and Password, default admin/welcome1).
func (s *Server) SystemAdmin() (user, password string) { return s.opts.Admin, s.opts.Password }

// SpeaksTLS reports whether the server listens with TLS (Options.TLS or
// TLSConfig).
func (s *Server) SpeaksTLS() bool { return s.opts.TLS || s.opts.TLSConfig != nil }

// TLSConfig returns the server's TLS configuration (generating the
// self-signed certificate if needed), so tests can trust it.
func (s *Server) TLSConfig() (*tls.Config, error) {
	s.tlsOnce.Do(func() {
		if s.opts.TLSConfig != nil {
			s.tlsConf = s.opts.TLSConfig
			return
		}
		if s.opts.CertFile != "" {
			s.tlsConf, s.tlsErr = keptConfig(s.opts.CertFile)
			return
		}
		s.tlsConf, s.tlsErr = selfSignedConfig()
	})
	return s.tlsConf, s.tlsErr
}

// Serve accepts connections on ln until Close. With Options.TLS (or
// TLSConfig) each connection is wrapped in TLS.
func (s *Server) Serve(ln net.Listener) error {
	ln, err := s.register(ln)
	if err != nil {
		return err
	}
	return s.acceptLoop(ln)
}

// register wraps ln in TLS when configured and records it.
func (s *Server) register(ln net.Listener) (net.Listener, error) {
	if s.opts.TLS || s.opts.TLSConfig != nil {
		conf, err := s.TLSConfig()
		if err != nil {
			ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, conf)
	}
	s.netMu.Lock()
	defer s.netMu.Unlock()
	if s.closed {
		ln.Close()
		return nil, ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	if s.addr == nil {
		s.addr = ln.Addr()
		close(s.ready)
	}
	s.logf("listening on %s", ln.Addr())
	return ln, nil
}

func (s *Server) acceptLoop(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return ErrServerClosed
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			return err
		}
		s.netMu.Lock()
		if s.closed {
			s.netMu.Unlock()
			c.Close()
			return ErrServerClosed
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.netMu.Unlock()
		go s.serveConn(c)
	}
}

// Close stops every listener, closes every connection, waits for the
// connection goroutines and saves the state file (if any).
func (s *Server) Close() error {
	s.netMu.Lock()
	if s.closed {
		s.netMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for ln := range s.listeners {
		ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.netMu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeJournal()
}

func (s *Server) forget(c net.Conn) {
	s.netMu.Lock()
	delete(s.conns, c)
	s.netMu.Unlock()
	c.Close()
	s.wg.Done()
}

// errTooLarge reports a request document above MaxDocumentSize.
var errTooLarge = errors.New("request document too large")

var endTag = []byte("</BroadsoftDocument>")

// readDocument reads one request document: everything up to and including
// the closing root tag. Leading whitespace (the previous document's
// trailing newline) is skipped.
func readDocument(r *bufio.Reader, max int) ([]byte, error) { return readDocumentInto(r, max, nil) }

// readDocumentInto is readDocument into buf's space (from buf[:0]), so
// that a connection reads every document into the same memory.
func readDocumentInto(r *bufio.Reader, max int, buf []byte) ([]byte, error) {
	buf = buf[:0]
	for {
		chunk, err := r.ReadSlice('>')
		if len(buf) == 0 {
			chunk = bytes.TrimLeft(chunk, " \t\r\n")
		}
		buf = append(buf, chunk...)
		if len(buf) > max {
			return nil, errTooLarge
		}
		if bytes.HasSuffix(buf, endTag) {
			return buf, nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) && len(bytes.TrimSpace(buf)) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

func (s *Server) serveConn(c net.Conn) {
	defer s.forget(c)
	peer := c.RemoteAddr().String()
	s.logf("%s connected", peer)
	sess := &session{}
	r := bufio.NewReaderSize(c, 16<<10)
	var buf []byte // the last document read; nothing keeps it once answered
	for {
		if s.opts.IdleTimeout > 0 {
			c.SetReadDeadline(time.Now().Add(s.opts.IdleTimeout))
		}
		doc, err := readDocumentInto(r, s.opts.MaxDocumentSize, buf)
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				s.logf("%s idle for %s: session expired, connection closed", peer, s.opts.IdleTimeout)
			case errors.Is(err, errTooLarge):
				s.logf("%s sent a document above %d bytes: connection closed", peer, s.opts.MaxDocumentSize)
			case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
				s.logf("%s disconnected", peer)
			default:
				s.logf("%s read error: %v", peer, err)
			}
			return
		}
		c.SetReadDeadline(time.Time{})
		buf = doc
		resp, fault := s.process(sess, doc, peer)
		switch fault {
		case faultDrop:
			s.logf("%s connection dropped (fault injection)", peer)
			return
		case faultStall:
			s.logf("%s response stalled (fault injection)", peer)
			c.Write(resp[:len(resp)/2])
			<-s.done
			return
		}
		if _, err := c.Write(resp); err != nil {
			s.logf("%s write error: %v", peer, err)
			return
		}
	}
}

type fault int

const (
	faultNone fault = iota
	faultDrop
	faultStall
)

// nextFault decides, deterministically under the seed, what happens to the
// next document.
func (s *Server) nextFault() fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.seq++
	n := s.seq
	if s.opts.StallAfter > 0 && n > s.opts.StallAfter {
		return faultStall
	}
	if s.opts.DropEvery > 0 && n%s.opts.DropEvery == 0 {
		return faultDrop
	}
	if s.opts.DropRate > 0 && s.rng.Float64() < s.opts.DropRate {
		return faultDrop
	}
	return faultNone
}

func (s *Server) transient() bool {
	if s.opts.TransientRate <= 0 {
		return false
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.rng.Float64() < s.opts.TransientRate
}

func (s *Server) nonce() string {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return fmt.Sprintf("%d", 1700000000000+s.rng.Int64N(1e12))
}
