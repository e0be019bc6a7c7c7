package broadworks

import (
	"testing"

	"bwbulk/broadworks/internal/ociwire"
)

// A server's words name a type as unknown only when they hold its whole
// name: a refusal of UserGetRequest22V8 is not one of UserGetRequest22.
func TestUnknownTypeText(t *testing.T) {
	xerces := "org.xml.sax.SAXParseException: cvc-elt.4.2: Cannot resolve 'UserGetRequest22V8' to a type definition for element 'command'."
	for _, tc := range []struct {
		text, name string
		want       bool
	}{
		{xerces, "UserGetRequest22V8", true},
		{xerces, "UserGetRequest22", false},
		{xerces, "GetRequest22V8", false},
		{"UserGetRequest22V8 is not a known command", "UserGetRequest22V8", true},
		{"unknown: usergetrequest22v8", "UserGetRequest22V8", true},
		{"Element 'userId' of UserGetRequest22V8 is not valid", "UserGetRequest22V8", false},
		{"", "UserGetRequest22V8", false},
	} {
		if got := unknownTypeText(tc.text, tc.name); got != tc.want {
			t.Errorf("unknownTypeText(%q, %s) = %v, want %v", tc.text, tc.name, got, tc.want)
		}
	}
	f := &ociwire.SOAPFault{Code: "soapenv:Server.userException", String: xerces}
	if !refusedAsUnknown(f, "UserGetRequest22V8") || refusedAsUnknown(f, "UserGetRequest22") {
		t.Error("a SOAP Fault naming the type is not taken as its refusal, or is taken for another")
	}
	if refusedAsUnknown(&ociwire.SOAPFault{String: "NO_OCS_CONNECTION"}, "UserGetRequest22V8") {
		t.Error("a SOAP Fault that names no type is taken as a refusal of one")
	}
}
