package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// ignoreColumn is the mapping screen's choice for a column not to use.
const ignoreColumn = "Ignore this column"

// mappingScreen asks what each unknown column of a file is: a field of
// the preview, or ignored. Continue is possible once every column has an
// answer; the answers are remembered for the next file with the same
// headers.
type mappingScreen struct {
	headers []string
	sels    []*keySelect
	next    *keyButton
	left    *widget.Label
	obj     fyne.CanvasObject
	done    func(wizard.Mapping)
}

func newMappingScreen(tab *wizard.Table, unknown []string, done func(wizard.Mapping)) *mappingScreen {
	s := &mappingScreen{headers: unknown, done: done}
	options := []string{ignoreColumn}
	for _, c := range wizard.Columns() {
		options = append(options, c.Title())
	}
	letters := map[string]string{}
	for j, h := range tab.Header {
		letters[strings.TrimSpace(h)] = wizard.ColumnLetter(j)
	}
	grid := container.New(newColumnsLayout(3))
	grid.Add(heading("Column in the file"))
	grid.Add(heading("Values in it"))
	grid.Add(heading("Is"))
	for _, h := range unknown {
		name := widget.NewLabel(fmt.Sprintf("%s · %s", letters[h], h))
		name.Truncation = fyne.TextTruncateEllipsis
		samples := tab.Samples(h, 3)
		sample := widget.NewLabel(strings.Join(samples, ", "))
		if len(samples) == 0 {
			sample.SetText("(empty)")
		}
		sample.Truncation = fyne.TextTruncateEllipsis
		sel := newSelect(options, func(string) { s.update() })
		sel.PlaceHolder = "Choose a field or ignore"
		s.sels = append(s.sels, sel)
		grid.Add(name)
		grid.Add(sample)
		grid.Add(sel)
	}
	s.left = widget.NewLabel("")
	s.next = newButtonWithIcon("Continue", theme.NavigateNextIcon(), s.submit)
	s.next.Importance = widget.HighImportance
	ignoreAll := newButton("Ignore the rest", func() {
		for _, sel := range s.sels {
			if sel.Selected == "" {
				sel.SetSelected(ignoreColumn)
			}
		}
	})
	top := container.NewVBox(heading("Columns bwbulk does not know"),
		note("Every column of the file is used or ignored on purpose, so nothing is lost without a word. Your answers are kept for the next file with these headers."))
	bottom := container.NewHBox(s.next, ignoreAll, s.left)
	s.obj = container.NewBorder(top, bottom, nil, nil, container.NewVScroll(grid))
	s.update()
	return s
}

func (s *mappingScreen) update() {
	left := 0
	for _, sel := range s.sels {
		if sel.Selected == "" {
			left++
		}
	}
	enable(s.next, left == 0)
	switch left {
	case 0:
		s.left.SetText("")
	case 1:
		s.left.SetText("1 column to go")
	default:
		s.left.SetText(fmt.Sprintf("%d columns to go", left))
	}
}

// choose answers for the column with header h (the field's title, or
// ignoreColumn); tests and the scripted demo use it.
func (s *mappingScreen) choose(h, answer string) {
	for i, x := range s.headers {
		if x == h {
			s.sels[i].SetSelected(answer)
		}
	}
}

func (s *mappingScreen) submit() {
	m := wizard.Mapping{}
	for i, h := range s.headers {
		c := wizard.ColNone
		for _, col := range wizard.Columns() {
			if col.Title() == s.sels[i].Selected {
				c = col
			}
		}
		if s.sels[i].Selected == "" {
			return
		}
		m[wizard.MappingKey(h)] = c
	}
	s.done(m)
}

// columnsLayout lays its objects out in n columns of equal width, row by
// row, each row as tall as its tallest cell.
type columnsLayout struct{ n int }

func newColumnsLayout(n int) fyne.Layout { return &columnsLayout{n} }

func (l *columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	w := (size.Width - pad*float32(l.n-1)) / float32(l.n)
	y := float32(0)
	for i := 0; i < len(objs); i += l.n {
		h := float32(0)
		for j := i; j < i+l.n && j < len(objs); j++ {
			h = max(h, objs[j].MinSize().Height)
		}
		for j := i; j < i+l.n && j < len(objs); j++ {
			objs[j].Move(fyne.NewPos(float32(j-i)*(w+pad), y))
			objs[j].Resize(fyne.NewSize(w, h))
		}
		y += h + pad
	}
}

func (l *columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, hsum float32
	pad := theme.Padding()
	for i := 0; i < len(objs); i += l.n {
		h := float32(0)
		for j := i; j < i+l.n && j < len(objs); j++ {
			ms := objs[j].MinSize()
			h = max(h, ms.Height)
			w = max(w, ms.Width)
		}
		hsum += h + pad
	}
	return fyne.NewSize(w*float32(l.n)+pad*float32(l.n-1), hsum)
}
