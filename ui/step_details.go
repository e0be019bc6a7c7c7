package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"bwbulk/wizard"
)

const tzSep = "  ·  "

// detailsStep sets time zone and language, both searchable.
type detailsStep struct {
	w        *wizardView
	fs       *fieldSet
	tz, lang *searchSelect
	opt      fyne.CanvasObject
	setting  bool
}

func newDetailsStep(w *wizardView) *detailsStep {
	s := &detailsStep{w: w, fs: newFieldSet()}
	s.tz = newSearchSelect("Type to search, e.g. New York", func(v string) {
		if s.setting {
			return
		}
		key, _, _ := strings.Cut(v, tzSep)
		s.w.m.Details.TimeZone = strings.TrimSpace(key)
		s.w.changed()
	})
	s.lang = newSearchSelect("Type to search, e.g. English", func(v string) {
		if s.setting {
			return
		}
		s.w.m.Details.Language = strings.TrimSpace(v)
		s.w.changed()
	})
	s.tz.relayout, s.lang.relayout = w.relayout, w.relayout
	s.opt = container.NewVBox(note("Blank means the group's default."), form(
		s.fs.row(wizard.FieldTimeZone, "Time zone", "", s.tz.obj),
		s.fs.row(wizard.FieldLanguage, "Language", "", s.lang.obj),
	))
	return s
}

func (s *detailsStep) required() fyne.CanvasObject {
	return note("Nothing is required on this step: see the Optional tab.")
}
func (s *detailsStep) optional() fyne.CanvasObject { return s.opt }
func (s *detailsStep) fields() *fieldSet           { return s.fs }

func (s *detailsStep) load() {
	s.setting = true
	defer func() { s.setting = false }()
	cur := s.w.m.Details.TimeZone
	if f := s.w.m.EffectiveFacts(); f != nil {
		opts := make([]string, len(f.TimeZones))
		for i, z := range f.TimeZones {
			opts[i] = z.Key
			if z.Display != "" {
				opts[i] += tzSep + z.Display
			}
			if z.Key == cur {
				cur = opts[i]
			}
		}
		s.tz.setOptions(opts)
		s.lang.setOptions(f.Languages)
	}
	s.tz.set(cur)
	s.lang.set(s.w.m.Details.Language)
}
