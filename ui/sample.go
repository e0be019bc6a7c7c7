package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// sampleLabel shows the first three rendered values of some columns under
// a template field.
type sampleLabel struct {
	l    *widget.Label
	cols []wizard.Column
}

func newSampleLabel(cols ...wizard.Column) *sampleLabel {
	l := widget.NewLabel("")
	l.Wrapping = 3 // fyne.TextWrapWord
	l.Importance = widget.SuccessImportance
	return &sampleLabel{l: l, cols: cols}
}

// update renders the sample from m.
func (s *sampleLabel) update(m *wizard.Model) {
	rows, err := m.Sample(3)
	if err != nil {
		var fe wizard.FieldErrors
		if errors.As(err, &fe) {
			s.l.SetText("")
			return
		}
		s.l.SetText("")
		return
	}
	var vals []string
	for i := range rows {
		var parts []string
		for _, c := range s.cols {
			parts = append(parts, rows[i].Get(c))
		}
		vals = append(vals, strings.Join(parts, " "))
	}
	if strings.TrimSpace(strings.Join(vals, "")) == "" {
		s.l.SetText("")
		return
	}
	s.l.SetText("Sample: " + strings.Join(vals, " · "))
}

// sampleText renders column c of the first three rows.
func sampleText(m *wizard.Model, c wizard.Column) []string {
	rows, err := m.Sample(3)
	if err != nil {
		return nil
	}
	out := make([]string, len(rows))
	for i := range rows {
		out[i] = rows[i].Get(c)
	}
	return out
}
