package jobs

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"bwbulk/broadworks/oci"
	"bwbulk/internal/golden"
)

// TestStore_ExportTask_Golden pins the export layout: status columns first,
// then the preview columns; a password is exported only for a created
// (completed) user. The golden task uses no password for the completed row,
// so no secret is ever written to testdata.
func TestStore_ExportTask_Golden(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	spec := TaskSpec{Description: "golden", Jobs: []JobSpec{
		{Row: 1, UserID: "ann@acme.example.com", Fields: map[string]string{"userId": "ann@acme.example.com",
			"firstName": "Ann", "lastName": "Lee", "phoneNumber": "2025550100", "extension": "0100"},
			Commands: []oci.Request{userAdd("acme-ent", "acme-hq", "ann@acme.example.com", "", "2025550100")}},
		{Row: 2, UserID: "bob@acme.example.com", Fields: map[string]string{"userId": "bob@acme.example.com",
			"firstName": "Bob", "lastName": "Ng", "password": "NotExported1!", "department": "Sales, \"East\""},
			Commands: []oci.Request{userAdd("acme-ent", "acme-hq", "bob@acme.example.com", "NotExported1!", "")}},
		{Row: 3, UserID: "=cmd@acme.example.com", Fields: map[string]string{"userId": "=cmd@acme.example.com",
			"firstName": "Eve", "lastName": "Formula"},
			Commands: []oci.Request{userAdd("acme-ent", "acme-hq", "=cmd@acme.example.com", "", "")}},
	}}
	id, err := s.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := s.Jobs(ctx, id, Filter{})
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'completed', step = 1 WHERE id = ?`, js[0].ID)
	s.w.ExecContext(ctx, `UPDATE jobs SET status = 'failed', error_code = 4200, error_text = 'oci: UserAddRequest22V2: User already exists: bob@acme.example.com' WHERE id = ?`, js[1].ID)
	var buf bytes.Buffer
	if _, err := s.ExportTask(ctx, id, &buf, ExportOptions{Format: FormatCSV}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("NotExported1!")) {
		t.Fatal("a failed row's password was exported")
	}
	golden.Check(t, filepath.Join("testdata", "export_task.csv.golden"), buf.Bytes())
	if _, err := s.ExportTask(ctx, id, &buf, ExportOptions{Format: "pdf"}); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestStore_TaskSheet_NameAndTicket: a named task's export carries its
// name and ticket on every row, after the error columns.
func TestStore_TaskSheet_NameAndTicket(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	spec := sampleSpec(2, nil)
	spec.Name, spec.Ticket = "Spring hires", "CHG-1042"
	id, err := s.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := s.TaskSheet(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := sh.Header[4:6]; got[0] != "Task name" || got[1] != "Ticket" {
		t.Fatalf("header = %v", sh.Header)
	}
	for i, r := range sh.Rows {
		if r[4] != "Spring hires" || r[5] != "CHG-1042" {
			t.Errorf("row %d = %v", i+1, r)
		}
	}
}
