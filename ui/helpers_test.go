package ui

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// memKeyring is an in-memory jobs.Secrets.
type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeyring) Get(service, key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[service+"/"+key]
	if !ok {
		return "", jobs.ErrSecretNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(service, key, value string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	k.m[service+"/"+key] = value
	return nil
}

// fixedNow is the store clock of UI tests, so snapshots are stable.
var fixedNow = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// harness is a UI on a demo simulator, with synchronous background work.
type harness struct {
	t      *testing.T
	u      *UI
	srv    *ocisim.Server
	store  *jobs.Store
	runner *jobs.Runner
	w      *wizardView
}

type harnessOpts struct {
	runner bool // run submitted tasks
	server *ocisim.Options
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	srv := ocisimtest.Start(t, o.server)
	st, err := jobs.Open(context.Background(), filepath.Join(t.TempDir(), "bwbulk.db"),
		&jobs.Options{Keyring: &desk.FallbackKeyring{OS: &memKeyring{}}, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	demo := desk.DemoAt(srv.Addr().String())
	demo.Scenarios = srv
	session := desk.NewSession(st, demo)
	t.Cleanup(session.Close)
	h := &harness{t: t, srv: srv, store: st}
	var runner *jobs.Runner
	if o.runner {
		runner = jobs.NewRunner(st, session.Connect, &jobs.RunnerOptions{PollInterval: 50 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = runner.Start(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		h.runner = runner
	}
	u := New(a, &Options{Version: "test", DataDir: "/data", Session: session, Runner: runner})
	t.Cleanup(u.Close)
	u.win.Resize(fyne.NewSize(1180, 740))
	p, err := desk.EnsureDemoProfile(context.Background(), st, demo)
	if err != nil {
		t.Fatal(err)
	}
	u.useProfile(p)
	u.status.setConnectivity(Online, "demo")
	h.u, h.w = u, u.wizard
	return h
}

// next presses Next and fails when it is disabled.
func (h *harness) next() {
	h.t.Helper()
	if h.w.next.Disabled() {
		h.t.Fatalf("step %s: Next is disabled: %v", h.w.cur, h.w.m.Validate(h.w.cur))
	}
	test.Tap(h.w.next)
}

// toStep walks a valid wizard (acme-ent/acme-hq, n users) up to step s.
func (h *harness) toStep(s wizard.Step, n int) {
	h.t.Helper()
	h.w.goTo(wizard.StepEnterprise)
	if h.w.cur == s {
		return
	}
	h.w.views[wizard.StepEnterprise].(*enterpriseStep).pickID("acme-ent")
	h.next()
	if h.w.cur == s {
		return
	}
	h.w.views[wizard.StepGroup].(*groupStep).pickID("acme-hq")
	h.next()
	uc := h.w.views[wizard.StepUserCount].(*userCountStep)
	uc.count.entry.SetText("")
	test.Type(uc.count.entry, itoa(n))
	for h.w.cur < s {
		h.next()
	}
}

func itoa(n int) string { return fmtInt(n) }

// planOne plans a minimal valid row for acme-ent/acme-hq.
func planOne(t *testing.T, userID string) []oci.Request {
	t.Helper()
	r := wizard.RowFromFields(map[string]string{"userId": userID, "firstName": "A", "lastName": "B", "callingLineIdFirstName": "A", "callingLineIdLastName": "B", "password": "Secret#123456"})
	cmds, err := wizard.PlanRow(wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Domain: "acme.example.com"}, r)
	if err != nil {
		t.Fatal(err)
	}
	return cmds
}
