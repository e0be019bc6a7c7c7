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

// The committed schema.txt is what the generator writes from the schema:
// every command the simulator implements, in its R25 content model.
func TestSchemaUpToDate(t *testing.T) {
	s, err := loadSchema(testSchemaDir(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "ocisim", "schema.txt")
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ns := commands(string(old))
	if len(ns) < 40 {
		t.Fatalf("schema.txt names %d commands", len(ns))
	}
	got, err := generateNewest(s, ns)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(old) {
		t.Fatalf("ocisim/schema.txt is stale: run go generate ./broadworks/ocisim/")
	}
}

// A content model is the schema's: UserGetRequest23V2 has exactly its
// userId, with the UserId type's limits; a name the schema lacks is an
// error, never an empty model.
func TestNewest(t *testing.T) {
	s, err := loadSchema(testSchemaDir(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := generateNewest(s, []string{"UserGetRequest23V2"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "UserGetRequest23V2\n  userId : str 1 161\n"; !strings.HasSuffix(string(got), want) {
		t.Errorf("got %q, want it to end %q", got, want)
	}
	if _, err := generateNewest(s, []string{"UserGetRequest99"}); err == nil {
		t.Error("a command the schema lacks was written")
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
