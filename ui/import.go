package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/wizard"
)

// importView opens a CSV/XLSX (button or drag-and-drop onto the window):
// it reads the file with a progress bar (cancellable), asks for the
// password of an encrypted workbook, stops at the mapping screen for
// columns it does not know, lists what it refused, changed and ignored,
// and after picking the service provider and group lands in the wizard's
// preview.
type importView struct {
	u    *UI
	file string
	data []byte
	// password opened the current workbook ("" for none).
	password string
	tab      *wizard.Table
	imp      *wizard.Import
	rows     []wizard.Row
	// gen counts reads: a read finishing after a newer one began is
	// dropped.
	gen    int
	cancel context.CancelFunc

	sps      []wizard.ServiceProvider
	spSel    *keySelect
	groupSel *keySelect
	fileInfo *widget.Label
	problems *widget.Label
	next     *keyButton
	// newHere opens the wizard for new users in the picked group, no
	// file needed.
	newHere *keyButton
	status  *widget.Label
	bar     *widget.ProgressBar
	stop    *keyButton
	busy    *fyne.Container
	body    *fyne.Container
	report  fyne.CanvasObject
	mapping *mappingScreen
	obj     fyne.CanvasObject
	// uidTpl is the template that makes the user ids of a file without a
	// User ID column (uidBox, shown only then).
	uidTpl *widget.SelectEntry
	uidBox *fyne.Container
}

func newImportView(u *UI) *importView {
	v := &importView{u: u}
	open := newButtonWithIcon("Open CSV or XLSX…", theme.FolderOpenIcon(), v.openDialog)
	open.Importance = widget.HighImportance
	tmpl := newButtonWithIcon("Download template…", theme.DownloadIcon(), v.downloadTemplate)
	v.fileInfo = widget.NewLabel("No file yet. Open one, or drop a .csv or .xlsx file onto this window.")
	v.fileInfo.Wrapping = fyne.TextWrapWord
	v.problems = widget.NewLabel("")
	v.problems.Wrapping = fyne.TextWrapWord
	v.status = note("")
	v.spSel = newSelect(nil, func(sp string) { v.loadGroups(sp) })
	v.spSel.PlaceHolder = "Service provider / enterprise"
	v.groupSel = newSelect(nil, func(string) { v.updateNext() })
	v.groupSel.PlaceHolder = "Group"
	v.next = newButtonWithIcon("Preview", theme.NavigateNextIcon(), v.toPreview)
	v.next.Importance = widget.HighImportance
	v.next.Disable()
	v.newHere = newButtonWithIcon(reuseGroup, theme.ContentAddIcon(), v.newUsersHere)
	v.newHere.Disable()
	v.bar = widget.NewProgressBar()
	v.stop = newButtonWithIcon("Cancel", theme.CancelIcon(), v.cancelRead)
	v.busy = container.NewBorder(nil, nil, nil, v.stop, v.bar)
	v.busy.Hide()
	v.uidTpl = widget.NewSelectEntry(nil)
	v.uidTpl.OnChanged = func(string) { v.showLoaded() }
	v.uidBox = container.NewVBox(
		note("This file has no User ID column: the user ids are made from a template, as the wizard's User ID step makes them ({{ domain }} is the group's; without an @ the group's domain is added)."),
		widget.NewForm(widget.NewFormItem("User ID template", v.uidTpl)))
	v.uidBox.Hide()
	target := widget.NewForm(
		widget.NewFormItem("Service provider", v.spSel),
		widget.NewFormItem("Group", v.groupSel),
	)
	top := container.NewVBox(heading("Import users from a file"),
		note("The first row names the columns: bwbulk's own headers (User ID, First name, … or userId, firstName, …), odin's, Mercury's and Webex Control Hub's are known; any other column is asked about."),
		container.NewHBox(open, tmpl), v.busy, v.fileInfo, v.uidBox, target, v.status, container.NewHBox(v.next, v.newHere))
	v.report = container.NewVScroll(v.problems)
	v.body = container.NewStack(v.report)
	v.obj = container.NewBorder(top, nil, nil, nil, v.body)
	return v
}

// loadSPs fills the service provider list (when the screen is first used).
func (v *importView) loadSPs() {
	cat := v.u.catalogue()
	v.status.SetText("Loading service providers…")
	v.u.spawn(func() {
		sps, err := cat.ServiceProviders(v.u.ctx)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not load service providers. " + errorWords(err))
				return
			}
			v.status.SetText("")
			v.sps = sps
			ids := make([]string, len(sps))
			for i, s := range sps {
				ids[i] = s.ID
			}
			v.spSel.SetOptions(ids)
			v.preselect()
		})
	})
}

func (v *importView) loadGroups(sp string) {
	cat := v.u.catalogue()
	v.groupSel.ClearSelected()
	v.groupSel.SetOptions(nil)
	v.u.spawn(func() {
		gs, err := cat.Groups(v.u.ctx, sp)
		fyne.Do(func() {
			if err != nil {
				v.status.SetText("Could not load groups. " + errorWords(err))
				return
			}
			ids := make([]string, len(gs))
			for i, g := range gs {
				ids[i] = g.ID
			}
			v.groupSel.SetOptions(ids)
			if v.imp != nil && v.imp.Group != "" && v.spSel.Selected == v.imp.ServiceProvider {
				for _, id := range ids {
					if id == v.imp.Group {
						v.groupSel.SetSelected(id)
					}
				}
			}
			v.updateNext()
		})
	})
}

// preselect picks the service provider the file names (Mercury's
// serviceProviderId column), when the list has it.
func (v *importView) preselect() {
	if v.imp == nil || v.imp.ServiceProvider == "" || v.spSel.Selected == v.imp.ServiceProvider {
		return
	}
	for _, s := range v.sps {
		if s.ID == v.imp.ServiceProvider {
			v.spSel.SetSelected(s.ID)
		}
	}
}

// blocked says why the rows cannot go on to the preview ("" when they
// can).
func (v *importView) blocked() string {
	switch {
	case v.imp == nil:
		return ""
	case wizard.OnlyUserIDsMissing(v.imp) && strings.TrimSpace(v.uidTpl.Text) != "":
		return ""
	case len(v.imp.Problems) > 0:
		return fmt.Sprintf("%s must be fixed in the file before the users can go on (the preview would lose %s). Fix the file and open it again.",
			plural(len(v.imp.Problems), "problem"), them(len(v.imp.Problems)))
	case v.imp.Replace != nil:
		return "This is an \"Export problems\" file: in the preview it came from, press \"Import fixes…\" to put its rows back."
	}
	return ""
}

func them(n int) string {
	if n == 1 {
		return "the value"
	}
	return "those values"
}

func (v *importView) updateNext() {
	picked := v.spSel.Selected != "" && v.groupSel.Selected != ""
	enable(v.next, len(v.rows) > 0 && v.blocked() == "" && picked)
	enable(v.newHere, picked)
}

// newUsersHere opens the wizard for new users in the picked group.
func (v *importView) newUsersHere() {
	sp, g := v.spSel.Selected, v.groupSel.Selected
	if sp == "" || g == "" {
		return
	}
	v.u.newUsersIn(sp, v.isEnterprise(sp), g)
}

// isEnterprise reports whether service provider sp of the list is an
// enterprise.
func (v *importView) isEnterprise(sp string) bool {
	for _, s := range v.sps {
		if s.ID == sp {
			return s.IsEnterprise
		}
	}
	return false
}

func (v *importView) openDialog() {
	v.u.chooseOpen("Open users to import", []string{".csv", ".xlsx", ".ods", ".txt", ".xls"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			v.u.showError("Open", err)
			return
		}
		if rc != nil {
			v.read("Open", rc.URI().Name(), func() (io.ReadCloser, error) { return rc, nil })
		}
	})
}

// dropped handles files dropped onto the window: the first CSV/XLSX is
// imported.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	for _, uri := range uris {
		ext := strings.ToLower(uri.Extension())
		if ext != ".csv" && ext != ".xlsx" && ext != ".txt" {
			continue
		}
		u.Show(ScreenImport)
		u.importer.read("Import", uri.Name(), func() (io.ReadCloser, error) { return os.Open(uri.Path()) })
		return
	}
	u.showInfo("Import", "Drop a .csv or .xlsx file to import users.")
}

// read reads a file off the UI goroutine and loads it; a file that cannot
// be read is reported in a dialog titled what.
func (v *importView) read(what, name string, open func() (io.ReadCloser, error)) {
	v.u.spawn(func() {
		var b []byte
		rc, err := open()
		if err == nil {
			b, err = io.ReadAll(io.LimitReader(rc, wizard.MaxImportSize+1))
			rc.Close()
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError(what, err)
				return
			}
			v.password = ""
			v.load(name, b)
		})
	})
}

// load reads and imports a file off the UI goroutine, with a progress
// bar and Cancel.
func (v *importView) load(name string, b []byte) {
	v.gen++
	gen := v.gen
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(v.u.ctx)
	v.cancel = cancel
	v.file, v.data = name, b
	v.tab, v.imp, v.rows = nil, nil, nil
	v.showReport()
	v.problems.SetText("")
	v.fileInfo.SetText("Reading " + name + "…")
	v.startBusy()
	v.updateNext()
	password := v.password
	v.u.spawn(func() {
		progress := v.progress(gen, 0, 0.5)
		opts := &wizard.ReadOptions{Password: password, Progress: progress}
		// The format from the content, as the command line reads it.
		tab, err := wizard.ReadFile(ctx, name, bytes.NewReader(b), opts)
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			var ee *wizard.EncryptedError
			switch {
			case errors.As(err, &ee):
				v.finish()
				v.askPassword(ee.Wrong)
			case errors.Is(err, context.Canceled):
				v.finish()
				v.fileInfo.SetText(name + ": reading cancelled. Nothing was imported.")
			case err != nil:
				v.finish()
				v.fileInfo.SetText(name + ": " + errorWords(err))
			default:
				v.tableRead(gen, ctx, tab)
			}
		})
	})
}

// progress returns a reading callback that moves the bar between from
// and from+span (throttled: one UI update per percent).
func (v *importView) progress(gen int, from, span float64) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if pct == last {
			return
		}
		last = pct
		f := from + span*float64(done)/float64(total)
		fyne.Do(func() {
			if gen == v.gen {
				v.bar.SetValue(f)
			}
		})
	}
}

func (v *importView) startBusy() {
	v.bar.SetValue(0)
	v.busy.Show()
	v.stop.Enable()
}

// stopBusy hides the progress bar when the read is over (or waits for
// the mapping screen, whose answer goes on with the same context).
func (v *importView) stopBusy() {
	v.busy.Hide()
}

// finish ends the read: its context is released.
func (v *importView) finish() {
	v.busy.Hide()
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

// cancelRead stops the read or import under way; nothing of it is kept.
func (v *importView) cancelRead() {
	if v.cancel != nil {
		v.cancel()
	}
	v.stop.Disable()
}

// askPassword asks for the password of an encrypted workbook and reads
// it again with it.
func (v *importView) askPassword(wrong bool) {
	name, b := v.file, v.data
	v.fileInfo.SetText(name + ": the workbook is encrypted.")
	pw := newPasswordEntry()
	msg := "The workbook is encrypted. Type the password it was saved with."
	if wrong {
		msg = "That password does not open the workbook. Type it again."
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	d := v.u.formDialog("Password for "+name, "Open", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("", text), widget.NewFormItem("Password", pw)}, func(ok bool) {
			if !ok || pw.Text == "" {
				v.fileInfo.SetText(name + ": the workbook is encrypted; it was not opened.")
				return
			}
			v.password = pw.Text
			v.load(name, b)
		})
	pw.OnSubmitted = func(string) { d.enter() }
	d.Resize(fyne.NewSize(440, 220))
	d.Show()
	v.u.win.Canvas().Focus(pw)
}

// tableRead goes on with a file read as a table: to the mapping screen
// when it has columns nobody mapped yet, else to the import.
func (v *importView) tableRead(gen int, ctx context.Context, tab *wizard.Table) {
	v.tab = tab
	m := v.savedMapping(tab.Header)
	if unknown := tab.Unmapped(m); len(unknown) > 0 {
		v.stopBusy()
		v.fileInfo.SetText(fmt.Sprintf("%s: %s bwbulk does not know. Say what each one is, or ignore it.", v.file, plural(len(unknown), "column")))
		v.mapping = newMappingScreen(tab, unknown, func(chosen wizard.Mapping) {
			for k, c := range m {
				chosen[k] = c
			}
			v.saveMapping(tab.Header, chosen)
			v.showReport()
			v.startBusy()
			v.runImport(gen, ctx, chosen)
		})
		v.body.Objects = []fyne.CanvasObject{v.mapping.obj}
		v.body.Refresh()
		return
	}
	v.runImport(gen, ctx, m)
}

func (v *importView) showReport() {
	v.mapping = nil
	v.body.Objects = []fyne.CanvasObject{v.report}
	v.body.Refresh()
}

// runImport maps the table's columns and checks the rows off the UI
// goroutine.
func (v *importView) runImport(gen int, ctx context.Context, m wizard.Mapping) {
	tab, name := v.tab, v.file
	v.fileInfo.SetText(fmt.Sprintf("Checking %d rows of %s…", len(tab.Records), name))
	v.u.spawn(func() {
		imp, err := tab.Import(ctx, m, v.progress(gen, 0.5, 0.5))
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.finish()
			switch {
			case errors.Is(err, context.Canceled):
				v.fileInfo.SetText(name + ": import cancelled. Nothing was imported.")
			case err != nil:
				v.fileInfo.SetText(name + ": " + errorWords(err))
			default:
				v.loaded(name, imp)
			}
		})
	})
}

// loaded shows what the import found.
func (v *importView) loaded(name string, imp *wizard.Import) {
	// Device names and line/ports the file lacks: the wizard's defaults,
	// said in a note (toPreview fills the rows without a domain once the
	// group's is known, and once the user ids are made when the file has
	// none).
	if !wizard.MissingUserIDs(imp) {
		imp.Notes = append(imp.Notes, wizard.FillDefaults(imp, "")...)
	}
	v.imp, v.rows = imp, imp.Rows
	if wizard.MissingUserIDs(imp) {
		tpls := wizard.UserIDTemplates(imp)
		v.uidTpl.SetOptions(tpls)
		v.uidTpl.Text = tpls[0]
		v.uidTpl.Refresh()
		v.uidBox.Show()
	} else {
		v.uidBox.Hide()
	}
	v.showLoaded()
	if len(v.sps) == 0 {
		v.loadSPs()
	} else {
		v.preselect()
	}
}

// showLoaded says what the file holds and whether it can go on.
func (v *importView) showLoaded() {
	imp, name := v.imp, v.file
	if imp == nil {
		return
	}
	t := imp.Table
	what := t.Format
	if t.Encoding != "" {
		what += ", " + t.Encoding + ", " + separatorName(t.Separator)
	}
	if t.Sheet != "" {
		what += ", sheet " + t.Sheet
	}
	info := fmt.Sprintf("%s (%s): %s", name, what, plural(len(imp.Rows), "user"))
	if b := v.blocked(); b != "" {
		info += ". " + b
	} else {
		info += ". Pick where they go, then Preview to check and fix them."
	}
	if wizard.MissingUserIDs(imp) && v.blocked() == "" {
		info += " The user ids are made from " + strings.TrimSpace(v.uidTpl.Text) + "."
	}
	v.fileInfo.SetText(info)
	made := wizard.OnlyUserIDsMissing(imp) && strings.TrimSpace(v.uidTpl.Text) != ""
	v.problems.SetText(desk.ImportReport(imp, made))
	v.updateNext()
}

func separatorName(r rune) string {
	switch r {
	case ',':
		return "comma-separated"
	case ';':
		return "semicolon-separated"
	case '\t':
		return "tab-separated"
	}
	return fmt.Sprintf("separated by %q", r)
}

// mappingKey is the preference that remembers the mapping of one set of
// headers.
func mappingKey(header []string) string { return wizard.MappingPreferenceKey(header) }

func (v *importView) savedMapping(header []string) wizard.Mapping {
	m := wizard.Mapping{}
	if s := v.u.app.Preferences().String(mappingKey(header)); s != "" {
		_ = json.Unmarshal([]byte(s), &m) // a damaged entry is asked again
	}
	return m
}

func (v *importView) saveMapping(header []string, m wizard.Mapping) {
	b, err := json.Marshal(m)
	if err == nil {
		v.u.app.Preferences().SetString(mappingKey(header), string(b))
	}
}

// toPreview loads the group's facts and opens the wizard's preview with
// the imported rows: device names and line/ports the file lacks come from
// the wizard's defaults, numbers are spelled as the group lists them.
func (v *importView) toPreview() {
	if v.imp == nil || v.blocked() != "" {
		return
	}
	sp, g := v.spSel.Selected, v.groupSel.Selected
	isEnt := v.isEnterprise(sp)
	imp := v.imp
	cat := v.u.catalogue()
	v.next.Disable()
	v.status.SetText("Reading group " + g + "…")
	v.u.spawn(func() {
		f, err := wizard.LoadFacts(v.u.ctx, cat, sp, g)
		fyne.Do(func() {
			v.updateNext()
			v.status.SetText("")
			if err != nil {
				v.u.showError("Import", err)
				return
			}
			if v.imp != imp {
				return // another file was opened meanwhile
			}
			if msg := imp.TargetMismatch(sp, g); msg != "" {
				v.u.showInfo("Import", strings.ToUpper(msg[:1])+msg[1:]+".")
				return
			}
			fill := &wizard.Import{Rows: append([]wizard.Row(nil), imp.Rows...), SourceRows: imp.SourceRows, Columns: imp.Columns}
			var notes []wizard.Note
			if wizard.MissingUserIDs(fill) {
				if err := wizard.BuildUserIDs(fill, v.uidTpl.Text, f.Group.DefaultDomain); err != nil {
					v.u.showError("User ID template", err)
					return
				}
				notes = append(notes, fill.Notes...)
			}
			notes = append(notes, wizard.PrepareImport(fill, f)...)
			m := wizard.ModelForImportFile(sp, isEnt, f, fill)
			v.u.wizard.reset(m, wizard.StepPreview, 0)
			v.u.Show(ScreenNewUsers)
			if len(notes) > 0 {
				var s []string
				for _, n := range notes {
					s = append(s, n.String())
				}
				v.u.status.setMessage("Imported %s; %s", plural(len(fill.Rows), "user"), strings.Join(s, "; "))
			}
		})
	})
}

// downloadTemplate writes the import template: friendly headers, one
// example row and a column guide.
func (v *importView) downloadTemplate() {
	v.u.chooseSave("Download template", "bwbulk-users-template.xlsx", ".xlsx", func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			v.u.showError("Download template", err)
			return
		}
		if wc == nil {
			return
		}
		v.u.spawn(func() {
			err := wizard.ExportXLSX(wc, wizard.TemplateSheets(), "")
			if cerr := wc.Close(); err == nil {
				err = cerr
			}
			fyne.Do(func() {
				if err != nil {
					v.u.showError("Download template", err)
					return
				}
				v.u.status.setMessage("Template saved to %s", wc.URI().Path())
			})
		})
	})
}
