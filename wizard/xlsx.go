package wizard

import (
	"bytes"
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
// are neutralised against formula injection as in ExportCSV. A non-empty
// password encrypts the whole workbook (ECMA-376 agile encryption).
func ExportXLSX(w io.Writer, sheets []Sheet, password string) error {
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

func writeSheet(f *excelize.File, name string, s Sheet, head, text int) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	ncol := len(s.Header)
	for _, r := range s.Rows {
		ncol = max(ncol, len(r))
	}
	// Widths: header or longest value (sampled over the first 1000 rows),
	// between 8 and 50 characters.
	for j := range ncol {
		w := 8
		if j < len(s.Header) {
			w = max(w, utf8.RuneCountInString(s.Header[j])+2)
		}
		for i := 0; i < len(s.Rows) && i < 1000; i++ {
			if j < len(s.Rows[i]) {
				w = max(w, utf8.RuneCountInString(s.Rows[i][j])+2)
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
	cells := make([]any, ncol)
	vals := make([]excelize.Cell, ncol)
	for j := range cells {
		v := ""
		if j < len(s.Header) {
			v = Neutralize(s.Header[j])
		}
		vals[j] = excelize.Cell{StyleID: head, Value: v}
		cells[j] = vals[j]
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{StyleID: head}); err != nil {
		return err
	}
	for i, r := range s.Rows {
		cells = cells[:len(r)]
		for j, v := range r {
			cells[j] = excelize.Cell{StyleID: text, Value: Neutralize(v)}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
		cells = cells[:ncol]
	}
	if ncol > 0 && len(s.Header) == ncol {
		// The autofilter comes with a table: the stream writer can add one
		// without reading the sheet back (File.AutoFilter would parse all
		// rows again, ~10× the cost of writing them).
		last, _ := excelize.CoordinatesToCellName(ncol, max(len(s.Rows)+1, 2))
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
// named "Users" when there is one), as ImportCSV does: same header
// matching, same problems. Numeric cells are read raw, so a phone number
// typed as a number comes back as its digits.
func ImportXLSX(r io.Reader) ([]Row, []Problem, error) {
	return ImportXLSXPassword(r, "")
}

// ImportXLSXPassword is ImportXLSX for a workbook encrypted with password.
func ImportXLSXPassword(r io.Reader, password string) ([]Row, []Problem, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("wizard: read XLSX: %w", err)
	}
	if len(b) > MaxImportSize {
		return nil, []Problem{{Err: ErrFormat, Msg: fmt.Sprintf("the file is larger than %d MB", MaxImportSize>>20)}}, nil
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{Password: password, RawCellValue: true})
	if err != nil {
		return nil, []Problem{{Err: ErrFormat, Msg: fmt.Sprintf("not a readable XLSX workbook: %v", err)}}, nil
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, []Problem{{Err: ErrFormat, Msg: "the workbook has no sheets"}}, nil
	}
	name := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(s, SheetUsers) {
			name = s
		}
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, []Problem{{Err: ErrFormat, Msg: fmt.Sprintf("sheet %q: %v", name, err)}}, nil
	}
	defer rows.Close()
	var header []string
	var records [][]string
	var ps []Problem
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			ps = append(ps, Problem{Row: len(records) + 1, Err: ErrFormat, Msg: err.Error()})
			break
		}
		if header == nil {
			if len(cols) == 0 {
				continue // leading empty rows
			}
			header = cols
			continue
		}
		if len(records) >= MaxImportRows {
			ps = append(ps, Problem{Row: len(records) + 1, Err: ErrFormat, Msg: fmt.Sprintf("more than %d rows", MaxImportRows)})
			break
		}
		records = append(records, cols)
	}
	if header == nil {
		return nil, []Problem{{Err: ErrFormat, Msg: fmt.Sprintf("sheet %q is empty", name)}}, nil
	}
	out, more := importRecords(header, records)
	return out, append(more, ps...), nil
}
