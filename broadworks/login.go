package broadworks

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"bwbulk/broadworks/oci"
)

// SignPassword computes the signedPassword of LoginRequest14sp4 for a
// nonce from AuthenticationResponse: lower-case hex MD5 of
// nonce + ":" + lower-case hex SHA-1 of the password's UTF-8 bytes.
func SignPassword(nonce, password string) string {
	sh := sha1.Sum([]byte(password))
	m := md5.Sum([]byte(nonce + ":" + hex.EncodeToString(sh[:])))
	return hex.EncodeToString(m[:])
}

// LoginInfo is what the server said about the logged-in administrator.
type LoginInfo struct {
	// UserID is the administrator's user id.
	UserID string
	// LoginType is "System", "Provisioning", "Reseller", "Service
	// Provider", "Group", "Group Department" or "User": the UI adapts to it
	// (a group administrator cannot list service providers).
	LoginType string
	// ServiceProviderID and GroupID confine a service-provider or group
	// administrator; empty for system administrators.
	ServiceProviderID, GroupID string
	// IsEnterprise tells whether ServiceProviderID is an enterprise.
	IsEnterprise bool
	// UserDomain is the default domain for user ids.
	UserDomain string
	// Locale and Encoding are the session's (for example en_US,
	// ISO-8859-1).
	Locale, Encoding string
	// PasswordExpiresDays is the administrator's password lifetime; -1
	// when the server did not say.
	PasswordExpiresDays int
	// Release is the server release, from Options.Release or
	// SystemSoftwareVersionGetRequest, else Options.KnownRelease; "" when
	// none says (error 5404 for non-system administrators). The client
	// sends every command in the version this release has.
	Release string
	// Command is the login command that succeeded: "LoginRequest22V5" or
	// "LoginRequest14sp4".
	Command string
}

// Login authenticates the session. Over TLS and HTTPS it sends
// LoginRequest22V5 with the password; over plain TCP, or when the server
// refuses LoginRequest22V5 as invalid (older than R22), it uses the nonce
// flow (AuthenticationRequest, then LoginRequest14sp4 with the
// signedPassword), so the password never travels in clear. It then asks
// the server release (SystemSoftwareVersionGetRequest; a refusal leaves
// Release empty). A wrong password is an *oci.ErrorResponse (code 4962).
//
// The client keeps userID and password in memory to log in again by itself
// when its session is lost.
func (c *Client) Login(ctx context.Context, userID, password string) (*LoginInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return nil, ErrClosed
	}
	info, err := c.login(ctx, userID, password)
	if err != nil {
		return nil, err
	}
	cp := *info
	return &cp, nil
}

// login runs the login flow, redialling first when the connection is gone.
// Caller holds mu.
func (c *Client) login(ctx context.Context, userID, password string) (*LoginInfo, error) {
	c.creds, c.info = nil, nil
	if c.transport() == nil {
		if c.redial == nil {
			return nil, ErrSessionLost
		}
		tr, err := c.redial(ctx)
		if err != nil {
			return nil, err
		}
		c.trMu.Lock()
		c.tr = tr
		c.trMu.Unlock()
	}
	c.sessionID = newSessionID()
	var info *LoginInfo
	if c.transport().secure() && !c.noV5 && c.mayHave("LoginRequest22V5") {
		resp, err := c.loginCall(ctx, &oci.LoginRequest22V5{UserID: userID, Password: &password})
		var er *oci.ErrorResponse
		switch {
		case err == nil:
			r, ok := resp.(*oci.LoginResponse22V5)
			if !ok {
				return nil, c.loginProtocolError("LoginRequest22V5", resp)
			}
			info = &LoginInfo{
				LoginType: r.LoginType, Locale: r.Locale, Encoding: r.Encoding,
				GroupID: deref(r.GroupID), ServiceProviderID: deref(r.ServiceProviderID),
				IsEnterprise: r.IsEnterprise, UserDomain: r.UserDomain,
				PasswordExpiresDays: derefInt(r.PasswordExpiresDays), Command: "LoginRequest22V5",
			}
		case errors.As(err, &er) && isValidationRefusal(er), refusedAsUnknown(err, "LoginRequest22V5"):
			// An older server does not know the command (an
			// ErrorResponse, or a SOAP Fault naming it).
			c.noV5 = true
			if older, ok := oci.Older("LoginRequest22V5"); ok && c.ceiling == (oci.Release{}) {
				c.ceiling = older // before R22, whether or not it says so
			}
			c.log.note("LoginRequest22V5 refused as unknown: using the nonce login")
		default:
			return nil, err
		}
	}
	if info == nil {
		var err error
		if info, err = c.loginNonce(ctx, userID, password); err != nil {
			return nil, err
		}
	}
	info.UserID = userID
	info.Release = c.opts.Release
	for try := 0; info.Release == "" && try < 3; try++ {
		resp, err := c.loginCall(ctx, &oci.SystemSoftwareVersionGetRequest{})
		var er *oci.ErrorResponse
		switch {
		case err == nil:
			if r, ok := resp.(*oci.SystemSoftwareVersionGetResponse); ok {
				info.Release = strings.TrimSpace(r.Version)
			}
		case errors.As(err, &er) && Temporary(err):
			// Busy: ask again, the commands' versions depend on it.
			continue
		case errors.As(err, &er):
			// Not allowed for this administrator (5404): release unknown.
		default:
			return nil, err
		}
		break
	}
	if info.Release == "" {
		// What an earlier login of this client learned, else the profile's.
		info.Release = c.lastRelease
	}
	if info.Release == "" {
		info.Release = c.opts.KnownRelease
	}
	c.lastRelease = info.Release
	c.creds = &credentials{userID: userID, password: password}
	c.info = info
	c.refused.Store(false)
	return info, nil
}

func (c *Client) loginNonce(ctx context.Context, userID, password string) (*LoginInfo, error) {
	resp, err := c.loginCall(ctx, &oci.AuthenticationRequest{UserID: userID})
	if err != nil {
		return nil, err
	}
	auth, ok := resp.(*oci.AuthenticationResponse)
	if !ok {
		return nil, c.loginProtocolError("AuthenticationRequest", resp)
	}
	if alg := auth.PasswordAlgorithm; alg != "" && !strings.EqualFold(alg, "MD5") {
		return nil, &ProtocolError{Op: "login", Msg: fmt.Sprintf("unsupported password algorithm %q", alg)}
	}
	signed := SignPassword(auth.Nonce, password)
	resp, err = c.loginCall(ctx, &oci.LoginRequest14sp4{UserID: userID, SignedPassword: &signed})
	if err != nil {
		return nil, err
	}
	r, ok := resp.(*oci.LoginResponse14sp4)
	if !ok {
		return nil, c.loginProtocolError("LoginRequest14sp4", resp)
	}
	return &LoginInfo{
		LoginType: r.LoginType, Locale: r.Locale, Encoding: r.Encoding,
		GroupID: deref(r.GroupID), ServiceProviderID: deref(r.ServiceProviderID),
		IsEnterprise: r.IsEnterprise, UserDomain: r.UserDomain,
		PasswordExpiresDays: derefInt(r.PasswordExpiresDays), Command: "LoginRequest14sp4",
	}, nil
}

// loginCall sends one login-flow command; an ErrorResponse is the error.
func (c *Client) loginCall(ctx context.Context, req oci.Request) (oci.Response, error) {
	cmds, err := c.exchange(ctx, []oci.Request{req})
	if err != nil {
		return nil, err
	}
	if len(cmds) != 1 {
		return nil, &ProtocolError{Op: "login", Msg: fmt.Sprintf("%d responses to %s", len(cmds), req.OCIName())}
	}
	resp, ok := cmds[0].(oci.Response)
	if !ok {
		return nil, c.loginProtocolError(req.OCIName(), cmds[0])
	}
	if er, ok := resp.(*oci.ErrorResponse); ok && er.Type != oci.TypeWarning && er.Type != oci.TypeInfo {
		er.Command = req.OCIName()
		return nil, er
	}
	return resp, nil
}

func (c *Client) loginProtocolError(cmd string, got oci.Command) error {
	return &ProtocolError{Op: "login", Msg: fmt.Sprintf("%s answered with %s", cmd, got.OCIName())}
}

// mayHave reports whether the server may have the command: true unless
// the release it is known to be (Options.Release, the last login's,
// Options.KnownRelease) lacks it by the release table. Caller holds mu.
func (c *Client) mayHave(name string) bool {
	for _, rel := range []string{c.opts.Release, c.lastRelease, c.opts.KnownRelease} {
		if r, ok := oci.ParseRelease(rel); ok {
			return oci.Exists(r, name)
		}
	}
	return true
}

// isValidationRefusal reports whether er says the server does not accept
// the command itself (error 6004, "validation"): an older release.
func isValidationRefusal(er *oci.ErrorResponse) bool {
	code := er.Number()
	if code == 6004 {
		return true
	}
	s := strings.ToLower(er.SummaryEnglish + " " + er.Summary)
	return strings.Contains(s, "validation error") || strings.Contains(s, "unknown command") ||
		strings.Contains(s, "not supported")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
