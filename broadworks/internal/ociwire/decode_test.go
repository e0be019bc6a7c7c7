package ociwire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

func readResponse(t *testing.T, name string) *Document {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(responsesDir, name+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	if doc.SessionID != testSession {
		t.Errorf("SessionID = %q", doc.SessionID)
	}
	return doc
}

func one[T oci.Command](t *testing.T, doc *Document) T {
	t.Helper()
	if len(doc.Commands) != 1 {
		t.Fatalf("%d commands, want 1", len(doc.Commands))
	}
	c, ok := doc.Commands[0].(T)
	if !ok {
		t.Fatalf("command is %T", doc.Commands[0])
	}
	return c
}

func TestDecode_errorResponses(t *testing.T) {
	tests := []struct {
		file string
		want oci.ErrorResponse
	}{
		{"ErrorResponse-code", oci.ErrorResponse{Type: oci.TypeError, Code: 4008,
			Summary:        "[Error 4008] User not found: jane.doe@acme.example.com",
			SummaryEnglish: "[Error 4008] User not found: jane.doe@acme.example.com"}},
		{"ErrorResponse-nocode", oci.ErrorResponse{Type: oci.TypeError, Code: 6004,
			Summary:        "[Error 6004] OCI XML Request validation error",
			SummaryEnglish: "[Error 6004] OCI XML Request validation error",
			Detail:         "Element <foo> is not valid for UserAddRequest22V2 & friends"}},
		{"ErrorResponse-warning", oci.ErrorResponse{Type: oci.TypeWarning, Code: 0,
			Summary:        "[Warning 4410] Service assignment partially failed: Voice Messaging User",
			SummaryEnglish: "[Warning 4410] Service assignment partially failed: Voice Messaging User"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got := one[*oci.ErrorResponse](t, readResponse(t, tc.file))
			if *got != tc.want {
				t.Errorf("got %+v\nwant %+v", *got, tc.want)
			}
			var err error = got
			var er *oci.ErrorResponse
			if !errors.As(err, &er) {
				t.Error("ErrorResponse is not an error")
			}
		})
	}
}

func TestDecode_batchMixed(t *testing.T) {
	doc := readResponse(t, "Batch-mixed")
	if len(doc.Commands) != 4 {
		t.Fatalf("%d commands, want 4", len(doc.Commands))
	}
	for i := 0; i < 2; i++ {
		if _, ok := doc.Commands[i].(*oci.SuccessResponse); !ok {
			t.Errorf("command %d is %T, want SuccessResponse", i, doc.Commands[i])
		}
	}
	var codes []int
	for _, c := range doc.Commands[2:] {
		e, ok := c.(*oci.ErrorResponse)
		if !ok {
			t.Fatalf("%T, want ErrorResponse", c)
		}
		codes = append(codes, e.Code)
	}
	if !reflect.DeepEqual(codes, []int{4501, 4909}) {
		t.Errorf("codes = %v", codes)
	}
	if !reflect.DeepEqual(doc.Echo, []string{"", "", "", ""}) {
		t.Errorf("Echo = %q", doc.Echo)
	}
}

func TestDecode_tableByHeading(t *testing.T) {
	r := one[*oci.ServiceProviderGetListResponse](t, readResponse(t, "ServiceProviderGetListResponse-reordered"))
	tab := &r.ServiceProviderTable
	if len(tab.Rows) != 2 {
		t.Fatalf("%d rows", len(tab.Rows))
	}
	tests := []struct {
		row           int
		heading, want string
	}{
		{0, "Service Provider Id", "acme-ent"},
		{0, "Service Provider Name", "Acme Corporation"},
		{0, "Is Enterprise", "true"},
		{0, "Reseller Id", ""},
		{1, "Service Provider Id", "metro-sp"},
		{1, "reseller id", "res1"}, // case-insensitive fallback
		{1, "Line/Port Hint", ""},
		{0, "No Such Column", ""},
		{5, "Service Provider Id", ""},
	}
	for _, tc := range tests {
		if got := tab.Col(tc.row, tc.heading); got != tc.want {
			t.Errorf("Col(%d, %q) = %q, want %q", tc.row, tc.heading, got, tc.want)
		}
	}
}

func TestDecode_login(t *testing.T) {
	l := one[*oci.LoginResponse22V5](t, readResponse(t, "LoginResponse22V5"))
	want := oci.LoginResponse22V5{LoginType: "Group", Locale: "en_US", Encoding: "ISO-8859-1",
		GroupID: oci.String("acme-hq"), ServiceProviderID: oci.String("acme-ent"), IsEnterprise: true,
		PasswordExpiresDays: oci.Int(2147483647), UserDomain: "acme.example.com", TokenRevocationTime: oci.Int64(1764072000000)}
	if !reflect.DeepEqual(*l, want) {
		t.Errorf("got %+v", *l)
	}
	l14 := one[*oci.LoginResponse14sp4](t, readResponse(t, "LoginResponse14sp4"))
	if l14.LoginType != "System" || l14.GroupID != nil || l14.IsEnterprise || l14.UserDomain != "example.com" {
		t.Errorf("LoginResponse14sp4 = %+v", *l14)
	}
	a := one[*oci.AuthenticationResponse](t, readResponse(t, "AuthenticationResponse"))
	if a.Nonce != "1234567890123" || a.PasswordAlgorithm != "MD5" {
		t.Errorf("AuthenticationResponse = %+v", *a)
	}
}

func TestDecode_userGet(t *testing.T) {
	u := one[*oci.UserGetResponse23V2](t, readResponse(t, "UserGetResponse23V2"))
	dep, ok := u.Department.(*oci.EnterpriseDepartmentKey)
	if !ok || *dep != (oci.EnterpriseDepartmentKey{ServiceProviderID: "acme-ent", Name: "Support"}) {
		t.Errorf("Department = %#v", u.Department)
	}
	ep := u.AccessDeviceEndpoint
	if ep == nil || ep.AccessDevice.DeviceName != "jane.doe-vvx450" || ep.LinePort != "2025550101_1@acme.example.com" ||
		len(ep.Contact) != 1 || !ep.UseDomain || ep.UseHotline {
		t.Errorf("AccessDeviceEndpoint = %+v", ep)
	}
	if u.Address == nil || u.Address.City == nil || u.Address.City.Value != "Springfield" || u.Address.City.Nil {
		t.Errorf("Address = %+v", u.Address)
	}
	if u.CountryCode != "1" || !u.AllowVideo || *u.Extension != "0101" || u.Title != nil {
		t.Errorf("user = %+v", u)
	}
}

// TestDecode_encodings: the same user sent as ISO-8859-1 bytes and as
// UTF-8 decodes to the same strings (issue cwmiller/broadworks-connector-net
// #4: Faroese ó and ð).
func TestDecode_encodings(t *testing.T) {
	l1 := one[*oci.UserGetResponse23V2](t, readResponse(t, "UserGetResponse23V2-latin1"))
	u8 := one[*oci.UserGetResponse23V2](t, readResponse(t, "UserGetResponse23V2-utf8"))
	if l1.LastName != "Óskarsson" || l1.FirstName != "Sjúrður" || *l1.AddressLocation != "Tórshavn 中" {
		t.Errorf("latin1: %q %q %q", l1.LastName, l1.FirstName, *l1.AddressLocation)
	}
	if !reflect.DeepEqual(l1, u8) {
		t.Errorf("latin1 and utf8 differ:\n%+v\n%+v", l1, u8)
	}
}

func TestDecode_more(t *testing.T) {
	g := one[*oci.GroupGetResponse22V5](t, readResponse(t, "GroupGetResponse22V5"))
	if g.UserLimit-g.UserCount != 463 || g.Contact.ContactName.Value != "Dana Hill" || g.GroupID != "acme-hq" {
		t.Errorf("GroupGetResponse22V5 = %+v", g)
	}
	x := one[*oci.GroupExtensionLengthGetResponse22](t, readResponse(t, "GroupExtensionLengthGetResponse22"))
	if x.MinExtensionLength != 4 || x.MaxExtensionLength != 4 || x.UseEnterpriseExtensionLengthSetting == nil {
		t.Errorf("GroupExtensionLengthGetResponse22 = %+v", x)
	}
	tz := one[*oci.SystemTimeZoneGetListResponse20](t, readResponse(t, "SystemTimeZoneGetListResponse20"))
	if tz.TimeZoneTable.Col(1, "Key") != "Atlantic/Faroe" || tz.ServerTimeZone != "America/New_York" {
		t.Errorf("SystemTimeZoneGetListResponse20 = %+v", tz)
	}
	dn := one[*oci.GroupDnGetAvailableListResponse](t, readResponse(t, "GroupDnGetAvailableListResponse"))
	if len(dn.PhoneNumber) != 3 || dn.PhoneNumber[2] != "2025550102" {
		t.Errorf("GroupDnGetAvailableListResponse = %+v", dn)
	}
	v := one[*oci.SystemSoftwareVersionGetResponse](t, readResponse(t, "SystemSoftwareVersionGetResponse"))
	if v.Version != "25.0_1.944" {
		t.Errorf("version %q", v.Version)
	}
}

func TestDecode_errors(t *testing.T) {
	const root = `<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">s</sessionId>`
	tests := []struct {
		name, doc, wantSub string
	}{
		{"empty", "", "no BroadsoftDocument"},
		{"not xml", "hello <", "malformed"},
		{"wrong root", `<foo/>`, "root element is <foo>"},
		{"no commands", root + `</BroadsoftDocument>`, "without commands"},
		{"unknown department type", root + `<command xmlns="" xsi:type="UserGetResponse23V2"><department xsi:type="Bogus"/></command></BroadsoftDocument>`, `"Bogus"`},
		{"truncated", root + `<command xmlns="" xsi:type="c:SuccessResponse" xmlns:c="C"/>`, "malformed"},
		{"bad int", root + `<command xmlns="" xsi:type="GroupGetResponse22V5"><userLimit>many</userLimit></command></BroadsoftDocument>`, "GroupGetResponse22V5"},
		{"bad encoding", `<?xml version="1.0" encoding="EBCDIC"?>` + root + `</BroadsoftDocument>`, "unsupported encoding"},
		{"16 commands", root + strings.Repeat(`<command xmlns="" xsi:type="c:SuccessResponse" xmlns:c="C"/>`, 16) + `</BroadsoftDocument>`, "more than 15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.doc))
			if err == nil {
				t.Fatal("no error")
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *DecodeError", err)
			}
			if !strings.Contains(err.Error(), tc.wantSub) {
				t.Errorf("error %q does not mention %q", err, tc.wantSub)
			}
		})
	}
}

// A command type bwbulk has not generated costs only that command: the
// others of the document decode, and the unknown one names its type.
func TestDecode_unknownTypeOnlyThatCommand(t *testing.T) {
	const root = `<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">s</sessionId>`
	doc := root + `<command xmlns="" xsi:type="c:SuccessResponse" xmlns:c="C"/>` +
		`<command xmlns="" xsi:type="UserGetResponse99"><userId>x</userId><nested><a>1</a></nested></command>` +
		`<command xmlns=""/>` +
		`<command xmlns="" xsi:type="SystemSoftwareVersionGetResponse"><version>22.0</version></command></BroadsoftDocument>`
	d, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Commands) != 4 {
		t.Fatalf("%d commands, want 4", len(d.Commands))
	}
	if _, ok := d.Commands[0].(*oci.SuccessResponse); !ok {
		t.Errorf("command 1 = %T", d.Commands[0])
	}
	for i, want := range map[int]string{1: "UserGetResponse99", 2: ""} {
		u, ok := d.Commands[i].(*oci.UnknownResponse)
		if !ok || u.Type != want {
			t.Errorf("command %d = %#v, want UnknownResponse %q", i+1, d.Commands[i], want)
		}
	}
	if v, ok := d.Commands[3].(*oci.SystemSoftwareVersionGetResponse); !ok || v.Version != "22.0" {
		t.Errorf("command 4 = %#v", d.Commands[3])
	}
}

// A UTF-8 byte-order mark before the declaration is not text outside the
// root element.
func TestDecode_byteOrderMark(t *testing.T) {
	doc := "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
		`<BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">s</sessionId>` +
		`<command xmlns="" xsi:type="c:SuccessResponse" xmlns:c="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></BroadsoftDocument>`
	d, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Commands[0].(*oci.SuccessResponse); !ok || d.SessionID != "s" {
		t.Errorf("decoded %#v", d)
	}
}

func TestEncode_errors(t *testing.T) {
	req := &oci.UserDeleteRequest{UserID: "u"}
	many := make([]oci.Request, 16)
	for i := range many {
		many[i] = req
	}
	tests := []struct {
		name    string
		session string
		cmds    []oci.Request
		opts    EncodeOptions
		want    error
	}{
		{"no commands", "s", nil, EncodeOptions{}, ErrNoCommands},
		{"too many", "s", many, EncodeOptions{}, ErrTooManyCommands},
		{"no session", " ", []oci.Request{req}, EncodeOptions{}, ErrNoSession},
		{"encoding", "s", []oci.Request{req}, EncodeOptions{Encoding: "UTF-16"}, ErrUnknownEncoding},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Encode(tc.session, tc.cmds, tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := Encode("s", []oci.Request{nil}, EncodeOptions{}); err == nil {
		t.Error("nil command accepted")
	}
	if _, err := Encode("s", []oci.Request{(*oci.UserDeleteRequest)(nil)}, EncodeOptions{}); err == nil {
		t.Error("typed nil command accepted")
	}
	if _, err := Encode("s", []oci.Request{req}, EncodeOptions{Echo: []string{"a", "b"}}); err == nil {
		t.Error("Echo of wrong length accepted")
	}
}

func TestEncode_utf8AndEcho(t *testing.T) {
	req := &oci.UserGetRequest23V2{UserID: "sjúrður@acme.example.com"}
	doc, err := Encode("s-1", []oci.Request{req, req}, EncodeOptions{Encoding: "utf-8", Echo: []string{"r1", ""}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n")) || !bytes.HasSuffix(doc, []byte("</BroadsoftDocument>\n")) {
		t.Errorf("layout: %s", doc)
	}
	if !bytes.Contains(doc, []byte("sjúrður")) || !bytes.Contains(doc, []byte(`echo="r1"`)) {
		t.Errorf("content: %s", doc)
	}
	got, err := Decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionID != "s-1" || !reflect.DeepEqual(got.Echo, []string{"r1", ""}) || !reflect.DeepEqual(got.Commands[1], oci.Command(req)) {
		t.Errorf("got %+v", got)
	}
	// Latin-1: one byte per accented letter.
	doc, _ = Encode("s-1", []oci.Request{req}, EncodeOptions{})
	if !bytes.Contains(doc, []byte("sj\xfar\xf0ur")) {
		t.Errorf("latin1 content: %q", doc)
	}
}

// canonical returns the element/attribute/text stream of an XML document
// with namespaces resolved, namespace declarations and blank text dropped,
// and attributes sorted: equal for namespace-equivalent documents.
func canonical(t *testing.T, doc []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	var out []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			var attrs []string
			for _, a := range x.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				v := a.Value
				if a.Name.Local == "type" && a.Name.Space == oci.XSINamespace {
					v = v[strings.IndexByte(v, ':')+1:]
				}
				attrs = append(attrs, a.Name.Space+" "+a.Name.Local+"="+v)
			}
			sort.Strings(attrs)
			out = append(out, "<"+x.Name.Space+" "+x.Name.Local+" "+strings.Join(attrs, " "))
		case xml.EndElement:
			out = append(out, ">")
		case xml.CharData:
			if s := strings.TrimSpace(string(x)); s != "" {
				out = append(out, s)
			}
		}
	}
}

// TestEncode_sharedExamples decodes the project's reference documents,
// encodes their content again and checks that the result is the same XML.
func TestEncode_sharedExamples(t *testing.T) {
	dir := filepath.Join(moduleRoot, "..", "shared", "ocip-examples")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) == 0 {
		t.Skip("no examples in " + dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			var reqs []oci.Request
			for _, c := range doc.Commands {
				reqs = append(reqs, c.(oci.Request))
			}
			enc, err := Encode(doc.SessionID, reqs, EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := canonical(t, enc), canonical(t, b); !reflect.DeepEqual(got, want) {
				t.Errorf("re-encoded document differs\n got %q\nwant %q", got, want)
			}
		})
	}
}
