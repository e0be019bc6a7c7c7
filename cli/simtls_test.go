package cli_test

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

var fingerprint = regexp.MustCompile(`TLS certificate SHA-256 ([0-9a-f]{64})`)

// startSim runs `bwbulk sim --tls` with args and returns its certificate's
// fingerprint, as it prints it; the simulator is stopped with Ctrl-C (as a
// person stops it) by the returned function.
func startSim(t *testing.T, env []string, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, bin, append([]string{"sim", "--tls", "--quiet"}, args...)...)
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		cancel()
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := fingerprint.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return m[1], stop
		}
	}
	stop()
	t.Fatalf("bwbulk sim %s printed no certificate fingerprint", strings.Join(args, " "))
	return "", nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// `bwbulk sim --tls` keeps the certificate it generates (beside --state,
// or in the data folder without it) and serves the same one after a
// restart: a profile that pinned it still logs in.
func TestCLI_SimTLS_keepsItsCertificate(t *testing.T) {
	e := &env{t: t, dir: t.TempDir()}
	addr := freeAddr(t)
	state := filepath.Join(e.dir, "training.json")
	env := append(os.Environ(), "LANG=C.UTF-8")
	fp, stop := startSim(t, env, "--listen", addr, "--state", state)
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "lab", "--address", addr, "--admin", ocisim.DefaultAdmin,
		"--transport", "tls", "--ca-pin", fp)
	stop()
	if r.code != 0 {
		t.Fatalf("profile add pinned to %s: %v", fp, r)
	}
	if fi, err := os.Stat(state + ".tls.pem"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("certificate kept beside the state: %v %v", fi, err)
	}
	fp2, stop := startSim(t, env, "--listen", addr, "--state", state)
	if fp2 != fp {
		stop()
		t.Fatalf("certificate after the restart %s, before %s", fp2, fp)
	}
	f := e.file("users.csv", users("tls", 2))
	if r := e.run("", "validate", f, "--group", "acme-ent/acme-hq"); r.code != 0 || strings.Contains(r.stderr, "demo server") {
		stop()
		t.Fatalf("validate on the restarted simulator with the pinned profile: %v", r)
	}
	stop()

	// Without --state: in bwbulk's data folder.
	config := filepath.Join(e.dir, "config")
	env = append(env, "XDG_CONFIG_HOME="+config)
	fp3, stop3 := startSim(t, env, "--listen", addr)
	stop3()
	fp4, stop4 := startSim(t, env, "--listen", addr)
	stop4()
	if fp3 != fp4 {
		t.Fatalf("without --state: certificate %s, then %s after a restart", fp3, fp4)
	}
	if _, err := os.Stat(filepath.Join(config, "bwbulk", "sim-tls.pem")); err != nil {
		t.Fatal(err)
	}
}
