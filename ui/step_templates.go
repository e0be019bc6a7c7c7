package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"bwbulk/wizard"
)

// templateStep is a step of optional template fields with a live sample
// under them: Contact and Address.
type templateStep struct {
	w      *wizardView
	fs     *fieldSet
	tfs    []*templateField
	sample *sampleLabel
	opt    fyne.CanvasObject
}

// templateRow is one field of a templateStep: the model string it edits.
type templateRow struct {
	field       wizard.Field
	label       string
	value       func(*wizard.Model) *string
	placeholder string
}

func newTemplateStep(w *wizardView, sample []wizard.Column, rows []templateRow) *templateStep {
	s := &templateStep{w: w, fs: newFieldSet(), sample: newSampleLabel(sample...)}
	upd := func() { s.sample.update(w.m) }
	var formRows [][]fyne.CanvasObject
	for _, r := range rows {
		t := w.templateField(func() *string { return r.value(w.m) }, upd)
		if r.placeholder != "" {
			t.entry.SetPlaceHolder(r.placeholder)
		}
		s.tfs = append(s.tfs, t)
		formRows = append(formRows, s.fs.row(r.field, r.label, "", t.obj))
	}
	s.opt = container.NewVBox(form(formRows...), s.sample.l)
	return s
}

func newContactStep(w *wizardView) *templateStep {
	return newTemplateStep(w, []wizard.Column{wizard.ColEmail}, []templateRow{
		{wizard.FieldEmail, wizard.ColEmail.Title(), func(m *wizard.Model) *string { return &m.Contact.Email }, "{{ user name }}@acme.example.com"},
		{wizard.FieldMobile, wizard.ColMobile.Title(), func(m *wizard.Model) *string { return &m.Contact.Mobile }, ""},
		{wizard.FieldPager, wizard.ColPager.Title(), func(m *wizard.Model) *string { return &m.Contact.Pager }, ""},
		{wizard.FieldYahooID, wizard.ColYahooID.Title(), func(m *wizard.Model) *string { return &m.Contact.YahooID }, ""},
		{wizard.FieldTitle, wizard.ColTitle.Title(), func(m *wizard.Model) *string { return &m.Contact.Title }, ""},
	})
}

func newAddressStep(w *wizardView) *templateStep {
	a := func(m *wizard.Model) *wizard.AddressStep { return &m.Address }
	return newTemplateStep(w, []wizard.Column{wizard.ColAddressLine1, wizard.ColCity}, []templateRow{
		{wizard.FieldAddressLocation, wizard.ColAddressLocation.Title(), func(m *wizard.Model) *string { return &a(m).Location }, ""},
		{wizard.FieldAddressLine1, wizard.ColAddressLine1.Title(), func(m *wizard.Model) *string { return &a(m).Line1 }, ""},
		{wizard.FieldAddressLine2, wizard.ColAddressLine2.Title(), func(m *wizard.Model) *string { return &a(m).Line2 }, ""},
		{wizard.FieldCity, wizard.ColCity.Title(), func(m *wizard.Model) *string { return &a(m).City }, ""},
		{wizard.FieldState, wizard.ColState.Title(), func(m *wizard.Model) *string { return &a(m).State }, ""},
		{wizard.FieldZip, wizard.ColZip.Title(), func(m *wizard.Model) *string { return &a(m).Zip }, ""},
		{wizard.FieldCountry, wizard.ColCountry.Title(), func(m *wizard.Model) *string { return &a(m).Country }, ""},
	})
}

func (s *templateStep) required() fyne.CanvasObject {
	return note("Nothing is required on this step: see the Optional tab.")
}
func (s *templateStep) optional() fyne.CanvasObject { return s.opt }
func (s *templateStep) fields() *fieldSet           { return s.fs }

func (s *templateStep) load() {
	for _, t := range s.tfs {
		t.load()
	}
	s.sample.update(s.w.m)
}
