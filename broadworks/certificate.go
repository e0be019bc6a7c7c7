package broadworks

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CertificateError is a TLS server certificate bwbulk does not trust: not
// signed by a trusted authority, for another name, expired, or not the
// one pinned for the profile. It carries what a person needs to decide
// whether to trust it: who it was issued to and by, and its fingerprint.
// It is never fixed by trying again.
type CertificateError struct {
	Host    string
	Subject string    // who it was issued to
	Issuer  string    // who signed it ("" = itself)
	SHA256  string    // fingerprint of the leaf certificate, AB:CD:…
	Expires time.Time // NotAfter
	// Reason says why it is refused, in plain words.
	Reason string
	// Changed: a certificate was trusted for this server (pinned) and the
	// server now shows another one.
	Changed bool
}

func (e *CertificateError) Error() string {
	issuer := e.Issuer
	if issuer == "" || issuer == e.Subject {
		issuer = "itself (self-signed)"
	}
	return fmt.Sprintf("broadworks: %s: the server's certificate is not trusted: %s. It is issued to %s by %s, "+
		"valid until %s, SHA-256 fingerprint %s", e.Host, e.Reason, e.Subject, issuer,
		e.Expires.Format("2006-01-02"), e.SHA256)
}

// Fingerprint formats a SHA-256 digest as colon-separated hex pairs.
func Fingerprint(sum [sha256.Size]byte) string {
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", c)
	}
	return b.String()
}

func certificateError(host string, leaf *x509.Certificate, reason string) *CertificateError {
	name := func(n string) string {
		if n == "" {
			return "an unnamed holder"
		}
		return n
	}
	e := &CertificateError{Host: host, Subject: name(leaf.Subject.String()), SHA256: Fingerprint(sha256.Sum256(leaf.Raw)),
		Expires: leaf.NotAfter, Reason: reason}
	if leaf.Issuer.String() != leaf.Subject.String() {
		e.Issuer = leaf.Issuer.String()
	}
	return e
}

// verifyChain returns a VerifyConnection callback that verifies the chain
// as crypto/tls would, but answers a refusal with a *CertificateError.
func verifyChain(roots *x509.CertPool, host string) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("broadworks: server sent no certificate")
		}
		leaf := cs.PeerCertificates[0]
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: host})
		if err == nil {
			return nil
		}
		reason := "it could not be verified"
		var ua x509.UnknownAuthorityError
		var hn x509.HostnameError
		var ci x509.CertificateInvalidError
		switch {
		case errors.As(err, &ua):
			reason = "it is not signed by an authority this computer trusts"
		case errors.As(err, &hn):
			reason = "it is for another name (" + strings.Join(append(leaf.DNSNames, ipStrings(leaf)...), ", ") + "), not " + host
		case errors.As(err, &ci) && ci.Reason == x509.Expired:
			reason = "it has expired or is not valid yet"
		}
		return certificateError(host, leaf, reason)
	}
}

func ipStrings(c *x509.Certificate) []string {
	var out []string
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}
