package wizard

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

// bombWorkbook writes a zip workbook whose sheet is body (written by
// fill, streamed through deflate): a few MB on disk, any size unpacked.
func bombWorkbook(t testing.TB, fill func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	part := func(name, s string) {
		w, _ := zw.Create(name)
		io.WriteString(w, s)
	}
	part("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Users" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	io.WriteString(w, `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>userId</t></is></c><c r="B1" t="inlineStr"><is><t>firstName</t></is></c><c r="C1" t="inlineStr"><is><t>lastName</t></is></c></row>`)
	fill(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadXLSX_bombs: a sheet of 1,048,576 rows, a 300 MB cell and a
// sheet that unpacks past MaxUnpackedSize are refused while they are
// decompressed, allocating a few MB beyond the file itself.
// BWBULK_BOMB_DIR=DIR writes the files there (to measure bwbulk
// validate's RSS on them).
func TestReadXLSX_bombs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 300 MB through deflate")
	}
	cases := []struct {
		name, want string
		fill       func(w io.Writer)
	}{
		{"rows", "a sheet has more than 101000 rows", func(w io.Writer) {
			for i := 2; i <= 1<<20; i++ {
				fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>u%d@x.com</t></is></c></row>`, i, i, i)
			}
		}},
		{"cell", "holds a value longer than 32767 characters", func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			chunk := strings.Repeat("A", 1<<20)
			for range 300 {
				io.WriteString(w, chunk)
			}
			io.WriteString(w, `</t></is></c></row>`)
		}},
		{"size", "unpacks to more than 256 MB", func(w io.Writer) {
			cell := `<c r="A2" t="inlineStr"><is><t>` + strings.Repeat("A", 30000) + `</t></is></c>`
			io.WriteString(w, `<row r="2">`)
			for range 10000 {
				io.WriteString(w, cell)
			}
			io.WriteString(w, `</row>`)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := bombWorkbook(t, tc.fill)
			if dir := os.Getenv("BWBULK_BOMB_DIR"); dir != "" {
				os.WriteFile(dir+"/bomb-"+tc.name+".xlsx", b, 0o644)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			tab, err := ReadXLSX(context.Background(), bytes.NewReader(b), nil)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Problems) != 1 || !strings.Contains(tab.Problems[0].Msg, tc.want) || len(tab.Records) != 0 {
				t.Fatalf("problems %v, %d records", tab.Problems, len(tab.Records))
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d KB file refused after allocating %d MB: %s", tc.name, len(b)>>10, alloc>>20, tab.Problems[0].Msg)
			// The bound is far below what reading the bomb would take (GBs);
			// it leaves room for the race detector and tests running beside
			// this one, which TotalAlloc counts too (41 MB seen under -race
			// for the 8 MB rows bomb, 20 MB without).
			if alloc > uint64(len(b))+96<<20 {
				t.Errorf("allocated %d MB to refuse a %d KB file", alloc>>20, len(b)>>10)
			}
		})
	}
}

// TestReadCSV_hugeCell: a 40 MB value is refused by row and column, and
// the rows around it are read.
func TestReadCSV_hugeCell(t *testing.T) {
	in := "userId,firstName,lastName\na@x.com,A,B\nb@x.com," + strings.Repeat("x", 40<<20) + ",C\nc@x.com,E,F\n"
	tab, err := ReadCSV(context.Background(), strings.NewReader(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Problems) != 1 || tab.Problems[0].Row != 3 || tab.Problems[0].Letter != "B" || len(tab.Records) != 3 {
		t.Fatalf("problems %v, %d records", tab.Problems, len(tab.Records))
	}
}
