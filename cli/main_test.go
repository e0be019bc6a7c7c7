package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin is the bwbulk binary the tests run, built once by TestMain.
var bin string

// TestMain builds bwbulk once and runs the tests inside a private D-Bus
// session with an unlocked gnome-keyring (scripts/keyring-test.sh): the
// commands keep passwords and the data key in the OS keyring only, so
// they need a real one. Without dbus-run-session or gnome-keyring-daemon
// the tests are skipped, saying so.
func TestMain(m *testing.M) {
	if os.Getenv("BWBULK_CLI_TEST_KEYRING") == "" {
		for _, tool := range []string{"dbus-run-session", "gnome-keyring-daemon"} {
			if _, err := exec.LookPath(tool); err != nil {
				fmt.Printf("cli tests skipped: %s not found (make deps installs it)\n", tool)
				os.Exit(0)
			}
		}
		cmd := exec.Command("../scripts/keyring-test.sh", os.Args...)
		cmd.Env = append(os.Environ(), "BWBULK_CLI_TEST_KEYRING=1")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		if err != nil {
			fmt.Println("cli tests: cannot start the keyring session:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "bwbulk-cli-test")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "bwbulk")
	build := exec.Command("go", "build", "-o", bin, "..")
	var out bytes.Buffer
	build.Stdout, build.Stderr = &out, &out
	if err := build.Run(); err != nil {
		fmt.Printf("go build: %v\n%s", err, out.Bytes())
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
