package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

const (
	depNone     = "No department"
	depExisting = "An existing department"
)

// departmentStep chooses no department, an existing one, or a new one
// (the '+' button).
type departmentStep struct {
	w       *wizardView
	fs      *fieldSet
	mode    *widget.RadioGroup
	pick    *pickList
	pickBox fyne.CanvasObject
	req     fyne.CanvasObject
	setting bool
}

func newDepartmentStep(w *wizardView) *departmentStep {
	s := &departmentStep{w: w, fs: newFieldSet()}
	s.mode = widget.NewRadioGroup([]string{depNone, depExisting}, func(v string) {
		if s.setting {
			return
		}
		d := &s.w.m.Department
		if v == depExisting {
			if d.Mode != wizard.ModeCreate {
				d.Mode = wizard.ModeSelect
			}
		} else {
			*d = wizard.DepartmentStep{Mode: wizard.ModeNone}
		}
		s.load()
		s.w.relayout()
		s.w.changed()
	})
	s.mode.Required = true
	s.pick = newPickList("Search departments", s.picked, s.addDialog)
	s.pickBox = container.NewGridWrap(fyne.NewSize(480, 260), s.pick.obj)
	s.req = container.NewVBox(
		note("Users can be put in a department of the group or of the enterprise; + creates a new group department."),
		form(s.fs.row(wizard.FieldDepartmentMode, "Department", "", s.mode),
			s.fs.row(wizard.FieldDepartment, "Name", "", s.pickBox)),
	)
	return s
}

func (s *departmentStep) required() fyne.CanvasObject { return s.req }
func (s *departmentStep) optional() fyne.CanvasObject { return nil }
func (s *departmentStep) fields() *fieldSet           { return s.fs }

func (s *departmentStep) load() {
	s.setting = true
	defer func() { s.setting = false }()
	d := s.w.m.Department
	if d.Mode == wizard.ModeSelect || d.Mode == wizard.ModeCreate {
		s.mode.SetSelected(depExisting)
		s.pickBox.Show()
	} else {
		s.mode.SetSelected(depNone)
		s.pickBox.Hide()
	}
	var items []pickItem
	if d.Mode == wizard.ModeCreate && d.Name != "" {
		items = append(items, newItem("new:"+d.Name, d.Name))
	}
	if f := s.w.m.EffectiveFacts(); f != nil {
		for _, dep := range f.Departments {
			label := dep.Name
			if dep.FullPath != "" && dep.FullPath != dep.Name {
				label = dep.FullPath
			}
			if dep.Enterprise {
				label += " (enterprise)"
			}
			id := "grp:" + dep.Name
			if dep.Enterprise {
				id = "ent:" + dep.Name
			}
			items = append(items, pickItem{ID: id, Label: label})
		}
	}
	switch {
	case d.Mode == wizard.ModeCreate:
		s.pick.selected = "new:" + d.Name
	case d.Enterprise:
		s.pick.selected = "ent:" + d.Name
	default:
		s.pick.selected = "grp:" + d.Name
	}
	s.pick.setItems(items)
}

func (s *departmentStep) picked(id string) {
	if len(id) < 4 || id[:4] == "new:" {
		return
	}
	s.w.m.Department = wizard.DepartmentStep{Mode: wizard.ModeSelect, Name: id[4:], Enterprise: id[:4] == "ent:"}
	s.w.changed()
}

func (s *departmentStep) addDialog() {
	name := newEntry()
	name.SetPlaceHolder("Marketing")
	s.w.u.showDialog(s.w.u.formDialog("New department in "+s.w.m.Group.ID, "Create", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
			if !ok || name.Text == "" {
				return
			}
			s.w.m.Department = wizard.DepartmentStep{Mode: wizard.ModeCreate, Name: name.Text}
			s.load()
			s.w.relayout()
			s.w.changed()
		}))
}

func (s *departmentStep) firstFocus() fyne.Focusable { return s.pick.search }
