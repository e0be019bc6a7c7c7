package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// draftsView lists autosaved wizard drafts; Open puts one back in the
// wizard, at the step it was left on.
type draftsView struct {
	u      *UI
	drafts []jobs.Draft
	sel    int
	list   *widget.List
	open   *keyButton
	del    *keyButton
	empty  *widget.Label
	obj    fyne.CanvasObject
}

func newDraftsView(u *UI) *draftsView {
	v := &draftsView{u: u, sel: -1}
	v.list = widget.NewList(
		func() int { return len(v.drafts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("100 users in acme-ent/acme-hq · saved Jan 2 15:04")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.drafts) {
				d := v.drafts[i]
				o.(*widget.Label).SetText(fmt.Sprintf("%s · saved %s", d.Name, d.Updated.Local().Format("Jan 2 15:04")))
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		v.sel = i
		v.open.Enable()
		v.del.Enable()
	}
	v.open = newButtonWithIcon("Open", theme.FolderOpenIcon(), v.openSelected)
	v.open.Importance = widget.HighImportance
	v.open.Disable()
	v.del = newButtonWithIcon("Delete", theme.DeleteIcon(), v.deleteSelected)
	v.del.Disable()
	top := container.NewVBox(heading("Drafts"),
		note("The wizard saves what you type every few seconds, also without a connection. Open a draft to continue where you left it."),
		container.NewHBox(v.open, v.del))
	v.empty = widget.NewLabel("No drafts: start New users and the wizard saves your work here as you go.")
	v.obj = container.NewBorder(top, nil, nil, nil, container.NewStack(v.list, container.NewCenter(v.empty)))
	return v
}

// reload reads the drafts off the UI goroutine.
func (v *draftsView) reload() {
	st := v.u.store()
	if st == nil {
		return
	}
	v.u.spawn(func() {
		ds, err := st.Drafts(v.u.ctx)
		fyne.Do(func() {
			if err != nil {
				return
			}
			v.drafts = ds
			if len(ds) == 0 {
				v.empty.Show()
			} else {
				v.empty.Hide()
			}
			v.sel = -1
			v.list.UnselectAll()
			v.list.Refresh()
			v.open.Disable()
			v.del.Disable()
		})
	})
}

func (v *draftsView) openSelected() {
	if v.sel < 0 || v.sel >= len(v.drafts) {
		return
	}
	st, id := v.u.store(), v.drafts[v.sel].ID
	v.u.spawn(func() {
		d, err := st.Draft(v.u.ctx, id)
		var m *wizard.Model
		var step wizard.Step
		if err == nil {
			m, step, err = wizard.UnmarshalDraft(d.Data)
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Open draft", err)
				return
			}
			v.u.wizard.reset(m, step, id)
			v.u.Show(ScreenNewUsers)
			v.u.status.setMessage("Draft opened (saved %s)", age(time.Since(d.Updated)))
		})
	})
}

func (v *draftsView) deleteSelected() {
	if v.sel < 0 || v.sel >= len(v.drafts) {
		return
	}
	d := v.drafts[v.sel]
	v.u.showDialog(v.u.confirmDialog("Delete draft?", "Delete", "Cancel", widget.NewLabel(d.Name), func(ok bool) {
		if !ok {
			return
		}
		v.u.spawn(func() {
			err := v.u.store().DeleteDraft(v.u.ctx, d.ID)
			fyne.Do(func() {
				if err != nil {
					v.u.showError("Delete draft", err)
				}
				if v.u.wizard.draftID == d.ID {
					v.u.wizard.draftID = 0
				}
				v.reload()
			})
		})
	}))
}
