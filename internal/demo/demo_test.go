package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// login dials addr and logs in as the demo's system administrator.
func login(t *testing.T, addr string) *broadworks.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := broadworks.Dial(ctx, addr, &broadworks.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c
}

func addDepartment(t *testing.T, c *broadworks.Client, name string) {
	t.Helper()
	_, err := c.Do(context.Background(), &oci.GroupDepartmentAddRequest{ServiceProviderID: "acme-ent", GroupID: "acme-hq", DepartmentName: name})
	if err != nil {
		t.Fatalf("add department %s: %v", name, err)
	}
}

// TestHost_oneServerPerDataFolder: a second host on the same folder runs
// no simulator of its own but reaches the first one's; when the first
// closes, the second's next connection runs the simulator from the state
// the first left, on the same address as before.
func TestHost_oneServerPerDataFolder(t *testing.T) {
	dir := t.TempDir()
	first, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if first.Server() == nil || second.Server() != nil {
		t.Fatalf("first runs %v, second runs %v: want the first only", first.Server(), second.Server())
	}
	if first.Addr() == second.Addr() {
		t.Fatalf("both hosts on %s", first.Addr())
	}

	c := login(t, second.Addr())
	addDepartment(t, c, "Through the second")
	c.Close()
	if !slices.Contains(first.Server().Departments("acme-ent", "acme-hq"), "Through the second") {
		t.Fatal("a change made through the second host is not on the first's server")
	}

	addr := second.Addr()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	c = login(t, addr)
	defer c.Close()
	sim := second.Server()
	if sim == nil {
		t.Fatal("the second host did not take the demo server over")
	}
	if !slices.Contains(sim.Departments("acme-ent", "acme-hq"), "Through the second") {
		t.Fatal("the server taken over lost what the first one confirmed")
	}
	addDepartment(t, c, "After the takeover")
	if second.Addr() != addr {
		t.Fatalf("address changed from %s to %s", addr, second.Addr())
	}

	// A third host now forwards to the second.
	third, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	c3 := login(t, third.Addr())
	defer c3.Close()
	addDepartment(t, c3, "Through the third")
	if !slices.Contains(sim.Departments("acme-ent", "acme-hq"), "Through the third") {
		t.Fatal("the third host does not reach the server the second took over")
	}
}

// TestHost_SetScenario: the process that runs the demo server plays the
// scenario; another one says it cannot.
func TestHost_SetScenario(t *testing.T) {
	dir := t.TempDir()
	first, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := Start(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if err := first.SetScenario("taken-id"); err != nil {
		t.Fatal(err)
	}
	if first.Server().Scenario() != "taken-id" || first.Scenario() != "taken-id" {
		t.Fatalf("scenario %q, want taken-id", first.Server().Scenario())
	}
	if err := first.SetScenario("earthquake"); err == nil || first.Scenario() != "taken-id" {
		t.Fatalf("unknown scenario: err %v, scenario %q", err, first.Scenario())
	}
	if err := second.SetScenario("slow"); err != ErrElsewhere {
		t.Fatalf("second: %v, want ErrElsewhere", err)
	}
}
