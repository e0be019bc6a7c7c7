package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ringOf returns the outline a keyButton's renderer draws over it.
func ringOf(t *testing.T, b *keyButton) *canvas.Rectangle {
	t.Helper()
	objs := test.TempWidgetRenderer(t, b).Objects()
	r, ok := objs[len(objs)-1].(*canvas.Rectangle)
	if !ok {
		t.Fatalf("the button's last object is %T, want its focus ring", objs[len(objs)-1])
	}
	return r
}

// TestKeyButton_FocusRing: a primary button (Next, Submit) reached by Tab
// is outlined in the text colour, in the light and the dark theme; the
// outline goes when the focus moves on, and a disabled button shows none.
func TestKeyButton_FocusRing(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a := test.NewTempApp(t)
		a.Settings().SetTheme(focusTheme{variantTheme{theme.DefaultTheme(), v}})
		next := newButton("Next", func() {})
		next.Importance = widget.HighImportance
		back := newButton("Back", func() {})
		w := test.NewTempWindow(t, container.NewHBox(back, next))
		ring := ringOf(t, next)
		if ring.Visible() {
			t.Fatalf("variant %d: ring shown before any focus", v)
		}
		w.Canvas().Focus(next)
		if !ring.Visible() || ring.StrokeWidth < 1 {
			t.Fatalf("variant %d: focused Next has no ring (visible %v, width %v)", v, ring.Visible(), ring.StrokeWidth)
		}
		fg := theme.DefaultTheme().Color(theme.ColorNameForeground, v)
		if ring.StrokeColor != fg {
			t.Errorf("variant %d: ring colour %v, want the text colour %v", v, ring.StrokeColor, fg)
		}
		if bg := theme.DefaultTheme().Color(theme.ColorNamePrimary, v); ring.StrokeColor == bg {
			t.Errorf("variant %d: ring drawn in the button's own colour", v)
		}
		if ring.Size() != next.Size() {
			t.Errorf("variant %d: ring %v around a button of %v", v, ring.Size(), next.Size())
		}
		w.Canvas().Focus(back)
		if ring.Visible() {
			t.Errorf("variant %d: ring stayed after the focus moved on", v)
		}
		w.Canvas().Focus(next)
		next.Disable()
		if ring.Visible() {
			t.Errorf("variant %d: a disabled button shows a ring", v)
		}
	}
}
