package broadworks_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks"
	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
	"bwbulk/internal/golden"
)

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
	golden.Check(t, filepath.Join("testdata", "debuglog", "login_batch.golden"), []byte(got))
}
