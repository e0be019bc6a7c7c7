package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// settingsScreen shows where data lives, the keyring in use and the
// version.
func (u *UI) settingsScreen() fyne.CanvasObject {
	dir := u.opts.DataDir
	if dir == "" {
		dir = "(not set)"
	}
	u.keyringLabel = widget.NewLabel("")
	u.keyringLabel.Wrapping = fyne.TextWrapWord
	u.refreshSettings()
	form := widget.NewForm(
		widget.NewFormItem("Version", widget.NewLabel(u.opts.Version)),
		widget.NewFormItem("Data folder", widget.NewLabel(dir)),
		widget.NewFormItem("Passwords", u.keyringLabel),
		widget.NewFormItem("Appearance", widget.NewLabel("Light or dark, following the system setting")),
		u.demoSettingsItem(),
		u.teamSettingsItem(),
	)
	title := widget.NewLabelWithStyle("Settings", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, form)
}

// refreshSettings updates the keyring line.
func (u *UI) refreshSettings() {
	if u.keyringLabel == nil {
		return
	}
	text := "Kept in the system keyring (administrator passwords and the key that encrypts drafts and tasks)"
	if k := u.opts.Keyring; k != nil && k.Degraded() != nil {
		text = "No system keyring (" + k.Degraded().Error() + "): passwords and the encryption key are kept for this session only"
	}
	u.keyringLabel.SetText(text)
}
