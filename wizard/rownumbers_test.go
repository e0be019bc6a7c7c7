package wizard

import (
	"context"
	"strings"
	"testing"
)

// TestModel_RowNumber: imported rows are named by their row in the file
// (title rows and the header counted), in messages too, and an Export
// problems file numbered so puts its rows back on the right ones; rows the
// wizard makes are numbered from 1.
func TestModel_RowNumber(t *testing.T) {
	if m := NewModel(); m.RowNumber(0) != 1 || m.RowNumber(4) != 5 {
		t.Errorf("wizard rows: %d, %d", m.RowNumber(0), m.RowNumber(4))
	}
	csv := "Spring hires,,\n\nuserId,firstName,lastName\na@acme.example.com,Ann,One\na@acme.example.com,Bob,Two\nc@acme.example.com,Cy,Three\n"
	tab, err := ReadCSV(context.Background(), strings.NewReader(csv), nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := tab.Import(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.SourceRows) != 3 || imp.SourceRows[0] != 4 {
		t.Fatalf("source rows %v (notes %v)", imp.SourceRows, imp.Notes)
	}
	m := ModelForImportFile("acme-ent", true, &GroupFacts{Group: GroupInfo{GroupID: "acme-hq", DefaultDomain: "acme.example.com"}}, imp)
	for i, want := range []int{4, 5, 6} {
		if got := m.RowNumber(i); got != want {
			t.Errorf("RowNumber(%d) = %d, want %d", i, got, want)
		}
		if got, ok := m.RowIndex(want); !ok || got != i {
			t.Errorf("RowIndex(%d) = %d, %v", want, got, ok)
		}
	}
	if _, ok := m.RowIndex(2); ok {
		t.Error("row 2 (a blank row of the file) names a user")
	}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	var dup []string
	for _, pr := range m.NumberProblems(p.Problems()) {
		if pr.Column == ColUserID && pr.Err == ErrDuplicate {
			dup = append(dup, pr.Error())
		}
	}
	if strings.Join(dup, "|") != "row 4, userId: duplicate: also in row 5|row 5, userId: duplicate: already in row 4" {
		t.Errorf("duplicates named %q", dup)
	}
	prs := PreviewProblemRows(p)
	if len(prs) != 2 || prs[0].Num != 4 || prs[1].Num != 5 || !strings.Contains(strings.Join(prs[0].Errors, ";"), "also in row 5") {
		t.Fatalf("problem rows %+v", prs)
	}
	// The file comes back with row 5's user id fixed.
	fix := &Import{Rows: []Row{p.Rows[1]}, Replace: []int{5}, SourceRows: []int{3}, Columns: []Column{ColUserID}}
	fix.Rows[0].Set(ColUserID, "b@acme.example.com")
	if n, err := m.ApplyFixes(fix, p.Rows); err != nil || n != 1 {
		t.Fatalf("apply: %d, %v", n, err)
	}
	if p, _ = m.Preview(); p.Rows[1].Get(ColUserID) != "b@acme.example.com" || !p.Valid() {
		t.Errorf("after the fix: %v, problems %v", p.Rows[1].Fields(), p.Problems())
	}
	fix.Replace = []int{2}
	if _, err := m.ApplyFixes(fix, p.Rows); err == nil {
		t.Error("a fix for row 2, which names no user, was taken")
	}
	plan, err := p.Plan()
	if err != nil || plan[0].Row != 4 || plan[2].Row != 6 {
		t.Errorf("plan rows: %v", err)
	}
}
