package wizard

import (
	"context"
	"io"
	"strings"
	"testing"
)

// importFile reads users from a file the way the Import screen does
// (ReadFile: the format from the content), every column known (a file
// with columns to map has them in Problems).
func importFile(ctx context.Context, name string, r io.Reader) (*Import, error) {
	t, err := ReadFile(ctx, name, r, nil)
	if err != nil {
		return nil, err
	}
	return t.Import(ctx, nil, nil)
}

func TestBuildUserIDs(t *testing.T) {
	const hr = "First Name,Last Name,Email,Phone Number\n" +
		"Ann,Lee,ann.lee@acme.example.com,2025550300\n" +
		"Bo,Van Chen,bo.chen@acme.example.com,2025550301\n" +
		"Ann,Lee,,2025550302\n"
	tests := []struct {
		name, tpl string
		want      []string
		checks    []string
	}{
		{"email", "{{ email }}", []string{"ann.lee@acme.example.com", "bo.chen@acme.example.com", ""},
			[]string{"row 4, User ID: is required"}},
		{"first.last", "{{ first name | lower | nospace }}.{{ last name | lower | nospace }}@{{ domain }}",
			[]string{"ann.lee@acme.example.com", "bo.vanchen@acme.example.com", "ann.lee@acme.example.com"},
			[]string{"row 4, User ID: duplicate: already in row 2"}},
		{"no @: the domain is added", "{{ first name | first 1 | lower }}{{ last name | lower | nospace }}",
			[]string{"alee@acme.example.com", "bvanchen@acme.example.com", "alee@acme.example.com"},
			[]string{"row 4, User ID: duplicate: already in row 2"}},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			imp, err := importFile(context.Background(), "hr.csv", strings.NewReader(hr))
			if err != nil {
				t.Fatal(err)
			}
			if !MissingUserIDs(imp) || !OnlyUserIDsMissing(imp) {
				t.Fatalf("missing %v, only %v: %v", MissingUserIDs(imp), OnlyUserIDsMissing(imp), imp.Problems)
			}
			if got := UserIDTemplates(imp); got[0] != "{{ email }}" {
				t.Errorf("templates %q, want the file's email first", got)
			}
			if err := BuildUserIDs(imp, c.tpl, "acme.example.com"); err != nil {
				t.Fatal(err)
			}
			if len(imp.Problems) != 0 || MissingUserIDs(imp) {
				t.Fatalf("still refused: %v", imp.Problems)
			}
			for i, w := range c.want {
				if got := imp.Rows[i].Get(ColUserID); got != w {
					t.Errorf("row %d: %q, want %q", imp.SourceRows[i], got, w)
				}
			}
			var checks []string
			for _, p := range imp.Checks {
				if p.Column == ColUserID {
					checks = append(checks, p.Error())
				}
			}
			if strings.Join(checks, "|") != strings.Join(c.checks, "|") {
				t.Errorf("user id checks %q, want %q", checks, c.checks)
			}
			if n := imp.Notes[len(imp.Notes)-1]; n.Column != ColUserID || n.Count != 3 || !strings.Contains(n.String(), "template") {
				t.Errorf("note %q", n.String())
			}
		})
	}
	imp, _ := importFile(context.Background(), "hr.csv", strings.NewReader(hr))
	if err := BuildUserIDs(imp, "{{ nope }}", "acme.example.com"); err == nil || len(imp.Problems) != 1 {
		t.Errorf("bad template: %v, problems %v", err, imp.Problems)
	}
	if imp, _ := importFile(context.Background(), "hr.csv", strings.NewReader("First Name\nAnn\n")); OnlyUserIDsMissing(imp) {
		t.Error("a file without last names is not only missing its user ids")
	}
}
