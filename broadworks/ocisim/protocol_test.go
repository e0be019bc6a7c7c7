package ocisim_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

func TestValidation_6004(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	tests := []struct {
		name   string
		cmd    string
		detail string
	}{
		{"unknown command", cmd("UserTeleportRequest", el("userId", "x")), "'UserTeleportRequest'"},
		{"no xsi:type", `<command xmlns="">` + el("userId", "x") + `</command>`, "abstract"},
		{"missing required element", cmd("UserGetRequest23V2", ""), "Missing required element 'userId'"},
		{"names out of order", userAddSwapped(), "Element 'firstName' is not expected here: expected 'lastName'"},
		{"unexpected element", cmd("UserGetRequest23V2", el("userId", "a@b")+el("color", "red")), "'color'"},
		{"too long", cmd("UserGetRequest23V2", el("userId", strings.Repeat("a", 162))), "maximum length 161"},
		{"bad integer", cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "x")+el("defaultDomain", "acme.example.com")+el("userLimit", "lots")), "'userLimit'"},
		{"integer out of range", cmd("GroupConsolidatedAddRequest", el("serviceProviderId", "acme-ent")+el("groupId", "x")+el("defaultDomain", "acme.example.com")+el("userLimit", "0")), "'userLimit'"},
		{"bad boolean", cmd("GroupDepartmentGetListRequest18", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("includeEnterpriseDepartments", "yes")), "'includeEnterpriseDepartments'"},
		{"bad enumeration", cmd("LogoutRequest", el("userId", "admin")+el("reason", "Connection close")), "'reason'"},
		{"abstract department without xsi:type", userAdd("acme-ent", "acme-hq", "d@acme.example.com", "<department>"+el("serviceProviderId", "acme-ent")+el("name", "Sales")+"</department>"), "DepartmentKey"},
		{"nil on a non-nillable element", cmd("UserModifyRequest22", el("userId", "branch.user01@acme.example.com")+`<lastName xsi:nil="true"/>`), "not nillable"},
		{"missing required useHotline", userAdd("acme-ent", "acme-hq", "h@acme.example.com", "<accessDeviceEndpoint><accessDevice>"+el("deviceLevel", "Group")+el("deviceName", "x")+"</accessDevice>"+el("linePort", "x@y")+"</accessDeviceEndpoint>"), "'useHotline'"},
		{"too many aliases", userAdd("acme-ent", "acme-hq", "h@acme.example.com", el("alias", "a@x")+el("alias", "b@x")+el("alias", "c@x")+el("alias", "d@x")), "'alias'"},
		{"choice: both endpoint kinds", userAdd("acme-ent", "acme-hq", "h@acme.example.com", endpoint("x", "x@y")+"<trunkAddressing>"+el("enterpriseTrunkName", "acme-etrunk")+"</trunkAddressing>"), "'trunkAddressing'"},
		{"fixed value", cmd("ServiceProviderConsolidatedAddRequest", el("isEnterprise", "false")+el("serviceProviderId", "sp")+el("defaultDomain", "sp.example.com")), "must be true"},
		{"text inside a complex element", cmd("UserGetRequest23V2", "hello"+el("userId", "a@b")), "must not contain text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.send(tc.cmd)[0]
			wantCode(t, r, 6004, "")
			if r.Summary != "[Error 6004] OCI XML Request validation error" {
				t.Fatalf("summary %q", r.Summary)
			}
			if !strings.Contains(r.Detail, tc.detail) {
				t.Fatalf("detail %q does not name %q", r.Detail, tc.detail)
			}
		})
	}
}

func userAddSwapped() string {
	return cmd("UserAddRequest22V2", el("serviceProviderId", "acme-ent")+el("groupId", "acme-hq")+el("userId", "s@acme.example.com")+
		el("firstName", "A")+el("lastName", "B")+el("callingLineIdLastName", "B")+el("callingLineIdFirstName", "A"))
}

func TestDocument_invalid(t *testing.T) {
	s := startDemo(t, nil)
	tests := []struct {
		name, doc, detail string
	}{
		{"not well-formed", `<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">x</sessionId><command></BroadsoftDocument>`, "not well-formed"},
		{"wrong namespace", `<?xml version="1.0"?><BroadsoftDocument protocol="OCI"><sessionId>x</sessionId></BroadsoftDocument>`, "namespace C"},
		{"wrong protocol", `<?xml version="1.0"?><BroadsoftDocument protocol="NSOCI" xmlns="C"><sessionId xmlns="">x</sessionId>` + cmd("VerifySessionIsValidRequest", "") + `</BroadsoftDocument>`, "protocol"},
		{"no session id", `<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C">` + cmd("VerifySessionIsValidRequest", "") + `</BroadsoftDocument>`, "'sessionId'"},
		{"no command", document("x"), "'command'"},
		{"16 commands", document("x", strings.Repeat(cmd("VerifySessionIsValidRequest", ""), 16)), "at most 15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, s.Addr().String())
			d, err := c.sendRaw(tc.doc + "\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Commands) != 1 {
				t.Fatalf("%d commands", len(d.Commands))
			}
			wantCode(t, d.Commands[0], 6004, tc.detail)
		})
	}
}

// 1..15 commands answered in order, each on its own: successes, errors and
// data responses mixed, echo attributes returned.
func TestDocument_multiCommandMixed(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	cmds := []string{
		`<command echo="r1" xsi:type="UserGetRequest23V2" xmlns="">` + el("userId", "branch.user03@acme.example.com") + `</command>`,
		userAdd("acme-ent", "acme-hq", "m1@acme.example.com", ""),
		userAdd("acme-ent", "acme-hq", "m1@acme.example.com", ""),
		cmd("Nonsense", ""),
		deviceAdd("acme-hq", "m-phone", "Nokia", ""),
		userAdd("acme-ent", "acme-hq", "m2@acme.example.com", el("extension", "9")),
		userAdd("acme-ent", "acme-hq", "m3@acme.example.com", el("extension", "9003")),
	}
	for len(cmds) < 15 {
		cmds = append(cmds, cmd("VerifySessionIsValidRequest", ""))
	}
	res := c.send(cmds...)
	if len(res) != 15 {
		t.Fatalf("%d responses", len(res))
	}
	wantOK(t, res[0])
	if res[0].XSIType != "UserGetResponse23V2" || res[0].Echo == nil || *res[0].Echo != "r1" {
		t.Fatalf("first response %s echo %v", res[0].XSIType, res[0].Echo)
	}
	if res[1].XSIType != "c:SuccessResponse" {
		t.Fatalf("second %s", res[1].XSIType)
	}
	wantCode(t, res[2], 4200, "")
	wantCode(t, res[3], 6004, "")
	wantCode(t, res[4], 4501, "")
	wantCode(t, res[5], 6004, "extension") // Extension17 is 2..20 characters
	wantOK(t, res[6])
	for _, r := range res[7:] {
		wantOK(t, r)
	}
	if len(s.UsersInGroup("acme-ent", "acme-hq")) != 2 {
		t.Fatal("want m1 and m3 only")
	}
}

func TestDocument_wireLayout(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	c.one("VerifySessionIsValidRequest", "")
	lines := bytes.Split(c.last, []byte("\n"))
	if len(lines) != 3 || len(lines[2]) != 0 {
		t.Fatalf("want declaration, one line, newline: %q", c.last)
	}
	if !bytes.HasPrefix(lines[1], []byte(`<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">`)) {
		t.Fatalf("root %q", lines[1])
	}
	if !bytes.Contains(lines[1], []byte(`<command xsi:type="c:SuccessResponse" xmlns:c="C" xmlns=""/>`)) {
		t.Fatalf("success %q", lines[1])
	}
}

// Characters travel as ISO-8859-1 in both directions; UTF-8 requests work
// too; characters outside Latin-1 come back as character references.
func TestDocument_encodings(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	latin := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + strings.TrimPrefix(document(c.sid,
		userAdd("acme-ent", "acme-hq", "fo@acme.example.com", "")), `<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n")
	latin = strings.Replace(latin, "<firstName>Tina</firstName>", "<firstName>J\xf3hanna</firstName>", 1)
	latin = strings.Replace(latin, "<lastName>Tester</lastName>", "<lastName>\xd0a\xf0ason</lastName>", 1)
	d, err := c.sendRaw(latin)
	if err != nil {
		t.Fatal(err)
	}
	wantOK(t, d.Commands[0])
	utf := strings.Replace(document(c.sid, userAdd("acme-ent", "acme-hq", "zh@acme.example.com", "")), "ISO-8859-1", "UTF-8", 1)
	utf = strings.Replace(utf, "<firstName>Tina</firstName>", "<firstName>中文</firstName>", 1)
	d, err = c.sendRaw(utf)
	if err != nil {
		t.Fatal(err)
	}
	wantOK(t, d.Commands[0])
	if u, _ := s.User("fo@acme.example.com"); u.FirstName != "Jóhanna" || u.LastName != "Ðaðason" {
		t.Fatalf("latin-1 names %q %q", u.FirstName, u.LastName)
	}
	r := c.one("UserGetRequest23V2", el("userId", "fo@acme.example.com"))
	if !bytes.Contains(c.last, []byte("<firstName>J\xf3hanna</firstName>")) || r.field("lastName") != "Ðaðason" {
		t.Fatalf("latin-1 response %q", c.last)
	}
	r = c.one("UserGetRequest23V2", el("userId", "zh@acme.example.com"))
	if !bytes.Contains(c.last, []byte("<firstName>&#x4e2d;&#x6587;</firstName>")) || r.field("firstName") != "中文" {
		t.Fatalf("non-latin response %q", c.last)
	}
}

func TestDocument_trackingIDAndNoTrailingNewline(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	doc := strings.TrimSuffix(strings.Replace(document(c.sid, cmd("VerifySessionIsValidRequest", "")),
		"</sessionId>", "</sessionId><trackingId xmlns=\"\">trk-1</trackingId>", 1), "\n")
	if _, err := c.sendRaw(doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(c.last, []byte(`<trackingId xmlns="">trk-1</trackingId>`)) {
		t.Fatalf("tracking id not echoed: %s", c.last)
	}
	// The next document directly follows without a newline: still framed.
	if _, err := c.sendRaw(doc); err != nil {
		t.Fatal(err)
	}
}

func TestDocument_tooLargeClosesConnection(t *testing.T) {
	s := startDemo(t, &ocisim.Options{MaxDocumentSize: 1024})
	c := dialRaw(t, s.Addr().String())
	c.conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c.conn, document("x", cmd("UserGetRequest23V2", el("userId", strings.Repeat("a", 2000)))))
	if _, err := c.r.ReadByte(); err == nil {
		t.Fatal("connection still open")
	}
}

func TestServer_closeIdempotent(t *testing.T) {
	s := ocisim.New(nil)
	if _, err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Listen("127.0.0.1:0"); err == nil {
		t.Fatal("Listen after Close succeeded")
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection not closed")
	}
	_ = fmt.Sprint()
}

// Pretty-printed requests (as some shell clients send them) parse the same.
func TestDocument_indented(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	doc := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n" +
		"  <sessionId xmlns=\"\">" + c.sid + "</sessionId>\n  <command xsi:type=\"UserGetRequest23V2\" xmlns=\"\">\n    <userId>\n      branch.user05@acme.example.com\n    </userId>\n  </command>\n</BroadsoftDocument>\n"
	d, err := c.sendRaw(doc)
	if err != nil {
		t.Fatal(err)
	}
	wantOK(t, d.Commands[0])
	if d.Commands[0].field("userId") != "branch.user05@acme.example.com" {
		t.Fatalf("user %q", d.Commands[0].field("userId"))
	}
}
