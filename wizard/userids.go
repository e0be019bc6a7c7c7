package wizard

import (
	"fmt"
	"strings"
)

// A file of people (an HR export) often has no User ID column: the user
// ids are then made from a template, as the wizard's User ID step makes
// them.

// UserIDTemplates are the templates offered for a file without a User ID
// column, the likeliest first: the file's e-mail when it has one, then
// first.last and flast at the group's domain.
func UserIDTemplates(imp *Import) []string {
	var out []string
	if hasColumn(imp.Columns, ColEmail) {
		out = append(out, "{{ email }}")
	}
	return append(out,
		"{{ first name | lower | nospace }}.{{ last name | lower | nospace }}@{{ domain }}",
		"{{ first name | first 1 | lower }}{{ last name | lower | nospace }}@{{ domain }}")
}

// MissingUserIDs reports whether imp's file has no User ID column.
func MissingUserIDs(imp *Import) bool {
	return imp != nil && !hasColumn(imp.Columns, ColUserID)
}

// missingColumn is the refusal of a file without column c.
func missingColumn(c Column) string {
	return fmt.Sprintf("the file has no %s column (a header such as %q or %q)", c.Title(), c.Title(), c.String())
}

// OnlyUserIDsMissing reports whether the only refusal of imp is its
// missing User ID column, which BuildUserIDs mends.
func OnlyUserIDsMissing(imp *Import) bool {
	if !MissingUserIDs(imp) || len(imp.Problems) == 0 {
		return false
	}
	for _, p := range imp.Problems {
		if p.Msg != missingColumn(ColUserID) {
			return false
		}
	}
	return true
}

// BuildUserIDs gives every row of imp (a file without a User ID column)
// a user id made from tpl; domain is the group's, for {{ domain }} and
// for a template without "@" (added as the User ID step adds it). The
// refusal of the missing column goes; the rows' user id checks are made
// again on the ids made, and a note says what was done.
func BuildUserIDs(imp *Import, tpl, domain string) error {
	if !MissingUserIDs(imp) {
		return nil
	}
	t, err := ParseTemplate(strings.TrimSpace(tpl))
	if err != nil {
		return fmt.Errorf("wizard: user id template: %w", err)
	}
	env := Env{Domain: domain}
	for i := range imp.Rows {
		env.Index, env.Row = i+1, &imp.Rows[i]
		v, err := t.Render(&env)
		if err != nil {
			return fmt.Errorf("wizard: user id template, row %d: %w", imp.SourceRows[i], err)
		}
		if v != "" && !strings.Contains(v, "@") && domain != "" {
			v += "@" + domain
		}
		imp.Rows[i].v[ColUserID] = v
	}
	imp.Columns = append(imp.Columns, ColUserID)
	kept := imp.Problems[:0]
	for _, p := range imp.Problems {
		if p.Msg != missingColumn(ColUserID) {
			kept = append(kept, p)
		}
	}
	imp.Problems = kept
	checks := imp.Checks[:0]
	for _, p := range imp.Checks {
		if p.Column != ColUserID {
			checks = append(checks, p)
		}
	}
	var none Target
	for i := range imp.Rows {
		for _, p := range validateRow(&none, &imp.Rows[i]) {
			if p.Column == ColUserID {
				p.Row, p.Header = imp.SourceRows[i], ColUserID.Title()
				checks = append(checks, p)
			}
		}
	}
	for _, p := range duplicates(imp.Rows) {
		if p.Column == ColUserID {
			p.Msg = strings.Replace(p.Msg, fmt.Sprintf("row %d", p.dupOf), fmt.Sprintf("row %d", imp.SourceRows[p.dupOf-1]), 1)
			p.Problem.Row, p.Header = imp.SourceRows[p.Row-1], ColUserID.Title()
			checks = append(checks, p.Problem)
		}
	}
	imp.Checks = checks
	n := Note{Column: ColUserID, Header: ColUserID.Title(), What: "not in the file: made with the template " + t.String(), Count: len(imp.Rows)}
	if len(imp.Rows) > 0 {
		n.Row, n.To = imp.SourceRows[0], imp.Rows[0].v[ColUserID]
	}
	imp.Notes = append(imp.Notes, n)
	return nil
}
