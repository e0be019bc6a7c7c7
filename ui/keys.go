package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's keyboard rules, which Fyne's widgets leave out:
//
//   - Enter presses a focused button (Space already does).
//   - Enter in a one-line field, a tick box or a choice with no Enter
//     action of its own presses the default button: a dialog's confirm
//     button, else the wizard's Next when the step is valid.
//   - Escape cancels the dialog on top; outside dialogs it takes the focus
//     off the field, so the next Enter goes to the window.
//   - Enter and Escape with nothing focused do the same.
//
// Fyne delivers a key to the focused widget only, so the rules live in
// the widgets the screens are built of (keyButton, keyEntry, keyCheck,
// keySelect) and in the dialogs built by confirmDialog, formDialog and
// infoDialog, whose buttons are keyButtons.

// uis maps a window's canvas to its UI, so a widget can find the rules of
// the window it is drawn in.
var uis sync.Map // fyne.Canvas → *UI

func uiFor(o fyne.CanvasObject) *UI {
	app := fyne.CurrentApp()
	if app == nil {
		return nil
	}
	c := app.Driver().CanvasForObject(o)
	if c == nil {
		return nil
	}
	if u, ok := uis.Load(c); ok {
		return u.(*UI)
	}
	return nil
}

func isEnter(ev *fyne.KeyEvent) bool { return ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter }

// keyButton is a widget.Button that Enter presses too, outlined while it
// has the keyboard focus (focusring.go).
type keyButton struct {
	widget.Button
	focused bool
}

func newButton(label string, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

func newButtonWithIcon(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := newButton(label, tapped)
	b.Icon = icon
	return b
}

// TypedKey presses the button on Enter and passes Escape to the window.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch {
	case isEnter(ev):
		if !b.Disabled() && b.OnTapped != nil {
			b.Tapped(&fyne.PointEvent{})
		}
	case ev.Name == fyne.KeyEscape:
		if u := uiFor(b); u != nil {
			u.escapeKey()
		}
	default:
		b.Button.TypedKey(ev)
	}
}

// keyEntry is a widget.Entry following the window's Enter and Escape.
type keyEntry struct{ widget.Entry }

func newEntry() *keyEntry {
	e := &keyEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry is a password field with a show/hide button.
func newPasswordEntry() *keyEntry {
	e := newEntry()
	e.Password = true
	var reveal *keyButton
	// As Fyne's: the crossed eye while the text is hidden.
	reveal = newButtonWithIcon("", theme.VisibilityOffIcon(), func() {
		e.Password = !e.Password
		if e.Password {
			reveal.SetIcon(theme.VisibilityOffIcon())
		} else {
			reveal.SetIcon(theme.VisibilityIcon())
		}
		e.Refresh()
	})
	reveal.Importance = widget.LowImportance
	e.ActionItem = reveal
	return e
}

// TypedKey: Enter in a one-line field without its own action presses the
// default button; Escape goes to the window.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	switch {
	case isEnter(ev) && !e.MultiLine && e.OnSubmitted == nil:
		if u := uiFor(e); u != nil {
			u.enterKey(e)
		}
	case ev.Name == fyne.KeyEscape:
		if u := uiFor(e); u != nil {
			u.escapeKey()
		}
	default:
		e.Entry.TypedKey(ev)
	}
}

// TypedShortcut passes the window's own shortcuts (Ctrl+1…6, Ctrl+S) on
// to the window: a focused field would swallow them.
func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if windowShortcut(s) {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(interface{ TypedShortcut(fyne.Shortcut) }); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// windowShortcut reports whether s is one the window handles (UI.shortcuts).
func windowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	switch cs.KeyName {
	case fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.KeyS:
		return true
	}
	return false
}

// keyCheck is a widget.Check following the window's Enter and Escape.
type keyCheck struct{ widget.Check }

func newCheck(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey: Enter presses the default button, Escape goes to the window.
func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	if u := uiFor(c); u != nil {
		switch {
		case isEnter(ev):
			u.enterKey(c)
			return
		case ev.Name == fyne.KeyEscape:
			u.escapeKey()
			return
		}
	}
	c.Check.TypedKey(ev)
}

// keySelect is a widget.Select following the window's Enter and Escape.
type keySelect struct{ widget.Select }

func newSelect(options []string, changed func(string)) *keySelect {
	s := &keySelect{}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey: Enter presses the default button, Escape goes to the window.
func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if u := uiFor(s); u != nil {
		switch {
		case isEnter(ev):
			u.enterKey(s)
			return
		case ev.Name == fyne.KeyEscape:
			u.escapeKey()
			return
		}
	}
	s.Select.TypedKey(ev)
}

// keyDialog is a dialog shown by the UI: its overlay (to know it is on
// top), what Enter does (press the default button) and what Escape does.
type keyDialog struct {
	u         *UI
	d         dialog.Dialog
	overlay   fyne.CanvasObject
	enter     func()
	escape    func()
	confirm   *keyButton
	dismissal *keyButton
}

// showDialog shows d and records its Enter and Escape actions.
func (u *UI) showDialog(kd *keyDialog) {
	kd.d.Show()
	kd.overlay = u.win.Canvas().Overlays().Top()
	u.dialogs = append(u.dialogs, kd)
}

// topDialog returns the dialog on top of the window, if it is one of ours;
// dialogs no longer shown are forgotten.
func (u *UI) topDialog() *keyDialog {
	ov := u.win.Canvas().Overlays()
	live := u.dialogs[:0]
	for _, kd := range u.dialogs {
		for _, o := range ov.List() {
			if o == kd.overlay {
				live = append(live, kd)
				break
			}
		}
	}
	u.dialogs = live
	top := ov.Top()
	for i := len(u.dialogs) - 1; i >= 0; i-- {
		if u.dialogs[i].overlay == top {
			return u.dialogs[i]
		}
	}
	return nil
}

// enterKey is Enter from a field, tick box or choice (from; nil for
// nothing focused): it presses the default button.
func (u *UI) enterKey(from fyne.Focusable) bool {
	if u.win.Canvas().Overlays().Top() != nil {
		if kd := u.topDialog(); kd != nil && kd.enter != nil {
			kd.enter()
			return true
		}
		return false
	}
	if u.nav.Selected() != u.tabs[ScreenNewUsers] || u.wizard.next.Disabled() {
		return false
	}
	u.wizard.goNext()
	return true
}

// enterPress is what Enter does on the focused object f (the test of the
// rules, and the window's handler with nothing focused).
func (u *UI) enterPress(f fyne.Focusable) bool {
	switch o := f.(type) {
	case *keyButton:
		if o.Disabled() || o.OnTapped == nil {
			return false
		}
		o.Tapped(&fyne.PointEvent{})
		return true
	case *keyEntry:
		if o.MultiLine || o.OnSubmitted != nil {
			return false
		}
	}
	return u.enterKey(f)
}

// escapeKey cancels the dialog on top, or takes the focus off a field.
func (u *UI) escapeKey() {
	if u.win.Canvas().Overlays().Top() != nil {
		if kd := u.topDialog(); kd != nil && kd.escape != nil {
			kd.escape()
		}
		return
	}
	u.win.Canvas().Unfocus()
}

// keyboardRules sets the window's handler for keys typed with nothing
// focused: Enter and Escape as above.
func (u *UI) keyboardRules() {
	uis.Store(u.win.Canvas(), u)
	u.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch {
		case isEnter(ev):
			u.enterKey(nil)
		case ev.Name == fyne.KeyEscape:
			u.escapeKey()
		}
	})
}

// dialogButtons are a dialog's Cancel and confirm buttons, confirm the
// default (Enter) one.
func dialogButtons(confirm, dismiss string, done func(bool)) (ok, cancel *keyButton) {
	ok = newButtonWithIcon(confirm, theme.ConfirmIcon(), func() { done(true) })
	ok.Importance = widget.HighImportance
	cancel = newButtonWithIcon(dismiss, theme.CancelIcon(), func() { done(false) })
	return ok, cancel
}

// confirmDialog is dialog.NewCustomConfirm whose buttons follow the
// keyboard rules: Enter confirms, Escape cancels. cb may be nil.
func (u *UI) confirmDialog(title, confirm, dismiss string, content fyne.CanvasObject, cb func(bool)) *keyDialog {
	d := dialog.NewCustomWithoutButtons(title, content, u.win)
	kd := &keyDialog{u: u, d: d}
	once := false
	done := func(ok bool) {
		if once {
			return
		}
		once = true
		d.Hide()
		if cb != nil {
			cb(ok)
		}
	}
	kd.confirm, kd.dismissal = dialogButtons(confirm, dismiss, done)
	d.SetButtons([]fyne.CanvasObject{kd.dismissal, kd.confirm})
	kd.enter = func() {
		if !kd.confirm.Disabled() {
			kd.confirm.Tapped(&fyne.PointEvent{})
		}
	}
	kd.escape = func() { done(false) }
	return kd
}

// formDialog is dialog.NewForm whose buttons follow the keyboard rules:
// Enter submits when the form is valid, Escape cancels.
func (u *UI) formDialog(title, confirm, dismiss string, items []*widget.FormItem, cb func(bool)) *keyDialog {
	form := widget.NewForm(items...)
	kd := u.confirmDialog(title, confirm, dismiss, form, cb)
	form.SetOnValidationChanged(func(err error) {
		if err != nil {
			kd.confirm.Disable()
		} else {
			kd.confirm.Enable()
		}
	})
	form.Validate()
	return kd
}

// infoDialog shows content with one OK button; Enter and Escape close it.
func (u *UI) infoDialog(title string, content fyne.CanvasObject) *keyDialog {
	d := dialog.NewCustomWithoutButtons(title, content, u.win)
	kd := &keyDialog{u: u, d: d}
	ok := newButton("OK", d.Hide)
	ok.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{ok})
	kd.confirm = ok
	kd.enter, kd.escape = d.Hide, d.Hide
	d.Resize(fyne.NewSize(520, 0))
	return kd
}

// Show shows the dialog with its keyboard rules.
func (kd *keyDialog) Show() { kd.u.showDialog(kd) }

// Resize and Hide pass on to the dialog.
func (kd *keyDialog) Resize(s fyne.Size) { kd.d.Resize(s) }

// Hide closes the dialog without an answer.
func (kd *keyDialog) Hide() { kd.d.Hide() }

// infoContent is text in a label that wraps at the dialog's width
// (infoDialog makes it 520 wide).
func infoContent(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
