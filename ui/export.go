package ui

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// exportRows asks for format, password sheet and encryption, then a file,
// and writes rows there.
func (u *UI) exportRows(name string, rows []wizard.Row) {
	format := widget.NewRadioGroup([]string{"Excel (XLSX)", "CSV"}, nil)
	format.SetSelected("Excel (XLSX)")
	format.Required = true
	pwSheet := widget.NewCheck("Include passwords (a separate Passwords sheet in XLSX)", nil)
	pwSheet.SetChecked(true)
	encrypt := widget.NewPasswordEntry()
	encrypt.SetPlaceHolder("optional: encrypt the workbook with this password")
	items := []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("", pwSheet),
		widget.NewFormItem("Encrypt", encrypt),
	}
	dialog.ShowForm("Export "+name, "Choose file…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		xlsx := strings.HasPrefix(format.Selected, "Excel")
		withPw, pass := pwSheet.Checked, encrypt.Text
		ext := ".csv"
		if xlsx {
			ext = ".xlsx"
		}
		u.chooseSave("Export "+name, safeFileName(name)+ext, ext, func(wc fyne.URIWriteCloser, err error) {
			if err != nil {
				u.showError("Export", err)
				return
			}
			if wc == nil {
				return
			}
			// Writing (and encrypting) a large workbook takes a while: off
			// the UI goroutine.
			u.spawn(func() {
				err := writeExport(wc, rows, xlsx, withPw, pass)
				if cerr := wc.Close(); err == nil {
					err = cerr
				}
				fyne.Do(func() {
					if err != nil {
						u.showError("Export", err)
						return
					}
					u.status.setMessage("Exported %d rows to %s", len(rows), wc.URI().Name())
				})
			})
		})
	}, u.win)
}

// writeExport writes rows as XLSX (users sheet, optional passwords sheet,
// optional encryption) or CSV (passwords in the users sheet only when
// asked).
func writeExport(w io.Writer, rows []wizard.Row, xlsx, withPasswords bool, password string) error {
	if !xlsx {
		return wizard.ExportCSV(w, wizard.UsersSheet(rows, withPasswords))
	}
	sheets := []wizard.Sheet{wizard.UsersSheet(rows, false)}
	if withPasswords {
		sheets = append(sheets, wizard.PasswordSheet(rows))
	}
	return wizard.ExportXLSX(w, sheets, password)
}

func safeFileName(s string) string {
	r := strings.NewReplacer("/", "-", "\\", "-", ":", "-", " ", "-")
	return r.Replace(s)
}

// exportDialog exports the preview (Ctrl+S).
func (v *previewView) exportDialog() {
	if v.stillBuilding("Export") || v.p == nil {
		return
	}
	v.w.u.exportRows(fmt.Sprintf("%s-%s-users", v.w.m.Enterprise.ID, v.w.m.Group.ID), v.p.Rows)
}
