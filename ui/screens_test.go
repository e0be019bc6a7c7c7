package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"bwbulk/jobs"
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
	if !strings.Contains(w.preview.problems.Text, "Row 2, Phone number") {
		t.Errorf("problems = %q", w.preview.problems.Text)
	}
}

// TestReplan_EditedFields re-plans stored fields (the target travels in
// them) and refuses an invalid edit with the row's problem.
func TestReplan_EditedFields(t *testing.T) {
	tgt := wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Domain: "acme.example.com"}
	r := wizard.RowFromFields(map[string]string{"userId": "x@acme.example.com", "firstName": "X", "lastName": "Y",
		"callingLineIdFirstName": "X", "callingLineIdLastName": "Y", "password": "Secret#12345"})
	f := jobFields(tgt, r)
	id, cmds, err := Replan(f)
	if err != nil || id != "x@acme.example.com" || len(cmds) == 0 {
		t.Fatalf("Replan = %q %d %v", id, len(cmds), err)
	}
	if got := rowFields(f); got["target.groupId"] != "" || got["userId"] == "" {
		t.Errorf("rowFields = %v", got)
	}
	f["phoneNumber"] = "notanumber"
	if _, _, err := Replan(f); err == nil {
		t.Error("an invalid phone number was re-planned")
	}
	delete(f, fieldTargetGroup)
	if _, _, err := Replan(f); err == nil {
		t.Error("fields without a group were re-planned")
	}
}

// TestFallbackKeyring_Degrades falls back to memory when the OS keyring
// fails or does not answer.
func TestFallbackKeyring_Degrades(t *testing.T) {
	k := &FallbackKeyring{OS: failingKeyring{}, Timeout: 50 * time.Millisecond}
	if err := k.Set("bwbulk", "a", "1"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("bwbulk", "a"); err != nil || v != "1" {
		t.Errorf("Get = %q %v", v, err)
	}
	if k.Degraded() == nil {
		t.Error("not degraded")
	}
	slow := &FallbackKeyring{OS: hangingKeyring{}, Timeout: 20 * time.Millisecond}
	if _, err := slow.Get("bwbulk", "b"); err != jobs.ErrSecretNotFound {
		t.Errorf("hanging keyring Get = %v", err)
	}
	if slow.Degraded() == nil || !strings.Contains(slow.Degraded().Error(), "did not answer") {
		t.Errorf("degraded = %v", slow.Degraded())
	}
}

// TestFallbackKeyring_DataKeyNeverVolatile refuses the data key without the
// OS keyring, and the store then refuses to seal rather than lose data.
func TestFallbackKeyring_DataKeyNeverVolatile(t *testing.T) {
	k := &FallbackKeyring{OS: failingKeyring{}, Timeout: 50 * time.Millisecond}
	if err := k.Set(jobs.KeyringService, jobs.KeyringDataKey, "k"); !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("Set data key = %v, want ErrKeyringUnavailable", err)
	}
	if _, err := k.Get(jobs.KeyringService, jobs.KeyringDataKey); !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("Get data key = %v, want ErrKeyringUnavailable", err)
	}
	store, err := jobs.Open(context.Background(), filepath.Join(t.TempDir(), "bwbulk.db"), &jobs.Options{Keyring: k})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, err = store.SaveDraft(context.Background(), jobs.Draft{Name: "d", Data: []byte("secret")})
	if !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("SaveDraft without a keyring = %v, want ErrKeyringUnavailable", err)
	}
}

type failingKeyring struct{}

func (failingKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (failingKeyring) Set(string, string, string) error   { return errNoKeyring }

type hangingKeyring struct{}

func (hangingKeyring) Get(string, string) (string, error) { select {} }
func (hangingKeyring) Set(string, string, string) error   { select {} }

var errNoKeyring = &keyringErr{}

type keyringErr struct{}

func (*keyringErr) Error() string { return "no secret service" }

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
