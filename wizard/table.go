package wizard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// CellKind is how the program that wrote a file stored a cell.
type CellKind uint8

// The kinds of cell. CSV cells are always CellText.
const (
	CellText CellKind = iota
	CellNumber
	CellDate
	CellBool
	CellFormula
	CellError
)

// Cell is one value of an imported file. Text is what the user sees in
// the spreadsheet (the formatted value); Raw is what the file stores
// (for a number, its digits as written in the XML); Formula is the
// formula of a formula cell, without '='.
type Cell struct {
	Text    string
	Raw     string
	Formula string
	Kind    CellKind
	// Merge, when set, is the range of merged cells this cell is covered
	// by: its value is the range's first cell's (see Table.applyLayout).
	Merge *Merge
}

// Record is one data row of a file, with its spreadsheet row number
// (the header is row 1 in a file whose header is on the first line).
type Record struct {
	Row   int
	Cells []Cell
	// Broken is true when the row has a syntax error (already among the
	// table's problems).
	Broken bool
}

// Table is a file read as cells, before its columns are mapped to
// preview columns (see Table.Unmapped and Table.Import).
type Table struct {
	// Format is "CSV", "XLSX" or "ODS".
	Format string
	// Encoding names how a CSV file was decoded ("UTF-8", "UTF-8 with
	// byte-order mark", "UTF-16 (little-endian)", "Windows-1252"); empty
	// for XLSX.
	Encoding string
	// Separator is the CSV field separator found in the header line.
	Separator rune
	// Sheet is the XLSX sheet read.
	Sheet string
	// HeaderRow is the spreadsheet row of the header (1 unless rows above
	// it are empty).
	HeaderRow int
	Header    []string
	Records   []Record
	// Problems are what makes the file or some of its cells unreadable:
	// syntax errors, undecodable bytes, size limits.
	Problems []Problem
	// Notes say what the reading decided or found about the file as a
	// whole (its encoding when the bytes were mixed, hidden rows…).
	Notes []Note
	// mixed is set when a CSV file's bytes beyond ASCII were in more
	// than one encoding.
	mixed bool
}

// ReadOptions tune ReadCSV and ReadXLSX. The zero value reads the whole
// file without a password and reports no progress.
type ReadOptions struct {
	// Password opens an encrypted XLSX workbook.
	Password string
	// Progress, when set, is called now and then with the bytes (CSV) or
	// rows (XLSX) done out of the total, from the reading goroutine.
	Progress func(done, total int)
}

// ErrEncrypted is returned by ReadXLSX for an encrypted workbook when no
// password or a wrong one was given.
var ErrEncrypted = errors.New("wizard: the workbook is encrypted")

// EncryptedError says that a workbook needs a password; Wrong is true
// when the one given did not open it.
type EncryptedError struct{ Wrong bool }

// Error says whether a password is missing or wrong.
func (e *EncryptedError) Error() string {
	if e.Wrong {
		return "wizard: the password does not open this workbook"
	}
	return "wizard: the workbook is encrypted: its password is needed"
}

// Unwrap returns ErrEncrypted.
func (e *EncryptedError) Unwrap() error { return ErrEncrypted }

// ColumnLetter names a 0-based column index as spreadsheets do: 0 → "A",
// 26 → "AA".
func ColumnLetter(j int) string {
	var b [8]byte
	i := len(b)
	for j++; j > 0 && i > 0; j = (j - 1) / 26 {
		i--
		b[i] = byte('A' + (j-1)%26)
	}
	return string(b[i:])
}

const (
	encUTF8    = "UTF-8"
	encUTF8BOM = "UTF-8 with byte-order mark"
	encUTF16LE = "UTF-16 (little-endian)"
	encUTF16BE = "UTF-16 (big-endian)"
	encCP1252  = "Windows-1252"
)

// decodeText turns a text file into UTF-8 and names its encoding:
// UTF-8 with or without a byte-order mark, UTF-16 with a mark (or without
// one when every other byte is zero), else UTF-8 or Windows-1252 as the
// bytes beyond ASCII show (decide). What cannot be decoded becomes
// U+FFFD, which the importer refuses by cell; note, when set, says what
// the decision rests on.
func decodeText(b []byte) (text, enc, note string) {
	switch {
	case bytes.HasPrefix(b, []byte(utf8BOM)):
		if _, bad := utf8Evidence(b[3:]); bad > 0 {
			note = fmt.Sprintf("read as UTF-8 (the file starts with its byte-order mark), but %s not UTF-8: the cells that hold them are refused", plural(bad, "byte is", "bytes are"))
		}
		return strings.ToValidUTF8(string(b[3:]), "\ufffd"), encUTF8BOM, note
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16Text(b[2:], false), encUTF16LE, ""
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16Text(b[2:], true), encUTF16BE, ""
	case looksUTF16(b, 1):
		return utf16Text(b, false), encUTF16LE, ""
	case looksUTF16(b, 0):
		return utf16Text(b, true), encUTF16BE, ""
	case utf8.Valid(b):
		return string(b), encUTF8, ""
	}
	return decide(b)
}

// utf8Evidence counts the characters beyond ASCII that are valid UTF-8
// and the bytes that are not.
func utf8Evidence(b []byte) (multi, bad int) {
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			multi++
		}
		i += n
	}
	return multi, bad
}

// decide reads a file that is not valid UTF-8. When at least as many of
// its characters beyond ASCII are valid UTF-8 as there are bytes that are
// not, it is a UTF-8 file with a few bad bytes: those become U+FFFD (and
// their cells are refused), the good ones are never read as
// Windows-1252. Otherwise it is Windows-1252, and a UTF-8 sequence in it
// (text pasted from elsewhere) becomes U+FFFD rather than mojibake.
func decide(b []byte) (text, enc, note string) {
	multi, bad := utf8Evidence(b)
	if multi > 0 && multi >= bad {
		return strings.ToValidUTF8(string(b), "\ufffd"), encUTF8,
			fmt.Sprintf("read as UTF-8: %s beyond ASCII %s UTF-8 and %s not: the cells that hold those are refused",
				plural(multi, "character", "characters"), map[bool]string{true: "is", false: "are"}[multi == 1], plural(bad, "byte is", "bytes are"))
	}
	if multi == 0 {
		return cp1252Text(b), encCP1252, ""
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for i := 0; i < len(b); {
		if b[i] >= 0x80 {
			if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError && n > 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
				i += n
				continue
			}
		}
		out = append(out, cp1252Text(b[i:i+1])...)
		i++
	}
	return string(out), encCP1252, fmt.Sprintf("read as Windows-1252: %s beyond ASCII, but %s UTF-8: the cells that hold those are refused",
		plural(bad, "byte is", "bytes are"), plural(multi, "character is", "characters are"))
}

// looksUTF16 reports whether the first bytes look like UTF-16 without a
// mark: most pairs have a zero byte at position zero (the high byte of
// ASCII text) and none at the other.
func looksUTF16(b []byte, zero int) bool {
	n := min(len(b), 400) &^ 1
	if n < 8 {
		return false
	}
	hits, other := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i+zero] == 0 {
			hits++
		}
		if b[i+1-zero] == 0 {
			other++
		}
	}
	pairs := n / 2
	return hits*10 >= pairs*7 && other == 0
}

func utf16Text(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if len(b)%2 == 1 {
		s += "\ufffd"
	}
	return s
}

// cp1252High is Windows-1252's 0x80–0x9F; 0 marks the five undefined bytes.
var cp1252High = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

func cp1252Text(b []byte) string {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		r := rune(c)
		if c >= 0x80 && c < 0xA0 {
			if r = cp1252High[c-0x80]; r == 0 {
				r = utf8.RuneError
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// ReadCSV reads a CSV file as a table: encoding detected (decodeText),
// separator sniffed from the header line among comma, semicolon and tab,
// quoted fields. A syntax error is reported by row and field in plain
// words and the reading goes on: a stray quote is kept as written, an
// unclosed quote ends at its line. Rows that are blank are skipped. The
// error is for I/O and cancellation (ctx) only.
func ReadCSV(ctx context.Context, r io.Reader, opts *ReadOptions) (*Table, error) {
	if opts == nil {
		opts = &ReadOptions{}
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("wizard: read CSV: %w", err)
	}
	return readCSV(ctx, b, opts)
}

func readCSV(ctx context.Context, b []byte, opts *ReadOptions) (*Table, error) {
	t := &Table{Format: "CSV", HeaderRow: 1}
	err := scanCSV(ctx, t, b, opts, func(rec Record) error {
		t.Records = append(t.Records, rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.findHeader()
	return t, nil
}

// scanCSV reads a CSV file into t as readCSV says, but hands each data
// row to emit instead of keeping it in t.Records (t.findHeader is left to
// the caller). A file that cannot be read at all is a problem in t and
// no row. The error is ctx's or emit's.
func scanCSV(ctx context.Context, t *Table, b []byte, opts *ReadOptions, emit func(Record) error) error {
	if opts == nil {
		opts = &ReadOptions{}
	}
	if len(b) > MaxImportSize {
		t.Problems = append(t.Problems, Problem{Err: ErrFormat, Msg: fmt.Sprintf("the file is larger than %d MB", MaxImportSize>>20)})
		return nil
	}
	s, enc, note := decodeText(b)
	t.Encoding = enc
	if note != "" {
		t.Notes = append(t.Notes, Note{Text: note})
		t.mixed = true
	}
	if strings.TrimSpace(s) == "" {
		t.Problems = append(t.Problems, Problem{Err: ErrFormat, Msg: "the file is empty"})
		return nil
	}
	if msg := notText(b, s); msg != "" {
		t.Problems = append(t.Problems, Problem{Err: ErrFormat, Msg: msg})
		return nil
	}
	start, sep, hinted := sepLine(s)
	if hinted {
		t.Notes = append(t.Notes, Note{Text: fmt.Sprintf("the first line, %s, says the separator, as Excel reads it: rows are numbered as Excel shows them, without that line", strings.TrimRight(s[:start], "\r\n"))})
	} else {
		sep = sniffSeparator(s)
	}
	t.Separator = rune(sep)
	p := csvParser{s: s, sep: sep, i: start}
	row, records := 0, 0
	for p.i < len(p.s) {
		if row%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(p.i, len(p.s))
			}
		}
		row++
		fields, syn := p.record()
		if t.Header == nil {
			if blankFields(fields) {
				t.HeaderRow++
				continue
			}
			t.Header = fields
			for _, e := range syn {
				t.Problems = append(t.Problems, Problem{Row: row, Letter: ColumnLetter(e.field), Err: ErrFormat, Msg: e.msg})
			}
			continue
		}
		for _, e := range syn {
			h := ""
			if e.field < len(t.Header) {
				h = strings.TrimSpace(t.Header[e.field])
			}
			t.Problems = append(t.Problems, Problem{Row: row, Letter: ColumnLetter(e.field), Header: h, Err: ErrFormat, Msg: e.msg})
		}
		if blankFields(fields) {
			continue
		}
		if records >= MaxImportRows {
			t.Problems = append(t.Problems, Problem{Row: row, Err: ErrFormat, Msg: fmt.Sprintf("more than %d users: split the file", MaxImportRows)})
			break
		}
		records++
		cells := make([]Cell, len(fields))
		broken := len(syn) > 0
		for j, f := range fields {
			if len(f) > MaxCellBytes {
				t.Problems = append(t.Problems, Problem{Row: row, Letter: ColumnLetter(j), Err: ErrFormat,
					Msg: fmt.Sprintf("holds %d MB, more than Excel allows in a cell (32,767 characters): the file is damaged or not a list of users", len(f)>>20)})
				f, broken = "", true
			}
			cells[j] = Cell{Text: f, Raw: f}
		}
		if err := emit(Record{Row: row, Cells: cells, Broken: broken}); err != nil {
			return err
		}
	}
	if opts.Progress != nil {
		opts.Progress(len(p.s), len(p.s))
	}
	return nil
}

// sepLine reads Excel's separator hint, a first line "sep=;" (quoted or
// not): start is where the file goes on after it.
func sepLine(s string) (start int, sep byte, ok bool) {
	end := strings.IndexAny(s, "\r\n")
	if end < 0 {
		end = len(s)
	}
	line := strings.Trim(strings.TrimSpace(s[:end]), `"`)
	if len(line) != 5 || !strings.EqualFold(line[:4], "sep=") || line[4] == '"' || line[4] == '\'' {
		return 0, 0, false
	}
	start = end
	if strings.HasPrefix(s[start:], "\r\n") {
		start += 2
	} else if start < len(s) {
		start++
	}
	return start, line[4], true
}

func blankFields(fs []string) bool {
	for _, f := range fs {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

type csvSyntax struct {
	field int
	msg   string
}

// csvParser splits CSV text into records the way spreadsheets read it,
// but forgiving: it never stops at an error.
type csvParser struct {
	s   string
	i   int
	sep byte
	buf strings.Builder
}

// record reads one record from p.i and the syntax errors in it.
func (p *csvParser) record() ([]string, []csvSyntax) {
	var fields []string
	var errs []csvSyntax
	for {
		f, end, e := p.field(len(fields))
		fields = append(fields, f)
		if e != "" {
			errs = append(errs, csvSyntax{len(fields) - 1, e})
		}
		if end {
			return fields, errs
		}
	}
}

// field reads one field; end is true when it ended its record.
func (p *csvParser) field(n int) (string, bool, string) {
	s := p.s
	if p.i < len(s) && s[p.i] == '"' {
		return p.quoted(n)
	}
	start := p.i
	msg := ""
	for p.i < len(s) {
		c := s[p.i]
		switch c {
		case p.sep:
			f := s[start:p.i]
			p.i++
			return f, false, msg
		case '\n', '\r':
			f := s[start:p.i]
			p.eol()
			return f, true, msg
		case '"':
			if msg == "" {
				msg = `has a quote mark (") inside a value that does not start with one: it was read as written; to be sure, put the whole value in quotes and write the quote mark twice ("")`
			}
		}
		p.i++
	}
	return s[start:], true, msg
}

func (p *csvParser) eol() {
	if p.s[p.i] == '\r' {
		p.i++
		if p.i < len(p.s) && p.s[p.i] == '\n' {
			p.i++
		}
		return
	}
	p.i++
}

// quoted reads a quoted field starting at p.i. A quote never closed
// takes the field to the end of its line instead of the end of the file,
// so the rows after it are still read.
func (p *csvParser) quoted(n int) (string, bool, string) {
	s := p.s
	open := p.i
	p.i++
	p.buf.Reset()
	for {
		k := strings.IndexByte(s[p.i:], '"')
		if k < 0 {
			return p.unclosed(open)
		}
		p.buf.WriteString(s[p.i : p.i+k])
		p.i += k + 1
		if p.i < len(s) && s[p.i] == '"' {
			p.buf.WriteByte('"')
			p.i++
			continue
		}
		break
	}
	f := p.buf.String()
	if p.i < len(s) && s[p.i] != p.sep && s[p.i] != '\n' && s[p.i] != '\r' && strings.ContainsAny(s[open:p.i], "\r\n") {
		// The quote "closed" on a later line and junk follows: it was a
		// quote never closed, and the next row's quote was taken for its
		// end. Read the field to the end of its own line instead.
		return p.unclosed(open)
	}
	if p.i >= len(s) {
		return f, true, ""
	}
	switch c := s[p.i]; {
	case c == p.sep:
		p.i++
		return f, false, ""
	case c == '\n' || c == '\r':
		p.eol()
		return f, true, ""
	}
	// Text after the closing quote: kept, as spreadsheets do.
	start := p.i
	for p.i < len(s) && s[p.i] != p.sep && s[p.i] != '\n' && s[p.i] != '\r' {
		p.i++
	}
	f += s[start:p.i]
	msg := `has text after its closing quote mark ("): it was read as written; put the whole value in quotes and write quote marks inside it twice ("")`
	if p.i >= len(s) {
		return f, true, msg
	}
	if s[p.i] == p.sep {
		p.i++
		return f, false, msg
	}
	p.eol()
	return f, true, msg
}

// unclosed reads a field whose quote at open is never closed: back to
// the opening quote, the field is the rest of that line.
func (p *csvParser) unclosed(open int) (string, bool, string) {
	s := p.s
	p.i = open + 1
	end := strings.IndexAny(s[p.i:], "\r\n")
	if end < 0 {
		end = len(s) - p.i
	}
	f := s[p.i : p.i+end]
	p.i += end
	if p.i < len(s) {
		p.eol()
	}
	return f, true, `opens a quote (") that is never closed: the rest of the line was read as this one value`
}

// sniffSeparator counts ',', ';' and '\t' outside quotes in each of the
// first non-blank lines and picks the one with the most in a single line
// (comma on a tie or none), so a title line above the header does not
// decide.
func sniffSeparator(s string) byte {
	var best [3]int
	var counts [3]int
	seps := [3]byte{',', ';', '\t'}
	inQuote, seen := false, false
	lines := 0
	flush := func() {
		for k := range counts {
			best[k] = max(best[k], counts[k])
			counts[k] = 0
		}
	}
	for i := 0; i < len(s) && lines < sniffLines; i++ {
		c := s[i]
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' || c == '\r' {
			if seen {
				flush()
				lines++
				seen = false
			}
			continue
		}
		if c != ' ' {
			seen = true
		}
		for k, sep := range seps {
			if c == sep {
				counts[k]++
			}
		}
	}
	flush()
	pick := 0
	for k := 1; k < 3; k++ {
		if best[k] > best[pick] {
			pick = k
		}
	}
	return seps[pick]
}

// sniffLines is how many non-blank lines the separator and the header
// are looked for in.
const sniffLines = 10
