package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"userId", "UserID"},
		{"GroupId", "GroupID"},
		{"serviceProviderExternalId", "ServiceProviderExternalID"},
		{"searchCriteriaUserId", "SearchCriteriaUserID"},
		{"externalUserIdentity", "ExternalUserIdentity"},
		{"callingLineIdLastName", "CallingLineIDLastName"},
		{"macAddress", "MacAddress"},
		{"DN", "DN"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := goName(tc.in); got != tc.want {
			t.Errorf("goName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var (
	schemaOnce   sync.Once
	cachedSchema *schema
	schemaErr    error
)

// testSchema loads the schema once for all tests (it is 9 MB of XSD).
func testSchema(t *testing.T) *schema {
	dir := testSchemaDir(t)
	schemaOnce.Do(func() { cachedSchema, schemaErr = loadSchema(dir) })
	if schemaErr != nil {
		t.Fatal(schemaErr)
	}
	return cachedSchema
}

func testSchemaDir(t *testing.T) string {
	d := os.Getenv("OCIP_SCHEMA_DIR")
	if d == "" {
		d = filepath.Join("..", "..", "..", "..", "shared", "ocip-schema")
	}
	if _, err := os.Stat(filepath.Join(d, "OCISchemaAS.xsd")); err != nil {
		t.Skipf("schema not found: %v", err)
	}
	return d
}

// TestGenerate_upToDate regenerates the oci types from the schema and
// compares them with the committed zz_generated.go.
func TestGenerate_upToDate(t *testing.T) {
	s := testSchema(t)
	names, err := readList("../../oci/commands.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(s, names, "oci")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../oci/zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("zz_generated.go is stale: run go generate ./broadworks/oci")
	}
}

func TestGenerate_errors(t *testing.T) {
	s := testSchema(t)
	if _, err := generate(s, []string{"NoSuchRequest"}, "oci"); err == nil || !strings.Contains(err.Error(), "NoSuchRequest") {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := generate(s, []string{"StreetAddress"}, "oci"); err == nil {
		t.Error("a data type accepted as a command")
	}
}

func TestGenerate_mapping(t *testing.T) {
	s := testSchema(t)
	src, err := generate(s, []string{"UserModifyRequest22", "ServiceProviderConsolidatedAddRequest", "GroupGetRequest22V5", "UserGetListInGroupRequest"}, "oci")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Department *Nillable[DepartmentKey] `xml:\"department\"`",   // nillable abstract
		"PhoneNumber *Nillable[string] `xml:\"phoneNumber\"`",        // nillable simple
		"LastName *string `xml:\"lastName\"`",                        // optional
		"UserID string `xml:\"userId\"`",                             // required
		"IsEnterprise bool `xml:\"isEnterprise,omitempty\"`",         // fixed="true" presence flag
		"Domain []string `xml:\"domain\"`",                           // maxOccurs unbounded
		"GroupExternalID string `xml:\"groupExternalId,omitempty\"`", // choice alternative
		"GroupID string `xml:\"GroupId\"`",                           // wire name kept
		"type DepartmentKey interface",
		"func (*GroupDepartmentKey) XSIType() string",
		`Register("UserModifyRequest22"`,
	} {
		if !bytes.Contains(squeeze(src), []byte(want)) {
			t.Errorf("generated code lacks %s", want)
		}
	}
}

// squeeze collapses runs of blanks, undoing gofmt's column alignment.
func squeeze(b []byte) []byte {
	return []byte(strings.Join(strings.Fields(string(b)), " "))
}
