package wizard_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	goldenfile "bwbulk/internal/golden"
	"bwbulk/wizard"
)

// readFile reads a corpus file as the import screen does: its format
// from its content (wizard.ReadFile).
func readFile(t *testing.T, path, password string) (*wizard.Table, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wizard.ReadFile(context.Background(), filepath.Base(path), bytes.NewReader(b), &wizard.ReadOptions{Password: password})
}

// report is what the import screen would say about a file, as text.
func report(t *wizard.Table, imp *wizard.Import, unmapped []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s", t.Format)
	if t.Encoding != "" {
		fmt.Fprintf(&b, ", encoding: %s, separator: %q", t.Encoding, t.Separator)
	}
	fmt.Fprintf(&b, "\nheader row: %d\nunknown columns: %q\nusers: %d\n", t.HeaderRow, unmapped, len(imp.Rows))
	if imp.ServiceProvider != "" || imp.Group != "" {
		fmt.Fprintf(&b, "target: %s / %s\n", imp.ServiceProvider, imp.Group)
	}
	section := func(name string, lines []string) {
		fmt.Fprintf(&b, "%s: %d\n", name, len(lines))
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	var ps, cs, ns []string
	for _, p := range imp.Problems {
		ps = append(ps, p.Error())
	}
	for _, p := range imp.Checks {
		cs = append(cs, p.Error())
	}
	for _, n := range imp.Notes {
		ns = append(ns, n.String())
	}
	section("refused", ps)
	section("to fix in the preview", cs)
	section("changed", ns)
	section("ignored", imp.Ignored)
	for i, r := range imp.Rows {
		if i == 2 {
			break
		}
		f := r.Fields()
		keys := make([]string, 0, len(f))
		for k := range f {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "row %d:", imp.SourceRows[i])
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%q", k, f[k])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestImport_corpus reads every real-world-shaped file of
// testdata/import and compares what the import says with its .golden.
func TestImport_corpus(t *testing.T) {
	files, err := filepath.Glob("testdata/import/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") || strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".md") {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			password := ""
			if strings.Contains(path, "encrypted") {
				password = "open sesame"
			}
			tab, err := readFile(t, path, password)
			if err != nil {
				t.Fatal(err)
			}
			unmapped := tab.Unmapped(nil)
			imp, err := tab.Import(context.Background(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			// As the import screen does once the group is chosen.
			imp.Notes = append(imp.Notes, wizard.FillDefaults(imp, "acme.example.com")...)
			goldenfile.Check(t, path+".golden", []byte(report(tab, imp, unmapped)))
		})
	}
	if n < 9 {
		t.Errorf("only %d corpus files", n)
	}
}

// TestImport_knownHeaders: the exports of odin, Mercury, Webex Control
// Hub and bwbulk leave no column unknown, and every column is used or
// listed as ignored with its reason.
func TestImport_knownHeaders(t *testing.T) {
	for _, tc := range []struct {
		file    string
		users   int
		ignored int
		target  string
		want    map[wizard.Column]string
	}{
		{"odin-export.csv", 3, 0, "ent1/grp1", map[wizard.Column]string{
			wizard.ColPhoneNumber: "+1-2025550001", wizard.ColMACAddress: "0004F2AABB01", wizard.ColLinePort: "o1@acme.example.com",
			wizard.ColCLIDLastName: "User 1"}},
		{"mercury-bulk.csv", 5, 0, "ent1/grp1", map[wizard.Column]string{
			wizard.ColCity: "Springfield", wizard.ColZip: "02134", wizard.ColAddressLine1: "1 Main St", wizard.ColDeviceName: "m001-phone",
			wizard.ColMACAddress: "0004F2AABB01", wizard.ColExtension: "0001", wizard.ColState: "MA"}},
		{"webex-users.csv", 3, 8, "/", map[wizard.Column]string{
			wizard.ColUserID: "ana.silva@acme.example.com", wizard.ColPhoneNumber: "+1-2025550001", wizard.ColCLIDFirstName: "Ana",
			wizard.ColAddressLocation: "HQ", wizard.ColTitle: "Agent", wizard.ColExtension: "1001"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			tab, err := readFile(t, "testdata/import/"+tc.file, "")
			if err != nil {
				t.Fatal(err)
			}
			if u := tab.Unmapped(nil); len(u) != 0 {
				t.Fatalf("unknown columns %q", u)
			}
			imp, _ := tab.Import(context.Background(), nil, nil)
			if len(imp.Problems) != 0 || len(imp.Checks) != 0 {
				t.Fatalf("problems %v / %v", imp.Problems, imp.Checks)
			}
			if len(imp.Rows) != tc.users || len(imp.Ignored) != tc.ignored {
				t.Errorf("%d users, %d ignored %q; want %d, %d", len(imp.Rows), len(imp.Ignored), imp.Ignored, tc.users, tc.ignored)
			}
			if got := imp.ServiceProvider + "/" + imp.Group; got != tc.target {
				t.Errorf("target %q, want %q", got, tc.target)
			}
			used := len(imp.Columns) + len(imp.Ignored)
			if imp.ServiceProvider != "" {
				used += 2
			}
			if strings.HasPrefix(tc.file, "mercury") {
				used++ // operation
			}
			if used != len(tab.Header) {
				t.Errorf("%d of %d columns accounted for", used, len(tab.Header))
			}
			for c, v := range tc.want {
				if got := imp.Rows[0].Get(c); got != v {
					t.Errorf("%s = %q, want %q", c, got, v)
				}
			}
		})
	}
}

// TestImport_mapping: an unknown column stops the import until it is
// mapped or ignored; the header-set key finds the choice again for the
// same columns in another order.
func TestImport_mapping(t *testing.T) {
	in := "userId,firstName,lastName,Kostenstelle,Handy\na@x.com,A,B,4711,+49 170 1234567\n"
	tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader(in), nil)
	if u := tab.Unmapped(nil); fmt.Sprint(u) != "[Kostenstelle Handy]" {
		t.Fatalf("unmapped %q", u)
	}
	if s := tab.Samples("Handy", 3); fmt.Sprint(s) != "[+49 170 1234567]" {
		t.Errorf("samples %q", s)
	}
	imp, _ := tab.Import(context.Background(), nil, nil)
	if len(imp.Problems) != 2 || !errors.Is(imp.Problems[0], wizard.ErrFormat) || imp.Problems[0].Letter != "D" {
		t.Fatalf("without a mapping: %v", imp.Problems)
	}
	m := wizard.Mapping{wizard.MappingKey("Kostenstelle"): wizard.ColNone, wizard.MappingKey("Handy"): wizard.ColMobile}
	if u := tab.Unmapped(m); len(u) != 0 {
		t.Fatalf("still unmapped %q", u)
	}
	imp, _ = tab.Import(context.Background(), m, nil)
	if len(imp.Problems) != 0 || imp.Rows[0].Get(wizard.ColMobile) != "+49 170 1234567" {
		t.Errorf("mapped: %v, row %v", imp.Problems, imp.Rows[0].Fields())
	}
	if len(imp.Ignored) != 1 || imp.Ignored[0] != "column D (Kostenstelle): ignored as chosen" {
		t.Errorf("ignored %q", imp.Ignored)
	}
	k1 := wizard.HeaderSetKey(tab.Header)
	k2 := wizard.HeaderSetKey([]string{"Handy", "user id", "First Name", "last_name", "KOSTENSTELLE"})
	if k1 != k2 {
		t.Errorf("header set keys differ: %q %q", k1, k2)
	}
	if k1 == wizard.HeaderSetKey([]string{"userId", "firstName", "lastName"}) {
		t.Error("different header sets share a key")
	}
}

// TestImport_encodings: UTF-8 with and without a byte-order mark, UTF-16
// both ways, and Windows-1252 are detected and said; cp1252's €, Š, œ
// are letters, not control characters.
func TestImport_encodings(t *testing.T) {
	text := "userId;firstName;lastName;title\r\na@x.com;Šime;Lœw;€ desk\r\n"
	utf16 := func(s string, be bool) []byte {
		var b []byte
		if be {
			b = []byte{0xFE, 0xFF}
		} else {
			b = []byte{0xFF, 0xFE}
		}
		for _, r := range s {
			if be {
				b = append(b, byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8))
			}
		}
		return b
	}
	cp := []byte(strings.NewReplacer("Š", "\x8a", "œ", "\x9c", "€", "\x80").Replace(text))
	for _, tc := range []struct {
		name, enc string
		in        []byte
	}{
		{"utf-8", "UTF-8", []byte(text)},
		{"utf-8 bom", "UTF-8 with byte-order mark", append([]byte("\ufeff"), text...)},
		{"utf-16le", "UTF-16 (little-endian)", utf16(text, false)},
		{"utf-16be", "UTF-16 (big-endian)", utf16(text, true)},
		{"utf-16le without mark", "UTF-16 (little-endian)", utf16(text, false)[2:]},
		{"cp1252", "Windows-1252", cp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := wizard.ReadCSV(context.Background(), bytes.NewReader(tc.in), nil)
			if err != nil {
				t.Fatal(err)
			}
			imp, _ := tab.Import(context.Background(), nil, nil)
			if tab.Encoding != tc.enc || len(imp.Problems)+len(imp.Checks) != 0 || len(imp.Rows) != 1 {
				t.Fatalf("encoding %q, problems %v %v", tab.Encoding, imp.Problems, imp.Checks)
			}
			r := imp.Rows[0]
			if r.Get(wizard.ColFirstName) != "Šime" || r.Get(wizard.ColLastName) != "Lœw" || r.Get(wizard.ColTitle) != "€ desk" {
				t.Errorf("row %v", r.Fields())
			}
		})
	}
	// The five bytes Windows-1252 leaves undefined are named by cell.
	tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader("userId,firstName,lastName\na@x.com,Ann\x81,\xe9\n"), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	if len(imp.Problems) != 1 || imp.Problems[0].Error() != "row 2, column B (firstName): has bytes that are not text in Windows-1252 (shown as �): save the file as CSV UTF-8 and open it again" {
		t.Errorf("undecodable byte: %v", imp.Problems)
	}
}

// TestImport_csvSyntax: a syntax error names the row and the field in
// plain words, and the rows after it are still read.
func TestImport_csvSyntax(t *testing.T) {
	in := "userId,firstName,lastName\n" +
		"a@x.com,An\"n,Lee\n" + // stray quote
		"b@x.com,\"Bo,Ray\n" + // quote never closed
		"c@x.com,\"Cy\"x,Dunn\n" + // text after the closing quote
		"d@x.com,Di,Fox\n"
	tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	var got []string
	for _, p := range imp.Problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Letter, p.Header))
	}
	if fmt.Sprint(got) != "[2 B firstName 3 B firstName 4 B firstName]" {
		t.Errorf("problems at %q: %v", got, imp.Problems)
	}
	if len(imp.Rows) != 4 || imp.Rows[3].Get(wizard.ColUserID) != "d@x.com" || imp.Rows[0].Get(wizard.ColFirstName) != `An"n` {
		t.Errorf("rows after the errors: %d", len(imp.Rows))
	}
	for _, p := range imp.Problems {
		if strings.Contains(p.Msg, "non-quoted-field") || strings.Contains(p.Msg, "column 1") || strings.Contains(p.Msg, "line 2") {
			t.Errorf("message in encoding/csv's words: %s", p.Msg)
		}
	}
	// A ragged row and a header-only file are said, not accepted.
	tab, _ = wizard.ReadCSV(context.Background(), strings.NewReader("userId,firstName,lastName,title\na@x.com,A\n"), nil)
	imp, _ = tab.Import(context.Background(), nil, nil)
	if len(imp.Problems) != 1 || imp.Problems[0].Error() != "row 2: has 2 of the 4 columns: a separator may be missing or the row was cut short; check it against the header" {
		t.Errorf("ragged row: %v", imp.Problems)
	}
	tab, _ = wizard.ReadCSV(context.Background(), strings.NewReader("userId,firstName,lastName\r\n"), nil)
	imp, _ = tab.Import(context.Background(), nil, nil)
	if len(imp.Problems) != 1 || imp.Problems[0].Error() != "row 1: the file has a header row but no users below it" {
		t.Errorf("header only: %v", imp.Problems)
	}
}

// TestImport_normalise: phone numbers, MAC addresses and spaces are
// rewritten with a note saying so, never silently.
func TestImport_normalise(t *testing.T) {
	for _, tc := range []struct {
		col      wizard.Column
		in, want string
		what     string
	}{
		{wizard.ColPhoneNumber, "+1 (202) 555-0101", "+1-2025550101", "phone numbers written as BroadWorks takes them"},
		{wizard.ColPhoneNumber, "+12025550101", "+1-2025550101", "phone numbers written as BroadWorks takes them"},
		{wizard.ColPhoneNumber, "+44 20 7946 0958", "+44-2079460958", "phone numbers written as BroadWorks takes them"},
		{wizard.ColPhoneNumber, "+353 1 555 0101", "+353-15550101", "phone numbers written as BroadWorks takes them"},
		{wizard.ColPhoneNumber, "(202) 555.0101", "2025550101", "phone numbers written as BroadWorks takes them"},
		{wizard.ColPhoneNumber, "+1-2025550101", "+1-2025550101", ""},
		{wizard.ColPhoneNumber, "2025550101", "2025550101", ""},
		{wizard.ColMACAddress, "00:04:f2:aa:bb:cc", "0004F2AABBCC", "MAC addresses written as 12 hexadecimal digits"},
		{wizard.ColMACAddress, "00-04-F2-AA-BB-CC", "0004F2AABBCC", "MAC addresses written as 12 hexadecimal digits"},
		{wizard.ColMACAddress, "0004.f2aa.bbcc", "0004F2AABBCC", "MAC addresses written as 12 hexadecimal digits"},
		{wizard.ColMACAddress, "0004f2aabbcc", "0004F2AABBCC", "MAC addresses written as 12 hexadecimal digits"},
		{wizard.ColMACAddress, "0004F2AABBCC", "0004F2AABBCC", ""},
		{wizard.ColTitle, "Head\u00a0of  sales ", "Head of sales", "extra spaces removed"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			extra := ""
			if tc.col == wizard.ColMACAddress {
				extra = ",deviceType,deviceName,linePort"
			}
			in := "userId,firstName,lastName," + tc.col.String() + extra + "\na@x.com,A,B,\"" + tc.in + "\""
			if extra != "" {
				in += ",T,d,a@x.com"
			}
			tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader(in+"\n"), nil)
			imp, _ := tab.Import(context.Background(), nil, nil)
			if len(imp.Problems)+len(imp.Checks) != 0 {
				t.Fatalf("problems %v %v", imp.Problems, imp.Checks)
			}
			if got := imp.Rows[0].Get(tc.col); got != tc.want {
				t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
			}
			if tc.what == "" {
				if len(imp.Notes) != 0 {
					t.Errorf("notes for an unchanged value: %v", imp.Notes)
				}
				return
			}
			if len(imp.Notes) != 1 || imp.Notes[0].What != tc.what || imp.Notes[0].Row != 2 || imp.Notes[0].Letter != "D" ||
				imp.Notes[0].From != tc.in || imp.Notes[0].To != tc.want {
				t.Errorf("notes %+v", imp.Notes)
			}
		})
	}
	// A MAC in a wrong form is refused for its form, not its length.
	_, ps, _ := wizard.ImportCSV(strings.NewReader("userId,firstName,lastName,macAddress,deviceType,deviceName,linePort\na@x.com,A,B,00:04:F2:AA:BB,T,d,a@x.com\n"))
	if len(ps) != 1 || !strings.HasPrefix(ps[0].Msg, "has 5 groups separated by ':' with 10 hexadecimal digits") {
		t.Errorf("short MAC: %v", ps)
	}
}

// TestImport_bidi: names with bidirectional controls or zero-width
// characters are refused with the reason.
func TestImport_bidi(t *testing.T) {
	for _, tc := range []struct{ name, why string }{
		{"Eve\u202eliz", "a left-to-right or right-to-left override (U+202E)"},
		{"Ev\u200be", "a zero-width character (U+200B)"},
		{"Eve\u2067x", "a bidirectional embedding or isolate (U+2067)"},
		{"E\u200fve", "a direction mark (U+200F)"},
	} {
		_, ps, _ := wizard.ImportCSV(strings.NewReader("userId,firstName,lastName\na@x.com," + tc.name + ",B\n"))
		if len(ps) == 0 || ps[0].Letter != "B" || !strings.Contains(ps[0].Msg, tc.why) || !errors.Is(ps[0], wizard.ErrInvalid) {
			t.Errorf("%q: %v", tc.name, ps)
		}
	}
}

// TestExportCSV_formulaAtEverySeparator: whatever list separator the
// spreadsheet uses, no cell of an export starts like a formula.
func TestExportCSV_formulaAtEverySeparator(t *testing.T) {
	evil := []string{"Bob;=cmd|' /C calc'!A0", "a,=1+1", "x\t@SUM(1)", "p|+1", "=HYPERLINK(\"http://e\")", " =1", "-2", "ok; -3", "＝1", "line\n=2"}
	var rows []wizard.Row
	for i, v := range evil {
		var r wizard.Row
		r.Set(wizard.ColUserID, fmt.Sprintf("u%d@x.com", i))
		r.Set(wizard.ColFirstName, "A")
		r.Set(wizard.ColLastName, "B")
		r.Set(wizard.ColTitle, v)
		rows = append(rows, r)
	}
	var buf bytes.Buffer
	if err := wizard.ExportCSV(&buf, wizard.UsersSheet(rows, false)); err != nil {
		t.Fatal(err)
	}
	body := strings.TrimPrefix(buf.String(), "\ufeff")
	if !strings.Contains(body, `"Bob;'=cmd|'' /C calc'!A0"`) {
		t.Errorf("the ';' cell is not quoted:\n%s", body)
	}
	for _, sep := range []rune{',', ';', '\t', '|'} {
		cr := csv.NewReader(strings.NewReader(body))
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = sep, true, -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("separator %q: %v", sep, err)
		}
		for _, rec := range recs {
			for _, cell := range rec {
				c := strings.TrimLeft(cell, " ")
				if c != "" && (strings.ContainsRune("=+-@\t\r", rune(c[0])) || strings.HasPrefix(c, "＝")) {
					t.Errorf("separator %q: cell %q starts like a formula", sep, cell)
				}
			}
		}
	}
	back, _, err := wizard.ImportCSV(bytes.NewReader(buf.Bytes()))
	if err != nil || len(back) != len(rows) {
		t.Fatalf("%d rows back, %v", len(back), err)
	}
	for i := range rows {
		// Import trims the leading space of " =1" (with a note).
		if want := strings.TrimSpace(evil[i]); back[i].Get(wizard.ColTitle) != want {
			t.Errorf("round trip %q → %q", evil[i], back[i].Get(wizard.ColTitle))
		}
	}
}

// TestImport_contextColumns: Mercury's operation, serviceProviderId and
// groupId are accounted for: one target is taken, two are refused, and an
// operation other than adding is refused by row.
func TestImport_contextColumns(t *testing.T) {
	in := "operation,serviceProviderId,groupId,userId,firstName,lastName\n" +
		"add,ent1,grp1,a@x.com,A,B\n" +
		"delete,ent1,grp2,b@x.com,C,D\n"
	tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	var got []string
	for _, p := range imp.Problems {
		got = append(got, p.Error())
	}
	want := []string{
		"the file names 2 groups (grp1, grp2): import one group at a time",
		`row 3, column A (operation): is "delete": bwbulk only creates users (add, create, user.create); remove this row or change it to "user.create"`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
	if imp.ServiceProvider != "ent1" || imp.Group != "" {
		t.Errorf("target %q/%q", imp.ServiceProvider, imp.Group)
	}
}

// TestImport_mercuryCreate: Mercury's user.create operations (and the
// other spellings of adding a user) are taken; the file's target is
// compared with the group chosen by one rule.
func TestImport_mercuryCreate(t *testing.T) {
	in := "operation,serviceProviderId,groupId,userId,firstName,lastName\n" +
		"user.create,ent1,grp1,a@x.com,A,B\n" +
		"USER.CREATE,ent1,grp1,b@x.com,C,D\n" +
		"create,ent1,grp1,c@x.com,E,F\n" +
		"addUser,ent1,grp1,d@x.com,G,H\n" +
		"user.delete,ent1,grp1,e@x.com,I,J\n"
	tab, _ := wizard.ReadCSV(context.Background(), strings.NewReader(in), nil)
	imp, _ := tab.Import(context.Background(), nil, nil)
	if len(imp.Problems) != 1 || imp.Problems[0].Row != 6 {
		t.Fatalf("problems %v", imp.Problems)
	}
	if len(imp.Rows) != 5 {
		t.Errorf("%d rows", len(imp.Rows))
	}
	if m := imp.TargetMismatch("ent1", "grp1"); m != "" {
		t.Errorf("same target refused: %s", m)
	}
	if m := imp.TargetMismatch("ent1", "grp2"); m != "the file's serviceProviderId/groupId columns name ent1 / grp1, but ent1 / grp2 is chosen: pick the group the file names, or remove those columns" {
		t.Errorf("mismatch: %q", m)
	}
}

// TestExportXLSX_plainStrings: a value that looks like a formula is a
// string cell in XLSX, with no formula and nothing added to it.
func TestExportXLSX_plainStrings(t *testing.T) {
	var r wizard.Row
	r.Set(wizard.ColUserID, "a@x.com")
	r.Set(wizard.ColFirstName, "=1+1")
	r.Set(wizard.ColLastName, "@SUM(A1)")
	var buf bytes.Buffer
	if err := wizard.ExportXLSX(&buf, []wizard.Sheet{wizard.UsersSheet([]wizard.Row{r}, false)}, ""); err != nil {
		t.Fatal(err)
	}
	tab, err := wizard.ReadXLSX(context.Background(), &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	for j, want := range []string{"a@x.com", "=1+1", "@SUM(A1)"} {
		c := tab.Records[0].Cells[j]
		if c.Kind != wizard.CellText || c.Text != want || c.Formula != "" {
			t.Errorf("cell %s2 = %+v, want the text %q", wizard.ColumnLetter(j), c, want)
		}
	}
}
