package ocisim

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"time"
)

// maxCommands is the schema's maxOccurs for command in a BroadsoftDocument.
const maxCommands = 15

// session is the OCI-P session of one connection (or one SOAP HTTP session).
type session struct {
	id        string // sessionId the login was made with
	nonce     string
	nonceUser string
	nonceSID  string
	admin     *Admin // nil until logged in
}

// process answers one request document. It returns the response bytes and
// the fault to apply to them.
func (s *Server) process(sess *session, doc []byte, peer string) ([]byte, fault) {
	f := s.nextFault()
	s.mu.Lock()
	s.docs++
	s.mu.Unlock()
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	root, err := parseDocument(doc)
	if err != nil {
		return s.documentError(sess.id, "The document is not well-formed XML: "+err.Error()), f
	}
	if root.Name != "BroadsoftDocument" || root.Space != nsC {
		return s.documentError(sess.id, "The root element must be BroadsoftDocument in namespace C"), f
	}
	if p, _ := root.attr("", "protocol"); p != "OCI" {
		return s.documentError(sess.id, "The BroadsoftDocument attribute protocol must be OCI"), f
	}
	var sid, tracking string
	var cmds []*element
	for i, k := range root.Kids {
		switch {
		case i == 0 && k.Name == "sessionId" && k.Space == "":
			sid = k.Text
		case i == 0:
			return s.documentError(sess.id, "Element '"+k.Name+"' is not expected here: expected 'sessionId' (in BroadsoftDocument)"), f
		case i == 1 && k.Name == "trackingId" && k.Space == "":
			tracking = k.Text
		case k.Name == "command" && k.Space == "":
			cmds = append(cmds, k)
		default:
			return s.documentError(sid, "Element '"+k.Name+"' is not expected here (in BroadsoftDocument)"), f
		}
	}
	if len(cmds) == 0 {
		return s.documentError(sid, "Missing required element 'command' (in BroadsoftDocument)"), f
	}
	if len(cmds) > maxCommands {
		return s.documentError(sid, "Too many 'command' elements: at most 15 per document (in BroadsoftDocument)"), f
	}
	results := make([]result, len(cmds))
	echoes := make([]*string, len(cmds))
	for i, c := range cmds {
		if e, ok := c.attr("", "echo"); ok {
			echoes[i] = &e
		}
		var drop bool
		results[i], _, drop = s.command(sess, sid, c)
		if drop {
			f = faultDrop
		}
		name := c.xsiType()
		if results[i].err != nil {
			s.logf("%s %s: %s", peer, name, results[i].err.summary())
		} else {
			s.logf("%s %s: ok", peer, name)
		}
	}
	s.markCodes(results)
	return responseDocument(sid, tracking, results, echoes), f
}

// markCodes applies Options.OmitErrorCode to the results' errors.
func (s *Server) markCodes(results []result) {
	if !s.opts.OmitErrorCode {
		return
	}
	for _, r := range results {
		if r.err != nil {
			r.err.noCode = true
		}
	}
}

// documentError answers a document that could not be taken apart into
// commands with a single [Error 6004].
func (s *Server) documentError(sid, detail string) []byte {
	rs := []result{failure(validationFailure(detail))}
	s.markCodes(rs)
	return responseDocument(sid, "", rs, nil)
}

func validationFailure(detail string) *ociError {
	e := errorf(codeValidation, "OCI XML Request validation error")
	e.Detail = detail
	return e
}

// command answers one command; mutated reports a state change. A panic in
// a handler becomes an [Error 5000] answer instead of killing the server.
func (s *Server) command(sess *session, sid string, c *element) (r result, mutated, drop bool) {
	name := c.xsiType()
	defer func() {
		if p := recover(); p != nil {
			s.logf("internal error in %s: %v", name, p)
			r, mutated = failure(errorf(codeInternal, "Internal error while processing %s", name)), false
		}
	}()
	r, mutated, drop = s.intercepted(sess, sid, c, name)
	return r, mutated, drop
}

// intercepted applies Options.Intercept and the training scenario, then
// runs the command.
func (s *Server) intercepted(sess *session, sid string, c *element, name string) (result, bool, bool) {
	var play scenarioPlay
	// A command is validated once, here: run takes the answer.
	model, modelled := commandModels[name]
	var invalid error
	if modelled {
		invalid = validateCommand(c, model)
	}
	// A command with no content (SystemSoftwareVersionGetRequest) has an
	// empty model: it is valid, and intercepted too.
	if modelled && invalid == nil {
		if s.opts.Intercept != nil {
			s.faultMu.Lock()
			if s.seen == nil {
				s.seen = map[string]int{}
			}
			s.seen[name]++
			n := s.seen[name]
			s.faultMu.Unlock()
			play.fault = s.opts.Intercept(name, n)
		}
		if play.fault == nil {
			play = s.scenarioFor(name)
		}
		if f := play.fault; f != nil {
			if f.Delay > 0 {
				time.Sleep(f.Delay)
			}
			switch {
			case f.Drop:
				return failure(errorf(codeTransient, "dropped")), false, true
			case f.Code != 0:
				e := errorf(f.Code, "%s", f.Message)
				if f.Warning {
					e.Type = "Warning"
				}
				return failure(e), false, false
			}
		}
		if play.take {
			s.takeUserID(sess, sid, c, name)
		}
	}
	r, mutated := s.run(sess, sid, c, name, invalid)
	return r, mutated, play.lose
}

// run executes one command; invalid is what validateCommand said of it
// (a command of a type with no model is never run).
func (s *Server) run(sess *session, sid string, c *element, name string, invalid error) (result, bool) {
	if name == "" {
		return failure(validationFailure("Element 'command' has no xsi:type: the type OCICommand is abstract")), false
	}
	if !s.knows(name) {
		// An older Application Server does not know a newer version.
		return failure(validationFailure("Element 'command': the xsi:type '" + name + "' is not a known command")), false
	}
	h := handlers[name]
	if invalid != nil {
		return failure(validationFailure(invalid.Error())), false
	}
	switch loginKind(name) {
	case "auth", "nonce", "password":
		if s.opts.LoginDelay > 0 {
			time.Sleep(s.opts.LoginDelay)
		}
		if s.opts.LoginFail {
			return failure(errorf(codeLoginUnavailable, "Login service temporarily unavailable, try again later")), false
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return asVersion(s.login(sess, sid, name, c), name, c), false
	}
	if sess.admin == nil {
		return failure(errorf(codeNotLoggedIn, "Invalid session: not logged in")), false
	}
	if sid != sess.id {
		return failure(errorf(codeNotLoggedIn, "Invalid session: the sessionId does not belong to this connection")), false
	}
	if s.transient() {
		return failure(errorf(codeTransient, "System busy, try again later")), false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx := &call{s: s, w: s.w, sess: sess, cmd: name}
	r := asVersion(h(ctx, c), name, c)
	if r.err == nil && ctx.mutated {
		if err := s.record(sess, c); err != nil {
			// Applied but not durable: say so rather than confirm it.
			s.logf("%v", err)
			return failure(errorf(codeInternal, "The change was applied but could not be recorded: %v", err)), true
		}
	}
	return r, r.err == nil && ctx.mutated
}

// knows reports whether the server implements the command version name
// and its release (less Options.Refuse) has it.
func (s *Server) knows(name string) bool {
	_, ok := commandModels[name]
	_, hok := handlers[name]
	return ok && hok && s.inRelease(name)
}

// login handles AuthenticationRequest and every login version. Called with s.mu held.
func (s *Server) login(sess *session, sid, name string, c *element) result {
	uid := c.val("userId")
	bad := errorf(codeLoginInvalid, "Invalid password")
	acct := s.account(uid)
	switch loginKind(name) {
	case "auth":
		sess.nonce, sess.nonceUser, sess.nonceSID = s.nonce(), uid, sid
		w := &builder{}
		w.leaf("userId", uid)
		w.leaf("nonce", sess.nonce)
		w.leaf("passwordAlgorithm", "MD5")
		return data("AuthenticationResponse", w)
	case "nonce":
		if acct == nil {
			return failure(bad)
		}
		ok := false
		if sp := c.val("signedPassword"); sp != "" {
			if sess.nonce == "" || sess.nonceUser != uid || sess.nonceSID != sid {
				return failure(errorf(codeLoginInvalid, "Invalid password: no AuthenticationRequest for this user and session"))
			}
			want := md5.Sum([]byte(sess.nonce + ":" + acct.PasswordSHA1))
			ok = subtle.ConstantTimeCompare([]byte(strings.ToLower(sp)), []byte(hex.EncodeToString(want[:]))) == 1
			sess.nonce = "" // one use
		} else if p := c.val("plainTextPassword"); p != "" {
			ok = sha1Hex(p) == acct.PasswordSHA1
		}
		if !ok {
			return failure(bad)
		}
	case "password":
		if acct == nil {
			return failure(bad)
		}
		if !c.has("password") {
			return failure(errorf(codeLoginInvalid, "Invalid password: the password is required in AS data mode"))
		}
		if sha1Hex(c.val("password")) != acct.PasswordSHA1 {
			return failure(bad)
		}
	}
	a := *acct
	sess.admin = &a
	sess.id = sid
	w := &builder{}
	w.leaf("loginType", a.Level)
	w.leaf("locale", "en_US")
	w.leaf("encoding", "ISO-8859-1")
	domain := "example.com"
	isEnt := false
	if a.GroupID != "" {
		w.leaf("groupId", a.GroupID)
	}
	if a.ServiceProviderID != "" {
		w.leaf("serviceProviderId", a.ServiceProviderID)
		if sp := s.w.ServiceProviders[a.ServiceProviderID]; sp != nil {
			isEnt = sp.IsEnterprise
			domain = sp.DefaultDomain
			if g := sp.Groups[a.GroupID]; g != nil {
				domain = g.DefaultDomain
			}
		}
	} else if len(s.w.SystemDomains) > 0 {
		domain = s.w.SystemDomains[0]
	}
	w.boolean("isEnterprise", isEnt)
	w.integer("passwordExpiresDays", 2147483647)
	w.leaf("userDomain", domain)
	if loginKind(name) == "password" {
		return data("LoginResponse22V5", w)
	}
	return data("LoginResponse14sp4", w)
}

// account finds an administrator or, failing that, a user with a password
// (who logs in at User level).
func (s *Server) account(uid string) *Admin {
	if a, ok := s.w.Admins[uid]; ok {
		return a
	}
	if u, ok := s.w.Users[uid]; ok && u.PasswordSHA1 != "" {
		return &Admin{UserID: u.UserID, Level: LevelUser, ServiceProviderID: u.ServiceProviderID, GroupID: u.GroupID, PasswordSHA1: u.PasswordSHA1}
	}
	return nil
}
