package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// servicesStep picks the service packs and user services every new user
// is given after it is created. Nothing on it is required; the preview's
// Services column changes them row by row.
type servicesStep struct {
	w      *wizardView
	fs     *fieldSet
	search *keyEntry
	list   *widget.List
	shown  []wizard.ServiceLicence
	known  bool
	about  *widget.Label
	packs  *widget.Label
	users  *widget.Label
	opt    fyne.CanvasObject
}

func newServicesStep(w *wizardView) *servicesStep {
	s := &servicesStep{w: w, fs: newFieldSet()}
	s.search = newEntry()
	s.search.SetPlaceHolder("Search, e.g. voice or forwarding")
	s.search.OnChanged = func(string) { s.filter() }
	s.list = widget.NewList(
		func() int { return len(s.shown) },
		func() fyne.CanvasObject {
			kind := widget.NewLabel("Service pack")
			qty := widget.NewLabel("1000 of 1000 left")
			return container.NewBorder(nil, nil, newCheck("Call Forwarding Not Reachable", nil), container.NewHBox(kind, qty))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.shown) {
				return
			}
			l := s.shown[i]
			box := o.(*fyne.Container)
			chk := box.Objects[0].(*keyCheck)
			right := box.Objects[1].(*fyne.Container)
			chk.OnChanged = nil
			chk.Text = l.Name
			chk.Checked = s.w.m.Picked(l)
			chk.Refresh()
			chk.OnChanged = func(on bool) { s.pick(l, on) }
			right.Objects[0].(*widget.Label).SetText(l.Kind())
			q := right.Objects[1].(*widget.Label)
			switch {
			case !s.known:
				q.SetText("licences not known")
				q.Importance = widget.LowImportance
			case !l.Unlimited() && l.Left() < s.w.m.RowCount():
				q.SetText(l.Quantity())
				q.Importance = widget.DangerImportance
			default:
				q.SetText(l.Quantity())
				q.Importance = widget.MediumImportance
			}
			q.Refresh()
		})
	s.about = note("")
	s.packs = widget.NewLabel("")
	s.packs.Wrapping = fyne.TextWrapWord
	s.users = widget.NewLabel("")
	s.users.Wrapping = fyne.TextWrapWord
	s.opt = container.NewVBox(
		note("Every new user is given what is ticked here once it exists. The preview's Services column changes it row by row; an import's Services column wins for its rows."),
		s.about,
		s.search,
		container.NewGridWrap(fyne.NewSize(640, 300), s.list),
		form(s.fs.row(wizard.FieldServicePacks, "Service packs", "", s.packs),
			s.fs.row(wizard.FieldServices, "User services", "", s.users)),
	)
	return s
}

func (s *servicesStep) required() fyne.CanvasObject {
	return note("Nothing is required on this step: users are created without services unless you pick some on the Optional tab.")
}
func (s *servicesStep) optional() fyne.CanvasObject { return s.opt }
func (s *servicesStep) fields() *fieldSet           { return s.fs }

func (s *servicesStep) load() {
	s.filter()
	if s.known {
		g := s.w.m.Group.ID
		s.about.SetText(fmt.Sprintf("The service packs and user services %s is authorised for, with the licences left for %s.", g, plural(s.w.m.RowCount(), "user")))
	} else {
		s.about.SetText("The group's licences are not known (a new group, or not read yet): these are all the user services BroadWorks has; the server refuses those the group is not authorised for.")
	}
	s.showPicks()
}

// filter lists the choices matching the search.
func (s *servicesStep) filter() {
	all, known := s.w.m.ServiceChoices()
	s.known = known
	s.shown = s.shown[:0]
	for _, l := range all {
		if l.Matches(s.search.Text) {
			s.shown = append(s.shown, l)
		}
	}
	s.list.Refresh()
}

func (s *servicesStep) pick(l wizard.ServiceLicence, on bool) {
	s.w.m.Pick(l, on)
	s.showPicks()
	s.w.changed()
}

// pickName ticks a choice by name, as a click on it does (tests and the
// scripted demo).
func (s *servicesStep) pickName(name string) bool {
	all, _ := s.w.m.ServiceChoices()
	for _, l := range all {
		if l.Name == name {
			s.pick(l, true)
			s.list.Refresh()
			return true
		}
	}
	return false
}

func (s *servicesStep) showPicks() {
	none := func(v []string) string {
		if len(v) == 0 {
			return "none"
		}
		return strings.Join(v, wizard.ServiceListSeparator)
	}
	s.packs.SetText(none(s.w.m.ServicePacks))
	s.users.SetText(none(s.w.m.Services))
}
