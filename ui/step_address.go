package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"bwbulk/wizard"
)

// addressStep holds the optional address templates.
type addressStep struct {
	w      *wizardView
	fs     *fieldSet
	tfs    []*templateField
	sample *sampleLabel
	opt    fyne.CanvasObject
}

func newAddressStep(w *wizardView) *addressStep {
	s := &addressStep{w: w, fs: newFieldSet(), sample: newSampleLabel(wizard.ColAddressLine1, wizard.ColCity)}
	upd := func() { s.sample.update(w.m) }
	a := func() *wizard.AddressStep { return &w.m.Address }
	mk := func(p func() *string) *templateField {
		t := w.templateField(p, upd)
		s.tfs = append(s.tfs, t)
		return t
	}
	loc := mk(func() *string { return &a().Location })
	l1 := mk(func() *string { return &a().Line1 })
	l2 := mk(func() *string { return &a().Line2 })
	city := mk(func() *string { return &a().City })
	st := mk(func() *string { return &a().State })
	zip := mk(func() *string { return &a().Zip })
	country := mk(func() *string { return &a().Country })
	s.opt = container.NewVBox(form(
		s.fs.row(wizard.FieldAddressLocation, "Location", "", loc.obj),
		s.fs.row(wizard.FieldAddressLine1, "Address line 1", "", l1.obj),
		s.fs.row(wizard.FieldAddressLine2, "Address line 2", "", l2.obj),
		s.fs.row(wizard.FieldCity, "City", "", city.obj),
		s.fs.row(wizard.FieldState, "State / province", "", st.obj),
		s.fs.row(wizard.FieldZip, "ZIP / postal code", "", zip.obj),
		s.fs.row(wizard.FieldCountry, "Country", "", country.obj),
	), s.sample.l)
	return s
}

func (s *addressStep) required() fyne.CanvasObject {
	return note("Nothing is required on this step: see the Optional tab.")
}
func (s *addressStep) optional() fyne.CanvasObject { return s.opt }
func (s *addressStep) fields() *fieldSet           { return s.fs }

func (s *addressStep) load() {
	for _, t := range s.tfs {
		t.load()
	}
	s.sample.update(s.w.m)
}
