package ui

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

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

// previewCells returns the texts of the data cells the preview table
// draws (headers and row numbers left out).
func previewCells(v *previewView) []string {
	var out []string
	walk(v.table, func(o fyne.CanvasObject) {
		if c, ok := o.(*gridCell); ok && c.style.Monospace && c.text != "" && c.Visible() {
			out = append(out, c.text)
		}
	})
	return out
}

// TestPreview_DrawnAtOnce: the preview's rows are drawn as soon as the
// step shows, without a scroll: in a new wizard opened on the preview
// (as Reuse does, from the Tasks screen), and after a new model.
func TestPreview_DrawnAtOnce(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.Show(ScreenTasks)
	h.w.reset(benchModel(30), wizard.StepPreview, 0)
	h.u.Show(ScreenNewUsers)
	v := h.w.preview
	if got := previewCells(v); !slices.Contains(got, "u000001@acme.example.com") {
		t.Fatalf("new wizard on the preview draws %v", got)
	}
	h.u.Show(ScreenTasks)
	h.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
	h.w.reset(benchModel(2000), wizard.StepPreview, 0) // built off the UI goroutine
	h.u.Show(ScreenNewUsers)
	if got := previewCells(v); !slices.Contains(got, "u000001@acme.example.com") {
		t.Fatalf("a second, larger preview draws %v", got)
	}
	// Scrolled far down, then a new wizard of fewer users.
	v.table.ScrollTo(widget.TableCellID{Row: 1990, Col: 3})
	if got := previewCells(v); !slices.Contains(got, "u001991@acme.example.com") {
		t.Fatalf("scrolled to row 1991: %v", got)
	}
	h.u.Show(ScreenTasks)
	h.w.reset(benchModel(30), wizard.StepPreview, 0)
	h.u.Show(ScreenNewUsers)
	if got := previewCells(v); !slices.Contains(got, "u000001@acme.example.com") {
		t.Fatalf("a new wizard after a scrolled preview draws %v", got)
	}
}
