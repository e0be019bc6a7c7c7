package ui

import (
	"strings"
	"sync/atomic"
	"testing"

	"bwbulk/broadworks/ocisim"
	"bwbulk/wizard"
)

// TestWizard_StepOneBackWithTheServer: step 1, which could not load while
// the server was unreachable, loads again by itself once it is back; no
// Start over needed.
func TestWizard_StepOneBackWithTheServer(t *testing.T) {
	var down atomic.Bool
	h := newHarness(t, harnessOpts{server: &ocisim.Options{Intercept: func(command string, n int) *ocisim.Fault {
		if down.Load() && strings.HasPrefix(command, "ServiceProviderGetListRequest") {
			return &ocisim.Fault{Code: 4000, Message: "the server is being restarted"}
		}
		return nil
	}}})
	down.Store(true)
	h.u.status.setConnectivity(Offline, "demo")
	h.u.Show(ScreenNewUsers)
	h.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
	s := h.w.views[wizard.StepEnterprise].(*enterpriseStep)
	if !s.pick.status.Visible() || !strings.HasPrefix(s.pick.status.Text, "Could not load") {
		t.Fatalf("while down: status %q", s.pick.status.Text)
	}
	down.Store(false)
	h.u.status.setConnectivity(Online, "demo")
	if len(s.pick.all) == 0 || s.pick.status.Visible() {
		t.Fatalf("server back: %d items, status %q", len(s.pick.all), s.pick.status.Text)
	}
	s.picked("acme-ent")
	if h.w.next.Disabled() {
		t.Error("Next disabled with a service provider picked")
	}
}
