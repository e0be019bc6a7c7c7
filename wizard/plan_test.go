package wizard

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

var passwordElem = regexp.MustCompile(`<password>[^<]*</password>`)

// planXML renders commands one per line, passwords masked.
func planXML(t *testing.T, cmds []oci.Request) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, c := range cmds {
		x, err := oci.MarshalCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(passwordElem.ReplaceAll(x, []byte("<password>***</password>")))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func names(cmds []oci.Request) []string {
	var out []string
	for _, c := range cmds {
		out = append(out, c.OCIName())
	}
	return out
}

func planRow(fields map[string]string) Row {
	base := map[string]string{
		"userId": "jdoe@acme.example.com", "firstName": "Jane", "lastName": "Doe",
		"callingLineIdFirstName": "Jane", "callingLineIdLastName": "Doe", "password": "S3cret!pass",
	}
	for k, v := range fields {
		base[k] = v
	}
	return RowFromFields(base)
}

func hqTarget() Target {
	return Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Domain: "acme.example.com", IsEnterprise: true,
		Rules: rulesAcmeHQ, RequirePassword: true, MinExtensionLength: 4, MaxExtensionLength: 4,
		Departments: []Department{{Name: "Sales"}, {Name: "HQ Ops", Enterprise: true}}}
}

var planCases = []struct {
	name   string
	target func(t *Target)
	row    map[string]string
	want   []string
}{
	{
		name: "minimal",
		want: []string{"UserAddRequest22V2"},
	},
	{
		name: "hosted",
		row: map[string]string{"phoneNumber": "2025550100", "extension": "0100", "deviceType": "Polycom VVX 450",
			"deviceName": "jdoe-phone", "macAddress": "0004F2ABCDEF", "linePort": "jdoe@acme.example.com",
			"department": "Sales", "timeZone": "America/New_York", "language": "English", "emailAddress": "jdoe@acme.example.com",
			"title": "Engineer", "mobilePhoneNumber": "2025550199", "addressLocation": "Building 1", "addressLine1": "1 Main St",
			"city": "Springfield", "stateOrProvince": "VA", "zipOrPostalCode": "22150", "country": "US"},
		want: []string{"GroupAccessDeviceAddRequest22V2", "UserAddRequest22V2"},
	},
	{
		name:   "hosted existing device",
		target: func(t *Target) { t.ExistingDevices = []string{"lobby-phone"} },
		row:    map[string]string{"deviceName": "lobby-phone", "linePort": "jdoe@acme.example.com"},
		want:   []string{"UserAddRequest22V2"},
	},
	{
		name: "trunk group",
		row: map[string]string{"phoneNumber": "2025550101", "trunkGroupName": "acme-hq-trunk",
			"linePort": "2025550101@acme.example.com", "department": "HQ Ops"},
		want: []string{"UserAddRequest22V2"},
	},
	{
		name: "enterprise trunk",
		row:  map[string]string{"phoneNumber": "2025550102", "enterpriseTrunkName": "acme-etrunk"},
		want: []string{"UserAddRequest22V2"},
	},
	{
		name: "services",
		target: func(t *Target) {
			t.Services = &ServiceAuthorizations{Packs: []ServiceLicence{{Name: "Basic", Pack: true, Limit: -1}}}
		},
		row:  map[string]string{"services": "Basic; Voice Messaging User; Call Forwarding Always"},
		want: []string{"UserAddRequest22V2", "UserServiceAssignListRequest"},
	},
	{
		name:   "legacy hosted",
		target: func(t *Target) { t.Release = "21sp1" },
		row:    map[string]string{"deviceType": "Yealink T54W", "deviceName": "jdoe-phone", "linePort": "jdoe@acme.example.com"},
		want:   []string{"GroupAccessDeviceAddRequest14", "UserAddRequest17sp4"}, // UserAddRequest21 came with R23
	},
	{
		name:   "R23 hosted",
		target: func(t *Target) { t.Release = "23.0" },
		row:    map[string]string{"deviceType": "Yealink T54W", "deviceName": "jdoe-phone", "linePort": "jdoe@acme.example.com"},
		want:   []string{"GroupAccessDeviceAddRequest14", "UserAddRequest22"},
	},
	{
		name:   "legacy trunk",
		target: func(t *Target) { t.Release = "Release 17sp4" },
		row:    map[string]string{"trunkGroupName": "acme-hq-trunk", "linePort": "jdoe"},
		want:   []string{"UserAddRequest17sp4"},
	},
}

func TestPlanRow(t *testing.T) {
	for _, tc := range planCases {
		t.Run(tc.name, func(t *testing.T) {
			tg := hqTarget()
			if tc.target != nil {
				tc.target(&tg)
			}
			cmds, err := PlanRow(tg, planRow(tc.row))
			if err != nil {
				t.Fatal(err)
			}
			if got := names(cmds); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("commands = %v, want %v", got, tc.want)
			}
			golden(t, "plan/"+strings.ReplaceAll(tc.name, " ", "_")+".golden", planXML(t, cmds))
		})
	}
}

func TestPlanRow_refusesInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		row  map[string]string
		want string
	}{
		{"no password", map[string]string{"password": ""}, "wizard: row has problems: password: is required: type one or generate"},
		{"no domain", map[string]string{"userId": "jdoe"}, "wizard: row has problems: userId: needs a domain: user@example.com"},
		{"device without line port", map[string]string{"deviceType": "Yealink T54W", "deviceName": "d1"}, "wizard: row has problems: linePort: is required for a device user"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PlanRow(hqTarget(), planRow(tc.row))
			if !errors.Is(err, ErrInvalidRow) || err.Error() != tc.want {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "S3cret") {
				t.Error("error leaks the password")
			}
		})
	}
}

func TestPlanSetup(t *testing.T) {
	m := hqModel(t, 1)
	if got := PlanSetup(m); len(got) != 0 {
		t.Errorf("existing sp/group/department: %v", names(got))
	}
	m.Enterprise = EnterpriseStep{Mode: ModeCreate, ID: "new-sp", Name: "New SP", Domain: "new.example.com"}
	m.Group = GroupStep{Mode: ModeCreate, ID: "new-g", Name: "New G", Domain: "new.example.com", UserLimit: 30}
	m.Department = DepartmentStep{Mode: ModeCreate, Name: "Ops"}
	cmds := PlanSetup(m)
	if got := strings.Join(names(cmds), ","); got != "ServiceProviderConsolidatedAddRequest,GroupConsolidatedAddRequest,GroupDepartmentAddRequest" {
		t.Fatalf("setup = %s", got)
	}
	golden(t, "plan/setup.golden", planXML(t, cmds))
	for _, rel := range []string{"20", "22", "23"} { // the consolidated adds came with R24
		m.Release = rel
		if got := strings.Join(names(PlanSetup(m)), ","); got != "ServiceProviderAddRequest13mp2,GroupAddRequest,GroupDepartmentAddRequest" {
			t.Errorf("R%s setup = %s", rel, got)
		}
	}
}

func TestPreview_Plan(t *testing.T) {
	m := hqModel(t, 3)
	m.Services = []string{"Voice Messaging User"}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan()
	if err != nil {
		t.Fatal(err)
	}
	for i, pr := range plan {
		if pr.Row != i+1 || pr.UserID != p.Rows[i].Get(ColUserID) || pr.Fields["userId"] != pr.UserID {
			t.Errorf("planned row %d = %+v", i, pr)
		}
		if got := strings.Join(names(pr.Commands), ","); got != "GroupAccessDeviceAddRequest22V2,UserAddRequest22V2,UserServiceAssignListRequest" {
			t.Errorf("row %d commands %s", i, got)
		}
	}
}

// PlanSummary, which plans row by row without keeping the plan, says
// what Summarize of the whole plan says; an invalid preview is refused
// as Plan refuses it.
func TestPlanSummary(t *testing.T) {
	m := hqModel(t, 3)
	m.Services = []string{"Voice Messaging User"}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan()
	if err != nil {
		t.Fatal(err)
	}
	want := Summarize(m, p, PlanSetup(m), plan)
	got, err := PlanSummary(m, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("PlanSummary = %+v\nSummarize = %+v", got, want)
	}
	if got.Users != 3 || got.Devices != 3 || got.Commands < 9 || got.Description() != "3 users in "+got.ServiceProviderID+"/"+got.GroupID {
		t.Errorf("summary %+v, description %q", got, got.Description())
	}
	p.Set(1, ColUserID, "")
	if _, err := PlanSummary(m, p); !errors.Is(err, ErrInvalidRow) {
		t.Errorf("PlanSummary of an invalid preview: %v, want ErrInvalidRow", err)
	}
}

func schemaDir() string {
	if d := os.Getenv("OCIP_SCHEMA_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "ocip-schema") // from wizard/ to the repo's sibling
}

// TestPlan_schema validates every planned command against the R25 XSD
// with xmllint (skipped when either is missing).
func TestPlan_schema(t *testing.T) {
	xsd := filepath.Join(schemaDir(), "OCISchemaAS.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skip("schema not found: set OCIP_SCHEMA_DIR")
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed")
	}
	var all []oci.Request
	for _, tc := range planCases {
		tg := hqTarget()
		if tc.target != nil {
			tc.target(&tg)
		}
		cmds, err := PlanRow(tg, planRow(tc.row))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cmds...)
	}
	m := hqModel(t, 1)
	m.Enterprise = EnterpriseStep{Mode: ModeCreate, ID: "new-sp", Name: "New SP", Domain: "new.example.com"}
	m.Group = GroupStep{Mode: ModeCreate, ID: "new-g", Name: "New G", Domain: "new.example.com", UserLimit: 30}
	m.Department = DepartmentStep{Mode: ModeCreate, Name: "Ops"}
	all = append(all, PlanSetup(m)...)
	m.Release = "20"
	all = append(all, PlanSetup(m)[1])
	for start := 0; start < len(all); start += 15 {
		var doc bytes.Buffer
		doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<c:BroadsoftDocument protocol="OCI" xmlns:c="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId>s1</sessionId>`)
		for _, c := range all[start:min(start+15, len(all))] {
			x, err := oci.MarshalCommand(c)
			if err != nil {
				t.Fatal(err)
			}
			doc.Write(bytes.ReplaceAll(x, []byte(` xmlns=""`), nil))
		}
		doc.WriteString("</c:BroadsoftDocument>\n")
		cmd := exec.Command("xmllint", "--noout", "--schema", xsd, "-")
		cmd.Stdin = &doc
		out, err := cmd.CombinedOutput()
		if err != nil {
			var lines []string
			for _, l := range strings.Split(string(out), "\n") {
				if !strings.Contains(l, "namespace warning") && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "<") && l != "" {
					lines = append(lines, l)
				}
			}
			t.Fatalf("xmllint: %v\n%s", err, strings.Join(lines, "\n"))
		}
	}
}
