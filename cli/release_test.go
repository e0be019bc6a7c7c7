package cli_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/ocinames"
)

// releaseHas tells the requests a release has from facts that are not
// ours (ocinames.ReleaseHas).
func releaseHas(t *testing.T, rel string) (func(string) bool, string) {
	t.Helper()
	r, _ := oci.ParseRelease(rel)
	has, by, err := ocinames.ReleaseHas(r)
	if err != nil {
		t.Fatal(err)
	}
	return has, by
}

// The help desk's whole loop from the command line against a server of
// each release: validate (with the check against the server), submit
// --wait, task --export, undo --wait; 20 users with a device, a number and
// a service each. Every command the server receives is one that release
// has; against a server patched below its release (it refuses the read-back
// and the device-type list the table gives it) bwbulk steps down, once per
// command, and finishes. It prints, per release, the commands sent.
func TestCLI_releasesSendOnlyWhatTheServerHas(t *testing.T) {
	if testing.Short() {
		t.Skip("7 loops against the simulator")
	}
	type run struct {
		rel    string
		refuse []string
	}
	var runs []run
	for _, rel := range []string{"20.0", "21.0", "22.0", "23.0", "24.0", "25.0"} {
		runs = append(runs, run{rel: rel})
	}
	runs = append(runs, run{rel: "24.0", refuse: []string{
		mustVersion(t, "24.0", "UserGetRequest23V2"),
		mustVersion(t, "24.0", "SystemDeviceTypeGetAvailableListRequest22V2"),
	}})
	for _, rn := range runs {
		name := "R" + rn.rel
		if len(rn.refuse) > 0 {
			name += "-patched-below"
		}
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			e := newEnv(t, &ocisim.Options{Release: rn.rel, Refuse: rn.refuse, OmitErrorCode: true,
				Intercept: func(cmd string, n int) *ocisim.Fault {
					mu.Lock()
					seen[cmd]++
					mu.Unlock()
					return nil
				}})
			recs := [][]string{{"userId", "firstName", "lastName", "phoneNumber", "deviceType", "deviceName", "macAddress", "Services"}}
			for i := 1; i <= 20; i++ {
				recs = append(recs, []string{fmt.Sprintf("rel.%03d@acme.example.com", i), "Rel", fmt.Sprintf("User%03d", i),
					fmt.Sprint(2025550300 + i), "Polycom VVX 450", fmt.Sprintf("rel-phone-%03d", i),
					fmt.Sprintf("0004F2AB%04X", i), "Voicemail"})
			}
			f := e.file("users.csv", recs)
			steps := [][]string{
				{"validate", f, "--group", "acme-ent/acme-hq"},
				{"submit", f, "--group", "acme-ent/acme-hq", "--wait"},
				{"task", "1", "--export", filepath.Join(e.dir, "task1.xlsx")},
				{"undo", "1", "--yes", "acme-hq", "--wait"},
			}
			for _, args := range steps {
				if r := e.run("", args...); r.code != 0 {
					t.Fatalf("bwbulk %s: %v", strings.Join(args, " "), r)
				}
			}
			for i := 1; i <= 20; i++ {
				if _, ok := e.srv.User(fmt.Sprintf("rel.%03d@acme.example.com", i)); ok {
					t.Errorf("user %d still on the server after the undo", i)
				}
			}
			has, by := releaseHas(t, rn.rel)
			mu.Lock()
			defer mu.Unlock()
			var sent []string
			for cmd, n := range seen {
				sent = append(sent, fmt.Sprintf("%s %d", cmd, n))
				refused := false
				for _, r := range rn.refuse {
					refused = refused || r == cmd
				}
				switch {
				case refused && n > sessions*broadworks.MaxCommands:
					// One document's worth per session in flight when the
					// first refusal came (a check reads 15 users at once),
					// then the older version, in every later process too:
					// the profile keeps what the server taught.
					t.Errorf("%s, refused as unknown, was sent %d times (once per session in flight, then the older version)", cmd, n)
				case !refused && !has(cmd):
					t.Errorf("R%s received %s, which %s does not have", rn.rel, cmd, by)
				}
			}
			for _, r := range rn.refuse {
				if seen[r] == 0 {
					t.Errorf("%s was never tried", r)
				}
			}
			if len(rn.refuse) > 0 {
				// The profile keeps what the server taught, and says so.
				r := e.run("", "profile", "list")
				for _, want := range []string{"sim: commands learned", "UserGetRequest22V7 for UserGetRequest23V2"} {
					if !strings.Contains(r.stdout, want) {
						t.Errorf("profile list lacks %q:\n%s", want, r.stdout)
					}
				}
			}
			if adds := e.srv.AddCount(mustVersion(t, rn.rel, "UserAddRequest22V2")); adds != 20 {
				t.Errorf("user adds accepted: %d, want 20", adds)
			}
			sort.Strings(sent)
			fmt.Printf("cli: %s: commands received (checked against %s): %s\n", name, by, strings.Join(sent, ", "))
		})
	}
}

// sessions is how many sessions a runner opens to a server (the jobs
// package's default).
const sessions = 4

func mustVersion(t *testing.T, rel, cmd string) string {
	v, ok := oci.VersionFor(rel, cmd)
	if !ok {
		t.Fatalf("R%s has no %s", rel, cmd)
	}
	return v
}
