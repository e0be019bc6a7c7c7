package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// focusTheme is the app's theme with a focus colour people can see: the
// default blue is 16% opaque, too faint to tell which control Tab has
// reached. It embeds the theme in use and changes nothing else.
type focusTheme struct{ fyne.Theme }

var _ fyne.Theme = focusTheme{}

// focusAlpha is the opacity of the focus colour.
const focusAlpha = 0x90

// Color makes ColorNameFocus the primary colour at focusAlpha.
func (t focusTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameFocus {
		r, g, b, _ := t.Theme.Color(theme.ColorNamePrimary, v).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: focusAlpha}
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
