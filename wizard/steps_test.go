package wizard

import (
	"reflect"
	"testing"
)

func TestSteps_order(t *testing.T) {
	want := []string{"enterprise", "group", "userCount", "userId", "passwords", "names", "numbers",
		"device", "services", "department", "details", "contact", "address", "preview"}
	steps := Steps()
	if len(steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(steps), len(want))
	}
	for i, s := range steps {
		if s.String() != want[i] || s.Title() == "" {
			t.Errorf("step %d = %s %q", i, s, s.Title())
		}
	}
	if n, ok := StepAddress.Next(); !ok || n != StepPreview {
		t.Errorf("Next(address) = %v %v", n, ok)
	}
	if _, ok := StepPreview.Next(); ok {
		t.Error("Next(preview) ok")
	}
	if _, ok := StepEnterprise.Prev(); ok {
		t.Error("Prev(enterprise) ok")
	}
}

func TestModel_Validate(t *testing.T) {
	tests := []struct {
		name string
		step Step
		set  func(m *Model)
		want FieldErrors
	}{
		// Enterprise
		{"select sp", StepEnterprise, func(m *Model) {}, nil},
		{"select sp: id missing", StepEnterprise, func(m *Model) { m.Enterprise.ID = "" }, FieldErrors{FieldSPID: "is required"}},
		{"select sp: id too long", StepEnterprise, func(m *Model) { m.Enterprise.ID = "abcdefghijabcdefghijabcdefghij1" },
			FieldErrors{FieldSPID: "must be at most 30 bytes (has 31)"}},
		{"create sp", StepEnterprise, func(m *Model) {
			m.Enterprise = EnterpriseStep{Mode: ModeCreate, ID: "new-ent", Domain: "new.example.com", IsEnterprise: true}
		}, nil},
		{"create sp: no domain", StepEnterprise, func(m *Model) {
			m.Enterprise = EnterpriseStep{Mode: ModeCreate, ID: "new-ent"}
		}, FieldErrors{FieldSPDomain: "is required: a domain such as example.com"}},
		{"sp: bad mode", StepEnterprise, func(m *Model) { m.Enterprise.Mode = "maybe" }, FieldErrors{FieldSPMode: "choose select or create"}},
		{"sp: spaces", StepEnterprise, func(m *Model) { m.Enterprise.ID = " acme" }, FieldErrors{FieldSPID: "must not start or end with a space"}},
		// Group
		{"select group", StepGroup, func(m *Model) {}, nil},
		{"create group", StepGroup, func(m *Model) {
			m.Group = GroupStep{Mode: ModeCreate, ID: "g2", Domain: "acme.example.com", UserLimit: 50}
		}, nil},
		{"create group: limit 0", StepGroup, func(m *Model) {
			m.Group = GroupStep{Mode: ModeCreate, ID: "g2", Domain: "acme.example.com"}
		}, FieldErrors{FieldGroupUserLimit: "must be between 1 and 999999"}},
		{"create group: everything missing", StepGroup, func(m *Model) { m.Group = GroupStep{Mode: ModeCreate} },
			FieldErrors{FieldGroupID: "is required", FieldGroupDomain: "is required: a domain such as example.com", FieldGroupUserLimit: "must be between 1 and 999999"}},
		// User count
		{"count ok", StepUserCount, func(m *Model) { m.UserCount = 500 }, nil},
		{"count 0", StepUserCount, func(m *Model) { m.UserCount = 0 }, FieldErrors{FieldUserCount: "must be at least 1"}},
		{"count over free", StepUserCount, func(m *Model) { m.UserCount = 501 },
			FieldErrors{FieldUserCount: "only 500 free licences in group acme-hq (limit 500, 0 users)"}},
		{"negative start", StepUserCount, func(m *Model) { m.StartIndex = -1 }, FieldErrors{FieldStartIndex: "must be between 0 and 1000000000"}},
		// User id
		{"user id ok", StepUserID, func(m *Model) {}, nil},
		{"user id empty", StepUserID, func(m *Model) { m.UserID.Template = "" }, FieldErrors{FieldUserIDTemplate: "is required"}},
		{"user id unknown tag", StepUserID, func(m *Model) { m.UserID.Template = "{{ nickname }}" },
			FieldErrors{FieldUserIDTemplate: `template userId.template at position 1: unknown tag "nickname"`}},
		{"user id foreign domain", StepUserID, func(m *Model) { m.UserID.Domain = "other.example.com" },
			FieldErrors{FieldUserIDDomain: `"other.example.com" is not assigned to the group`}},
		{"user id bad domain", StepUserID, func(m *Model) { m.UserID.Domain = "bad domain" }, FieldErrors{FieldUserIDDomain: "is not a valid domain"}},
		// Passwords
		{"passwords generate", StepPasswords, func(m *Model) {}, nil},
		{"passwords blank", StepPasswords, func(m *Model) { m.Passwords.Mode = PasswordsBlank }, nil},
		{"passwords bad mode", StepPasswords, func(m *Model) { m.Passwords.Mode = "" }, FieldErrors{FieldPasswordMode: "choose blank or generated passwords"}},
		{"passwords impossible rules", StepPasswords, func(m *Model) { m.Facts.Rules = PasswordRules{MinDigits: 40, MinUpperCase: 40} },
			FieldErrors{FieldPasswordMode: "the group's password rules cannot be met"}},
		// Names
		{"names ok", StepNames, func(m *Model) {}, nil},
		{"names missing", StepNames, func(m *Model) { m.Names = NamesStep{} }, FieldErrors{FieldFirstName: "is required", FieldLastName: "is required"}},
		{"clid bad tag", StepNames, func(m *Model) { m.Names.CLIDFirstName = "{{ first name | pad }}" },
			FieldErrors{FieldCLIDFirstName: `template names.callingLineIdFirstName at position 1: filter "pad" needs one number`}},
		// Numbers
		{"numbers list ok", StepNumbers, func(m *Model) {}, nil},
		{"numbers none", StepNumbers, func(m *Model) { m.Numbers = NumbersStep{Mode: ModeNone} }, nil},
		{"numbers too few", StepNumbers, func(m *Model) { m.Numbers.Entries = []string{"2025550100-2025550101"}; m.UserCount = 3 },
			FieldErrors{FieldNumbers: "2 numbers for 3 users"}},
		{"numbers empty list", StepNumbers, func(m *Model) { m.Numbers.Entries = nil }, FieldErrors{FieldNumbers: "add at least one number or range"}},
		{"numbers bad entry", StepNumbers, func(m *Model) { m.Numbers.Entries = []string{"2025550100-2025550200", "12ab"} },
			FieldErrors{FieldNumbers: `entry 2: "12ab": must contain digits only`}},
		{"numbers unavailable", StepNumbers, func(m *Model) { m.Numbers.Entries = []string{"2025550398-2025550402"} },
			FieldErrors{FieldNumbers: "2025550400 is not available in group acme-hq"}},
		{"numbers from available", StepNumbers, func(m *Model) { m.Numbers = NumbersStep{Mode: NumbersAvailable, ExtensionMode: ExtensionsFromNumber} }, nil},
		{"extension length out of group range", StepNumbers, func(m *Model) { m.Numbers.ExtensionLength = 5 },
			FieldErrors{FieldExtensionLength: "must be 4 for this group"}},
		{"extension from number without numbers", StepNumbers, func(m *Model) { m.Numbers = NumbersStep{Mode: ModeNone, ExtensionMode: ExtensionsFromNumber} }, nil},
		{"bad number mode", StepNumbers, func(m *Model) { m.Numbers.Mode = "lots" }, FieldErrors{FieldNumberMode: "choose none, list or available"}},
		{"bad extension mode", StepNumbers, func(m *Model) { m.Numbers.ExtensionMode = "guess" }, FieldErrors{FieldExtensionMode: "choose none, from number or template"}},
		{"default model numbers step", StepNumbers, func(m *Model) { m.Numbers = NewModel().Numbers }, nil},
		{"extension template ok", StepNumbers, func(m *Model) {
			m.Numbers = NumbersStep{Mode: ModeNone, ExtensionMode: ExtensionsTemplate, ExtensionTemplate: "5{{ index | pad 3 }}"}
		}, nil},
		{"extension template wrong length", StepNumbers, func(m *Model) {
			m.Numbers = NumbersStep{Mode: ModeNone, ExtensionMode: ExtensionsTemplate, ExtensionTemplate: "{{ index | pad 6 }}"}
		}, FieldErrors{FieldExtensionTemplate: `first row gives "000001": extensions must be 4 digits`}},
		// Device
		{"device hosted ok", StepDevice, func(m *Model) {}, nil},
		{"device none", StepDevice, func(m *Model) { m.Device = DeviceStep{Mode: ModeNone} }, nil},
		{"device hosted missing", StepDevice, func(m *Model) { m.Device = DeviceStep{Mode: DeviceHosted} },
			FieldErrors{FieldDeviceType: "is required", FieldDeviceName: "is required", FieldLinePort: "is required"}},
		{"device type unknown", StepDevice, func(m *Model) { m.Device.DeviceType = "Tin Can" },
			FieldErrors{FieldDeviceType: `"Tin Can" is not offered in this group`}},
		{"trunk ok", StepDevice, func(m *Model) {
			m.Device = DeviceStep{Mode: DeviceTrunk, TrunkGroup: "acme-hq-trunk", LinePort: "{{ phone number }}"}
		}, nil},
		{"enterprise trunk only", StepDevice, func(m *Model) { m.Device = DeviceStep{Mode: DeviceTrunk, EnterpriseTrunk: "acme-etrunk"} }, nil},
		{"trunk none chosen", StepDevice, func(m *Model) { m.Device = DeviceStep{Mode: DeviceTrunk} },
			FieldErrors{FieldTrunkGroup: "choose a trunk group or an enterprise trunk"}},
		{"trunk unknown", StepDevice, func(m *Model) { m.Device = DeviceStep{Mode: DeviceTrunk, TrunkGroup: "nope", LinePort: "x"} },
			FieldErrors{FieldTrunkGroup: `"nope" does not exist`}},
		// Department
		{"department select", StepDepartment, func(m *Model) {}, nil},
		{"department unknown", StepDepartment, func(m *Model) { m.Department.Name = "Marketing" },
			FieldErrors{FieldDepartment: `"Marketing" does not exist`}},
		{"department create", StepDepartment, func(m *Model) { m.Department = DepartmentStep{Mode: ModeCreate, Name: "Marketing"} }, nil},
		{"department create existing", StepDepartment, func(m *Model) { m.Department = DepartmentStep{Mode: ModeCreate, Name: "sales"} },
			FieldErrors{FieldDepartment: `"sales" already exists: select it instead`}},
		{"department too long", StepDepartment, func(m *Model) {
			m.Department = DepartmentStep{Mode: ModeCreate, Name: "Department of Redundancy Department of Redundancy D"}
		}, FieldErrors{FieldDepartment: "must be at most 50 characters"}},
		// Details
		{"details ok", StepDetails, func(m *Model) {}, nil},
		{"details unknown tz", StepDetails, func(m *Model) { m.Details.TimeZone = "Mars/Olympus" },
			FieldErrors{FieldTimeZone: `"Mars/Olympus" is not a known time zone`}},
		{"details unknown language", StepDetails, func(m *Model) { m.Details.Language = "Klingon" },
			FieldErrors{FieldLanguage: `"Klingon" is not a known language`}},
		// Contact
		{"contact ok", StepContact, func(m *Model) {}, nil},
		{"contact bad email", StepContact, func(m *Model) { m.Contact.Email = "{{ first name }}" },
			FieldErrors{FieldEmail: "first row: must look like name@example.com"}},
		{"contact bad mobile", StepContact, func(m *Model) { m.Contact.Mobile = "call me" },
			FieldErrors{FieldMobile: "first row: must be a phone number (digits, optionally +, -, spaces)"}},
		// Address
		{"address ok", StepAddress, func(m *Model) {
			m.Address = AddressStep{Line1: "{{ index }} Main St", City: "Springfield", Country: "US"}
		}, nil},
		{"address too long", StepAddress, func(m *Model) { m.Address.City = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" },
			FieldErrors{FieldCity: "first row: must be at most 50 characters (has 58)"}},
		{"address bad tag", StepAddress, func(m *Model) { m.Address.Zip = "{{ zip" },
			FieldErrors{FieldZip: `template address.zipOrPostalCode at position 1: unclosed "{{"`}},
		// Preview
		{"preview ok", StepPreview, func(m *Model) {}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := hqModel(t, 3)
			tc.set(m)
			got := m.Validate(tc.step)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate(%s) = %v\nwant %v", tc.step, got, tc.want)
			}
			req, _ := m.Fields(tc.step)
			if tc.step != StepDetails && tc.step != StepContact && tc.step != StepAddress && len(req) == 0 {
				t.Errorf("step %s declares no required field", tc.step)
			}
		})
	}
}

func TestModel_FirstStep(t *testing.T) {
	if NewModel().FirstStep() != StepEnterprise {
		t.Error("new model does not start at the enterprise step")
	}
	m := hqModel(t, 2)
	if m.FirstStep() != StepUserCount {
		t.Error("model for a group does not skip steps 1-2")
	}
	c := m.Clone()
	if c.FirstStep() != StepUserCount || c.Passwords.Generated != nil || c.Edits != nil {
		t.Error("clone keeps secrets or loses the skip")
	}
}

func TestDraft_roundTrip(t *testing.T) {
	m := hqModel(t, 3)
	m.SetCell(1, ColTitle, "Boss")
	if _, err := m.Preview(); err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalDraft(StepDevice)
	if err != nil {
		t.Fatal(err)
	}
	m2, step, err := UnmarshalDraft(b)
	if err != nil {
		t.Fatal(err)
	}
	if step != StepDevice || !reflect.DeepEqual(m, m2) {
		t.Errorf("draft round trip differs:\n%+v\n%+v", m, m2)
	}
	// A draft from before the Services step opens where it was left.
	if _, step, err := UnmarshalDraft([]byte(`{"version":1,"step":8,"model":{}}`)); err != nil || step != StepDepartment {
		t.Errorf("version 1 draft at Department opens at %v (%v)", step, err)
	}
	if _, step, _ := UnmarshalDraft([]byte(`{"version":1,"step":7,"model":{}}`)); step != StepDevice {
		t.Errorf("version 1 draft at Device opens at %v", step)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"version":3,"model":{}}`, "wizard: unsupported draft version 3"},
		{`{"version":0}`, "wizard: unsupported draft version 0"},
		{`not json`, "wizard: draft: invalid character 'o' in literal null (expecting 'u')"},
		{`{"version":1,"model":{"userCount":"many"}}`, "wizard: draft: json: cannot unmarshal string into Go struct field Model.model.userCount of type int"},
	} {
		if _, _, err := UnmarshalDraft([]byte(tc.in)); err == nil || err.Error() != tc.want {
			t.Errorf("UnmarshalDraft(%s) = %v, want %q", tc.in, err, tc.want)
		}
	}
}
