package broadworks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"bwbulk/broadworks/internal/ociwire"
)

// transport carries one OCI-P session's documents: a stream (TCP, TLS) or
// SOAP over HTTP. It is used by one goroutine at a time (Client.mu), except
// close, which may be called at any time.
type transport interface {
	// roundTrip sends one request document and returns the response
	// document. Errors are *ioError.
	roundTrip(ctx context.Context, doc []byte) ([]byte, error)
	// secure reports whether the channel is encrypted (TLS or https),
	// which allows the plain-password login.
	secure() bool
	close() error
}

// ioError is a transport failure; sent tells whether any byte of the
// request document may have reached the server.
type ioError struct {
	op   string // "write", "read", "post", "probe"
	sent bool
	err  error
}

func (e *ioError) Error() string {
	var wp *WrongProtocolError
	if errors.As(e.err, &wp) {
		return wp.Error() // says it all: no answer was lost
	}
	return "broadworks: " + e.op + ": " + e.err.Error()
}
func (e *ioError) Unwrap() error { return e.err }

// streamTransport is OCI-P over a TCP or TLS connection.
type streamTransport struct {
	conn   net.Conn
	r      *ociwire.Reader
	head   *headReader // the first bytes the server sent
	log    *debugLog
	tls    bool
	rounds int        // documents answered on this connection
	mu     sync.Mutex // guards closed
	closed bool
}

func newStreamTransport(conn net.Conn, maxDoc int, log *debugLog) *streamTransport {
	_, isTLS := conn.(*tls.Conn)
	head := &headReader{r: conn}
	return &streamTransport{conn: conn, r: ociwire.NewReader(head, maxDoc), head: head, log: log, tls: isTLS}
}

// headReader keeps the first bytes read through it: what a server that
// does not speak OCI-P answered, to say which protocol it speaks.
type headReader struct {
	r    io.Reader
	head []byte
}

const headSize = 16

func (h *headReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if k := min(n, headSize-len(h.head)); k > 0 {
		h.head = append(h.head, p[:k]...)
	}
	return n, err
}

// wrongProtocol names the protocol of a server whose first bytes are not
// an XML document: "HTTP" for a web server, "TLS" for a TLS server spoken
// to in plain TCP; "" when they may be OCI-P.
func wrongProtocol(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("HTTP/")):
		return "HTTP"
	case len(head) >= 2 && (head[0] == 0x15 || head[0] == 0x16) && head[1] == 0x03:
		return "TLS" // an alert or a handshake record
	}
	return ""
}

func (t *streamTransport) secure() bool { return t.tls }

func (t *streamTransport) close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.closed = true
	return t.conn.Close()
}

// probe checks that the server has not closed the connection while it was
// idle (an idle timeout, a forced logout). It runs before each send so that
// a dead session is replaced before the request leaves, not after.
func (t *streamTransport) probe() error { return peerClosed(t.conn, t.rounds > 0) }

func (t *streamTransport) roundTrip(ctx context.Context, doc []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, &ioError{op: "write", err: err}
	}
	if err := t.probe(); err != nil {
		return nil, &ioError{op: "probe", err: err}
	}
	// Cancellation and the timeout (both are ctx) move the deadline into
	// the past, which interrupts a blocked Read or Write at once; ctx.Err()
	// is then set, so the error can wrap it.
	stop := context.AfterFunc(ctx, func() { t.conn.SetDeadline(time.Now()) })
	defer func() {
		if stop() {
			t.conn.SetDeadline(time.Time{})
		}
	}()
	t.log.log("C:", doc)
	n, err := t.conn.Write(doc)
	if err != nil {
		return nil, &ioError{op: "write", sent: n > 0, err: ctxErr(ctx, err)}
	}
	resp, err := t.r.Next()
	if err != nil {
		if errors.Is(err, ociwire.ErrTooLarge) {
			return nil, &ioError{op: "read", sent: true, err: &ProtocolError{Op: "read", Err: err}}
		}
		if proto := wrongProtocol(t.head.head); proto != "" && t.rounds == 0 {
			// Not an answer that was lost: a server of another protocol.
			return nil, &ioError{op: "read", sent: true, err: &WrongProtocolError{Protocol: proto, TLS: t.tls}}
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, &ioError{op: "read", sent: true, err: ctxErr(ctx, err)}
	}
	t.rounds++
	t.log.log("S:", resp)
	return resp, nil
}

// ctxErr returns an error wrapping both ctx.Err() and err when the context
// ended (so that errors.Is(err, context.Canceled) works), else err.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w (%w)", cerr, err)
	}
	return err
}

// soapTransport is OCI-P in SOAP over HTTP(S). The session is the OCI
// sessionId plus the JSESSIONID cookie, kept in a per-session jar.
type soapTransport struct {
	url    string
	client *http.Client
	log    *debugLog
	maxDoc int
}

func newSOAPTransport(url string, base *http.Client, maxDoc int, log *debugLog) (*soapTransport, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := *base
	c.Jar = jar
	return &soapTransport{url: url, client: &c, log: log, maxDoc: maxDoc}, nil
}

func (t *soapTransport) secure() bool { return strings.HasPrefix(strings.ToLower(t.url), "https:") }

func (t *soapTransport) close() error {
	t.client.CloseIdleConnections()
	return nil
}

func (t *soapTransport) roundTrip(ctx context.Context, doc []byte) ([]byte, error) {
	var (
		mu    sync.Mutex
		wrote bool
	)
	trace := &httptrace.ClientTrace{
		// Once the connection exists, bytes of the request may leave.
		GotConn: func(httptrace.GotConnInfo) { mu.Lock(); wrote = true; mu.Unlock() },
	}
	sent := func() bool { mu.Lock(); defer mu.Unlock(); return wrote }
	body := ociwire.WrapSOAP(doc)
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return nil, &ioError{op: "post", err: err}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	t.log.log("C:", doc)
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, &ioError{op: "post", sent: sent(), err: ctxErr(ctx, err)}
	}
	defer resp.Body.Close()
	// Escaping inside the envelope makes the document at most six times
	// longer ("&quot;"), plus the envelope itself.
	const slack = 64 << 10
	limit := 6 * int64(t.maxDoc)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, limit+slack+1))
	if err != nil {
		return nil, &ioError{op: "read", sent: true, err: ctxErr(ctx, err)}
	}
	if int64(len(raw)) > limit+slack {
		return nil, &ioError{op: "read", sent: true, err: &ProtocolError{Op: "read", Msg: "SOAP response too large"}}
	}
	inner, err := ociwire.UnwrapSOAP(raw)
	if f := (*ociwire.SOAPFault)(nil); errors.As(err, &f) {
		t.log.note("S: SOAP Fault (HTTP %d) %s: %s", resp.StatusCode, f.Code, f.String)
	}
	if err != nil {
		msg := fmt.Sprintf("HTTP %d", resp.StatusCode)
		return nil, &ioError{op: "read", sent: true, err: &ProtocolError{Op: "soap", Msg: msg, Err: err}}
	}
	t.log.log("S:", inner)
	return inner, nil
}

// pinVerifier returns a VerifyConnection callback accepting only a leaf
// certificate whose SHA-256 matches pin (hex, colons and case ignored).
func pinVerifier(pin, host string) (func(tls.ConnectionState) error, error) {
	clean := strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(pin))
	want, err := hex.DecodeString(clean)
	if err != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("broadworks: PinSHA256 is not a hex SHA-256 (64 hex digits)")
	}
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("broadworks: server sent no certificate")
		}
		got := sha256.Sum256(cs.PeerCertificates[0].Raw)
		if !bytes.Equal(got[:], want) {
			e := certificateError(host, cs.PeerCertificates[0],
				"it is not the certificate trusted for this server before (it changed: make sure the change is expected before trusting it)")
			e.Changed = true
			return e
		}
		return nil
	}, nil
}

// tlsConfig builds the TLS configuration for host from the options.
func tlsConfig(o *Options, host string) (*tls.Config, error) {
	var cfg *tls.Config
	if o.TLSConfig != nil {
		cfg = o.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	if o.RootCAs != nil {
		cfg.RootCAs = o.RootCAs
	}
	if o.InsecureSkipVerify {
		cfg.InsecureSkipVerify = true
	}
	if !cfg.InsecureSkipVerify && o.PinSHA256 == "" && cfg.VerifyConnection == nil {
		// Verified here rather than by crypto/tls, so that a refusal
		// says what the certificate is (see CertificateError).
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = verifyChain(cfg.RootCAs, cfg.ServerName)
	}
	if o.PinSHA256 != "" {
		v, err := pinVerifier(o.PinSHA256, host)
		if err != nil {
			return nil, err
		}
		// The pin replaces chain verification (self-signed servers).
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = v
	}
	return cfg, nil
}
