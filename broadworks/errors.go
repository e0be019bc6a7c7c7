package broadworks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"bwbulk/broadworks/oci"
)

// Sentinel errors. Compare with errors.Is: the client wraps them with
// context (the command name, the cause).
var (
	// ErrNotLoggedIn is returned by Do and Batch before a successful Login.
	// The request never left the client.
	ErrNotLoggedIn = errors.New("broadworks: not logged in")
	// ErrClosed is returned by every call after Close.
	ErrClosed = errors.New("broadworks: client closed")
	// ErrOutcomeUnknown marks a request whose document was sent but whose
	// answer never came (connection lost, timeout, cancellation after the
	// send, malformed answer). The server may or may not have executed it;
	// the client never re-sends such a request by itself. Look the object
	// up before trying again.
	ErrOutcomeUnknown = errors.New("broadworks: outcome unknown: the request was sent but no answer came")
	// ErrSessionLost is returned when the connection of a client made with
	// New breaks: such a client cannot redial. Clients made with Dial redial
	// and log in again by themselves.
	ErrSessionLost = errors.New("broadworks: session lost")
)

// ProtocolError reports a document the client could not use: malformed
// XML, an unknown command type, a response of the wrong shape or count, an
// oversized document. Err is the cause, if any.
type ProtocolError struct {
	// Op is what the client was doing: "read", "decode", "login", ...
	Op string
	// Msg describes the problem.
	Msg string
	// Err is the underlying error, if any.
	Err error
}

func (e *ProtocolError) Error() string {
	var b strings.Builder
	b.WriteString("broadworks: protocol error")
	if e.Op != "" {
		b.WriteString(" (" + e.Op + ")")
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	// A cause may quote a document; never let a secret through.
	return MaskSecrets(b.String())
}

// Unwrap returns the cause.
func (e *ProtocolError) Unwrap() error { return e.Err }

// DialError reports a failure to reach the server (TCP connect, TLS
// handshake or certificate check, HTTP endpoint). Nothing was sent.
type DialError struct {
	// Addr is the address or URL dialled.
	Addr string
	// Err is the net, tls or x509 error.
	Err error
}

func (e *DialError) Error() string { return "broadworks: dial " + e.Addr + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *DialError) Unwrap() error { return e.Err }

// WrongProtocolError reports a server that answered the first document
// in another protocol than OCI-P: a web server (HTTP, often the XSP's
// port, where OCI-P goes over SOAP), or a TLS server spoken to in plain
// TCP. Trying again cannot fix it: the address or transport is wrong.
type WrongProtocolError struct {
	// Protocol is what the server spoke: "HTTP" or "TLS".
	Protocol string
	// TLS is whether the document went over TLS.
	TLS bool
}

func (e *WrongProtocolError) Error() string {
	switch e.Protocol {
	case "HTTP":
		return "broadworks: the server answered in HTTP, not OCI-P: this port is a web server's. OCI-P usually listens on port " +
			DefaultTCPPort + " (TCP) or " + DefaultTLSPort + " (TLS); for OCI-P over SOAP on a web server, choose the SOAP transport"
	case "TLS":
		return "broadworks: the server answered in TLS to a plain TCP connection: choose the TLS transport (OCI-P over TLS usually listens on port " +
			DefaultTLSPort + ")"
	}
	return "broadworks: the server does not speak OCI-P (it answered in " + e.Protocol + ")"
}

// unsentError marks an error that happened before any byte of the request
// document left the client.
type unsentError struct{ err error }

func (e *unsentError) Error() string { return e.err.Error() }
func (e *unsentError) Unwrap() error { return e.err }

// outcomeError marks a request that was sent and whose answer was lost.
type outcomeError struct {
	command string
	err     error
}

func (e *outcomeError) Error() string {
	return fmt.Sprintf("broadworks: %s: outcome unknown: %v", e.command, e.err)
}
func (e *outcomeError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// unsent wraps err as "never left the client" unless it already says so.
func unsent(err error) error {
	var u *unsentError
	if err == nil || errors.As(err, &u) {
		return err
	}
	return &unsentError{err}
}

// IsErrorCode reports whether err is (or wraps) an *oci.ErrorResponse
// of type Error whose code is one of codes; with no codes, whether it is
// any ErrorResponse. Warnings (partial success) never match.
func IsErrorCode(err error, codes ...int) bool {
	var er *oci.ErrorResponse
	if !errors.As(err, &er) || er.Type == oci.TypeWarning || er.Type == oci.TypeInfo {
		return false
	}
	if len(codes) == 0 {
		return true
	}
	code := er.Number()
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// SafeToRetry reports whether err proves that the request never left the
// client (dial failure, not logged in, closed client, failure before the
// document was written), so that sending it again cannot execute it twice.
// It is false for server refusals and for ErrOutcomeUnknown.
func SafeToRetry(err error) bool {
	if err == nil {
		return false
	}
	var u *unsentError
	if errors.As(err, &u) {
		return true
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return false
	}
	if ioe := (*ioError)(nil); errors.As(err, &ioe) && ioe.sent {
		return false // closed or lost after the document left
	}
	var de *DialError
	return errors.As(err, &de) || errors.Is(err, ErrNotLoggedIn) || errors.Is(err, ErrClosed)
}

// OutcomeUnknown reports whether err says the request was sent but its
// answer was lost: the server may have executed it.
func OutcomeUnknown(err error) bool {
	var u *unsentError
	if errors.As(err, &u) {
		return false
	}
	return errors.Is(err, ErrOutcomeUnknown)
}

// temporaryCodes are server refusals that mean "try again later" (the
// codes the project's simulator, ocisim, uses for them).
var temporaryCodes = map[int]bool{
	5200: true, // try again later
	5201: true, // login service temporarily unavailable
}

// sessionCodes are refusals that mean the server does not know the
// session: the command was not executed, so it may be sent again after a
// new login.
var sessionCodes = map[int]bool{
	5401: true, // not logged in / session id mismatch
}

// isSessionError reports whether er refuses the whole document because
// the session is unknown to the server.
func isSessionError(er *oci.ErrorResponse) bool {
	if er == nil || er.Type != oci.TypeError {
		return false
	}
	code := er.Number()
	if sessionCodes[code] {
		return true
	}
	s := strings.ToLower(er.SummaryEnglish + " " + er.Summary)
	return strings.Contains(s, "not logged in") || strings.Contains(s, "session is not valid") ||
		strings.Contains(s, "invalid session")
}

// Temporary reports whether err is a condition that may clear by itself:
// the server could not be reached, timed out, dropped the connection, or
// answered with a "try again later" ErrorResponse. It says nothing about
// whether a retry is safe: check SafeToRetry and OutcomeUnknown for that.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var er *oci.ErrorResponse
	if errors.As(err, &er) {
		if er.Type != oci.TypeError {
			return false
		}
		code := er.Number()
		if temporaryCodes[code] {
			return true
		}
		s := strings.ToLower(er.SummaryEnglish + " " + er.Summary)
		return strings.Contains(s, "try again") || strings.Contains(s, "temporar") ||
			strings.Contains(s, "busy") || strings.Contains(s, "no_ocs_connection")
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrClosed) || errors.Is(err, ErrNotLoggedIn) {
		return false
	}
	var de *DialError
	if errors.As(err, &de) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrSessionLost) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return false
	}
	return errors.Is(err, ErrOutcomeUnknown)
}

// loginRefusedCodes are login refusals that the same credentials will
// always get: an invalid user id or password ([Error 4962]).
var loginRefusedCodes = []int{4962}

// NeedsAttention reports whether err is one that trying again cannot fix
// and a person must: the server's certificate is not trusted, the login
// is refused (a wrong password, a locked account), or the server refuses
// this computer ("Server refused to register protocol": its access list
// does not allow the address). Tasks stop waiting on such an error.
func NeedsAttention(err error) bool {
	var ce *CertificateError
	if errors.As(err, &ce) {
		return true
	}
	var wp *WrongProtocolError
	if errors.As(err, &wp) {
		return true
	}
	if IsErrorCode(err, loginRefusedCodes...) {
		return true
	}
	var er *oci.ErrorResponse
	return errors.As(err, &er) && strings.Contains(strings.ToLower(er.Summary), "refused to register protocol")
}
