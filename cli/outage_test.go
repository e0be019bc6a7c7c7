package cli_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/faultnet"
)

// TestCLI_SubmitWait_blackHole: the network between submit --wait and its
// server loses every packet for a while, part-way through the task. The
// command line says it waits for the server, since when and for how long
// in words (no Go error), resumes within seconds of the network coming
// back, and creates every user once.
func TestCLI_SubmitWait_blackHole(t *testing.T) {
	e := newEnv(t, &ocisim.Options{Latency: 40 * time.Millisecond})
	p, err := faultnet.Start(e.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "far", "--address", p.Addr(), "--admin", "admin")
	if r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	const n = 150
	file := e.file("far.csv", users("far", n))
	cmd := e.cmd("", "submit", file, "--profile", "far", "--group", "acme-ent/acme-hq", "--wait")
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); len(e.srv.UsersInGroup("acme-ent", "acme-hq")) < 30; {
		if time.Now().After(deadline) {
			t.Fatalf("no users created: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Packets lost for good: what was sent during the outage never
	// arrives, and no window checks the connection meanwhile.
	p.Set(faultnet.Lost)
	const outage = 12 * time.Second
	time.Sleep(outage)
	during := errb.String()
	before := len(e.srv.UsersInGroup("acme-ent", "acme-hq"))
	back := time.Now()
	p.Set(faultnet.Pass)
	var resumed time.Duration
	for len(e.srv.UsersInGroup("acme-ent", "acme-hq")) == before {
		if time.Since(back) > time.Minute {
			t.Fatalf("no progress a minute after the network came back: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	resumed = time.Since(back)
	err = cmd.Wait()
	if err != nil {
		t.Fatalf("submit --wait: %v\n%s", err, errb.String())
	}
	if !strings.Contains(during, "waiting for the server since ") || !strings.Contains(during, " s)") {
		t.Errorf("the command line did not say it waits for the server:\n%s", during)
	}
	for _, goErr := range []string{"context deadline", "i/o timeout", "broadworks:"} {
		if strings.Contains(errb.String(), goErr) {
			t.Errorf("a Go error shown: %s", errb.String())
		}
	}
	if resumed > 5*time.Second {
		t.Errorf("first user %v after the network came back, want within 5 s", resumed)
	}
	e.exactlyOnce("far", n)
	said := ""
	for _, line := range strings.Split(during, "\n") {
		if strings.Contains(line, "waiting for the server") {
			said = line // the last one
		}
	}
	fmt.Printf("cli: black hole of %v during submit --wait: it said %q; first user created %v after the network came back; %d users once each\n",
		outage, said, resumed.Round(10*time.Millisecond), n)
}

// syncBuffer is a bytes.Buffer a child process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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
