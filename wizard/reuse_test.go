package wizard

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func TestForGroup(t *testing.T) {
	f := demoFacts(t, "acme-ent", "acme-hq")
	m := ForGroup("acme-ent", true, "acme-hq", f)
	want := NewModel()
	want.Enterprise = EnterpriseStep{Mode: ModeSelect, ID: "acme-ent", IsEnterprise: true}
	want.Group = GroupStep{Mode: ModeSelect, ID: "acme-hq"}
	want.UserID.Domain = "acme.example.com"
	want.Facts = f
	want.Skip = true
	if !reflect.DeepEqual(m, want) {
		t.Errorf("ForGroup =\n%+v\nwant\n%+v", m, want)
	}
	if m.FirstStep() != StepUserCount {
		t.Errorf("first step %s", m.FirstStep())
	}
	for _, s := range []Step{StepEnterprise, StepGroup, StepUserCount} {
		if fe := m.Validate(s); len(fe) > 0 {
			t.Errorf("step %s: %v", s, fe)
		}
	}
	// Without facts (not loaded yet): the target only.
	n := ForGroup("metro-sp", false, "metro-g1", nil)
	if n.Facts != nil || n.UserID.Domain != "" || !n.Skip || n.Group.ID != "metro-g1" || n.Enterprise.IsEnterprise {
		t.Errorf("ForGroup without facts = %+v", n)
	}
	if !reflect.DeepEqual(NewModelForGroup("acme-ent", true, f), m) {
		t.Error("NewModelForGroup differs from ForGroup")
	}
}

// reuseSource is an earlier task's model: every step answered, rows
// previewed (passwords generated), a cell edited by hand.
func reuseSource(t *testing.T) (*Model, *Preview) {
	t.Helper()
	m := hqModel(t, 3)
	m.Names.CLIDFirstName = "{{ first name }}"
	m.Device.MACAddress = "0004f2{{ index | pad 6 }}"
	m.Details = DetailsStep{TimeZone: "Europe/London", Language: "French"}
	m.Contact = ContactStep{Email: "{{ user id }}", Mobile: "+1555{{ index | pad 7 }}", Title: "Agent"}
	m.Address = AddressStep{Location: "HQ", Line1: "1 Main St", City: "Springfield", State: "IL", Zip: "62701", Country: "US"}
	m.Services = []string{"Voice Messaging User"}
	m.ServicePacks = []string{"Basic"}
	m.SetCell(1, ColTitle, "Boss")
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Valid() {
		t.Fatalf("source preview invalid: %v", p.Problems())
	}
	return m, p
}

func TestModel_Reuse(t *testing.T) {
	m, before := reuseSource(t)
	orig, _ := json.Marshal(m)
	c := m.Reuse()
	if now, _ := json.Marshal(m); string(now) != string(orig) {
		t.Error("Reuse changed the model it copies")
	}

	// The answers are kept.
	for name, eq := range map[string]bool{
		"enterprise": c.Enterprise == m.Enterprise,
		"group":      c.Group == m.Group,
		"user count": c.UserCount == 3,
		"user id":    c.UserID == m.UserID,
		"names":      c.Names == m.Names,
		"device":     c.Device == m.Device,
		"department": c.Department == m.Department,
		"details":    c.Details == m.Details,
		"contact":    c.Contact == m.Contact,
		"address":    c.Address == m.Address,
		"passwords":  c.Passwords.Mode == PasswordsGenerate,
		"extensions": c.Numbers.ExtensionMode == m.Numbers.ExtensionMode,
		"services":   slices.Equal(c.Services, m.Services) && slices.Equal(c.ServicePacks, m.ServicePacks),
	} {
		if !eq {
			t.Errorf("%s not kept", name)
		}
	}
	// What belonged to the task and the server of then is not.
	if c.Edits != nil || c.Passwords.Generated != nil || c.Facts != nil || c.Imported != nil {
		t.Errorf("kept edits %v, passwords %d, facts %v, imported %v", c.Edits, len(c.Passwords.Generated), c.Facts != nil, c.Imported)
	}
	if c.Numbers.Mode != NumbersAvailable || c.Numbers.Entries != nil {
		t.Errorf("numbers %+v: want picked again from the available ones", c.Numbers)
	}
	if c.StartIndex != 4 || !c.Skip || c.FirstStep() != StepUserCount {
		t.Errorf("start index %d, skip %v", c.StartIndex, c.Skip)
	}

	// Against the group as it is now (the task took its first three
	// numbers), the rows are new users.
	f := demoFacts(t, "acme-ent", "acme-hq")
	f.AvailableNumbers = f.AvailableNumbers[3:]
	c.SetFacts(f)
	p, err := c.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if !p.Valid() {
		t.Fatalf("reused preview invalid: %v", p.Problems())
	}
	for _, col := range []Column{ColUserID, ColPassword, ColPhoneNumber, ColDeviceName, ColMACAddress} {
		var old []string
		for _, r := range before.Rows {
			old = append(old, r.Get(col))
		}
		for i, r := range p.Rows {
			if v := r.Get(col); v == "" || slices.Contains(old, v) {
				t.Errorf("row %d %s = %q, the earlier task has %q", i+1, col, v, old)
			}
		}
	}
	for i, r := range p.Rows {
		if want := f.AvailableNumbers[i]; r.Get(ColPhoneNumber) != want {
			t.Errorf("row %d number %s, want the first free %s", i+1, r.Get(ColPhoneNumber), want)
		}
		if r.Get(ColTitle) != "Agent" || r.Get(ColTimeZone) != "Europe/London" || r.Get(ColCity) != "Springfield" || r.Get(ColDepartment) != "Sales" {
			t.Errorf("row %d lost an answer: %v", i+1, r.Fields())
		}
	}
	if got := p.Rows[0].Get(ColUserID); got != "user.004@acme.example.com" {
		t.Errorf("first user id %q", got)
	}
}

// What the earlier task created exists now: it is selected, not created
// again.
func TestModel_Reuse_createdExistNow(t *testing.T) {
	m := NewModel()
	m.Enterprise = EnterpriseStep{Mode: ModeCreate, ID: "new-ent", Name: "New Ent", Domain: "new.example.com", IsEnterprise: true}
	m.Group = GroupStep{Mode: ModeCreate, ID: "new-g", Name: "New G", Domain: "new.example.com", UserLimit: 50}
	m.Department = DepartmentStep{Mode: ModeCreate, Name: "Lab"}
	m.UserCount, m.StartIndex = 10, 0
	c := m.Reuse()
	if c.Enterprise != (EnterpriseStep{Mode: ModeSelect, ID: "new-ent", Name: "New Ent", IsEnterprise: true}) {
		t.Errorf("enterprise %+v", c.Enterprise)
	}
	if c.Group != (GroupStep{Mode: ModeSelect, ID: "new-g", Name: "New G"}) {
		t.Errorf("group %+v", c.Group)
	}
	if c.Department != (DepartmentStep{Mode: ModeSelect, Name: "Lab"}) {
		t.Errorf("department %+v", c.Department)
	}
	if c.StartIndex != 10 || !c.Skip {
		t.Errorf("start index %d, skip %v", c.StartIndex, c.Skip)
	}
	if fe := c.Validate(StepGroup); len(fe) > 0 {
		t.Errorf("group step: %v", fe)
	}
}

// Imported rows are the task's users, not answers: the copy goes back to
// the templates and the index is not moved (it numbered no row).
func TestModel_Reuse_imported(t *testing.T) {
	m := ForGroup("acme-ent", true, "acme-hq", demoFacts(t, "acme-ent", "acme-hq"))
	m.SetImported([]Row{RowFromFields(map[string]string{"userId": "a@acme.example.com"}), RowFromFields(map[string]string{"userId": "b@acme.example.com"})})
	c := m.Reuse()
	if c.Imported != nil || c.StartIndex != 1 || c.UserCount != 2 {
		t.Errorf("imported %v, start index %d, count %d", c.Imported, c.StartIndex, c.UserCount)
	}
}

func TestGroupFacts_After(t *testing.T) {
	f := demoFacts(t, "acme-ent", "acme-hq")
	orig, _ := json.Marshal(f)
	g := f.After(TaskOutcome{Users: 3, Numbers: []string{"2025550100", "+1-2025550102"}, Department: "Lab"})
	if now, _ := json.Marshal(f); string(now) != string(orig) {
		t.Error("After changed f")
	}
	if g.Group.UserCount != f.Group.UserCount+3 || g.Group.Free() != f.Group.Free()-3 {
		t.Errorf("user count %d, free %d", g.Group.UserCount, g.Group.Free())
	}
	if want := append([]string{"2025550101"}, f.AvailableNumbers[3:]...); !slices.Equal(g.AvailableNumbers, want) {
		t.Errorf("available %v…", g.AvailableNumbers[:3])
	}
	if len(g.Departments) != len(f.Departments)+1 || g.Departments[len(g.Departments)-1] != (Department{Name: "Lab"}) {
		t.Errorf("departments %v", g.Departments)
	}
	// A department it knows already is not listed twice; nothing done,
	// nothing changed.
	if h := f.After(TaskOutcome{Department: "sales"}); !reflect.DeepEqual(h, f) {
		t.Errorf("After(nothing new) = %+v", h)
	}
}
