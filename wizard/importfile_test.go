package wizard

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// importWhole is ImportFile the long way: the whole table read, then
// imported.
func importWhole(t *testing.T, name string, b []byte, m Mapping) *Import {
	t.Helper()
	tb, err := ReadFile(context.Background(), name, bytes.NewReader(b), nil)
	if err != nil {
		return nil
	}
	imp, err := tb.Import(context.Background(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

// sameImport fails t unless ImportFile gave what reading the whole table
// and importing it gives: rows, problems, checks and notes, in order.
func sameImport(t *testing.T, name string, b []byte, m Mapping) {
	t.Helper()
	want := importWhole(t, name, b, m)
	var header []string
	got, err := ImportFile(context.Background(), name, bytes.NewReader(b), nil, func(tb *Table) (Mapping, error) {
		header = tb.Header
		return m, nil
	})
	if want == nil { // an encrypted workbook, without its password
		_, werr := ReadFile(context.Background(), name, bytes.NewReader(b), nil)
		if err == nil || err.Error() != werr.Error() {
			t.Errorf("%s: ImportFile error %v, ReadFile's %v", name, err, werr)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(header, want.Table.Header) {
		t.Errorf("mapping asked for header %q, the file's is %q", header, want.Table.Header)
	}
	for what, pair := range map[string][2]any{
		"rows":        {got.Rows, want.Rows},
		"source rows": {got.SourceRows, want.SourceRows},
		"columns":     {got.Columns, want.Columns},
		"replace":     {got.Replace, want.Replace},
		"problems":    {got.Problems, want.Problems},
		"checks":      {got.Checks, want.Checks},
		"notes":       {got.Notes, want.Notes},
		"ignored":     {got.Ignored, want.Ignored},
		"target":      {[2]string{got.ServiceProvider, got.Group}, [2]string{want.ServiceProvider, want.Group}},
	} {
		g, w := pair[0], pair[1]
		if reflect.ValueOf(w).Kind() == reflect.Slice && reflect.ValueOf(w).Len() == 0 && reflect.ValueOf(g).Len() == 0 {
			continue // nil and empty alike
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s\n%v\nwant\n%v", name, what, g, w)
		}
	}
	if got.Table != nil && len(got.Table.Records) > 0 && strings.HasSuffix(name, ".csv") {
		t.Errorf("%s: the import holds the file's %d records", name, len(got.Table.Records))
	}
}

// ImportFile imports every file of testdata/import as reading the whole
// table and importing it does.
func TestImportFile_corpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "import", "*"))
	n := 0
	for _, p := range files {
		if strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".md") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n++
		sameImport(t, filepath.Base(p), b, nil)
	}
	if n < 10 {
		t.Fatalf("%d files in testdata/import", n)
	}
}

// The rows past the first ten (where the header is looked for), title
// rows above the header, a mapping, a file of no users and a refused
// mapping.
func TestImportFile_stream(t *testing.T) {
	var b strings.Builder
	b.WriteString("Hires of May\n\nuserId,firstName,lastName,Cost centre,phoneNumber\n")
	for i := range 40 {
		switch i {
		case 12:
			b.WriteString("u12@x.com,\"Un\"closed,B,1,\n") // text after a closing quote
		case 20:
			b.WriteString("u3@x.com,Again,B,2,\n") // the user id of row 3 again
		case 30:
			b.WriteString(",,,,\n")
		default:
			b.WriteString("u" + strings.Repeat("1", i%3) + string(rune('a'+i%26)) + "@x.com,A,B,3,+1 202 555 01" + string(rune('0'+i%10)) + "\n")
		}
	}
	sameImport(t, "hires.csv", []byte(b.String()), Mapping{MappingKey("Cost centre"): ColNone})
	sameImport(t, "hires.csv", []byte(b.String()), nil)
	sameImport(t, "few.csv", []byte("userId,firstName,lastName\na@x.com,A,B\n"), nil)
	sameImport(t, "none.csv", []byte("userId,firstName,lastName\n"), nil)
	sameImport(t, "empty.csv", nil, nil)
	sameImport(t, "named.xlsx", []byte("userId,firstName,lastName\na@x.com,A,B\n"), nil)

	refused := errors.New("no mapping")
	_, err := ImportFile(context.Background(), "a.csv", strings.NewReader(b.String()), nil, func(*Table) (Mapping, error) { return nil, refused })
	if !errors.Is(err, refused) {
		t.Errorf("a refused mapping: %v", err)
	}
}

// FuzzImportFile: any bytes, imported as they are read, give what
// reading the whole file and importing it gives.
func FuzzImportFile(f *testing.F) {
	for _, s := range []string{
		hdr + "\na@x.com,A,B\n",
		"Title\n\n" + hdr + ",phone\na@x.com,A,B,2025550100\nb@x.com,A,B,2025550100\n",
		"sep=;\nuserId;firstName;lastName\n\"a@x.com\";A;\"B\n",
		"\ufeffuserId,firstName,lastName,row,errorCode\na,b,c,1,0\n",
		"userId,firstName,lastName,groupId\na,b,c,g1\nd,e,f,g2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sameImport(t, "users.csv", b, nil)
	})
}
