package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// importView opens a CSV/XLSX (button or drag-and-drop onto the window),
// lists its problems by row and column, and after picking the service
// provider and group lands in the wizard's preview.
type importView struct {
	u        *UI
	rows     []wizard.Row
	file     string
	sps      []wizard.ServiceProvider
	spSel    *widget.Select
	groupSel *widget.Select
	fileInfo *widget.Label
	problems *widget.Label
	next     *widget.Button
	status   *widget.Label
	obj      fyne.CanvasObject
}

func newImportView(u *UI) *importView {
	v := &importView{u: u}
	open := widget.NewButtonWithIcon("Open CSV or XLSX…", theme.FolderOpenIcon(), v.openDialog)
	open.Importance = widget.HighImportance
	v.fileInfo = widget.NewLabel("No file yet. Open one, or drop a .csv or .xlsx file onto this window.")
	v.fileInfo.Wrapping = fyne.TextWrapWord
	v.problems = widget.NewLabel("")
	v.problems.Wrapping = fyne.TextWrapWord
	v.problems.Importance = widget.DangerImportance
	v.status = note("")
	v.spSel = widget.NewSelect(nil, func(sp string) { v.loadGroups(sp) })
	v.spSel.PlaceHolder = "Service provider / enterprise"
	v.groupSel = widget.NewSelect(nil, func(string) { v.updateNext() })
	v.groupSel.PlaceHolder = "Group"
	v.next = widget.NewButtonWithIcon("Preview", theme.NavigateNextIcon(), v.toPreview)
	v.next.Importance = widget.HighImportance
	v.next.Disable()
	target := widget.NewForm(
		widget.NewFormItem("Service provider", v.spSel),
		widget.NewFormItem("Group", v.groupSel),
	)
	top := container.NewVBox(heading("Import users from a file"),
		note("The first row names the columns (userId, firstName, lastName, phoneNumber, deviceType, macAddress, …, as exported by bwbulk)."),
		container.NewHBox(open), v.fileInfo, target, v.status, container.NewHBox(v.next))
	v.obj = container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.problems))
	return v
}

// loadSPs fills the service provider list (when the screen is first used).
func (v *importView) loadSPs() {
	cat := v.u.catalogue()
	v.status.SetText("Loading service providers…")
	v.u.spawn(func() {
		sps, err := cat.ServiceProviders(v.u.ctx)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not load service providers: " + err.Error())
				return
			}
			v.status.SetText("")
			v.sps = sps
			ids := make([]string, len(sps))
			for i, s := range sps {
				ids[i] = s.ID
			}
			v.spSel.SetOptions(ids)
		})
	})
}

func (v *importView) loadGroups(sp string) {
	cat := v.u.catalogue()
	v.groupSel.ClearSelected()
	v.groupSel.SetOptions(nil)
	v.u.spawn(func() {
		gs, err := cat.Groups(v.u.ctx, sp)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not load groups: " + err.Error())
				return
			}
			ids := make([]string, len(gs))
			for i, g := range gs {
				ids[i] = g.ID
			}
			v.groupSel.SetOptions(ids)
			v.updateNext()
		})
	})
}

func (v *importView) updateNext() {
	enable(v.next, len(v.rows) > 0 && v.spSel.Selected != "" && v.groupSel.Selected != "")
}

func (v *importView) openDialog() {
	v.u.chooseOpen("Open users to import", []string{".csv", ".xlsx"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			v.u.showError("Open", err)
			return
		}
		if rc != nil {
			v.read("Open", rc.URI().Name(), func() (io.ReadCloser, error) { return rc, nil })
		}
	})
}

// dropped handles files dropped onto the window: the first CSV/XLSX is
// imported.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	for _, uri := range uris {
		ext := strings.ToLower(uri.Extension())
		if ext != ".csv" && ext != ".xlsx" {
			continue
		}
		u.Show(ScreenImport)
		u.importer.read("Import", uri.Name(), func() (io.ReadCloser, error) { return os.Open(uri.Path()) })
		return
	}
	u.showInfo("Import", "Drop a .csv or .xlsx file to import users.")
}

// read reads a file off the UI goroutine and loads it; a file that cannot
// be read is reported in a dialog titled what.
func (v *importView) read(what, name string, open func() (io.ReadCloser, error)) {
	v.u.spawn(func() {
		var b []byte
		rc, err := open()
		if err == nil {
			b, err = io.ReadAll(rc)
			rc.Close()
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError(what, err)
				return
			}
			v.load(name, b)
		})
	})
}

// load parses a file off the UI goroutine and shows its problems.
func (v *importView) load(name string, b []byte) {
	v.fileInfo.SetText("Reading " + name + "…")
	v.u.spawn(func() {
		rows, probs, err := wizard.ImportFile(name, bytes.NewReader(b))
		fyne.Do(func() { v.loaded(name, rows, probs, err) })
	})
}

func (v *importView) loaded(name string, rows []wizard.Row, probs []wizard.Problem, err error) {
	if err != nil {
		v.rows = nil
		v.fileInfo.SetText(name + ": " + err.Error())
		v.problems.SetText("")
		v.updateNext()
		return
	}
	v.rows, v.file = rows, name
	v.fileInfo.SetText(fmt.Sprintf("%s: %d users, %d problems found while reading. Pick where they go, then Preview to check and fix them.", name, len(rows), len(probs)))
	var lines []string
	for i, p := range probs {
		if i == 200 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(probs)-200))
			break
		}
		lines = append(lines, p.Error())
	}
	v.problems.SetText(strings.Join(lines, "\n"))
	if len(v.sps) == 0 {
		v.loadSPs()
	}
	v.updateNext()
}

// toPreview loads the group's facts and opens the wizard's preview with
// the imported rows.
func (v *importView) toPreview() {
	sp, g := v.spSel.Selected, v.groupSel.Selected
	isEnt := false
	for _, s := range v.sps {
		if s.ID == sp {
			isEnt = s.IsEnterprise
		}
	}
	rows := v.rows
	cat := v.u.catalogue()
	v.next.Disable()
	v.status.SetText("Reading group " + g + "…")
	v.u.spawn(func() {
		f, err := wizard.LoadFacts(context.Background(), cat, sp, g)
		fyne.Do(func() {
			v.updateNext()
			if err != nil {
				v.status.SetText("")
				v.u.showError("Import", err)
				return
			}
			v.status.SetText("")
			m := wizard.ModelForImport(sp, isEnt, f, rows)
			v.u.wizard.reset(m, wizard.StepPreview, 0)
			v.u.Show(ScreenNewUsers)
		})
	})
}
