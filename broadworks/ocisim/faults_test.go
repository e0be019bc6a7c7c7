package ocisim_test

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

func verify(c *rawClient) (rawCmd, error) {
	d, err := c.sendRaw(document(c.sid, cmd("VerifySessionIsValidRequest", "")))
	if err != nil {
		return rawCmd{}, err
	}
	return d.Commands[0], nil
}

func TestFaults_dropEvery(t *testing.T) {
	s := startDemo(t, &ocisim.Options{DropEvery: 3})
	c := adminClient(t, s)               // document 1
	if _, err := verify(c); err != nil { // document 2
		t.Fatal(err)
	}
	// Document 3 is executed, then the connection drops: outcome unknown.
	_, err := c.sendRaw(document(c.sid, userAdd("acme-ent", "acme-hq", "drop@acme.example.com", "")))
	if err == nil {
		t.Fatal("document 3 answered")
	}
	if _, ok := s.User("drop@acme.example.com"); !ok {
		t.Fatal("a dropped document's commands are executed first")
	}
	c2 := adminClient(t, s)               // document 4
	if _, err := verify(c2); err != nil { // 5
		t.Fatal(err)
	}
	if _, err := verify(c2); err == nil { // 6 dropped
		t.Fatal("document 6 answered")
	}
	if s.Documents() != 6 {
		t.Fatalf("documents %d", s.Documents())
	}
}

// outcomes runs n documents (re-dialling after drops) and returns a string
// with one letter per document: o ok, d dropped, t transient error.
func outcomes(t *testing.T, opts *ocisim.Options, n int) string {
	s := startDemo(t, opts)
	var b strings.Builder
	var c *rawClient
	for i := 0; i < n; i++ {
		if c == nil {
			c = dialRaw(t, s.Addr().String())
			d, err := c.sendRaw(document(c.sid, cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))))
			if err != nil {
				b.WriteByte('d')
				c = nil
				continue
			}
			if !d.Commands[0].ok() {
				t.Fatal(d.Commands[0].Summary)
			}
			b.WriteByte('o')
			continue
		}
		r, err := verify(c)
		switch {
		case err != nil:
			b.WriteByte('d')
			c = nil
		case r.ok():
			b.WriteByte('o')
		case r.ErrorCode == 5200:
			b.WriteByte('t')
		default:
			t.Fatalf("unexpected %s", r.Summary)
		}
	}
	return b.String()
}

func TestFaults_randomDeterministicUnderSeed(t *testing.T) {
	opts := func(seed int64) *ocisim.Options {
		return &ocisim.Options{Seed: seed, DropRate: 0.1, TransientRate: 0.2}
	}
	a := outcomes(t, opts(42), 200)
	b := outcomes(t, opts(42), 200)
	c := outcomes(t, opts(7), 200)
	if a != b {
		t.Fatalf("same seed, different faults:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatal("different seeds, same faults")
	}
	drops, trans := strings.Count(a, "d"), strings.Count(a, "t")
	if drops < 5 || drops > 40 || trans < 15 || trans > 70 {
		t.Fatalf("drops %d transients %d out of 200: %s", drops, trans, a)
	}
}

func TestFaults_transientIsNotExecuted(t *testing.T) {
	s := startDemo(t, &ocisim.Options{TransientRate: 1})
	c := adminClient(t, s)
	r := c.send(userAdd("acme-ent", "acme-hq", "tr@acme.example.com", ""))[0]
	wantCode(t, r, 5200, "try again later")
	if _, ok := s.User("tr@acme.example.com"); ok {
		t.Fatal("transient refusal executed the command")
	}
	if ocisim.TransientCodes[0] != 5200 {
		t.Fatal("5200 is transient")
	}
}

func TestFaults_latency(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Latency: 60 * time.Millisecond})
	c := adminClient(t, s)
	start := time.Now()
	verify(c)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("answered after %s", d)
	}
}

func TestFaults_login(t *testing.T) {
	s := startDemo(t, &ocisim.Options{LoginDelay: 50 * time.Millisecond})
	start := time.Now()
	adminClient(t, s)
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("login not delayed")
	}
	f := startDemo(t, &ocisim.Options{LoginFail: true})
	c := dialRaw(t, f.Addr().String())
	wantCode(t, c.login22("admin", "welcome1"), 5201, "try again later")
	wantCode(t, c.one("AuthenticationRequest", el("userId", "admin")), 5201, "")
}

func TestFaults_idleTimeout(t *testing.T) {
	s := startDemo(t, &ocisim.Options{IdleTimeout: 100 * time.Millisecond})
	c := adminClient(t, s)
	if _, err := verify(c); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.r.ReadByte(); !errors.Is(err, io.EOF) {
		t.Fatalf("idle connection: %v, want EOF", err)
	}
}

func TestFaults_stallAfter(t *testing.T) {
	s := startDemo(t, &ocisim.Options{StallAfter: 1})
	c := adminClient(t, s) // document 1 answered
	c.conn.SetDeadline(time.Now().Add(300 * time.Millisecond))
	io.WriteString(c.conn, document(c.sid, cmd("VerifySessionIsValidRequest", "")))
	got, err := io.ReadAll(c.r)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read: %v, want a timeout", err)
	}
	if len(got) == 0 || strings.Contains(string(got), "</BroadsoftDocument>") {
		t.Fatalf("want half a response, got %q", got)
	}
}

func TestFaults_intercept(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Intercept: func(command string, n int) *ocisim.Fault {
		switch {
		case command == "UserGetRequest23V2" && n == 1:
			return &ocisim.Fault{Code: 4008, Message: "User not found: scripted"}
		case command == "UserAddRequest22V2" && n == 2:
			return &ocisim.Fault{Drop: true}
		case command == "GroupGetRequest22V5":
			return &ocisim.Fault{Delay: 30 * time.Millisecond}
		}
		return nil
	}})
	c := adminClient(t, s)
	get := cmd("UserGetRequest23V2", el("userId", "branch.user01@acme.example.com"))
	wantCode(t, c.send(get)[0], 4008, "scripted")
	wantOK(t, c.send(get)[0])
	start := time.Now()
	wantOK(t, c.send(cmd("GroupGetRequest22V5", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")))[0])
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("no delay")
	}
	wantOK(t, c.send(userAdd("acme-ent", "acme-hq", "i1@acme.example.com", ""))[0])
	// The second add overall (first of this document) is not executed and
	// the connection drops; the document's other command still runs.
	_, err := c.sendRaw(document(c.sid, userAdd("acme-ent", "acme-hq", "i2@acme.example.com", ""), userAdd("acme-ent", "acme-hq", "i3@acme.example.com", "")))
	if err == nil {
		t.Fatal("answered")
	}
	if _, ok := s.User("i2@acme.example.com"); ok {
		t.Fatal("dropped command executed")
	}
	if _, ok := s.User("i3@acme.example.com"); !ok {
		t.Fatal("other command of the document not executed")
	}
}
