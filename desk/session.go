package desk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/demo"
	"bwbulk/jobs"
)

// DemoProfileName names the profile of the built-in demo server.
const DemoProfileName = demo.ProfileName

// Demo describes the built-in demo server, when one runs.
type Demo struct {
	Addr, Admin, Password string
	// Scenarios, when set, plays the demo server's training scenarios
	// (Settings → Demo server).
	Scenarios ScenarioPlayer
}

// ScenarioPlayer plays a training scenario of the demo server
// (ocisim.Scenarios): *ocisim.Server and the data folder's demo host.
type ScenarioPlayer interface {
	SetScenario(name string) error
	Scenario() string
}

// DemoAt is the demo server listening at addr, with its system
// administrator (whose password is public).
func DemoAt(addr string) *Demo {
	return &Demo{Addr: addr, Admin: ocisim.DefaultAdmin, Password: ocisim.DefaultPassword}
}

// Session is the connection to the current server profile: it dials and
// logs in lazily, keeps a pool of sessions for look-ups and for the
// runner, and a catalogue cached in the store for offline work. It holds
// no Fyne code and is safe for concurrent use.
type Session struct {
	store *jobs.Store
	demo  *Demo

	mu       sync.Mutex
	profile  jobs.Profile
	password string
	pool     *broadworks.Pool
	info     *broadworks.LoginInfo
	cat      *jobs.CachedCatalogue
	closed   bool
	notice   func(string)
	answered time.Time // the last answer to Check
}

// NewSession returns a session on no profile yet (see Use).
func NewSession(store *jobs.Store, demo *Demo) *Session {
	s := &Session{store: store, demo: demo}
	s.cat = &jobs.CachedCatalogue{Store: store, Live: jobs.LiveCatalogue{D: s.Reads()}}
	return s
}

// Reads is the Doer for the reads made before a task is stored (the
// catalogue, the check against the server): it connects on first use and
// sends a read again while the server says to try later, telling
// SetNotice's function each time.
func (s *Session) Reads() broadworks.Doer {
	return &jobs.ReadRetry{D: lazyDoer{s}, Notice: s.say}
}

// SetNotice sets the function told, from any goroutine, what the session
// is doing that a person waits for ("the server is busy… reading again in
// 1s"). The window shows it in the status bar.
func (s *Session) SetNotice(f func(string)) {
	s.mu.Lock()
	s.notice = f
	s.mu.Unlock()
}

func (s *Session) say(msg string) {
	s.mu.Lock()
	f := s.notice
	s.mu.Unlock()
	if f != nil {
		f(msg)
	}
}

// lazyDoer connects on first use, so look-ups work before the first
// connectivity probe has run.
type lazyDoer struct{ s *Session }

func (d lazyDoer) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	p, err := d.s.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return p.Do(ctx, req)
}

func (d lazyDoer) Batch(ctx context.Context, reqs ...oci.Request) ([]broadworks.Result, error) {
	p, err := d.s.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return p.Batch(ctx, reqs...)
}

// Store returns the jobs store.
func (s *Session) Store() *jobs.Store { return s.store }

// Demo returns the built-in demo server, or nil.
func (s *Session) Demo() *Demo { return s.demo }

// IsDemo reports whether p is the built-in demo server's profile.
func (s *Session) IsDemo(p jobs.Profile) bool {
	return s.demo != nil && p.Name == DemoProfileName
}

// Use switches to profile p. The password is read from the keyring (or is
// the demo's). The previous pool is closed.
func (s *Session) Use(p jobs.Profile) { s.UseWith(p, s.PasswordFor(p)) }

// UseWith switches to profile p logging in with password (read already,
// as the command line does before it connects). The previous pool is
// closed.
func (s *Session) UseWith(p jobs.Profile, password string) {
	s.mu.Lock()
	old := s.pool
	s.profile, s.password, s.pool, s.info = p, password, nil, nil
	s.cat = &jobs.CachedCatalogue{Store: s.store, Server: p.Address, Live: jobs.LiveCatalogue{D: s.Reads()}}
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
}

// PasswordFor is the administrator password of profile p: the demo's, or
// the one in the keyring ("" when there is none).
func (s *Session) PasswordFor(p jobs.Profile) string {
	// The demo password is public: no keyring look-up (which may prompt).
	if s.IsDemo(p) {
		return s.demo.Password
	}
	if s.store != nil && p.ID != 0 {
		if pw, err := s.store.AdminPassword(p.ID); err == nil {
			return pw
		}
	}
	return ""
}

// Profile returns the current profile (zero when none).
func (s *Session) Profile() jobs.Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.profile
}

// Release returns the server release of the current profile: from the
// last login, else the one cached with the profile ("" when never known).
func (s *Session) Release() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.info != nil && s.info.Release != "" {
		return s.info.Release
	}
	return s.profile.Release
}

// Info returns what the last login reported, or nil.
func (s *Session) Info() *broadworks.LoginInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info
}

// Catalogue returns the catalogue of the current profile: live when the
// server answers, the store's cache otherwise.
func (s *Session) Catalogue() *jobs.CachedCatalogue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cat
}

// ErrNoProfile is returned when no server profile is chosen.
var ErrNoProfile = errors.New("no server profile chosen (see Connections)")

// PoolSize is how many sessions the pool of a profile holds: the runner's
// workers and the window's look-ups share them.
const PoolSize = 4

// Connect returns the pool of the current profile. The session is the one
// owner of that pool: the runner and the window (or the command line) both
// use it, and it lives until the profile changes (Use) or Close; a pool
// closed under it (a runner that ended) is replaced on the next Connect. A session that
// breaks (an outage, an expired login) is dropped and dialled again by the
// pool on its next use, so an outage of any length ends by itself when the
// server answers again. Connect does no I/O.
func (s *Session) Connect(ctx context.Context) (*broadworks.Pool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, broadworks.ErrClosed
	}
	if s.pool != nil && !s.pool.Closed() {
		return s.pool, nil
	}
	p, pw := s.profile, s.password
	if p.Address == "" {
		return nil, ErrNoProfile
	}
	var pool *broadworks.Pool
	pool = broadworks.NewPool(PoolSize, func(ctx context.Context) (*broadworks.Client, error) {
		c, info, err := jobs.DialProfile(ctx, p, pw)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		learned := s.pool == pool && info.Release != "" && info.Release != s.profile.Release
		if s.pool == pool {
			s.info = info
			if learned {
				s.profile.Release = info.Release
			}
		}
		s.mu.Unlock()
		if learned && s.store != nil && p.ID != 0 {
			// Cached with the profile: drafting offline plans for it too.
			_ = s.store.SetProfileRelease(ctx, p.ID, info.Release)
		}
		return c, nil
	})
	s.pool = pool
	return pool, nil
}

// Check is the window's connection check: one VerifySessionIsValidRequest
// through the pool (logging in when needed), bounded to 10 s. When the
// server answers, runner (if any) is told, so a task waiting for it starts
// at once. It never closes the pool: a broken session is replaced by the
// pool itself.
func (s *Session) Check(ctx context.Context, runner *jobs.Runner) error {
	// A server that answers does so in milliseconds: after 3 s of silence
	// the status bar says it waits for the server, not that it is online.
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	pool, err := s.Connect(ctx)
	if err == nil {
		_, err = pool.Do(ctx, &oci.VerifySessionIsValidRequest{})
	}
	if err == nil || broadworks.IsErrorCode(err) {
		s.mu.Lock()
		s.answered = time.Now()
		s.mu.Unlock()
	}
	if err == nil && runner != nil {
		runner.Reachable()
	}
	return err
}

// LastAnswer is when the server last answered the connection check (zero
// when it never did).
func (s *Session) LastAnswer() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered
}

// Close closes the pool; Connect fails from then on.
func (s *Session) Close() {
	s.mu.Lock()
	pool := s.pool
	s.pool, s.closed = nil, true
	s.mu.Unlock()
	if pool != nil {
		pool.Close()
	}
}

// TestConnection dials p, logs in and logs out, and describes the login:
// "System administrator · release 25.0".
func TestConnection(ctx context.Context, p jobs.Profile, password string) (string, error) {
	c, info, err := jobs.DialProfile(ctx, p, password)
	if err != nil {
		return "", err
	}
	defer c.Close()
	desc := DescribeLogin(info)
	if l := jobs.DescribeLearned(c.Learned().Map()); l != "" {
		desc += "\nCommands learned from this server (it refused newer versions): " + l
	}
	return desc, nil
}

// DescribeLogin renders a login's scope and release for people.
func DescribeLogin(info *broadworks.LoginInfo) string {
	if info == nil {
		return ""
	}
	scope := info.LoginType + " administrator"
	switch {
	case info.GroupID != "":
		scope += fmt.Sprintf(" of group %s/%s", info.ServiceProviderID, info.GroupID)
	case info.ServiceProviderID != "":
		kind := "service provider"
		if info.IsEnterprise {
			kind = "enterprise"
		}
		scope += fmt.Sprintf(" of %s %s", kind, info.ServiceProviderID)
	}
	rel := info.Release
	if rel == "" {
		rel = "unknown"
	}
	return scope + " · release " + rel
}

// EnsureDemoProfile creates or updates the demo server's profile so it
// points at addr, and returns it.
func EnsureDemoProfile(ctx context.Context, store *jobs.Store, d *Demo) (jobs.Profile, error) {
	ps, err := store.Profiles(ctx)
	if err != nil {
		return jobs.Profile{}, err
	}
	p := jobs.Profile{Name: DemoProfileName, Transport: "tcp"}
	for _, q := range ps {
		if q.Name == DemoProfileName {
			p = q
		}
	}
	p.Address, p.AdminUser, p.Transport = d.Addr, d.Admin, "tcp"
	id, err := store.SaveProfile(ctx, p)
	if err != nil {
		return jobs.Profile{}, err
	}
	p.ID = id
	return p, nil
}
