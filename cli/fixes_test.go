package cli_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The fix loop from the command line: a task whose user ids were taken
// meanwhile fails on those rows; task --export --failed writes them with
// the task's row numbers, the file is edited (the ids replaced), retry
// --fixes puts it back and the task ends with every user created once.
func TestCLI_RetryFixes_roundTrip(t *testing.T) {
	e := newEnv(t, nil)
	f := e.file("users.csv", users("fx", 5))
	if r := e.run("", "submit", f, "--group", "acme-ent/acme-hq"); r.code != 0 {
		t.Fatalf("submit: %v", r)
	}
	// Someone else takes the second and fourth users' ids (the file's rows 3
	// and 5) before task 1 runs.
	taken := e.file("taken.csv", [][]string{{"userId", "firstName", "lastName"},
		{"fx.002@acme.example.com", "Other", "Two"}, {"fx.004@acme.example.com", "Other", "Four"}})
	if r := e.run("", "submit", taken, "--group", "acme-ent/acme-hq", "--wait"); r.code != 0 {
		t.Fatalf("submit of the taken ids: %v", r)
	}
	r := e.run("", "resume", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "3 of 5 users created, 2 failed") {
		t.Fatalf("resume 1: %v", r)
	}

	fix := filepath.Join(e.dir, "fix.xlsx")
	if r := e.run("", "task", "1", "--export", fix, "--failed"); r.code != 0 || !strings.Contains(r.stdout, "2 jobs written") {
		t.Fatalf("export --failed: %v", r)
	}
	// Edited as a help desk would: the ids replaced wherever they are.
	x, err := excelize.OpenFile(fix)
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetList()[0]
	rows, err := x.GetRows(sheet)
	if err != nil || len(rows) != 3 || rows[0][0] != "Row" || rows[1][0] != "3" || rows[2][0] != "5" {
		t.Fatalf("exported rows (want the task's rows 3 and 5, the file's): %q %v", rows, err)
	}
	for i, row := range rows[1:] {
		for j, v := range row {
			nv := strings.NewReplacer("fx.002", "fx.102", "fx.004", "fx.104").Replace(v)
			if nv != v {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
				x.SetCellStr(sheet, cell, nv)
			}
		}
	}
	if err := x.Save(); err != nil {
		t.Fatal(err)
	}
	x.Close()

	// A row for a job that did not fail is refused, nothing changed.
	bad := e.file("bad.csv", [][]string{{"row", "status", "errorCode", "error", "userId", "firstName", "lastName"},
		{"2", "completed", "", "", "fx.201@acme.example.com", "A", "B"}})
	if r := e.run("", "retry", "1", "--fixes", bad); r.code != 2 || !strings.Contains(r.stderr, "row 2 of the file is for row 2 of task 1, which has not failed: nothing was changed") {
		t.Errorf("fixes for a completed job: %v", r)
	}

	r = e.run("", "retry", "1", "--fixes", fix, "--wait")
	if r.code == 2 {
		if x, err := excelize.OpenFile(fix); err == nil {
			rows, err := x.GetRows(x.GetSheetList()[0])
			t.Logf("the edited file as excelize reads it: %q %v", rows, err)
			x.Close()
		}
	}
	if r.code != 0 || !strings.Contains(r.stdout, "task 1: 2 failed jobs updated from fix.xlsx and queued again") ||
		!strings.Contains(r.stderr, "5 of 5 users created, 0 failed") {
		t.Fatalf("retry --fixes --wait: %v", r)
	}
	for _, n := range []int{1, 3, 5, 102, 104} {
		id := fmt.Sprintf("fx.%03d@acme.example.com", n)
		if u, ok := e.srv.User(id); !ok {
			t.Errorf("%s missing on the server", id)
		} else if n > 100 && u.LastName != fmt.Sprintf("User%03d", n-100) {
			t.Errorf("%s has last name %q", id, u.LastName)
		}
	}
	for _, n := range []int{2, 4} {
		if u, _ := e.srv.User(fmt.Sprintf("fx.%03d@acme.example.com", n)); u.FirstName != "Other" {
			t.Errorf("the other user fx.%03d was changed: %+v", n, u)
		}
	}
	// 5 users of task 1 and the 2 of task 2, each added once.
	if got := e.srv.AddCount("UserAddRequest22V2"); got != 7 {
		t.Errorf("server accepted %d user adds, want 7", got)
	}
	if r := e.run("", "task", "1", "--failed", "--json"); !strings.Contains(r.stdout, `"failed": 0`) {
		t.Errorf("task 1 after the fixes: %v", r)
	}
}
