package wizard

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// ReadFile reads a file as a table the way the Import screen and the
// command line do, its format found from its content, not its name: an
// XLSX workbook (a zip with xl/workbook.xml, or an encrypted one), an
// OpenDocument spreadsheet (.ods), else CSV. An Excel 97–2003 workbook
// (.xls), a web page or an Excel 2003 XML file saved under a
// spreadsheet's name, and other documents are refused with what to save
// them as. A text file named .xls or .ods is read as CSV, with a note.
func ReadFile(ctx context.Context, name string, r io.Reader, opts *ReadOptions) (*Table, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("wizard: read %s: %w", filepath.Base(name), err)
	}
	ext := strings.ToLower(filepath.Ext(name))
	refuse := func(format, msg string) (*Table, error) {
		return &Table{Format: format, HeaderRow: 1, Problems: []Problem{{Err: ErrFormat, Msg: msg}}}, nil
	}
	if len(b) > MaxImportSize {
		return refuse("CSV", fmt.Sprintf("the file is larger than %d MB", MaxImportSize>>20))
	}
	switch kind := sniffKind(b); kind {
	case kindXLSX, kindOLE:
		return readXLSX(ctx, b, opts)
	case kindODS:
		return readODS(ctx, b, opts)
	case kindZip:
		if ext == ".xlsx" {
			return readXLSX(ctx, b, opts) // says how it is damaged
		}
		return refuse("XLSX", "this is a ZIP archive, not an XLSX workbook nor an OpenDocument spreadsheet: open the list of users in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8")
	case kindOther:
		return refuse("XLSX", "this is "+otherDocument(b)+", not a spreadsheet: save the list of users as Excel Workbook (.xlsx) or CSV UTF-8")
	case kindHTML:
		return refuse("CSV", "this is a web page (HTML) saved under a spreadsheet's name, not a workbook: open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8")
	case kindXML2003:
		return refuse("CSV", "this is an Excel 2003 XML spreadsheet, not a workbook bwbulk reads: open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8")
	}
	t, err := readCSV(ctx, b, opts)
	if err == nil && (ext == ".xls" || ext == ".ods" || ext == ".xlsx") && len(t.Problems) == 0 {
		t.Notes = append([]Note{{Text: fmt.Sprintf("the file is named %s but holds text: it was read as CSV", ext)}}, t.Notes...)
	}
	return t, err
}

// The kinds of file sniffKind tells apart.
const (
	kindText = iota
	kindXLSX
	kindOLE // an encrypted workbook, or an Excel 97–2003 .xls
	kindODS
	kindZip   // another zip
	kindOther // another OpenDocument or Office Open XML document
	kindHTML
	kindXML2003
)

// odsMime is the mimetype entry of an OpenDocument spreadsheet.
const odsMime = "application/vnd.oasis.opendocument.spreadsheet"

// sniffKind tells a file's format from its first bytes and, for a zip,
// its list of entries.
func sniffKind(b []byte) int {
	switch {
	case bytes.HasPrefix(b, oleMagic):
		return kindOLE
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			// A damaged zip: the first entry still names it.
			if bytes.Contains(b[:min(len(b), 128)], []byte("mimetype"+odsMime)) {
				return kindODS
			}
			return kindZip
		}
		kind := kindZip
		for _, f := range zr.File {
			switch {
			case f.Name == "xl/workbook.xml":
				return kindXLSX
			case f.Name == "mimetype":
				if m := zipEntryStart(f, 100); strings.HasPrefix(m, odsMime) && !strings.HasPrefix(m, odsMime+"-template") {
					return kindODS
				} else if strings.HasPrefix(m, "application/vnd.oasis.opendocument.") {
					kind = kindOther
				}
			case strings.HasPrefix(f.Name, "word/") || strings.HasPrefix(f.Name, "ppt/"):
				kind = kindOther
			}
		}
		return kind
	}
	head := b[:min(len(b), 4096)]
	head = bytes.TrimPrefix(head, []byte(utf8BOM))
	lead := strings.ToLower(string(bytes.TrimLeft(head, " \t\r\n")))
	switch {
	case strings.HasPrefix(lead, "<!doctype html"), strings.HasPrefix(lead, "<html"), strings.HasPrefix(lead, "<table"),
		strings.HasPrefix(lead, "<?xml") && strings.Contains(lead, "<html"):
		return kindHTML
	case strings.HasPrefix(lead, "<?xml") && strings.Contains(lead, "urn:schemas-microsoft-com:office:spreadsheet"):
		return kindXML2003
	}
	return kindText
}

// zipEntryStart returns the first n bytes of a zip entry ("" when it
// cannot be read).
func zipEntryStart(f *zip.File, n int) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	buf := make([]byte, n)
	k, _ := io.ReadFull(rc, buf)
	return string(buf[:k])
}

// otherDocument names a document that is not a spreadsheet.
func otherDocument(b []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "a document"
	}
	for _, f := range zr.File {
		switch {
		case strings.HasPrefix(f.Name, "word/"):
			return "a Word document"
		case strings.HasPrefix(f.Name, "ppt/"):
			return "a PowerPoint presentation"
		case f.Name == "mimetype":
			m := zipEntryStart(f, 100)
			switch {
			case strings.Contains(m, "opendocument.text"):
				return "an OpenDocument text document"
			case strings.Contains(m, "opendocument.spreadsheet-template"):
				return "an OpenDocument spreadsheet template (save it as a spreadsheet first)"
			}
			return "an OpenDocument document"
		}
	}
	return "a document"
}

// findHeader takes as the header the first row that names known
// columns: a title row (or several) above the real header, which the
// readers took as the header, becomes a note. A table whose first row
// names at least two known columns, or where no row of the first ten
// does, is left as it is (its unknown headers are asked about).
func (t *Table) findHeader() {
	if t.Header == nil || knownHeaders(t.Header, t.Format) >= 2 {
		return
	}
	k := -1
	for i := 0; i < len(t.Records) && i < sniffLines; i++ {
		texts := make([]string, len(t.Records[i].Cells))
		for j, c := range t.Records[i].Cells {
			texts[j] = c.Text
		}
		if knownHeaders(texts, t.Format) >= 2 {
			k = i
			break
		}
	}
	if k < 0 {
		return
	}
	titles := []string{rowText(t.Header)}
	first := t.HeaderRow
	for _, rec := range t.Records[:k] {
		texts := make([]string, len(rec.Cells))
		for j, c := range rec.Cells {
			texts[j] = c.Text
		}
		titles = append(titles, rowText(texts))
	}
	rec := t.Records[k]
	t.Header = make([]string, len(rec.Cells))
	for j, c := range rec.Cells {
		t.Header[j] = c.Text
	}
	t.HeaderRow = rec.Row
	t.Records = t.Records[k+1:]
	// Syntax problems below the header were named by the title's cells:
	// name them by the header's.
	for i := range t.Problems {
		if p := &t.Problems[i]; p.Row > t.HeaderRow && p.Letter != "" {
			p.Header = ""
			if j := letterIndex(p.Letter); j >= 0 && j < len(t.Header) {
				p.Header = strings.TrimSpace(t.Header[j])
			}
		}
	}
	for i, q := range titles {
		titles[i] = fmt.Sprintf("%q", truncate(q, 40))
	}
	rows := fmt.Sprintf("rows %d–%d are", first, t.HeaderRow-1)
	if first == t.HeaderRow-1 {
		rows = fmt.Sprintf("row %d is", first)
	}
	t.Notes = append(t.Notes, Note{Text: fmt.Sprintf("the header is row %d, the first that names known columns: %s above it, not users, and not read (%s)",
		t.HeaderRow, rows, strings.Join(titles, ", "))})
	// Problems of the title rows' cells (a quote never closed) are left:
	// they are still the file's.
}

// letterIndex is ColumnLetter's inverse: "A" → 0, "AA" → 26; -1 for
// what is not a column letter.
func letterIndex(l string) int {
	j := 0
	for i := 0; i < len(l); i++ {
		if l[i] < 'A' || l[i] > 'Z' || j > maxSheetColumns {
			return -1
		}
		j = j*26 + int(l[i]-'A') + 1
	}
	return j - 1
}

// knownHeaders counts the cells that are headers bwbulk knows.
func knownHeaders(cells []string, format string) int {
	n := 0
	for _, h := range cells {
		if format == "CSV" {
			h = Unneutralize(h)
		}
		if strings.TrimSpace(h) != "" && LookupHeader(h).Kind != HeaderUnknown {
			n++
		}
	}
	return n
}

// rowText is a row's non-empty cells joined, as a note quotes it.
func rowText(cells []string) string {
	var parts []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}
