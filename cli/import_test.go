package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Other tools' files from the command line: every unknown column is named
// by letter and header, --ignore and --map take them, Mercury's
// user.create rows are taken, its groupId must be the group chosen, the
// importer's notes are printed and in --json, and an empty file is 0
// users.
func TestCLI_Validate_otherToolsFiles(t *testing.T) {
	e := newEnv(t, nil)
	foreign := e.file("webex.csv", [][]string{
		{"userId", "firstName", "lastName", "Employee No", "Cost centre", "phoneNumber"},
		{"w.001@acme.example.com", "Ann", "Lee", "0042", "CC-1", "+1 (202) 555-0100"},
	})
	r := e.run("", "validate", foreign, "--group", "acme-ent/acme-hq")
	for _, want := range []string{
		"webex.csv:1:D (Employee No): bwbulk does not know this column",
		"webex.csv:1:E (Cost centre): bwbulk does not know this column",
	} {
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("want %q in %v", want, r)
		}
	}
	mapFile := filepath.Join(e.dir, "map.json")
	os.WriteFile(mapFile, []byte(`{"Employee No": "extension"}`), 0o600)
	r = e.run("", "validate", foreign, "--group", "acme-ent/acme-hq", "--map", mapFile, "--ignore", "Cost centre", "--json")
	var v struct {
		Users    int `json:"users"`
		Problems []struct {
			Row    int    `json:"row"`
			Letter string `json:"letter"`
		} `json:"problems"`
		Notes []struct {
			Letter  string `json:"letter"`
			Message string `json:"message"`
		} `json:"notes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || v.Users != 1 {
		t.Fatalf("json: %v\n%v", err, r)
	}
	notes := ""
	for _, n := range v.Notes {
		notes += n.Letter + ": " + n.Message + "\n"
	}
	if !strings.Contains(notes, "F: column F (phoneNumber), 1 value: phone numbers written as BroadWorks takes them") ||
		!strings.Contains(notes, "not used: column E (Cost centre): ignored as chosen") {
		t.Errorf("notes:\n%s", notes)
	}
	if !strings.Contains(r.stderr, "note: column F (phoneNumber)") {
		t.Errorf("note not printed: %v", r)
	}

	mercury := e.file("mercury.csv", [][]string{
		{"operation", "serviceProviderId", "groupId", "userId", "firstName", "lastName"},
		{"user.create", "acme-ent", "acme-branch", "m.001@acme.example.com", "Ann", "Lee"},
	})
	r = e.run("", "validate", mercury, "--group", "acme-ent/acme-branch")
	if r.code != 0 {
		t.Errorf("Mercury user.create refused: %v", r)
	}
	r = e.run("", "validate", mercury, "--group", "acme-ent/acme-hq")
	if r.code != 1 || !strings.Contains(r.stdout, "mercury.csv:0:: the file's serviceProviderId/groupId columns name acme-ent / acme-branch, but acme-ent / acme-hq is chosen") {
		t.Errorf("another group taken: %v", r)
	}

	empty := filepath.Join(e.dir, "empty.csv")
	os.WriteFile(empty, nil, 0o600)
	r = e.run("", "validate", empty, "--group", "acme-ent/acme-hq")
	if r.code != 1 || !strings.Contains(r.stderr, "0 users") || !strings.Contains(r.stdout, "the file is empty") {
		t.Errorf("empty file: %v", r)
	}
}
