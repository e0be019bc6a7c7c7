package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

const (
	numNone      = "No phone numbers"
	numList      = "Type numbers or ranges"
	numAvailable = "Pick from the group's available numbers"

	extNone     = "No extensions"
	extFromNum  = "Last digits of the phone number"
	extTemplate = "From a template"
)

// numbersStep assigns phone numbers (typed, ranges, or picked) and
// extensions.
type numbersStep struct {
	w         *wizardView
	fs        *fieldSet
	mode      *widget.RadioGroup
	add       *keyEntry
	entries   *widget.List
	listBox   *fyne.Container
	avail     *widget.CheckGroup
	availBox  *fyne.Container
	availNote *widget.Label
	extMode   *widget.RadioGroup
	extLen    *numberEntry
	extTpl    *templateField
	sample    *sampleLabel
	req, opt  fyne.CanvasObject
	setting   bool
}

func newNumbersStep(w *wizardView) *numbersStep {
	s := &numbersStep{w: w, fs: newFieldSet(), sample: newSampleLabel(wizard.ColPhoneNumber, wizard.ColExtension)}
	s.mode = widget.NewRadioGroup([]string{numNone, numList, numAvailable}, func(v string) {
		if s.setting {
			return
		}
		nm := &s.w.m.Numbers
		switch v {
		case numList:
			nm.Mode = wizard.NumbersList
		case numAvailable:
			nm.Mode = wizard.NumbersAvailable
		default:
			nm.Mode = wizard.ModeNone
		}
		nm.Entries = nil
		s.load()
		s.w.relayout()
		s.w.changed()
	})
	s.mode.Required = true
	s.add = newEntry()
	s.add.SetPlaceHolder("2025550100 or 2025550100-2025550149")
	addFn := func() {
		v := s.add.Text
		if v == "" {
			return
		}
		s.w.m.Numbers.Entries = append(s.w.m.Numbers.Entries, v)
		s.add.SetText("")
		s.entriesChanged()
	}
	s.add.OnSubmitted = func(string) { addFn() }
	s.entries = widget.NewList(
		func() int { return len(s.w.m.Numbers.Entries) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, newButtonWithIcon("", theme.DeleteIcon(), nil), widget.NewLabel("2025550100-2025550199"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			es := s.w.m.Numbers.Entries
			if i >= len(es) {
				return
			}
			box.Objects[0].(*widget.Label).SetText(describeEntry(es[i]))
			box.Objects[1].(*keyButton).OnTapped = func() {
				s.w.m.Numbers.Entries = slices.Delete(slices.Clone(s.w.m.Numbers.Entries), i, i+1)
				s.entriesChanged()
			}
		})
	s.listBox = container.NewBorder(
		container.NewBorder(nil, nil, nil, newButtonWithIcon("Add", theme.ContentAddIcon(), addFn), s.add),
		nil, nil, nil, container.NewGridWrap(fyne.NewSize(480, 200), s.entries))
	s.avail = widget.NewCheckGroup(nil, func(sel []string) {
		if s.setting {
			return
		}
		s.w.m.Numbers.Entries = slices.Clone(sel)
		s.entriesChanged()
	})
	s.availNote = note("")
	s.availBox = container.NewBorder(s.availNote, nil, nil, nil,
		container.NewGridWrap(fyne.NewSize(480, 240), container.NewVScroll(s.avail)))

	s.extMode = widget.NewRadioGroup([]string{extNone, extFromNum, extTemplate}, func(v string) {
		if s.setting {
			return
		}
		nm := &s.w.m.Numbers
		switch v {
		case extFromNum:
			nm.ExtensionMode = wizard.ExtensionsFromNumber
		case extTemplate:
			nm.ExtensionMode = wizard.ExtensionsTemplate
		default:
			nm.ExtensionMode = wizard.ModeNone
		}
		s.sample.update(s.w.m)
		s.w.changed()
	})
	s.extLen = newNumberEntry(2, 20, func(v int) {
		if s.setting {
			return
		}
		s.w.m.Numbers.ExtensionLength = v
		s.sample.update(s.w.m)
		s.w.changed()
	})
	s.extTpl = w.templateField(func() *string { return &w.m.Numbers.ExtensionTemplate }, func() { s.sample.update(w.m) })

	s.req = container.NewVBox(
		form(s.fs.row(wizard.FieldNumberMode, "Phone numbers", "", s.mode),
			s.fs.row(wizard.FieldNumbers, "Numbers", "", container.NewStack(s.listBox, s.availBox))),
		s.sample.l,
	)
	s.opt = form(
		s.fs.row(wizard.FieldExtensionMode, "Extensions", "", s.extMode),
		s.fs.row(wizard.FieldExtensionLength, "Digits", "0 means the group's default length.", container.NewGridWrap(fyne.NewSize(220, 40), s.extLen.obj)),
		s.fs.row(wizard.FieldExtensionTemplate, "Template", "", s.extTpl.obj),
	)
	return s
}

func (s *numbersStep) required() fyne.CanvasObject { return s.req }
func (s *numbersStep) optional() fyne.CanvasObject { return s.opt }
func (s *numbersStep) fields() *fieldSet           { return s.fs }

// describeEntry shows a range with its size.
func describeEntry(e string) string {
	r, err := wizard.ParseNumberRange(e)
	if err != nil || r.Len() <= 1 {
		return e
	}
	return fmt.Sprintf("%s (%s)", e, plural(r.Len(), "number"))
}

// entriesChanged shows a change of the model's number entries.
func (s *numbersStep) entriesChanged() {
	s.entries.Refresh()
	s.sample.update(s.w.m)
	s.w.changed()
}

func (s *numbersStep) load() {
	s.setting = true
	defer func() { s.setting = false }()
	nm := s.w.m.Numbers
	switch nm.Mode {
	case wizard.NumbersList:
		s.mode.SetSelected(numList)
	case wizard.NumbersAvailable:
		s.mode.SetSelected(numAvailable)
	default:
		s.mode.SetSelected(numNone)
	}
	s.listBox.Hide()
	s.availBox.Hide()
	switch nm.Mode {
	case wizard.NumbersList:
		s.listBox.Show()
		s.entries.Refresh()
	case wizard.NumbersAvailable:
		var avail []string
		if f := s.w.m.EffectiveFacts(); f != nil {
			avail = f.AvailableNumbers
		}
		s.avail.Options = avail
		s.avail.Selected = slices.Clone(nm.Entries)
		s.avail.Refresh()
		s.availNote.SetText(fmt.Sprintf("%s available. Tick the ones to use, or none to take the first %s.", plural(len(avail), "number"), plural(s.w.m.UserCount, "free one")))
		s.availBox.Show()
	}
	switch nm.ExtensionMode {
	case wizard.ExtensionsFromNumber:
		s.extMode.SetSelected(extFromNum)
	case wizard.ExtensionsTemplate:
		s.extMode.SetSelected(extTemplate)
	default:
		s.extMode.SetSelected(extNone)
	}
	s.extLen.set(nm.ExtensionLength)
	s.extTpl.load()
	s.sample.update(s.w.m)
}
