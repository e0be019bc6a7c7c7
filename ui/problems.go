package ui

import (
	"bytes"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// The fix-and-re-import loop: "Export problems" writes only the rows with
// problems, with an Error column and the row they came from; "Import
// fixes" reads that file back and replaces those rows (in the preview) or
// re-plans and queues those jobs again (in a task).

// menuButton is a button that opens a menu of items below itself.
func menuButton(label string, icon fyne.Resource, items ...*fyne.MenuItem) *keyButton {
	var b *keyButton
	b = newButtonWithIcon(label, icon, func() {
		d := fyne.CurrentApp().Driver()
		c := d.CanvasForObject(b)
		if c == nil {
			return
		}
		pos := d.AbsolutePositionForObject(b).AddXY(0, b.Size().Height)
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos)
	})
	return b
}

// exportProblems asks for a format and a file and writes there the n rows
// with problems with write (a workbook when xlsx, else a CSV), which
// returns how many it wrote.
func (u *UI) exportProblems(name string, n int, write func(w io.Writer, xlsx bool) (int, error)) {
	if n == 0 {
		u.showInfo("Export problems", "There are no rows with problems.")
		return
	}
	format := widget.NewRadioGroup([]string{"Excel (XLSX)", "CSV"}, nil)
	format.SetSelected("Excel (XLSX)")
	format.Required = true
	msg := note(fmt.Sprintf("Writes the %s with problems and what is wrong with each. Fix them in the file, then Import fixes… puts them back here. Passwords are not written.", plural(n, "row")))
	u.showDialog(u.formDialog("Export problems", "Choose file…", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", msg), widget.NewFormItem("Format", format),
	}, func(ok bool) {
		if !ok {
			return
		}
		ext := ".xlsx"
		if format.Selected == "CSV" {
			ext = ".csv"
		}
		u.chooseSave("Export problems", safeFileName(name)+ext, ext, func(wc fyne.URIWriteCloser, err error) {
			if err != nil {
				u.showError("Export problems", err)
				return
			}
			if wc == nil {
				return
			}
			u.spawn(func() {
				wrote, err := write(wc, ext == ".xlsx")
				if cerr := wc.Close(); err == nil {
					err = cerr
				}
				fyne.Do(func() {
					if err != nil {
						u.showError("Export problems", err)
						return
					}
					u.status.setMessage("Exported %s with problems to %s", plural(wrote, "row"), wc.URI().Path())
				})
			})
		})
	}))
}

// readFixes reads an "Export problems" file off the UI goroutine and
// hands its import to done on the UI goroutine; a file that is not one,
// or has cells the import refused, is reported instead.
func (u *UI) readFixes(title string, done func(*wizard.Import)) {
	u.chooseOpen(title, []string{".csv", ".xlsx", ".ods"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError(title, err)
			return
		}
		if rc == nil {
			return
		}
		name := rc.URI().Name()
		u.spawn(func() {
			b, err := io.ReadAll(io.LimitReader(rc, wizard.MaxImportSize+1))
			rc.Close()
			var imp *wizard.Import
			if err == nil {
				// As the command line's retry --fixes reads it.
				imp, err = wizard.ReadFixes(u.ctx, name, bytes.NewReader(b), nil)
			}
			fyne.Do(func() {
				if err != nil {
					u.showError(title, err)
					return
				}
				done(imp)
			})
		})
	})
}

// exportPreviewProblems is the preview's "Export problems…".
func (v *previewView) exportPreviewProblems() {
	if v.stillBuilding("Export problems") || v.p == nil {
		return
	}
	rows := wizard.PreviewProblemRows(v.p)
	v.w.u.exportProblems(fmt.Sprintf("%s-%s-problems", v.w.m.Enterprise.ID, v.w.m.Group.ID), len(rows), func(w io.Writer, xlsx bool) (int, error) {
		return len(rows), desk.WriteProblems(w, rows, xlsx)
	})
}

// importPreviewFixes is the preview's "Import fixes…".
func (v *previewView) importPreviewFixes() {
	if v.stillBuilding("Import fixes") || v.p == nil {
		return
	}
	v.w.u.readFixes("Import fixes", v.applyFixes)
}

// applyFixes puts the rows of a fixes file into the preview on screen.
func (v *previewView) applyFixes(imp *wizard.Import) {
	if v.p == nil {
		return
	}
	n, err := v.w.m.ApplyFixes(imp, v.p.Rows)
	if err != nil {
		v.w.u.showError("Import fixes", err)
		return
	}
	v.load()
	v.w.changed()
	v.w.u.status.setMessage("Import fixes: %s of %s changed", plural(n, "row"), plural(len(imp.Rows), "row"))
}

// exportTaskProblems is the task's "Failed jobs to fix…": its failed
// jobs, in the file bwbulk task N --export FILE --failed writes
// (desk.ExportFixes), streamed from the store.
func (v *tasksView) exportTaskProblems() {
	st, id := v.u.store(), v.selected
	if st == nil || id == 0 {
		return
	}
	v.u.spawn(func() {
		t, err := st.Task(v.u.ctx, id)
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Export problems", err)
				return
			}
			v.u.exportProblems(fmt.Sprintf("task-%d-problems", id), t.Failed, func(w io.Writer, xlsx bool) (int, error) {
				format := jobs.FormatCSV
				if xlsx {
					format = jobs.FormatXLSX
				}
				return desk.ExportFixes(v.u.ctx, st, id, w, format)
			})
		})
	})
}

// importTaskFixes is the task's "Import fixes…": each row of the file
// replaces the failed job of its row, which is re-planned and queued
// again (Runner.EditJob).
func (v *tasksView) importTaskFixes() {
	st, id := v.u.store(), v.selected
	if st == nil || id == 0 || v.u.runner == nil {
		return
	}
	v.u.readFixes("Import fixes", func(imp *wizard.Import) {
		v.u.spawn(func() {
			n, left, err := desk.ApplyFixes(v.u.ctx, st, v.u.runner, id, imp)
			fyne.Do(func() {
				switch {
				case err != nil:
					v.u.showError("Import fixes", err)
				case left > 0:
					v.u.status.setMessage("Import fixes: %s queued again; %s not in the file stay failed", plural(n, "job"), plural(left, "failed job"))
				default:
					v.u.status.setMessage("Import fixes: %s queued again", plural(n, "job"))
				}
				v.reload()
			})
		})
	})
}
