package broadworks

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"time"
)

// Transports accepted in Options.Transport.
const (
	// TransportTCP is plain OCI-P over TCP, port 2208 by default.
	TransportTCP = "tcp"
	// TransportTLS is OCI-P over TLS, port 2209 by default.
	TransportTLS = "tls"
	// TransportSOAP is OCI-P carried in SOAP over HTTP(S)
	// (processOCIMessage), normally to
	// https://host/webservice/services/ProvisioningService.
	TransportSOAP = "soap"
)

// Default values used when the Options field is zero.
const (
	DefaultTimeout         = 30 * time.Second
	DefaultMaxDocumentSize = 32 << 20
	DefaultTCPPort         = "2208"
	DefaultTLSPort         = "2209"
	// SOAPPath is the usual path of the provisioning web service.
	SOAPPath = "/webservice/services/ProvisioningService"
)

// Options configure a Client. A nil *Options is the zero value, which
// means plain TCP, certificate verification on, 30 s per request, no
// debug log.
type Options struct {
	// Transport is TransportTCP (the default, ""), TransportTLS or
	// TransportSOAP. New ignores it: it uses the conn it is given.
	Transport string

	// TLSConfig is the base TLS configuration for TransportTLS and for
	// https SOAP URLs; it is cloned, never modified. Default: a config
	// with ServerName taken from the address and the system roots.
	TLSConfig *tls.Config
	// RootCAs, when set, replaces the roots that verify the server's
	// certificate.
	RootCAs *x509.CertPool
	// InsecureSkipVerify turns certificate verification off. Only for
	// laboratories: the password then travels to whoever answers.
	InsecureSkipVerify bool
	// PinSHA256 is the hex SHA-256 of the server's leaf certificate (DER;
	// colons and case ignored). When set, the certificate must match it and
	// chain verification is skipped, so a self-signed server can be
	// trusted by its fingerprint alone.
	PinSHA256 string

	// Timeout bounds each document round trip (and the dial). Default
	// DefaultTimeout (30 s). The caller's context may shorten it.
	Timeout time.Duration
	// MaxDocumentSize bounds a response document. Default
	// DefaultMaxDocumentSize (32 MiB).
	MaxDocumentSize int

	// DebugWriter, when set, receives every document sent and received,
	// with password and passcode values replaced by "***".
	DebugWriter io.Writer

	// Release, when set (for example "22" or "21sp1"), is used as the
	// server release instead of asking the server with
	// SystemSoftwareVersionGetRequest after login.
	Release string

	// KnownRelease is the release to assume when the server will not say
	// (SystemSoftwareVersionGetRequest is for system administrators): the
	// one a profile cached from an earlier login. Default "" (the newest,
	// R25).
	KnownRelease string

	// Learned is what this server's refusals taught, shared by the
	// clients of one server and kept with its profile (NewLearned). Default:
	// the client's own, empty.
	Learned *Learned

	// HTTPClient is used by TransportSOAP. Default: a client built from
	// the TLS fields above. Its Jar, if any, is replaced per session.
	HTTPClient *http.Client
}

// withDefaults returns a copy of o with every zero field defaulted.
func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	if r.Transport == "" {
		r.Transport = TransportTCP
	}
	if r.Timeout <= 0 {
		r.Timeout = DefaultTimeout
	}
	if r.MaxDocumentSize <= 0 {
		r.MaxDocumentSize = DefaultMaxDocumentSize
	}
	return r
}
