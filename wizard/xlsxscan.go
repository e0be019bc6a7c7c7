package wizard

import (
	"bytes"
	"encoding/xml"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellMeta is what the sheet XML says of a cell besides its value: its
// type attribute, style and whether it has a formula.
type cellMeta struct {
	t       string
	style   int
	formula bool
	// value is the stored value: the text of a shared or inline string,
	// else what <v> holds.
	value string
}

// sheetMeta reads the type, style and formula flag of every cell of a
// sheet in one pass over its XML, keyed by row then column (0-based).
// Asking excelize cell by cell costs ~30× more on 20,000 rows. ok is false
// when the XML cannot be found or read (the caller asks cell by cell).
func sheetMeta(f *excelize.File, sheet string, lay *sheetLayout) (map[int]map[int]cellMeta, bool) {
	p, ok := sheetPath(f, sheet)
	if !ok {
		return nil, false
	}
	v, ok := f.Pkg.Load(p)
	if !ok {
		return nil, false
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, false
	}
	if lay.hiddenRows == nil {
		lay.hiddenRows, lay.hiddenCols = map[int]bool{}, map[int]bool{}
	}
	sst := sharedStrings(f)
	out := map[int]map[int]cellMeta{}
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur *cellMeta
	var col, row int
	var text strings.Builder
	inV, inIS, inT, inRPh := false, false, false, false
	for {
		tok, err := d.Token()
		if err != nil {
			return out, err.Error() == "EOF"
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "c":
				m, c, r, ok := cellStart(e)
				if !ok {
					return nil, false
				}
				col, row = c, r
				cur = &m
				text.Reset()
			case "row", "col", "mergeCell":
				lay.note(e)
			case "f":
				if cur != nil {
					cur.formula = true
				}
			case "v":
				inV = true
			case "is":
				inIS = true
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.CharData:
			if cur != nil && (inV || inIS && inT && !inRPh) {
				text.Write(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			case "c":
				if cur == nil {
					continue
				}
				cur.value = text.String()
				if cur.t == "s" {
					i, err := strconv.Atoi(cur.value)
					if err != nil || i < 0 || i >= len(sst) {
						return nil, false
					}
					cur.value = sst[i]
				}
				if out[row] == nil {
					out[row] = map[int]cellMeta{}
				}
				out[row][col] = *cur
				cur = nil
			}
		}
	}
}

// cellStart reads a <c> element's type, style and place (0-based column,
// 1-based row); ok is false when its reference is not a cell's.
func cellStart(e xml.StartElement) (m cellMeta, col, row int, ok bool) {
	ref := ""
	for _, a := range e.Attr {
		switch a.Name.Local {
		case "r":
			ref = a.Value
		case "t":
			m.t = a.Value
		case "s":
			m.style, _ = strconv.Atoi(a.Value)
		}
	}
	c, r, err := excelize.CellNameToCoordinates(ref)
	if err != nil {
		return m, 0, 0, false
	}
	return m, c - 1, r, true
}

// note records what a <row>, <col> or <mergeCell> element says of the
// sheet's layout: a hidden row, hidden columns, a merged range (up to
// maxMerges).
func (lay *sheetLayout) note(e xml.StartElement) {
	attr := func(name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	hidden := attr("hidden") == "1" || attr("hidden") == "true"
	switch e.Name.Local {
	case "row":
		if r, _ := strconv.Atoi(attr("r")); hidden && r > 0 {
			lay.hiddenRows[r] = true
		}
	case "col":
		lo, _ := strconv.Atoi(attr("min"))
		hi, _ := strconv.Atoi(attr("max"))
		for c := max(lo, 1); hidden && c <= min(hi, maxSheetColumns); c++ {
			lay.hiddenCols[c-1] = true
		}
	case "mergeCell":
		if m, ok := parseMerge(attr("ref")); ok && len(lay.merges) < maxMerges {
			lay.merges = append(lay.merges, m)
		}
	}
}

// sharedStrings reads the workbook's shared string table (nil when it
// has none).
func sharedStrings(f *excelize.File) []string {
	v, ok := f.Pkg.Load("xl/sharedStrings.xml")
	if !ok {
		return nil
	}
	b, _ := v.([]byte)
	var out []string
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	inSI, inT, inRPh := false, false, false
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "si":
				inSI = true
				text.Reset()
			case "t":
				inT = true
			case "rPh":
				inRPh = true
			}
		case xml.CharData:
			if inSI && inT && !inRPh {
				text.Write(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "si":
				inSI = false
				out = append(out, text.String())
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		}
	}
}

// sheetPath finds the part of the workbook that holds a sheet, from
// xl/workbook.xml and its relationships.
func sheetPath(f *excelize.File, sheet string) (string, bool) {
	load := func(name string) []byte {
		v, ok := f.Pkg.Load(name)
		if !ok {
			return nil
		}
		b, _ := v.([]byte)
		return b
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(load("xl/workbook.xml"), &wb) != nil || xml.Unmarshal(load("xl/_rels/workbook.xml.rels"), &rels) != nil {
		return "", false
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				t := r.Target
				if strings.HasPrefix(t, "/") {
					return strings.TrimPrefix(t, "/"), true
				}
				return path.Join("xl", t), true
			}
		}
	}
	return "", false
}

// sheetLayout is what a sheet says of its rows and columns besides their
// cells: which are hidden, and which cells are merged.
type sheetLayout struct {
	hiddenRows map[int]bool // by spreadsheet row
	hiddenCols map[int]bool // by 0-based column
	merges     []*Merge
}

// Limits on a sheet's layout: Excel's last column, and merged ranges
// kept (a sheet of more is not a list of users).
const (
	maxSheetColumns = 16384
	maxMerges       = 100000
)

// Merge is a range of merged cells: spreadsheets keep the value in its
// first (top-left) cell only.
type Merge struct {
	// Ref is the range as the spreadsheet names it ("G2:G4").
	Ref string
	// Row1, Row2 are its first and last spreadsheet rows; Col1, Col2 its
	// first and last 0-based columns.
	Row1, Col1, Row2, Col2 int
}

// parseMerge reads a range "G2:G4".
func parseMerge(ref string) (*Merge, bool) {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return nil, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(a)
	c2, r2, err2 := excelize.CellNameToCoordinates(b)
	if err1 != nil || err2 != nil {
		return nil, false
	}
	m := &Merge{Ref: ref, Row1: min(r1, r2), Row2: max(r1, r2), Col1: min(c1, c2) - 1, Col2: max(c1, c2) - 1}
	if m.Row1 == m.Row2 && m.Col1 == m.Col2 {
		return nil, false
	}
	return m, true
}
