package ocisim_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
)

// schemaDir finds the R25 XSD set: $OCIP_SCHEMA_DIR, else
// ../shared/ocip-schema relative to the module root.
func schemaDir(t *testing.T) string {
	dir := os.Getenv("OCIP_SCHEMA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "ocip-schema")
	}
	if _, err := os.Stat(filepath.Join(dir, "OCISchemaAS.xsd")); err != nil {
		t.Skipf("OCI-P schema not found in %s", dir)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// forXmllint rewrites the wire form into the prefixed form libxml2 can
// validate (see SOURCE.md in the schema directory).
func forXmllint(doc string) string {
	r := strings.NewReplacer(`<BroadsoftDocument `, `<c:BroadsoftDocument `, `xmlns="C"`, `xmlns:c="C"`,
		`</BroadsoftDocument>`, `</c:BroadsoftDocument>`, ` xmlns=""`, "")
	return r.Replace(doc)
}

// Every request the tests send here and every response the server writes
// validate against the real R25 schema with xmllint.
func TestXSD_requestsAndResponsesValidate(t *testing.T) {
	dir := schemaDir(t)
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed")
	}
	s := startDemo(t, nil)
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-hq")
	crit := func(name, v string) string {
		return "<" + name + ">" + el("mode", "Contains") + el("value", v) + el("isCaseInsensitive", "true") + "</" + name + ">"
	}
	cmds := []string{
		cmd("SystemSoftwareVersionGetRequest", ""),
		cmd("ServiceProviderGetListRequest", crit("searchCriteriaServiceProviderId", "acme")),
		cmd("ServiceProviderGetRequest22V4", el("serviceProviderId", "acme-ent")),
		cmd("ServiceProviderDomainGetAssignedListRequest22", el("serviceProviderId", "acme-ent")),
		cmd("ServiceProviderPasswordRulesGetRequestRI", el("serviceProviderId", "acme-ent")),
		cmd("SystemPasswordRulesGetRequestRI", ""),
		cmd("EnterpriseEnterpriseTrunkGetListRequest", el("serviceProviderId", "acme-ent")),
		cmd("GroupGetListInServiceProviderRequest", el("serviceProviderId", "acme-ent")),
		cmd("GroupGetRequest22V5", g),
		cmd("GroupPasswordRulesGetRequestRI", g),
		cmd("PasswordGenerateRequest", "<userPassword>"+g+el("generatePassword", "true")+el("generatePasscode", "true")+"</userPassword>"),
		cmd("GroupDnGetAvailableListRequest", g),
		cmd("GroupDnGetDetailedAvailableListRequest", g),
		cmd("GroupAccessDeviceGetRequest18sp1", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")+el("deviceName", "branch-phone-01")),
		cmd("GroupAccessDeviceModifyRequest14", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")+el("deviceName", "branch-phone-01")+
			`<netAddress xsi:nil="true"/>`+el("description", "Front desk")+el("transportProtocol", "UDP")),
		cmd("GroupExtensionLengthGetRequest22", g),
		cmd("SystemDeviceTypeGetAvailableListRequest22V2", el("allowConference", "false")+el("allowMusicOnHold", "false")+el("onlyConference", "false")+el("onlyVideoCapable", "false")+el("onlyOptionalIpAddress", "false")),
		cmd("GroupAccessDeviceGetListRequest", g),
		cmd("GroupAccessDeviceGetUserListRequest21sp1", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch")+el("deviceName", "branch-phone-01")),
		cmd("GroupDepartmentGetListRequest18", g+el("includeEnterpriseDepartments", "true")),
		cmd("GroupDomainGetAssignedListRequest", g),
		cmd("SystemTimeZoneGetListRequest20", ""),
		cmd("SystemLanguageGetListRequest", ""),
		cmd("GroupTrunkGroupGetInstanceListRequest14sp4", g),
		cmd("GroupEnterpriseTrunkGetListRequest", g),
		cmd("GroupDepartmentAddRequest", g+el("departmentName", "Legal")+el("callingLineIdName", "Acme Legal")),
		deviceAdd("acme-hq", "x-phone", "Cisco 8851-3PCC", el("macAddress", "A1B2C3D4E5F6")+el("transportProtocol", "TLS")+"<accessDeviceCredentials>"+el("userName", "x")+el("password", "Dev#pass1")+"</accessDeviceCredentials>"),
		userAdd("acme-ent", "acme-hq", "x1@acme.example.com", el("phoneNumber", "2025550111")+el("extension", "0111")+el("password", "Passw0rd!")+
			groupDept("acme-ent", "acme-hq", "Legal")+el("language", "English")+el("timeZone", "America/New_York")+el("alias", "alias1@acme.example.com")+
			endpoint("x-phone", "x1_1@acme.example.com")+el("title", "Counsel")+el("mobilePhoneNumber", "+1-2025559999")+el("emailAddress", "x1@acme.example.com")+
			"<address>"+el("addressLine1", "1 Main St")+el("city", "Washington")+el("stateOrProvince", "DC")+el("zipOrPostalCode", "20001")+el("country", "US")+"</address>"),
		userAdd("acme-ent", "acme-hq", "x2@acme.example.com", "<trunkAddressing><trunkGroupDeviceEndpoint>"+el("name", "acme-hq-trunk")+el("linePort", "x2@acme.example.com")+"</trunkGroupDeviceEndpoint>"+el("enterpriseTrunkName", "acme-etrunk")+"</trunkAddressing>"),
		cmd("UserGetRequest23V2", el("userId", "x1@acme.example.com")),
		cmd("UserGetRequest23V2", el("userId", "x2@acme.example.com")),
		cmd("UserGetRequest23V2", el("userId", "branch.user20@acme.example.com")),
		cmd("UserModifyRequest22", el("userId", "x1@acme.example.com")+el("lastName", "Changed")+`<extension xsi:nil="true"/>`+`<department xsi:type="GroupDepartmentKey" xsi:nil="true"/>`),
		cmd("UserGetListInGroupRequest", el("serviceProviderId", "acme-ent")+el("GroupId", "acme-hq")+el("responseSizeLimit", "10")),
		cmd("UserGetListInSystemRequest", crit("searchCriteriaUserId", "branch")),
		cmd("UserServiceAssignListRequest", el("userId", "x1@acme.example.com")+el("serviceName", "Call Waiting")+el("serviceName", "Three-Way Call")),
		cmd("UserServiceGetAssignmentListRequest", el("userId", "x1@acme.example.com")),
		cmd("GroupServiceGetAuthorizationListRequest", g),
		cmd("UserAuthenticationModifyRequest", el("userId", "x1@acme.example.com")+el("userName", "x1sip")+el("newPassword", "Sip#pass123")),
		cmd("ServiceProviderConsolidatedAddRequest", el("useCustomRoutingProfile", "false")+el("serviceProviderId", "sp9")+el("defaultDomain", "sp9.example.com")),
		cmd("ServiceProviderDnAddListRequest", el("serviceProviderId", "sp9")+el("phoneNumber", "4155550100")+"<dnRange>"+el("minPhoneNumber", "4155550101")+el("maxPhoneNumber", "4155550110")+"</dnRange>"),
		cmd("GroupAddRequest", el("serviceProviderId", "sp9")+el("groupId", "g9")+el("defaultDomain", "sp9.example.com")+el("userLimit", "5")),
		cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "sp9")+el("groupId", "g10")+el("defaultDomain", "sp9.example.com")+el("userLimit", "5")+el("groupName", "Ten")),
		cmd("GroupDnAssignListRequest", el("serviceProviderId", "sp9")+el("groupId", "g9")+el("phoneNumber", "4155550100")),
		cmd("GroupDnActivateListRequest", el("serviceProviderId", "sp9")+el("groupId", "g9")+el("phoneNumber", "4155550100")),
		cmd("GroupDnUnassignListRequest", el("serviceProviderId", "sp9")+el("groupId", "g9")+el("phoneNumber", "4155550100")),
		cmd("GroupDeleteRequest", el("serviceProviderId", "sp9")+el("groupId", "g10")),
		cmd("UserDeleteRequest", el("userId", "x2@acme.example.com")),
		cmd("GroupDepartmentDeleteRequest", g+el("departmentName", "Legal")),
		cmd("UserGetRequest23V2", el("userId", "nobody@acme.example.com")),                                 // ErrorResponse
		cmd("UserServiceAssignListRequest", el("userId", "x1@acme.example.com")+el("serviceName", "Nope")), // ErrorResponse with detail-less summary
		cmd("VerifySessionIsValidRequest", ""),
		cmd("LogoutRequest", el("userId", "admin")+el("reason", "Client Logout")),
	}
	tmp := t.TempDir()
	var files []string
	write := func(name, content string) {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(forXmllint(content)), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	c := dialRaw(t, s.Addr().String())
	a := c.one("AuthenticationRequest", el("userId", "admin"))
	write("000-auth-req.xml", document(c.sid, cmd("AuthenticationRequest", el("userId", "admin"))))
	write("000-auth-resp.xml", string(c.last))
	login := cmd("LoginRequest14sp4", el("userId", "admin")+el("signedPassword", signed(a.field("nonce"), "welcome1")))
	wantOK(t, c.send(login)[0])
	write("001-login-req.xml", document(c.sid, login))
	write("001-login-resp.xml", string(c.last))
	c22 := dialRaw(t, s.Addr().String())
	l22 := cmd("LoginRequest22V5", el("userId", "hq-admin")+el("password", "welcome1"))
	wantOK(t, c22.send(l22)[0])
	write("002-login22-req.xml", document(c22.sid, l22))
	write("002-login22-resp.xml", string(c22.last))
	for i, x := range cmds {
		r := c.send(x)[0]
		if !r.ok() && !strings.Contains(x, "nobody@") && !strings.Contains(x, ">Nope<") {
			t.Fatalf("command %d refused: %s %s\n%s", i, r.Summary, r.Detail, x)
		}
		if !strings.Contains(x, ">Nope<") { // the XSD enumerates service names; the simulator answers 4410 instead
			write(fmt.Sprintf("%03d-req.xml", i+10), document(c.sid, x))
		}
		write(fmt.Sprintf("%03d-resp.xml", i+10), string(c.last))
	}
	args := append([]string{"--noout", "--schema", filepath.Join(dir, "OCISchemaAS.xsd")}, files...)
	cmd := exec.Command("xmllint", args...)
	out, err := cmd.CombinedOutput()
	var problems []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "namespace warning") || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "<") ||
			strings.HasSuffix(line, " validates") || strings.TrimSpace(line) == "" || strings.TrimSpace(line) == "^" {
			continue
		}
		problems = append(problems, line)
	}
	if err != nil || len(problems) > 0 {
		t.Fatalf("xmllint (%v):\n%s", err, strings.Join(problems, "\n"))
	}
	valid := regexp.MustCompile(`(?m) validates$`).FindAllString(string(out), -1)
	if len(valid) != len(files) {
		t.Fatalf("%d of %d documents validated", len(valid), len(files))
	}
	t.Logf("%d request and response documents validated against the R25 schema", len(files))
	_ = ocisim.DefaultAdmin
}
