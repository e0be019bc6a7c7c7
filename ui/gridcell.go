package ui

import (
	"image/color"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// gridCell is one cell of a data table: a background and one line of
// monospaced text (bold for a header), cut with an ellipsis to the cell's
// width.
//
// A table refreshes every visible cell at once, and a Label lays out and
// shapes rich text on each change. A gridCell swaps the string of a single
// canvas.Text and works out the cut from one character width, so a table
// of 10,000 rows stays smooth while a running task updates it.
type gridCell struct {
	widget.BaseWidget
	style fyne.TextStyle
	text  string
	color fyne.ThemeColorName
	fill  color.Color
	// mark, when set, outlines the cell in that colour: the selected
	// cell of the preview.
	mark fyne.ThemeColorName
	// hover, when set, is told the cell's whole text when the pointer
	// comes in, and "" when it leaves: a cut value can be read.
	hover func(text string)
}

var _ desktop.Hoverable = (*gridCell)(nil)

// MouseIn tells hover the text under the pointer.
func (c *gridCell) MouseIn(*desktop.MouseEvent) {
	if c.hover != nil {
		c.hover(c.text)
	}
}

// MouseMoved does nothing: MouseIn told it all.
func (c *gridCell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut tells hover the pointer left.
func (c *gridCell) MouseOut() {
	if c.hover != nil {
		c.hover("")
	}
}

func newGridCell() *gridCell {
	c := &gridCell{style: fyne.TextStyle{Monospace: true}, color: theme.ColorNameForeground, fill: color.Transparent}
	c.ExtendBaseWidget(c)
	return c
}

// newHeaderCell is a gridCell for a table's header: bold, in the regular
// font.
func newHeaderCell() *gridCell {
	c := newGridCell()
	c.style = fyne.TextStyle{Bold: true}
	return c
}

// set changes the text, its colour and the background; it refreshes only
// when one of them changed.
func (c *gridCell) set(text string, col fyne.ThemeColorName, fill color.Color) {
	if c.text == text && c.color == col && c.fill == fill {
		return
	}
	c.text, c.color, c.fill = text, col, fill
	c.Refresh()
}

// setMark outlines the cell in the colour named, or not at all ("").
func (c *gridCell) setMark(m fyne.ThemeColorName) {
	if c.mark == m {
		return
	}
	c.mark = m
	c.Refresh()
}

func (c *gridCell) CreateRenderer() fyne.WidgetRenderer {
	r := &gridCellRenderer{c: c, bg: canvas.NewRectangle(color.Transparent), t: canvas.NewText("", color.Black)}
	r.ring = canvas.NewRectangle(color.Transparent)
	r.ring.StrokeWidth = focusRingWidth
	r.ring.Hide()
	r.t.TextStyle = c.style
	r.Refresh()
	return r
}

type gridCellRenderer struct {
	c     *gridCell
	bg    *canvas.Rectangle
	t     *canvas.Text
	ring  *canvas.Rectangle
	width float32
}

// metrics returns the padding, the text size and the size of one
// character of the given style.
func (r *gridCellRenderer) metrics(style fyne.TextStyle) (pad, size float32, char fyne.Size) {
	th := r.c.Theme()
	pad = th.Size(theme.SizeNameInnerPadding)
	size = th.Size(theme.SizeNameText)
	return pad, size, fyne.MeasureText("0", size, style)
}

func (r *gridCellRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.ring.Resize(s)
	r.width = s.Width
	r.fit()
}

// MinSize is measured in the regular font, so that a table's template
// cell does not load the monospaced one before any text is shown. It is
// a Label's width but half its padding above and below, as a
// spreadsheet's rows: more rows fit on a laptop's screen.
func (r *gridCellRenderer) MinSize() fyne.Size {
	pad, _, char := r.metrics(fyne.TextStyle{})
	return fyne.NewSize(4*char.Width+2*pad, char.Height+pad)
}

// fit places the text and sets what is shown: the whole text, or as much
// as fits followed by an ellipsis.
func (r *gridCellRenderer) fit() {
	shown := r.c.text
	if shown != "" {
		pad, size, char := r.metrics(r.t.TextStyle)
		h := r.c.Size().Height
		room := max(r.width-2*pad, 0)
		r.t.Move(fyne.NewPos(pad, (h-char.Height)/2))
		r.t.Resize(fyne.NewSize(room, char.Height))
		if r.width > 0 && char.Width > 0 {
			shown = cut(shown, room, func(s string) float32 {
				if r.t.TextStyle.Monospace {
					return float32(utf8.RuneCountInString(s)) * char.Width
				}
				return fyne.MeasureText(s, size, r.t.TextStyle).Width
			})
		}
	}
	if r.t.Text != shown {
		r.t.Text = shown
		r.t.Refresh()
	}
}

// cut returns s, or the longest start of s that fits room with an
// ellipsis after it, given a measure of width.
func cut(s string, room float32, width func(string) float32) string {
	if width(s) <= room {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs) // the answer keeps lo runes: lo fits, hi does not
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if width(string(rs[:mid])+"…") <= room {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		if width("…") <= room {
			return "…"
		}
		return ""
	}
	return string(rs[:lo]) + "…"
}

func (r *gridCellRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	if r.bg.FillColor != r.c.fill {
		r.bg.FillColor = r.c.fill
		r.bg.Refresh()
	}
	if col, size := th.Color(r.c.color, v), th.Size(theme.SizeNameText); r.t.Color != col || r.t.TextSize != size {
		r.t.Color, r.t.TextSize = col, size
		r.t.Refresh()
	}
	if hide := r.c.mark == ""; hide != r.ring.Hidden || !hide && r.ring.StrokeColor != th.Color(r.c.mark, v) {
		r.ring.Hidden = hide
		if !hide {
			r.ring.StrokeColor = th.Color(r.c.mark, v)
		}
		r.ring.Refresh()
	}
	r.fit()
}

func (r *gridCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.t, r.ring}
}
func (r *gridCellRenderer) Destroy() {}
