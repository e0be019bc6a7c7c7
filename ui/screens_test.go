package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"bwbulk/wizard"
)

// TestConnections_TestShowsScopeAndRelease runs Test connection against
// the demo server, then with a wrong password.
func TestConnections_TestShowsScopeAndRelease(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.connections
	v.edit(h.u.session.Profile())
	if !v.demoNote.Visible() {
		t.Error("the demo profile is not labelled as a demo")
	}
	v.test()
	if !strings.Contains(v.result.Text, "System administrator") || !strings.Contains(v.result.Text, "release") {
		t.Errorf("result = %q", v.result.Text)
	}
	v.password.SetText("wrong")
	v.test()
	if !strings.HasPrefix(v.result.Text, "Failed:") {
		t.Errorf("wrong password: %q", v.result.Text)
	}
}

// TestCatalogue_OfflineUsesCache: once the server is gone the wizard's
// look-ups answer from the cache and say how old it is.
func TestCatalogue_OfflineUsesCache(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	cat := h.u.catalogue()
	ctx := context.Background()
	live, err := cat.Groups(ctx, "acme-ent")
	if err != nil || len(live) == 0 {
		t.Fatalf("online: %v %v", live, err)
	}
	if _, stale := cat.Age(); stale {
		t.Error("online answer reported as cached")
	}
	h.srv.Close()
	got, err := cat.Groups(ctx, "acme-ent")
	if err != nil || len(got) != len(live) {
		t.Fatalf("offline: %v %v", got, err)
	}
	at, stale := cat.Age()
	if !stale || !at.Equal(fixedNow) {
		t.Errorf("age = %v %v, want the fetch time %v", at, stale, fixedNow)
	}
	if _, err := cat.Groups(ctx, "metro-sp"); err == nil || !strings.Contains(err.Error(), "no offline copy of the groups of metro-sp") {
		t.Errorf("never-loaded look-up offline: %v", err)
	}
	h.w.showCatalogueAge()
	if !h.w.catAge.Visible() || !strings.Contains(h.w.catAge.Text, "Offline: catalogue from") {
		t.Errorf("age label = %q", h.w.catAge.Text)
	}
}

// TestDrafts_SaveListOpen saves the wizard as a draft, lists it and opens
// it again at the same step with the same values.
func TestDrafts_SaveListOpen(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepNames, 7)
	h.w.saveDraft()
	if h.w.draftID == 0 {
		t.Fatal("draft not saved")
	}
	h.w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
	d := h.u.drafts
	d.reload()
	if len(d.drafts) != 1 || !strings.Contains(d.drafts[0].Name, "7 users in acme-ent/acme-hq") {
		t.Fatalf("drafts = %+v", d.drafts)
	}
	d.list.Select(0)
	d.openSelected()
	if h.w.cur != wizard.StepNames || h.w.m.UserCount != 7 || h.w.m.Group.ID != "acme-hq" {
		t.Errorf("opened at %s with %d users in %q", h.w.cur, h.w.m.UserCount, h.w.m.Group.ID)
	}
	if h.u.nav.Selected().Text != ScreenNewUsers {
		t.Errorf("screen after open = %s", h.u.nav.Selected().Text)
	}
}

// TestImport_CSVToPreview imports a CSV with a problem, picks the group
// and lands in the preview with the problem listed by row and column.
func TestImport_CSVToPreview(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	csv := "userId,firstName,lastName,password,phoneNumber\n" +
		"imp1@acme.example.com,Ann,One,Secret#12345,2025550310\n" +
		"imp2@acme.example.com,Bob,Two,Secret#12345,notanumber\n"
	v := h.u.importer
	v.load("users.csv", []byte(csv))
	if len(v.rows) != 2 || !strings.Contains(v.fileInfo.Text, "2 users") {
		t.Fatalf("rows %d, info %q", len(v.rows), v.fileInfo.Text)
	}
	if len(v.sps) == 0 {
		t.Fatal("service providers not loaded for the import")
	}
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	if v.next.Disabled() {
		t.Fatal("Preview disabled with a file and a group")
	}
	v.toPreview()
	w := h.w
	if w.cur != wizard.StepPreview || w.preview.p == nil || len(w.preview.p.Rows) != 2 {
		t.Fatalf("not in the preview with 2 rows: step %s", w.cur)
	}
	if _, bad := w.preview.bad[1][wizard.ColPhoneNumber]; !bad {
		t.Errorf("row 2 phoneNumber not flagged: %v", w.preview.bad)
	}
	if !strings.Contains(w.preview.problems.Text, "Row 3, Phone number") {
		t.Errorf("problems = %q", w.preview.problems.Text)
	}
}

// TestWindow_SizeAndScreenRemembered: the window size and the last screen
// come back on the next start.
func TestWindow_SizeAndScreenRemembered(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.u.win.Resize(fyne.NewSize(1000, 700))
	h.u.saveSize()
	h.u.Show(ScreenTasks)
	u2 := New(h.u.app, &Options{Session: h.u.session})
	t.Cleanup(u2.Close)
	if s := u2.win.Canvas().Size(); s.Width != 1000 || s.Height != 700 {
		t.Errorf("restored size %v, want 1000x700", s)
	}
	if got := u2.nav.Selected().Text; got != ScreenTasks {
		t.Errorf("restored screen %q, want %q", got, ScreenTasks)
	}
}

// TestUI_CloseWaitsForWork: Close cancels the window's context and
// returns only once the work the window started has ended, so main can
// close the store after it; no work starts once Close began.
func TestUI_CloseWaitsForWork(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	var ended atomic.Bool
	started := make(chan struct{})
	h.u.goWork(func() {
		close(started)
		<-h.u.ctx.Done()
		time.Sleep(50 * time.Millisecond) // a store call finishing
		ended.Store(true)
	})
	<-started
	h.u.Close()
	if !ended.Load() {
		t.Error("Close returned before the window's work ended")
	}
	h.u.goWork(func() { t.Error("work started after Close") })
	h.u.spawn(func() { t.Error("spawned work ran after Close") })
}
