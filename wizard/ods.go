package wizard

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits of the OpenDocument reader besides those of scanParts: how deep
// its XML may nest, and how many filled cells a sheet may have once its
// repeated rows and cells are laid out (a row "repeated" a million times
// is a few bytes in the file).
const (
	maxODSDepth = 64
	maxODSCells = 2_000_000
)

// readODS reads an OpenDocument spreadsheet's first table (or the one
// named "Users") as ReadXLSX reads a sheet: cells typed as the file says
// (string, float, percentage, currency, date, time, boolean, formula),
// merged cells filled as applyLayout says, hidden rows and columns
// noted. content.xml is streamed: first through scanParts (the same
// limits as a workbook's: unpacked size, cell size, rows), then through
// the XML decoder. An encrypted file is refused.
func readODS(ctx context.Context, b []byte, opts *ReadOptions) (*Table, error) {
	if opts == nil {
		opts = &ReadOptions{}
	}
	t := &Table{Format: "ODS", HeaderRow: 1}
	fail := func(msg string) (*Table, error) {
		t.Problems = append(t.Problems, Problem{Err: ErrFormat, Msg: msg})
		return t, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fail(fmt.Sprintf("the OpenDocument spreadsheet is damaged and cannot be read (%v): open it in LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8", err))
	}
	var content *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "content.xml":
			content = f
		case "META-INF/manifest.xml":
			if m := zipEntryStart(f, 1<<20); strings.Contains(m, "encryption-data") {
				return fail("the OpenDocument spreadsheet is protected by a password: open it in LibreOffice, save it without the password as Excel Workbook (.xlsx) or CSV UTF-8, and open that")
			}
		}
	}
	if content == nil {
		return fail("the OpenDocument spreadsheet has no content.xml: it is damaged; open it in LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8")
	}
	if msg := scanParts(b, "content.xml", "<table:table-row"); msg != "" {
		return fail(strings.Replace(msg, "the workbook", "the spreadsheet", 1))
	}
	rc, err := content.Open()
	if err != nil {
		return fail(fmt.Sprintf("the OpenDocument spreadsheet is damaged: %v", err))
	}
	defer rc.Close()
	cr := &countReader{r: io.LimitReader(rc, MaxUnpackedSize+1)}
	o := odsReader{ctx: ctx, d: xml.NewDecoder(cr), cr: cr, size: int(content.UncompressedSize64), progress: opts.Progress}
	if err := o.read(); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		var lim *odsLimit
		if errors.As(err, &lim) {
			return fail(lim.msg)
		}
		return fail(fmt.Sprintf("the OpenDocument spreadsheet is damaged and cannot be read (%v): open it in LibreOffice and save it as Excel Workbook (.xlsx) or CSV UTF-8", err))
	}
	if o.sheet == nil {
		return fail("the OpenDocument spreadsheet has no sheets")
	}
	s := o.sheet
	t.Sheet = s.name
	t.Problems = append(t.Problems, s.problems...)
	for _, r := range s.rows {
		cells := r.cells
		if t.Header == nil {
			if blankCells(cells) {
				t.HeaderRow = r.row + 1
				continue
			}
			t.HeaderRow = r.row
			t.Header = make([]string, len(cells))
			for j := range cells {
				t.Header[j] = cells[j].Text
			}
			continue
		}
		if blankCells(cells) {
			continue
		}
		if len(t.Records) >= MaxImportRows {
			t.Problems = append(t.Problems, Problem{Row: r.row, Err: ErrFormat, Msg: fmt.Sprintf("more than %d users: split the file", MaxImportRows)})
			break
		}
		if n := len(t.Header); len(cells) < n {
			cells = append(cells[:len(cells):len(cells)], make([]Cell, n-len(cells))...)
		}
		t.Records = append(t.Records, Record{Row: r.row, Cells: cells, Broken: r.broken})
	}
	if t.Header == nil {
		return fail(fmt.Sprintf("sheet %q is empty", s.name))
	}
	if opts.Progress != nil {
		opts.Progress(o.size, o.size)
	}
	t.findHeader()
	t.applyLayout(&s.lay, "the spreadsheet")
	return t, nil
}

func blankCells(cs []Cell) bool {
	for i := range cs {
		if strings.TrimSpace(cs[i].Text) != "" || cs[i].Kind == CellFormula {
			return false
		}
	}
	return true
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// odsLimit is a limit of the reader reached: msg says which.
type odsLimit struct{ msg string }

func (e *odsLimit) Error() string { return e.msg }

// odsRow is one row of a table, with its spreadsheet row number.
type odsRow struct {
	row    int
	cells  []Cell
	broken bool
}

// odsSheet is one table as read.
type odsSheet struct {
	name     string
	rows     []odsRow
	lay      sheetLayout
	problems []Problem
}

// odsReader holds the state of one reading of content.xml.
type odsReader struct {
	ctx      context.Context
	d        *xml.Decoder
	cr       *countReader
	size     int
	progress func(done, total int)
	sheet    *odsSheet // the table kept: the first, or "Users"
	cells    int       // filled cells laid out
	ns       map[string]string
}

const (
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
)

func attr(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}

// repeat reads a number-…-repeated or -spanned attribute (1 when absent
// or not a positive number).
func repeat(e xml.StartElement, local string) int {
	v := attr(e, nsTable, local)
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// token is the decoder's next raw token (no nesting check and no copy:
// the reader keeps its own depth and copies what it keeps), its names'
// prefixes turned into namespaces as the document declared them
// (OpenDocument declares them all on its root).
func (o *odsReader) token() (xml.Token, error) {
	tok, err := o.d.RawToken()
	if err != nil {
		return nil, err
	}
	switch e := tok.(type) {
	case xml.StartElement:
		for _, a := range e.Attr {
			if a.Name.Space == "xmlns" {
				if o.ns == nil {
					o.ns = map[string]string{}
				}
				o.ns[a.Name.Local] = a.Value
			}
		}
		e.Name.Space = o.ns[e.Name.Space]
		for i := range e.Attr {
			if sp := e.Attr[i].Name.Space; sp != "" && sp != "xmlns" {
				e.Attr[i].Name.Space = o.ns[sp]
			}
		}
		return e, nil
	case xml.EndElement:
		e.Name.Space = o.ns[e.Name.Space]
		return e, nil
	}
	return tok, nil
}

// skip reads to the end of the element just started.
func (o *odsReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := o.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxODSDepth {
				return &odsLimit{"the spreadsheet's XML nests too deeply: it is damaged or not a list of users"}
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// read reads the tables until the end of the document.
func (o *odsReader) read() error {
	depth := 0
	for {
		tok, err := o.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if o.cr.n > MaxUnpackedSize {
			return &odsLimit{fmt.Sprintf("the spreadsheet unpacks to more than %d MB of data: split it, or save it as CSV UTF-8", MaxUnpackedSize>>20)}
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxODSDepth {
				return &odsLimit{"the spreadsheet's XML nests too deeply: it is damaged or not a list of users"}
			}
			if e.Name.Space == nsTable && e.Name.Local == "table" {
				name := attr(e, nsTable, "name")
				s, err := o.table(name)
				if err != nil {
					return err
				}
				depth--
				if o.sheet == nil || strings.EqualFold(name, SheetUsers) && !strings.EqualFold(o.sheet.name, SheetUsers) {
					o.sheet = s
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

// table reads one table:table up to its end element.
func (o *odsReader) table(name string) (*odsSheet, error) {
	s := &odsSheet{name: name, lay: sheetLayout{hiddenRows: map[int]bool{}, hiddenCols: map[int]bool{}}}
	row, col := 1, 0
	depth := 1
	for {
		tok, err := o.token()
		if err != nil {
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxODSDepth {
				return nil, &odsLimit{"the spreadsheet's XML nests too deeply: it is damaged or not a list of users"}
			}
			if e.Name.Space != nsTable {
				if e.Name.Space == nsOffice && e.Name.Local == "annotation" || e.Name.Local == "shapes" {
					if err := o.skip(); err != nil {
						return nil, err
					}
					depth--
				}
				continue
			}
			switch e.Name.Local {
			case "table-column":
				n := repeat(e, "number-columns-repeated")
				if attr(e, nsTable, "visibility") == "collapse" {
					for c := col; c < min(col+n, maxSheetColumns); c++ {
						s.lay.hiddenCols[c] = true
					}
				}
				col = min(col+n, maxSheetColumns)
			case "table-row":
				n := repeat(e, "number-rows-repeated")
				hidden := attr(e, nsTable, "visibility")
				cells, broken, err := o.row(s, row)
				if err != nil {
					return nil, err
				}
				depth--
				if blankCells(cells) {
					row += n // repeated blank rows are laid out as none
					continue
				}
				if len(s.rows)+n > MaxImportRows+1000 {
					return nil, &odsLimit{fmt.Sprintf("a sheet has more than %d rows: split the file (at most %d users)", MaxImportRows+1000, MaxImportRows)}
				}
				if o.cells += n * len(cells); o.cells > maxODSCells {
					return nil, &odsLimit{fmt.Sprintf("the sheet has more than %d filled cells once its repeated rows are laid out: it is damaged or not a list of users", maxODSCells)}
				}
				// A repeated row's cells are shared: applyLayout copies a
				// row before it changes it.
				for range n {
					if hidden == "collapse" || hidden == "filter" {
						s.lay.hiddenRows[row] = true
					}
					s.rows = append(s.rows, odsRow{row: row, cells: cells, broken: broken})
					row++
				}
				if len(s.rows)%512 == 0 {
					if err := o.ctx.Err(); err != nil {
						return nil, err
					}
					if o.progress != nil {
						o.progress(o.cr.n, o.size)
					}
				}
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				return s, nil
			}
		}
	}
}

// row reads one table:table-row up to its end element: its cells, with
// repeated ones laid out up to the last filled one, and merged ranges
// added to the sheet's layout.
func (o *odsReader) row(s *odsSheet, row int) ([]Cell, bool, error) {
	var cells []Cell
	broken := false
	col := 0
	for {
		tok, err := o.token()
		if err != nil {
			if err == io.EOF {
				return nil, false, io.ErrUnexpectedEOF
			}
			return nil, false, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != nsTable || e.Name.Local != "table-cell" && e.Name.Local != "covered-table-cell" {
				if err := o.skip(); err != nil {
					return nil, false, err
				}
				continue
			}
			n := repeat(e, "number-columns-repeated")
			c, err := o.cell(e)
			if err != nil {
				return nil, false, err
			}
			if len(c.Text) > MaxCellBytes {
				s.problems = append(s.problems, Problem{Row: row, Letter: ColumnLetter(col), Err: ErrFormat,
					Msg: fmt.Sprintf("holds %d KB, more than a spreadsheet allows in a cell (32,767 characters): the file is damaged or not a list of users", len(c.Text)>>10)})
				c, broken = Cell{}, true
			}
			if cs, rs := repeat(e, "number-columns-spanned"), repeat(e, "number-rows-spanned"); e.Name.Local == "table-cell" && (cs > 1 || rs > 1) && col < maxSheetColumns {
				m := &Merge{Row1: row, Col1: col, Row2: row + rs - 1, Col2: min(col+cs-1, maxSheetColumns-1)}
				m.Ref = fmt.Sprintf("%s%d:%s%d", ColumnLetter(m.Col1), m.Row1, ColumnLetter(m.Col2), m.Row2)
				if len(s.lay.merges) < maxMerges {
					s.lay.merges = append(s.lay.merges, m)
				}
			}
			if c.Text != "" || c.Kind == CellFormula {
				if col+n > maxSheetColumns {
					n = maxSheetColumns - col
				}
				for len(cells) < col {
					cells = append(cells, Cell{})
				}
				for k := 0; k < n; k++ {
					cells = append(cells, c)
				}
			}
			col = min(col+n, maxSheetColumns)
		case xml.EndElement:
			return cells, broken, nil
		}
	}
}

// cell reads one cell up to its end element. A covered cell's content is
// not what the spreadsheet shows: it is read as empty.
func (o *odsReader) cell(e xml.StartElement) (Cell, error) {
	var text strings.Builder
	paras := 0
	var walk func(depth int) error
	walk = func(depth int) error {
		for {
			tok, err := o.token()
			if err != nil {
				if err == io.EOF {
					return io.ErrUnexpectedEOF
				}
				return err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if depth > maxODSDepth {
					return &odsLimit{"the spreadsheet's XML nests too deeply: it is damaged or not a list of users"}
				}
				switch {
				case t.Name.Space == nsOffice && t.Name.Local == "annotation":
					if err := o.skip(); err != nil {
						return err
					}
					continue
				case t.Name.Space == nsText && t.Name.Local == "p" && depth == 0:
					if paras++; paras > 1 {
						text.WriteByte('\n')
					}
				case t.Name.Space == nsText && t.Name.Local == "s":
					n, err := strconv.Atoi(attr(t, nsText, "c"))
					if err != nil || n < 1 {
						n = 1
					}
					text.WriteString(strings.Repeat(" ", min(n, MaxCellBytes+1-min(text.Len(), MaxCellBytes))))
				case t.Name.Space == nsText && t.Name.Local == "tab":
					text.WriteByte('\t')
				case t.Name.Space == nsText && t.Name.Local == "line-break":
					text.WriteByte('\n')
				}
				if err := walk(depth + 1); err != nil {
					return err
				}
			case xml.CharData:
				if text.Len() <= MaxCellBytes {
					text.Write(t)
				}
			case xml.EndElement:
				return nil
			}
		}
	}
	if err := walk(0); err != nil {
		return Cell{}, err
	}
	if e.Name.Local == "covered-table-cell" {
		return Cell{}, nil
	}
	c := Cell{Text: text.String()}
	c.Raw = c.Text
	if f := attr(e, nsTable, "formula"); f != "" {
		c.Kind = CellFormula
		if i := strings.IndexByte(f, '='); i >= 0 && i < 4 {
			f = f[i+1:] // "of:=SUM(…)"
		}
		c.Formula = f
		return c, nil
	}
	switch attr(e, nsOffice, "value-type") {
	case "float", "percentage", "currency":
		c.Kind = CellNumber
		c.Raw = attr(e, nsOffice, "value")
	case "date", "time":
		c.Kind = CellDate
	case "boolean":
		c.Kind = CellBool
		c.Text = "FALSE"
		if attr(e, nsOffice, "boolean-value") == "true" {
			c.Text = "TRUE"
		}
	}
	if c.Text == "" && c.Kind != CellText {
		return Cell{}, nil
	}
	return c, nil
}
