package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen shows where data lives and the version.
func (u *UI) settingsScreen() fyne.CanvasObject {
	dir := u.opts.DataDir
	if dir == "" {
		dir = "(not set)"
	}
	form := widget.NewForm(
		widget.NewFormItem("Version", widget.NewLabel(u.opts.Version)),
		widget.NewFormItem("Data folder", widget.NewLabel(dir)),
		widget.NewFormItem("Appearance", widget.NewLabel("Light or dark, following the system setting")),
	)
	title := widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, form)
}
