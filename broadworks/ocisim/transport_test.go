package ocisim_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

func TestTLS_selfSigned(t *testing.T) {
	s := ocisim.NewDemo(&ocisim.Options{TLS: true})
	startOn(t, s)
	pool, err := s.CertPool()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.Dial("tcp", s.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := newRaw(t, conn)
	r := c.login22(ocisim.DefaultAdmin, ocisim.DefaultPassword)
	wantOK(t, r)
	wantOK(t, c.one("VerifySessionIsValidRequest", ""))
}

func soapEnvelope(doc string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(doc))
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
		`<soapenv:Body><ns1:processOCIMessage xmlns:ns1="urn:com:broadsoft:webservice"><ns1:in0>` + b.String() +
		`</ns1:in0></ns1:processOCIMessage></soapenv:Body></soapenv:Envelope>`
}

type soapResponse struct {
	Body struct {
		Resp struct {
			Return string `xml:"urn:com:broadsoft:webservice processOCIMessageReturn"`
		} `xml:"urn:com:broadsoft:webservice processOCIMessageResponse"`
		Fault *struct {
			String string `xml:"faultstring"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

func TestSOAP_sessionByCookie(t *testing.T) {
	s := ocisim.NewDemo(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.ServeSOAP(ln)
	t.Cleanup(func() { s.Close() })
	url := "http://" + ln.Addr().String() + ocisim.SOAPPath
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	call := func(hc *http.Client, cmds ...string) rawCmd {
		t.Helper()
		resp, err := hc.Post(url, "text/xml; charset=utf-8", strings.NewReader(soapEnvelope(document("soap-1", cmds...))))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env soapResponse
		if err := xml.NewDecoder(resp.Body).Decode(&env); err != nil {
			t.Fatal(err)
		}
		if env.Body.Fault != nil {
			t.Fatalf("fault %s", env.Body.Fault.String)
		}
		ret := env.Body.Resp.Return
		if !strings.HasPrefix(ret, `<?xml version="1.0" encoding="ISO-8859-1"?>`) {
			t.Fatalf("return %q", ret)
		}
		// The returned document is text; re-encode it as declared.
		var b []byte
		for _, r := range ret {
			b = append(b, byte(r))
		}
		return decodeResponse(t, b).Commands[0]
	}
	wantOK(t, call(hc, cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))))
	wantOK(t, call(hc, userAdd("acme-ent", "acme-hq", "soap@acme.example.com", "")))
	if _, ok := s.User("soap@acme.example.com"); !ok {
		t.Fatal("SOAP add had no effect")
	}
	// Without the cookie, the same OCI sessionId is not logged in.
	wantCode(t, call(&http.Client{Timeout: 5 * time.Second}, cmd("VerifySessionIsValidRequest", "")), 5401, "")

	resp, err := hc.Post(url, "text/xml", strings.NewReader("<nope/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("bad envelope status %d", resp.StatusCode)
	}
}

// TestStateFile_confirmedSurvivesCrash: a change is on disk before it is
// confirmed. The files are copied while the server runs, as a crash of the
// process would leave them, and a new server started from the copy has
// every confirmed change; a record cut short by the crash is ignored.
func TestStateFile_confirmedSurvivesCrash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
	startOn(t, s)
	c := adminClient(t, s)
	wantOK(t, c.send(deviceAdd("acme-hq", "crash-phone", "Generic SIP Phone", ""))[0])
	for i := range 20 {
		uid := fmt.Sprintf("crash%02d@acme.example.com", i)
		wantOK(t, c.send(userAdd("acme-ent", "acme-hq", uid, el("password", "Kept#2026")))[0])
	}
	crashed := filepath.Join(t.TempDir(), "state.json")
	copyFile(t, path, crashed)
	copyFile(t, path+".log", crashed+".log")
	// A crash in the middle of writing the next record.
	f, err := os.OpenFile(crashed+".log", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"admin":"admin","cmd":{"Name":"comm`)
	f.Close()

	s2 := ocisim.New(&ocisim.Options{StateFile: crashed})
	for i := range 20 {
		uid := fmt.Sprintf("crash%02d@acme.example.com", i)
		if _, ok := s2.User(uid); !ok {
			t.Fatalf("confirmed user %s lost in the crash", uid)
		}
	}
	if _, ok := s2.Device("acme-ent", "acme-hq", "crash-phone"); !ok {
		t.Fatal("confirmed device lost in the crash")
	}
	if n := s2.AddCount("UserAddRequest22V2"); n != 20 {
		t.Fatalf("add count after replay = %d, want 20", n)
	}
	s2.Close()
	// Started again from what s2 left: the same state, nothing replayed twice.
	s3 := ocisim.New(&ocisim.Options{StateFile: crashed})
	defer s3.Close()
	if n := s3.AddCount("UserAddRequest22V2"); n != 20 {
		t.Fatalf("add count after a second start = %d, want 20", n)
	}
}

// TestStateFile_journalFolds: a long run of changes folds the journal into
// the snapshot (the journal stays small) and nothing is lost or doubled.
func TestStateFile_journalFolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
	s.SetUserLimit("acme-ent", "acme-hq", 5000)
	startOn(t, s)
	c := adminClient(t, s)
	st, _ := os.Stat(path)
	snap := st.Size()
	var largest int64
	for i := range 1500 {
		uid := fmt.Sprintf("fold%04d@acme.example.com", i)
		wantOK(t, c.send(userAdd("acme-ent", "acme-hq", uid, el("password", "Kept#2026")))[0])
		if st, err := os.Stat(path + ".log"); err == nil && st.Size() > largest {
			largest = st.Size()
		}
	}
	st, _ = os.Stat(path + ".log")
	if st.Size() >= largest {
		t.Fatalf("journal never folded: %d bytes (snapshot was %d)", st.Size(), snap)
	}
	crashed := filepath.Join(t.TempDir(), "state.json")
	copyFile(t, path, crashed)
	copyFile(t, path+".log", crashed+".log")
	s2 := ocisim.New(&ocisim.Options{StateFile: crashed})
	defer s2.Close()
	if n := s2.AddCount("UserAddRequest22V2"); n != 1500 {
		t.Fatalf("add count after folds and a crash = %d, want 1500", n)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestStateFile_roundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
	startOn(t, s)
	c := adminClient(t, s)
	wantOK(t, c.send(deviceAdd("acme-hq", "keep-phone", "Generic SIP Phone", ""))[0])
	wantOK(t, c.send(userAdd("acme-ent", "acme-hq", "keep@acme.example.com", el("phoneNumber", "2025550300")+el("password", "Kept#2026")+endpoint("keep-phone", "keep@acme.example.com")))[0])
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A new server (even New, with no dataset) starts from the file.
	s2 := ocisim.New(&ocisim.Options{StateFile: path})
	startOn(t, s2)
	u, ok := s2.User("keep@acme.example.com")
	if !ok || u.PhoneNumber != "2025550300" || u.DeviceName != "keep-phone" {
		t.Fatalf("restored user %+v %v", u, ok)
	}
	if _, ok := s2.User("branch.user20@acme.example.com"); !ok {
		t.Fatal("demo data lost")
	}
	if s2.AddCount("UserAddRequest22V2") != 1 {
		t.Fatal("add count lost")
	}
	// The user logs in with the password set before the restart.
	c2 := dialRaw(t, s2.Addr().String())
	wantOK(t, c2.login22("keep@acme.example.com", "Kept#2026"))
}

func TestConcurrency_manySessions(t *testing.T) {
	s := startDemo(t, nil)
	const sessions, perSession = 16, 12
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	for i := 0; i < sessions; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", s.Addr().String(), 5*time.Second)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			r := bufio.NewReader(conn)
			sid := fmt.Sprintf("c%d", i)
			round := func(cmds ...string) error {
				conn.SetDeadline(time.Now().Add(20 * time.Second))
				if _, err := io.WriteString(conn, document(sid, cmds...)); err != nil {
					return err
				}
				for range 2 {
					if _, err := r.ReadString('\n'); err != nil {
						return err
					}
				}
				return nil
			}
			if err := round(cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))); err != nil {
				errs <- err
				return
			}
			var cmds []string
			for j := 0; j < perSession; j++ {
				cmds = append(cmds, userAdd("acme-ent", "acme-hq", fmt.Sprintf("c%d-%d@acme.example.com", i, j), el("phoneNumber", fmt.Sprint(2025550100+i*perSession+j))))
			}
			if err := round(cmds...); err != nil {
				errs <- err
			}
			// Every session also tries to take the same number: one wins.
			if err := round(userAdd("acme-ent", "acme-hq", fmt.Sprintf("race%d@acme.example.com", i), el("phoneNumber", "2025550399"))); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	users := s.UsersInGroup("acme-ent", "acme-hq")
	if len(users) != sessions*perSession+1 {
		t.Fatalf("%d users, want %d", len(users), sessions*perSession+1)
	}
	seen := map[string]string{}
	for _, u := range users {
		if o, dup := seen[u.PhoneNumber]; dup {
			t.Fatalf("number %s held by %s and %s", u.PhoneNumber, o, u.UserID)
		}
		seen[u.PhoneNumber] = u.UserID
	}
}

func TestRunCLI(t *testing.T) {
	var help strings.Builder
	err := ocisim.RunCLI(context.Background(), []string{"--help"}, io.Discard, &help)
	if err == nil || !strings.Contains(help.String(), "127.0.0.1:2208") || !strings.Contains(help.String(), `(default "admin")`) ||
		!strings.Contains(help.String(), `(default "welcome1")`) || !strings.Contains(help.String(), "--dataset") && !strings.Contains(help.String(), "-dataset") {
		t.Fatalf("help (%v):\n%s", err, help.String())
	}
	for _, bad := range [][]string{{"--dataset", "huge"}, {"--drop-rate", "2"}, {"--cert", "x"}, {"extra"}} {
		if err := ocisim.RunCLI(context.Background(), bad, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}

	// Pick a free port, run the command, talk to it, stop it.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	state := filepath.Join(t.TempDir(), "sim.json")
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- ocisim.RunCLI(ctx, []string{"--listen", addr, "--user", "boss", "--password", "Boss#1234", "--state", state, "--latency", "1ms"}, out, io.Discard)
	}()
	var conn net.Conn
	var err2 error
	for i := 0; i < 100; i++ {
		if conn, err2 = net.Dial("tcp", addr); err2 == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err2 != nil {
		t.Fatal(err2)
	}
	c := newRaw(t, conn)
	wantOK(t, c.login22("boss", "Boss#1234"))
	wantOK(t, c.send(userAdd("acme-ent", "acme-hq", "cli@acme.example.com", ""))[0])
	conn.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "OCI-P simulator on tcp://"+addr) || strings.Contains(out.String(), "Boss#1234") {
		t.Fatalf("output:\n%s", out.String())
	}
	s := ocisim.New(&ocisim.Options{StateFile: state})
	if _, ok := s.User("cli@acme.example.com"); !ok {
		t.Fatal("state not saved")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
