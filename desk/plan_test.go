package desk

import (
	"context"
	"encoding/json"
	"testing"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

func testModel(t *testing.T) *wizard.Model {
	t.Helper()
	cat := &wizard.StaticCatalogue{
		Providers: []wizard.ServiceProvider{{ID: "acme-ent", IsEnterprise: true}},
		GroupFacts: map[string][]wizard.GroupFacts{"acme-ent": {{
			Group: wizard.GroupInfo{ServiceProviderID: "acme-ent", GroupID: "acme-hq", DefaultDomain: "acme.example.com",
				UserLimit: 500, MinExtensionLength: 4, MaxExtensionLength: 4, DefaultExtensionLength: 4},
			Rules: wizard.PasswordRules{MinLength: 8, MinDigits: 1},
		}}},
	}
	facts, err := wizard.LoadFacts(context.Background(), cat, "acme-ent", "acme-hq")
	if err != nil {
		t.Fatal(err)
	}
	m := wizard.NewModelForGroup("acme-ent", true, facts)
	m.UserCount = 3
	m.Names = wizard.NamesStep{FirstName: "Agent", LastName: "{{ index | pad 3 }}"}
	m.UserID.Template = "{{ first name | lower }}{{ extension }}"
	m.Numbers = wizard.NumbersStep{Mode: wizard.NumbersList, Entries: []string{"2025550100-2025550199"},
		ExtensionMode: wizard.ExtensionsFromNumber}
	m.SetCell(1, wizard.ColFirstName, "Boss")
	return m
}

// TestPlanTask_FixInfoBothWays: the window's plan (every job at once) and
// the command line's (one job at a time as it is stored) carry the same
// fix info: the hand-edited columns of each row, the model on row 1.
func TestPlanTask_FixInfoBothWays(t *testing.T) {
	m := testModel(t)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	prof := jobs.Profile{AdminUser: "admin", Address: "as.example.net:2208"}
	whole, _, err := PlanTask(m, p, prof)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := PlanTaskLazy(m, p, prof)
	if err != nil {
		t.Fatal(err)
	}
	if lazy.NumJobs != len(whole.Jobs) || len(whole.Jobs) != 3 {
		t.Fatalf("jobs: %d lazy, %d whole", lazy.NumJobs, len(whole.Jobs))
	}
	for i, w := range whole.Jobs {
		l, err := lazy.JobAt(i)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{FieldEdited, FieldModel} {
			if w.Fields[k] != l.Fields[k] {
				t.Errorf("row %d %s: window %q, command line %q", i+1, k, w.Fields[k], l.Fields[k])
			}
		}
	}
	if got := whole.Jobs[1].Fields[FieldEdited]; got != wizard.ColFirstName.String() {
		t.Errorf("row 2 edited = %q, want %q", got, wizard.ColFirstName.String())
	}
	if whole.Jobs[0].Fields[FieldEdited] != "" || whole.Jobs[1].Fields[FieldModel] != "" {
		t.Errorf("fix info on the wrong rows: %v / %v", whole.Jobs[0].Fields, whole.Jobs[1].Fields)
	}
	base := wizard.NewModel()
	if err := json.Unmarshal([]byte(whole.Jobs[0].Fields[FieldModel]), base); err != nil {
		t.Fatalf("model: %v", err)
	}
	if base.UserID.Template != m.UserID.Template || len(base.Edits) != 0 {
		t.Errorf("stored model = %+v", base.UserID)
	}
	if whole.Admin != "admin" || whole.Server != prof.Address || lazy.Admin != "admin" || lazy.Server != prof.Address {
		t.Errorf("who and where: %q %q / %q %q", whole.Admin, whole.Server, lazy.Admin, lazy.Server)
	}
}

// TestPlanTask_ImportedHasNoModel: imported rows have no templates to
// apply again, so no model is stored.
func TestPlanTask_ImportedHasNoModel(t *testing.T) {
	m := testModel(t)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	m.Imported = p.Rows
	spec, _, err := PlanTask(m, p, jobs.Profile{})
	if err != nil {
		t.Fatal(err)
	}
	if spec.Jobs[0].Fields[FieldModel] != "" {
		t.Error("an imported task stored a model")
	}
}
