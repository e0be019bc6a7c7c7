package jobs

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// TestStore_ExportTask_readsBack: a task's export has the import
// template's headers and reads back, CSV and XLSX, as the same users (a
// created user's password included); its export of the failed jobs reads
// back as fixes for exactly those rows, as retry --fixes reads it.
func TestStore_ExportTask_readsBack(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	spec := TaskSpec{Description: "round trip", Name: "Spring hires", Ticket: "CHG-7"}
	want := map[string]map[string]string{}
	for i := 1; i <= 4; i++ {
		id := fmt.Sprintf("rt%d@acme.example.com", i)
		f := map[string]string{"userId": id, "firstName": "Ann", "lastName": fmt.Sprintf("Lee%d", i),
			"callingLineIdFirstName": "A", "callingLineIdLastName": "L", "password": fmt.Sprintf("=Pw;%d'x", i),
			"macAddress": fmt.Sprintf("0004F2AABB0%d", i), "deviceType": "Polycom VVX 450", "deviceName": fmt.Sprintf("rt%d-phone", i),
			"linePort": id, "extension": fmt.Sprintf("010%d", i), "title": "-Lead", "zipOrPostalCode": "02134",
			"services": "Call Waiting; Do Not Disturb", "target.groupId": "acme-hq"}
		spec.Jobs = append(spec.Jobs, JobSpec{Row: i, UserID: id, Fields: f,
			Commands: []oci.Request{userAdd("acme-ent", "acme-hq", id, f["password"], "")}})
		want[id] = f
	}
	id, err := s.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := s.Jobs(ctx, id, Filter{})
	for i, j := range js {
		status := StatusCompleted
		if i%2 == 1 {
			status = StatusFailed
		}
		s.w.ExecContext(ctx, `UPDATE jobs SET status = ?, error_code = 4200, error_text = 'User already exists' WHERE id = ?`, status, j.ID)
	}
	read := func(t *testing.T, format string, o ExportOptions) *wizard.Import {
		t.Helper()
		o.Format = format
		var buf bytes.Buffer
		if _, err := s.ExportTask(ctx, id, &buf, o); err != nil {
			t.Fatal(err)
		}
		tab, err := wizard.ReadFile(ctx, "task."+format, bytes.NewReader(buf.Bytes()), nil)
		if err != nil {
			t.Fatal(err)
		}
		friendly := strings.Join(append(wizard.TemplateSheets()[0].Header, wizard.HeaderTaskRow, wizard.HeaderStatus,
			wizard.HeaderErrorCode, wizard.HeaderErrorName, wizard.HeaderTaskName, wizard.HeaderTicket), "|") + "|"
		for _, h := range tab.Header {
			if !strings.Contains(friendly, h+"|") {
				t.Errorf("header %q is not one of the template's", h)
			}
		}
		imp, err := tab.Import(ctx, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Problems) > 0 {
			t.Fatalf("problems reading the export back: %v", imp.Problems)
		}
		return imp
	}
	for _, format := range []string{FormatCSV, FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			imp := read(t, format, ExportOptions{})
			if len(imp.Rows) != 4 || fmt.Sprint(imp.Replace) != "[1 2 3 4]" {
				t.Fatalf("%d rows, rows named %v", len(imp.Rows), imp.Replace)
			}
			for k, r := range imp.Rows {
				f := want[r.Get(wizard.ColUserID)]
				if f == nil {
					t.Fatalf("row %d: user %q not in the task", k+1, r.Get(wizard.ColUserID))
				}
				for c, v := range r.Fields() {
					if c == "password" && k%2 == 1 {
						t.Errorf("row %d: the password of a user not created was exported", k+1)
						continue
					}
					if f[c] != v {
						t.Errorf("row %d, %s: %q back, task has %q", k+1, c, v, f[c])
					}
				}
				n := len(f) - 1 // the target key is not a column
				if k%2 == 1 {
					n-- // no password
				}
				if len(r.Fields()) != n {
					t.Errorf("row %d: %d columns back, want %d: %v", k+1, len(r.Fields()), n, r.Fields())
				}
			}
			fixes := read(t, format, ExportOptions{Status: StatusFailed})
			if fmt.Sprint(fixes.Replace) != "[2 4]" || len(fixes.Rows) != 2 || fixes.Rows[1].Get(wizard.ColUserID) != "rt4@acme.example.com" {
				t.Fatalf("fixes name rows %v: %v", fixes.Replace, fixes.Rows)
			}
		})
	}
}
