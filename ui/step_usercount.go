package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// maxWizardUsers bounds the '+' button; the model has its own limit.
const maxWizardUsers = 10000

// userCountStep asks how many users to create; its title shows the free
// licences.
type userCountStep struct {
	w       *wizardView
	fs      *fieldSet
	title   *widget.Label
	count   *numberEntry
	start   *numberEntry
	req     fyne.CanvasObject
	opt     fyne.CanvasObject
	setting bool
}

func newUserCountStep(w *wizardView) *userCountStep {
	s := &userCountStep{w: w, fs: newFieldSet()}
	s.title = heading("")
	s.count = newNumberEntry(1, maxWizardUsers, func(v int) {
		if s.setting {
			return
		}
		s.w.m.UserCount = v
		s.w.changed()
	})
	s.count.entry.OnSubmitted = func(string) { s.w.goNext() }
	s.start = newNumberEntry(0, 1_000_000_000, func(v int) {
		if s.setting {
			return
		}
		s.w.m.StartIndex = v
		s.w.changed()
	})
	s.req = container.NewVBox(s.title, form(s.fs.row(wizard.FieldUserCount, "Users to create", "", container.NewGridWrap(fyne.NewSize(220, 40), s.count.obj))))
	s.opt = form(s.fs.row(wizard.FieldStartIndex, "First {{ index }}", "The value {{ index }} takes on the first row (default 1).", container.NewGridWrap(fyne.NewSize(220, 40), s.start.obj)))
	return s
}

func (s *userCountStep) required() fyne.CanvasObject { return s.req }
func (s *userCountStep) firstFocus() fyne.Focusable  { return s.count.entry }
func (s *userCountStep) optional() fyne.CanvasObject { return s.opt }
func (s *userCountStep) fields() *fieldSet           { return s.fs }

func (s *userCountStep) load() {
	s.setting = true
	s.count.set(s.w.m.UserCount)
	s.start.set(s.w.m.StartIndex)
	s.setting = false
	s.title.SetText(freeLicencesTitle(s.w.m))
}

// freeLicencesTitle is "Number of users — 480 free licences in acme-hq".
func freeLicencesTitle(m *wizard.Model) string {
	f := m.EffectiveFacts()
	if f == nil || f.Group.UserLimit == 0 {
		return "Number of users"
	}
	return fmt.Sprintf("Number of users — %d free licences in %s (limit %d, %d in use)",
		f.Group.Free(), f.Group.GroupID, f.Group.UserLimit, f.Group.UserCount)
}
