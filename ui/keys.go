package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// keyboardRules adds to the window what Fyne's widgets leave out: Enter
// presses a focused button (Space already does), and Enter in a one-line
// field of the wizard that has no Enter action of its own goes Next when
// the step is valid. Enter with nothing focused goes Next too (shortcuts).
func (u *UI) keyboardRules() {
	dc, ok := u.win.Canvas().(desktop.Canvas)
	if !ok {
		return
	}
	dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter {
			u.enterPress(u.win.Canvas().Focused())
		}
	})
}

// enterPress is what Enter does on the focused object f; it reports
// whether it did something.
func (u *UI) enterPress(f fyne.Focusable) bool {
	switch o := f.(type) {
	case *widget.Button:
		if o.Disabled() || o.OnTapped == nil {
			return false
		}
		o.Tapped(&fyne.PointEvent{})
		return true
	case *widget.Entry:
		if o.MultiLine || o.OnSubmitted != nil || u.win.Canvas().Overlays().Top() != nil {
			return false
		}
		if u.nav.Selected() != u.tabs[ScreenNewUsers] || u.wizard.next.Disabled() {
			return false
		}
		u.wizard.goNext()
		return true
	}
	return false
}
