package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

// The committed versions.txt is what the generator writes from the schema.
func TestVersionsUpToDate(t *testing.T) {
	s, err := loadSchema(testSchemaDir(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "ocisim", "versions.txt")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := pairs(string(old))
	if len(ps) < 20 {
		t.Fatalf("versions.txt names %d versions", len(ps))
	}
	got, err := generate(s, ps)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(old) {
		t.Fatalf("ocisim/versions.txt is stale: run go generate ./broadworks/ocisim/")
	}
	if strings.Contains(string(got), ": any") {
		t.Fatal("versions.txt still holds unchecked content")
	}
}

// Nested types are written in full: the endpoint of UserModifyRequest16
// holds its accessDeviceEndpoint wrapper with its own required elements.
func TestNested(t *testing.T) {
	s, err := loadSchema(testSchemaDir(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(s, []pair{{"UserModifyRequest16", "UserModifyRequest22"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  endpoint ? nil :\n    (choice)\n      accessDeviceEndpoint :\n        accessDevice :\n",
		"          deviceLevel : enum System|Service Provider|Group\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
