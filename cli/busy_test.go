package cli_test

import (
	"fmt"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// TestCLI_ReadsRetryABusyServer: with a server that refuses a quarter of
// the commands "[Error 5200] System busy, try again later", every
// validate and submit --wait finishes: the reads before the task is
// stored (the group, password rules, available numbers, the check) are
// sent again with the runner's backoff, and say so while they wait.
func TestCLI_ReadsRetryABusyServer(t *testing.T) {
	e := newEnv(t, nil)
	busy := ocisimtest.Start(t, &ocisim.Options{TransientRate: 0.25, Seed: 7})
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "busy", "--address", busy.Addr().String(), "--admin", "admin", "--no-check")
	if r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	retries := 0
	const runs = 2
	for i := 1; i <= runs; i++ {
		file := e.file(fmt.Sprintf("busy%d.csv", i), users(fmt.Sprintf("busy%d", i), 5))
		r := e.run("", "validate", file, "--profile", "busy", "--group", "acme-ent/acme-hq")
		if r.code != 0 {
			t.Fatalf("validate %d: %v", i, r)
		}
		r = e.run("", "submit", file, "--profile", "busy", "--group", "acme-ent/acme-hq", "--wait")
		if r.code != 0 {
			t.Fatalf("submit %d: %v", i, r)
		}
		for _, line := range strings.Split(r.stderr, "\n") {
			if strings.Contains(line, "the server is busy ([Error 5200] System busy, try again later): reading") {
				retries++
			}
		}
	}
	if retries == 0 {
		t.Error("no read was sent again, or none said so: the test needs the server busy during the reads")
	}
	for i := 1; i <= runs; i++ {
		for k := 1; k <= 5; k++ {
			id := fmt.Sprintf("busy%d.%03d@acme.example.com", i, k)
			if _, ok := busy.User(id); !ok {
				t.Errorf("user %s missing", id)
			}
		}
	}
	if got := busy.AddCount("UserAddRequest22V2"); got != runs*5 {
		t.Errorf("%d user adds applied, want %d", got, runs*5)
	}
	fmt.Printf("cli: 25%% of commands refused as busy: %d validate and %d submit --wait of 5 users each all finished; %d reads sent again, saying so\n", runs, runs, retries)
}
