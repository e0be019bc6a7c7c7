package ui

import (
	"context"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// groupStep selects or creates the group.
type groupStep struct {
	w      *wizardView
	fs     *fieldSet
	pick   *pickList
	groups []wizard.GroupSummary
	loaded string // the sp the list belongs to
	req    fyne.CanvasObject
}

func newGroupStep(w *wizardView) *groupStep {
	s := &groupStep{w: w, fs: newFieldSet()}
	s.pick = newPickList("Search groups", s.picked, s.addDialog)
	s.req = pickForm(s.fs, wizard.FieldGroupID, "Group",
		"Pick the group the users are created in, or press + to create a group.", s.pick)
	return s
}

func (s *groupStep) required() fyne.CanvasObject { return s.req }
func (s *groupStep) optional() fyne.CanvasObject { return nil }
func (s *groupStep) fields() *fieldSet           { return s.fs }
func (s *groupStep) load()                       { s.refreshItems() }

func (s *groupStep) enter() {
	sp := s.w.m.Enterprise.ID
	if s.w.m.Enterprise.Mode == wizard.ModeCreate {
		s.groups, s.loaded = nil, sp
		s.refreshItems()
		return
	}
	cat := s.w.u.catalogue()
	s.w.lookup("Loading groups of "+sp+"…", s.pick.status, func(ctx context.Context) (func(), error) {
		gs, err := cat.Groups(ctx, sp)
		if err != nil {
			return nil, err
		}
		return func() { s.groups, s.loaded = gs, sp; s.refreshItems() }, nil
	})
}

func (s *groupStep) refreshItems() {
	var items []pickItem
	g := s.w.m.Group
	if g.Mode == wizard.ModeCreate && g.ID != "" {
		items = append(items, newItem(g.ID, g.ID))
	}
	if s.loaded == s.w.m.Enterprise.ID {
		for _, gr := range s.groups {
			label := gr.ID
			if gr.Name != "" && gr.Name != gr.ID {
				label += " — " + gr.Name
			}
			if gr.UserLimit > 0 {
				label += fmt.Sprintf(" (user limit %d)", gr.UserLimit)
			}
			items = append(items, pickItem{ID: gr.ID, Label: label})
		}
	}
	s.pick.selected = g.ID
	s.pick.setItems(items)
}

func (s *groupStep) picked(id string) {
	if s.w.m.Group.Mode == wizard.ModeCreate && id == s.w.m.Group.ID {
		return
	}
	if s.w.m.Group.ID != id {
		s.w.m.Facts = nil
	}
	s.w.m.Group = wizard.GroupStep{Mode: wizard.ModeSelect, ID: id}
	s.refreshItems()
	s.w.changed()
}

func (s *groupStep) addDialog() {
	id, name, domain, limit := newEntry(), newEntry(), newEntry(), newEntry()
	id.SetPlaceHolder("acme-lab")
	domain.SetText(s.w.m.Enterprise.Domain)
	domain.SetPlaceHolder("acme.example.com")
	limit.SetText("100")
	items := []*widget.FormItem{
		widget.NewFormItem("Id", id), widget.NewFormItem("Name", name),
		widget.NewFormItem("Default domain", domain), widget.NewFormItem("User limit", limit),
	}
	s.w.u.showDialog(s.w.u.formDialog("New group in "+s.w.m.Enterprise.ID, "Create", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		n, _ := strconv.Atoi(limit.Text)
		s.w.m.Group = wizard.GroupStep{Mode: wizard.ModeCreate, ID: id.Text, Name: name.Text, Domain: domain.Text, UserLimit: n}
		s.w.m.Facts = nil
		s.refreshItems()
		s.w.changed()
	}))
}

// pickID selects a group in the list, as a click would.
func (s *groupStep) pickID(id string) bool { return s.pick.pick(id) }

func (s *groupStep) firstFocus() fyne.Focusable { return s.pick.search }
