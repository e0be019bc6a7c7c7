package cli_test

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
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

// simLog is a simulator's log, written from its connections.
type simLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *simLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// unknownRefusal is a simulator log line of a command refused as unknown:
// "[Error 6004]" over TCP, a SOAP Fault with --soap-faults.
var unknownRefusal = regexp.MustCompile(`(?m) (\w+): (?:\[Error 6004\]|SOAP fault, not a known command)`)

// refusals counts, per command, the answers refusing it as unknown: each
// is a step-down the client took.
func (l *simLog) refusals() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, m := range unknownRefusal.FindAllStringSubmatch(l.b.String(), -1) {
		out[m[1]]++
	}
	return out
}

// newSOAPEnv is newEnv with the profile "sim" speaking OCI-P over SOAP to
// the simulator's SOAP endpoint (plain HTTP).
func newSOAPEnv(t *testing.T, opts *ocisim.Options) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), srv: ocisimtest.Start(t, opts)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.ServeSOAP(ln)
	url := "http://" + ln.Addr().String() + ocisim.SOAPPath
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--transport", "soap", "--address", url, "--admin", ocisim.DefaultAdmin)
	if r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	return e
}

// The help desk's whole loop from the command line against a server of
// each release: validate (with the check against the server), submit
// --wait, task --export, undo --wait; 20 users with a device, a number and
// a service each. Every command the server receives is one that release
// has, and none is refused as unknown; against a server patched below its
// release (it refuses the read-back and the device-type list the table
// gives it), over TCP with [Error 6004] and over SOAP with a SOAP Fault,
// bwbulk steps down, once per command and session, and finishes. With -v
// it prints, per release, the commands sent and the step-downs taken.
func TestCLI_releasesSendOnlyWhatTheServerHas(t *testing.T) {
	if testing.Short() {
		t.Skip("7 loops against the simulator")
	}
	type run struct {
		rel    string
		refuse []string
		soap   bool
	}
	var runs []run
	for _, rel := range []string{"20.0", "21.0", "22.0", "23.0", "24.0", "25.0"} {
		// As the release has it, and patched below it: the read-back and
		// the device-type list the table gives the release refused.
		patched := []string{
			mustVersion(t, rel, "UserGetRequest23V2"),
			mustVersion(t, rel, "SystemDeviceTypeGetAvailableListRequest22V2"),
		}
		runs = append(runs, run{rel: rel}, run{rel: rel, refuse: patched})
		if rel == "24.0" {
			runs = append(runs, run{rel: rel, refuse: patched, soap: true})
		}
	}
	for _, rn := range runs {
		name := "R" + rn.rel
		if len(rn.refuse) > 0 {
			name += "-patched-below"
		}
		if rn.soap {
			name += "-soap"
		}
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			log := &simLog{}
			opts := &ocisim.Options{Release: rn.rel, Refuse: rn.refuse, OmitErrorCode: true, SOAPFaults: rn.soap, Log: log,
				Intercept: func(cmd string, n int) *ocisim.Fault {
					mu.Lock()
					seen[cmd]++
					mu.Unlock()
					return nil
				}}
			var e *env
			if rn.soap {
				e = newSOAPEnv(t, opts)
			} else {
				e = newEnv(t, opts)
			}
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
			refusals := log.refusals()
			mu.Lock()
			defer mu.Unlock()
			if rn.soap {
				// A document refused with a SOAP Fault never reaches the
				// commands (nor Intercept): count its unknown command here.
				for cmd, n := range refusals {
					seen[cmd] += n
				}
			}
			var sent []string
			total := 0
			for cmd, n := range seen {
				sent = append(sent, fmt.Sprintf("%s %d", cmd, n))
				total += n
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
			var stepDowns []string
			for cmd, n := range refusals {
				stepDowns = append(stepDowns, fmt.Sprintf("%s %d", cmd, n))
				refused := false
				for _, r := range rn.refuse {
					refused = refused || r == cmd
				}
				if !refused {
					t.Errorf("%s refused as unknown %d times: the server has it", cmd, n)
				}
			}
			for _, r := range rn.refuse {
				if refusals[r] == 0 {
					t.Errorf("%s was never refused: no step-down taken", r)
				}
			}
			sort.Strings(stepDowns)
			learned := "none"
			if len(rn.refuse) > 0 {
				// The profile keeps what the server taught, and says so.
				r := e.run("", "profile", "list")
				_, l, ok := strings.Cut(r.stdout, "sim: commands learned from the server (it refused newer versions): ")
				if !ok {
					t.Fatalf("profile list names no commands learned:\n%s", r.stdout)
				}
				learned, _, _ = strings.Cut(l, "\n")
				// Each family refused learned a version the server then
				// took: one it received, that the release has, not refused.
				for _, family := range []string{"UserGetRequest23V2", "SystemDeviceTypeGetAvailableListRequest22V2"} {
					v := ""
					for _, pair := range strings.Split(learned, ", ") {
						if a, b, ok := strings.Cut(pair, " for "); ok && b == family {
							v = a
						}
					}
					if v == "" || seen[v] == 0 || refusals[v] > 0 || !has(v) {
						t.Errorf("learned %q for %s (received %d times, refused %d): %s", v, family, seen[v], refusals[v], learned)
					}
				}
			}
			if adds := e.srv.AddCount(mustVersion(t, rn.rel, "UserAddRequest22V2")); adds != 20 {
				t.Errorf("user adds accepted: %d, want 20", adds)
			}
			sort.Strings(sent)
			if len(stepDowns) == 0 {
				stepDowns = []string{"none"}
			}
			t.Logf("%s: %d commands received in %d versions (checked against %s): %s", name, total, len(sent), by, strings.Join(sent, ", "))
			t.Logf("%s: step-downs taken (refusals as unknown): %s; learned: %s", name, strings.Join(stepDowns, ", "), learned)
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
