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

	"github.com/xuri/excelize/v2"
)

// odsFile writes an OpenDocument spreadsheet whose first table's rows
// are written by fill after a header row, content.xml streamed through
// deflate.
func odsFile(t testing.TB, fill func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	m, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	io.WriteString(m, odsMime)
	mf, _ := zw.Create("META-INF/manifest.xml")
	io.WriteString(mf, `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`)
	w, _ := zw.Create("content.xml")
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">`)
	io.WriteString(w, `<table:table-row><table:table-cell office:value-type="string"><text:p>userId</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>firstName</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>lastName</text:p></table:table-cell></table:table-row>`)
	fill(w)
	io.WriteString(w, `</table:table></office:spreadsheet></office:body></office:document-content>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadODS_bombs: what a few MB of .ods can claim — a million rows,
// one row repeated a million times, a filled cell repeated across every
// column of many rows, a 300 MB cell, 256 MB unpacked, nesting ten
// thousand deep — is refused while content.xml is streamed, allocating
// a few MB beyond the file.
func TestReadODS_bombs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 300 MB through deflate")
	}
	cell := func(v string) string {
		return `<table:table-cell office:value-type="string"><text:p>` + v + `</text:p></table:table-cell>`
	}
	cases := []struct {
		name, want string
		fill       func(w io.Writer)
	}{
		{"rows", "a sheet has more than 101000 rows", func(w io.Writer) {
			for i := 2; i <= 1<<20; i++ {
				fmt.Fprintf(w, `<table:table-row>%s</table:table-row>`, cell(fmt.Sprintf("u%d@x.com", i)))
			}
		}},
		{"repeated-rows", "a sheet has more than 101000 rows", func(w io.Writer) {
			fmt.Fprintf(w, `<table:table-row table:number-rows-repeated="1000000">%s%s%s</table:table-row>`, cell("u@x.com"), cell("A"), cell("B"))
		}},
		{"repeated-cells", "more than 2000000 filled cells", func(w io.Writer) {
			fmt.Fprintf(w, `<table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>`)
		}},
		{"cell", "holds a value longer than 32767 characters", func(w io.Writer) {
			io.WriteString(w, `<table:table-row><table:table-cell office:value-type="string"><text:p>`)
			chunk := strings.Repeat("A", 1<<20)
			for range 300 {
				io.WriteString(w, chunk)
			}
			io.WriteString(w, `</text:p></table:table-cell></table:table-row>`)
		}},
		{"size", "unpacks to more than 256 MB", func(w io.Writer) {
			c := cell(strings.Repeat("A", 30000))
			for range 10000 {
				io.WriteString(w, `<table:table-row>`+c+`</table:table-row>`)
			}
		}},
		{"deep", "nests too deeply", func(w io.Writer) {
			io.WriteString(w, `<table:table-row><table:table-cell office:value-type="string"><text:p>`)
			io.WriteString(w, strings.Repeat(`<text:span>`, 10000))
			io.WriteString(w, strings.Repeat(`</text:span>`, 10000))
			io.WriteString(w, `</text:p></table:table-cell></table:table-row>`)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := odsFile(t, tc.fill)
			if dir := os.Getenv("BWBULK_BOMB_DIR"); dir != "" {
				os.WriteFile(dir+"/bomb-"+tc.name+".ods", b, 0o644)
			}
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			tab, err := ReadFile(context.Background(), "bomb.ods", bytes.NewReader(b), nil)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != "ODS" || len(tab.Problems) != 1 || !strings.Contains(tab.Problems[0].Msg, tc.want) || len(tab.Records) != 0 {
				t.Fatalf("%s: problems %v, %d records", tab.Format, tab.Problems, len(tab.Records))
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %d KB file refused after allocating %d MB: %s", tc.name, len(b)>>10, alloc>>20, tab.Problems[0].Msg)
			if alloc > uint64(len(b))+160<<20 {
				t.Errorf("allocated %d MB to refuse a %d KB file", alloc>>20, len(b)>>10)
			}
		})
	}
}

// TestReadXLSX_encryptedBomb: an encrypted workbook is decrypted, then
// scanned with the same limits as any other before it is opened.
func TestReadXLSX_encryptedBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million rows")
	}
	b := bombWorkbook(t, func(w io.Writer) {
		for i := 2; i <= 1<<20; i++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>u%d@x.com</t></is></c></row>`, i, i, i)
		}
	})
	enc, err := excelize.Encrypt(b, &excelize.Options{Password: "open sesame"})
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BWBULK_BOMB_DIR"); dir != "" {
		os.WriteFile(dir+"/bomb-encrypted-open-sesame.xlsx", enc, 0o644)
	}
	if _, err := ReadFile(context.Background(), "bomb.xlsx", bytes.NewReader(enc), nil); err == nil {
		t.Fatal("opened without its password")
	}
	tab, err := ReadFile(context.Background(), "bomb.xlsx", bytes.NewReader(enc), &ReadOptions{Password: "open sesame"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Problems) != 1 || !strings.Contains(tab.Problems[0].Msg, "a sheet has more than 101000 rows") {
		t.Fatalf("problems %v, %d records", tab.Problems, len(tab.Records))
	}
	if _, err := ReadFile(context.Background(), "bomb.xlsx", bytes.NewReader(enc), &ReadOptions{Password: "wrong"}); !isWrongPassword(err) {
		t.Errorf("wrong password: %v", err)
	}
}

func isWrongPassword(err error) bool {
	e, ok := err.(*EncryptedError)
	return ok && e.Wrong
}
