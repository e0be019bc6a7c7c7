package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus copies a file of the wizard's import corpus into the data
// folder and returns its path there.
func (e *env) corpus(name string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "wizard", "testdata", "import", name))
	if err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// The files help desks have, through the command line: an .ods made by
// LibreOffice with title rows, merged cells and hidden rows and columns;
// an .xls and a web page named .xls refused with what to save them as
// (named .csv too: the content decides); Excel's sep= line; an
// apostrophe typed before -Smith, removed with a note.
func TestCLI_Validate_spreadsheetRealities(t *testing.T) {
	e := newEnv(t, nil)
	ods := e.corpus("libreoffice-merged-hidden-title.ods")
	r := e.run("", "validate", ods, "--group", "acme-ent/acme-hq")
	for _, want := range []string{
		"libreoffice-merged-hidden-title.ods:9:A (User ID): is covered by the merged cells A8:A9, whose value is row 8's",
		"libreoffice-merged-hidden-title.ods:10:C (Last Name): is covered by the merged cells B10:C10, which span columns",
	} {
		if r.code != 1 || !strings.Contains(r.stdout, want) {
			t.Errorf("want %q in %v", want, r)
		}
	}
	for _, want := range []string{
		"note: the header is row 3, the first that names known columns: rows 1–2 are above it",
		"note: row 7 is hidden in the spreadsheet",
		"note: column D (Extension) is hidden in the spreadsheet",
		"note: column E (Department), 2 values: merged cells E4:E6: the value of their first cell (row 4) used in every row of the merge",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("want %q in %v", want, r)
		}
	}

	// The same sheet as Excel files it (made by excelize, and by
	// LibreOffice's XLSX writer).
	for _, name := range []string{"excel-merged-hidden-title.xlsx", "libreoffice-merged-hidden-title.xlsx"} {
		r = e.run("", "validate", e.corpus(name), "--group", "acme-ent/acme-hq")
		if r.code != 1 || !strings.Contains(r.stdout, name+":9:A (User ID): is covered by the merged cells A8:A9") ||
			!strings.Contains(r.stderr, "note: row 7 is hidden in Excel") || !strings.Contains(r.stderr, "note: column D (Extension) is hidden in Excel") ||
			!strings.Contains(r.stderr, "merged cells E4:E6") {
			t.Errorf("%s: %v", name, r)
		}
	}

	xls := e.corpus("libreoffice-97-2003.xls")
	for _, name := range []string{xls, renamed(t, xls, "users.csv")} {
		r = e.run("", "validate", name, "--group", "acme-ent/acme-hq")
		if out := r.stdout + r.stderr; r.code != 1 || strings.Count(out, "Excel 97–2003 workbook (.xls): save it as Excel Workbook (.xlsx) or CSV UTF-8") != 1 {
			t.Errorf("%s: %v", filepath.Base(name), r)
		}
	}
	web := e.corpus("web-page-named.xls")
	if r = e.run("", "validate", web, "--group", "acme-ent/acme-hq"); r.code != 1 || !strings.Contains(r.stdout, "this is a web page (HTML) saved under a spreadsheet's name") {
		t.Errorf("web page: %v", r)
	}

	sep := e.corpus("excel-sep-hint.csv")
	// Split at ';' only: the comma stays in the department (which the
	// demo group does not have), and the first user is row 2.
	if r = e.run("", "validate", sep, "--group", "acme-ent/acme-hq"); !strings.Contains(r.stderr, "note: the first line, sep=;, says the separator") ||
		!strings.Contains(r.stderr, "2 users") || !strings.Contains(r.stdout, `excel-sep-hint.csv:2:D (department): department "Sales, EMEA" does not exist`) {
		t.Errorf("sep=: %v", r)
	}
	ap := e.corpus("hand-made-title-apostrophe.csv")
	r = e.run("", "validate", ap, "--group", "acme-ent/acme-hq")
	if !strings.Contains(r.stderr, `note: column C (Last Name), 1 value: apostrophe that keeps a spreadsheet from reading = + - @ as a formula removed (row 6: "'-Smith" → "-Smith")`) ||
		!strings.Contains(r.stderr, "note: the header is row 4") {
		t.Errorf("apostrophe and title rows: %v", r)
	}
}

// renamed copies path under another name beside it.
func renamed(t *testing.T, path, name string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(path), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// bwbulk's own export encrypted with a password opens with
// --password-stdin; without it, or with a wrong one, it is one clear
// message.
func TestCLI_Validate_encryptedWorkbook(t *testing.T) {
	e := newEnv(t, nil)
	f := e.corpus("bwbulk-encrypted-open-sesame.xlsx")
	r := e.run("", "validate", f, "--group", "acme-ent/acme-hq")
	if r.code != 2 || !strings.Contains(r.stderr, "the workbook is encrypted: give its password with --password-stdin") {
		t.Errorf("no password: %v", r)
	}
	r = e.run("not it\n", "validate", f, "--group", "acme-ent/acme-hq", "--password-stdin")
	if r.code != 2 || !strings.Contains(r.stderr, "the password does not open this workbook") || strings.Contains(r.stderr+r.stdout, "not it") {
		t.Errorf("wrong password: %v", r)
	}
	r = e.run("open sesame\n", "validate", f, "--group", "acme-ent/acme-hq", "--password-stdin", "--json")
	// Opened: its two users read, and the one thing wrong with them is
	// theirs (both have extension 0042).
	if !strings.Contains(r.stdout, `"users": 2`) || !strings.Contains(r.stdout, "enc2") && !strings.Contains(r.stdout, `"row": 3`) || strings.Contains(r.stdout+r.stderr, "open sesame") {
		t.Errorf("with the password: %v", r)
	}
}
