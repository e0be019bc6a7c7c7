package broadworks_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// hqUser returns a valid UserAddRequest22V2 for the demo group acme-hq.
func hqUser(id string) *oci.UserAddRequest22V2 {
	return &oci.UserAddRequest22V2{
		ServiceProviderID: "acme-ent", GroupID: "acme-hq",
		UserID: id + "@acme.example.com", LastName: "Tester", FirstName: id,
		CallingLineIDLastName: "Tester", CallingLineIDFirstName: id,
		Password: oci.String("Welcome#2026x"),
	}
}

func dialSim(t testing.TB, srv *ocisim.Server, opts *broadworks.Options) *broadworks.Client {
	t.Helper()
	if opts == nil {
		opts = ocisimtest.ClientOptions(t, srv)
	}
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatalf("login: %v", err)
	}
	return c
}

func TestClient_Login_tcpNonceFlow(t *testing.T) {
	var log bytes.Buffer
	srv := ocisimtest.Start(t, nil)
	c := dialSim(t, srv, &broadworks.Options{DebugWriter: &log})
	info := c.Info()
	if info.Command != "LoginRequest14sp4" || info.LoginType != "System" || info.Release != "25" || c.Release() != "25" {
		t.Errorf("info = %+v", info)
	}
	if got := broadworks.CommandFor(c.Release(), "UserAddRequest22V2"); got != "UserAddRequest22V2" {
		t.Errorf("UserAddCommand = %s", got)
	}
	if !strings.Contains(log.String(), "<signedPassword>***</signedPassword>") {
		t.Errorf("debug log lacks the masked signedPassword:\n%s", log.String())
	}
}

func TestClient_Login_tls22V5(t *testing.T) {
	var log bytes.Buffer
	srv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	opts := ocisimtest.ClientOptions(t, srv)
	opts.DebugWriter = &log
	c := dialSim(t, srv, opts)
	if info := c.Info(); info.Command != "LoginRequest22V5" || info.LoginType != "System" {
		t.Errorf("info = %+v", info)
	}
	if strings.Contains(log.String(), ocisim.DefaultPassword) || !strings.Contains(log.String(), "<password>***</password>") {
		t.Errorf("debug log does not mask the password:\n%s", log.String())
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestDial_tlsVerification(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	conf, err := srv.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(conf.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	addr := srv.Addr().String()
	cases := []struct {
		name string
		opts broadworks.Options
		ok   bool
	}{
		{"unknown authority refused by default", broadworks.Options{}, false},
		{"trusted root", broadworks.Options{RootCAs: pool}, true},
		{"insecure opt-out", broadworks.Options{InsecureSkipVerify: true}, true},
		{"wrong pin", broadworks.Options{PinSHA256: strings.Repeat("ab", 32)}, false},
		{"malformed pin", broadworks.Options{PinSHA256: "abc"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Transport = broadworks.TransportTLS
			tc.opts.Timeout = 5 * time.Second
			c, err := broadworks.Dial(context.Background(), addr, &tc.opts)
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if _, err := c.Login(context.Background(), ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
					t.Fatal(err)
				}
				return
			}
			var de *broadworks.DialError
			if !errors.As(err, &de) || !broadworks.SafeToRetry(err) {
				t.Fatalf("err = %v, want DialError", err)
			}
		})
	}
}

func TestClient_Login_groupAdmin(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	c, err := broadworks.Dial(context.Background(), srv.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	info, err := c.Login(context.Background(), ocisim.DemoGroupAdmin, ocisim.DefaultPassword)
	if err != nil {
		t.Fatal(err)
	}
	// The release query is refused (5404) for a group admin: tolerated.
	if info.LoginType != "Group" || info.ServiceProviderID != "acme-ent" || info.GroupID != "acme-hq" || info.Release != "" {
		t.Errorf("info = %+v", info)
	}
}

func TestClient_Login_wrongPasswordAgainstSimulator(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	c, err := broadworks.Dial(context.Background(), srv.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Login(context.Background(), ocisim.DefaultAdmin, "hunter2-wrong")
	if !broadworks.IsErrorCode(err, 4962) {
		t.Fatalf("err = %v, want 4962", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error string carries the password: %v", err)
	}
}

func TestClient_Batch_mixedResults(t *testing.T) {
	c, srv := ocisimtest.NewPair(t, nil)
	rs, err := c.Batch(context.Background(),
		hqUser("mixed.a"),
		&oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"},
		hqUser("mixed.a"), // duplicate: refused
		&oci.UserGetRequest23V2{UserID: "nobody@acme.example.com"},
		hqUser("mixed.b"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 5 {
		t.Fatalf("%d results", len(rs))
	}
	if _, ok := rs[0].Response.(*oci.SuccessResponse); !ok || rs[0].Err != nil {
		t.Errorf("result 0 = %+v", rs[0])
	}
	if g, ok := rs[1].Response.(*oci.UserGetResponse23V2); !ok || rs[1].Err != nil || g.GroupID != "acme-branch" {
		t.Errorf("result 1 = %+v", rs[1])
	}
	if !broadworks.IsErrorCode(rs[2].Err, 4200) {
		t.Errorf("result 2 err = %v, want 4200", rs[2].Err)
	}
	var er *oci.ErrorResponse
	if !errors.As(rs[3].Err, &er) || er.Code != 4008 || er.Command != "UserGetRequest23V2" {
		t.Errorf("result 3 err = %v, want 4008 for UserGetRequest23V2", rs[3].Err)
	}
	if rs[4].Err != nil {
		t.Errorf("result 4 err = %v", rs[4].Err)
	}
	for _, id := range []string{"mixed.a", "mixed.b"} {
		if _, ok := srv.User(id + "@acme.example.com"); !ok {
			t.Errorf("user %s not created", id)
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 2 {
		t.Errorf("AddCount = %d, want 2", n)
	}
}

func TestClient_Batch_splitsIntoDocuments(t *testing.T) {
	c, srv := ocisimtest.NewPair(t, nil)
	before := srv.Documents()
	reqs := make([]oci.Request, 20)
	for i := range reqs {
		reqs[i] = &oci.UserGetRequest23V2{UserID: fmt.Sprintf("branch.user%02d@acme.example.com", i+1)}
	}
	rs, err := c.Batch(context.Background(), reqs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		g, ok := r.Response.(*oci.UserGetResponse23V2)
		if r.Err != nil || !ok || g.GroupID != "acme-branch" {
			t.Errorf("result %d = %+v", i, r)
		}
	}
	if n := srv.Documents() - before; n != 2 {
		t.Errorf("sent %d documents, want 2 (15 + 5)", n)
	}
}

func TestClient_Batch_lostConnection(t *testing.T) {
	// Documents: 1 AuthenticationRequest, 2 LoginRequest14sp4 (the release
	// is given, so not asked), 3 the warm-up, 4 the batch: dropped after
	// execution. Then 5, 6 the new login and 7 the read re-sent.
	srv := ocisimtest.Start(t, &ocisim.Options{DropEvery: 4})
	c := dialSim(t, srv, &broadworks.Options{Release: "25", Timeout: 5 * time.Second})
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Fatal(err)
	}
	rs, err := c.Batch(context.Background(),
		hqUser("lost.a"),
		&oci.UserGetRequest23V2{UserID: "branch.user02@acme.example.com"},
		hqUser("lost.b"),
	)
	if err != nil {
		t.Fatalf("batch error = %v, want per-result errors only (the read succeeded on retry)", err)
	}
	for _, i := range []int{0, 2} {
		if !broadworks.OutcomeUnknown(rs[i].Err) || broadworks.SafeToRetry(rs[i].Err) || !errors.Is(rs[i].Err, broadworks.ErrOutcomeUnknown) {
			t.Errorf("result %d err = %v, want outcome unknown", i, rs[i].Err)
		}
	}
	if g, ok := rs[1].Response.(*oci.UserGetResponse23V2); rs[1].Err != nil || !ok || g.UserID == "" {
		t.Errorf("read not re-sent after re-login: %+v", rs[1])
	}
	// The server did execute the adds, exactly once: the client never
	// re-sent them.
	if n := srv.AddCount("UserAddRequest22V2"); n != 2 {
		t.Errorf("AddCount = %d, want 2", n)
	}
	if srv.Documents() != 7 {
		t.Errorf("documents = %d, want 7", srv.Documents())
	}
	// The session works again.
	if _, err := c.Do(context.Background(), &oci.UserGetRequest23V2{UserID: "lost.a@acme.example.com"}); err != nil {
		t.Fatal(err)
	}
}

func TestClient_Do_sessionExpiry(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", useTLS), func(t *testing.T) {
			srv := ocisimtest.Start(t, &ocisim.Options{IdleTimeout: 150 * time.Millisecond, TLS: useTLS})
			c := dialSim(t, srv, nil)
			time.Sleep(400 * time.Millisecond) // the server closes the idle session
			g, err := broadworks.Do[*oci.UserGetResponse23V2](context.Background(), c, &oci.UserGetRequest23V2{UserID: "branch.user03@acme.example.com"})
			if err != nil || g.GroupID != "acme-branch" {
				t.Fatalf("read after expiry: %v, %v", g, err)
			}
			time.Sleep(400 * time.Millisecond)
			// The dead connection is noticed before the add leaves: it is
			// sent once, on the new session, and succeeds.
			if _, err := c.Do(context.Background(), hqUser("expiry.a")); err != nil {
				t.Fatalf("add after expiry: %v", err)
			}
			if n := srv.AddCount("UserAddRequest22V2"); n != 1 {
				t.Errorf("AddCount = %d", n)
			}
		})
	}
}

func TestClient_Do_slowServer(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	c := dialSim(t, srv, &broadworks.Options{Timeout: 5 * time.Second})
	// Now slow it down: a later server with Latency would also slow the login.
	slow := ocisimtest.Start(t, &ocisim.Options{Latency: 2 * time.Second})
	cs, err := broadworks.Dial(context.Background(), slow.Addr().String(), &broadworks.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	start := time.Now()
	_, err = cs.Login(context.Background(), ocisim.DefaultAdmin, ocisim.DefaultPassword)
	if !errors.Is(err, context.DeadlineExceeded) || !broadworks.Temporary(err) {
		t.Errorf("login err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("timeout took %v", d)
	}
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Errorf("the other client: %v", err)
	}
}

func TestClient_Do_stalledAnswer(t *testing.T) {
	// 3 login documents answered; the 4th answer is cut in half.
	srv := ocisimtest.Start(t, &ocisim.Options{StallAfter: 3})
	c := dialSim(t, srv, &broadworks.Options{Timeout: 300 * time.Millisecond})
	_, err := c.Do(context.Background(), hqUser("stall.a"))
	if !broadworks.OutcomeUnknown(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want outcome unknown after the deadline", err)
	}
}

func TestClient_Do_cancelAgainstSimulator(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	c := dialSim(t, srv, nil)
	slow := ocisimtest.Start(t, &ocisim.Options{Latency: time.Second})
	_ = slow
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	cs, err := broadworks.Dial(ctx, slow.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	_, err = cs.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	// The healthy client is unaffected.
	if _, err := c.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestClient_Do_transientRefusal(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{TransientRate: 1})
	c := dialSim(t, srv, nil) // login commands are never refused
	_, err := c.Do(context.Background(), hqUser("busy.a"))
	if !broadworks.Temporary(err) || broadworks.OutcomeUnknown(err) || !broadworks.IsErrorCode(err, ocisim.TransientCodes...) {
		t.Errorf("err = %v, want a temporary refusal", err)
	}
	if _, ok := srv.User("busy.a@acme.example.com"); ok {
		t.Error("refused add was executed")
	}
}

func TestClient_SOAP(t *testing.T) {
	srv := ocisim.NewDemo(nil)
	defer srv.Close()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("https=%v", secure), func(t *testing.T) {
			var ts *httptest.Server
			if secure {
				ts = httptest.NewTLSServer(srv.SOAPHandler())
			} else {
				ts = httptest.NewServer(srv.SOAPHandler())
			}
			defer ts.Close()
			var log bytes.Buffer
			c, err := broadworks.Dial(context.Background(), ts.URL, &broadworks.Options{
				Transport: broadworks.TransportSOAP, HTTPClient: ts.Client(), DebugWriter: &log, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			info, err := c.Login(context.Background(), ocisim.DefaultAdmin, ocisim.DefaultPassword)
			if err != nil {
				t.Fatal(err)
			}
			want := "LoginRequest14sp4"
			if secure {
				want = "LoginRequest22V5"
			}
			if info.Command != want || info.Release != "25" {
				t.Errorf("info = %+v, want login by %s", info, want)
			}
			id := fmt.Sprintf("soap.%v", secure)
			// The session (JSESSIONID + sessionId) carries over to later posts.
			rs, err := c.Batch(context.Background(), hqUser(id), &oci.UserGetRequest23V2{UserID: id + "@acme.example.com"})
			if err != nil || rs[0].Err != nil || rs[1].Err != nil {
				t.Fatalf("batch: %v %+v", err, rs)
			}
			if strings.Contains(log.String(), ocisim.DefaultPassword) || strings.Contains(log.String(), "Welcome#2026x") {
				t.Errorf("debug log leaks a password")
			}
		})
	}
}

func TestClient_concurrentUse(t *testing.T) {
	c, srv := ocisimtest.NewPair(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), hqUser(fmt.Sprintf("conc.%d", i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.AddCount("UserAddRequest22V2"); n != 8 {
		t.Errorf("AddCount = %d", n)
	}
}

func TestPool(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{DropEvery: 25})
	var dials sync.Map
	n := 0
	var mu sync.Mutex
	p := broadworks.NewPool(4, func(ctx context.Context) (*broadworks.Client, error) {
		mu.Lock()
		n++
		mu.Unlock()
		c, err := broadworks.Dial(ctx, srv.Addr().String(), &broadworks.Options{Release: "25", Timeout: 5 * time.Second})
		if err != nil {
			return nil, err
		}
		if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
			c.Close()
			return nil, err
		}
		dials.Store(c, true)
		return c, nil
	})
	defer p.Close()
	var wg sync.WaitGroup
	var ok, unknown, failed int
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := p.Do(context.Background(), hqUser(fmt.Sprintf("pool.%02d", i)))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case broadworks.OutcomeUnknown(err):
				unknown++
			default:
				failed++
				t.Errorf("add %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok+unknown != 40 || unknown == 0 {
		t.Errorf("ok %d, unknown %d, failed %d: want 40 answered or unknown, some unknown (DropEvery)", ok, unknown, failed)
	}
	// Every add was executed exactly once, the unknown ones included.
	if got := srv.AddCount("UserAddRequest22V2"); got != 40 {
		t.Errorf("AddCount = %d, want 40", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if n > 4 {
		t.Errorf("pool dialled %d sessions, at most 4 allowed", n)
	}
	p.Close()
	if _, err := p.Do(context.Background(), &oci.VerifySessionIsValidRequest{}); !errors.Is(err, broadworks.ErrClosed) {
		t.Errorf("Do on closed pool: %v", err)
	}
}

func TestClient_relogin_refused(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{IdleTimeout: 150 * time.Millisecond})
	c := dialSim(t, srv, nil)
	srv.AddAdmin(ocisim.DefaultAdmin, "Changed#2026", ocisim.LevelSystem, "", "")
	time.Sleep(400 * time.Millisecond) // the session expires; the password changed meanwhile
	_, err := c.Do(context.Background(), hqUser("refused.a"))
	if !errors.Is(err, broadworks.ErrSessionLost) || !broadworks.IsErrorCode(err, 4962) || !broadworks.SafeToRetry(err) {
		t.Errorf("err = %v, want session lost, 4962, never sent", err)
	}
	if _, err := c.Do(context.Background(), hqUser("refused.a")); !errors.Is(err, broadworks.ErrNotLoggedIn) {
		t.Errorf("next call: %v, want ErrNotLoggedIn", err)
	}
	if srv.AddCount("UserAddRequest22V2") != 0 {
		t.Error("the add was executed")
	}
	// An explicit Login with the new password recovers the client.
	if _, err := c.Login(context.Background(), ocisim.DefaultAdmin, "Changed#2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), hqUser("refused.a")); err != nil {
		t.Fatal(err)
	}
}

func TestClient_Do_serverGone(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	c := dialSim(t, srv, nil)
	srv.Close()
	time.Sleep(50 * time.Millisecond)
	_, err := c.Do(context.Background(), hqUser("gone.a"))
	var de *broadworks.DialError
	if !errors.As(err, &de) || !broadworks.SafeToRetry(err) || !broadworks.Temporary(err) || broadworks.OutcomeUnknown(err) {
		t.Errorf("err = %v, want a DialError, safe to retry", err)
	}
}

// TestClient_Login_wrongProtocol: a web server (or a TLS one) on the
// address given for OCI-P over TCP is named as such, with the ports OCI-P
// usually uses, and waiting is not offered as the cure.
func TestClient_Login_wrongProtocol(t *testing.T) {
	web := httptest.NewServer(http.NotFoundHandler())
	defer web.Close()
	// A TLS server that answers a record it cannot read with an alert
	// (RFC 8446 5.1: content type 21, version 3.3; fatal, unexpected_message).
	tlsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tlsLn.Close()
	go func() {
		for {
			c, err := tlsLn.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 512))
			c.Write([]byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a})
			c.Close()
		}
	}()
	cases := []struct {
		name, addr, proto string
		want              []string
	}{
		{"http", web.Listener.Addr().String(), "HTTP", []string{"answered in HTTP", "2208 (TCP)", "2209 (TLS)", "SOAP"}},
		{"tls", tlsLn.Addr().String(), "TLS", []string{"answered in TLS", "TLS transport", "2209"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			c, err := broadworks.Dial(ctx, tc.addr, &broadworks.Options{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.Login(ctx, "admin", "secret")
			var wp *broadworks.WrongProtocolError
			if !errors.As(err, &wp) || wp.Protocol != tc.proto {
				t.Fatalf("login: %v, want a WrongProtocolError of %s", err, tc.proto)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "EOF") || strings.Contains(err.Error(), "secret") {
				t.Errorf("%q", err)
			}
			if !broadworks.NeedsAttention(err) {
				t.Error("NeedsAttention is false: a task would wait for a server that will never speak OCI-P")
			}
		})
	}
}
