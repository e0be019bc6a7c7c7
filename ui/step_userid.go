package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// userIDStep sets the user id template and its domain.
type userIDStep struct {
	w       *wizardView
	fs      *fieldSet
	tpl     *keyEntry
	domain  *widget.SelectEntry
	sample  *sampleLabel
	req     fyne.CanvasObject
	setting bool
}

func newUserIDStep(w *wizardView) *userIDStep {
	s := &userIDStep{w: w, fs: newFieldSet(), sample: newSampleLabel(wizard.ColUserID)}
	s.tpl = newEntry()
	s.tpl.OnChanged = func(v string) {
		if !s.setting {
			s.w.m.UserID.Template = v
			s.w.changed()
			s.sample.update(s.w.m)
		}
	}
	s.tpl.OnSubmitted = func(string) { s.w.goNext() }
	s.domain = widget.NewSelectEntry(nil)
	s.domain.OnChanged = func(v string) {
		if !s.setting {
			s.w.m.UserID.Domain = v
			s.w.changed()
			s.sample.update(s.w.m)
		}
	}
	s.req = container.NewVBox(
		note("User ids are made from a template: text with tags in {{ }}. Without an @ the domain below is added."),
		form(
			s.fs.row(wizard.FieldUserIDTemplate, "User id", "", container.NewBorder(nil, nil, nil, tagPicker(s.tpl, commonTags), s.tpl)),
			s.fs.row(wizard.FieldUserIDDomain, "Domain", "", s.domain),
		),
		s.sample.l,
	)
	return s
}

func (s *userIDStep) required() fyne.CanvasObject { return s.req }
func (s *userIDStep) optional() fyne.CanvasObject { return nil }
func (s *userIDStep) fields() *fieldSet           { return s.fs }

func (s *userIDStep) load() {
	s.setting = true
	defer func() { s.setting = false }()
	s.tpl.SetText(s.w.m.UserID.Template)
	var opts []string
	if f := s.w.m.EffectiveFacts(); f != nil {
		opts = f.Domains
		if len(opts) == 0 && f.Group.DefaultDomain != "" {
			opts = []string{f.Group.DefaultDomain}
		}
	}
	s.domain.SetOptions(opts)
	if s.w.m.UserID.Domain == "" && len(opts) > 0 {
		s.w.m.UserID.Domain = opts[0]
	}
	s.domain.SetText(s.w.m.UserID.Domain)
	s.sample.update(s.w.m)
}
