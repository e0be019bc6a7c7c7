package wizard

import (
	"fmt"
	"strconv"
	"strings"
)

// SheetProblems is the sheet name of an "Export problems" workbook.
const SheetProblems = "Problems"

// ProblemRow is one row for ProblemsSheet: the row number the user knows
// it by (the preview's or the task's), its cells and what is wrong.
type ProblemRow struct {
	Num    int
	Row    Row
	Errors []string
}

// ProblemsSheet lays out the rows with problems for the fix-and-re-import
// loop: "Preview row" (which row each line replaces when the file comes
// back), "Error" (every problem of the row, joined by "; "), then the
// columns UsersSheet would write, passwords left out. Importing the file
// back (Table.Import) gives Import.Replace, which ApplyFixes uses.
func ProblemsSheet(rows []ProblemRow) Sheet {
	plain := make([]Row, len(rows))
	for i := range rows {
		plain[i] = rows[i].Row
	}
	us := UsersSheet(plain, false)
	s := Sheet{Name: SheetProblems, Header: append([]string{HeaderRowName, HeaderErrorName}, us.Header...), Rows: make([][]string, len(rows))}
	for i, r := range rows {
		s.Rows[i] = append([]string{strconv.Itoa(r.Num), strings.Join(r.Errors, "; ")}, us.Rows[i]...)
	}
	return s
}

// PreviewProblemRows returns the rows of the preview that have problems,
// numbered as the preview shows them (Model.RowNumber), with their
// messages named by column title.
func PreviewProblemRows(p *Preview) []ProblemRow {
	var out []ProblemRow
	for _, i := range p.ErrorRows() {
		var errs []string
		for _, pr := range p.RowProblems(i) {
			if pr.Column.Valid() {
				errs = append(errs, pr.Column.Title()+": "+p.m.NumberText(pr.Msg))
			} else {
				errs = append(errs, p.m.NumberText(pr.Msg))
			}
		}
		out = append(out, ProblemRow{Num: p.RowNumber(i), Row: p.Rows[i], Errors: errs})
	}
	return out
}

// ApplyFixes puts the rows of an "Export problems" file back into the
// model: each row replaces the preview row shown as imp.Replace[k]
// (Model.RowNumber) in the columns the file has (an emptied cell clears
// the value; columns the file lacks, such as passwords, keep theirs).
// current is the preview's rows (the values the edits are compared
// with). It returns how many rows changed.
func (m *Model) ApplyFixes(imp *Import, current []Row) (int, error) {
	if imp.Replace == nil {
		return 0, fmt.Errorf("wizard: the file has no %q column: it is not an Export problems file", HeaderRowName)
	}
	if len(imp.Replace) != len(imp.Rows) {
		return 0, fmt.Errorf("wizard: %d rows but %d row numbers", len(imp.Rows), len(imp.Replace))
	}
	index := make([]int, len(imp.Replace))
	for k, n := range imp.Replace {
		i, ok := m.RowIndex(n)
		if !ok || i < 0 || i >= len(current) {
			return 0, fmt.Errorf("wizard: spreadsheet row %d replaces preview row %d, but the preview has %d rows", imp.SourceRows[k], n, len(current))
		}
		index[k] = i
	}
	changed := 0
	for k := range imp.Replace {
		i := index[k]
		fix := &imp.Rows[k]
		diff := false
		for _, c := range imp.Columns {
			if fix.v[c] != current[i].v[c] {
				m.SetCell(i, c, fix.v[c])
				diff = true
			}
		}
		// The calling line id follows the name when the file has none.
		for _, pair := range [][2]Column{{ColCLIDFirstName, ColFirstName}, {ColCLIDLastName, ColLastName}} {
			if !hasColumn(imp.Columns, pair[0]) && hasColumn(imp.Columns, pair[1]) && current[i].v[pair[0]] == current[i].v[pair[1]] && fix.v[pair[1]] != current[i].v[pair[1]] {
				m.SetCell(i, pair[0], fix.v[pair[1]])
			}
		}
		if diff {
			changed++
		}
	}
	return changed, nil
}

func hasColumn(cs []Column, c Column) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// The device name and line/port templates the Device step starts from;
// an import whose file has no such column takes them too (FillDefaults).
const (
	DefaultDeviceName = "{{ user name }}-phone"
	DefaultLinePort   = "{{ user name }}@{{ domain }}"
)

// FillDefaults gives imported rows what the wizard would: a device user
// (a row with a device type or MAC address) without a device name or
// line/port gets DefaultDeviceName and DefaultLinePort, rendered with
// domain as the wizard renders them (a user id with a domain brings its
// own). Only columns the file lacks are filled (a blank cell in a column
// the file has is the user's). The checks those rows no longer fail are
// dropped from imp.Checks. It returns one note per column filled.
func FillDefaults(imp *Import, domain string) []Note {
	fill := []struct {
		col Column
		tpl *Template
	}{
		{ColDeviceName, MustParseTemplate(DefaultDeviceName)},
		{ColLinePort, MustParseTemplate(DefaultLinePort)},
	}
	var notes []Note
	env := Env{Domain: domain}
	for _, f := range fill {
		if hasColumn(imp.Columns, f.col) {
			continue
		}
		n := Note{Column: f.col, Header: f.col.Title(), What: fmt.Sprintf("not in the file: made with the wizard's default %s", f.tpl.String())}
		for i := range imp.Rows {
			r := &imp.Rows[i]
			if r.v[ColDeviceType] == "" && r.v[ColMACAddress] == "" || r.v[ColTrunkGroup] != "" || r.v[ColEnterpriseTrunk] != "" || r.v[f.col] != "" {
				continue
			}
			env.Row = r
			v, err := f.tpl.Render(&env)
			if err != nil || v == "" {
				continue
			}
			r.v[f.col] = v
			if n.Count == 0 {
				n.Row, n.To = imp.SourceRows[i], v
			}
			n.Count++
		}
		if n.Count > 0 {
			notes = append(notes, n)
		}
	}
	if len(notes) > 0 {
		// The rows' "is required" for what was filled no longer holds.
		row := make(map[int]int, len(imp.SourceRows))
		for i, r := range imp.SourceRows {
			row[r] = i
		}
		kept := imp.Checks[:0]
		for _, p := range imp.Checks {
			if i, ok := row[p.Row]; ok && p.Err == ErrRequired && (p.Column == ColDeviceName || p.Column == ColLinePort) && imp.Rows[i].v[p.Column] != "" {
				continue
			}
			kept = append(kept, p)
		}
		imp.Checks = kept
	}
	return notes
}

// AdoptGroupNumbers writes each row's phone number the way the group
// lists it when it is one of the group's available numbers in another
// form ("+1-2025550100" for "2025550100"), so the request carries the
// group's spelling. It returns a note when it changed any.
func AdoptGroupNumbers(imp *Import, f *GroupFacts) []Note {
	if f == nil || len(f.AvailableNumbers) == 0 {
		return nil
	}
	spelled := make(map[string]string, len(f.AvailableNumbers))
	for _, n := range f.AvailableNumbers {
		spelled[NormalizeNumber(n)] = n
	}
	n := Note{Column: ColPhoneNumber, Header: ColPhoneNumber.Title(), What: "written as the group lists its numbers"}
	for i := range imp.Rows {
		v := imp.Rows[i].v[ColPhoneNumber]
		if v == "" {
			continue
		}
		if g, ok := spelled[NormalizeNumber(v)]; ok && g != v {
			imp.Rows[i].v[ColPhoneNumber] = g
			if n.Count == 0 {
				n.Row, n.From, n.To = imp.SourceRows[i], v, g
			}
			n.Count++
		}
	}
	if n.Count == 0 {
		return nil
	}
	return []Note{n}
}

// templateGuide describes each column for the template's guide sheet.
var templateGuide = [numColumns]struct{ example, about string }{
	ColUserID:          {"jane.doe@example.com", "The user's id: name@domain. Required."},
	ColFirstName:       {"Jane", "Required. At most 30 characters."},
	ColLastName:        {"Doe", "Required. At most 30 characters."},
	ColCLIDFirstName:   {"Jane", "Calling line id first name; the first name when blank."},
	ColCLIDLastName:    {"Doe", "Calling line id last name; the last name when blank."},
	ColPassword:        {"", "Blank: bwbulk generates one. Keep this file safe if you fill it."},
	ColPhoneNumber:     {"+1-2025550100", "One of the group's available numbers: 2025550100, +1-2025550100 or +1 (202) 555-0100."},
	ColExtension:       {"0100", "Digits; leading zeros are kept. Format the column as Text in Excel."},
	ColDeviceType:      {"Polycom VVX 450", "A device type the group offers; blank for a user without a phone."},
	ColDeviceName:      {"jane.doe-phone", "Blank: " + DefaultDeviceName + "."},
	ColMACAddress:      {"00:04:F2:AA:BB:CC", "12 hexadecimal digits, with or without : - or . between them."},
	ColLinePort:        {"jane.doe@example.com", "Blank: " + DefaultLinePort + "."},
	ColTrunkGroup:      {"", "For a trunk user instead of a device."},
	ColEnterpriseTrunk: {"", "For a trunk user instead of a device."},
	ColDepartment:      {"Sales", "An existing department."},
	ColTimeZone:        {"America/New_York", "A time zone the server knows."},
	ColLanguage:        {"English", "A language the server offers."},
	ColEmail:           {"jane.doe@example.com", "The user's email address."},
	ColMobile:          {"", "Mobile number."},
	ColPager:           {"", "Pager number."},
	ColYahooID:         {"", "Social id."},
	ColTitle:           {"Account manager", "Job title."},
	ColAddressLocation: {"", "Building, floor or room."},
	ColAddressLine1:    {"1 Main St", ""},
	ColAddressLine2:    {"", ""},
	ColCity:            {"Springfield", ""},
	ColState:           {"", ""},
	ColZip:             {"02134", "Leading zeros are kept."},
	ColCountry:         {"US", ""},
}

// TemplateSheets is the workbook "Download template" writes: a Users
// sheet with the column titles as headers and one example row, and a
// "Column guide" sheet saying what each column takes.
func TemplateSheets() []Sheet {
	users := Sheet{Name: SheetUsers}
	guide := Sheet{Name: "Column guide", Header: []string{"Column", "Also accepted as", "Example", "What it takes"}}
	var ex []string
	for c := ColUserID; c < numColumns; c++ {
		users.Header = append(users.Header, c.FileHeader())
		ex = append(ex, templateGuide[c].example)
		guide.Rows = append(guide.Rows, []string{c.FileHeader(), c.String(), templateGuide[c].example, templateGuide[c].about})
	}
	users.Rows = [][]string{ex}
	return []Sheet{users, guide}
}
