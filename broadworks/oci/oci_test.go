package oci

import (
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestNillable_MarshalXML(t *testing.T) {
	type doc struct {
		XMLName    xml.Name                 `xml:"command"`
		Phone      *Nillable[string]        `xml:"phoneNumber"`
		Ext        *Nillable[string]        `xml:"extension"`
		Department *Nillable[DepartmentKey] `xml:"department"`
		Name       *Nillable[NameDialingName]
	}
	tests := []struct {
		name string
		in   doc
		want string
	}{
		{"absent", doc{}, `<command></command>`},
		{"value", doc{Phone: Set("2025550101")}, `<command><phoneNumber>2025550101</phoneNumber></command>`},
		{"empty value is not nil", doc{Phone: Set("")}, `<command><phoneNumber></phoneNumber></command>`},
		{"clear", doc{Ext: Clear[string]()}, `<command><extension xsi:nil="true"></extension></command>`},
		{"abstract value", doc{Department: Set[DepartmentKey](GroupDepartment("sp", "g", "Sales"))},
			`<command><department xsi:type="GroupDepartmentKey"><serviceProviderId>sp</serviceProviderId><groupId>g</groupId><name>Sales</name></department></command>`},
		{"abstract clear keeps xsi:type", doc{Department: ClearDepartment(&EnterpriseDepartmentKey{})},
			`<command><department xsi:type="EnterpriseDepartmentKey" xsi:nil="true"></department></command>`},
		{"abstract clear without type", doc{Department: Clear[DepartmentKey]()}, `<command><department xsi:nil="true"></department></command>`},
		{"struct value", doc{Name: Set(NameDialingName{NameDialingLastName: "Doe", NameDialingFirstName: "Jane"})},
			`<command><Name><nameDialingLastName>Doe</nameDialingLastName><nameDialingFirstName>Jane</nameDialingFirstName></Name></command>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := xml.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
			// Decode with the xsi prefix bound, as inside a document.
			src := strings.Replace(string(b), "<command>", `<command xmlns:xsi="`+XSINamespace+`">`, 1)
			var back doc
			if err := xml.Unmarshal([]byte(src), &back); err != nil {
				t.Fatal(err)
			}
			back.XMLName = tc.in.XMLName
			if !reflect.DeepEqual(back, tc.in) {
				t.Errorf("round trip: got %+v want %+v", back, tc.in)
			}
		})
	}
}

func TestTable_XML(t *testing.T) {
	src := `<t><colHeading>User Id</colHeading><colHeading>Line/Port</colHeading><colHeading>Last Name</colHeading>` +
		`<row><col>u1</col><col/><col>Doe</col></row><row><col>u2</col></row></t>`
	var tab Table
	if err := xml.Unmarshal([]byte(src), &tab); err != nil {
		t.Fatal(err)
	}
	want := Table{Headings: []string{"User Id", "Line/Port", "Last Name"}, Rows: [][]string{{"u1", "", "Doe"}, {"u2", "", ""}}}
	if !reflect.DeepEqual(tab, want) {
		t.Fatalf("got %+v", tab)
	}
	if tab.Col(0, "Last Name") != "Doe" || tab.Col(1, "LAST NAME") != "" || tab.Index("line/port") != 1 || tab.Index("x") != -1 {
		t.Error("Col/Index")
	}
	b, err := xml.Marshal(&struct {
		XMLName xml.Name `xml:"r"`
		T       Table    `xml:"t"`
	}{T: tab})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		T Table `xml:"t"`
	}
	if err := xml.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.T, want) {
		t.Errorf("round trip %s: %+v %v", b, back.T, err)
	}
}

func TestErrorResponse_XML(t *testing.T) {
	tests := []struct {
		name string
		in   ErrorResponse
		want string
	}{
		{"code from summary", ErrorResponse{Code: 4008, Summary: "[Error 4008] User not found", SummaryEnglish: "[Error 4008] User not found"},
			`<command xmlns="" xsi:type="c:ErrorResponse" xmlns:c="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" type="Error"><summary>[Error 4008] User not found</summary><summaryEnglish>[Error 4008] User not found</summaryEnglish></command>`},
		{"explicit code and detail", ErrorResponse{Type: TypeWarning, Code: 7, Summary: "s", SummaryEnglish: "se", Detail: "d"},
			`<command xmlns="" xsi:type="c:ErrorResponse" xmlns:c="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" type="Warning"><errorCode>7</errorCode><summary>s</summary><summaryEnglish>se</summaryEnglish><detail>d</detail></command>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := MarshalCommand(&tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
			c, err := UnmarshalCommand(b)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.in
			if want.Type == "" {
				want.Type = TypeError
			}
			if got := *c.(*ErrorResponse); got != want {
				t.Errorf("round trip %+v", got)
			}
		})
	}
}

// TestMarshalCommand_everyType round-trips the zero value and a value
// with a department of every registered command.
func TestMarshalCommand_everyType(t *testing.T) {
	names := Names()
	if len(names) < 70 {
		t.Fatalf("only %d registered commands", len(names))
	}
	for _, name := range names {
		c, ok := New(name)
		if !ok || c.OCIName() != name {
			t.Fatalf("New(%q) = %v, %v", name, c, ok)
		}
		_, isReq := c.(Request)
		_, isResp := c.(Response)
		if isReq == isResp {
			t.Errorf("%s: request %v, response %v", name, isReq, isResp)
		}
		b, err := MarshalCommand(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := UnmarshalCommand(b)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		if e, ok := c.(*ErrorResponse); ok {
			e.Type = TypeError // the default written for an empty Type
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("%s: round trip differs\n%#v\n%#v", name, back, c)
		}
	}
}

func TestUnmarshalCommand_department(t *testing.T) {
	in := &UserAddRequest22V2{ServiceProviderID: "sp", GroupID: "g", UserID: "u@d", LastName: "L", FirstName: "F",
		CallingLineIDLastName: "L", CallingLineIDFirstName: "F", Department: EnterpriseDepartment("sp", "Support"),
		Alias: []string{"a@d"}, Extension: String("1234"), IsPlace: Bool(true)}
	b, err := MarshalCommand(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := UnmarshalCommand(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, Command(in)) {
		t.Errorf("got %#v", out)
	}
}

func TestUnmarshalCommand_errors(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"unknown", `<command xmlns:xsi="` + XSINamespace + `" xsi:type="NoSuchRequest"/>`},
		{"no type", `<command/>`},
		{"malformed", `<command xmlns:xsi="` + XSINamespace + `" xsi:type="UserGetRequest23V2"><userId>`},
		{"bad abstract", `<command xmlns:xsi="` + XSINamespace + `" xsi:type="UserAddRequest22V2"><department/></command>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := UnmarshalCommand([]byte(tc.in)); err == nil {
				t.Errorf("no error, got %#v", c)
			}
		})
	}
	_, err := UnmarshalCommand([]byte(`<command xmlns:xsi="` + XSINamespace + `" xsi:type="NoSuchRequest"/>`))
	var ut *UnknownTypeError
	if !errors.As(err, &ut) || ut.Type != "NoSuchRequest" || !strings.Contains(err.Error(), "NoSuchRequest") {
		t.Errorf("err = %v", err)
	}
	if _, err := MarshalCommand(nil); err == nil {
		t.Error("MarshalCommand(nil) succeeded")
	}
}

func TestNew_genericResponses(t *testing.T) {
	for _, n := range []string{"c:SuccessResponse", "SuccessResponse", "c:ErrorResponse", "ErrorResponse"} {
		if _, ok := New(n); !ok {
			t.Errorf("New(%q) unknown", n)
		}
	}
}

func TestCtor(t *testing.T) {
	if *String("x") != "x" || !*Bool(true) || *Int(3) != 3 || *Int64(4) != 4 || StringOrNil("") != nil || *StringOrNil("y") != "y" {
		t.Error("pointer helpers")
	}
	k := GroupDepartment("sp", "g", "n")
	var _ DepartmentKey = k
	if k.XSIType() != "GroupDepartmentKey" || EnterpriseDepartment("sp", "n").XSIType() != "EnterpriseDepartmentKey" {
		t.Error("department keys")
	}
	if d := GroupDevice("phone"); d.DeviceLevel != DeviceLevelGroup || d.DeviceName != "phone" {
		t.Error("GroupDevice")
	}
}

func TestAddress(t *testing.T) {
	if Address("", "", "", "", "", "") != nil {
		t.Error("empty address is not nil")
	}
	a := Address("1 Main St", "", "Springfield", "VA", "", "US")
	if a.AddressLine1.Value != "1 Main St" || a.AddressLine2 != nil || a.City.Value != "Springfield" || a.ZipOrPostalCode != nil || a.Country.Value != "US" {
		t.Errorf("Address = %+v", a)
	}
}

// TestErrorResponse_Number: the errorCode when the server sends one, the
// summary's "[Error NNNN]" when it does not, 0 for neither.
func TestErrorResponse_Number(t *testing.T) {
	for _, c := range []struct {
		e    ErrorResponse
		want int
	}{
		{ErrorResponse{Code: 4200, Summary: "[Error 4500] ignored"}, 4200},
		{ErrorResponse{Summary: "[Error 4500] Access Device already exists"}, 4500},
		{ErrorResponse{Summary: " [Error 6004] OCI XML Request validation error"}, 6004},
		{ErrorResponse{Summary: "Error 4500 without brackets"}, 0},
		{ErrorResponse{}, 0},
	} {
		if got := c.e.Number(); got != c.want {
			t.Errorf("%+v.Number() = %d, want %d", c.e, got, c.want)
		}
	}
}
