package wizard

import (
	"io"
	"path/filepath"
	"strings"
)

// ImportFile reads users from a file the way the Import screen does: an
// XLSX workbook when name ends in .xlsx (any case), CSV otherwise. See
// ImportCSV and ImportXLSX for the problems and the error.
func ImportFile(name string, r io.Reader) ([]Row, []Problem, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return ImportXLSX(r)
	}
	return ImportCSV(r)
}

// ModelForImport returns the model of imported rows going to an existing
// group: the group's facts preset (NewModelForGroup), the rows as the
// preview's base, and no generated passwords when the file brings its own
// (a row without one is then reported by the preview).
func ModelForImport(sp string, isEnterprise bool, facts *GroupFacts, rows []Row) *Model {
	m := NewModelForGroup(sp, isEnterprise, facts)
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
