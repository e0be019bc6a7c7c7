package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// result is what one run of bwbulk printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout ---\n%s--- stderr ---\n%s", r.code, r.stdout, r.stderr)
}

// env is a data folder and a simulator, with a profile "sim" for it.
type env struct {
	t   *testing.T
	dir string
	srv *ocisim.Server
}

// newEnv starts a simulator with the demo dataset (opts may be nil) and
// saves a profile for it, its password given on stdin.
func newEnv(t *testing.T, opts *ocisim.Options) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), srv: ocisimtest.Start(t, opts)}
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--address", e.addr(), "--admin", ocisim.DefaultAdmin)
	if r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	return e
}

func (e *env) addr() string { return e.srv.Addr().String() }

// run runs bwbulk with args (the data folder added after the command
// words) and stdin, and waits for it.
func (e *env) run(stdin string, args ...string) result {
	e.t.Helper()
	cmd := e.cmd(stdin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("bwbulk %s: %v", strings.Join(args, " "), err)
	}
	return result{out.String(), errb.String(), code}
}

func (e *env) cmd(stdin string, args ...string) *exec.Cmd {
	n := 1
	if len(args) > 1 && (args[0] == "profile" || args[0] == "team") {
		n = 2
	}
	full := append(append(append([]string{}, args[:n]...), "--data-dir", e.dir), args[n:]...)
	if args[0] == "sim" {
		full = args
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	e.t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Stdin = strings.NewReader(stdin)
	// The locale that made Fyne complain; the tests' output is English.
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	return cmd
}

// file writes a CSV of users under the test's folder and returns its path.
func (e *env) file(name string, records [][]string) string {
	e.t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(records); err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// users returns a header and n valid rows with user ids prefix.NNN.
func users(prefix string, n int) [][]string {
	recs := [][]string{{"userId", "firstName", "lastName"}}
	for i := 1; i <= n; i++ {
		recs = append(recs, []string{fmt.Sprintf("%s.%03d@acme.example.com", prefix, i), "Test", fmt.Sprintf("User%03d", i)})
	}
	return recs
}

// scrub replaces the parts of output that change from run to run (the
// data folder, the simulator's port) with fixed words.
func (e *env) scrub(s string) string {
	s = strings.ReplaceAll(s, e.dir, "DIR")
	return strings.ReplaceAll(s, e.addr(), "SIM")
}

// exactlyOnce checks that every user of the file exists on the simulator
// and that the server accepted one add per user, no more.
func (e *env) exactlyOnce(prefix string, n int) {
	e.t.Helper()
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("%s.%03d@acme.example.com", prefix, i)
		if _, ok := e.srv.User(id); !ok {
			e.t.Errorf("user %s missing on the server", id)
		}
	}
	if got := e.srv.AddCount("UserAddRequest22V2"); got != n {
		e.t.Errorf("server accepted %d user adds for %d users", got, n)
	}
}
