package ocisim_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
)

func deviceAdd(group, name, typ, extra string) string {
	return cmd("GroupAccessDeviceAddRequest22V2", el("serviceProviderId", "acme-ent")+el("groupId", group)+el("deviceName", name)+el("deviceType", typ)+extra)
}

func endpoint(dev, linePort string) string {
	return "<accessDeviceEndpoint><accessDevice>" + el("deviceLevel", "Group") + el("deviceName", dev) + "</accessDevice>" +
		el("linePort", linePort) + el("useHotline", "false") + "</accessDeviceEndpoint>"
}

func groupDept(sp, group, name string) string {
	return `<department xsi:type="GroupDepartmentKey">` + el("serviceProviderId", sp) + el("groupId", group) + el("name", name) + `</department>`
}

// Every state rule, refused with its BroadWorks-style code and text. Each
// case runs on a fresh demo server: setup commands must succeed, then the
// command under test must be refused.
func TestRules_refused(t *testing.T) {
	hq := func(id, extra string) string { return userAdd("acme-ent", "acme-hq", id, extra) }
	tests := []struct {
		name  string
		setup []string
		cmd   string
		code  int
		text  string
	}{
		{name: "user id unique system-wide", cmd: hq("branch.user01@acme.example.com", ""), code: 4200, text: "User already exists: branch.user01@acme.example.com"},
		{name: "user id unique against administrators", cmd: hq("hq-admin", ""), code: 4200, text: "User already exists"},
		{name: "domain required", cmd: hq("nodomain", ""), code: 4201, text: "domain is required"},
		{name: "domain assigned to the group", cmd: hq("x@metro.example.net", ""), code: 4202, text: "metro.example.net is not assigned to group acme-hq"},
		{name: "group exists", cmd: userAdd("acme-ent", "nope", "x@acme.example.com", ""), code: 4152, text: "Group not found: acme-ent:nope"},
		{name: "user limit", setup: []string{
			userAdd("acme-ent", "acme-branch", "n1@acme.example.com", ""), userAdd("acme-ent", "acme-branch", "n2@acme.example.com", ""),
			userAdd("acme-ent", "acme-branch", "n3@acme.example.com", ""), userAdd("acme-ent", "acme-branch", "n4@acme.example.com", ""),
			userAdd("acme-ent", "acme-branch", "n5@acme.example.com", ""),
		}, cmd: userAdd("acme-ent", "acme-branch", "n6@acme.example.com", ""), code: 4154, text: "user limit for group acme-branch has been reached (25 of 25 users)"},
		{name: "last name at most 30", cmd: cmd("UserAddRequest22V2", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("userId", "l@acme.example.com")+
			el("lastName", strings.Repeat("x", 31))+el("firstName", "A")+el("callingLineIdLastName", "A")+el("callingLineIdFirstName", "A")), code: 6004, text: "'lastName'"},
		{name: "first name at least 1", cmd: cmd("UserAddRequest22V2", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("userId", "f@acme.example.com")+
			el("lastName", "A")+el("firstName", "")+el("callingLineIdLastName", "A")+el("callingLineIdFirstName", "A")), code: 6004, text: "'firstName'"},
		{name: "extension length", cmd: hq("e@acme.example.com", el("extension", "123")), code: 4909, text: "Invalid extension.  The extension length for this group acme-hq is 4 to 4 digits long."},
		{name: "extension digits", cmd: hq("e@acme.example.com", el("extension", "12a4")), code: 4909, text: "4 to 4 digits"},
		{name: "extension unique in group", setup: []string{hq("e1@acme.example.com", el("extension", "1234"))}, cmd: hq("e2@acme.example.com", el("extension", "1234")), code: 4910, text: "Extension 1234 is already assigned to user e1@acme.example.com"},
		{name: "number assigned to the group", cmd: hq("p@acme.example.com", el("phoneNumber", "2079460100")), code: 4470, text: "not available in group acme-hq: 2079460100"},
		{name: "number held by one user", cmd: userAdd("acme-ent", "acme-branch", "p@acme.example.com", el("phoneNumber", "3125550101")), code: 4471, text: "already assigned to user branch.user01@acme.example.com"},
		{name: "number held by one user (+1- form)", setup: []string{hq("p1@acme.example.com", el("phoneNumber", "2025550150"))}, cmd: hq("p2@acme.example.com", el("phoneNumber", "+1-2025550150")), code: 4471, text: "p1@acme.example.com"},
		{name: "password min length", cmd: hq("pw@acme.example.com", el("password", "ab1")), code: 4970, text: "at least 8 characters"},
		{name: "password digits", cmd: hq("pw@acme.example.com", el("password", "abcdefghij")), code: 4970, text: "at least 1 digits"},
		{name: "password not the user id", cmd: hq("pwuser@acme.example.com", el("password", "xxpwuser1")), code: 4970, text: "must not contain the user id"},
		{name: "group password rules (upper case)", cmd: userAdd("acme-ent", "acme-branch", "pw@acme.example.com", el("password", "abcdefg1")), code: 4970, text: "upper-case"},
		{name: "strict group rules", cmd: userAdd("metro-sp", "metro-g1", "pw@metro.example.net", el("password", "Abcdefgh12#")), code: 4970, text: "at least 12 characters"},
		{name: "strict group rules symbol", cmd: userAdd("metro-sp", "metro-g1", "pw@metro.example.net", el("password", "Abcdefgh1234")), code: 4970, text: "non-alphanumeric"},
		{name: "department exists", cmd: hq("d@acme.example.com", groupDept("acme-ent", "acme-hq", "Marketing")), code: 4600, text: "Department not found: Marketing"},
		{name: "department of the user's group", cmd: hq("d@acme.example.com", groupDept("acme-ent", "acme-branch", "Warehouse")), code: 4600, text: "Warehouse"},
		{name: "device exists", cmd: hq("dv@acme.example.com", endpoint("no-such-phone", "dv@acme.example.com")), code: 4505, text: "Access Device not found: no-such-phone"},
		{name: "line/port unique", setup: []string{deviceAdd("acme-hq", "ph1", "Yealink T54W", el("macAddress", "805EC0000001")), hq("lp1@acme.example.com", endpoint("ph1", "lp@acme.example.com"))},
			cmd: hq("lp2@acme.example.com", endpoint("ph1", "lp@acme.example.com")), code: 4506, text: "in use by user lp1@acme.example.com"},
		{name: "line/port syntax", setup: []string{deviceAdd("acme-hq", "ph1", "Generic SIP Phone", "")}, cmd: hq("lp@acme.example.com", endpoint("ph1", "sip:lp@acme.example.com")), code: 4511, text: "Invalid line/port"},
		{name: "line/port host part for proxy addressing", setup: []string{deviceAdd("acme-hq", "ph1", "Generic SIP Phone", "")}, cmd: hq("lp@acme.example.com", endpoint("ph1", "lp-no-host")), code: 4511, text: "needs a host part"},
		{name: "line/port without host for device addressing", cmd: hq("lp@acme.example.com", endpoint("acme-hq-pbx", "lp@acme.example.com")), code: 4511, text: "must not have a host part"},
		{name: "device ports", setup: []string{deviceAdd("acme-hq", "ph1", "Generic SIP Phone", ""), hq("a@acme.example.com", endpoint("ph1", "a_lp@acme.example.com"))},
			cmd: hq("b@acme.example.com", endpoint("ph1", "b_lp@acme.example.com")), code: 4507, text: "no free port (1 ports)"},
		{name: "trunk group exists", cmd: hq("t@acme.example.com", "<trunkAddressing><trunkGroupDeviceEndpoint>"+el("name", "nope")+el("linePort", "t@acme.example.com")+"</trunkGroupDeviceEndpoint></trunkAddressing>"), code: 4620, text: "Trunk group not found: nope"},
		{name: "enterprise trunk exists", cmd: hq("t@acme.example.com", "<trunkAddressing>"+el("enterpriseTrunkName", "nope")+"</trunkAddressing>"), code: 4621, text: "Enterprise trunk not found"},
		{name: "time zone", cmd: hq("tz@acme.example.com", el("timeZone", "Mars/Olympus")), code: 4700, text: "Invalid time zone: Mars/Olympus"},
		{name: "language", cmd: hq("lg@acme.example.com", el("language", "Klingon")), code: 4701, text: "Invalid language: Klingon"},
		{name: "device type exists", cmd: deviceAdd("acme-hq", "d1", "Nokia 3310", ""), code: 4501, text: "Device Type not found: Nokia 3310"},
		{name: "device name unique in group", cmd: deviceAdd("acme-hq", "acme-hq-pbx", "Generic SIP Phone", ""), code: 4500, text: "Access Device already exists: acme-hq-pbx"},
		{name: "MAC required by device type", cmd: deviceAdd("acme-hq", "d1", "Polycom VVX 450", ""), code: 4508, text: "MAC address is required"},
		{name: "MAC syntax", cmd: deviceAdd("acme-hq", "d1", "Polycom VVX 450", el("macAddress", "ZZ11223344")), code: 4509, text: "Invalid MAC"},
		{name: "MAC unique", cmd: deviceAdd("acme-hq", "d1", "Polycom VVX 450", el("macAddress", "0004F2B10001")), code: 4500, text: "MAC address"},
		{name: "device delete not found", cmd: cmd("GroupAccessDeviceDeleteRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("deviceName", "ghost")), code: 4505, text: "ghost"},
		{name: "device delete in use", cmd: cmd("GroupAccessDeviceDeleteRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")+el("deviceName", "branch-phone-01")), code: 4510, text: "in use by 1 users"},
		{name: "user not found", cmd: cmd("UserGetRequest23V2", el("userId", "ghost@acme.example.com")), code: 4008, text: "User not found: ghost@acme.example.com"},
		{name: "service provider not found", cmd: cmd("GroupGetListInServiceProviderRequest", el("serviceProviderId", "nope")), code: 4005, text: "Service Provider not found: nope"},
		{name: "service provider unique", cmd: cmd("ServiceProviderConsolidatedAddRequest", el("isEnterprise", "true")+el("serviceProviderId", "acme-ent")+el("defaultDomain", "acme.example.com")), code: 4006, text: "already exists: acme-ent"},
		{name: "group unique", cmd: cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("defaultDomain", "acme.example.com")+el("userLimit", "10")), code: 4153, text: "Group already exists: acme-ent:acme-hq"},
		{name: "group default domain of the SP", cmd: cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "g2")+el("defaultDomain", "metro.example.net")+el("userLimit", "10")), code: 4202, text: "metro.example.net"},
		{name: "group extension lengths", cmd: cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "g2")+el("defaultDomain", "acme.example.com")+el("userLimit", "10")+el("minExtensionLength", "6")+el("maxExtensionLength", "4")), code: 4911, text: "minimum 6, maximum 4"},
		{name: "group delete with users", cmd: cmd("GroupDeleteRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")), code: 4155, text: "still has 20 users"},
		{name: "DN add to an SP twice", cmd: cmd("ServiceProviderDnAddListRequest", el("serviceProviderId", "metro-sp")+el("phoneNumber", "2025550100")), code: 4473, text: "acme-ent: 2025550100"},
		{name: "DN assign outside the SP pool", cmd: cmd("GroupDnAssignListRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("phoneNumber", "9995550000")), code: 4472, text: "9995550000"},
		{name: "DN assign held by another group", cmd: cmd("GroupDnAssignListRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("phoneNumber", "3125550100")), code: 4470, text: "acme-branch"},
		{name: "DN unassign held by a user", cmd: cmd("GroupDnUnassignListRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")+el("phoneNumber", "3125550101")), code: 4471, text: "branch.user01"},
		{name: "DN range too large", cmd: cmd("ServiceProviderDnAddListRequest", el("serviceProviderId", "metro-sp")+"<dnRange>"+el("minPhoneNumber", "1000000000")+el("maxPhoneNumber", "1999999999")+"</dnRange>"), code: 4474, text: "larger than"},
		{name: "department unique", cmd: cmd("GroupDepartmentAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("departmentName", "Sales")), code: 4601, text: "Department already exists: Sales"},
		{name: "service authorised for the group", cmd: cmd("UserServiceAssignListRequest", el("userId", "branch.user01@acme.example.com")+el("serviceName", "Hoteling Guest")), code: 4410, text: "Hoteling Guest"},
		{name: "service name in the schema's list", cmd: cmd("UserServiceAssignListRequest", el("userId", "branch.user01@acme.example.com")+el("serviceName", "Call Waiting")+el("serviceName", "Teleportation")), code: 6004, text: "Teleportation"},
		{name: "modify: number held by one user", cmd: cmd("UserModifyRequest22", el("userId", "branch.user01@acme.example.com")+el("phoneNumber", "3125550102")), code: 4471, text: "branch.user02"},
		{name: "modify: extension unique", cmd: cmd("UserModifyRequest22", el("userId", "branch.user01@acme.example.com")+el("extension", "102")), code: 4910, text: "102"},
		{name: "modify: old password", cmd: cmd("UserModifyRequest22", el("userId", "branch.user01@acme.example.com")+el("oldPassword", "wrong")+el("newPassword", "Newpass#2027")), code: 4971, text: "old password"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startDemo(t, nil)
			c := adminClient(t, s)
			for i, sc := range tc.setup {
				if r := c.send(sc)[0]; !r.ok() {
					t.Fatalf("setup %d: %s %s", i, r.Summary, r.Detail)
				}
			}
			before := s.Documents()
			wantCode(t, c.send(tc.cmd)[0], tc.code, tc.text)
			if s.Documents() != before+1 {
				t.Fatalf("documents %d, want %d", s.Documents(), before+1)
			}
		})
	}
}

func TestRules_passwordNeverEchoed(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	secret := "Sh0rt"
	r := c.send(userAdd("metro-sp", "metro-g1", "sec@metro.example.net", el("password", secret)))[0]
	wantCode(t, r, 4970, "")
	if strings.Contains(string(c.last), secret) {
		t.Fatalf("response contains the password: %s", c.last)
	}
}

// A refused command changes nothing.
func TestRules_refusalHasNoEffect(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	free := len(s.FreeNumbers("acme-ent", "acme-hq"))
	r := c.send(userAdd("acme-ent", "acme-hq", "half@acme.example.com", el("phoneNumber", "2025550100")+el("extension", "12")))[0]
	wantCode(t, r, 4909, "")
	if _, ok := s.User("half@acme.example.com"); ok {
		t.Fatal("refused user exists")
	}
	if got := len(s.FreeNumbers("acme-ent", "acme-hq")); got != free {
		t.Fatalf("free numbers %d, want %d", got, free)
	}
	if n := s.AddCount("UserAddRequest22V2"); n != 0 {
		t.Fatalf("AddCount = %d", n)
	}
}

func TestRules_userLimitViaInspection(t *testing.T) {
	s := ocisim.NewDemo(nil)
	limit, count := s.GroupCounts("acme-ent", "acme-branch")
	if limit != 25 || count != 20 {
		t.Fatalf("acme-branch counts %d/%d, want 25/20", count, limit)
	}
	if got := fmt.Sprint(s.GroupCounts("acme-ent", "nope")); got != "0 0" {
		t.Fatalf("missing group counts %s", got)
	}
}

// The device-type list tells which types need a MAC address: exactly the
// types reported with deviceConfigurationOption "Device Management" refuse a
// device without one, and the others accept it.
func TestRules_deviceTypeListReportsMACRequirement(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	r := c.one("SystemDeviceTypeGetAvailableListRequest22V2", el("allowConference", "false")+el("allowMusicOnHold", "false")+
		el("onlyConference", "false")+el("onlyVideoCapable", "false")+el("onlyOptionalIpAddress", "false"))
	wantOK(t, r)
	var list struct {
		Types []string `xml:"deviceType"`
		Info  []struct {
			ConfigType *string `xml:"configType"`
			Option     *string `xml:"deviceConfigurationOption"`
		} `xml:"typeInfo"`
	}
	if err := xml.Unmarshal([]byte("<x>"+r.Inner+"</x>"), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Types) == 0 || len(list.Types) != len(list.Info) {
		t.Fatalf("%d device types, %d typeInfo", len(list.Types), len(list.Info))
	}
	managed := 0
	for i, typ := range list.Types {
		info := list.Info[i]
		if info.Option == nil {
			t.Fatalf("%s: no deviceConfigurationOption", typ)
		}
		needsMAC := *info.Option == "Device Management"
		if needsMAC != (info.ConfigType != nil) {
			t.Errorf("%s: deviceConfigurationOption %q but configType present %v", typ, *info.Option, info.ConfigType != nil)
		}
		if needsMAC {
			managed++
		}
		got := c.send(deviceAdd("acme-hq", fmt.Sprintf("mac-probe-%d", i), typ, ""))[0]
		switch {
		case needsMAC && got.ok():
			t.Errorf("%s: reported as needing a MAC address but added without one", typ)
		case needsMAC:
			wantCode(t, got, 4508, "A MAC address is required for device type "+typ)
		case !got.ok():
			t.Errorf("%s: reported as not needing a MAC address but refused: %s", typ, got.Summary)
		}
	}
	if managed == 0 || managed == len(list.Types) {
		t.Fatalf("%d of %d types need a MAC address: the demo needs both kinds", managed, len(list.Types))
	}
}
