package wizard_test

import (
	"context"
	"fmt"

	"bwbulk/wizard"
)

// A model for an existing group, three users with numbers from a range,
// previewed and turned into the commands each job will send.
func Example() {
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
		panic(err)
	}
	m := wizard.NewModelForGroup("acme-ent", true, facts)
	m.UserCount = 3
	m.Names = wizard.NamesStep{FirstName: "Agent", LastName: "{{ index | pad 3 }}"}
	m.UserID.Template = "{{ first name | lower }}{{ extension }}"
	m.Numbers = wizard.NumbersStep{Mode: wizard.NumbersList, Entries: []string{"2025550100-2025550199"},
		ExtensionMode: wizard.ExtensionsFromNumber}

	p, err := m.Preview()
	if err != nil {
		panic(err)
	}
	p.Set(2, wizard.ColFirstName, "Boss") // a hand edit; the user id follows
	plan, err := p.Plan()
	if err != nil {
		panic(err)
	}
	for _, r := range plan {
		fmt.Println(r.Row, r.UserID, r.Commands[0].OCIName())
	}
	// Output:
	// 1 agent0100@acme.example.com UserAddRequest22V2
	// 2 agent0101@acme.example.com UserAddRequest22V2
	// 3 boss0102@acme.example.com UserAddRequest22V2
}

// Tag templates expand per row; errors carry their position.
func ExampleParseTemplate() {
	t, _ := wizard.ParseTemplate("{{ first name | lower }}.{{ phone number | last 4 }}")
	var r wizard.Row
	r.Set(wizard.ColFirstName, "Ada")
	r.Set(wizard.ColPhoneNumber, "2025550142")
	s, _ := t.Render(&wizard.Env{Row: &r})
	fmt.Println(s)
	_, err := wizard.ParseTemplate("x {{ shoe size }}")
	fmt.Println(err)
	// Output:
	// ada.0142
	// template at position 3: unknown tag "shoe size"
}
