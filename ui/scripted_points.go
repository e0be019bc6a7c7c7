package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// scriptedPoints shows what a help desk meets beyond the main walk: the
// focus seen in both themes, a find and replace on selected rows, the
// training scenarios, an HR file without user ids, the guarded TLS
// option and a search for a ticket in Tasks. m is a finished wizard's
// model, opened again at its preview.
func (u *UI) scriptedPoints(m *wizard.Model, shot func(string) error, do func(func()), idle func(), wait func(func() bool)) error {
	w := u.wizard
	do(func() { u.Show(ScreenNewUsers); w.reset(m, wizard.StepPreview, 0) })
	idle()
	wait(func() bool { return w.preview.p != nil })
	// Rows 2 to 4 of the user id column selected, as Shift+click does:
	// Find and replace opens on them.
	do(func() {
		v := w.preview
		c := 0
		for i, col := range v.cols {
			if col == wizard.ColUserID {
				c = i
			}
		}
		v.table.Select(widget.TableCellID{Row: 3, Col: c})
		v.anchor, v.hasAnchor = widget.TableCellID{Row: 1, Col: c}, true
		v.showSelection()
		v.findReplaceDialog()
		v.replaceForm.find.SetText("@")
		v.replaceForm.repl.SetText(".desk@")
	})
	if err := shot("find-replace-selected"); err != nil {
		return err
	}
	do(u.dismissOverlays)
	for _, variant := range []struct {
		name string
		v    fyne.ThemeVariant
	}{{"focus-light", theme.VariantLight}, {"focus-dark", theme.VariantDark}} {
		do(func() {
			fyne.CurrentApp().Settings().SetTheme(focusTheme{variantTheme{theme.DefaultTheme(), variant.v}})
			w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
		})
		idle()
		do(func() {
			w.views[wizard.StepEnterprise].(*enterpriseStep).picked("acme-ent")
			u.win.Canvas().Focus(w.next)
		})
		if err := shot(variant.name); err != nil {
			return err
		}
	}
	do(func() { fyne.CurrentApp().Settings().SetTheme(focusTheme{theme.DefaultTheme()}) })

	if d := u.demoSettings; d != nil && d.choice != nil {
		do(func() { u.Show(ScreenSettings); d.choice.SetSelected(scenarioOf("taken-id").Title) })
		if err := shot("settings-training-scenario"); err != nil {
			return err
		}
		do(func() { d.choice.SetSelected(scenarioOf("").Title) })
	}

	do(func() {
		u.Show(ScreenImport)
		u.importer.load("hr-starters.csv", []byte(scriptedHRCSV))
	})
	u.scriptedImportTo(do, wait)
	if err := shot("import-userid-from-template"); err != nil {
		return err
	}

	do(func() {
		u.Show(ScreenConnections)
		u.connections.edit(u.session.Profile())
		u.connections.insecure.Tapped(&fyne.PointEvent{})
	})
	if err := shot("connections-insecure-asks"); err != nil {
		return err
	}
	do(u.dismissOverlays)

	do(func() { u.Show(ScreenTasks); u.tasks.taskSearch.SetText(scriptedTicket) })
	idle()
	return shot("tasks-search-ticket")
}

// variantTheme draws a theme in one variant, whatever the system's.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// scriptedImportTo waits for the Import screen to have read its file and
// the server's providers, then picks the demo group acme-ent/acme-hq.
func (u *UI) scriptedImportTo(do func(func()), wait func(func() bool)) {
	wait(func() bool { return u.importer.imp != nil && len(u.importer.sps) > 0 })
	do(func() { u.importer.spSel.SetSelected("acme-ent") })
	wait(func() bool { return len(u.importer.groupSel.Options) > 0 })
	do(func() { u.importer.groupSel.SetSelected("acme-hq") })
}

// dismissOverlays closes whatever dialog is open.
func (u *UI) dismissOverlays() {
	for _, o := range u.win.Canvas().Overlays().List() {
		u.win.Canvas().Overlays().Remove(o)
	}
}

// scriptedTicket is the change reference the scripted demo's first task
// carries.
const scriptedTicket = "CHG-1042"

// scriptedHRCSV is an HR system's export: no user id column, so the
// import offers to build one from a template.
const scriptedHRCSV = "First Name,Last Name,Email,Phone Number\r\n" +
	"Ann,Lee,ann.lee@acme.example.com,2025550170\r\n" +
	"Bo,Van Chen,bo.chen@acme.example.com,2025550171\r\n" +
	"Cleo,Martin,cleo.martin@acme.example.com,2025550172\r\n"
