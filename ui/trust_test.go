package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/jobs"
)

// TestConnections_TrustUntrustedCertificate: a TLS server with a
// self-signed certificate is refused with its fingerprint and issuer in
// plain words; "Trust this certificate" pins it for the profile and the
// test then connects. A server that later shows another certificate is
// refused, saying it changed.
func TestConnections_TrustUntrustedCertificate(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	tlsSrv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	v := h.u.connections
	host, port := splitHostPort(tlsSrv.Addr().String())
	v.edit(jobs.Profile{Name: "Lab AS", Transport: "tls", AdminUser: ocisim.DefaultAdmin})
	v.host.SetText(host)
	v.port.SetText(port)
	v.password.SetText(ocisim.DefaultPassword)
	v.test()
	for _, want := range []string{"not trusted", "SHA-256 fingerprint: ", "Issued to:", "Compare the fingerprint"} {
		if !strings.Contains(v.result.Text, want) {
			t.Errorf("refusal does not say %q: %q", want, v.result.Text)
		}
	}
	if strings.Contains(v.result.Text, "x509:") {
		t.Errorf("raw crypto error shown: %q", v.result.Text)
	}
	if !v.trust.Visible() || v.offered == "" {
		t.Fatal("no offer to trust the certificate")
	}
	fp := v.offered
	test.Tap(v.trust)
	if !strings.HasPrefix(v.result.Text, "Connected") {
		t.Fatalf("after trusting: %q", v.result.Text)
	}
	ps, _ := h.store.Profiles(context.Background())
	var saved jobs.Profile
	for _, p := range ps {
		if p.Name == "Lab AS" {
			saved = p
		}
	}
	if saved.CAPin != fp || saved.Insecure {
		t.Fatalf("saved profile %+v, want the pin %s", saved, fp)
	}
	if !v.pinned.Visible() || !strings.Contains(v.pinned.Text, fp) {
		t.Errorf("pinned label = %q", v.pinned.Text)
	}

	// The same address now shows another certificate.
	other := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	oh, op := splitHostPort(other.Addr().String())
	v.host.SetText(oh)
	v.port.SetText(op)
	v.test()
	if !strings.Contains(v.result.Text, "another certificate than the one trusted") {
		t.Errorf("changed certificate: %q", v.result.Text)
	}
}

// TestExplainConnError_PlainTCPToTLSPort: plain TCP to a TLS port says to
// choose TLS instead of a bare "unexpected EOF".
func TestExplainConnError_PlainTCPToTLSPort(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{TLS: true})
	p := jobs.Profile{Address: srv.Addr().String(), Transport: "tcp", AdminUser: ocisim.DefaultAdmin}
	_, err := desk.TestConnection(context.Background(), p, ocisim.DefaultPassword)
	if err == nil {
		t.Fatal("plain TCP to a TLS port connected")
	}
	if msg := ExplainConnError(p, err); !strings.Contains(msg, "choose the tls transport") {
		t.Errorf("message = %q", msg)
	}
}
