package wizard

import (
	"context"
	"io"
	"path/filepath"
	"strings"
)

// ImportFile reads users from a file the way the Import screen does: an
// XLSX workbook when name ends in .xlsx (any case), CSV otherwise, every
// column known (a file with columns to map has them in Problems).
func ImportFile(name string, r io.Reader) (*Import, error) {
	var t *Table
	var err error
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		t, err = ReadXLSX(context.Background(), r, nil)
	} else {
		t, err = ReadCSV(context.Background(), r, nil)
	}
	if err != nil {
		return nil, err
	}
	return t.Import(context.Background(), nil, nil)
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
