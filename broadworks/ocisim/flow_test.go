package ocisim_test

import (
	"reflect"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
)

// The wizard's flow as a group admin: read the catalogue, create a device
// and a user on it with a number and a department, check every effect.
func TestFlow_wizardCommands(t *testing.T) {
	s := startDemo(t, nil)
	c := dialRaw(t, s.Addr().String()).mustLogin(ocisim.DemoGroupAdmin, ocisim.DefaultPassword)
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-hq")

	r := c.one("GroupGetRequest22V5", g)
	wantOK(t, r)
	if r.field("userLimit") != "500" || r.field("userCount") != "0" || r.field("defaultDomain") != "acme.example.com" || r.field("timeZone") != "America/New_York" {
		t.Fatalf("group: %s", r.Inner)
	}
	r = c.one("GroupExtensionLengthGetRequest22", g)
	if r.field("minExtensionLength") != "4" || r.field("maxExtensionLength") != "4" {
		t.Fatalf("extension length: %s", r.Inner)
	}
	r = c.one("GroupDnGetAvailableListRequest", g)
	if n := strings.Count(r.Inner, "<phoneNumber>"); n != 300 {
		t.Fatalf("%d available numbers, want 300", n)
	}
	r = c.one("GroupDnGetDetailedAvailableListRequest", g)
	if dns := r.table("dnTable"); len(dns) != 300 || dns[0]["Phone Number"] == "" || dns[0]["Activated"] == "" {
		t.Fatalf("%d detailed available numbers, want 300: %v", len(dns), dns[:min(len(dns), 1)])
	}
	r = c.one("GroupDepartmentGetListRequest18", g+el("includeEnterpriseDepartments", "true"))
	deps := r.table("departmentTable")
	if len(deps) != 2 || deps[0]["Department Name"] != "Sales" || deps[1]["Department Name"] != "Support" {
		t.Fatalf("departments %v", deps)
	}
	r = c.one("SystemDeviceTypeGetAvailableListRequest22V2", el("allowConference", "false")+el("allowMusicOnHold", "false")+
		el("onlyConference", "false")+el("onlyVideoCapable", "false")+el("onlyOptionalIpAddress", "false"))
	for _, want := range []string{"Polycom VVX 450", "Yealink T54W", "Cisco 8851-3PCC", "Generic SIP Phone"} {
		if !strings.Contains(r.Inner, "<deviceType>"+want+"</deviceType>") {
			t.Errorf("device type %q missing", want)
		}
	}
	r = c.one("SystemTimeZoneGetListRequest20", "")
	if tz := r.table("timeZoneTable"); len(tz) < 40 || r.field("serverTimeZone") == "" {
		t.Fatalf("time zones: %d", len(tz))
	}
	r = c.one("SystemLanguageGetListRequest", "")
	if l := r.table("languageTable"); len(l) < 10 || l[0]["Language"] != "English" {
		t.Fatalf("languages %v", l)
	}
	r = c.one("GroupTrunkGroupGetInstanceListRequest14sp4", g)
	if tg := r.table("trunkGroupTable"); len(tg) != 1 || tg[0]["Name"] != "acme-hq-trunk" {
		t.Fatalf("trunk groups %v", tg)
	}
	r = c.one("GroupEnterpriseTrunkGetListRequest", g)
	if et := r.table("enterpriseTrunkTable"); len(et) != 1 || et[0]["Enterprise Trunk Name"] != "acme-etrunk" {
		t.Fatalf("enterprise trunks %v", et)
	}
	r = c.one("GroupDomainGetAssignedListRequest", g)
	if r.field("groupDefaultDomain") != "acme.example.com" {
		t.Fatalf("domains %s", r.Inner)
	}
	r = c.one("GroupPasswordRulesGetRequestRI", g)
	if r.field("minLength") != "8" || r.field("restrictMinDigits") != "true" {
		t.Fatalf("rules %s", r.Inner)
	}
	r = c.one("PasswordGenerateRequest", "<userPassword>"+g+el("userId", "ann@acme.example.com")+"</userPassword>")
	pw := r.field("userPassword")
	if len(pw) < 12 {
		t.Fatalf("generated password too short (%d)", len(pw))
	}

	res := c.send(
		deviceAdd("acme-hq", "ann-phone", "Polycom VVX 450", el("macAddress", "0004f2aabbcc")),
		userAdd("acme-ent", "acme-hq", "ann@acme.example.com", el("phoneNumber", "2025550123")+el("extension", "0123")+
			el("password", pw)+groupDept("acme-ent", "acme-hq", "Sales")+el("language", "French")+el("timeZone", "Europe/Paris")+
			endpoint("ann-phone", "2025550123@acme.example.com")+el("emailAddress", "ann@acme.example.com")+
			"<address>"+el("addressLine1", "1 Main St")+el("city", "Washington")+"</address>"),
		cmd("UserServiceAssignListRequest", el("userId", "ann@acme.example.com")+el("serviceName", "Call Waiting")+el("serviceName", "Voice Messaging User")),
	)
	for i, x := range res {
		wantOK(t, x)
		_ = i
	}
	u, ok := s.User("ann@acme.example.com")
	if !ok {
		t.Fatal("user not created")
	}
	want := ocisim.User{UserID: "ann@acme.example.com", ServiceProviderID: "acme-ent", GroupID: "acme-hq",
		LastName: "Tester", FirstName: "Tina", CallingLineIDLastName: "Tester", CallingLineIDFirstName: "Tina",
		PhoneNumber: "2025550123", Extension: "0123", Department: "Sales", Language: "French", TimeZone: "Europe/Paris",
		DeviceLevel: "Group", DeviceName: "ann-phone", LinePort: "2025550123@acme.example.com",
		EmailAddress: "ann@acme.example.com", Address: ocisim.Address{Line1: "1 Main St", City: "Washington"},
		Services: []string{"Call Waiting", "Voice Messaging User"}, PasswordSHA1: sha1hex(pw), AddedBy: "UserAddRequest22V2"}
	u.Aliases, u.Contacts = nil, nil
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("user\n got %+v\nwant %+v", u, want)
	}
	if d, ok := s.Device("acme-ent", "acme-hq", "ann-phone"); !ok || d.MACAddress != "0004F2AABBCC" || d.Type != "Polycom VVX 450" {
		t.Fatalf("device %+v %v", d, ok)
	}
	if s.AddCount("UserAddRequest22V2") != 1 || s.AddCount("GroupAccessDeviceAddRequest22V2") != 1 {
		t.Fatal("add counts")
	}
	if _, n := s.GroupCounts("acme-ent", "acme-hq"); n != 1 {
		t.Fatalf("user count %d", n)
	}
	if free := s.FreeNumbers("acme-ent", "acme-hq"); len(free) != 299 {
		t.Fatalf("free %d", len(free))
	}

	r = c.one("UserGetRequest23V2", el("userId", "ann@acme.example.com"))
	for k, v := range map[string]string{"phoneNumber": "2025550123", "extension": "0123", "deviceName": "ann-phone", "language": "French",
		"timeZone": "Europe/Paris", "name": "Sales", "countryCode": "1", "city": "Washington"} {
		if got := r.field(k); got != v {
			t.Errorf("UserGet %s = %q, want %q", k, got, v)
		}
	}
	r = c.one("UserGetListInGroupRequest", el("serviceProviderId", "acme-ent")+el("GroupId", "acme-hq")+
		"<searchCriteriaUserLastName>"+el("mode", "Starts With")+el("value", "test")+el("isCaseInsensitive", "true")+"</searchCriteriaUserLastName>")
	if rows := r.table("userTable"); len(rows) != 1 || rows[0]["User Id"] != "ann@acme.example.com" || rows[0]["Extension"] != "0123" ||
		rows[0]["Phone Number"] != "+1-2025550123" || rows[0]["Phone Number Activated"] != "true" || rows[0]["Department"] != "Sales" {
		t.Fatalf("user list %v", rows)
	}
	r = c.one("GroupAccessDeviceGetListRequest", g)
	devs := r.table("accessDeviceTable")
	if len(devs) != 2 || devs[0]["Device Name"] != "acme-hq-pbx" || devs[1]["Available Ports"] != "11" {
		t.Fatalf("devices %v", devs)
	}

	// Modify: clear the department, move the number, change names.
	wantOK(t, c.one("UserModifyRequest22", el("userId", "ann@acme.example.com")+el("firstName", "Anne")+
		el("phoneNumber", "2025550124")+el("extension", "0124")+`<department xsi:type="GroupDepartmentKey" xsi:nil="true"/>`))
	u, _ = s.User("ann@acme.example.com")
	if u.FirstName != "Anne" || u.PhoneNumber != "2025550124" || u.Department != "" || u.LastName != "Tester" {
		t.Fatalf("after modify %+v", u)
	}
	// Move to a trunk group, then delete: the number is free again.
	wantOK(t, c.one("UserModifyRequest22", el("userId", "ann@acme.example.com")+
		"<endpoint><trunkAddressing><trunkGroupDeviceEndpoint>"+el("name", "acme-hq-trunk")+el("linePort", "ann_t@acme.example.com")+
		"</trunkGroupDeviceEndpoint>"+el("enterpriseTrunkName", "acme-etrunk")+"</trunkAddressing></endpoint>"))
	u, _ = s.User("ann@acme.example.com")
	if u.TrunkGroup != "acme-hq-trunk" || u.DeviceName != "" || u.EnterpriseTrunk != "acme-etrunk" {
		t.Fatalf("after trunk move %+v", u)
	}
	wantOK(t, c.one("GroupAccessDeviceDeleteRequest", g+el("deviceName", "ann-phone")))
	wantOK(t, c.one("UserDeleteRequest", el("userId", "ann@acme.example.com")))
	if _, ok := s.User("ann@acme.example.com"); ok {
		t.Fatal("user still exists")
	}
	if free := s.FreeNumbers("acme-ent", "acme-hq"); len(free) != 300 {
		t.Fatalf("free %d after delete", len(free))
	}
}

// A system admin builds an enterprise from nothing.
func TestFlow_setupFromEmpty(t *testing.T) {
	s := ocisim.New(nil)
	startOn(t, s)
	c := adminClient(t, s)
	res := c.send(
		cmd("ServiceProviderConsolidatedAddRequest", el("isEnterprise", "true")+el("serviceProviderId", "ent1")+el("defaultDomain", "ent1.example.com")+
			el("serviceProviderName", "Ent One")+"<dnRange>"+el("minPhoneNumber", "5550000100")+el("maxPhoneNumber", "5550000199")+"</dnRange>"),
		cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "ent1")+el("groupId", "g1")+el("defaultDomain", "ent1.example.com")+
			el("userLimit", "3")+el("groupName", "Group One")+el("timeZone", "Europe/Berlin")+el("minExtensionLength", "3")+el("maxExtensionLength", "5")+el("defaultExtensionLength", "3")),
		cmd("GroupDnAssignListRequest", el("serviceProviderId", "ent1")+el("groupId", "g1")+"<dnRange>"+el("minPhoneNumber", "5550000100")+el("maxPhoneNumber", "5550000109")+"</dnRange>"),
		cmd("GroupDnActivateListRequest", el("serviceProviderId", "ent1")+el("groupId", "g1")+el("phoneNumber", "5550000100")),
		cmd("GroupDepartmentAddRequest", el("serviceProviderId", "ent1")+el("groupId", "g1")+el("departmentName", "Ops")),
		cmd("GroupDepartmentAddRequest", el("serviceProviderId", "ent1")+el("groupId", "g1")+el("departmentName", "Night")+
			`<parentDepartmentKey xsi:type="GroupDepartmentKey">`+el("serviceProviderId", "ent1")+el("groupId", "g1")+el("name", "Ops")+`</parentDepartmentKey>`),
		userAdd("ent1", "g1", "u1@ent1.example.com", el("phoneNumber", "5550000100")),
		cmd("ServiceProviderGetListRequest", ""),
	)
	for i, r := range res {
		if !r.ok() {
			t.Fatalf("command %d: %s %s", i, r.Summary, r.Detail)
		}
	}
	if sps := res[7].table("serviceProviderTable"); len(sps) != 1 || sps[0]["Is Enterprise"] != "true" {
		t.Fatalf("SP list %v", sps)
	}
	u, ok := s.User("u1@ent1.example.com")
	if !ok || u.Extension != "100" || u.TimeZone != "Europe/Berlin" {
		t.Fatalf("user %+v (extension defaults to the number's last 3 digits)", u)
	}
	if got := s.Departments("ent1", "g1"); !reflect.DeepEqual(got, []string{"Night", "Ops"}) {
		t.Fatalf("departments %v", got)
	}
	if len(s.FreeNumbers("ent1", "g1")) != 9 {
		t.Fatal("free numbers")
	}
}

// The system-wide search finds a number in either written form.
func TestFlow_userSearchInSystem(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	for _, dn := range []string{"3125550107", "+1-3125550107"} {
		r := c.one("UserGetListInSystemRequest", "<searchCriteriaDn>"+el("mode", "Equal To")+el("value", dn)+el("isCaseInsensitive", "false")+"</searchCriteriaDn>")
		rows := r.table("userTable")
		if len(rows) != 1 || rows[0]["User Id"] != "branch.user07@acme.example.com" || rows[0]["Group Id"] != "acme-branch" || rows[0]["Phone Number"] != "+1-3125550107" {
			t.Fatalf("%s: %v", dn, rows)
		}
	}
	r := c.one("UserGetListInSystemRequest", el("responseSizeLimit", "5"))
	if n := len(r.table("userTable")); n != 5 {
		t.Fatalf("size limit: %d rows", n)
	}
}

func TestFlow_olderUserAddVersions(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	base := el("serviceProviderId", "acme-ent") + el("groupId", "acme-hq")
	names := el("lastName", "Old") + el("firstName", "Timer") + el("callingLineIdLastName", "Old") + el("callingLineIdFirstName", "Timer")
	wantOK(t, c.one("GroupAccessDeviceAddRequest14", base+el("deviceName", "old-phone")+el("deviceType", "Generic SIP Phone")+el("transportProtocol", "UDP")))
	wantOK(t, c.one("UserAddRequest17sp4", base+el("userId", "old17@acme.example.com")+names+
		"<accessDeviceEndpoint><accessDevice>"+el("deviceLevel", "Group")+el("deviceName", "old-phone")+"</accessDevice>"+el("linePort", "old17@acme.example.com")+el("contact", "sip:old17@10.0.0.1")+"</accessDeviceEndpoint>"))
	wantOK(t, c.one("UserAddRequest22", base+el("userId", "old22@acme.example.com")+names+el("extension", "2222")))
	u, _ := s.User("old17@acme.example.com")
	if u.DeviceName != "old-phone" || u.AddedBy != "UserAddRequest17sp4" || len(u.Contacts) != 1 {
		t.Fatalf("17sp4 user %+v", u)
	}
	if s.AddCount("UserAddRequest22") != 1 || s.AddCount("UserAddRequest17sp4") != 1 {
		t.Fatal("add counts")
	}
}

func TestFlow_serviceAssignWarning(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	r := c.one("UserServiceAssignListRequest", el("userId", "branch.user02@acme.example.com")+el("serviceName", "Call Waiting")+el("serviceName", "Hoteling Guest"))
	if r.ok() || r.ErrType != "Warning" || r.ErrorCode != 4410 {
		t.Fatalf("got %+v, want a Warning 4410", r)
	}
	if u, _ := s.User("branch.user02@acme.example.com"); !reflect.DeepEqual(u.Services, []string{"Call Waiting"}) {
		t.Fatalf("services %v", u.Services)
	}
}
