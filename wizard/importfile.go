package wizard

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseMapping reads a mapping file: a JSON object from a header of the
// file to the column it stands for, by name or title ("extension",
// "Phone number"), or to "" or "ignore" to leave the column out. The
// mapping the Import screen saves has this form too.
func ParseMapping(b []byte) (Mapping, error) {
	var raw map[string]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("wizard: mapping: %w (want a JSON object such as {\"Employee No\": \"extension\", \"Cost centre\": \"ignore\"})", err)
	}
	m := Mapping{}
	for h, v := range raw {
		if v = strings.TrimSpace(v); v == "" || strings.EqualFold(v, "ignore") {
			m[MappingKey(h)] = ColNone
			continue
		}
		c, ok := ParseColumn(v)
		if !ok {
			return nil, fmt.Errorf("wizard: mapping: %q is not a column bwbulk knows (for %q)", v, h)
		}
		m[MappingKey(h)] = c
	}
	return m, nil
}

// MappingPreferenceKey is the preference under which the Import screen
// keeps the mapping chosen for a set of headers.
func MappingPreferenceKey(header []string) string {
	sum := sha256.Sum256([]byte(HeaderSetKey(header)))
	return fmt.Sprintf("import.mapping.%x", sum[:12])
}

// ModelForImport returns the model of imported rows going to an existing
// group: the group's facts preset (NewModelForGroup), the rows as the
// preview's base, and no generated passwords when the file brings its own
// (a row without one is then reported by the preview).
func ModelForImport(sp string, isEnterprise bool, facts *GroupFacts, rows []Row) *Model {
	m := NewModelForGroup(sp, isEnterprise, facts)
	if rows == nil {
		rows = []Row{} // a file of no users is no users, not the wizard's
	}
	m.SetImported(rows)
	if HasPasswords(rows) {
		m.Passwords.Mode = PasswordsBlank
	}
	return m
}

// ModelForImportFile is ModelForImport for the rows of imp, each shown by
// its row in the file (Model.RowNumber), as the Import screen named it.
func ModelForImportFile(sp string, isEnterprise bool, facts *GroupFacts, imp *Import) *Model {
	m := ModelForImport(sp, isEnterprise, facts, imp.Rows)
	if len(imp.SourceRows) == len(imp.Rows) && len(imp.Rows) > 0 {
		m.RowNumbers = append([]int(nil), imp.SourceRows...)
	}
	return m
}

// HasPasswords reports whether any row has a password.
func HasPasswords(rows []Row) bool {
	for i := range rows {
		if rows[i].Get(ColPassword) != "" {
			return true
		}
	}
	return false
}

// PrepareImport gives imported rows going to the group of f what the
// wizard would give them (device name and line/port from the wizard's
// defaults, numbers in the group's spelling), drops the checks that no
// longer hold, and says what it changed. The Import screen and the command
// line both call it once the group is known.
func PrepareImport(imp *Import, f *GroupFacts) []Note {
	domain := ""
	if f != nil {
		domain = f.Group.DefaultDomain
	}
	notes := FillDefaults(imp, domain)
	return append(notes, AdoptGroupNumbers(imp, f)...)
}

// ErrNothingToFix is ReadFixes' answer for a file with a header and no
// rows below it: a task export with --failed of a task that has none.
var ErrNothingToFix = errors.New("the file has no rows below its header: nothing to put back")

// ReadFixes reads a fixes file — bwbulk's "Export problems" or a task's
// failed jobs exported (task N --export FILE --failed), edited — as the
// window's Import fixes and the command line's retry --fixes both do:
// its "Preview row" (or a task export's "row") says which row each line
// replaces, and nothing in it may be refused. name is the file's name
// for the messages; the format is found from the content (ReadFile).
func ReadFixes(ctx context.Context, name string, r io.Reader, opts *ReadOptions) (*Import, error) {
	t, err := ReadFile(ctx, name, r, opts)
	if err != nil {
		return nil, err
	}
	if t.Header != nil && len(t.Records) == 0 {
		return nil, ErrNothingToFix
	}
	imp, err := t.Import(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	if imp.Replace == nil {
		return nil, fmt.Errorf("%s has no %q column (nor a task export's \"row\" and \"errorCode\"), so it is not a file written by Export problems or by a task's export; open it on the Import screen instead", name, HeaderRowName)
	}
	if len(imp.Problems) > 0 {
		var lines []string
		for i, p := range imp.Problems {
			if i == 10 {
				lines = append(lines, fmt.Sprintf("… and %d more", len(imp.Problems)-10))
				break
			}
			lines = append(lines, p.Error())
		}
		return nil, errors.New(name + " cannot be put back yet:\n" + strings.Join(lines, "\n"))
	}
	return imp, nil
}
