package wizard

import (
	"bytes"
	"unicode/utf8"
)

// magics are the first bytes of the files most often picked by mistake in
// place of a CSV, and what to call them.
var magics = []struct {
	prefix, what string
}{
	{"PK\x03\x04", "a ZIP archive (an XLSX workbook is one: give it the .xlsx extension)"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an Excel 97-2003 workbook (.xls) or another Office file: save it as XLSX or CSV"},
	{"%PDF-", "a PDF document"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xFF\xD8\xFF", "a JPEG image"},
	{"\x1F\x8B", "a gzip archive"},
	{"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
	{"Rar!\x1A\x07", "a RAR archive"},
}

// notText returns why a file read as CSV is not one — a known binary format
// by its first bytes, or text decoded from it (s) full of control
// characters — or "" when it may be CSV. Reading such a file as rows
// would give one problem per line of noise instead of this one.
func notText(raw []byte, s string) string {
	for _, m := range magics {
		if bytes.HasPrefix(raw, []byte(m.prefix)) {
			return "not a CSV or XLSX file: it is " + m.what
		}
	}
	// Text has no NUL and almost no control characters other than tab,
	// line feed, carriage return and form feed; decoded binary has many.
	const sample = 64 << 10
	n, ctrl := 0, 0
	for i, r := range s {
		if i >= sample {
			break
		}
		n++
		switch {
		case r == 0:
			return "not a CSV or XLSX file: it holds binary data (NUL bytes)"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f', r == 0x7F, r == utf8.RuneError:
			ctrl++
		}
	}
	if n > 0 && ctrl*20 > n { // more than 5%
		return "not a CSV or XLSX file: it holds binary data"
	}
	return ""
}
