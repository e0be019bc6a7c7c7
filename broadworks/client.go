package broadworks

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bwbulk/broadworks/internal/ociwire"
	"bwbulk/broadworks/oci"
)

// MaxCommands is the most commands one OCI-P document may carry. Batch
// splits longer lists into several documents.
const MaxCommands = 15

// Doer sends OCI-P requests. *Client and *Pool implement it.
type Doer interface {
	Do(ctx context.Context, req oci.Request) (oci.Response, error)
	Batch(ctx context.Context, reqs ...oci.Request) ([]Result, error)
}

var (
	_ Doer = (*Client)(nil)
	_ Doer = (*Pool)(nil)
)

// Result is the outcome of one request of a Batch.
type Result struct {
	// Request is the request, as given.
	Request oci.Request
	// Response is the server's answer when one came: the typed response, a
	// *oci.SuccessResponse, or the *oci.ErrorResponse (Err is then set too,
	// except for a Warning, which is a partial success).
	Response oci.Response
	// Err is nil on success. Otherwise an *oci.ErrorResponse (the server
	// refused), or an error that the predicates SafeToRetry, OutcomeUnknown
	// and Temporary classify.
	Err error
}

// Client is one OCI-P session. It is safe for concurrent use; documents
// are sent one at a time (OCI-P has no pipelining). A Client made with
// Dial redials and logs in again when its session is lost; one made with
// New cannot and then fails with ErrSessionLost.
type Client struct {
	opts   Options
	log    *debugLog
	redial func(context.Context) (transport, error) // nil for New
	encode ociwire.EncodeOptions

	closed atomic.Bool
	// refused is set when a re-login was refused for good (wrong password,
	// disabled account): the client cannot recover by itself.
	refused atomic.Bool

	trMu sync.Mutex // guards tr (Close may run during a round trip)
	tr   transport  // nil when the connection is gone

	mu        sync.Mutex // one document in flight; guards what follows
	sessionID string
	creds     *credentials
	info      *LoginInfo
	noV5      bool // the server refused LoginRequest22V5: use the nonce flow
	// lastRelease is the release the last login learned: a re-login that
	// cannot ask (the server busy) keeps sending that release's versions.
	lastRelease string
	// ceiling is what the server's refusals told of a release it would
	// not say (an administrator not allowed to ask): it is older than the
	// versions it refused as unknown. Zero until then.
	ceiling oci.Release
	// learned is what this server's refusals taught (Options.Learned, or
	// the client's own); unknown holds the versions it refused.
	learned *Learned
	unknown map[string]bool
	// changed holds a copy of learned to hand to its onChange once mu is
	// released.
	changed map[string]string
}

// credentials are kept for transparent re-login only.
type credentials struct {
	userID, password string
}

// New returns a Client that speaks OCI-P over conn (plain TCP or a
// *tls.Conn). It does no I/O: call Login next. opts.Transport is ignored.
func New(conn net.Conn, opts *Options) *Client {
	c := newClient(opts)
	c.tr = newStreamTransport(conn, c.opts.MaxDocumentSize, c.log)
	return c
}

func newClient(opts *Options) *Client {
	o := opts.withDefaults()
	c := &Client{opts: o, log: newDebugLog(o.DebugWriter), learned: o.Learned, unknown: map[string]bool{}}
	if c.learned == nil {
		c.learned = NewLearned(nil, nil)
	}
	return c
}

// Dial connects to a BroadWorks server and returns a Client not yet logged
// in. addr is "host", "host:port" (TCP default port 2208, TLS 2209) or,
// for TransportSOAP, a URL ("https://xsp.example.net" gets the path
// SOAPPath). A failure is a *DialError. The dial is bounded by ctx and
// opts.Timeout.
func Dial(ctx context.Context, addr string, opts *Options) (*Client, error) {
	c := newClient(opts)
	var dial func(context.Context) (transport, error)
	switch c.opts.Transport {
	case TransportTCP, TransportTLS:
		hostport := addr
		if _, _, err := net.SplitHostPort(addr); err != nil {
			port := DefaultTCPPort
			if c.opts.Transport == TransportTLS {
				port = DefaultTLSPort
			}
			hostport = net.JoinHostPort(strings.Trim(addr, "[]"), port)
		}
		host, _, _ := net.SplitHostPort(hostport)
		var cfg *tls.Config
		if c.opts.Transport == TransportTLS {
			tc, err := tlsConfig(&c.opts, host)
			if err != nil {
				return nil, &DialError{Addr: hostport, Err: err}
			}
			cfg = tc
		}
		dial = func(ctx context.Context) (transport, error) {
			ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
			defer cancel()
			var (
				conn net.Conn
				err  error
			)
			if cfg != nil {
				d := &tls.Dialer{Config: cfg}
				conn, err = d.DialContext(ctx, "tcp", hostport)
			} else {
				var d net.Dialer
				conn, err = d.DialContext(ctx, "tcp", hostport)
			}
			if err != nil {
				return nil, &DialError{Addr: hostport, Err: err}
			}
			c.log.note("connected to %s", hostport)
			return newStreamTransport(conn, c.opts.MaxDocumentSize, c.log), nil
		}
	case TransportSOAP:
		u, err := soapURL(addr)
		if err != nil {
			return nil, &DialError{Addr: addr, Err: err}
		}
		base := c.opts.HTTPClient
		if base == nil {
			tc, err := tlsConfig(&c.opts, u.Hostname())
			if err != nil {
				return nil, &DialError{Addr: addr, Err: err}
			}
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.TLSClientConfig = tc
			base = &http.Client{Transport: tr}
		}
		// SOAP envelopes are UTF-8; the OCI document inside says so too.
		c.encode.Encoding = "UTF-8"
		dial = func(ctx context.Context) (transport, error) {
			return newSOAPTransport(u.String(), base, c.opts.MaxDocumentSize, c.log)
		}
	default:
		return nil, &DialError{Addr: addr, Err: fmt.Errorf("unknown transport %q (want tcp, tls or soap)", c.opts.Transport)}
	}
	tr, err := dial(ctx)
	if err != nil {
		return nil, err
	}
	c.tr = tr
	c.redial = dial
	return c, nil
}

func soapURL(addr string) (*url.URL, error) {
	if !strings.Contains(addr, "://") {
		addr = "https://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("SOAP URL scheme %q: want http or https", u.Scheme)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = SOAPPath
	}
	return u, nil
}

// transport returns the current transport, or nil.
func (c *Client) transport() transport {
	c.trMu.Lock()
	defer c.trMu.Unlock()
	return c.tr
}

// dropTransport closes and forgets the current connection: its session
// is gone.
func (c *Client) dropTransport() {
	c.trMu.Lock()
	tr := c.tr
	c.tr = nil
	c.trMu.Unlock()
	if tr != nil {
		tr.close()
	}
}

// Close ends the session (a LogoutRequest when the client is idle and
// logged in) and closes the connection. A document in flight fails; its
// requests get ErrOutcomeUnknown or ErrClosed. Close is idempotent.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	if c.mu.TryLock() {
		if c.creds != nil && c.transport() != nil {
			ctx, cancel := context.WithTimeout(context.Background(), min(c.opts.Timeout, 2*time.Second))
			reason := "Client Logout"
			c.exchange(ctx, []oci.Request{&oci.LogoutRequest{UserID: c.creds.userID, Reason: &reason}})
			cancel()
		}
		c.creds = nil
		c.mu.Unlock()
	}
	c.trMu.Lock()
	tr := c.tr
	c.tr = nil
	c.trMu.Unlock()
	if tr != nil {
		return tr.close()
	}
	return nil
}

// usable reports whether the client can still send: not closed, its
// credentials not refused, and either connected or able to redial.
func (c *Client) usable() bool {
	return !c.closed.Load() && !c.refused.Load() && (c.redial != nil || c.transport() != nil)
}

// newSessionID returns a fresh random session id (128 bits, hex).
func newSessionID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// exchange sends one document and returns the commands of the answer. It
// does no session management. Errors: unsent (never left), *ioError
// (sent, answer lost), *ProtocolError (answer unusable). Caller holds mu.
func (c *Client) exchange(ctx context.Context, reqs []oci.Request) ([]oci.Command, error) {
	tr := c.transport()
	if tr == nil {
		return nil, unsent(ErrSessionLost)
	}
	doc, err := ociwire.Encode(c.sessionID, reqs, c.encode)
	if err != nil {
		return nil, unsent(&ProtocolError{Op: "encode", Err: err})
	}
	if err := ctx.Err(); err != nil {
		// Nothing sent, and the session stays usable.
		return nil, unsent(fmt.Errorf("broadworks: %w", err))
	}
	tctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	raw, err := tr.roundTrip(tctx, doc)
	if err != nil && len(faultRefused(err, reqs)) > 0 {
		// The server refused the document (none of it executed): the
		// session stands.
		return nil, err
	}
	if err != nil {
		c.dropTransport()
		if c.closed.Load() {
			err = fmt.Errorf("%w (%w)", ErrClosed, err)
		}
		var ioe *ioError
		if errors.As(err, &ioe) && !ioe.sent {
			return nil, unsent(err)
		}
		return nil, err
	}
	d, err := ociwire.Decode(raw)
	if err != nil {
		return nil, &ProtocolError{Op: "decode", Err: err}
	}
	if d.SessionID != c.sessionID {
		// An answer to some other document: the stream is out of step.
		c.dropTransport()
		return nil, &ProtocolError{Op: "decode", Msg: "response for another session"}
	}
	for _, cmd := range d.Commands {
		if _, ok := cmd.(oci.Request); ok {
			// The server sends a LogoutRequest when it ends the session.
			c.dropTransport()
			return nil, &ioError{op: "read", sent: true, err: fmt.Errorf("%w: server sent %s", ErrSessionLost, cmd.OCIName())}
		}
	}
	return d.Commands, nil
}

// ensureSession reconnects and logs in again when the connection is gone.
// Caller holds mu. Errors are unsent.
func (c *Client) ensureSession(ctx context.Context) error {
	if c.closed.Load() {
		return unsent(ErrClosed)
	}
	if c.creds == nil {
		return unsent(ErrNotLoggedIn)
	}
	if c.transport() != nil {
		return nil
	}
	if c.redial == nil {
		return unsent(ErrSessionLost)
	}
	c.log.note("session lost: reconnecting and logging in again")
	creds := c.creds
	if _, err := c.login(ctx, creds.userID, creds.password); err != nil {
		if IsErrorCode(err, 4962, 5202) {
			// The password no longer works: only a new Login can help.
			c.refused.Store(true)
		} else {
			// Unreachable or busy: try again on the next call.
			c.creds = creds
		}
		if !errors.Is(err, ErrSessionLost) {
			err = fmt.Errorf("%w: login again: %w", ErrSessionLost, err)
		}
		return unsent(err)
	}
	return nil
}

// Do sends one request and returns its response. A refusal is returned as
// the error, an *oci.ErrorResponse (errors.As). A Warning ErrorResponse
// (partial success) is returned as the response with a nil error.
func (c *Client) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	rs, err := c.Batch(ctx, req)
	return doResult(rs, err)
}

func doResult(rs []Result, err error) (oci.Response, error) {
	if len(rs) != 1 {
		if err == nil {
			err = errors.New("broadworks: no result")
		}
		return nil, err
	}
	if rs[0].Err != nil {
		return nil, rs[0].Err
	}
	return rs[0].Response, nil
}

// Batch sends reqs, up to MaxCommands per document, and returns one Result
// per request in order. The server answers each command on its own: one
// refusal does not hide the others' successes. The error is non-nil only
// when a whole document failed (no answer at all); the Err of each of its
// requests, and of the requests after it, which are then not sent, is set
// too.
//
// When the session was lost, the client logs in again and re-sends what is
// safe: the whole document if it never left; once it had left, only the
// read-only requests (see Idempotent), once. The others get an error
// wrapping ErrOutcomeUnknown.
func (c *Client) Batch(ctx context.Context, reqs ...oci.Request) ([]Result, error) {
	results := make([]Result, len(reqs))
	for i, r := range reqs {
		results[i].Request = r
		if r == nil {
			err := unsent(fmt.Errorf("broadworks: request %d is nil", i))
			for j := range results {
				results[j].Err = err
			}
			return results, err
		}
	}
	for start := 0; start < len(reqs); start += MaxCommands {
		end := min(start+MaxCommands, len(reqs))
		if err := c.batchDoc(ctx, results[start:end]); err != nil {
			later := &unsentError{fmt.Errorf("broadworks: not sent: an earlier document failed: %w", err)}
			for i := end; i < len(results); i++ {
				results[i].Err = later
			}
			return results, err
		}
	}
	return results, nil
}

// batchDoc sends one document (≤ MaxCommands) with session recovery.
func (c *Client) batchDoc(ctx context.Context, rs []Result) error {
	c.mu.Lock()
	defer func() {
		changed := c.changed
		c.changed = nil
		c.mu.Unlock()
		if changed != nil && c.learned.onChange != nil {
			c.learned.onChange(changed)
		}
	}()
	pending := make([]int, len(rs))
	for i := range pending {
		pending[i] = i
	}
	retried, steps := false, 0
	fail := func(err error) error {
		for _, i := range pending {
			rs[i].Err = err
		}
		return err
	}
	for {
		if err := c.ensureSession(ctx); err != nil {
			return fail(err)
		}
		reqs := make([]oci.Request, len(pending))
		for k, i := range pending {
			w, err := c.wireRequest(rs[i].Request)
			if err != nil {
				return fail(unsent(&ProtocolError{Op: "encode", Err: err}))
			}
			reqs[k] = w
		}
		cmds, err := c.exchange(ctx, reqs)
		if refused := faultRefused(err, reqs); len(refused) > 0 {
			// A SOAP Fault naming a type as unknown: the document was
			// refused whole, so nothing was executed. The commands named
			// step down; the others go again as they were.
			var others []int
			for k, i := range pending {
				if refused[k] {
					rs[i].Err = err
				} else {
					rs[i].Err = nil
					others = append(others, i)
				}
			}
			again := append(c.stepDown(rs, pending, reqs), others...)
			sort.Ints(again)
			if len(again) > 0 && steps < 24 {
				steps++
				pending = again
				continue
			}
			return nil
		}
		if err == nil {
			if er := sessionRefusal(cmds); er != nil {
				// Not executed: the server did not know the session.
				c.dropTransport()
				if !retried && c.redial != nil && ctx.Err() == nil {
					retried = true
					c.log.note("server refused the session: logging in again")
					continue
				}
				return fail(unsent(fmt.Errorf("%w: %w", ErrSessionLost, er)))
			}
			if err = c.assign(rs, pending, reqs, cmds); err == nil {
				if again := c.stepDown(rs, pending, reqs); len(again) > 0 && steps < 24 {
					// Refused unknown, so not executed: send those again,
					// each in the older version.
					steps++
					pending = again
					continue
				}
				return nil
			}
			// A wrong count: the answer is unusable, and the outcome of
			// each command unknown.
		}
		if SafeToRetry(err) {
			if !retried && c.redial != nil && ctx.Err() == nil && retryableUnsent(err) {
				retried = true
				c.log.note("connection lost before sending: reconnecting")
				continue
			}
			return fail(err)
		}
		// The document left and its answer was lost.
		mayRetry := !retried && c.redial != nil && ctx.Err() == nil && retryableLost(err)
		var again []int
		for _, i := range pending {
			switch {
			case Idempotent(rs[i].Request) && mayRetry:
				again = append(again, i)
			case Idempotent(rs[i].Request):
				rs[i].Err = err
			default:
				rs[i].Err = &outcomeError{command: rs[i].Request.OCIName(), err: err}
			}
		}
		if len(again) == 0 {
			return err
		}
		c.log.note("connection lost with %d read-only requests in flight: logging in again to re-send them", len(again))
		retried = true
		pending = again
	}
}

// retryableUnsent reports whether a failure before sending may clear with
// a new connection (not a closed client or a request that cannot encode).
func retryableUnsent(err error) bool {
	var pe *ProtocolError
	return !errors.Is(err, ErrClosed) && !errors.Is(err, ErrNotLoggedIn) && !errors.As(err, &pe) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// retryableLost reports whether a lost answer is worth one re-send of the
// read-only requests: a dropped connection, not a timeout (the server is
// slow: asking again would wait again) nor an unusable answer.
func retryableLost(err error) bool {
	var pe *ProtocolError
	if errors.As(err, &pe) || errors.Is(err, ErrClosed) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// sessionRefusal returns the ErrorResponse when every command was refused
// because the server does not know the session.
func sessionRefusal(cmds []oci.Command) *oci.ErrorResponse {
	if len(cmds) == 0 {
		return nil
	}
	var first *oci.ErrorResponse
	for _, cmd := range cmds {
		er, ok := cmd.(*oci.ErrorResponse)
		if !ok || !isSessionError(er) {
			return nil
		}
		if first == nil {
			first = er
		}
	}
	return first
}

// wireRequest returns req in the version the server accepts: the one it
// took after refusing a newer one (learned), else the newest its release
// has (the release table, see oci.ForRelease). Caller holds mu.
func (c *Client) wireRequest(req oci.Request) (oci.Request, error) {
	w, err := oci.ForRelease(c.release(), req)
	if err != nil {
		return nil, err
	}
	if v, ok := c.learned.version(req.OCIName()); ok && (oci.Newer(w.OCIName(), v) || c.unknown[w.OCIName()]) {
		return oci.To(req, v)
	}
	return w, nil
}

// Learned returns what the server's refusals taught this client (the
// Options.Learned it was given, or its own).
func (c *Client) Learned() *Learned { return c.learned }

// release is the release the versions are chosen for: the one learned at
// login, else what refusals told (ceiling), else "" (the newest). Caller
// holds mu.
func (c *Client) release() string {
	switch {
	case c.info != nil && c.info.Release != "":
		return c.info.Release
	case c.opts.Release != "":
		return c.opts.Release
	case c.ceiling != (oci.Release{}):
		return c.ceiling.String()
	}
	return ""
}

// stepDown handles versions the server refused as unknown (see
// refusedAsUnknown): it was not executed, so each is sent again, once, in
// the next older version the release table gives the server's release
// (the server may be patched below its release), and the family keeps
// that version for this server (Learned). When the release is not known
// (the administrator may not ask it), a refusal also tells that the
// server is older than the refused version's release: the ceiling is
// lowered below it, for every family. A version with none older left
// gets an *UnknownCommandError. It returns the requests to send again.
// Caller holds mu.
func (c *Client) stepDown(rs []Result, pending []int, sent []oci.Request) []int {
	var again []int
	for k, i := range pending {
		name := sent[k].OCIName()
		if !refusedAsUnknown(rs[i].Err, name) {
			continue
		}
		c.unknown[name] = true
		rel, known := oci.ParseRelease(c.release())
		if !known {
			rel = oci.Newest
		}
		if c.info != nil && c.info.Release == "" && c.opts.Release == "" {
			if below, ok := oci.Older(name); ok {
				if floor := oci.FieldReleases[0]; !below.AtLeast(floor) {
					// Not below R20: servers keep accepting the older
					// versions, so a ceiling set too low by a refusal of
					// the content itself costs newer fields, never a
					// refusal.
					below = floor
				}
				if c.ceiling == (oci.Release{}) || !below.AtLeast(c.ceiling) {
					c.log.note("%s refused as unknown: the server is R%s or older", name, below)
					c.ceiling = below
				}
				rel = c.ceiling
			}
		}
		next, ok := oci.StepDown(rel, name, func(v string) bool { return c.unknown[v] })
		if !ok {
			rs[i].Err = &UnknownCommandError{Command: name, Release: c.release(), Err: rs[i].Err}
			continue
		}
		if m, ok := c.learned.learn(next); ok {
			c.changed = m
		}
		c.log.note("%s refused as unknown by the server (R%s): sending %s", name, rel, next)
		again = append(again, i)
	}
	return again
}

// refusedAsUnknown reports whether err is the server refusing the command
// name as a type it does not know: [Error 6004] (a validation error) whose
// detail names the command's type, says it is unknown or cannot be
// resolved, or says nothing more, or a SOAP Fault that names the type in
// those words. A 6004 about an element of a known command is not.
func refusedAsUnknown(err error, name string) bool {
	if f := (*ociwire.SOAPFault)(nil); errors.As(err, &f) {
		return unknownTypeText(f.String, name) || unknownTypeText(f.Detail, name)
	}
	if !IsErrorCode(err, 6004) {
		return false
	}
	var er *oci.ErrorResponse
	if !errors.As(err, &er) {
		return true
	}
	return unknownTypeText(er.Detail, name) || unknownTypeText(er.SummaryEnglish, name) || unknownTypeText(er.Summary, name) ||
		strings.TrimSpace(er.Detail) == ""
}

// faultRefused returns which of the requests of a document a SOAP Fault
// (err) names as a type the server does not know (k → true), or nil.
func faultRefused(err error, reqs []oci.Request) map[int]bool {
	var f *ociwire.SOAPFault
	if err == nil || !errors.As(err, &f) {
		return nil
	}
	var out map[int]bool
	for k, r := range reqs {
		if n := r.OCIName(); unknownTypeText(f.String, n) || unknownTypeText(f.Detail, n) {
			if out == nil {
				out = map[int]bool{}
			}
			out[k] = true
		}
	}
	return out
}

// unknownTypeText reports whether a server's words say the type name is
// unknown: it names it with "known", "resolve", "type definition" or
// "unsupported" (Xerces: "Cannot resolve 'X' to a type definition").
func unknownTypeText(text, name string) bool {
	t := strings.ToLower(text)
	if !containsName(t, strings.ToLower(name)) {
		return false
	}
	for _, w := range []string{"not a known", "unknown", "resolve", "type definition", "unsupported", "not supported"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// containsName reports whether text holds name as a whole word: not
// "UserGetRequest22" in "UserGetRequest22V8".
func containsName(text, name string) bool {
	word := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
	}
	for i := 0; name != ""; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !word(text[start-1])) && (end == len(text) || !word(text[end])) {
			return true
		}
		i = start + 1
	}
	return false
}

// UnknownCommandError is a command the server refused as unknown, in its
// every version bwbulk can send: the server cannot do what was asked.
type UnknownCommandError struct {
	Command string // the oldest version tried
	Release string // the server's release ("" when it would not say)
	Err     error  // the server's refusal
}

func (e *UnknownCommandError) Error() string {
	rel := "of unknown release"
	if e.Release != "" {
		rel = "R" + e.Release
	}
	return fmt.Sprintf("broadworks: the server (%s) does not know %s in any version bwbulk can send: %v", rel, oci.Family(e.Command), e.Err)
}

func (e *UnknownCommandError) Unwrap() error { return e.Err }

// callerResponse returns resp, the answer to the version sent, as the
// response type of the version the caller asked for (UserGetResponse22V9
// read as UserGetResponse23V2), so callers handle one type whatever the
// release.
func callerResponse(asked, sent oci.Request, resp oci.Response) oci.Response {
	if asked == sent {
		return resp
	}
	want, ok := oci.ResponseName(asked.OCIName())
	if !ok {
		return resp
	}
	if got, _ := oci.ResponseName(sent.OCIName()); got != resp.OCIName() {
		return resp // a SuccessResponse or ErrorResponse
	}
	conv, err := oci.Convert(resp, want)
	if err != nil {
		return resp
	}
	if r, ok := conv.(oci.Response); ok {
		return r
	}
	return resp
}

// assign pairs the answer's commands with the pending requests; sent are
// the versions sent for them.
func (c *Client) assign(rs []Result, pending []int, sent []oci.Request, cmds []oci.Command) error {
	if len(cmds) == 1 && len(pending) > 1 {
		// A refusal of the whole document (a validation error) answers
		// every command.
		if er, ok := cmds[0].(*oci.ErrorResponse); ok {
			for range len(pending) - 1 {
				cp := *er
				cmds = append(cmds, &cp)
			}
		}
	}
	if len(cmds) != len(pending) {
		return &ProtocolError{Op: "decode", Msg: fmt.Sprintf("%d responses to %d requests", len(cmds), len(pending))}
	}
	for k, cmd := range cmds {
		if _, ok := cmd.(oci.Response); !ok {
			return &ProtocolError{Op: "decode", Msg: fmt.Sprintf("response %d is not a response: %s", k+1, cmd.OCIName())}
		}
	}
	for k, i := range pending {
		resp := callerResponse(rs[i].Request, sent[k], cmds[k].(oci.Response))
		rs[i].Response = resp
		rs[i].Err = nil
		if u, ok := resp.(*oci.UnknownResponse); ok {
			rs[i].Response = nil
			rs[i].Err = &ProtocolError{Op: "decode", Msg: fmt.Sprintf("%s answered with command type %q, which bwbulk does not know", sent[k].OCIName(), u.Type)}
			continue
		}
		if er, ok := resp.(*oci.ErrorResponse); ok {
			er.Command = sent[k].OCIName()
			if er.Type != oci.TypeWarning && er.Type != oci.TypeInfo {
				rs[i].Err = er
			}
		}
	}
	return nil
}

// Info returns what the last successful Login reported, or nil.
func (c *Client) Info() *LoginInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info == nil {
		return nil
	}
	cp := *c.info
	return &cp
}

// Release returns the server release learned at login ("" when unknown):
// Options.Release, else SystemSoftwareVersionGetResponse's version.
func (c *Client) Release() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info == nil {
		return c.opts.Release
	}
	return c.info.Release
}

// Do sends req through d and returns the response as type T, a
// *ProtocolError when the server answered with another type.
//
//	resp, err := broadworks.Do[*oci.UserGetResponse23V2](ctx, c, &oci.UserGetRequest23V2{UserID: id})
func Do[T oci.Response](ctx context.Context, d Doer, req oci.Request) (T, error) {
	var zero T
	resp, err := d.Do(ctx, req)
	if err != nil {
		return zero, err
	}
	t, ok := resp.(T)
	if !ok {
		return zero, &ProtocolError{Op: "decode", Msg: fmt.Sprintf("%s answered with %s, want %T", req.OCIName(), resp.OCIName(), zero)}
	}
	return t, nil
}
