package ui

import (
	"strings"
	"testing"

	"bwbulk/wizard"
)

// The Services step lists the group's authorisations with their licences,
// searchable; a pick goes to every row of the preview, where a row can be
// changed and what the licences cannot cover is refused row by row; the
// plan names the licences used.
func TestServicesStep_picksLicencesAndPreview(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepServices, 3)
	s := h.w.views[wizard.StepServices].(*servicesStep)
	if h.w.tabs[wizard.StepServices].Selected().Text != "Optional" {
		t.Error("the Services step should open on its Optional tab")
	}
	if !s.known || len(s.shown) == 0 {
		t.Fatalf("authorisations not loaded: known %v, %d shown", s.known, len(s.shown))
	}
	if s.shown[0].Name != "Basic" || !s.shown[0].Pack {
		t.Errorf("packs first: %+v", s.shown[0])
	}
	s.search.SetText("voice mess")
	if len(s.shown) != 1 || s.shown[0].Name != "Voice Messaging User" || s.shown[0].Quantity() != "250 of 250 left" {
		t.Fatalf("search voice mess: %+v", s.shown)
	}
	s.search.SetText("")
	if !s.pickName("Executive") || !s.pickName("Voice Messaging User") {
		t.Fatal("pick")
	}
	if h.w.next.Disabled() { // Executive: 10 left, 3 users: fine
		t.Fatalf("Next disabled: %v", h.w.m.Validate(wizard.StepServices))
	}
	if s.packs.Text != "Executive" || s.users.Text != "Voice Messaging User" {
		t.Errorf("picks shown %q / %q", s.packs.Text, s.users.Text)
	}
	h.w.m.UserCount = 11
	h.w.changed()
	if fe := h.w.m.Validate(wizard.StepServices); fe[wizard.FieldServicePacks] != "Executive: 10 of 10 left, not enough for 11 users" {
		t.Errorf("11 users: %v", fe)
	}
	if !h.w.next.Disabled() {
		t.Error("Next enabled with too few Executive licences")
	}
	h.w.m.UserCount = 3
	h.w.changed()
	for h.w.cur < wizard.StepPreview {
		h.next()
	}
	p := h.w.preview.p
	if p == nil {
		t.Fatal("no preview")
	}
	if got := p.Rows[2].Get(wizard.ColServices); got != "Executive; Voice Messaging User" {
		t.Fatalf("row 3 services %q", got)
	}
	ps := p.Set(1, wizard.ColServices, "Executive; Hoteling Guest")
	if len(ps) != 1 || ps[0].Error() != "row 2, services: Hoteling Guest is not a service or service pack the group is authorised for" {
		t.Fatalf("row 2: %v", ps)
	}
	p.Set(1, wizard.ColServices, "voicemail")
	if got := p.Rows[1].Get(wizard.ColServices); got != "Voice Messaging User" || !p.Valid() {
		t.Fatalf("row 2 %q, problems %v", got, p.Problems())
	}
	plan, err := buildPlan(h.w.m, p, "admin", "sim")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan.summary, "\n")
	for _, want := range []string{"Assign service pack Executive to 2 users (8 of 10 left after)", "Assign Voice Messaging User to 3 users (247 of 250 left after)"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan lacks %q:\n%s", want, text)
		}
	}
}

// TestServicesStep_searchCommonNames: the search knows the names a
// Services cell of an import is read by, so "voicemail" finds Voice
// Messaging User (and a pack whose description says voicemail may come
// too), "DND" Do Not Disturb and "sim ring" Simultaneous Ring Personal.
func TestServicesStep_searchCommonNames(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepServices, 3)
	s := h.w.views[wizard.StepServices].(*servicesStep)
	if !s.known {
		t.Fatal("authorisations not loaded")
	}
	names := func() []string {
		var out []string
		for _, l := range s.shown {
			out = append(out, l.Name)
		}
		return out
	}
	for _, q := range []string{"voicemail", "Voicemail", "voice mail", "VM"} {
		s.search.SetText(q)
		found := false
		for _, l := range s.shown {
			switch {
			case l.Name == "Voice Messaging User" && !l.Pack:
				found = true
			case l.Pack && strings.Contains(strings.ToLower(l.Description), "voicemail"):
				// Executive: "Voicemail, shared lines and busy lamp".
			default:
				t.Errorf("search %q lists %s %q", q, l.Kind(), l.Name)
			}
		}
		if !found {
			t.Errorf("search %q does not list Voice Messaging User: %v", q, names())
		}
	}
	for q, want := range map[string]string{"DND": "Do Not Disturb", "sim ring": "Simultaneous Ring Personal", "single number reach": "BroadWorks Anywhere"} {
		s.search.SetText(q)
		if got := names(); !strings.Contains(strings.Join(got, "|"), want) {
			t.Errorf("search %q: %v, want %s among them", q, got, want)
		}
	}
	s.search.SetText("no such service at all")
	if len(s.shown) != 0 {
		t.Errorf("nonsense search lists %v", names())
	}
}
