package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

// readmeBlock returns the lines of the first code block after heading in
// ../README.md.
func readmeBlock(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	s = s[i:]
	start := strings.Index(s, "\n```\n")
	if start < 0 {
		t.Fatalf("no code block under %q", heading)
	}
	s = s[start+5:]
	end := strings.Index(s, "\n```\n")
	if end < 0 {
		t.Fatalf("code block under %q not closed", heading)
	}
	var lines []string
	for _, l := range strings.Split(s[:end], "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestCLI_README_commandLineBlock runs the README's command-line block as
// written, line by line in a shell, in a fresh data folder (the default
// one: the user config folder, here a new one) with bwbulk on the PATH.
// Every line exits 0, and each command that needs a server says in one
// line that it works on the built-in demo server of the data folder.
func TestCLI_README_commandLineBlock(t *testing.T) {
	lines := readmeBlock(t, "## From the command line")
	home := t.TempDir()
	config := filepath.Join(home, "config")
	env := append(os.Environ(), "LANG=C.UTF-8", "XDG_CONFIG_HOME="+config,
		"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	notice := "on the built-in demo server (not a real BroadWorks); add yours with `bwbulk profile add`"
	for _, line := range lines {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "sh", "-c", line)
		cmd.Dir, cmd.Env = home, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("%s\n%v\n--- stdout ---\n%s--- stderr ---\n%s", line, err, out.String(), errb.String())
		}
		words := strings.Fields(line)
		needsServer := len(words) > 1 && words[0] == "bwbulk" && strings.Contains(" validate plan submit undo ", " "+words[1]+" ")
		if needsServer && strings.Count(errb.String(), notice) != 1 {
			t.Errorf("%s: the demo server is not announced once on stderr:\n%s", line, errb.String())
		}
		t.Logf("$ %s\n%s%s", line, out.String(), errb.String())
	}
	// The block ends with the undo of task 1, run by another process on
	// the demo state the submit left: the users are gone from it again.
	dir := filepath.Join(config, "bwbulk")
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: filepath.Join(dir, "demo-state.json")})
	defer srv.Close()
	if got := srv.AddCount("UserAddRequest22V2"); got != 2 {
		t.Errorf("the demo server's state holds %d user adds, want the 2 of hires.csv", got)
	}
	for _, id := range []string{"ann.lee@acme.example.com", "bo.chen@acme.example.com"} {
		if _, ok := srv.User(id); ok {
			t.Errorf("%s is still in the data folder's demo server state after the undo", id)
		}
	}
}
