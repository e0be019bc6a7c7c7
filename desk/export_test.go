package desk

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"bwbulk/wizard"
)

// TestWriteRows_readsBack: the preview's export (Ctrl+S) is headed as the
// import template is and Import reads it back as the same users, as CSV
// (passwords in the sheet) and as XLSX (passwords on their own sheet, so
// the users sheet reads back without them).
func TestWriteRows_readsBack(t *testing.T) {
	m := wizard.NewModel()
	m.UserCount = 3
	m.Numbers.Mode = wizard.ModeNone
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	rows := p.Rows
	rows[1].Set(wizard.ColMACAddress, "0004F2AABBCC")
	rows[2].Set(wizard.ColTitle, "=SUM(A1)")
	tmpl := "|" + strings.Join(wizard.TemplateSheets()[0].Header, "|") + "|"
	for _, xlsx := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteRows(&buf, rows, xlsx, true, ""); err != nil {
			t.Fatal(err)
		}
		name := "users.csv"
		if xlsx {
			name = "users.xlsx"
		}
		tab, err := wizard.ReadFile(context.Background(), name, &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range tab.Header {
			if !strings.Contains(tmpl, "|"+h+"|") {
				t.Errorf("%s: header %q is not the template's", name, h)
			}
		}
		imp, err := tab.Import(context.Background(), nil, nil)
		if err != nil || len(imp.Problems) > 0 || len(imp.Rows) != len(rows) {
			t.Fatalf("%s: %v %v, %d rows", name, err, imp.Problems, len(imp.Rows))
		}
		for i := range rows {
			w := rows[i]
			if xlsx {
				w.Set(wizard.ColPassword, "")
			}
			if imp.Rows[i] != w {
				t.Errorf("%s row %d back as %v, want %v", name, i+1, imp.Rows[i].Fields(), w.Fields())
			}
		}
	}
}
