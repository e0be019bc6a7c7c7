package wizard

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"bwbulk/broadworks/oci"
)

// branchServices mirrors the simulator's acme-branch authorisations.
func branchServices() *ServiceAuthorizations {
	return &ServiceAuthorizations{
		Packs: []ServiceLicence{{Name: "Basic", Pack: true, Limit: 25, Usage: 0, Description: "Calling essentials"}},
		Services: []ServiceLicence{
			{Name: "Call Waiting", Limit: -1},
			{Name: "Do Not Disturb", Limit: -1},
			{Name: "Voice Messaging User", Limit: 12, Usage: 10},
			{Name: "Busy Lamp Field", Limit: 0},
		},
	}
}

func TestSplitServiceList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Voice Messaging User", []string{"Voice Messaging User"}},
		{" Basic ;Call Waiting| Do  Not Disturb,", []string{"Basic", "Call Waiting", "Do Not Disturb"}},
		{"Call Waiting\nCALL WAITING;;", []string{"Call Waiting"}},
	} {
		if got := SplitServiceList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitServiceList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalService(t *testing.T) {
	a := branchServices()
	for in, want := range map[string]string{
		"Voicemail":            "Voice Messaging User",
		"voice messaging user": "Voice Messaging User",
		"Single Number Reach":  "BroadWorks Anywhere",
		"DND":                  "Do Not Disturb",
		"basic":                "Basic", // the group's pack
		"three way calling":    "Three-Way Call",
		"Gold Pack":            "Gold Pack", // unknown: unchanged
	} {
		if got := CanonicalService(in, a); got != want {
			t.Errorf("CanonicalService(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormalizeServiceList("voicemail | Voice Messaging User|dnd", nil); got != "Voice Messaging User; Do Not Disturb" {
		t.Errorf("NormalizeServiceList = %q", got)
	}
}

func TestSplitAssignment(t *testing.T) {
	services, packs := SplitAssignment([]string{"Basic", "Call Waiting", "Gold"}, branchServices())
	if !slices.Equal(services, []string{"Call Waiting"}) || !slices.Equal(packs, []string{"Basic", "Gold"}) {
		t.Fatalf("services %q, packs %q", services, packs)
	}
	// Without the group's list: schema names are services, the rest packs.
	services, packs = SplitAssignment([]string{"Basic", "Call Waiting"}, nil)
	if !slices.Equal(services, []string{"Call Waiting"}) || !slices.Equal(packs, []string{"Basic"}) {
		t.Fatalf("without facts: services %q, packs %q", services, packs)
	}
}

func branchModel(t *testing.T, n int) *Model {
	t.Helper()
	f := demoFacts(t, "acme-ent", "acme-branch")
	f.Group.UserLimit, f.Group.UserCount = 100, 20
	f.Services = branchServices()
	m := NewModelForGroup("acme-ent", true, f)
	m.UserCount = n
	m.UserID.Template = "new{{ index | pad 2 }}"
	return m
}

func TestPreview_servicesRefusedBeyondLicences(t *testing.T) {
	m := branchModel(t, 4)
	m.ServicePacks = []string{"Basic"}
	m.Services = []string{"Voice Messaging User"}
	if fe := m.Validate(StepServices); fe[FieldServices] != "Voice Messaging User: 2 of 12 left, not enough for 4 users" {
		t.Errorf("Validate(StepServices) = %v", fe)
	}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Rows[0].Get(ColServices); got != "Basic; Voice Messaging User" {
		t.Fatalf("row 1 services %q", got)
	}
	var msgs []string
	for _, pr := range p.Problems() {
		if errors.Is(pr, ErrLicence) {
			msgs = append(msgs, pr.Error())
		}
	}
	want := []string{
		"row 3, services: Voice Messaging User: 0 of 12 left (10 used before this task)",
		"row 4, services: Voice Messaging User: 0 of 12 left (10 used before this task)",
	}
	if !slices.Equal(msgs, want) {
		t.Fatalf("licence problems %q, want %q", msgs, want)
	}
	// Row 3 without voicemail, row 4 with a Webex name for another
	// service: the licences suffice.
	p.Set(2, ColServices, "Basic")
	if ps := p.Set(3, ColServices, "basic|dnd"); len(ps) != 0 {
		t.Fatalf("row 4 problems %v", ps)
	}
	if got := p.Rows[3].Get(ColServices); got != "Basic; Do Not Disturb" {
		t.Fatalf("row 4 services %q", got)
	}
	if !p.Valid() {
		t.Fatalf("problems %v", p.Problems())
	}
	plan, err := p.Plan()
	if err != nil {
		t.Fatal(err)
	}
	last := plan[3].Commands[len(plan[3].Commands)-1].(*oci.UserServiceAssignListRequest)
	if !slices.Equal(last.ServicePackName, []string{"Basic"}) || !slices.Equal(last.ServiceName, []string{"Do Not Disturb"}) {
		t.Fatalf("row 4 assignment %+v", last)
	}
	s := Summarize(m, p, nil, plan)
	lines := strings.Join(s.Lines(), "\n")
	for _, w := range []string{"Assign service pack Basic to 4 users (21 of 25 left after)",
		"Assign Voice Messaging User to 2 users (0 of 12 left after)",
		"Assign Do Not Disturb to 1 user (unlimited)"} {
		if !strings.Contains(lines, w) {
			t.Errorf("summary lacks %q:\n%s", w, lines)
		}
	}
}

func TestPreview_servicesNotAuthorised(t *testing.T) {
	m := branchModel(t, 2)
	m.Services = []string{"Hoteling Guest"}
	if fe := m.Validate(StepServices); fe[FieldServices] != "Hoteling Guest is not a user service the group is authorised for" {
		t.Errorf("Validate = %v", fe)
	}
	p, _ := m.Preview()
	ps := p.RowProblems(1)
	if len(ps) != 1 || ps[0].Error() != "row 2, services: Hoteling Guest is not a service or service pack the group is authorised for" {
		t.Fatalf("row 2 problems %v", ps)
	}
	// Zero quantity: none at all.
	p.Set(0, ColServices, "BLF")
	if ps := p.RowProblems(0); len(ps) != 1 || ps[0].Msg != "Busy Lamp Field: 0 of 0 left" {
		t.Fatalf("row 1 problems %v", ps)
	}
}

func TestImportCSV_servicesColumn(t *testing.T) {
	csv := "userId,firstName,lastName,Services\n" +
		"a@acme.example.com,Ann,Lee,Voicemail|Call Waiting\n" +
		"b@acme.example.com,Bob,Lee,\"Basic; DND\"\n"
	rows, ps, err := ImportCSV(strings.NewReader(csv))
	if err != nil || len(ps) != 0 {
		t.Fatalf("import: %v %v", err, ps)
	}
	if got := rows[0].Get(ColServices); got != "Voice Messaging User; Call Waiting" {
		t.Errorf("row 1 services %q", got)
	}
	if got := rows[1].Get(ColServices); got != "Basic; Do Not Disturb" {
		t.Errorf("row 2 services %q", got)
	}
	for _, h := range []string{"services", "User Services", "servicePacks", "Features"} {
		if c, ok := ParseColumn(h); !ok || c != ColServices {
			t.Errorf("ParseColumn(%q) = %v", h, c)
		}
	}
	// The Services step's picks apply to imported rows without any.
	m := branchModel(t, 0)
	m.SetImported(rows)
	m.Services = []string{"Call Waiting"}
	p, _ := m.Preview()
	if got := p.Rows[1].Get(ColServices); got != "Basic; Do Not Disturb" {
		t.Errorf("imported row keeps its services: %q", got)
	}
	r := rows[0]
	r.Set(ColServices, "")
	m.SetImported([]Row{r})
	p, _ = m.Preview()
	if got := p.Rows[0].Get(ColServices); got != "Call Waiting" {
		t.Errorf("imported row without services gets the step's: %q", got)
	}
}

func TestExportCSV_servicesColumn(t *testing.T) {
	m := branchModel(t, 1)
	m.Services = []string{"Call Waiting", "Do Not Disturb"}
	p, _ := m.Preview()
	var b strings.Builder
	if err := ExportCSV(&b, UsersSheet(p.Rows, false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ",Services") || !strings.Contains(b.String(), `,"Call Waiting; Do Not Disturb"`) {
		t.Fatalf("export:\n%s", b.String())
	}
	rows, _, _ := ImportCSV(strings.NewReader(b.String()))
	if got := rows[0].Get(ColServices); got != "Call Waiting; Do Not Disturb" {
		t.Fatalf("round trip %q", got)
	}
}

func FuzzServiceList(f *testing.F) {
	for _, s := range []string{"", "Voicemail|Call Waiting", "Basic; DND", "a,,b\n\r|;", "ÿ;\x00"} {
		f.Add(s)
	}
	a := branchServices()
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeServiceList(s, a)
		if NormalizeServiceList(n, a) != n {
			t.Fatalf("not stable: %q → %q → %q", s, n, NormalizeServiceList(n, a))
		}
		names := SplitServiceList(n)
		services, packs := SplitAssignment(names, a)
		if len(services)+len(packs) != len(names) {
			t.Fatalf("%q: %d names, %d+%d assigned", n, len(names), len(services), len(packs))
		}
		for _, x := range names {
			if x == "" || strings.ContainsAny(x, ";|,\n\r") || (utf8.ValidString(s) && !utf8.ValidString(x)) {
				t.Fatalf("bad name %q from %q", x, s)
			}
		}
	})
}

// A group being created has no authorisations yet: the schema's services
// are offered and nothing is checked.
func TestModel_ServiceChoices_newGroup(t *testing.T) {
	m := branchModel(t, 2)
	if _, known := m.ServiceChoices(); !known {
		t.Fatal("existing group: authorisations not used")
	}
	m.Group = GroupStep{Mode: ModeCreate, ID: "new-grp", Domain: "acme.example.com", UserLimit: 10}
	choices, known := m.ServiceChoices()
	if known || len(choices) != len(oci.UserServices()) {
		t.Fatalf("new group: known %v, %d choices", known, len(choices))
	}
	m.Pick(choices[0], true)
	m.Services = append(m.Services, "Hoteling Guest")
	if fe := m.Validate(StepServices); len(fe) != 0 {
		t.Fatalf("new group: %v", fe)
	}
	m.Pick(choices[0], false)
	if !slices.Equal(m.Services, []string{"Hoteling Guest"}) {
		t.Fatalf("after unpick: %v", m.Services)
	}
}

func TestServiceLicence_Matches(t *testing.T) {
	vm := ServiceLicence{Name: "Voice Messaging User"}
	exec := ServiceLicence{Name: "Executive", Pack: true, Description: "Voicemail, shared lines and busy lamp"}
	dnd := ServiceLicence{Name: "Do Not Disturb"}
	for _, c := range []struct {
		l    ServiceLicence
		q    string
		want bool
	}{
		{vm, "", true},
		{vm, "voice mess", true},
		{vm, "voicemessaging", true},
		{vm, "voicemail", true},
		{vm, "Voice Mail", true},
		{exec, "voicemail", true},
		{exec, "shared lines", true},
		{dnd, "dnd", true},
		{dnd, "voicemail", false},
		{vm, "forwarding", false},
		{vm, "  ", true},
		{vm, "@@", false},
	} {
		if got := c.l.Matches(c.q); got != c.want {
			t.Errorf("%q matches %q: %v, want %v", c.l.Name, c.q, got, c.want)
		}
	}
}
