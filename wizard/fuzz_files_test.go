package wizard

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseMapping: any bytes as a --map file give a mapping or an
// error, never a panic; a mapping holds only real columns or ColNone
// ("ignore"), and written back by column name it parses to the same.
func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{"Employee No": "extension", "Cost centre": "ignore"}`))
	f.Add([]byte(`{"Handy": "Mobile", "Kostenstelle": ""}`))
	f.Add([]byte(`{"a": "userId", "A ": "phone number", "x.y": "address.city"}`))
	f.Add([]byte(`{"a": 1}`))
	f.Add([]byte(`["extension"]`))
	f.Add([]byte(`{"\u00e9": "title", "": "email"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMapping(b)
		if err != nil {
			if m != nil {
				t.Fatalf("a mapping with the error %v", err)
			}
			return
		}
		back := map[string]string{}
		for k, c := range m {
			if c != ColNone && !c.Valid() {
				t.Fatalf("%q maps to column %d", k, c)
			}
			name := "ignore"
			if c != ColNone {
				name = c.String()
			}
			back[k] = name
		}
		jb, _ := json.Marshal(back)
		m2, err := ParseMapping(jb)
		if err != nil {
			t.Fatalf("written back %s: %v", jb, err)
		}
		if len(m2) != len(m) {
			t.Fatalf("written back: %d keys, was %d", len(m2), len(m))
		}
		for k, c := range m {
			if m2[MappingKey(k)] != c {
				t.Fatalf("written back, %q is %v, was %v", k, m2[MappingKey(k)], c)
			}
		}
	})
}

// odsWith wraps content.xml into an OpenDocument spreadsheet.
func odsWith(content []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	m, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	m.Write([]byte(odsMime))
	w, _ := zw.Create("content.xml")
	w.Write(content)
	zw.Close()
	return buf.Bytes()
}

const odsHead = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Users">`
const odsTail = `</table:table></office:spreadsheet></office:body></office:document-content>`

// FuzzReadODS: any content.xml is read or refused with a problem, never
// a panic or an error; rows come in order below the header; and a text
// cell written as LibreOffice writes it (runs of spaces as text:s, tabs,
// line breaks, paragraphs) is read back as the text it holds.
func FuzzReadODS(f *testing.F) {
	if b, err := os.ReadFile("testdata/import/libreoffice-merged-hidden-title.ods"); err == nil {
		if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
			for _, zf := range zr.File {
				if zf.Name == "content.xml" {
					f.Add([]byte(zipEntryStart(zf, 1<<20)), "Hana  Abe")
				}
			}
		}
	}
	f.Add([]byte(odsHead+`<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>`+odsTail), "a\tb")
	f.Add([]byte(odsHead+`<table:table-row><table:table-cell table:number-rows-spanned="9" table:number-columns-spanned="99999999"><text:p>x<text:s text:c="999999999"/></text:p></table:table-cell><table:covered-table-cell/></table:table-row>`+odsTail), "")
	f.Add([]byte(odsHead+`<table:table-column table:number-columns-repeated="2000000000" table:visibility="collapse"/>`+odsTail), "x\ny")
	f.Fuzz(func(t *testing.T, content []byte, text string) {
		if len(content) > 1<<16 || len(text) > 200 {
			return
		}
		tab, err := ReadFile(context.Background(), "f.ods", bytes.NewReader(odsWith(content)), nil)
		if err != nil {
			t.Fatalf("error %v", err)
		}
		last := tab.HeaderRow
		for _, r := range tab.Records {
			if r.Row <= last {
				t.Fatalf("row %d after row %d", r.Row, last)
			}
			last = r.Row
		}
		// The round trip of one text cell.
		if !utf8.ValidString(text) || strings.TrimSpace(text) == "" || strings.ContainsFunc(text, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' || r == 0xFFFD || r >= 0xD800 && r < 0xE000 || r == 0xFFFE || r == 0xFFFF
		}) {
			return
		}
		var cell strings.Builder
		cell.WriteString(`<table:table-cell office:value-type="string">`)
		for i, para := range strings.Split(text, "\n") {
			_ = i
			cell.WriteString("<text:p>")
			for k, run := range strings.Split(para, "\t") {
				if k > 0 {
					cell.WriteString("<text:tab/>")
				}
				// Spaces after the first of a run as text:s, as Calc does.
				for len(run) > 0 {
					sp := len(run) - len(strings.TrimLeft(run, " "))
					switch {
					case sp > 1:
						cell.WriteString(" <text:s text:c=\"" + itoa(sp-1) + "\"/>")
						run = run[sp:]
					case sp == 1:
						cell.WriteString(" ")
						run = run[1:]
					default:
						end := strings.IndexByte(run, ' ')
						if end < 0 {
							end = len(run)
						}
						xml.EscapeText(&cell, []byte(run[:end]))
						run = run[end:]
					}
				}
			}
			cell.WriteString("</text:p>")
		}
		cell.WriteString(`</table:table-cell>`)
		doc := odsHead + `<table:table-row><table:table-cell office:value-type="string"><text:p>userId</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>title</text:p></table:table-cell></table:table-row>` +
			`<table:table-row><table:table-cell office:value-type="string"><text:p>a@x.com</text:p></table:table-cell>` + cell.String() + `</table:table-row>` + odsTail
		tab, err = ReadFile(context.Background(), "f.ods", bytes.NewReader(odsWith([]byte(doc))), nil)
		if err != nil || len(tab.Records) != 1 || len(tab.Records[0].Cells) < 2 {
			t.Fatalf("round trip of %q: %v, %+v", text, err, tab)
		}
		if got := tab.Records[0].Cells[1].Text; got != text {
			t.Fatalf("round trip: %q, want %q", got, text)
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
