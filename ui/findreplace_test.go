package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// selectRange selects the table's cells from a to b as Shift+click does.
func selectRange(v *previewView, a, b widget.TableCellID) {
	v.table.Select(b)
	v.anchor, v.hasAnchor = a, true
	v.showSelection()
}

// replaceVia fills the open Find and replace dialog and presses Replace.
func replaceVia(t *testing.T, h *harness, find, repl string) {
	t.Helper()
	f := h.w.preview.replaceForm
	f.find.SetText(find)
	f.repl.SetText(repl)
	test.Tap(button(t, h.u.win.Canvas().Overlays().Top(), "Replace"))
}

func userIDs(v *previewView) []string {
	var out []string
	for _, r := range v.p.Rows {
		out = append(out, strings.Split(r.Get(wizard.ColUserID), "@")[0])
	}
	return out
}

// TestPreview_FindReplaceScopes: Find and replace works on the rows shown
// when Errors only is ticked, on the selected rows when a range is
// selected, and remembers its column and texts.
func TestPreview_FindReplaceScopes(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := walkToPreview(h, 4, "2025550300-2025550303")
	before := userIDs(v)
	// Rows 2 and 4 lose their last name: errors.
	v.setCells(wizard.ColLastName, []int{1, 3}, []string{"", ""})
	v.recheck()
	v.errorsOnly.SetChecked(true)
	if len(v.rows) != 2 {
		t.Fatalf("Errors only shows %d rows", len(v.rows))
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: colIndex(v, wizard.ColUserID)})
	v.findReplaceDialog()
	f := v.replaceForm
	if f.scope.Selected != replaceShown || f.col.Selected != wizard.ColUserID.Title() {
		t.Fatalf("dialog opens on %q in %q", f.col.Selected, f.scope.Selected)
	}
	replaceVia(t, h, "user", "staff")
	got := userIDs(v)
	for r := range got {
		changed := got[r] != before[r]
		if changed != (r == 1 || r == 3) {
			t.Errorf("row %d: %q (was %q): only the rows shown should change", r+1, got[r], before[r])
		}
	}
	// Every row, in another column, then the dialog remembers it.
	v.errorsOnly.SetChecked(false)
	v.findReplaceDialog()
	v.replaceForm.col.SetSelected(wizard.ColFirstName.Title())
	if v.replaceForm.scope.Selected != replaceAll {
		t.Errorf("scope %q with nothing filtered or selected", v.replaceForm.scope.Selected)
	}
	replaceVia(t, h, "User", "Person")
	v.table.Select(widget.TableCellID{Row: 0, Col: colIndex(v, wizard.ColUserID)})
	v.findReplaceDialog()
	if f := v.replaceForm; f.col.Selected != wizard.ColFirstName.Title() || f.find.Text != "User" || f.repl.Text != "Person" {
		t.Errorf("reopened on %q, find %q, replace %q: want the last ones", f.col.Selected, f.find.Text, f.repl.Text)
	}
	test.Tap(button(t, h.u.win.Canvas().Overlays().Top(), "Cancel"))
	// Rows 1 and 2 selected: only they change.
	c := colIndex(v, wizard.ColUserID)
	selectRange(v, widget.TableCellID{Row: 0, Col: c}, widget.TableCellID{Row: 1, Col: c})
	before = userIDs(v)
	v.findReplaceDialog()
	if v.replaceForm.scope.Selected != replaceSelected {
		t.Fatalf("scope %q with two rows selected", v.replaceForm.scope.Selected)
	}
	v.replaceForm.col.SetSelected(wizard.ColUserID.Title())
	replaceVia(t, h, ".", "-")
	got = userIDs(v)
	for r := range got {
		if changed := got[r] != before[r]; changed != (r < 2) {
			t.Errorf("row %d: %q (was %q): only the selected rows should change", r+1, got[r], before[r])
		}
	}
}

// TestPreview_PasteFillsRange: one cell pasted onto a selected range fills
// it; a block of two onto four rows repeats; a block onto a range it does
// not divide is pasted once, from the range's top.
func TestPreview_PasteFillsRange(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := walkToPreview(h, 4, "2025550300-2025550303")
	c := colIndex(v, wizard.ColLastName)
	lastNames := func() string {
		var s []string
		for _, r := range v.p.Rows {
			s = append(s, r.Get(wizard.ColLastName))
		}
		return strings.Join(s, ",")
	}
	selectRange(v, widget.TableCellID{Row: 3, Col: c}, widget.TableCellID{Row: 0, Col: c})
	h.u.app.Clipboard().SetContent("Smith\n")
	v.pasteRange()
	if got := lastNames(); got != "Smith,Smith,Smith,Smith" {
		t.Errorf("one cell onto 4: %s", got)
	}
	h.u.app.Clipboard().SetContent("Ade\nBo")
	v.pasteRange()
	if got := lastNames(); got != "Ade,Bo,Ade,Bo" {
		t.Errorf("two onto 4: %s", got)
	}
	selectRange(v, widget.TableCellID{Row: 1, Col: c}, widget.TableCellID{Row: 3, Col: c})
	v.pasteRange()
	if got := lastNames(); got != "Ade,Ade,Bo,Bo" {
		t.Errorf("two onto 3: %s", got)
	}
}
