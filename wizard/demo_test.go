package wizard

import (
	"fmt"
	"testing"
)

// Demo rule sets matching the simulator's demo groups (see CONTRACTS.md).
var (
	rulesAcmeHQ = PasswordRules{MinLength: 8, MinDigits: 1, MinUpperCase: 1, MinLowerCase: 1, DisallowUserID: true}
	// acme-branch uses the system defaults: length only.
	rulesAcmeBranch = PasswordRules{MinLength: 6}
	// metro-g1 is strict.
	rulesMetroG1 = PasswordRules{MinLength: 12, MinDigits: 2, MinUpperCase: 1, MinLowerCase: 1, MinNonAlphanumeric: 1, DisallowUserID: true}
)

func numberRange(first, last int) []string {
	var out []string
	for n := first; n <= last; n++ {
		out = append(out, fmt.Sprint(n))
	}
	return out
}

// demoCatalogue mirrors the simulator's demo dataset.
func demoCatalogue() *StaticCatalogue {
	tz := []TimeZone{{Key: "America/New_York", Display: "(GMT-05:00) Eastern"}, {Key: "Europe/London", Display: "(GMT) London"}}
	langs := []string{"English", "French"}
	devs := []string{"Polycom VVX 450", "Yealink T54W", "Cisco 8851-3PCC", "Generic SIP Phone"}
	return &StaticCatalogue{
		Providers: []ServiceProvider{{ID: "acme-ent", Name: "Acme Enterprise", IsEnterprise: true}, {ID: "metro-sp", Name: "Metro SP"}},
		TZ:        tz,
		Langs:     langs,
		GroupFacts: map[string][]GroupFacts{
			"acme-ent": {
				{
					Group: GroupInfo{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Name: "Acme HQ", DefaultDomain: "acme.example.com",
						UserLimit: 500, UserCount: 0, MinExtensionLength: 4, MaxExtensionLength: 4, DefaultExtensionLength: 4, TimeZone: "America/New_York", IsEnterprise: true},
					Rules:            rulesAcmeHQ,
					AvailableNumbers: numberRange(2025550100, 2025550399),
					DeviceTypes:      devs,
					Departments:      []Department{{Name: "Sales"}, {Name: "Support"}},
					Trunks:           Trunks{TrunkGroups: []string{"acme-hq-trunk"}, EnterpriseTrunks: []string{"acme-etrunk"}},
					Domains:          []string{"acme.example.com"},
					TimeZones:        tz,
					Languages:        langs,
				},
				{
					Group: GroupInfo{ServiceProviderID: "acme-ent", GroupID: "acme-branch", Name: "Acme Branch", DefaultDomain: "acme.example.com",
						UserLimit: 25, UserCount: 20, MinExtensionLength: 3, MaxExtensionLength: 3, DefaultExtensionLength: 3, IsEnterprise: true},
					Rules:       rulesAcmeBranch,
					DeviceTypes: devs,
					Domains:     []string{"acme.example.com"},
					TimeZones:   tz,
					Languages:   langs,
				},
			},
			"metro-sp": {
				{
					Group: GroupInfo{ServiceProviderID: "metro-sp", GroupID: "metro-g1", Name: "Metro G1", DefaultDomain: "metro.example.net",
						UserLimit: 100, UserCount: 0, MinExtensionLength: 5, MaxExtensionLength: 5, DefaultExtensionLength: 5},
					Rules:       rulesMetroG1,
					DeviceTypes: devs,
					Domains:     []string{"metro.example.net"},
					TimeZones:   tz,
					Languages:   langs,
				},
			},
		},
	}
}

func demoFacts(t testing.TB, sp, group string) *GroupFacts {
	t.Helper()
	f, err := LoadFacts(t.Context(), demoCatalogue(), sp, group)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// hqModel is a complete, valid model for n users in acme-hq with numbers,
// hosted devices and a department.
func hqModel(t testing.TB, n int) *Model {
	t.Helper()
	m := NewModelForGroup("acme-ent", true, demoFacts(t, "acme-ent", "acme-hq"))
	m.UserCount = n
	m.Names = NamesStep{FirstName: "User", LastName: "{{ index | pad 3 }}"}
	m.UserID.Template = "{{ first name | lower }}.{{ last name }}"
	m.Numbers = NumbersStep{Mode: NumbersList, Entries: []string{"2025550100-2025550399"}, ExtensionMode: ExtensionsFromNumber}
	m.Device = DeviceStep{Mode: DeviceHosted, DeviceType: "Polycom VVX 450", DeviceName: "{{ user name }}-phone", LinePort: "{{ user id }}"}
	m.Department = DepartmentStep{Mode: ModeSelect, Name: "Sales"}
	m.Details = DetailsStep{TimeZone: "America/New_York", Language: "English"}
	m.Contact = ContactStep{Email: "{{ user id }}"}
	return m
}
