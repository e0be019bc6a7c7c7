package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One numbering: a file with a title row above its header has its users
// on rows 3, 4 and 5. validate names the bad user's row as a spreadsheet
// shows it (the Import screen and the preview name the same, see the
// window's TestImport_rowNumbersAsTheFile); once fixed, the task's jobs
// and its export carry the same rows.
func TestCLI_rowNumbersAsTheFile(t *testing.T) {
	e := newEnv(t, nil)
	src, err := os.ReadFile(filepath.Join("testdata", "title-row-bad-user.csv"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(e.dir, "hires.csv")
	if err := os.WriteFile(bad, src, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run("", "validate", bad, "--group", "acme-ent/acme-hq")
	if r.code != 1 || !strings.Contains(r.stdout, "hires.csv:4:D (phoneNumber): ") {
		t.Fatalf("validate must name row 4 (the title row is row 1, the header row 2): %v", r)
	}
	if strings.Contains(r.stdout, "hires.csv:2:") || strings.Contains(r.stdout, "hires.csv:3:") {
		t.Errorf("validate names another row: %v", r)
	}

	good := filepath.Join(e.dir, "fixed.csv")
	if err := os.WriteFile(good, []byte(strings.Replace(string(src), "notanumber", "2025550312", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := e.run("", "submit", good, "--group", "acme-ent/acme-hq", "--wait"); r.code != 0 {
		t.Fatalf("submit: %v", r)
	}
	r = e.run("", "task", "1", "--json")
	var task struct {
		Jobs []struct {
			Row    int    `json:"row"`
			UserID string `json:"userId"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &task); err != nil || len(task.Jobs) != 3 {
		t.Fatalf("task --json: %v: %v", err, r)
	}
	for i, j := range task.Jobs {
		if j.Row != i+3 || j.UserID != []string{"rn1", "rn2", "rn3"}[i]+"@acme.example.com" {
			t.Errorf("job %d: row %d, %s; want the file's row %d", i+1, j.Row, j.UserID, i+3)
		}
	}
	out := filepath.Join(e.dir, "t1.csv")
	if r := e.run("", "task", "1", "--export", out); r.code != 0 {
		t.Fatalf("export: %v", r)
	}
	b, _ := os.ReadFile(out)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 4 || recs[0][0] != "Row" || recs[1][0] != "3" || recs[2][0] != "4" || recs[3][0] != "5" {
		t.Errorf("export rows %q %v", recs, err)
	}
}
