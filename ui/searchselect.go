package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// searchSelect is a select whose options narrow as you type (time zones,
// languages, device types).
type searchSelect struct {
	entry    *widget.SelectEntry
	all      []string
	shown    []string
	onChange func(string)
	obj      fyne.CanvasObject
}

func newSearchSelect(placeholder string, onChange func(string)) *searchSelect {
	s := &searchSelect{entry: widget.NewSelectEntry(nil), onChange: onChange}
	s.entry.SetPlaceHolder(placeholder)
	s.entry.OnChanged = func(v string) {
		s.narrow(v)
		if s.onChange != nil {
			s.onChange(v)
		}
	}
	s.obj = s.entry
	return s
}

func (s *searchSelect) setOptions(opts []string) {
	s.all = opts
	s.narrow(s.entry.Text)
}

// narrow shows the options containing v; an exact match shows them all
// so the list can be used to change the choice.
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
	s.shown = out
	s.entry.SetOptions(out)
}

func (s *searchSelect) set(v string) { s.entry.SetText(v) }
