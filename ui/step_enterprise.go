package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// enterpriseStep selects or creates the service provider / enterprise.
type enterpriseStep struct {
	w    *wizardView
	fs   *fieldSet
	pick *pickList
	sps  []wizard.ServiceProvider
	req  fyne.CanvasObject
}

func newEnterpriseStep(w *wizardView) *enterpriseStep {
	s := &enterpriseStep{w: w, fs: newFieldSet()}
	s.pick = newPickList("Search service providers and enterprises", s.picked, s.addDialog)
	s.req = pickForm(s.fs, wizard.FieldSPID, "Service provider",
		"Pick the service provider or enterprise the new users belong to, or press + to create one.", s.pick)
	return s
}

func (s *enterpriseStep) required() fyne.CanvasObject { return s.req }
func (s *enterpriseStep) optional() fyne.CanvasObject { return nil }
func (s *enterpriseStep) fields() *fieldSet           { return s.fs }

func (s *enterpriseStep) load() { s.refreshItems() }

func (s *enterpriseStep) enter() {
	cat := s.w.u.catalogue()
	s.w.lookup("Loading service providers…", s.pick.status, func(ctx context.Context) (func(), error) {
		sps, err := cat.ServiceProviders(ctx)
		if err != nil {
			return nil, err
		}
		return func() { s.sps = sps; s.refreshItems() }, nil
	})
}

func (s *enterpriseStep) refreshItems() {
	var items []pickItem
	e := s.w.m.Enterprise
	if e.Mode == wizard.ModeCreate && e.ID != "" {
		items = append(items, newItem(e.ID, e.ID))
	}
	for _, sp := range s.sps {
		label := sp.ID
		if sp.Name != "" && sp.Name != sp.ID {
			label += " — " + sp.Name
		}
		if sp.IsEnterprise {
			label += " (enterprise)"
		}
		items = append(items, pickItem{ID: sp.ID, Label: label})
	}
	s.pick.selected = e.ID
	s.pick.setItems(items)
}

func (s *enterpriseStep) picked(id string) {
	if s.w.m.Enterprise.Mode == wizard.ModeCreate && id == s.w.m.Enterprise.ID {
		return
	}
	e := wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: id}
	for _, sp := range s.sps {
		if sp.ID == id {
			e.IsEnterprise = sp.IsEnterprise
			e.Name = sp.Name
		}
	}
	if s.w.m.Enterprise.ID != id {
		s.w.m.Group = wizard.GroupStep{Mode: wizard.ModeSelect}
		s.w.m.Facts = nil
	}
	s.w.m.Enterprise = e
	s.refreshItems()
	s.w.changed()
}

func (s *enterpriseStep) addDialog() {
	id, name, domain := newEntry(), newEntry(), newEntry()
	id.SetPlaceHolder("acme-ent")
	domain.SetPlaceHolder("acme.example.com")
	ent := newCheck("Enterprise (not a plain service provider)", nil)
	ent.SetChecked(true)
	items := []*widget.FormItem{
		widget.NewFormItem("Id", id), widget.NewFormItem("Name", name),
		widget.NewFormItem("Default domain", domain), widget.NewFormItem("", ent),
	}
	s.w.u.showDialog(s.w.u.formDialog("New service provider / enterprise", "Create", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		s.w.m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeCreate, ID: id.Text, Name: name.Text, Domain: domain.Text, IsEnterprise: ent.Checked}
		s.w.m.Group = wizard.GroupStep{Mode: wizard.ModeCreate}
		s.w.m.Facts = nil
		s.refreshItems()
		s.w.changed()
	}))
}

// pickID selects a service provider in the list, as a click would.
func (s *enterpriseStep) pickID(id string) bool { return s.pick.pick(id) }

func (s *enterpriseStep) firstFocus() fyne.Focusable { return s.pick.search }
