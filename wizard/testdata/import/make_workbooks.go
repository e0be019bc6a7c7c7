//go:build ignore

// make_workbooks writes the XLSX files of this corpus that excelize can
// make (run from the repository root: go run wizard/testdata/import/make_workbooks.go).
// The LibreOffice files are made by LibreOffice itself (see README).
package main

import (
	"bytes"
	"log"
	"os"
	"time"

	"github.com/xuri/excelize/v2"

	"bwbulk/wizard"
)

const dir = "wizard/testdata/import/"

func main() {
	typed()
	encrypted()
	layout()
}

// layout is a sheet as HR sends it: two title rows above the header, the
// department merged over three users, a user id merged over two rows,
// a first and last name merged across, a hidden row and a hidden column.
// LibreOffice converts it to .ods and .xls (see README).
func layout() {
	f := excelize.NewFile()
	s := "Sheet1"
	f.SetSheetRow(s, "A1", &[]any{"Acme Corp: new starters, May"})
	f.MergeCell(s, "A1", "F1")
	f.SetSheetRow(s, "A2", &[]any{"Prepared by HR"})
	f.SetSheetRow(s, "A3", &[]any{"User ID", "First Name", "Last Name", "Extension", "Department", "Title"})
	f.SetSheetRow(s, "A4", &[]any{"h1@acme.example.com", "Hana", "Abe", "0101", "Sales", "Agent"})
	f.SetSheetRow(s, "A5", &[]any{"h2@acme.example.com", "Hugo", "Berg", "0102", nil, "Agent"})
	f.SetSheetRow(s, "A6", &[]any{"h3@acme.example.com", "Hedy", "Cruz", "0103", nil, "Lead"})
	f.MergeCell(s, "E4", "E6")
	f.SetSheetRow(s, "A7", &[]any{"h4@acme.example.com", "Hal", "Dorn", "0104", "Support", "Agent"})
	f.SetRowVisible(s, 7, false)
	f.SetSheetRow(s, "A8", &[]any{"h5@acme.example.com", "Hope", "Ek", "0105", "Support", "Agent"})
	f.SetSheetRow(s, "B9", &[]any{"Hank", "Falk", "0106", "Support", "Agent"})
	f.MergeCell(s, "A8", "A9")
	f.SetSheetRow(s, "A10", &[]any{"h7@acme.example.com", "Pat Kim", nil, "0107", "Support", "Agent"})
	f.MergeCell(s, "B10", "C10")
	f.SetColVisible(s, "D", false)
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	f.SetColStyle(s, "A:F", text)
	if err := f.SaveAs(dir + "excel-merged-hidden-title.xlsx"); err != nil {
		log.Fatal(err)
	}
}

// typed is a sheet as a help desk fills it in Excel without formatting
// columns as Text: numbers, a date, a formula, a boolean, an error, a
// number in scientific format, a 16-digit number, text with zeros.
func typed() {
	f := excelize.NewFile()
	s := "Sheet1"
	f.SetSheetRow(s, "A1", &[]any{"User ID", "First Name", "Last Name", "Phone Number", "Extension", "Title", "Department"})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	f.SetSheetRow(s, "A2", &[]any{"t1@acme.example.com", "Tia", "Ames", 2025550101, "0101", "Agent", "Sales"})
	f.SetSheetRow(s, "A3", &[]any{"t2@acme.example.com", "Tom", "Bell", time.Date(2025, 5, 6, 0, 0, 0, 0, time.UTC), "0102", "Agent", "Sales"})
	f.SetCellStyle(s, "D3", "D3", date)
	f.SetSheetRow(s, "A4", &[]any{nil, "Ted", "Cole", "2025550103", "0103", "Agent", "Sales"})
	// A formula as a script writes it: no cached value.
	f.SetCellFormula(s, "A4", `LOWER(B4)&"@acme.example.com"`)
	f.SetSheetRow(s, "A5", &[]any{"t4@acme.example.com", "Tess", "Dunn", 2.02555e9, "0104", true, "Sales"})
	f.SetCellStyle(s, "D5", "D5", sci)
	f.SetSheetRow(s, "A6", &[]any{"t5@acme.example.com", "Theo", "Eck", "2025550105", 105, "Agent", "Sales"})
	f.SetSheetRow(s, "A7", &[]any{"t6@acme.example.com", "Tina", "Ford", 1234567890123456789, "0106", "Agent", "Sales"})
	f.SetSheetRow(s, "A8", &[]any{"t7@acme.example.com", "Toby", "Gale", "002025550107", "0107", "Agent", "Sales"})
	f.SetCellStyle(s, "D8", "E8", text)
	f.SetCellValue(s, "G8", "#N/A")
	f.SetCellFormula(s, "G8", "NA()")
	if err := f.SaveAs(dir + "excel-typed-cells.xlsx"); err != nil {
		log.Fatal(err)
	}
}

// encrypted is bwbulk's own export, encrypted with "open sesame".
func encrypted() {
	var rows []wizard.Row
	for _, u := range [][3]string{{"enc1@acme.example.com", "Eve", "Lind"}, {"enc2@acme.example.com", "Emil", "Mohr"}} {
		var r wizard.Row
		r.Set(wizard.ColUserID, u[0])
		r.Set(wizard.ColFirstName, u[1])
		r.Set(wizard.ColLastName, u[2])
		r.Set(wizard.ColCLIDFirstName, u[1])
		r.Set(wizard.ColCLIDLastName, u[2])
		r.Set(wizard.ColExtension, "0042")
		rows = append(rows, r)
	}
	var buf bytes.Buffer
	if err := wizard.ExportXLSX(&buf, []wizard.Sheet{wizard.UsersSheet(rows, false)}, "open sesame"); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(dir+"bwbulk-encrypted-open-sesame.xlsx", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
