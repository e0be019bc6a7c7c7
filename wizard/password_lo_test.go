package wizard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// libreOffice returns the LibreOffice binary, skipping the test when it
// is not installed (scripts/deps.sh installs it for make test).
func libreOffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"libreoffice", "soffice"} {
		if lo, err := exec.LookPath(name); err == nil {
			return lo
		}
	}
	t.Skip("libreoffice not installed")
	return ""
}

// convertWithLibreOffice opens in with LibreOffice Calc (infilter "" is
// what opening the file by double-click does) and returns the first
// sheet saved as CSV, read back as cells.
func convertWithLibreOffice(t *testing.T, lo, dir, in, infilter string) *Table {
	t.Helper()
	out := filepath.Join(dir, "out-"+filepath.Base(in))
	args := []string{"--headless", "-env:UserInstallation=file://" + filepath.Join(dir, "profile")}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", out, in)
	if b, err := exec.Command(lo, args...).CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	base := filepath.Base(in)
	b, err := os.ReadFile(filepath.Join(out, base[:len(base)-len(filepath.Ext(base))]+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadCSV(context.Background(), bytes.NewReader(b), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestExport_passwordsThroughLibreOffice generates 2,000 passwords under
// four rule sets, exports them as CSV and XLSX and opens both files with
// LibreOffice Calc: every password comes back byte for byte, from the
// XLSX and from the CSV opened as by double-click. Passwords a person
// typed that start like a formula come back exactly from the XLSX, and
// from the CSV when it is imported with quoted fields as text (as the
// export warns); opened by double-click, Calc evaluates them, which is
// why CSVWarning exists.
func TestExport_passwordsThroughLibreOffice(t *testing.T) {
	lo := libreOffice(t)
	if testing.Short() {
		t.Skip("slow")
	}
	var rows []Row
	for k, rules := range []PasswordRules{rulesAcmeHQ, rulesAcmeBranch, rulesMetroG1,
		{MinLength: 20, MinDigits: 5, MinUpperCase: 5, MinLowerCase: 5, MinNonAlphanumeric: 6}} {
		for i := range 500 {
			var r Row
			r.Set(ColUserID, fmt.Sprintf("u%d.%03d@acme.example.com", k, i))
			pw, err := GeneratePassword(rules, r.Get(ColUserID))
			if err != nil {
				t.Fatal(err)
			}
			r.Set(ColPassword, pw)
			rows = append(rows, r)
		}
	}
	generated := len(rows)
	for i, pw := range []string{"=1+1", "-abc", "+12", "@SUM(A1)", "0042", "'=x", "1e5", `a"b`} {
		var r Row
		r.Set(ColUserID, fmt.Sprintf("typed%d@acme.example.com", i))
		r.Set(ColPassword, pw)
		rows = append(rows, r)
	}
	sheet := PasswordSheet(rows)
	dir := t.TempDir()
	var csvBuf, xlsxBuf bytes.Buffer
	if err := ExportCSV(&csvBuf, sheet); err != nil {
		t.Fatal(err)
	}
	if err := ExportXLSX(&xlsxBuf, []Sheet{sheet}, ""); err != nil {
		t.Fatal(err)
	}
	csvFile, xlsxFile := filepath.Join(dir, "passwords.csv"), filepath.Join(dir, "passwords.xlsx")
	os.WriteFile(csvFile, csvBuf.Bytes(), 0o600)
	os.WriteFile(xlsxFile, xlsxBuf.Bytes(), 0o600)

	check := func(name string, tab *Table, upTo int) {
		t.Helper()
		if len(tab.Records) != len(rows) {
			t.Fatalf("%s: %d rows, want %d", name, len(tab.Records), len(rows))
		}
		bad := 0
		for i := range upTo {
			got := ""
			if cs := tab.Records[i].Cells; len(cs) > 1 {
				got = cs[1].Text
			}
			if want := rows[i].Get(ColPassword); got != want {
				bad++
				t.Errorf("%s row %d: password came back changed (%d bytes, want %d)", name, i+2, len(got), len(want))
			}
		}
		t.Logf("%s: %d of %d passwords back byte for byte", name, upTo-bad, upTo)
	}
	check("XLSX", convertWithLibreOffice(t, lo, dir, xlsxFile, ""), len(rows))
	// CSV import options: comma, quote, UTF-8, from line 1, standard
	// columns, default language, quoted fields as text, no special
	// numbers, …, no formula evaluation.
	check("CSV quoted as text", convertWithLibreOffice(t, lo, dir, csvFile, "CSV:44,34,76,1,,0,true,false,false,false,false,false,false"), len(rows))
	check("CSV by double-click", convertWithLibreOffice(t, lo, dir, csvFile, ""), generated)
}
