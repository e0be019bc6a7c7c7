package wizard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Sheet is one table of an export: a name (the XLSX sheet name; ignored
// by CSV), a header row and data rows.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]string
}

// Sheet names used by UsersSheet and PasswordSheet.
const (
	SheetUsers     = "Users"
	SheetPasswords = "Passwords"
)

// UsersSheet lays rows out for export, headed as the import template
// is (Column.FileHeader): User ID, First name and Last name always, then every other column that has a value in some row, in column
// order. Passwords are included only when withPasswords is true.
func UsersSheet(rows []Row, withPasswords bool) Sheet {
	var u ColumnUse
	for i := range rows {
		u.Add(&rows[i])
	}
	return SheetOf(SheetUsers, rows, u.Columns(withPasswords))
}

// ColumnUse gathers the columns rows use, for a sheet laid out as
// UsersSheet lays it out when the rows come one at a time (a stream). The
// zero value is ready to use.
type ColumnUse struct{ used [numColumns]bool }

// Add notes the columns r has a value in.
func (u *ColumnUse) Add(r *Row) {
	for c := ColUserID; c < numColumns; c++ {
		if r.v[c] != "" {
			u.used[c] = true
		}
	}
}

// Columns returns UsersSheet's columns: userId, firstName and lastName,
// then every other column used, in column order; the password only when
// withPasswords is true.
func (u *ColumnUse) Columns(withPasswords bool) []Column {
	used := u.used
	used[ColUserID], used[ColFirstName], used[ColLastName] = true, true, true
	if !withPasswords {
		used[ColPassword] = false
	}
	var cols []Column
	for c := ColUserID; c < numColumns; c++ {
		if used[c] {
			cols = append(cols, c)
		}
	}
	return cols
}

// Values returns r's values of cols, appended to dst.
func (r *Row) Values(dst []string, cols []Column) []string {
	for _, c := range cols {
		dst = append(dst, r.v[c])
	}
	return dst
}

// StreamSheet is a Sheet whose rows are produced one at a time: Each calls
// fn with every row in order and returns the first error fn returns. A row
// handed to fn is not kept after fn returns, so Each may reuse it.
type StreamSheet struct {
	Name   string
	Header []string
	Each   func(fn func(row []string) error) error
}

// Stream returns s as a StreamSheet.
func (s Sheet) Stream() StreamSheet {
	return StreamSheet{Name: s.Name, Header: s.Header, Each: func(fn func([]string) error) error {
		for _, r := range s.Rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}}
}

// SheetOf lays rows out with the given columns.
func SheetOf(name string, rows []Row, cols []Column) Sheet {
	s := Sheet{Name: name, Header: make([]string, len(cols)), Rows: make([][]string, len(rows))}
	for j, c := range cols {
		s.Header[j] = c.FileHeader()
	}
	cells := make([]string, len(rows)*len(cols))
	for i := range rows {
		rec := cells[i*len(cols) : (i+1)*len(cols) : (i+1)*len(cols)]
		for j, c := range cols {
			rec[j] = rows[i].v[c]
		}
		s.Rows[i] = rec
	}
	return s
}

// PasswordSheet is userId and password of every row: the sheet handed to
// whoever gives users their credentials.
func PasswordSheet(rows []Row) Sheet {
	return SheetOf(SheetPasswords, rows, []Column{ColUserID, ColPassword})
}

// formulaStart reports whether a spreadsheet could read a cell starting
// at v as a formula (or, for the apostrophe, eat its first character):
// = + - @, tab, CR, LF, the full-width ＝ ＋ － ＠ that some locales
// accept, after any leading spaces.
func formulaStart(v string) bool {
	v = strings.TrimLeft(v, " ")
	if v == "" {
		return false
	}
	if strings.IndexByte("=+-@\t\r\n'", v[0]) >= 0 {
		return true
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

// splitChars are where a spreadsheet may start a new cell when it reads
// a CSV line with another list separator, or ignores its quotes.
const splitChars = ",;\t|\r\n"

// Neutralize defuses spreadsheet formula injection for CSV: at the start
// of the value and after every character a spreadsheet could split it at
// (, ; tab | CR LF), a piece that starts (after spaces) with = + - @,
// tab, CR, LF or an apostrophe gets an apostrophe in front. Whatever
// separator Excel or LibreOffice is set to, no cell it makes of the line
// starts like a formula. Unneutralize undoes it exactly, so export →
// import round-trips.
func Neutralize(v string) string {
	if !formulaStart(v) && !strings.ContainsAny(v, splitChars) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + 2)
	start := true
	for i := 0; i < len(v); i++ {
		if start && formulaStart(v[i:]) {
			b.WriteByte('\'')
		}
		b.WriteByte(v[i])
		start = strings.IndexByte(splitChars, v[i]) >= 0
	}
	return b.String()
}

// Unneutralize removes the apostrophes Neutralize added.
func Unneutralize(v string) string {
	if !strings.HasPrefix(v, "'") && !strings.Contains(v, "'") {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	start := true
	for i := 0; i < len(v); i++ {
		if start && v[i] == '\'' && formulaStart(v[i+1:]) {
			start = false
			continue
		}
		b.WriteByte(v[i])
		start = strings.IndexByte(splitChars, v[i]) >= 0
	}
	return b.String()
}

const utf8BOM = "\ufeff"

// csvSeparators are the characters a spreadsheet may split a CSV line at,
// whatever its list separator is set to.
const csvSeparators = ",;\t|"

// exactColumns are the columns whose values are typed back exactly as
// the server has them: an export never changes them, not even with an
// apostrophe against formulas. (A user id can only start like a formula
// with '-', and a sheet of problems may hold user ids that are not valid
// yet: those stay neutralised.)
var exactColumns = []Column{ColPassword}

// exactHeader reports whether a header names one of exactColumns.
func exactHeader(h string) bool {
	lh := LookupHeader(Unneutralize(strings.TrimSpace(h)))
	return lh.Kind == HeaderColumn && slices.Contains(exactColumns, lh.Column)
}

// csvCell writes one cell. A cell of an exact column is written as it is
// and always in quotes, so a reader that takes quoted fields as text
// (LibreOffice's "Format quoted field as text", Excel's From Text/CSV
// with the column as Text) gets it back byte for byte. Any other cell is
// neutralised (Neutralize) and quoted when it holds a quote, a line
// break, a leading or trailing space, or any character some spreadsheet
// splits at (a ';' in a comma file stays inside its cell for Excel set
// to ';' as list separator, so no piece of it can start a formula).
func csvCell(w *bufio.Writer, v string, exact bool) error {
	quote := exact && v != ""
	if !exact {
		v = Neutralize(v)
		quote = v != "" && (v[0] == ' ' || v[len(v)-1] == ' ') || strings.ContainsAny(v, csvSeparators+"\"\r\n")
	}
	if !quote {
		_, err := w.WriteString(v)
		return err
	}
	w.WriteByte('"')
	for {
		i := strings.IndexByte(v, '"')
		if i < 0 {
			break
		}
		w.WriteString(v[:i+1])
		w.WriteByte('"')
		v = v[i+1:]
	}
	w.WriteString(v)
	return w.WriteByte('"')
}

// CSVWarning is what the export dialog and the command line say of a
// CSV file: a spreadsheet opened by double-click evaluates cells that
// start like a formula and drops leading zeros.
const CSVWarning = "Do not open this CSV file by double-click: Excel and LibreOffice would read a password " +
	"that starts with = + - @ as a formula and drop leading zeros. Import it instead (Excel: Data → From Text/CSV, " +
	"columns as Text; LibreOffice: tick \"Format quoted field as text\"), or export XLSX, whose cells are always text."

// ExportCSV writes the sheet as UTF-8 CSV with a byte-order mark (so Excel
// reads it as UTF-8), comma-separated, CRLF line ends. Passwords are
// written exactly, in quotes; every other cell is
// neutralised against formula injection (Neutralize) and quoted when a
// spreadsheet could split it (csvCell). See CSVWarning.
func ExportCSV(w io.Writer, s Sheet) error { return ExportCSVStream(w, s.Stream()) }

// ExportCSVStream is ExportCSV for rows that come one at a time; it holds
// one row at a time.
func ExportCSVStream(w io.Writer, s StreamSheet) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	exact := make([]bool, len(s.Header))
	for j, h := range s.Header {
		exact[j] = exactHeader(h)
	}
	line := func(rec []string, header bool) error {
		for j, v := range rec {
			if j > 0 {
				bw.WriteByte(',')
			}
			if err := csvCell(bw, v, !header && j < len(exact) && exact[j]); err != nil {
				return err
			}
		}
		_, err := bw.WriteString("\r\n")
		return err
	}
	if err := line(s.Header, true); err != nil {
		return err
	}
	if err := s.Each(func(row []string) error { return line(row, false) }); err != nil {
		return err
	}
	return bw.Flush()
}

// MaxImportSize bounds the files ImportCSV and ImportXLSX read.
const MaxImportSize = 64 << 20

// MaxImportRows bounds the data rows of an import.
const MaxImportRows = 100000

// ImportCSV reads users from a CSV file: ReadCSV (encoding detected,
// separator sniffed, syntax errors reported and read past) then
// Table.Import with no mapping, so unknown headers are problems. It
// returns the rows and every problem, the import's refusals first, each
// naming its spreadsheet row and column; the error is for I/O.
func ImportCSV(r io.Reader) ([]Row, []Problem, error) {
	t, err := ReadCSV(context.Background(), r, nil)
	if err != nil {
		return nil, nil, err
	}
	imp, err := t.Import(context.Background(), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return imp.Rows, append(imp.Problems, imp.Checks...), nil
}

// requiredImportColumns must be present in every import header.
var requiredImportColumns = []Column{ColUserID, ColFirstName, ColLastName}

// dupProblem is a duplicate found by duplicates: dupOf is the 1-based
// index of the row it repeats.
type dupProblem struct {
	Problem
	dupOf int
}

// duplicates reports repeated user ids, numbers, extensions, MACs and
// device names between rows (Row is the 1-based index).
func duplicates(rows []Row) []dupProblem {
	var ps []dupProblem
	for _, col := range []Column{ColUserID, ColPhoneNumber, ColExtension, ColMACAddress, ColDeviceName} {
		first := make(map[string]int, len(rows))
		for i := range rows {
			v := rows[i].v[col]
			if v == "" {
				continue
			}
			if col == ColPhoneNumber {
				v = NormalizeNumber(v)
			} else {
				v = lowerASCII(v)
			}
			if j, ok := first[v]; ok {
				ps = append(ps, dupProblem{Problem{Row: i + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: already in row %d", j+1)}, j + 1})
				continue
			}
			first[v] = i
		}
	}
	return ps
}
