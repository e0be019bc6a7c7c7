package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"bwbulk/broadworks/ocisim"
	"bwbulk/desk"
	"bwbulk/internal/demo"
	"bwbulk/jobs"
)

// DemoProfile is the name of the built-in demo server for --profile.
const DemoProfile = "demo"

// demoNotice is said on standard error by every command that works on
// the built-in demo server.
const demoNotice = "on the built-in demo server (not a real BroadWorks); add yours with `bwbulk profile add`"

// target is the server a command works on: a profile and its password,
// and the demo server's host when it is the built-in one.
type target struct {
	p    jobs.Profile
	pw   string
	host *demo.Host // nil on a profile of the user's
}

func (t *target) isDemo() bool { return t.host != nil }

func (t *target) close() {
	if t.host != nil {
		t.host.Close()
	}
}

// ownProfiles are the profiles the user added: the window keeps one for
// the demo server too (demo.ProfileName), which is not.
func ownProfiles(ctx context.Context, st *jobs.Store) ([]jobs.Profile, error) {
	ps, err := st.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	own := ps[:0]
	for _, p := range ps {
		if p.Name != demo.ProfileName {
			own = append(own, p)
		}
	}
	return own, nil
}

// isDemoName reports whether --profile name means the demo server.
func isDemoName(name string) bool {
	return strings.EqualFold(name, DemoProfile) || name == demo.ProfileName
}

// resolveProfile finds the profile named name: with name "" the only
// profile of the user's, or the demo server when there is none. ok false
// with a nil error means the demo server.
func resolveProfile(ctx context.Context, st *jobs.Store, name string) (p jobs.Profile, isDemo bool, err error) {
	if isDemoName(name) {
		return jobs.Profile{}, true, nil
	}
	ps, err := ownProfiles(ctx, st)
	if err != nil {
		return jobs.Profile{}, false, err
	}
	if name == "" && len(ps) == 0 {
		return jobs.Profile{}, true, nil
	}
	var names []string
	for _, q := range ps {
		if q.Name == name || (name == "" && len(ps) == 1) {
			return q, false, nil
		}
		names = append(names, fmt.Sprintf("%q", q.Name))
	}
	names = append(names, DemoProfile+" (the built-in demo server)")
	if name == "" {
		return jobs.Profile{}, false, fmt.Errorf("name a profile with --profile: %s", strings.Join(names, ", "))
	}
	return jobs.Profile{}, false, fmt.Errorf("no profile named %q (there are %s)", name, strings.Join(names, ", "))
}

// connect returns the target of profile name (see resolveProfile). The
// demo server is started (or reached, when another bwbulk of the data
// folder runs it) and announced on standard error; its password is public.
// With needPassword false a profile's password is not read.
func (f *flags) connect(ctx context.Context, st *jobs.Store, name string, needPassword bool) (*target, error) {
	p, isDemo, err := resolveProfile(ctx, st, name)
	if err != nil {
		return nil, err
	}
	if isDemo {
		return f.demoTarget()
	}
	t := &target{p: p}
	if !needPassword {
		return t, nil
	}
	pw, err := st.AdminPassword(p.ID)
	if errors.Is(err, jobs.ErrNotFound) {
		return nil, fmt.Errorf("no password of profile %q in the keyring: save it again with `bwbulk profile add %s --replace ...`", p.Name, p.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	t.pw = pw
	return t, nil
}

// demoTarget starts this process's way to the data folder's demo server.
func (f *flags) demoTarget() (*target, error) {
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return nil, err
	}
	h, err := demo.Start(dir, nil)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f.e.Stderr, "%s: %s\n", f.Name(), demoNotice)
	d := desk.DemoAt(h.Addr())
	return &target{
		p:    jobs.Profile{Name: DemoProfile, Address: d.Addr, Transport: "tcp", AdminUser: d.Admin},
		pw:   d.Password,
		host: h,
	}, nil
}

// onDemo reports whether task t was run on the built-in demo server: its
// server is a loopback address no profile of the user's has, and its
// administrator the demo's.
func onDemo(t jobs.Task, own []jobs.Profile) bool {
	for _, p := range own {
		if p.Address == t.Server {
			return false
		}
	}
	host, _, err := net.SplitHostPort(t.Server)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && t.Admin == ocisim.DefaultAdmin
}
