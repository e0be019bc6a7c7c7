package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"bwbulk/wizard"
)

// contactStep holds the optional contact templates.
type contactStep struct {
	w      *wizardView
	fs     *fieldSet
	tfs    []*templateField
	sample *sampleLabel
	opt    fyne.CanvasObject
}

func newContactStep(w *wizardView) *contactStep {
	s := &contactStep{w: w, fs: newFieldSet(), sample: newSampleLabel(wizard.ColEmail)}
	upd := func() { s.sample.update(w.m) }
	c := func() *wizard.ContactStep { return &w.m.Contact }
	email := w.templateField(func() *string { return &c().Email }, upd)
	mobile := w.templateField(func() *string { return &c().Mobile }, upd)
	pager := w.templateField(func() *string { return &c().Pager }, upd)
	yahoo := w.templateField(func() *string { return &c().YahooID }, upd)
	title := w.templateField(func() *string { return &c().Title }, upd)
	s.tfs = []*templateField{email, mobile, pager, yahoo, title}
	email.entry.SetPlaceHolder("{{ user name }}@acme.example.com")
	s.opt = container.NewVBox(form(
		s.fs.row(wizard.FieldEmail, "E-mail", "", email.obj),
		s.fs.row(wizard.FieldMobile, "Mobile", "", mobile.obj),
		s.fs.row(wizard.FieldPager, "Pager", "", pager.obj),
		s.fs.row(wizard.FieldYahooID, "Yahoo id", "", yahoo.obj),
		s.fs.row(wizard.FieldTitle, "Title", "", title.obj),
	), s.sample.l)
	return s
}

func (s *contactStep) required() fyne.CanvasObject {
	return note("Nothing is required on this step: see the Optional tab.")
}
func (s *contactStep) optional() fyne.CanvasObject { return s.opt }
func (s *contactStep) fields() *fieldSet           { return s.fs }

func (s *contactStep) load() {
	for _, t := range s.tfs {
		t.load()
	}
	s.sample.update(s.w.m)
}
