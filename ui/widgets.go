package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// fieldSet lays out labelled inputs with an error line under each and
// shows a step's FieldErrors there.
type fieldSet struct {
	errs map[wizard.Field]*widget.Label
}

func newFieldSet() *fieldSet { return &fieldSet{errs: map[wizard.Field]*widget.Label{}} }

// row returns a form row: label on the left, the input with its hint and
// error line on the right.
func (fs *fieldSet) row(f wizard.Field, label, hint string, in fyne.CanvasObject) []fyne.CanvasObject {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	e := widget.NewLabel("")
	e.Importance = widget.DangerImportance
	e.Wrapping = fyne.TextWrapWord
	e.Hide()
	fs.errs[f] = e
	if label != "" {
		fieldLabels[f] = label
	}
	right := []fyne.CanvasObject{in}
	if hint != "" {
		h := widget.NewLabel(hint)
		h.Wrapping = fyne.TextWrapWord
		h.TextStyle.Italic = true
		right = append(right, h)
	}
	right = append(right, e)
	return []fyne.CanvasObject{l, container.NewVBox(right...)}
}

// form builds a two-column form from rows.
func form(rows ...[]fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, r := range rows {
		objs = append(objs, r...)
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// show displays fe under the matching inputs and clears the others. It
// reports whether an error line appeared or disappeared (the layout must
// then be redone).
func (fs *fieldSet) show(fe wizard.FieldErrors) bool {
	changed := false
	for f, l := range fs.errs {
		if msg, ok := fe[f]; ok {
			l.SetText(msg)
			if !l.Visible() {
				l.Show()
				changed = true
			}
		} else if l.Visible() {
			l.SetText("")
			l.Hide()
			changed = true
		}
	}
	return changed
}

// pickItem is one entry of a pickList.
type pickItem struct {
	ID, Label string
}

// newItem is the entry of something the wizard will create (its '+'
// dialog filled in), shown first in the list.
func newItem(id, name string) pickItem {
	return pickItem{ID: id, Label: "＋ " + name + " (new, will be created)"}
}

// pickForm lays out a create-or-select step: what to do, then the list.
func pickForm(fs *fieldSet, f wizard.Field, label, hint string, p *pickList) fyne.CanvasObject {
	list := container.NewGridWrap(fyne.NewSize(520, 360), p.obj)
	return container.NewVBox(note(hint), form(fs.row(f, label, "", list)))
}

// pickList is a searchable list with an optional '+' button: the
// create-or-select control of the wizard.
type pickList struct {
	search *keyEntry
	list   *widget.List
	status *widget.Label
	add    *keyButton

	all, shown []pickItem
	selected   string
	onPick     func(id string)
	obj        fyne.CanvasObject
}

func newPickList(placeholder string, onPick func(id string), onAdd func()) *pickList {
	p := &pickList{onPick: onPick}
	p.search = newEntry()
	p.search.SetPlaceHolder(placeholder)
	p.search.OnChanged = func(string) { p.filter() }
	// Enter in the search box picks the first match when what is chosen
	// is not among those shown, then goes on as Enter does.
	p.search.OnSubmitted = func(string) {
		if len(p.shown) > 0 && !slices.ContainsFunc(p.shown, func(it pickItem) bool { return it.ID == p.selected }) {
			p.list.Select(0)
		}
		if u := uiFor(p.search); u != nil {
			u.enterKey(p.search)
		}
	}
	p.status = widget.NewLabel("")
	p.status.Wrapping = fyne.TextWrapWord
	p.status.Hide()
	p.list = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject { return widget.NewLabel("template item that is fairly long") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.shown) {
				o.(*widget.Label).SetText(p.shown[i].Label)
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		if i < len(p.shown) && p.shown[i].ID != p.selected {
			p.selected = p.shown[i].ID
			if p.onPick != nil {
				p.onPick(p.selected)
			}
		}
	}
	top := fyne.CanvasObject(p.search)
	if onAdd != nil {
		p.add = newButtonWithIcon("", theme.ContentAddIcon(), onAdd)
		top = inOrder(nil, p.add, p.search)
	}
	// The search box comes before its list in the Tab order.
	head := container.NewVBox(top, p.status)
	p.obj = container.New(layout.NewBorderLayout(head, nil, nil, nil), head, p.list)
	return p
}

// setItems replaces the entries and keeps the selection when it is still
// there.
func (p *pickList) setItems(items []pickItem) {
	p.all = items
	p.filter()
}

func (p *pickList) filter() {
	q := strings.ToLower(strings.TrimSpace(p.search.Text))
	p.shown = p.shown[:0]
	for _, it := range p.all {
		if q == "" || strings.Contains(strings.ToLower(it.Label), q) || strings.Contains(strings.ToLower(it.ID), q) {
			p.shown = append(p.shown, it)
		}
	}
	p.list.UnselectAll()
	p.list.Refresh()
	for i, it := range p.shown {
		if it.ID == p.selected {
			p.list.Select(i)
			break
		}
	}
}

// tagPicker is a select that inserts a template tag into entry at the
// cursor.
func tagPicker(entry *keyEntry, tags []string) *keySelect {
	var s *keySelect
	s = newSelect(tags, func(tag string) {
		if tag == "" {
			return
		}
		insertAtCursor(entry, tag)
		s.ClearSelected()
	})
	s.PlaceHolder = "Insert tag…"
	return s
}

func insertAtCursor(e *keyEntry, text string) {
	r := []rune(e.Text)
	pos := min(max(e.CursorColumn, 0), len(r))
	if e.CursorRow > 0 || pos == 0 && len(r) > 0 {
		pos = len(r)
	}
	e.SetText(string(r[:pos]) + text + string(r[pos:]))
	e.CursorColumn = pos + len([]rune(text))
}

// commonTags are offered by every tag picker.
var commonTags = []string{
	"{{ index }}", "{{ index | pad 3 }}", "{{ first name }}", "{{ last name }}",
	"{{ first name | lower }}", "{{ last name | lower }}", "{{ first name | first 1 | lower }}",
	"{{ phone number }}", "{{ extension }}", "{{ user name }}", "{{ domain }}",
	"{{ group id }}", "{{ service provider id }}",
}

// numberEntry is an entry for a whole number with '−' and '+' buttons.
type numberEntry struct {
	entry    *keyEntry
	minus    *keyButton
	plus     *keyButton
	min, max int
	onChange func(int)
	obj      fyne.CanvasObject
}

func newNumberEntry(lo, hi int, onChange func(int)) *numberEntry {
	n := &numberEntry{entry: newEntry(), min: lo, max: hi, onChange: onChange}
	n.entry.OnChanged = func(s string) {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			v = -1
		}
		if n.onChange != nil {
			n.onChange(v)
		}
	}
	n.minus = newButtonWithIcon("", theme.ContentRemoveIcon(), func() { n.step(-1) })
	n.plus = newButtonWithIcon("", theme.ContentAddIcon(), func() { n.step(1) })
	// Tab goes −, then the value, then +: the reading order.
	n.obj = inOrder(n.minus, n.plus, n.entry)
	return n
}

func (n *numberEntry) value() int {
	v, err := strconv.Atoi(strings.TrimSpace(n.entry.Text))
	if err != nil {
		return 0
	}
	return v
}

func (n *numberEntry) step(d int) {
	n.set(min(max(n.value()+d, n.min), n.max))
}

func (n *numberEntry) set(v int) { n.entry.SetText(strconv.Itoa(v)) }

// heading returns a bold title label.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// note returns a wrapping low-importance label.
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Italic = true
	return l
}

// pick selects the entry with id in the list, as a click would; false
// when it is not shown.
func (p *pickList) pick(id string) bool {
	for i, it := range p.shown {
		if it.ID == id {
			p.list.Select(i)
			return true
		}
	}
	return false
}

func fmtInt(n int) string { return strconv.Itoa(n) }

// inOrder lays out left, center, right as a Border does, with the Tab
// order of reading (container.NewBorder puts the center first).
func inOrder(left, right, center fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{left, center, right} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(nil, nil, left, right), objs...)
}
