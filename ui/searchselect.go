package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// searchSelect is a select whose options narrow as you type (time zones,
// languages, device types): the matches of what is typed are listed
// under the field at once ("Chicago" lists America/Chicago); picking
// one sets it. The drop-down button still lists every option.
type searchSelect struct {
	entry    *widget.SelectEntry
	all      []string
	shown    []string
	onChange func(string)
	matches  *widget.List
	box      *fyne.Container // the matches list, shown while typing
	obj      fyne.CanvasObject
	// relayout, when set, lays the screen out again after the matches
	// appeared or went (containers do not follow a child's visibility).
	relayout func()
}

// maxMatches bounds the matches listed under the field.
const maxMatches = 50

func newSearchSelect(placeholder string, onChange func(string)) *searchSelect {
	s := &searchSelect{entry: widget.NewSelectEntry(nil), onChange: onChange}
	s.entry.SetPlaceHolder(placeholder)
	s.matches = widget.NewList(
		func() int { return len(s.shown) },
		func() fyne.CanvasObject { return widget.NewLabel("America/Argentina/Buenos_Aires") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.shown) {
				o.(*widget.Label).SetText(s.shown[i])
			}
		})
	s.matches.OnSelected = func(i widget.ListItemID) {
		if i < len(s.shown) {
			s.matches.UnselectAll()
			s.entry.SetText(s.shown[i])
		}
	}
	room := canvas.NewRectangle(nil)
	room.SetMinSize(fyne.NewSize(0, 150))
	s.box = container.NewStack(room, s.matches)
	s.box.Hide()
	s.entry.OnChanged = func(v string) {
		s.narrow(v)
		if s.onChange != nil {
			s.onChange(v)
		}
	}
	s.obj = container.NewVBox(s.entry, s.box)
	return s
}

func (s *searchSelect) setOptions(opts []string) {
	s.all = opts
	s.narrow(s.entry.Text)
}

// narrow offers the options containing v; an exact match offers them all
// so the drop-down can be used to change the choice. The matches show
// under the field while v is a partial match.
func (s *searchSelect) narrow(v string) {
	q := strings.ToLower(strings.TrimSpace(v))
	var out []string
	exact := false
	for _, o := range s.all {
		if strings.EqualFold(o, v) {
			exact = true
		}
		if q == "" || strings.Contains(strings.ToLower(o), q) {
			out = append(out, o)
		}
	}
	if exact {
		out = s.all
	}
	s.entry.SetOptions(out)
	if len(out) > maxMatches {
		out = out[:maxMatches]
	}
	s.shown = out
	visible := s.box.Visible()
	if q != "" && !exact && len(out) > 0 {
		s.matches.Refresh()
		s.box.Show()
	} else {
		s.box.Hide()
	}
	if visible != s.box.Visible() {
		s.obj.Refresh()
		if s.relayout != nil {
			s.relayout()
		}
	}
}

func (s *searchSelect) set(v string) { s.entry.SetText(v) }
