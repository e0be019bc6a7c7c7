package ui

import (
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/wizard"
)

// exportRows asks for format, passwords and (for a workbook) encryption,
// then a file, and writes rows there. A CSV has no workbook options, and
// its passwords, in clear, are left out unless asked for.
func (u *UI) exportRows(name string, rows []wizard.Row) {
	o := newExportOptions("Include passwords (a separate Passwords sheet)")
	format, pwSheet, pwCSV, encrypt := o.format, o.pwSheet, o.pwCSV, o.encrypt
	items := o.items()
	d := u.formDialog("Export "+name, "Choose file…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		xlsx := strings.HasPrefix(format.Selected, "Excel")
		withPw, pass := pwSheet.Checked, encrypt.Text
		ext := ".xlsx"
		if !xlsx {
			withPw, pass, ext = pwCSV.Checked, "", ".csv"
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
				err := desk.WriteRows(wc, rows, xlsx, withPw, pass)
				if cerr := wc.Close(); err == nil {
					err = cerr
				}
				fyne.Do(func() {
					if err != nil {
						u.showError("Export", err)
						return
					}
					u.status.setMessage("Exported %s to %s", plural(len(rows), "row"), wc.URI().Path())
					u.showSaved(fmt.Sprintf("Exported %s", plural(len(rows), "row")), wc.URI())
				})
			})
		})
	})
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// showSaved says where a file was saved, with its full path, and offers
// to open its folder.
func (u *UI) showSaved(what string, uri fyne.URI) {
	path := widget.NewLabel(uri.Path())
	path.Wrapping = fyne.TextWrapBreak
	path.TextStyle.Monospace = true
	open := newButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() {
		if err := u.openFolder(uri); err != nil {
			u.showError("Open folder", err)
		}
	})
	d := u.infoDialog(what, container.NewVBox(widget.NewLabel("Saved to:"), path, container.NewHBox(open)))
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// openFolder opens the folder of uri in the system's file manager.
func (u *UI) openFolder(uri fyne.URI) error {
	dir, err := storage.Parent(uri)
	if err != nil {
		return err
	}
	link, err := url.Parse(dir.String())
	if err != nil {
		return err
	}
	return u.app.OpenURL(link)
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

// exportOptions are the choices of an export: format, then, for a
// workbook, a passwords sheet and encryption; for a CSV, passwords in
// clear (off unless asked, with a warning when on).
type exportOptions struct {
	format         *widget.RadioGroup
	pwSheet, pwCSV *keyCheck
	warn           *widget.Label
	encrypt        *keyEntry
	xlsx, csv      *fyne.Container
}

func newExportOptions(sheetText string) *exportOptions {
	o := &exportOptions{format: widget.NewRadioGroup([]string{"Excel (XLSX)", "CSV"}, nil)}
	o.format.Required = true
	o.pwSheet = newCheck(sheetText, nil)
	o.pwSheet.SetChecked(true)
	o.pwCSV = newCheck("Include passwords (in clear)", nil)
	o.warn = widget.NewLabel("Anyone who opens this file reads the passwords: keep it safe and delete it when done.")
	o.warn.Wrapping = fyne.TextWrapWord
	o.warn.Importance = widget.DangerImportance
	o.warn.Hide()
	o.pwCSV.OnChanged = func(on bool) {
		if on {
			o.warn.Show()
		} else {
			o.warn.Hide()
		}
	}
	o.encrypt = newPasswordEntry()
	o.encrypt.SetPlaceHolder("optional: encrypt the workbook with this password")
	o.xlsx = container.NewVBox(o.pwSheet, o.encrypt)
	noDoubleClick := widget.NewLabel(wizard.CSVWarning)
	noDoubleClick.Wrapping = fyne.TextWrapWord
	noDoubleClick.Importance = widget.WarningImportance
	o.csv = container.NewVBox(noDoubleClick, o.pwCSV, o.warn)
	o.format.OnChanged = func(f string) {
		if o.isCSV() {
			o.xlsx.Hide()
			o.csv.Show()
		} else {
			o.xlsx.Show()
			o.csv.Hide()
		}
	}
	o.format.SetSelected("Excel (XLSX)")
	return o
}

func (o *exportOptions) isCSV() bool { return o.format.Selected == "CSV" }

func (o *exportOptions) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("Format", o.format),
		widget.NewFormItem("Options", container.NewVBox(o.xlsx, o.csv)),
	}
}
