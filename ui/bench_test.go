package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// benchModel is a valid 10,000-user model on a group with room for them.
func benchModel(n int) *wizard.Model {
	facts := &wizard.GroupFacts{
		Group: wizard.GroupInfo{ServiceProviderID: "acme-ent", GroupID: "big", DefaultDomain: "acme.example.com",
			UserLimit: n + 100, MinExtensionLength: 2, MaxExtensionLength: 6, DefaultExtensionLength: 5},
		Domains:     []string{"acme.example.com"},
		DeviceTypes: []string{"Generic SIP Phone"},
		Rules:       wizard.PasswordRules{MinLength: 8, MinDigits: 1},
	}
	m := wizard.NewModelForGroup("acme-ent", true, facts)
	m.UserCount = n
	m.UserID.Template = "u{{ index | pad 5 }}"
	m.Device = wizard.DeviceStep{Mode: wizard.DeviceHosted, DeviceType: "Generic SIP Phone", DeviceName: "{{ user name }}-p", LinePort: "{{ user name }}@{{ domain }}"}
	return m
}

func benchUI(b *testing.B) *UI {
	a := test.NewApp()
	b.Cleanup(a.Quit)
	u := New(a, nil)
	u.win.Resize(fyne.NewSize(1180, 740))
	return u
}

// BenchmarkPreview_Build10k builds the preview of 10,000 users and lays
// out and renders its table (what opening the Preview step costs).
func BenchmarkPreview_Build10k(b *testing.B) {
	u := benchUI(b)
	b.ReportAllocs()
	for b.Loop() {
		u.wizard.reset(benchModel(10000), wizard.StepPreview, 0)
		test.WidgetRenderer(u.wizard.preview.table).Layout(u.wizard.preview.table.Size())
	}
	if v := u.wizard.preview; v.p == nil || len(v.p.Rows) != 10000 || !v.p.Valid() {
		b.Fatalf("preview not built or invalid: %v", v.p.Problems())
	}
}

// BenchmarkPreview_EditRefresh10k edits one cell of a 10,000-row preview:
// re-validation, counts, filter and table refresh.
func BenchmarkPreview_EditRefresh10k(b *testing.B) {
	u := benchUI(b)
	u.wizard.reset(benchModel(10000), wizard.StepPreview, 0)
	v := u.wizard.preview
	v.table.Select(widget.TableCellID{Row: 5000, Col: 1})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		v.applyEdit("Name" + fmtInt(i))
	}
}

// BenchmarkPreview_ScrollRefresh10k refreshes the visible cells of the
// table after scrolling (what the painter does on each frame while
// scrolling).
func BenchmarkPreview_ScrollRefresh10k(b *testing.B) {
	u := benchUI(b)
	u.wizard.reset(benchModel(10000), wizard.StepPreview, 0)
	v := u.wizard.preview
	b.ReportAllocs()
	row := 0
	for b.Loop() {
		row = (row + 137) % 9900
		v.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
		v.table.Refresh()
	}
}
