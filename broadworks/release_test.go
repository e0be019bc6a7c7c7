package broadworks_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// wireLog collects the documents a client sent and received.
type wireLog struct{ bytes.Buffer }

func (w *wireLog) sent(t *testing.T, cmd string) bool {
	t.Helper()
	return strings.Contains(w.String(), `xsi:type="`+cmd+`"`)
}

// Callers ask for the newest version; against each field release the
// client sends the version that release has and hands back the answer as
// the newest response type, values kept.
func TestClient_releaseVersions(t *testing.T) {
	cases := []struct {
		rel, userGet, rules, group string
	}{
		{"20.0", "UserGetRequest20", "GroupPasswordRulesGetRequest16", "GroupGetRequest14sp7"},
		{"21sp1", "UserGetRequest21sp1", "GroupPasswordRulesGetRequest16", "GroupGetRequest14sp7"},
		{"22.0", "UserGetRequest22V3", "GroupPasswordRulesGetRequest22", "GroupGetRequest22V2"},
		{"23.0", "UserGetRequest22V5", "GroupPasswordRulesGetRequest22", "GroupGetRequest22V2"},
		{"24.0", "UserGetRequest22V8", "GroupPasswordRulesGetRequest22", "GroupGetRequest22V5"},
		{"25.0", "UserGetRequest23V2", "GroupPasswordRulesGetRequestRI", "GroupGetRequest22V5"},
	}
	for _, tc := range cases {
		t.Run(tc.rel, func(t *testing.T) {
			srv := ocisimtest.Start(t, &ocisim.Options{Release: tc.rel})
			log := &wireLog{}
			opts := ocisimtest.ClientOptions(t, srv)
			opts.DebugWriter = log
			c := dialSim(t, srv, opts)
			if c.Release() != tc.rel {
				t.Errorf("Release() = %q", c.Release())
			}
			ctx := context.Background()
			u, err := broadworks.Do[*oci.UserGetResponse23V2](ctx, c, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
			if err != nil {
				t.Fatal(err)
			}
			if u.ServiceProviderID != "acme-ent" || u.GroupID != "acme-branch" || u.PhoneNumber == nil || *u.PhoneNumber == "" || u.LastName == "" {
				t.Errorf("user read as %+v", u)
			}
			r, err := broadworks.Do[*oci.GroupPasswordRulesGetResponseRI](ctx, c, &oci.GroupPasswordRulesGetRequestRI{ServiceProviderID: "acme-ent", GroupID: "acme-branch"})
			if err != nil {
				t.Fatal(err)
			}
			if r.MinLength != 8 || !r.RestrictMinDigits || r.MinDigits != 1 || !r.DisallowUserID {
				t.Errorf("rules read as %+v", r)
			}
			g, err := broadworks.Do[*oci.GroupGetResponse22V5](ctx, c, &oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-branch"})
			if err != nil || g.DefaultDomain == "" || g.UserLimit == 0 {
				t.Fatalf("group read as %+v, %v", g, err)
			}
			_, err = c.Do(ctx, &oci.UserGetRequest23V2{UserID: "nobody@acme.example.com"})
			var er *oci.ErrorResponse
			if !errors.As(err, &er) || er.Command != tc.userGet || !broadworks.IsErrorCode(err, 4008) {
				t.Errorf("not found = %v (command %q)", err, er.Command)
			}
			for _, cmd := range []string{tc.userGet, tc.rules, tc.group} {
				if !log.sent(t, cmd) {
					t.Errorf("%s not sent", cmd)
				}
			}
			if strings.Contains(log.String(), "[Error 6004]") {
				t.Error("a command was refused as unknown")
			}
		})
	}
}

// When the server leaves errorCode out (the code is then only in the
// summary), every path classifies the code from the summary: the login
// fallback of an older server, a wrong password, not found, try later.
func TestClient_codesFromSummaryOnly(t *testing.T) {
	ctx := context.Background()
	srv := ocisimtest.Start(t, &ocisim.Options{TLS: true, Release: "21.0", OmitErrorCode: true})
	log := &wireLog{}
	opts := ocisimtest.ClientOptions(t, srv)
	opts.DebugWriter = log
	c := dialSim(t, srv, opts)
	if info := c.Info(); info.Command != "LoginRequest14sp4" {
		t.Errorf("R21 over TLS logged in with %s, want the nonce flow after LoginRequest22V5's refusal", info.Command)
	}
	if strings.Contains(log.String(), "<errorCode>") || !strings.Contains(log.String(), "[Error 6004]") {
		t.Fatal("the simulator sent errorCode, or LoginRequest22V5 was not refused")
	}
	_, err := c.Do(ctx, &oci.UserGetRequest23V2{UserID: "nobody@acme.example.com"})
	if !broadworks.IsErrorCode(err, 4008) || broadworks.Temporary(err) {
		t.Errorf("not found: %v", err)
	}
	bad, err := broadworks.Dial(ctx, srv.Addr().String(), ocisimtest.ClientOptions(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.Login(ctx, ocisim.DefaultAdmin, "wrong"); !broadworks.IsErrorCode(err, 4962) {
		t.Errorf("wrong password: %v", err)
	}
	busy := ocisimtest.Start(t, &ocisim.Options{Release: "22.0", OmitErrorCode: true, TransientRate: 1})
	bo := ocisimtest.ClientOptions(t, busy)
	bo.KnownRelease = "22.0" // cached with the profile
	cb := dialSim(t, busy, bo)
	if cb.Release() != "22.0" {
		t.Errorf("a server too busy to say its release: Release() = %q, want the known 22.0", cb.Release())
	}
	_, err = cb.Do(ctx, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
	if !broadworks.Temporary(err) || !broadworks.IsErrorCode(err, 5200) {
		t.Errorf("busy: %v, want Temporary 5200", err)
	}
}

// A response command of a type bwbulk has not generated fails only the
// request it answers, naming the type; the other answers of the document
// are used.
func TestClient_unknownResponseType(t *testing.T) {
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {
		fmt.Fprintf(fc, `<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n"+
			`<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">%s</sessionId>`+
			`<command xsi:type="c:SuccessResponse" xmlns:c="C" xmlns=""/>`+
			`<command xsi:type="UserGetResponse26" xmlns=""><userId>x</userId><newThing><a/></newThing></command>`+
			`<command xsi:type="SystemSoftwareVersionGetResponse" xmlns=""><version>26.0</version></command>`+
			"</BroadsoftDocument>\n", fc.sid)
	})
	c := dialFake(t, f, nil)
	rs, err := c.Batch(context.Background(), &oci.VerifySessionIsValidRequest{},
		&oci.UserGetRequest23V2{UserID: "x"}, &oci.SystemSoftwareVersionGetRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Err != nil || rs[2].Err != nil {
		t.Errorf("the known answers failed: %v, %v", rs[0].Err, rs[2].Err)
	}
	if v, ok := rs[2].Response.(*oci.SystemSoftwareVersionGetResponse); !ok || v.Version != "26.0" {
		t.Errorf("third answer %#v", rs[2].Response)
	}
	var pe *broadworks.ProtocolError
	if !errors.As(rs[1].Err, &pe) || !strings.Contains(rs[1].Err.Error(), `"UserGetResponse26"`) || rs[1].Response != nil {
		t.Errorf("unknown type: %v (%T)", rs[1].Err, rs[1].Response)
	}
}

// An administrator who may not ask the release (a group administrator:
// SystemSoftwareVersionGetRequest is [Error 5404]): a version the server
// refuses as unknown tells it is older, and the request goes again in the
// older version; later requests start there.
func TestClient_releaseFromRefusals(t *testing.T) {
	for _, tc := range []struct{ rel, rules string }{
		{"22.0", "GroupPasswordRulesGetRequest22"}, {"21.0", "GroupPasswordRulesGetRequest16"},
		{"24.0", "GroupPasswordRulesGetRequest22"}, {"25.0", "GroupPasswordRulesGetRequestRI"},
	} {
		t.Run(tc.rel, func(t *testing.T) {
			srv := ocisimtest.Start(t, &ocisim.Options{Release: tc.rel})
			log := &wireLog{}
			opts := ocisimtest.ClientOptions(t, srv)
			opts.DebugWriter = log
			ctx := context.Background()
			c, err := broadworks.Dial(ctx, srv.Addr().String(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Login(ctx, ocisim.DemoGroupAdmin, ocisim.DefaultPassword); err != nil {
				t.Fatal(err)
			}
			if c.Release() != "" {
				t.Fatalf("a group administrator learned release %q", c.Release())
			}
			for range 2 {
				r, err := broadworks.Do[*oci.GroupPasswordRulesGetResponseRI](ctx, c, &oci.GroupPasswordRulesGetRequestRI{ServiceProviderID: "acme-ent", GroupID: "acme-hq"})
				if err != nil || r.MinLength != 8 {
					t.Fatalf("read: %+v, %v", r, err)
				}
			}
			if n := strings.Count(log.String(), `xsi:type="`+tc.rules+`"`); n != 2 {
				t.Errorf("%s sent %d times, want 2 (wire:\n%s)", tc.rules, n, log.String())
			}
			if tc.rel == "25.0" && strings.Contains(log.String(), "[Error 6004]") {
				t.Error("R25 refused a command")
			}
		})
	}
}

// A server patched below its release refuses a version the release table
// gives it: the client sends the next older version once, goes on with
// it, and what it learned is handed to the next client of that server.
func TestClient_stepsDownWhatTheServerRefuses(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Release: "24", Refuse: []string{"UserGetRequest22V8", "GroupGetRequest22V5"}})
	var saved []map[string]string
	learned := broadworks.NewLearned(nil, func(m map[string]string) { saved = append(saved, m) })
	log := &wireLog{}
	opts := ocisimtest.ClientOptions(t, srv)
	opts.DebugWriter, opts.Learned = log, learned
	c := dialSim(t, srv, opts)
	ctx := context.Background()
	for range 2 {
		u, err := broadworks.Do[*oci.UserGetResponse23V2](ctx, c, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
		if err != nil || u.GroupID != "acme-branch" {
			t.Fatalf("user read as %+v, %v", u, err)
		}
		g, err := broadworks.Do[*oci.GroupGetResponse22V5](ctx, c, &oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-branch"})
		if err != nil || g.DefaultDomain == "" {
			t.Fatalf("group read as %+v, %v", g, err)
		}
	}
	if n := strings.Count(log.String(), `xsi:type="UserGetRequest22V8"`); n != 1 {
		t.Errorf("UserGetRequest22V8 sent %d times, want once", n)
	}
	if n := strings.Count(log.String(), `xsi:type="UserGetRequest22V7"`); n != 2 {
		t.Errorf("UserGetRequest22V7 sent %d times, want twice", n)
	}
	want := map[string]string{"UserGetRequest23V2": "UserGetRequest22V7", "GroupGetRequest22V5": "GroupGetRequest22V4"}
	if got := learned.Map(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("learned %v, want %v", got, want)
	}
	if len(saved) == 0 || fmt.Sprint(saved[len(saved)-1]) != fmt.Sprint(want) {
		t.Errorf("saved %v", saved)
	}

	// The next client of the server starts from what was learned.
	log2 := &wireLog{}
	opts2 := ocisimtest.ClientOptions(t, srv)
	opts2.DebugWriter, opts2.Learned = log2, broadworks.NewLearned(learned.Map(), nil)
	c2 := dialSim(t, srv, opts2)
	if _, err := c2.Do(ctx, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"}); err != nil {
		t.Fatal(err)
	}
	if log2.sent(t, "UserGetRequest22V8") || !log2.sent(t, "UserGetRequest22V7") {
		t.Errorf("the second client did not start from what was learned:\n%s", log2.String())
	}
}

// A command the server refuses in every version bwbulk can send is a
// clear error naming the command and the release, after each version was
// tried once.
func TestClient_unknownInEveryVersion(t *testing.T) {
	var all []string
	for _, v := range oci.Versions("GroupExtensionLengthGetRequest22") {
		all = append(all, v.Name)
	}
	srv := ocisimtest.Start(t, &ocisim.Options{Release: "22", Refuse: all})
	log := &wireLog{}
	opts := ocisimtest.ClientOptions(t, srv)
	opts.DebugWriter = log
	c := dialSim(t, srv, opts)
	_, err := c.Do(context.Background(), &oci.GroupExtensionLengthGetRequest22{ServiceProviderID: "acme-ent", GroupID: "acme-hq"})
	var uce *broadworks.UnknownCommandError
	if !errors.As(err, &uce) || uce.Release != "22" || !strings.Contains(err.Error(), "GroupExtensionLengthGetRequest22") ||
		!strings.Contains(err.Error(), "R22") || broadworks.Temporary(err) || broadworks.SafeToRetry(err) {
		t.Fatalf("err = %v", err)
	}
	first := broadworks.CommandFor("22", "GroupExtensionLengthGetRequest22")
	for _, v := range all {
		want := 1
		if oci.Newer(v, first) {
			want = 0 // R22 does not have it: never sent
		}
		if n := strings.Count(log.String(), `xsi:type="`+v+`"`); n != want {
			t.Errorf("%s sent %d times, want %d", v, n, want)
		}
	}
}

// dialSOAP logs in to srv's SOAP endpoint over HTTPS.
func dialSOAP(t *testing.T, srv *ocisim.Server, log *wireLog, learned *broadworks.Learned) *broadworks.Client {
	t.Helper()
	ts := httptest.NewTLSServer(srv.SOAPHandler())
	t.Cleanup(ts.Close)
	c, err := broadworks.Dial(context.Background(), ts.URL, &broadworks.Options{
		Transport: broadworks.TransportSOAP, HTTPClient: ts.Client(), DebugWriter: log, Learned: learned, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Login(context.Background(), ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatalf("login: %v", err)
	}
	return c
}

// Over SOAP, a server may refuse a document naming a type it does not
// know with a SOAP Fault (Options.SOAPFaults) instead of [Error 6004]:
// the client takes it as the same refusal. The document was not executed,
// so its other commands go again as they were and the refused one once in
// the next older version; the server's release and what was learned are
// those of the TCP case.
func TestClient_stepsDownOnSOAPFault(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Release: "24", Refuse: []string{"UserGetRequest22V8"}, SOAPFaults: true})
	learned := broadworks.NewLearned(nil, nil)
	log := &wireLog{}
	c := dialSOAP(t, srv, log, learned)
	ctx := context.Background()
	rs, err := c.Batch(ctx, hqUser("soap.fault"), &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
	if err != nil || rs[0].Err != nil || rs[1].Err != nil {
		t.Fatalf("batch: %v %+v", err, rs)
	}
	if u, ok := rs[1].Response.(*oci.UserGetResponse23V2); !ok || u.GroupID != "acme-branch" {
		t.Errorf("user read as %#v", rs[1].Response)
	}
	add := broadworks.CommandFor("24", "UserAddRequest22V2")
	if _, ok := srv.User("soap.fault@acme.example.com"); !ok || srv.AddCount(add) != 1 {
		t.Errorf("user added %d times (%s), want once", srv.AddCount(add), add)
	}
	if n := strings.Count(log.String(), `xsi:type="`+add+`"`); n != 2 {
		t.Errorf("%s sent %d times, want twice (refused with the document, then alone)", add, n)
	}
	if n := strings.Count(log.String(), `xsi:type="UserGetRequest22V8"`); n != 1 {
		t.Errorf("UserGetRequest22V8 sent %d times, want once", n)
	}
	if !strings.Contains(log.String(), "Cannot resolve") {
		t.Error("the server gave no SOAP Fault")
	}
	if got := learned.Map(); got["UserGetRequest23V2"] != "UserGetRequest22V7" {
		t.Errorf("learned %v", got)
	}
	if c.Release() != "24" {
		t.Errorf("release %q", c.Release())
	}

	// A command the server knows in no version: a clear error, the
	// others of its document done.
	var all []string
	for _, v := range oci.Versions("GroupExtensionLengthGetRequest22") {
		all = append(all, v.Name)
	}
	srv2 := ocisimtest.Start(t, &ocisim.Options{Release: "22", Refuse: all, SOAPFaults: true})
	c2 := dialSOAP(t, srv2, &wireLog{}, nil)
	rs, err = c2.Batch(ctx, &oci.GroupExtensionLengthGetRequest22{ServiceProviderID: "acme-ent", GroupID: "acme-hq"},
		&oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
	var uce *broadworks.UnknownCommandError
	if err != nil || !errors.As(rs[0].Err, &uce) || uce.Release != "22" || !strings.Contains(rs[0].Err.Error(), "R22") || rs[1].Err != nil {
		t.Fatalf("batch: %v; %v; %v", err, rs[0].Err, rs[1].Err)
	}
}

// An R21 server over SOAP refuses LoginRequest22V5 with a SOAP Fault: the
// client logs in with the nonce flow, as after [Error 6004].
func TestClient_SOAPFaultLogin(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Release: "21", SOAPFaults: true})
	log := &wireLog{}
	c := dialSOAP(t, srv, log, nil)
	if info := c.Info(); info.Command != "LoginRequest14sp4" || info.Release != "21" {
		t.Errorf("info %+v", info)
	}
	if !log.sent(t, "LoginRequest22V5") {
		t.Error("LoginRequest22V5 was not tried")
	}
}

// The same against `bwbulk sim --soap ADDR --soap-faults --release 24
// --refuse UserGetRequest22V8`, as an operator runs it.
func TestClient_stepsDownOnSOAPFault_simFlags(t *testing.T) {
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	tcp, soap := free(), free()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ocisim.RunCLI(ctx, []string{"--listen", tcp, "--soap", soap, "--soap-faults", "--release", "24",
			"--refuse", "UserGetRequest22V8", "--quiet"}, io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", soap)
		if err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	log := &wireLog{}
	learned := broadworks.NewLearned(nil, nil)
	c, err := broadworks.Dial(ctx, "http://"+soap, &broadworks.Options{
		Transport: broadworks.TransportSOAP, DebugWriter: log, Learned: learned, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	u, err := broadworks.Do[*oci.UserGetResponse23V2](ctx, c, &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"})
	if err != nil || u.GroupID != "acme-branch" {
		t.Fatalf("user read as %+v, %v", u, err)
	}
	if !strings.Contains(log.String(), "SOAP Fault") || learned.Map()["UserGetRequest23V2"] != "UserGetRequest22V7" {
		t.Errorf("learned %v\n%s", learned.Map(), log.String())
	}
}
