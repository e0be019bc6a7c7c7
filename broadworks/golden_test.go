package broadworks_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks"
	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var (
	clockRE   = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d\.\d{3} `)
	sessionRE = regexp.MustCompile(`<sessionId xmlns="">[0-9a-f]{32}</sessionId>`)
	addrRE    = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// normalizeLog replaces what changes from run to run: times, session ids,
// ports.
func normalizeLog(s string) string {
	s = clockRE.ReplaceAllString(s, "hh:mm:ss.mmm ")
	s = sessionRE.ReplaceAllString(s, `<sessionId xmlns="">SESSION</sessionId>`)
	return addrRE.ReplaceAllString(s, "127.0.0.1:PORT")
}

// TestDebugWriter_golden records the masked wire log of a nonce login and
// a batch carrying passwords, and proves no secret reaches it.
func TestDebugWriter_golden(t *testing.T) {
	f := newFake(t, func(fc *fakeConn, doc *ociwire.Document) {
		out := make([]oci.Command, len(doc.Commands))
		for i := range out {
			out[i] = &oci.SuccessResponse{}
		}
		fc.reply(out...)
	})
	var log bytes.Buffer
	c := dialFake(t, f, &broadworks.Options{DebugWriter: &log})
	secrets := []string{"welcome1", "Jane#Secret1", "Old#Pass1", "New#Pass2", "4321", broadworks.SignPassword("1700000000000", "welcome1")}
	_, err := c.Batch(context.Background(),
		&oci.UserAddRequest22V2{
			ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: "jane@acme.example.com",
			LastName: "Doe", FirstName: "Jane", CallingLineIDLastName: "Doe", CallingLineIDFirstName: "Jane",
			Password: oci.String("Jane#Secret1"),
		},
		&oci.UserModifyRequest22{UserID: "jane@acme.example.com", OldPassword: oci.String("Old#Pass1"), NewPassword: oci.Set("New#Pass2")},
		&oci.UserAuthenticationModifyRequest{UserID: "jane@acme.example.com", UserName: oci.String("jane"), NewPassword: "4321"},
	)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	got := normalizeLog(log.String())
	for _, s := range secrets {
		if strings.Contains(got, s) {
			t.Errorf("debug log carries the secret %q", s)
		}
	}
	path := filepath.Join("testdata", "debuglog", "login_batch.golden")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("debug log differs from %s (run with -update after checking):\n%s", path, got)
	}
}
