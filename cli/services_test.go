package cli_test

import (
	"strings"
	"testing"
)

// validate refuses, row by row, what the group's licences cannot cover;
// plan lists the licences the task uses.
func TestCLI_services(t *testing.T) {
	e := newEnv(t, nil)
	recs := users("svc", 4)
	recs[0] = append(recs[0], "Services")
	for i := 1; i < len(recs); i++ {
		recs[i] = append(recs[i], "Voicemail|Basic")
	}
	f := e.file("services.csv", recs)
	// acme-branch: 10 of 12 voicemail licences are used.
	r := e.run("", "validate", f, "--group", "acme-ent/acme-branch")
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], ":4:") || !strings.Contains(lines[1], ":5:") ||
		!strings.Contains(r.stdout, "Voice Messaging User: 0 of 12 left (10 used before this task)") {
		t.Fatalf("validate:\n%s", r.stdout)
	}
	r = e.run("", "plan", f, "--group", "acme-ent/acme-hq")
	if r.code != 0 {
		t.Fatalf("plan: %v", r)
	}
	for _, want := range []string{"Assign service pack Basic to 4 users (unlimited)", "Assign Voice Messaging User to 4 users (246 of 250 left after)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.stdout)
		}
	}
}
