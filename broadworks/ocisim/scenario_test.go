package ocisim_test

import (
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

func TestServer_SetScenario_unknown(t *testing.T) {
	s := ocisim.NewDemo(nil)
	if err := s.SetScenario("earthquake"); err == nil || !strings.Contains(err.Error(), "licences") {
		t.Fatalf("err = %v, want the scenarios named", err)
	}
	if err := s.SetScenario(" Slow "); err != nil || s.Scenario() != "slow" {
		t.Fatalf("SetScenario(Slow) = %v, scenario %q", err, s.Scenario())
	}
	if err := s.SetScenario(""); err != nil || s.Scenario() != "" {
		t.Fatalf("SetScenario(\"\") = %v, scenario %q", err, s.Scenario())
	}
}

func TestScenario_licences(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Scenario: "licences"})
	c := adminClient(t, s)
	for i, id := range []string{"l1", "l2", "l3", "l4"} {
		uid := id + "@acme.example.com"
		wantOK(t, c.send(userAdd("acme-ent", "acme-hq", uid, ""))[0])
		r := c.send(cmd("UserServiceAssignListRequest", el("userId", uid)+el("serviceName", "Call Waiting")))[0]
		if i < 2 {
			wantOK(t, r)
		} else {
			wantCode(t, r, 4411, "no licences left")
		}
	}
	// Choosing the scenario again starts its counts again.
	if err := s.SetScenario("licences"); err != nil {
		t.Fatal(err)
	}
	wantOK(t, c.send(cmd("UserServiceAssignListRequest", el("userId", "l3@acme.example.com")+el("serviceName", "Call Waiting")))[0])
}

func TestScenario_takenID(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Scenario: "taken-id"})
	c := adminClient(t, s)
	wantOK(t, c.send(userAdd("acme-ent", "acme-hq", "t1@acme.example.com", ""))[0])
	wantCode(t, c.send(userAdd("acme-ent", "acme-hq", "t2@acme.example.com", ""))[0], 4200, "t2@acme.example.com")
	// The id really is someone else's now: a read shows their names, and
	// the add is refused again.
	u, ok := s.User("t2@acme.example.com")
	if !ok || u.FirstName != "Someone" || u.LastName != "Else" {
		t.Fatalf("t2 = %+v, %v; want a user of someone else", u, ok)
	}
	wantCode(t, c.send(userAdd("acme-ent", "acme-hq", "t2@acme.example.com", ""))[0], 4200, "")
	wantOK(t, c.send(userAdd("acme-ent", "acme-hq", "t2b@acme.example.com", ""))[0])
}

func TestScenario_flaky(t *testing.T) {
	s := startDemo(t, &ocisim.Options{Scenario: "flaky"})
	c := adminClient(t, s)
	get := cmd("GroupGetRequest22V5", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq"))
	wantOK(t, c.send(get)[0])
	wantOK(t, c.send(get)[0])
	// The third command is executed, then its answer is lost.
	if _, err := c.sendRaw(document(c.sid, userAdd("acme-ent", "acme-hq", "f3@acme.example.com", ""))); err == nil {
		t.Fatal("third command answered")
	}
	if _, ok := s.User("f3@acme.example.com"); !ok {
		t.Fatal("the lost answer's command was not executed")
	}
	c = adminClient(t, s) // logins are not counted
	wantOK(t, c.send(get)[0])
	wantOK(t, c.send(get)[0])
	wantCode(t, c.send(get)[0], 5200, "try again")
	wantOK(t, c.send(get)[0])
}

func TestScenario_slow(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	if err := s.SetScenario("slow"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	wantOK(t, c.send(cmd("GroupGetRequest22V5", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")))[0])
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("answered in %v, want at least 250ms", d)
	}
}

func TestRunCLI_scenarioUnknown(t *testing.T) {
	var out, errb strings.Builder
	err := ocisim.RunCLI(t.Context(), []string{"--scenario", "earthquake", "--listen", "127.0.0.1:0"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--scenario") || !strings.Contains(err.Error(), "taken-id") {
		t.Fatalf("err = %v, want --scenario refused naming the scenarios", err)
	}
}
