package broadworks_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// fakeServer is a raw OCI-P peer on loopback for the cases the simulator
// cannot produce: oversized or malformed answers, a silent server, wrong
// session ids. Login commands are answered by the fake itself; every other
// document goes to handle.
type fakeServer struct {
	t  *testing.T
	ln net.Listener
	fakeOptions
	password string
	handle   func(fc *fakeConn, doc *ociwire.Document)

	mu    sync.Mutex
	conns int
	seen  []string // xsi:types received, in order
}

type fakeConn struct {
	net.Conn
	sid string
	n   int // documents received on this connection
	srv *fakeServer
}

// reply writes one response document with cmds.
func (fc *fakeConn) reply(cmds ...oci.Command) {
	b, err := ociwire.EncodeCommands(fc.sid, cmds, ociwire.EncodeOptions{})
	if err != nil {
		fc.srv.t.Errorf("fake: encode: %v", err)
		return
	}
	fc.Write(b)
}

func errResp(code int, summary string) *oci.ErrorResponse {
	return &oci.ErrorResponse{Type: oci.TypeError, Code: code, Summary: summary, SummaryEnglish: summary}
}

// fakeOptions change the fake's login behaviour.
type fakeOptions struct {
	tls        *tls.Config // serve TLS
	noRelease  bool        // refuse SystemSoftwareVersionGet with 5404
	refuse22V5 bool        // refuse LoginRequest22V5 with 6004 (a pre-R22 server)
}

func newFake(t *testing.T, handle func(fc *fakeConn, doc *ociwire.Document)) *fakeServer {
	return newFakeWith(t, fakeOptions{}, handle)
}

func newFakeWith(t *testing.T, o fakeOptions, handle func(fc *fakeConn, doc *ociwire.Document)) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.tls != nil {
		ln = tls.NewListener(ln, o.tls)
	}
	f := &fakeServer{t: t, ln: ln, fakeOptions: o, password: "welcome1", handle: handle}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conns++
			f.mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.serve(&fakeConn{Conn: c, srv: f})
			}()
		}
	}()
	return f
}

func (f *fakeServer) addr() string { return f.ln.Addr().String() }

func (f *fakeServer) connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns
}

func (f *fakeServer) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

func (f *fakeServer) serve(fc *fakeConn) {
	defer fc.Close()
	r := ociwire.NewReader(fc, 1<<20)
	nonce := "1700000000000"
	for {
		raw, err := r.Next()
		if err != nil {
			return
		}
		doc, err := ociwire.Decode(raw)
		if err != nil {
			f.t.Errorf("fake: decode request: %v", err)
			return
		}
		fc.sid = doc.SessionID
		fc.n++
		f.mu.Lock()
		for _, c := range doc.Commands {
			f.seen = append(f.seen, c.OCIName())
		}
		f.mu.Unlock()
		switch req := doc.Commands[0].(type) {
		case *oci.AuthenticationRequest:
			fc.reply(&oci.AuthenticationResponse{UserID: req.UserID, Nonce: nonce, PasswordAlgorithm: "MD5"})
		case *oci.LoginRequest14sp4:
			if req.SignedPassword == nil || *req.SignedPassword != broadworks.SignPassword(nonce, f.password) {
				fc.reply(errResp(4962, "[Error 4962] Invalid password"))
				continue
			}
			fc.reply(&oci.LoginResponse14sp4{LoginType: "System", Locale: "en_US", Encoding: "ISO-8859-1", UserDomain: "example.com"})
		case *oci.LoginRequest22V5:
			if f.refuse22V5 {
				fc.reply(errResp(0, "[Error 6004] OCI XML Request validation error"))
				continue
			}
			fc.reply(&oci.LoginResponse22V5{LoginType: "System", Locale: "en_US", Encoding: "ISO-8859-1", UserDomain: "example.com"})
		case *oci.SystemSoftwareVersionGetRequest:
			if f.noRelease {
				fc.reply(errResp(5404, "[Error 5404] Unauthorized transaction."))
				continue
			}
			fc.reply(&oci.SystemSoftwareVersionGetResponse{Version: "25"})
		case *oci.LogoutRequest:
			fc.reply(&oci.SuccessResponse{})
		default:
			f.handle(fc, doc)
		}
	}
}

// dialFake returns a client logged in to f.
func dialFake(t *testing.T, f *fakeServer, opts *broadworks.Options) *broadworks.Client {
	t.Helper()
	if opts == nil {
		opts = &broadworks.Options{}
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, f.addr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Login(ctx, "admin", "welcome1"); err != nil {
		t.Fatalf("login: %v", err)
	}
	return c
}

func TestClient_Login_nonceFlowAgainstFake(t *testing.T) {
	f := newFakeWith(t, fakeOptions{noRelease: true}, nil)
	c := dialFake(t, f, nil)
	info := c.Info()
	if info.Command != "LoginRequest14sp4" || info.LoginType != "System" || info.UserDomain != "example.com" ||
		info.Release != "" || info.PasswordExpiresDays != -1 {
		t.Errorf("info = %+v", info)
	}
	want := []string{"AuthenticationRequest", "LoginRequest14sp4", "SystemSoftwareVersionGetRequest"}
	if got := f.received(); !equal(got, want) {
		t.Errorf("received %v, want %v", got, want)
	}
}

func TestClient_Login_wrongPassword(t *testing.T) {
	f := newFake(t, nil)
	c, err := broadworks.Dial(context.Background(), f.addr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Login(context.Background(), "admin", "nope")
	var er *oci.ErrorResponse
	if !errors.As(err, &er) || !broadworks.IsErrorCode(err, 4962) {
		t.Fatalf("err = %v, want ErrorResponse 4962", err)
	}
	if _, err := c.Do(context.Background(), &oci.UserGetRequest23V2{UserID: "x"}); !errors.Is(err, broadworks.ErrNotLoggedIn) {
		t.Errorf("Do after failed login: %v, want ErrNotLoggedIn", err)
	}
}

func TestClient_Do_responses(t *testing.T) {
	big := make([]byte, 64<<10)
	for i := range big {
		big[i] = 'x'
	}
	cases := []struct {
		name string
		// answer writes the answer to the document (a UserGet or UserDelete).
		answer     func(fc *fakeConn)
		mutating   bool
		check      func(t *testing.T, err error)
		wantBroken bool
	}{
		{
			name:   "oversized",
			answer: func(fc *fakeConn) { fc.Write([]byte(`<?xml version="1.0"?><BroadsoftDocument>` + string(big))) },
			check: func(t *testing.T, err error) {
				var pe *broadworks.ProtocolError
				if !errors.As(err, &pe) || !errors.Is(err, ociwire.ErrTooLarge) {
					t.Errorf("err = %v, want ProtocolError wrapping ErrTooLarge", err)
				}
			},
		},
		{
			name:     "oversized answer to an add",
			answer:   func(fc *fakeConn) { fc.Write([]byte(`<?xml version="1.0"?><BroadsoftDocument>` + string(big))) },
			mutating: true,
			check: func(t *testing.T, err error) {
				if !broadworks.OutcomeUnknown(err) || broadworks.SafeToRetry(err) {
					t.Errorf("err = %v, want outcome unknown", err)
				}
			},
		},
		{
			name: "malformed",
			answer: func(fc *fakeConn) {
				fc.Write([]byte(`<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">` + fc.sid + `</sessionId><command xsi:type="Nope"></BroadsoftDocument>` + "\n"))
			},
			check: func(t *testing.T, err error) {
				var pe *broadworks.ProtocolError
				if !errors.As(err, &pe) || broadworks.SafeToRetry(err) {
					t.Errorf("err = %v, want ProtocolError", err)
				}
			},
		},
		{
			name:     "malformed answer to a delete",
			mutating: true,
			answer: func(fc *fakeConn) {
				fc.Write([]byte(`<?xml version="1.0"?><BroadsoftDocument><<</BroadsoftDocument>` + "\n"))
			},
			check: func(t *testing.T, err error) {
				var pe *broadworks.ProtocolError
				if !errors.As(err, &pe) || !broadworks.OutcomeUnknown(err) {
					t.Errorf("err = %v, want ProtocolError and outcome unknown", err)
				}
			},
		},
		{
			name: "wrong session id",
			answer: func(fc *fakeConn) {
				fc.sid = "someone-else"
				fc.reply(&oci.SuccessResponse{})
			},
			check: func(t *testing.T, err error) {
				var pe *broadworks.ProtocolError
				if !errors.As(err, &pe) {
					t.Errorf("err = %v, want ProtocolError", err)
				}
			},
		},
		{
			name:   "two answers to one request",
			answer: func(fc *fakeConn) { fc.reply(&oci.SuccessResponse{}, &oci.SuccessResponse{}) },
			check: func(t *testing.T, err error) {
				var pe *broadworks.ProtocolError
				if !errors.As(err, &pe) {
					t.Errorf("err = %v, want ProtocolError", err)
				}
			},
		},
		{
			name:   "refusal",
			answer: func(fc *fakeConn) { fc.reply(errResp(4008, "[Error 4008] User not found: x")) },
			check: func(t *testing.T, err error) {
				var er *oci.ErrorResponse
				if !errors.As(err, &er) || er.Code != 4008 || er.Command != "UserGetRequest23V2" {
					t.Errorf("err = %#v, want ErrorResponse 4008 for UserGetRequest23V2", err)
				}
				if broadworks.SafeToRetry(err) || broadworks.OutcomeUnknown(err) || broadworks.Temporary(err) {
					t.Errorf("predicates wrong for %v", err)
				}
			},
		},
		{
			name:   "temporary refusal",
			answer: func(fc *fakeConn) { fc.reply(errResp(0, "[Error 5200] System busy, try again later")) },
			check: func(t *testing.T, err error) {
				if !broadworks.Temporary(err) || !broadworks.IsErrorCode(err, 5200) {
					t.Errorf("err = %v, want temporary 5200", err)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) { tc.answer(fc) })
			c := dialFake(t, f, &broadworks.Options{MaxDocumentSize: 16 << 10})
			var req oci.Request = &oci.UserGetRequest23V2{UserID: "x@example.com"}
			if tc.mutating {
				req = &oci.UserDeleteRequest{UserID: "x@example.com"}
			}
			resp, err := c.Do(context.Background(), req)
			if err == nil {
				t.Fatalf("Do = %v, nil error", resp)
			}
			tc.check(t, err)
			if n := count(f.received(), req.OCIName()); n != 1 {
				t.Errorf("server received %s %d times, want 1", req.OCIName(), n)
			}
		})
	}
}

func TestClient_Do_timeout(t *testing.T) {
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {}) // never answers
	c := dialFake(t, f, &broadworks.Options{Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.Do(context.Background(), &oci.UserDeleteRequest{UserID: "x@example.com"})
	if !errors.Is(err, context.DeadlineExceeded) || !broadworks.OutcomeUnknown(err) || broadworks.SafeToRetry(err) {
		t.Errorf("err = %v, want DeadlineExceeded and outcome unknown", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	// A read after a timeout is not retried either: the server is slow.
	_, err = c.Do(context.Background(), &oci.UserGetRequest23V2{UserID: "x@example.com"})
	if !errors.Is(err, context.DeadlineExceeded) || broadworks.OutcomeUnknown(err) {
		t.Errorf("read err = %v, want DeadlineExceeded, not outcome unknown", err)
	}
	if n := count(f.received(), "UserGetRequest23V2"); n != 1 {
		t.Errorf("UserGet sent %d times, want 1", n)
	}
}

func TestClient_Do_cancel(t *testing.T) {
	got := make(chan struct{}, 1)
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) { got <- struct{}{} })
	c := dialFake(t, f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-got; cancel() }()
	start := time.Now()
	_, err := c.Do(ctx, &oci.UserGetRequest23V2{UserID: "x@example.com"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancellation took %v", d)
	}
	// Already cancelled: nothing is sent.
	_, err = c.Do(ctx, &oci.UserDeleteRequest{UserID: "x@example.com"})
	if !errors.Is(err, context.Canceled) || !broadworks.SafeToRetry(err) {
		t.Errorf("err = %v, want Canceled and safe to retry", err)
	}
	if n := count(f.received(), "UserDeleteRequest"); n != 0 {
		t.Errorf("UserDelete sent %d times after cancel", n)
	}
}

func TestClient_Batch_sessionRefusedIsResent(t *testing.T) {
	var once sync.Once
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {
		refused := false
		once.Do(func() { refused = true })
		var out []oci.Command
		for range doc.Commands {
			if refused {
				out = append(out, errResp(5401, "[Error 5401] Not logged in"))
			} else {
				out = append(out, &oci.SuccessResponse{})
			}
		}
		fc.reply(out...)
	})
	c := dialFake(t, f, nil)
	rs, err := c.Batch(context.Background(), &oci.UserDeleteRequest{UserID: "a@x"}, &oci.UserDeleteRequest{UserID: "b@x"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.Err != nil {
			t.Errorf("result %d: %v", i, r.Err)
		}
	}
	if n := f.connections(); n != 2 {
		t.Errorf("connections = %d, want 2 (re-login)", n)
	}
	if n := count(f.received(), "UserDeleteRequest"); n != 4 {
		t.Errorf("UserDelete received %d times, want 4 (refused unexecuted, then sent again)", n)
	}
}

func TestNew_noIO(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := broadworks.New(a, nil)
	b.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := b.Read(make([]byte, 1)); n != 0 || err == nil || errors.Is(err, io.EOF) {
		t.Errorf("New wrote %d bytes (err %v)", n, err)
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); !errors.Is(err, broadworks.ErrNotLoggedIn) || !broadworks.SafeToRetry(err) {
		t.Errorf("Do before login: %v", err)
	}
	c.Close()
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); !errors.Is(err, broadworks.ErrClosed) {
		t.Errorf("Do after Close: %v", err)
	}
}

func TestNew_overPipe(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	go func() {
		r := ociwire.NewReader(b, 1<<20)
		for {
			raw, err := r.Next()
			if err != nil {
				return
			}
			doc, _ := ociwire.Decode(raw)
			var out oci.Command = &oci.SuccessResponse{}
			switch doc.Commands[0].(type) {
			case *oci.AuthenticationRequest:
				out = &oci.AuthenticationResponse{Nonce: "1234567890123", PasswordAlgorithm: "MD5"}
			case *oci.LoginRequest14sp4:
				out = &oci.LoginResponse14sp4{LoginType: "Group", ServiceProviderID: oci.String("sp"), GroupID: oci.String("g"), UserDomain: "d"}
			case *oci.SystemSoftwareVersionGetRequest:
				out = &oci.SystemSoftwareVersionGetResponse{Version: "21sp1"}
			}
			resp, _ := ociwire.EncodeCommands(doc.SessionID, []oci.Command{out}, ociwire.EncodeOptions{})
			b.Write(resp)
		}
	}()
	c := broadworks.New(a, &broadworks.Options{Timeout: 5 * time.Second})
	defer c.Close()
	info, err := c.Login(context.Background(), "g-admin", "password")
	if err != nil {
		t.Fatal(err)
	}
	if info.LoginType != "Group" || info.ServiceProviderID != "sp" || info.GroupID != "g" || info.Release != "21sp1" {
		t.Errorf("info = %+v", info)
	}
	if got := broadworks.CommandFor(c.Release(), "UserAddRequest22V2"); got != "UserAddRequest17sp4" {
		t.Errorf("UserAddCommand(%q) = %s", c.Release(), got)
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Fatal(err)
	}
	// The pipe breaks: a client made with New cannot redial.
	b.Close()
	_, err = c.Do(context.Background(), &oci.VerifySessionIsValidRequest{})
	if err == nil {
		t.Fatal("Do on a broken pipe succeeded")
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); !errors.Is(err, broadworks.ErrSessionLost) || !broadworks.SafeToRetry(err) {
		t.Errorf("Do after the break: %v, want ErrSessionLost", err)
	}
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestClient_Login_fallbackFrom22V5(t *testing.T) {
	conf, err := ocisim.New(&ocisim.Options{TLS: true}).TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	var dropped sync.Once
	f := newFakeWith(t, fakeOptions{tls: conf, refuse22V5: true}, func(fc *fakeConn, doc *ociwire.Document) {
		lost := false
		dropped.Do(func() { lost = true })
		if lost {
			fc.Close() // lose the session once
			return
		}
		fc.reply(&oci.SuccessResponse{})
	})
	c := dialFake(t, f, &broadworks.Options{Transport: broadworks.TransportTLS, InsecureSkipVerify: true})
	if info := c.Info(); info.Command != "LoginRequest14sp4" || info.Release != "25" {
		t.Errorf("info = %+v, want the nonce login after the 6004 refusal", info)
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Fatal(err)
	}
	// The re-login after the lost session goes straight to the nonce flow.
	want := []string{
		"LoginRequest22V5", "AuthenticationRequest", "LoginRequest14sp4", "SystemSoftwareVersionGetRequest",
		"VerifySessionIsValidRequest",
		"AuthenticationRequest", "LoginRequest14sp4", "SystemSoftwareVersionGetRequest",
		"VerifySessionIsValidRequest",
	}
	if got := f.received(); !equal(got, want) {
		t.Errorf("received\n%v\nwant\n%v", got, want)
	}
}

func TestClient_Do_warningIsPartialSuccess(t *testing.T) {
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {
		fc.reply(&oci.ErrorResponse{Type: oci.TypeWarning, Summary: "[Error 4410] Some services were not assigned", SummaryEnglish: "Some services were not assigned"})
	})
	c := dialFake(t, f, nil)
	resp, err := c.Do(context.Background(), &oci.UserServiceAssignListRequest{UserID: "a@x"})
	if err != nil {
		t.Fatalf("err = %v, want nil for a Warning", err)
	}
	w, ok := resp.(*oci.ErrorResponse)
	if !ok || w.Type != oci.TypeWarning || w.Command != "UserServiceAssignListRequest" {
		t.Errorf("resp = %#v", resp)
	}
	if broadworks.IsErrorCode(w, 4410) {
		t.Error("IsErrorCode matches a Warning")
	}
}

func TestClient_Close_duringRequest(t *testing.T) {
	got := make(chan struct{}, 1)
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) { got <- struct{}{} })
	c := dialFake(t, f, nil)
	go func() { <-got; c.Close() }()
	_, err := c.Do(context.Background(), &oci.UserDeleteRequest{UserID: "a@x"})
	if !errors.Is(err, broadworks.ErrClosed) || !broadworks.OutcomeUnknown(err) {
		t.Errorf("err = %v, want ErrClosed and outcome unknown", err)
	}
	if _, err := c.Do(context.Background(), &oci.UserDeleteRequest{UserID: "a@x"}); !errors.Is(err, broadworks.ErrClosed) || !broadworks.SafeToRetry(err) {
		t.Errorf("after Close: %v", err)
	}
}

func TestClient_Do_cancelledBeforeSending(t *testing.T) {
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) { fc.reply(&oci.SuccessResponse{}) })
	c := dialFake(t, f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Do(ctx, &oci.UserDeleteRequest{UserID: "a@x"}); !errors.Is(err, context.Canceled) || !broadworks.SafeToRetry(err) {
		t.Errorf("err = %v, want Canceled, safe to retry", err)
	}
	// The session is intact: same connection, no new login.
	if _, err := c.Do(context.Background(), &oci.UserDeleteRequest{UserID: "a@x"}); err != nil {
		t.Fatal(err)
	}
	if n := f.connections(); n != 1 {
		t.Errorf("connections = %d, want 1", n)
	}
	if n := count(f.received(), "UserDeleteRequest"); n != 1 {
		t.Errorf("UserDelete received %d times, want 1", n)
	}
}

func TestPool_replacesBrokenSession(t *testing.T) {
	var first sync.Once
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {
		drop := false
		first.Do(func() { drop = true })
		if drop {
			fc.Close()
			return
		}
		fc.reply(&oci.SuccessResponse{})
	})
	var dials int
	var mu sync.Mutex
	// Clients made with New cannot redial: the pool must replace them.
	p := broadworks.NewPool(1, func(ctx context.Context) (*broadworks.Client, error) {
		mu.Lock()
		dials++
		mu.Unlock()
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", f.addr())
		if err != nil {
			return nil, err
		}
		c := broadworks.New(conn, &broadworks.Options{Timeout: 5 * time.Second})
		if _, err := c.Login(ctx, "admin", "welcome1"); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	})
	defer p.Close()
	_, err := p.Do(context.Background(), &oci.UserDeleteRequest{UserID: "a@x"})
	if !broadworks.OutcomeUnknown(err) {
		t.Fatalf("err = %v, want outcome unknown", err)
	}
	for range 3 {
		if _, err := p.Do(context.Background(), &oci.UserDeleteRequest{UserID: "b@x"}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if dials != 2 {
		t.Errorf("dials = %d, want 2 (the broken session replaced once)", dials)
	}
}

func TestClient_SOAP_fault(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("SOAPAction") != `""` || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") || r.Method != http.MethodPost {
			t.Errorf("request %s, SOAPAction %q, Content-Type %q", r.Method, r.Header.Get("SOAPAction"), r.Header.Get("Content-Type"))
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>NO_OCS_CONNECTION</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	}))
	defer ts.Close()
	c, err := broadworks.Dial(context.Background(), ts.URL, &broadworks.Options{Transport: broadworks.TransportSOAP})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Login(context.Background(), "admin", "welcome1")
	var pe *broadworks.ProtocolError
	var fault *ociwire.SOAPFault
	if !errors.As(err, &pe) || !errors.As(err, &fault) || !strings.Contains(err.Error(), "NO_OCS_CONNECTION") {
		t.Errorf("err = %v, want a ProtocolError wrapping the SOAP fault", err)
	}
}
