package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// focusTheme is the app's theme with a focus colour people can see: the
// default blue is 16% opaque, too faint to tell which control Tab has
// reached. Lists and tables draw their keyboard focus in the hover colour
// (6% white by default, invisible on most screens), so that one is made
// stronger too. It embeds the theme in use and changes nothing else.
type focusTheme struct{ fyne.Theme }

var _ fyne.Theme = focusTheme{}

// focusAlpha is the opacity of the focus colour; hoverAlpha that of the
// hover colour, the text colour over the background: visible, and still
// lighter than a selection.
const (
	focusAlpha = 0x90
	hoverAlpha = 0x38
)

// Color makes ColorNameFocus the primary colour at focusAlpha and
// ColorNameHover the foreground colour at hoverAlpha.
func (t focusTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		r, g, b, _ := t.Theme.Color(theme.ColorNamePrimary, v).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: focusAlpha}
	}
	if n == theme.ColorNameHover {
		r, g, b, _ := t.Theme.Color(theme.ColorNameForeground, v).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: hoverAlpha}
	}
	return t.Theme.Color(n, v)
}

// useFocusTheme wraps the app's current theme once.
func useFocusTheme(a fyne.App) {
	if _, ok := a.Settings().Theme().(focusTheme); ok {
		return
	}
	a.Settings().SetTheme(focusTheme{a.Settings().Theme()})
}
