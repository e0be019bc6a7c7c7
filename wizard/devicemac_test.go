package wizard

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// macFacts are acme-hq's facts with device types described as the
// simulator describes them: the Polycom and Yealink types need a MAC
// address, the generic phone does not, and the Cisco type is unknown.
func macFacts(t testing.TB) *GroupFacts {
	t.Helper()
	f := demoFacts(t, "acme-ent", "acme-hq")
	f.DeviceTypeInfo = []DeviceType{
		{Name: "Polycom VVX 450", RequiresMAC: new(true)},
		{Name: "Yealink T54W", RequiresMAC: new(true)},
		{Name: "Cisco 8851-3PCC"},
		{Name: "Generic SIP Phone", RequiresMAC: new(false)},
	}
	return f
}

func macModel(t testing.TB, n int) *Model {
	t.Helper()
	m := hqModel(t, n)
	m.Facts = macFacts(t)
	return m
}

func TestGroupFacts_RequiresMAC(t *testing.T) {
	f := macFacts(t)
	tests := []struct {
		typ             string
		requires, known bool
	}{
		{"Polycom VVX 450", true, true},
		{"polycom vvx 450", true, true},
		{"Generic SIP Phone", false, true},
		{"Cisco 8851-3PCC", false, false},
		{"No Such Phone", false, false},
	}
	for _, tc := range tests {
		if r, k := f.RequiresMAC(tc.typ); r != tc.requires || k != tc.known {
			t.Errorf("RequiresMAC(%q) = %v %v, want %v %v", tc.typ, r, k, tc.requires, tc.known)
		}
	}
	if r, k := (*GroupFacts)(nil).RequiresMAC("Polycom VVX 450"); r || k {
		t.Errorf("nil facts: %v %v", r, k)
	}
}

// Facts cached before device types were described still load: a missing
// deviceTypeInfo means unknown, and a described type keeps "false" apart
// from "unknown" through JSON.
func TestGroupFacts_deviceTypeInfoJSON(t *testing.T) {
	var old GroupFacts
	if err := json.Unmarshal([]byte(`{"group":{"groupId":"g"},"deviceTypes":["Polycom VVX 450"]}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.DeviceTypeInfo != nil {
		t.Fatalf("old facts: DeviceTypeInfo %v", old.DeviceTypeInfo)
	}
	if _, known := old.RequiresMAC("Polycom VVX 450"); known {
		t.Fatal("old facts: requirement known")
	}
	b, err := json.Marshal(macFacts(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{"name":"Polycom VVX 450","requiresMac":true}`, `{"name":"Cisco 8851-3PCC"}`, `{"name":"Generic SIP Phone","requiresMac":false}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	var back GroupFacts
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"Polycom VVX 450", "Cisco 8851-3PCC", "Generic SIP Phone"} {
		r1, k1 := macFacts(t).RequiresMAC(typ)
		r2, k2 := back.RequiresMAC(typ)
		if r1 != r2 || k1 != k2 {
			t.Errorf("%s: %v %v after JSON, want %v %v", typ, r2, k2, r1, k1)
		}
	}
}

// namesOnly hides StaticCatalogue's DeviceTypeDescriber.
type namesOnly struct{ Catalogue }

// failingDescriber describes nothing (an offline copy saved before
// descriptions existed).
type failingDescriber struct{ *StaticCatalogue }

func (failingDescriber) DeviceTypeInfo(context.Context, string, string) ([]DeviceType, error) {
	return nil, errors.New("no offline copy")
}

func TestLoadFacts_deviceTypeInfo(t *testing.T) {
	cat := demoCatalogue()
	gs := cat.GroupFacts["acme-ent"]
	gs[0].DeviceTypeInfo = macFacts(t).DeviceTypeInfo
	tests := []struct {
		name  string
		cat   Catalogue
		known bool
	}{
		{"describer", cat, true},
		{"names only", namesOnly{cat}, false},
		{"describer fails", failingDescriber{cat}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := LoadFacts(t.Context(), tc.cat, "acme-ent", "acme-hq")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.DeviceTypes, ","); got != "Polycom VVX 450,Yealink T54W,Cisco 8851-3PCC,Generic SIP Phone" {
				t.Fatalf("device types %s", got)
			}
			r, k := f.RequiresMAC("Yealink T54W")
			if k != tc.known || r != tc.known {
				t.Fatalf("RequiresMAC = %v %v, want %v %v", r, k, tc.known, tc.known)
			}
		})
	}
	// A group without descriptions gives bare names.
	info, err := cat.DeviceTypeInfo(t.Context(), "acme-ent", "acme-branch")
	if err != nil || len(info) != 4 || info[0].Name != "Polycom VVX 450" || info[0].RequiresMAC != nil {
		t.Fatalf("acme-branch info %v %v", info, err)
	}
	if _, err := cat.DeviceTypeInfo(t.Context(), "acme-ent", "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown group: %v", err)
	}
}

func TestModel_deviceStepMAC(t *testing.T) {
	tests := []struct {
		name     string
		set      func(m *Model)
		required bool
		want     FieldErrors
	}{
		{"type needs a MAC, none given yet: the preview asks", func(m *Model) {}, true, nil},
		{"type needs a MAC, template", func(m *Model) { m.Device.MACAddress = "0004F2{{ index | pad 6 }}" }, true, nil},
		{"colon separators", func(m *Model) {
			m.Device.MACAddress = "00:04:f2:00:{{ index | pad 4 | first 2 }}:{{ index | pad 2 | last 2 }}"
		}, true, nil},
		{"dash separators", func(m *Model) { m.Device.MACAddress = "00-04-F2-00-00-{{ index | pad 2 }}" }, true, nil},
		{"dot separators", func(m *Model) { m.Device.MACAddress = "0004.F200.{{ index | pad 4 }}" }, true, nil},
		{"not hex", func(m *Model) { m.Device.MACAddress = "0004G2{{ index | pad 6 }}" }, true,
			FieldErrors{FieldMACAddress: `row 1, macAddress "0004G2000001": must be 12 hexadecimal digits (':', '-' or '.' separators allowed)`}},
		{"too short from row 10", func(m *Model) { m.Device.MACAddress = "0004F200000{{ index }}" }, true,
			FieldErrors{FieldMACAddress: `row 10, macAddress "0004F20000010": must be 12 hexadecimal digits (':', '-' or '.' separators allowed)`}},
		{"every row typed into the preview", func(m *Model) {
			for i := range m.UserCount {
				m.SetCell(i, ColMACAddress, "0004F2ABCD"+string(rune('A'+i/16))+string("0123456789ABCDEF"[i%16]))
			}
		}, true, nil},
		{"some rows typed into the preview", func(m *Model) { m.SetCell(0, ColMACAddress, "0004F2ABCDEF") }, true, nil},
		{"type without MAC", func(m *Model) { m.Device.DeviceType = "Generic SIP Phone" }, false, nil},
		{"type without MAC, bad MAC", func(m *Model) { m.Device.DeviceType = "Generic SIP Phone"; m.Device.MACAddress = "xyz" }, false,
			FieldErrors{FieldMACAddress: `row 1, macAddress "xyz": must be 12 hexadecimal digits (':', '-' or '.' separators allowed)`}},
		{"type unknown to the catalogue", func(m *Model) { m.Device.DeviceType = "Cisco 8851-3PCC" }, false, nil},
		{"old facts: unknown", func(m *Model) { m.Facts.DeviceTypeInfo = nil }, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := macModel(t, 12)
			tc.set(m)
			got := m.Validate(StepDevice)
			if !equalFE(got, tc.want) {
				t.Errorf("Validate = %v\nwant %v", got, tc.want)
			}
			req, opt := m.Fields(StepDevice)
			inReq, inOpt := containsField(req, FieldMACAddress), containsField(opt, FieldMACAddress)
			if inReq != tc.required || inOpt == tc.required {
				t.Errorf("MAC required %v optional %v, want required %v", inReq, inOpt, tc.required)
			}
		})
	}
}

func equalFE(a, b FieldErrors) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func containsField(fs []Field, f Field) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

func TestPreview_deviceTypeNeedsMAC(t *testing.T) {
	m := macModel(t, 3)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	if p.Valid() {
		t.Fatal("preview valid without MAC addresses")
	}
	ps := p.Problems()
	if len(ps) != 3 {
		t.Fatalf("problems %v", ps)
	}
	for i, pr := range ps {
		want := "row " + string(rune('1'+i)) + ", macAddress: Polycom VVX 450 needs a MAC address"
		if pr.Error() != want || !errors.Is(pr, ErrRequired) {
			t.Errorf("problem %d = %q, want %q", i, pr.Error(), want)
		}
	}
	if got := cellProblem(p, 2, ColMACAddress); got != "Polycom VVX 450 needs a MAC address" {
		t.Errorf("cell problem %q", got)
	}
	// Typed MACs, in any accepted notation, satisfy the check.
	p.Set(0, ColMACAddress, "00:04:f2:ab:cd:01")
	p.Set(1, ColMACAddress, "00-04-F2-AB-CD-02")
	p.Set(2, ColMACAddress, "0004.f2ab.cd03")
	if !p.Valid() {
		t.Fatalf("preview invalid: %v", p.Problems())
	}
	if got := p.Rows[0].Get(ColMACAddress); got != "0004F2ABCD01" {
		t.Errorf("MAC stored as %q", got)
	}
	// The Preview step reports the first one too.
	m2 := macModel(t, 3)
	if got := m2.Validate(StepPreview)[FieldRows]; got != "3 problems, first: row 1, macAddress: Polycom VVX 450 needs a MAC address" {
		t.Errorf("preview step: %q", got)
	}
	// Unknown requirements are not checked.
	m3 := macModel(t, 3)
	m3.Facts.DeviceTypeInfo = nil
	if p, err := m3.Preview(); err != nil || !p.Valid() {
		t.Fatalf("unknown requirement: %v %v", err, p.Problems())
	}
}

func TestModel_userIDStepRendersRows(t *testing.T) {
	tests := []struct {
		name string
		set  func(m *Model)
		want string
	}{
		{"valid", func(m *Model) {}, ""},
		{"space in the template", func(m *Model) { m.UserID.Template = "demo.user {{ index | pad 3 }}" },
			`row 1, userId "demo.user 001@acme.example.com": must not contain ' '`},
		{"space from a name on row 3", func(m *Model) { m.SetCell(2, ColLastName, "van Dyke") },
			`row 3, userId "user.van Dyke@acme.example.com": must not contain ' '`},
		{"reserved character", func(m *Model) { m.UserID.Template = "user;{{ index }}" },
			`row 1, userId "user;1@acme.example.com": must not contain ';'`},
		{"not ASCII", func(m *Model) { m.UserID.Template = "jos\u00e9{{ index }}" },
			`row 1, userId "josé1@acme.example.com": must not contain 'é'`},
		{"too long", func(m *Model) { m.UserID.Template = strings.Repeat("u", 150) + "{{ index }}" },
			`row 1, userId "` + strings.Repeat("u", 150) + `1@acme.example.com": must be at most 161 characters (has 168)`},
		{"same id on every row", func(m *Model) { m.UserID.Template = "{{ first name | lower }}" },
			`row 2, userId "user@acme.example.com": same as row 1: add {{ index }} to the template`},
		{"domain not assigned", func(m *Model) { m.UserID.Template = "u{{ index }}@other.example.com" },
			`row 1, userId "u1@other.example.com": domain "other.example.com" is not assigned to the group`},
		{"empty user part", func(m *Model) { m.UserID.Template = "{{ title }}@acme.example.com" },
			`row 1, userId "@acme.example.com": needs a user part before '@'`},
		{"hand-edited ids are the preview's", func(m *Model) {
			m.UserID.Template = "demo.user{{ index }}"
			m.SetCell(0, ColUserID, "bad id@acme.example.com")
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := hqModel(t, 5)
			tc.set(m)
			got := m.Validate(StepUserID)[FieldUserIDTemplate]
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// BenchmarkValidateUserIDStep10k is one keystroke on the User ID step of
// a 10,000-user model: every user id rendered and checked.
func BenchmarkValidateUserIDStep10k(b *testing.B) {
	m := hqModel(b, 10000)
	m.Facts.Group.UserLimit = 20000
	b.ReportAllocs()
	for b.Loop() {
		if fe := m.Validate(StepUserID); fe != nil {
			b.Fatal(fe)
		}
	}
}
