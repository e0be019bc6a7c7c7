package wizard

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestReadCSV_mostlyUTF8: a UTF-8 file with one stray Windows-1252 byte
// keeps every good name as written and refuses only the cell with the
// bad byte, by row and column; the decision is said in a note.
func TestReadCSV_mostlyUTF8(t *testing.T) {
	var b strings.Builder
	b.WriteString("userId,firstName,lastName\n")
	for i, n := range []string{"Jörg", "Zoë", "Łukasz", "Ærin", "Ömer", "Çetin"} {
		b.WriteString(string(rune('a'+i)) + "x@acme.example.com," + n + ",Müller\n")
	}
	b.WriteString("bad@acme.example.com,Ren\xe9,Smith\n") // row 8
	tab, err := ReadCSV(context.Background(), strings.NewReader(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, _ := tab.Import(context.Background(), nil, nil)
	if tab.Encoding != encUTF8 {
		t.Fatalf("encoding %q", tab.Encoding)
	}
	if len(imp.Problems) != 1 || imp.Problems[0].Row != 8 || imp.Problems[0].Letter != "B" ||
		!strings.Contains(imp.Problems[0].Msg, "not UTF-8, while the rest of the file is") {
		t.Fatalf("problems %v", imp.Problems)
	}
	for _, r := range imp.Rows[:6] {
		if strings.ContainsRune(r.Get(ColFirstName), 'Ã') || r.Get(ColLastName) != "Müller" {
			t.Errorf("row re-decoded: %v", r.Fields())
		}
	}
	if imp.Rows[0].Get(ColFirstName) != "Jörg" {
		t.Errorf("first name %q", imp.Rows[0].Get(ColFirstName))
	}
	if len(imp.Notes) == 0 || !strings.HasPrefix(imp.Notes[0].String(), "read as UTF-8: 12 characters beyond ASCII are UTF-8 and 1 byte is not") {
		t.Errorf("notes %v", imp.Notes)
	}
}

// TestReadCSV_mostlyWindows1252: a Windows-1252 file with one UTF-8 name
// pasted in reads the others as Windows-1252 and refuses the pasted one
// instead of turning it into mojibake.
func TestReadCSV_mostlyWindows1252(t *testing.T) {
	in := "userId,firstName,lastName\n" +
		"a@x.com,Ren\xe9,M\xfcller\n" +
		"b@x.com,Fran\xe7ois,D\xe9j\xe0\n" +
		"c@x.com,J\xc3\xb6rg,Lee\n" // UTF-8 ö, row 4
	tab, _ := ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	if tab.Encoding != encCP1252 {
		t.Fatalf("encoding %q", tab.Encoding)
	}
	if imp.Rows[0].Get(ColFirstName) != "René" || imp.Rows[1].Get(ColLastName) != "Déjà" {
		t.Errorf("rows %v %v", imp.Rows[0].Fields(), imp.Rows[1].Fields())
	}
	if len(imp.Problems) != 1 || imp.Problems[0].Row != 4 || imp.Problems[0].Letter != "B" ||
		!strings.Contains(imp.Problems[0].Msg, "while the rest of the file is Windows-1252") {
		t.Fatalf("problems %v", imp.Problems)
	}
}

// FuzzDecodeText: whatever the bytes, the text is valid UTF-8, a valid
// UTF-8 file is taken as it is, and a file read as UTF-8 keeps every
// valid character where it was.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"J\xc3\xb6rg,\xe9", "Ren\xe9", "\xef\xbb\xbfa\xff", "a\x00b\x00", "\xc3", "\xe2\x82\xac\x80\x81"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, enc, _ := decodeText(b)
		if !utf8.ValidString(s) {
			t.Fatalf("not UTF-8: %q", s)
		}
		if utf8.Valid(b) && !bytes.HasPrefix(b, []byte(utf8BOM)) && enc == encUTF8 && s != string(b) {
			t.Fatalf("valid UTF-8 changed")
		}
		if enc == encUTF8 && strings.ReplaceAll(s, "\ufffd", "") != strings.ReplaceAll(strings.ToValidUTF8(string(b), "\ufffd"), "\ufffd", "") {
			t.Fatalf("UTF-8 text changed")
		}
	})
}
