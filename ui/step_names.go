package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"bwbulk/wizard"
)

// templateField is an entry bound to one template string of the model,
// with a tag picker.
type templateField struct {
	entry *keyEntry
	obj   fyne.CanvasObject
	ptr   func() *string
}

func (w *wizardView) templateField(ptr func() *string, onChange func()) *templateField {
	t := &templateField{entry: newEntry(), ptr: ptr}
	t.entry.OnChanged = func(v string) {
		if w.loading {
			return
		}
		*t.ptr() = v
		onChange()
		w.changed()
	}
	t.entry.OnSubmitted = func(string) { w.goNext() }
	t.obj = container.NewBorder(nil, nil, nil, tagPicker(t.entry, commonTags), t.entry)
	return t
}

func (t *templateField) load() { t.entry.SetText(*t.ptr()) }

// namesStep sets the name templates.
type namesStep struct {
	w                        *wizardView
	fs                       *fieldSet
	first, last, cfirst, cln *templateField
	sample, csample          *sampleLabel
	req, opt                 fyne.CanvasObject
}

func newNamesStep(w *wizardView) *namesStep {
	s := &namesStep{w: w, fs: newFieldSet()}
	s.sample = newSampleLabel(wizard.ColFirstName, wizard.ColLastName)
	s.csample = newSampleLabel(wizard.ColCLIDFirstName, wizard.ColCLIDLastName)
	upd := func() { s.sample.update(w.m); s.csample.update(w.m) }
	m := func() *wizard.Model { return w.m }
	s.first = w.templateField(func() *string { return &m().Names.FirstName }, upd)
	s.last = w.templateField(func() *string { return &m().Names.LastName }, upd)
	s.cfirst = w.templateField(func() *string { return &m().Names.CLIDFirstName }, upd)
	s.cln = w.templateField(func() *string { return &m().Names.CLIDLastName }, upd)
	s.req = container.NewVBox(form(
		s.fs.row(wizard.FieldFirstName, "First name", "", s.first.obj),
		s.fs.row(wizard.FieldLastName, "Last name", "", s.last.obj),
	), s.sample.l)
	s.opt = container.NewVBox(note("Calling line id names are shown to the people called. Blank means the first and last name."), form(
		s.fs.row(wizard.FieldCLIDFirstName, "Caller id first name", "", s.cfirst.obj),
		s.fs.row(wizard.FieldCLIDLastName, "Caller id last name", "", s.cln.obj),
	), s.csample.l)
	return s
}

func (s *namesStep) required() fyne.CanvasObject { return s.req }
func (s *namesStep) optional() fyne.CanvasObject { return s.opt }
func (s *namesStep) fields() *fieldSet           { return s.fs }

func (s *namesStep) load() {
	for _, t := range []*templateField{s.first, s.last, s.cfirst, s.cln} {
		t.load()
	}
	s.sample.update(s.w.m)
	s.csample.update(s.w.m)
}
