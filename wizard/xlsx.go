package wizard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ExportXLSX writes the sheets as one workbook: per sheet a bold, filled,
// frozen header row with an autofilter, column widths fitted to the
// content (capped), and every cell a text cell with the text number
// format, so numbers, extensions and MACs keep their leading zeros. Cells
// are plain strings (inline string cells, never formulas), so nothing is
// added to them. A non-empty
// password encrypts the whole workbook (ECMA-376 agile encryption).
func ExportXLSX(w io.Writer, sheets []Sheet, password string) error {
	ss := make([]StreamSheet, len(sheets))
	for i, s := range sheets {
		ss[i] = s.Stream()
	}
	return ExportXLSXStream(w, ss, password)
}

// ExportXLSXStream is ExportXLSX for sheets whose rows come one at a time:
// the rows go through excelize's stream writer as they come (it keeps
// them in a temporary file past a few megabytes), so a sheet of a hundred
// thousand rows is not held in memory twice.
func ExportXLSXStream(w io.Writer, sheets []StreamSheet, password string) error {
	if len(sheets) == 0 {
		return fmt.Errorf("wizard: export XLSX: no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"305496"}},
		Alignment: &excelize.Alignment{Vertical: "center"},
		NumFmt:    49, // "@": text
	})
	if err != nil {
		return fmt.Errorf("wizard: export XLSX: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return fmt.Errorf("wizard: export XLSX: %w", err)
	}
	for k, s := range sheets {
		name := sheetName(s.Name, k)
		if k == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("wizard: export XLSX: %w", err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("wizard: export XLSX: %w", err)
		}
		if err := writeSheet(f, name, s, head, text); err != nil {
			return fmt.Errorf("wizard: export XLSX sheet %q: %w", name, err)
		}
	}
	var opts []excelize.Options
	if password != "" {
		opts = append(opts, excelize.Options{Password: password})
	}
	if err := f.Write(w, opts...); err != nil {
		return fmt.Errorf("wizard: export XLSX: %w", err)
	}
	return nil
}

// sheetName makes a valid, unique-enough sheet name (≤31 characters, none
// of : \ / ? * [ ]).
func sheetName(s string, k int) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		s = fmt.Sprintf("Sheet%d", k+1)
	}
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

// widthSample is how many rows the column widths are measured on.
const widthSample = 1000

func writeSheet(f *excelize.File, name string, s StreamSheet, head, text int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// The first rows are held until the widths are known (the stream
	// writer takes them before any row).
	var sample [][]string
	n := 0
	cells := make([]any, len(s.Header))
	started := false
	ncol := len(s.Header)
	wide := false // a row longer than the header: no table
	start := func() error {
		started = true
		for _, r := range sample {
			ncol = max(ncol, len(r))
		}
		// Widths: header or longest value (sampled over the first rows),
		// between 8 and 50 characters.
		for j := range ncol {
			w := 8
			if j < len(s.Header) {
				w = max(w, utf8.RuneCountInString(s.Header[j])+2)
			}
			for _, r := range sample {
				if j < len(r) {
					w = max(w, utf8.RuneCountInString(r[j])+2)
				}
			}
			if err := sw.SetColWidth(j+1, j+1, float64(min(w, 50))); err != nil {
				return err
			}
		}
		if ncol > 0 {
			if err := sw.SetColStyle(1, ncol, text); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		cells = make([]any, ncol)
		for j := range cells {
			v := ""
			if j < len(s.Header) {
				v = s.Header[j]
			}
			cells[j] = excelize.Cell{StyleID: head, Value: v}
		}
		if err := sw.SetRow("A1", cells, excelize.RowOpts{StyleID: head}); err != nil {
			return err
		}
		return nil
	}
	put := func(r []string) error {
		n++
		if len(r) > len(s.Header) {
			wide = true
		}
		cells = cells[:0]
		for _, v := range r {
			// A string cell is never a formula: written as it is, with no
			// apostrophe for the user to see.
			cells = append(cells, excelize.Cell{StyleID: text, Value: v})
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, cells)
	}
	err = s.Each(func(r []string) error {
		if !started {
			if len(sample) < widthSample {
				sample = append(sample, append([]string(nil), r...))
				return nil
			}
			if err := start(); err != nil {
				return err
			}
			for _, sr := range sample {
				if err := put(sr); err != nil {
					return err
				}
			}
			sample = nil
		}
		return put(r)
	})
	if err != nil {
		return err
	}
	if !started {
		if err := start(); err != nil {
			return err
		}
		for _, sr := range sample {
			if err := put(sr); err != nil {
				return err
			}
		}
	}
	if ncol > 0 && len(s.Header) == ncol && !wide {
		// The autofilter comes with a table: the stream writer can add one
		// without reading the sheet back (File.AutoFilter would parse all
		// rows again, ~10× the cost of writing them).
		last, _ := excelize.CoordinatesToCellName(ncol, max(n+1, 2))
		noStripes := false
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(name), ShowRowStripes: &noStripes}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// tableName derives a valid table name from a sheet name.
func tableName(sheet string) string {
	var b strings.Builder
	b.WriteString("tbl_")
	for _, r := range sheet {
		if r < 0x80 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ImportXLSX reads users from the first sheet of a workbook (or the sheet
// named "Users" when there is one), as ImportCSV does: ReadXLSX then
// Table.Import with no mapping. Typed cells are read as the user sees
// them or refused (see Table.Import).
func ImportXLSX(r io.Reader) ([]Row, []Problem, error) {
	return ImportXLSXPassword(r, "")
}

// ImportXLSXPassword is ImportXLSX for a workbook encrypted with password.
// An encrypted workbook opened without its password, or with a wrong one,
// is one problem wrapping ErrEncrypted.
func ImportXLSXPassword(r io.Reader, password string) ([]Row, []Problem, error) {
	t, err := ReadXLSX(context.Background(), r, &ReadOptions{Password: password})
	if errors.Is(err, ErrEncrypted) {
		return nil, []Problem{{Err: err, Msg: strings.TrimPrefix(err.Error(), "wizard: ")}}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	imp, err := t.Import(context.Background(), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	return imp.Rows, append(imp.Problems, imp.Checks...), nil
}

// oleMagic starts a compound file: an encrypted OOXML workbook, or an
// Excel 97–2003 .xls.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptionInfo is the stream name an encrypted workbook carries, as the
// UTF-16 of its directory entry.
var encryptionInfo = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")

// ReadXLSX reads a workbook's first sheet (or the one named "Users") as a
// table of typed cells: text, numbers with the text Excel shows for them,
// dates, booleans, errors and formulas with their cached value. An
// encrypted workbook needs opts.Password: without it, or with a wrong
// one, the error is an *EncryptedError. Other unreadable files come back
// as a table with one problem. The error is also ctx's.
func ReadXLSX(ctx context.Context, r io.Reader, opts *ReadOptions) (*Table, error) {
	if opts == nil {
		opts = &ReadOptions{}
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("wizard: read XLSX: %w", err)
	}
	return readXLSX(ctx, b, opts)
}

func readXLSX(ctx context.Context, b []byte, opts *ReadOptions) (*Table, error) {
	if opts == nil {
		opts = &ReadOptions{}
	}
	t := &Table{Format: "XLSX", HeaderRow: 1}
	fail := func(msg string) (*Table, error) {
		t.Problems = append(t.Problems, Problem{Err: ErrFormat, Msg: msg})
		return t, nil
	}
	if len(b) > MaxImportSize {
		return fail(fmt.Sprintf("the file is larger than %d MB", MaxImportSize>>20))
	}
	b, opts, msg, err := decryptWorkbook(b, opts)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		return fail(msg)
	}
	f, msg, err := openWorkbook(b, opts)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		return fail(msg)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fail("the workbook has no sheets")
	}
	name := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(s, SheetUsers) {
			name = s
		}
	}
	t.Sheet = name
	xr := &xlsxReader{f: f, sheet: name, dates: map[int]bool{}}
	raw, lay, msg := xr.sheetRows()
	if msg != "" {
		return fail(msg)
	}
	if err := xr.records(ctx, t, raw, opts.Progress); err != nil {
		return nil, err
	}
	if t.Header == nil {
		return fail(fmt.Sprintf("sheet %q is empty", name))
	}
	if opts.Progress != nil {
		opts.Progress(len(raw), len(raw))
	}
	t.findHeader()
	t.applyLayout(&lay, "Excel")
	return t, nil
}

// decryptWorkbook returns the workbook inside an encrypted file (an OLE
// container), and ReadOptions without the password, so it is scanned
// with the same limits as one never encrypted; any other file is
// returned as it is. A refusal is msg; err asks for the password.
func decryptWorkbook(b []byte, opts *ReadOptions) ([]byte, *ReadOptions, string, error) {
	if !bytes.HasPrefix(b, oleMagic) {
		return b, opts, "", nil
	}
	if !bytes.Contains(b, encryptionInfo) {
		return nil, nil, "this is an Excel 97–2003 workbook (.xls): save it as Excel Workbook (.xlsx) or CSV UTF-8 and open that", nil
	}
	if opts.Password == "" {
		return nil, nil, "", &EncryptedError{}
	}
	dec, err := excelize.Decrypt(b, &excelize.Options{Password: opts.Password})
	if err == nil && len(dec) == 0 {
		err = errors.New("an encryption bwbulk does not know")
	}
	if err != nil {
		return nil, nil, fmt.Sprintf("the encrypted workbook could not be opened (%v): open it in Excel, save it without a password and open that", err), nil
	}
	if !bytes.HasPrefix(dec, []byte("PK")) {
		return nil, nil, "", &EncryptedError{Wrong: true}
	}
	return dec, &ReadOptions{Progress: opts.Progress}, "", nil
}

// openWorkbook scans the zip for bombs, then opens it with excelize
// (not RawCellValue: GetCellValue is to give the text Excel shows; the
// sheets stay in memory, f.Pkg, for sheetMeta).
func openWorkbook(b []byte, opts *ReadOptions) (*excelize.File, string, error) {
	if bytes.HasPrefix(b, []byte("PK")) {
		if msg := scanWorkbook(b); msg != "" {
			return nil, msg, nil
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{Password: opts.Password, UnzipXMLSizeLimit: MaxUnpackedSize, UnzipSizeLimit: MaxUnpackedSize})
	switch {
	case err == nil:
		return f, "", nil
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return nil, "", &EncryptedError{Wrong: true}
	case bytes.HasPrefix(b, oleMagic):
		return nil, fmt.Sprintf("the encrypted workbook could not be opened: %v", err), nil
	case !bytes.HasPrefix(b, []byte("PK")):
		return nil, "this is not an XLSX workbook (an XLSX file is a zip archive): open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8", nil
	}
	return nil, fmt.Sprintf("the workbook is damaged and cannot be read: %v", err), nil
}

// sheetRows reads the sheet's values and layout: from sheetMeta's one
// pass over the sheet's XML when it can (xr.meta then has every cell's
// type and style), else through excelize's GetRows. A refusal is msg.
func (xr *xlsxReader) sheetRows() ([][]string, sheetLayout, string) {
	var lay sheetLayout
	if meta, fast := sheetMeta(xr.f, xr.sheet, &lay); fast {
		xr.meta = meta
		return metaRows(meta), lay, ""
	}
	raw, err := xr.f.GetRows(xr.sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, sheetLayout{}, fmt.Sprintf("sheet %q cannot be read: %v", xr.sheet, err)
	}
	lay = sheetLayout{}
	if mcs, err := xr.f.GetMergeCells(xr.sheet); err == nil {
		for _, mc := range mcs {
			if m, ok := parseMerge(mc.GetStartAxis() + ":" + mc.GetEndAxis()); ok {
				lay.merges = append(lay.merges, m)
			}
		}
	}
	return raw, lay, ""
}

// records finds the header (the first row not blank) in raw and reads
// every row under it into t, up to MaxImportRows users.
func (xr *xlsxReader) records(ctx context.Context, t *Table, raw [][]string, progress func(done, total int)) error {
	for i, cols := range raw {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil {
				progress(i, len(raw))
			}
		}
		row := i + 1
		if t.Header == nil {
			if blankFields(cols) {
				t.HeaderRow++
				continue
			}
			t.Header = make([]string, len(cols))
			for j := range cols {
				t.Header[j] = xr.cell(j, row, cols[j]).Text
			}
			continue
		}
		if blankFields(cols) && !xr.anyFormula(row, len(t.Header)) {
			continue
		}
		if len(t.Records) >= MaxImportRows {
			t.Problems = append(t.Problems, Problem{Row: row, Err: ErrFormat, Msg: fmt.Sprintf("more than %d users: split the file", MaxImportRows)})
			break
		}
		// Cells under the header are looked at even when empty: a formula
		// never calculated has no value but is not a blank cell.
		cells := make([]Cell, max(len(cols), len(t.Header)))
		for j := range cells {
			v := ""
			if j < len(cols) {
				v = cols[j]
			}
			cells[j] = xr.cell(j, row, v)
		}
		t.Records = append(t.Records, Record{Row: row, Cells: cells})
	}
	return nil
}

// metaRows lays the values of sheetMeta out as GetRows does: one slice
// per row from row 1, each up to its last non-empty value.
func metaRows(meta map[int]map[int]cellMeta) [][]string {
	last := 0
	for r, cells := range meta {
		for _, m := range cells {
			if m.value != "" {
				last = max(last, r)
				break
			}
		}
	}
	rows := make([][]string, last)
	for r := 1; r <= last; r++ {
		n := 0
		for c, m := range meta[r] {
			if m.value != "" {
				n = max(n, c+1)
			}
		}
		if n == 0 {
			continue
		}
		row := make([]string, n)
		for c, m := range meta[r] {
			if c < n {
				row[c] = m.value
			}
		}
		rows[r-1] = row
	}
	return rows
}

// xlsxReader reads the type of each cell; number formats are looked up
// once per style.
type xlsxReader struct {
	f     *excelize.File
	sheet string
	dates map[int]bool
	// meta, when set, has every cell's type, style and formula flag
	// (sheetMeta); without it each cell is asked for.
	meta map[int]map[int]cellMeta
}

// cellFast is cell with the sheet's metadata at hand.
func (x *xlsxReader) cellFast(j, row int, raw string) Cell {
	m, ok := x.meta[row][j]
	c := Cell{Text: raw, Raw: raw}
	if !ok {
		return c
	}
	name := ""
	if m.formula || m.t == "" || m.t == "n" {
		name, _ = excelize.CoordinatesToCellName(j+1, row)
	}
	switch {
	case m.formula:
		c.Kind = CellFormula
		c.Formula, _ = x.f.GetCellFormula(x.sheet, name)
		if v, err := x.f.GetCellValue(x.sheet, name); err == nil {
			c.Text = v
		}
		return c
	case raw == "":
		return Cell{}
	case m.t == "b":
		c.Kind = CellBool
		c.Text = "FALSE"
		if raw == "1" || strings.EqualFold(raw, "true") {
			c.Text = "TRUE"
		}
	case m.t == "e":
		c.Kind = CellError
	case m.t == "d":
		c.Kind = CellDate
	case m.t == "" || m.t == "n":
		c.Kind = CellNumber
		if v, err := x.f.GetCellValue(x.sheet, name); err == nil {
			c.Text = v
		}
		if x.styleIsDate(m.style) {
			c.Kind = CellDate
		}
	}
	return c
}

func (x *xlsxReader) cell(j, row int, raw string) Cell {
	if x.meta != nil {
		return x.cellFast(j, row, raw)
	}
	name, _ := excelize.CoordinatesToCellName(j+1, row)
	c := Cell{Text: raw, Raw: raw}
	if fm, _ := x.f.GetCellFormula(x.sheet, name); fm != "" {
		c.Kind, c.Formula = CellFormula, fm
		if v, err := x.f.GetCellValue(x.sheet, name); err == nil {
			c.Text = v
		}
		return c
	}
	if raw == "" {
		return Cell{}
	}
	typ, _ := x.f.GetCellType(x.sheet, name)
	switch typ {
	case excelize.CellTypeBool:
		c.Kind = CellBool
		c.Text = "FALSE"
		if raw == "1" || strings.EqualFold(raw, "true") {
			c.Text = "TRUE"
		}
	case excelize.CellTypeError:
		c.Kind = CellError
	case excelize.CellTypeDate:
		c.Kind = CellDate
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		c.Kind = CellNumber
		if v, err := x.f.GetCellValue(x.sheet, name); err == nil {
			c.Text = v
		}
		if x.isDate(name) {
			c.Kind = CellDate
		}
	}
	return c
}

// anyFormula reports whether a row that looks blank has a formula in its
// first n cells.
func (x *xlsxReader) anyFormula(row, n int) bool {
	if x.meta != nil {
		for _, m := range x.meta[row] {
			if m.formula {
				return true
			}
		}
		return false
	}
	for j := range n {
		name, _ := excelize.CoordinatesToCellName(j+1, row)
		if fm, _ := x.f.GetCellFormula(x.sheet, name); fm != "" {
			return true
		}
	}
	return false
}

// isDate reports whether the cell's number format shows a date or time.
func (x *xlsxReader) isDate(cell string) bool {
	id, err := x.f.GetCellStyle(x.sheet, cell)
	if err != nil {
		return false
	}
	return x.styleIsDate(id)
}

// styleIsDate reports whether a style's number format shows a date or
// time.
func (x *xlsxReader) styleIsDate(id int) bool {
	if d, ok := x.dates[id]; ok {
		return d
	}
	d := false
	if st, err := x.f.GetStyle(id); err == nil {
		switch {
		case st.CustomNumFmt != nil:
			d = dateFormat(*st.CustomNumFmt)
		case st.NumFmt >= 14 && st.NumFmt <= 22, st.NumFmt >= 27 && st.NumFmt <= 36, st.NumFmt >= 45 && st.NumFmt <= 47, st.NumFmt >= 50 && st.NumFmt <= 58:
			d = true
		}
	}
	x.dates[id] = d
	return d
}

// dateFormat reports whether a custom number format shows a date or
// time: a d, m, y, h or s outside quotes, brackets and escapes.
func dateFormat(f string) bool {
	inQuote, inBracket := false, false
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case inQuote:
			inQuote = c != '"'
		case inBracket:
			inBracket = c != ']'
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case strings.IndexByte("dmyhsDMYHS", c) >= 0:
			return true
		}
	}
	return false
}
