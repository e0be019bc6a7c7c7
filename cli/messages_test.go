package cli_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// TestCLI_ConnectionMessages: what the command line says when the address
// is not an OCI-P server's, or its TLS certificate is not trusted, tells
// what happened and what to type next.
func TestCLI_ConnectionMessages(t *testing.T) {
	e := newEnv(t, nil)

	// A web server where OCI-P was expected (an XSP's address, say).
	web := httptest.NewServer(http.NotFoundHandler())
	defer web.Close()
	r := e.run(ocisim.DefaultPassword+"\n", "profile", "add", "web", "--address", web.Listener.Addr().String(), "--admin", "admin")
	if r.code != 2 {
		t.Fatalf("a web server: %v", r)
	}
	for _, want := range []string{"answered in HTTP, not OCI-P", "2208 (TCP)", "2209 (TLS)", "SOAP transport"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("a web server: does not say %q: %v", want, r)
		}
	}
	if strings.Contains(r.stderr, "EOF") {
		t.Errorf("a web server: a Go error: %v", r)
	}

	// A TLS server with a self-signed certificate: the refusal gives the
	// fingerprint and the --ca-pin that trusts it, which then works.
	tlsSrv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	addr := tlsSrv.Addr().String()
	r = e.run(ocisim.DefaultPassword+"\n", "profile", "add", "secure", "--address", addr, "--admin", "admin", "--transport", "tls")
	m := regexp.MustCompile(`add --ca-pin ([0-9A-F:]{95}) to this command`).FindStringSubmatch(r.stderr)
	if r.code != 2 || m == nil || !strings.Contains(r.stderr, "not trusted") {
		t.Fatalf("an untrusted certificate: %v", r)
	}
	r = e.run(ocisim.DefaultPassword+"\n", "profile", "add", "secure", "--address", addr, "--admin", "admin", "--transport", "tls", "--ca-pin", m[1])
	if r.code != 0 {
		t.Fatalf("with the --ca-pin it gave: %v", r)
	}

	// A profile whose pin no longer matches (the server's certificate
	// changed): validate says so and how to pin the new one.
	other := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	r = e.run(ocisim.DefaultPassword+"\n", "profile", "add", "moved", "--address", other.Addr().String(), "--admin", "admin",
		"--transport", "tls", "--ca-pin", m[1], "--no-check")
	if r.code != 0 {
		t.Fatalf("profile add --no-check: %v", r)
	}
	file := e.file("hires.csv", users("pin", 2))
	r = e.run("", "validate", file, "--profile", "moved", "--group", "acme-ent/acme-hq")
	if r.code != 2 || !strings.Contains(r.stderr, "has changed") ||
		!regexp.MustCompile(`bwbulk profile add moved --replace --ca-pin [0-9A-F:]{95}`).MatchString(r.stderr) {
		t.Errorf("a changed certificate: %v", r)
	}

	// The program itself given as the file of users: one line says it is
	// not a CSV or XLSX file.
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	binFile := filepath.Join(e.dir, "users.csv")
	if err := os.WriteFile(binFile, exe[:1<<20], 0o600); err != nil {
		t.Fatal(err)
	}
	r = e.run("", "validate", binFile, "--profile", "sim", "--group", "acme-ent/acme-hq")
	out := strings.TrimSpace(r.stdout + r.stderr)
	if r.code != 1 || strings.Count(out, "not a CSV or XLSX file") != 1 || !strings.Contains(r.stderr, "0 users, 1 problem") {
		t.Errorf("a program as the file: %v", r)
	}
}
