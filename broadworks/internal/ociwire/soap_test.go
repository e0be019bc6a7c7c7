package ociwire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

func TestWrapSOAP(t *testing.T) {
	req := &oci.UserGetRequest23V2{UserID: "sjúrður@acme.example.com"}
	doc, err := Encode(testSession, []oci.Request{req}, EncodeOptions{}) // ISO-8859-1
	if err != nil {
		t.Fatal(err)
	}
	env := WrapSOAP(doc)
	for _, want := range []string{
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">`,
		`<ns1:processOCIMessage xmlns:ns1="urn:com:broadsoft:webservice"><ns1:in0>&lt;?xml version=&#34;1.0&#34; encoding=&#34;UTF-8&#34;?&gt;`,
		`sjúrður`, // the envelope is UTF-8
		`</ns1:in0></ns1:processOCIMessage></soapenv:Body></soapenv:Envelope>`,
	} {
		if !bytes.Contains(env, []byte(want)) {
			t.Errorf("envelope lacks %s:\n%s", want, env)
		}
	}
	// A server unwraps in0 and decodes the same command.
	inner, err := UnwrapSOAP(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(inner)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Commands[0], oci.Command(req)) {
		t.Errorf("got %+v", got.Commands[0])
	}
}

func TestUnwrapSOAP(t *testing.T) {
	const respDoc = `<?xml version="1.0" encoding="ISO-8859-1"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">s</sessionId><command echo="" xsi:type="SystemSoftwareVersionGetResponse" xmlns=""><version>25</version></command></BroadsoftDocument>`
	var esc bytes.Buffer
	if err := xmlEscape(&esc, respDoc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		version    string
		fault      *SOAPFault
		wantErr    bool
	}{
		{name: "document literal", version: "25", body: `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><processOCIMessageResponse xmlns="urn:com:broadsoft:webservice"><processOCIMessageReturn>` + esc.String() + `</processOCIMessageReturn></processOCIMessageResponse></soapenv:Body></soapenv:Envelope>`},
		{name: "rpc encoded", version: "25", body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><ns1:processOCIMessageResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:com:broadsoft:webservice"><processOCIMessageReturn xsi:type="xsd:string">` + esc.String() + `</processOCIMessageReturn></ns1:processOCIMessageResponse></soapenv:Body></soapenv:Envelope>`},
		{name: "fault", body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server.userException</faultcode><faultstring>java.lang.NullPointerException</faultstring><detail><string>no session</string></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
			fault: &SOAPFault{Code: "soapenv:Server.userException", String: "java.lang.NullPointerException", Detail: "no session"}},
		{name: "no return", body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>`, wantErr: true},
		{name: "html error page", body: `<html><body>502 Bad Gateway</body></html>`, wantErr: true},
		{name: "empty return", body: `<Envelope><Body><processOCIMessageReturn> </processOCIMessageReturn></Body></Envelope>`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := UnwrapSOAP([]byte(tc.body))
			if tc.fault != nil {
				var f *SOAPFault
				if !errors.As(err, &f) || *f != *tc.fault {
					t.Fatalf("err = %#v, want fault %#v", err, tc.fault)
				}
				if !strings.Contains(err.Error(), "NullPointerException") {
					t.Errorf("Error() = %q", err)
				}
				return
			}
			if tc.wantErr {
				if err == nil {
					t.Fatalf("no error; doc %q", doc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, err := Decode(doc)
			if err != nil {
				t.Fatal(err)
			}
			if v := d.Commands[0].(*oci.SystemSoftwareVersionGetResponse).Version; v != tc.version {
				t.Errorf("version %q", v)
			}
		})
	}
}

func xmlEscape(b *bytes.Buffer, s string) error { return xml.EscapeText(b, []byte(s)) }
