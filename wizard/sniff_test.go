package wizard

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// zipOf writes a zip of the named parts (the mimetype stored first, as
// OpenDocument wants it).
func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		h := &zip.FileHeader{Name: parts[i], Method: zip.Deflate}
		if parts[i] == "mimetype" {
			h.Method = zip.Store
		}
		w, _ := zw.CreateHeader(h)
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadFile_byContent: the content decides the format, whatever the
// name says, and what is not a list of users is one problem saying what
// to save it as.
func TestReadFile_byContent(t *testing.T) {
	xlsx, err := os.ReadFile("testdata/import/excel-typed-cells.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	ods, err := os.ReadFile("testdata/import/libreoffice-typed-cells.ods")
	if err != nil {
		t.Fatal(err)
	}
	csv := "userId,firstName,lastName\na@x.com,A,B\n"
	for _, tc := range []struct {
		name   string
		b      []byte
		format string
		want   string // the one problem, or the first note when users are read
	}{
		{"users.csv", xlsx, "XLSX", ""},
		{"users.xlsx", ods, "ODS", ""},
		{"users.xls", []byte(csv), "CSV", "the file is named .xls but holds text: it was read as CSV"},
		{"users.ods", []byte("\ufeff" + csv), "CSV", "the file is named .ods but holds text"},
		{"users.xls", []byte("  <!DOCTYPE html><html><table><tr><td>userId</td></tr></table>"), "CSV", "this is a web page (HTML)"},
		{"users.xls", []byte(`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>`), "CSV", "this is an Excel 2003 XML spreadsheet"},
		{"users.csv", zipOf(t, "word/document.xml", "<w/>", "[Content_Types].xml", "<x/>"), "XLSX", "this is a Word document, not a spreadsheet"},
		{"users.ods", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<x/>"), "XLSX", "this is an OpenDocument text document"},
		{"users.zip", zipOf(t, "a.txt", "x"), "XLSX", "this is a ZIP archive, not an XLSX workbook nor an OpenDocument spreadsheet"},
		{"users.ods", zipOf(t, "mimetype", odsMime, "META-INF/manifest.xml", `<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`, "content.xml", "\x01\x02"), "ODS", "protected by a password"},
		{"users.ods", zipOf(t, "mimetype", odsMime, "content.xml", odsHead+"<table:table-row><table:table-cell"), "ODS", "damaged and cannot be read"},
	} {
		t.Run(tc.name+" "+tc.format+" "+tc.want, func(t *testing.T) {
			tab, err := ReadFile(context.Background(), tc.name, bytes.NewReader(tc.b), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != tc.format {
				t.Errorf("format %s, want %s", tab.Format, tc.format)
			}
			switch {
			case tc.want == "":
				if len(tab.Records) == 0 {
					t.Errorf("no records: %v", tab.Problems)
				}
			case len(tab.Records) > 0:
				if len(tab.Notes) == 0 || !strings.Contains(tab.Notes[0].Text, tc.want) {
					t.Errorf("notes %v", tab.Notes)
				}
			default:
				if len(tab.Problems) != 1 || !strings.Contains(tab.Problems[0].Msg, tc.want) {
					t.Errorf("problems %v", tab.Problems)
				}
			}
		})
	}
}

// TestReadODS_cells: the sheet named Users is read over the first; a
// comment is not the cell's text; spaces (text:s), tabs, line breaks
// and paragraphs are; repeated cells and rows are laid out; typed cells
// are typed; a row repeated under a merge is filled once per row.
func TestReadODS_cells(t *testing.T) {
	str := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	head := `<table:table-row>` + str("userId") + str("firstName") + str("lastName") + str("department") + `</table:table-row>`
	doc := strings.Replace(odsHead, `table:name="Users"`, `table:name="Notes"`, 1) + `<table:table-row>` + str("not this sheet") + `</table:table-row></table:table>` +
		`<table:table table:name="Users">` + head +
		`<table:table-row>` + str("a@x.com") +
		`<table:table-cell office:value-type="string"><office:annotation><text:p>a comment</text:p></office:annotation><text:p>Ann<text:s text:c="2"/>Marie</text:p></table:table-cell>` +
		str(`Lee<text:tab/>Jr<text:line-break/>II`) +
		`<table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>Sales</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:number-rows-repeated="2">` + str("b@x.com") + `<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell><table:covered-table-cell/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>` +
		`<table:table-row>` + str("c@x.com") + `<table:table-cell office:value-type="date" office:date-value="2025-05-06"><text:p>05/06/25</text:p></table:table-cell><table:table-cell table:formula="of:=[.A5]" office:value-type="string"><text:p>c@x.com</text:p></table:table-cell><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>WAHR</text:p></table:table-cell></table:table-row>` +
		odsTail
	tab, err := ReadFile(context.Background(), "u.ods", bytes.NewReader(odsWith([]byte(doc))), nil)
	if err != nil || len(tab.Problems) != 0 {
		t.Fatalf("%v %v", err, tab.Problems)
	}
	if tab.Sheet != "Users" || len(tab.Records) != 4 {
		t.Fatalf("sheet %q, %d records", tab.Sheet, len(tab.Records))
	}
	r := tab.Records
	if r[0].Row != 2 || r[0].Cells[1].Text != "Ann  Marie" || r[0].Cells[2].Text != "Lee\tJr\nII" {
		t.Errorf("row 2: %+v", r[0])
	}
	if r[1].Row != 3 || r[2].Row != 4 || r[1].Cells[1].Kind != CellNumber || r[1].Cells[2].Raw != "7" || r[3].Row != 1048575 {
		t.Errorf("repeated rows: %+v / %+v / %+v", r[1], r[2], r[3])
	}
	for i := 1; i <= 2; i++ {
		if c := r[i].Cells[3]; c.Text != "Sales" || c.Merge == nil || c.Merge.Ref != "D2:D4" {
			t.Errorf("row %d under the merge: %+v", r[i].Row, c)
		}
	}
	if c := r[3].Cells; c[1].Kind != CellDate || c[2].Kind != CellFormula || c[2].Formula != "[.A5]" || c[3].Kind != CellBool || c[3].Text != "TRUE" {
		t.Errorf("typed cells: %+v", c)
	}
	imp, err := tab.Import(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	notes := ""
	for _, n := range imp.Notes {
		notes += n.String() + "\n"
	}
	if !strings.Contains(notes, "merged cells D2:D4: the value of their first cell (row 2) used in every row of the merge") {
		t.Errorf("notes:\n%s", notes)
	}
}
