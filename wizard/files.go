package wizard

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
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

// UsersSheet lays rows out for export: userId, firstName and lastName
// always, then every other column that has a value in some row, in column
// order. Passwords are included only when withPasswords is true.
func UsersSheet(rows []Row, withPasswords bool) Sheet {
	var used [numColumns]bool
	used[ColUserID], used[ColFirstName], used[ColLastName] = true, true, true
	for i := range rows {
		for c := ColUserID; c < numColumns; c++ {
			if rows[i].v[c] != "" {
				used[c] = true
			}
		}
	}
	if !withPasswords {
		used[ColPassword] = false
	}
	var cols []Column
	for c := ColUserID; c < numColumns; c++ {
		if used[c] {
			cols = append(cols, c)
		}
	}
	return SheetOf(SheetUsers, rows, cols)
}

// SheetOf lays rows out with the given columns.
func SheetOf(name string, rows []Row, cols []Column) Sheet {
	s := Sheet{Name: name, Header: make([]string, len(cols)), Rows: make([][]string, len(rows))}
	for j, c := range cols {
		s.Header[j] = c.String()
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

// Neutralize defuses spreadsheet formula injection: a value starting with
// = + - @ tab, CR or an apostrophe gets a leading apostrophe. Unneutralize
// undoes it exactly, so export → import round-trips.
func Neutralize(v string) string {
	if v != "" && strings.IndexByte("=+-@\t\r'", v[0]) >= 0 {
		return "'" + v
	}
	return v
}

// Unneutralize removes the apostrophe Neutralize added.
func Unneutralize(v string) string {
	if len(v) >= 2 && v[0] == '\'' && strings.IndexByte("=+-@\t\r'", v[1]) >= 0 {
		return v[1:]
	}
	return v
}

const utf8BOM = "\ufeff"

// ExportCSV writes the sheet as UTF-8 CSV with a byte-order mark (so Excel
// reads it as UTF-8), comma-separated, CRLF line ends, every cell
// neutralised against formula injection.
func ExportCSV(w io.Writer, s Sheet) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	rec := make([]string, 0, len(s.Header))
	for _, h := range s.Header {
		rec = append(rec, Neutralize(h))
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, row := range s.Rows {
		rec = rec[:0]
		for _, v := range row {
			rec = append(rec, Neutralize(v))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// MaxImportSize bounds the files ImportCSV and ImportXLSX read.
const MaxImportSize = 64 << 20

// MaxImportRows bounds the data rows of an import.
const MaxImportRows = 100000

// ImportCSV reads users from a CSV file: UTF-8 (a byte-order mark is
// skipped; invalid UTF-8 is read as Latin-1), separator sniffed from the
// header line among comma, semicolon and tab, quoted fields, leading
// zeros kept, headers matched as ParseColumn does. Every problem comes
// back with its row (1 = first data row, 0 = header) and column; the
// error is for I/O and for files that cannot be read at all. Rows are
// checked for format (ValidateRow without target rules) and duplicates.
func ImportCSV(r io.Reader) ([]Row, []Problem, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("wizard: read CSV: %w", err)
	}
	if len(b) > MaxImportSize {
		return nil, []Problem{{Err: ErrFormat, Msg: fmt.Sprintf("the file is larger than %d MB", MaxImportSize>>20)}}, nil
	}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil, []Problem{{Err: ErrFormat, Msg: "the file is UTF-16: save it as CSV UTF-8"}}, nil
	}
	b = bytes.TrimPrefix(b, []byte(utf8BOM))
	if !utf8.Valid(b) {
		b = latin1ToUTF8(b)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, []Problem{{Err: ErrFormat, Msg: "the file is empty"}}, nil
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = sniffSeparator(b)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, []Problem{csvProblem(err, 0)}, nil
	}
	header = append([]string(nil), header...)
	var records [][]string
	var ps []Problem
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			ps = append(ps, csvProblem(err, len(records)+1))
			break
		}
		if len(records) >= MaxImportRows {
			ps = append(ps, Problem{Row: len(records) + 1, Err: ErrFormat, Msg: fmt.Sprintf("more than %d rows", MaxImportRows)})
			break
		}
		records = append(records, append([]string(nil), rec...))
	}
	rows, more := importRecords(header, records)
	return rows, append(more, ps...), nil
}

// csvProblem turns an encoding/csv error into a problem with the file
// line and column.
func csvProblem(err error, row int) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problem{Row: row, Err: ErrFormat, Msg: fmt.Sprintf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)}
	}
	return Problem{Row: row, Err: ErrFormat, Msg: err.Error()}
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// sniffSeparator counts ',', ';' and '\t' outside quotes in the first line
// and picks the most frequent (comma on a tie or none).
func sniffSeparator(b []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range b {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best, n := byte(','), counts[',']
	for _, c := range []byte{';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

// requiredImportColumns must be present in every import header.
var requiredImportColumns = []Column{ColUserID, ColFirstName, ColLastName}

// importRecords maps header + records to rows and problems; it is shared
// by the CSV and XLSX importers.
func importRecords(header []string, records [][]string) ([]Row, []Problem) {
	var ps []Problem
	cols := make([]Column, len(header))
	seen := map[Column]int{}
	for j, h := range header {
		h = strings.TrimSpace(Unneutralize(h))
		if h == "" {
			// A blank header over an empty column is harmless (Excel
			// exports trailing separators); over data it is reported below.
			continue
		}
		c, ok := ParseColumn(h)
		if !ok {
			ps = append(ps, Problem{Err: ErrFormat, Msg: fmt.Sprintf("column %d: unknown header %q", j+1, truncate(h, 40))})
			continue
		}
		if k, dup := seen[c]; dup {
			ps = append(ps, Problem{Column: c, Err: ErrDuplicate, Msg: fmt.Sprintf("column %d: header %q repeats column %d", j+1, truncate(h, 40), k+1)})
			continue
		}
		seen[c] = j
		cols[j] = c
	}
	for _, c := range requiredImportColumns {
		if _, ok := seen[c]; !ok {
			ps = append(ps, Problem{Column: c, Err: ErrRequired, Msg: fmt.Sprintf("missing column %q", c.String())})
		}
	}
	rows := make([]Row, 0, len(records))
	for _, rec := range records {
		blank := true
		for _, v := range rec {
			if strings.TrimSpace(v) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue // empty lines between users are ignored
		}
		n := len(rows) + 1
		var r Row
		for j, v := range rec {
			v = Unneutralize(strings.TrimSpace(v))
			if j >= len(cols) {
				if v != "" {
					ps = append(ps, Problem{Row: n, Err: ErrFormat, Msg: fmt.Sprintf("column %d: value outside the header (the header has %d columns)", j+1, len(cols))})
				}
				continue
			}
			if cols[j] == ColNone {
				if v != "" && strings.TrimSpace(header[j]) == "" {
					ps = append(ps, Problem{Row: n, Err: ErrFormat, Msg: fmt.Sprintf("column %d: value under a blank header", j+1)})
				}
				continue
			}
			if cols[j] == ColMACAddress {
				v = NormalizeMAC(v)
			}
			r.v[cols[j]] = v
		}
		if r.v[ColCLIDFirstName] == "" {
			r.v[ColCLIDFirstName] = r.v[ColFirstName]
		}
		if r.v[ColCLIDLastName] == "" {
			r.v[ColCLIDLastName] = r.v[ColLastName]
		}
		var none Target
		for _, p := range validateRow(&none, &r) {
			p.Row = n
			ps = append(ps, p)
		}
		rows = append(rows, r)
	}
	ps = append(ps, duplicates(rows)...)
	return rows, ps
}

// duplicates reports repeated user ids, numbers, extensions, MACs and
// device names between rows.
func duplicates(rows []Row) []Problem {
	var ps []Problem
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
				ps = append(ps, Problem{Row: i + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: already in row %d", j+1)})
				continue
			}
			first[v] = i
		}
	}
	return ps
}
