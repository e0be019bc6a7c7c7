package wizard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestProblems_roundTrip is the fix-and-re-import loop: the preview's
// rows with problems go out with an Error column, come back fixed (as CSV
// and as XLSX) and replace exactly those rows.
func TestProblems_roundTrip(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			m := hqModel(t, 10)
			m.Device.MACAddress = "0004f2{{ index | pad 6 }}"
			m.SetCell(2, ColMACAddress, "00:04:F2:AA:BB")
			m.SetCell(5, ColFirstName, "")
			m.SetCell(7, ColExtension, "1")
			p, err := m.Preview()
			if err != nil {
				t.Fatal(err)
			}
			before := append([]Row(nil), p.Rows...)
			prs := PreviewProblemRows(p)
			if len(prs) != 3 || prs[0].Num != 3 || prs[1].Num != 6 || prs[2].Num != 8 {
				t.Fatalf("problem rows %+v", prs)
			}
			if !strings.HasPrefix(prs[0].Errors[0], "MAC address: has 5 groups") {
				t.Errorf("error text %q", prs[0].Errors)
			}
			sheet := ProblemsSheet(prs)
			if sheet.Header[0] != HeaderRowName || sheet.Header[1] != HeaderErrorName || len(sheet.Rows) != 3 {
				t.Fatalf("sheet %q, %d rows", sheet.Header, len(sheet.Rows))
			}
			// The user fixes the three rows in the spreadsheet.
			col := func(c Column) int {
				for j, h := range sheet.Header {
					if h == c.FileHeader() {
						return j
					}
				}
				t.Fatalf("no column %s", c)
				return -1
			}
			sheet.Rows[0][col(ColMACAddress)] = "00:04:F2:AA:BB:03"
			sheet.Rows[1][col(ColFirstName)] = "Fixed"
			sheet.Rows[2][col(ColExtension)] = "0107"
			var buf bytes.Buffer
			var tab *Table
			if format == "csv" {
				if err := ExportCSV(&buf, sheet); err != nil {
					t.Fatal(err)
				}
				tab, err = ReadCSV(context.Background(), &buf, nil)
			} else {
				if err := ExportXLSX(&buf, []Sheet{sheet}, ""); err != nil {
					t.Fatal(err)
				}
				tab, err = ReadXLSX(context.Background(), &buf, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			imp, err := tab.Import(context.Background(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(imp.Problems) != 0 || len(imp.Checks) != 0 || fmt.Sprint(imp.Replace) != "[3 6 8]" {
				t.Fatalf("re-import: %v %v replace %v", imp.Problems, imp.Checks, imp.Replace)
			}
			n, err := m.ApplyFixes(imp, p.Rows)
			if err != nil || n != 3 {
				t.Fatalf("ApplyFixes = %d, %v", n, err)
			}
			p2, err := m.Preview()
			if err != nil {
				t.Fatal(err)
			}
			if !p2.Valid() {
				t.Fatalf("still problems: %v", p2.Problems())
			}
			for i := range p2.Rows {
				want := before[i]
				switch i {
				case 2:
					want.Set(ColMACAddress, "0004F2AABB03")
				case 5:
					// The user id template reads the first name: what
					// derives from it follows the fix.
					want.Set(ColFirstName, "Fixed")
					want.Set(ColCLIDFirstName, "Fixed")
					for _, c := range []Column{ColUserID, ColDeviceName, ColLinePort, ColEmail} {
						want.Set(c, "fixed"+want.Get(c))
					}
				case 7:
					want.Set(ColExtension, "0107")
				}
				if p2.Rows[i] != want {
					t.Errorf("row %d:\n got %v\nwant %v", i+1, p2.Rows[i].Fields(), want.Fields())
				}
			}
		})
	}
}

// TestApplyFixes_wrongFile: a file without the row column, or one that
// names rows the preview does not have, changes nothing.
func TestApplyFixes_wrongFile(t *testing.T) {
	m := hqModel(t, 3)
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := ReadCSV(context.Background(), strings.NewReader("userId,firstName,lastName\na@x.com,A,B\n"), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	if _, err := m.ApplyFixes(imp, p.Rows); err == nil {
		t.Error("a plain file was taken as fixes")
	}
	tab, _ = ReadCSV(context.Background(), strings.NewReader("Preview row,userId,firstName,lastName\n9,a@x.com,A,B\n"), nil)
	imp, _ = tab.Import(context.Background(), nil, nil)
	if _, err := m.ApplyFixes(imp, p.Rows); err == nil || len(m.Edits) != 0 {
		t.Errorf("row 9 of 3: %v, edits %v", err, m.Edits)
	}
}

// TestTemplate: the template workbook has friendly headers, one example
// row that imports without a problem, and a column guide.
func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := ExportXLSX(&buf, TemplateSheets(), ""); err != nil {
		t.Fatal(err)
	}
	cells := xlsxCells(t, buf.Bytes(), "")
	users, guide := cells[SheetUsers], cells["Column guide"]
	if len(users) != 2 || users[0][0] != "User ID" || users[0][1] != "First name" || len(guide) != NumColumns+1 {
		t.Fatalf("users %q, guide %d rows", users, len(guide))
	}
	rows, ps, err := ImportXLSX(bytes.NewReader(buf.Bytes()))
	if err != nil || len(ps) != 0 || len(rows) != 1 || rows[0].Get(ColMACAddress) != "0004F2AABBCC" || rows[0].Get(ColZip) != "02134" {
		t.Errorf("template import: %v %v %v", rows, ps, err)
	}
}

// TestFillDefaults: a file with device types but no device name or
// line/port columns gets the wizard's defaults; a blank cell in a column
// the file has stays blank.
func TestFillDefaults(t *testing.T) {
	in := "userId,firstName,lastName,deviceType\n" +
		"ann@acme.example.com,Ann,Lee,Polycom VVX 450\n" +
		"bo@acme.example.com,Bo,Ray,\n"
	tab, _ := ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	if len(imp.Checks) != 2 {
		t.Fatalf("before: %v", imp.Checks)
	}
	notes := FillDefaults(imp, "acme.example.com")
	if len(notes) != 2 || notes[0].Count != 1 || len(imp.Checks) != 0 {
		t.Errorf("notes %v, checks left %v", notes, imp.Checks)
	}
	r := imp.Rows[0]
	if r.Get(ColDeviceName) != "ann-phone" || r.Get(ColLinePort) != "ann@acme.example.com" || imp.Rows[1].Get(ColDeviceName) != "" {
		t.Errorf("rows %v / %v", r.Fields(), imp.Rows[1].Fields())
	}
	var none Target
	if ps := ValidateRow(none, r); len(ps) != 0 {
		t.Errorf("still: %v", ps)
	}
	in2 := "userId,firstName,lastName,deviceType,deviceName,linePort\nann@acme.example.com,Ann,Lee,Polycom VVX 450,,\n"
	tab, _ = ReadCSV(context.Background(), strings.NewReader(in2), nil)
	imp, _ = tab.Import(context.Background(), nil, nil)
	if notes := FillDefaults(imp, "acme.example.com"); len(notes) != 0 || imp.Rows[0].Get(ColDeviceName) != "" {
		t.Errorf("filled a column the file has: %v", notes)
	}
}

// TestImportXLSX_typedCells checks the typed-cell corpus file cell by
// cell: what is refused wraps ErrFormat and names the cell; text keeps its
// zeros.
func TestImportXLSX_typedCells(t *testing.T) {
	b, err := readTestFile("testdata/import/excel-typed-cells.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadXLSX(context.Background(), bytes.NewReader(b), nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, _ := tab.Import(context.Background(), nil, nil)
	refused := map[string]string{}
	for _, p := range imp.Problems {
		if p.Err != ErrFormat {
			t.Errorf("%v does not wrap ErrFormat", p)
		}
		refused[fmt.Sprintf("%s%d", p.Letter, p.Row)] = p.Msg
	}
	for cell, want := range map[string]string{
		"D3": "Excel stored this as a date", "A4": "is a formula", "D5": "shows it as \"2.03E+09\"",
		"F5": "Excel stored this as TRUE", "D7": "15 digits", "G8": "is a formula (=NA())",
	} {
		if !strings.Contains(refused[cell], want) {
			t.Errorf("%s: %q, want %q", cell, refused[cell], want)
		}
	}
	if len(refused) != 6 {
		t.Errorf("refused %v", refused)
	}
	last := imp.Rows[len(imp.Rows)-1]
	if last.Get(ColPhoneNumber) != "002025550107" || last.Get(ColExtension) != "0107" {
		t.Errorf("text cells lost their zeros: %v", last.Fields())
	}
	if imp.Rows[4].Get(ColExtension) != "105" {
		t.Errorf("number 105 read as %q", imp.Rows[4].Get(ColExtension))
	}
}

// FuzzImportXLSX writes workbooks of typed cells (text, integers, floats,
// dates, booleans, formulas) from the fuzzer's bytes and imports them:
// no panic, text comes back as written (spaces tidied), and every cell
// that is not text is either taken as shown or refused by name.
func FuzzImportXLSX(f *testing.F) {
	f.Add([]byte("\x00jo@x.com\x00\x00Jo\x00\x00Doe\x00\x012025550100\x00\x03x\x00\x05A1\x00"))
	f.Add([]byte("\x00a@x.com\x00\x00A\x00\x00B\x00\x02\x00\x04\x00\x00'=1\x00\x01007\x00"))
	f.Add([]byte("\x00a@x.com\x00\x00 A  b \x00\x00B\x00\x00\x00\x00\x00"))
	header := []any{"User ID", "First Name", "Last Name", "Extension", "Title", "City"}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 600 {
			return
		}
		x := excelize.NewFile()
		defer x.Close()
		x.SetSheetRow("Sheet1", "A1", &header)
		type written struct {
			kind byte
			text string
		}
		want := map[string]written{}
		// Cells: a kind byte, then text up to a NUL.
		row, col := 2, 0
		for len(b) > 0 {
			kind := b[0] % 6
			b = b[1:]
			end := bytes.IndexByte(b, 0)
			if end < 0 {
				end = len(b)
			}
			text := string(b[:end])
			b = b[min(end+1, len(b)):]
			cell, _ := excelize.CoordinatesToCellName(col+1, row)
			switch kind {
			case 0:
				x.SetCellStr("Sheet1", cell, text)
			case 1:
				x.SetCellInt("Sheet1", cell, int64(len(text))*1000003)
			case 2:
				x.SetCellFloat("Sheet1", cell, float64(len(text))/7, -1, 64)
			case 3:
				x.SetCellInt("Sheet1", cell, 45000+int64(len(text)))
				st, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
				x.SetCellStyle("Sheet1", cell, cell, st)
			case 4:
				x.SetCellBool("Sheet1", cell, len(text)%2 == 0)
			case 5:
				x.SetCellFormula("Sheet1", cell, "LEN(\"a\")")
			}
			want[cell] = written{kind, text}
			if col++; col == len(header) {
				col, row = 0, row+1
			}
			if row > 6 {
				break
			}
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			return
		}
		tab, err := ReadXLSX(context.Background(), &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		imp, err := tab.Import(context.Background(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		refused := map[string]bool{}
		for _, p := range imp.Problems {
			if p.Msg == "" {
				t.Fatalf("empty problem %+v", p)
			}
			if p.Letter != "" && p.Row > 1 {
				refused[fmt.Sprintf("%s%d", p.Letter, p.Row)] = true
			}
		}
		cols := []Column{ColUserID, ColFirstName, ColLastName, ColExtension, ColTitle, ColCity}
		for i, r := range imp.Rows {
			for j, c := range cols {
				cell, _ := excelize.CoordinatesToCellName(j+1, imp.SourceRows[i])
				w, ok := want[cell]
				if !ok {
					continue
				}
				got := r.Get(c)
				switch {
				case w.kind == 0:
					if clean, _ := cleanSpace(w.text); got != clean && !refused[cell] && !strings.ContainsRune(w.text, '\ufffd') && w.text == strings.ToValidUTF8(w.text, "") {
						t.Fatalf("%s: text %q came back %q", cell, w.text, got)
					}
				case w.kind == 1:
					if n := fmt.Sprint(int64(len(w.text)) * 1000003); got != n && !refused[cell] {
						t.Fatalf("%s: number %s came back %q", cell, n, got)
					}
				case w.kind >= 3:
					if !refused[cell] {
						t.Fatalf("%s: a cell of kind %d was not refused (got %q)", cell, w.kind, got)
					}
				}
			}
		}
	})
}

// TestWorkbooks_libreoffice opens the template and an Export problems
// workbook in LibreOffice (when installed) and reads what it makes of
// their first sheet back: every header and value survives, "=" and "-"
// values stay text.
func TestWorkbooks_libreoffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Skip("libreoffice not installed")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	var r Row
	for c, v := range map[Column]string{ColUserID: "x@acme.example.com", ColFirstName: "=cmd|' /C calc'!A0", ColLastName: "-Lee",
		ColCLIDFirstName: "=cmd|' /C calc'!A0", ColCLIDLastName: "-Lee", ColExtension: "0042", ColMACAddress: "00:04:F2"} {
		r.Set(c, v)
	}
	problems := ProblemsSheet([]ProblemRow{{Num: 7, Row: r, Errors: []string{"MAC address: too short", "Extension: taken"}}})
	dir := t.TempDir()
	for name, sheets := range map[string][]Sheet{"template": TemplateSheets(), "problems": {problems}} {
		var buf bytes.Buffer
		if err := ExportXLSX(&buf, sheets, ""); err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("libreoffice: %v\n%s", err, out)
		}
		got, err := os.ReadFile(filepath.Join(dir, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		tab, err := ReadCSV(context.Background(), bytes.NewReader(got), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := sheets[0]
		if !slices.Equal(tab.Header, want.Header) || len(tab.Records) != len(want.Rows) {
			t.Fatalf("%s: header %q, %d rows", name, tab.Header, len(tab.Records))
		}
		for i, rec := range tab.Records {
			for j, c := range rec.Cells {
				if c.Text != want.Rows[i][j] {
					t.Errorf("%s row %d col %d: %q, want %q", name, i+2, j+1, c.Text, want.Rows[i][j])
				}
			}
		}
		t.Logf("%s.xlsx: LibreOffice read %d columns × %d rows as written", name, len(tab.Header), len(tab.Records))
	}
}

// TestAdoptGroupNumbers: a number the group lists in another form is
// written as the group lists it, with a note; others are left alone.
func TestAdoptGroupNumbers(t *testing.T) {
	in := "userId,firstName,lastName,phoneNumber\n" +
		"a@x.com,A,B,+1 (202) 555-0160\n" + // → +1-2025550160 on reading, 2025550160 here
		"b@x.com,C,D,2025550161\n" + // the group writes it +1-2025550161
		"c@x.com,E,F,2025550199\n" // not the group's: left for the preview to say
	tab, _ := ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	notes := AdoptGroupNumbers(imp, &GroupFacts{AvailableNumbers: []string{"2025550160", "+1-2025550161"}})
	got := []string{imp.Rows[0].Get(ColPhoneNumber), imp.Rows[1].Get(ColPhoneNumber), imp.Rows[2].Get(ColPhoneNumber)}
	if fmt.Sprint(got) != "[2025550160 +1-2025550161 2025550199]" {
		t.Errorf("numbers %q", got)
	}
	if len(notes) != 1 || notes[0].Count != 2 || notes[0].Row != 2 || notes[0].From != "+1-2025550160" {
		t.Errorf("notes %+v", notes)
	}
}
