package ui

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"bwbulk/jobs"
)

// shownText is what a gridCell draws once laid out at width w.
func shownText(t *testing.T, c *gridCell, w float32) string {
	t.Helper()
	c.Resize(fyne.NewSize(w, 35))
	r := test.WidgetRenderer(c)
	return r.Objects()[1].(*canvas.Text).Text
}

func TestGridCell_CutsToWidthWithEllipsis(t *testing.T) {
	test.NewTempApp(t)
	c := newGridCell()
	c.set("short", theme.ColorNameForeground, color.Transparent)
	if got := shownText(t, c, 300); got != "short" {
		t.Errorf("wide cell shows %q, want the whole text", got)
	}

	long := strings.Repeat("x", 200) + "@acme.example.com"
	c.set(long, theme.ColorNameForeground, color.Transparent)
	got := shownText(t, c, 150)
	if !strings.HasSuffix(got, "…") || len([]rune(got)) >= len([]rune(long)) {
		t.Fatalf("narrow cell shows %q, want a cut with an ellipsis", got)
	}
	pad := theme.InnerPadding()
	if w := fyne.MeasureText(got, theme.TextSize(), fyne.TextStyle{Monospace: true}).Width; w > 150-2*pad+0.5 {
		t.Errorf("cut text is %.1f wide, more than the %.1f inside the cell", w, 150-2*pad)
	}

	// Growing the cell shows more of the same text.
	wider := shownText(t, c, 400)
	if len([]rune(wider)) <= len([]rune(got)) {
		t.Errorf("wider cell shows %q, no more than %q", wider, got)
	}
	if got := shownText(t, c, 10); got != "" {
		t.Errorf("a cell with no room shows %q, want nothing", got)
	}
}

func TestGridCell_ColourAndBackground(t *testing.T) {
	test.NewTempApp(t)
	c := newGridCell()
	c.Resize(fyne.NewSize(200, 35))
	r := test.WidgetRenderer(c)
	c.set("failed", statusColor(jobs.StatusFailed), badCellColor)
	bg, txt := r.Objects()[0].(*canvas.Rectangle), r.Objects()[1].(*canvas.Text)
	if bg.FillColor != badCellColor {
		t.Errorf("background = %v, want %v", bg.FillColor, badCellColor)
	}
	if want := theme.Color(theme.ColorNameError); txt.Color != want {
		t.Errorf("text colour = %v, want the error colour %v", txt.Color, want)
	}
	c.set("failed", theme.ColorNameForeground, color.Transparent)
	if want := theme.Color(theme.ColorNameForeground); txt.Color != want || bg.FillColor != color.Transparent {
		t.Errorf("after reset: text %v background %v", txt.Color, bg.FillColor)
	}
}

// TestGridCell_Header: a header cell is bold in the regular font and its
// cut, measured in that font, fits the cell.
func TestGridCell_Header(t *testing.T) {
	test.NewTempApp(t)
	c := newHeaderCell()
	c.set("CLID first name", theme.ColorNameForeground, color.Transparent)
	if got := shownText(t, c, 300); got != "CLID first name" {
		t.Errorf("wide header shows %q", got)
	}
	txt := test.WidgetRenderer(c).Objects()[1].(*canvas.Text)
	if txt.TextStyle != (fyne.TextStyle{Bold: true}) {
		t.Errorf("header style %+v, want bold", txt.TextStyle)
	}
	pad := theme.InnerPadding()
	for _, w := range []float32{120, 90, 60, 2*pad + 12} {
		got := shownText(t, c, w)
		if !strings.HasSuffix(got, "…") {
			t.Errorf("at %.0f: %q, want a cut with an ellipsis", w, got)
		}
		if mw := fyne.MeasureText(got, theme.TextSize(), txt.TextStyle).Width; mw > w-2*pad {
			t.Errorf("at %.0f: %q is %.1f wide, more than the %.1f inside", w, got, mw, w-2*pad)
		}
		// One more character would not have fitted.
		if n := len([]rune(got)) - 1; n < len("CLID first name") {
			more := string([]rune("CLID first name")[:n+1]) + "…"
			if fyne.MeasureText(more, theme.TextSize(), txt.TextStyle).Width <= w-2*pad {
				t.Errorf("at %.0f: %q is cut shorter than needed (%q fits)", w, got, more)
			}
		}
	}
}
