package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// TestImport_MappingScreenRemembered: a column bwbulk does not know stops
// the import at the mapping screen; once answered, the next file with the
// same headers goes straight through.
func TestImport_MappingScreenRemembered(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	csv := "userId,firstName,lastName,Kostenstelle,Handy\nm1@acme.example.com,Ann,One,4711,+49 170 1234567\n"
	v.load("kst.csv", []byte(csv))
	if v.mapping == nil || len(v.rows) != 0 || !v.next.Disabled() {
		t.Fatalf("no mapping screen: rows %d, info %q", len(v.rows), v.fileInfo.Text)
	}
	if !strings.Contains(v.fileInfo.Text, "2 columns bwbulk does not know") {
		t.Errorf("info %q", v.fileInfo.Text)
	}
	ms := v.mapping
	ms.choose("Kostenstelle", ignoreColumn)
	if !ms.next.Disabled() || ms.left.Text != "1 column to go" {
		t.Errorf("Continue with a column unanswered: %q", ms.left.Text)
	}
	ms.choose("Handy", wizard.ColMobile.Title())
	if ms.next.Disabled() {
		t.Fatal("Continue disabled with every column answered")
	}
	ms.submit()
	if v.mapping != nil || len(v.rows) != 1 || v.rows[0].Get(wizard.ColMobile) != "+49 170 1234567" {
		t.Fatalf("after mapping: rows %v, info %q", v.rows, v.fileInfo.Text)
	}
	if !strings.Contains(v.problems.Text, "column D (Kostenstelle): ignored as chosen") {
		t.Errorf("ignored column not listed:\n%s", v.problems.Text)
	}
	// The same headers in another order: remembered.
	v.load("kst2.csv", []byte("Handy,Kostenstelle,userId,firstName,lastName\n+49 170 7654321,4712,m2@acme.example.com,Bob,Two\n"))
	if v.mapping != nil || len(v.rows) != 1 || v.rows[0].Get(wizard.ColMobile) != "+49 170 7654321" {
		t.Fatalf("mapping not remembered: %q", v.fileInfo.Text)
	}
}

// TestImport_EncryptedAsksPassword: bwbulk's own encrypted export asks for
// its password, refuses a wrong one and opens with the right one.
func TestImport_EncryptedAsksPassword(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	b, err := os.ReadFile("../wizard/testdata/import/bwbulk-encrypted-open-sesame.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	v.load("users.xlsx", b)
	if len(v.rows) != 0 || !strings.Contains(v.fileInfo.Text, "encrypted") {
		t.Fatalf("info %q", v.fileInfo.Text)
	}
	pw := passwordDialogEntry(t, h.u.win)
	if pw == nil {
		t.Fatal("no password dialog")
	}
	v.password = "wrong"
	v.load("users.xlsx", b)
	if len(v.rows) != 0 {
		t.Fatal("opened with a wrong password")
	}
	v.password = "open sesame"
	v.load("users.xlsx", b)
	if len(v.rows) != 2 || v.rows[0].Get(wizard.ColUserID) != "enc1@acme.example.com" || v.rows[0].Get(wizard.ColExtension) != "0042" {
		t.Fatalf("rows %v, info %q", v.rows, v.fileInfo.Text)
	}
}

// passwordDialogEntry finds the password entry of a dialog on top.
func passwordDialogEntry(t *testing.T, w fyne.Window) *keyEntry {
	t.Helper()
	for _, o := range w.Canvas().Overlays().List() {
		if e := findPassword(o); e != nil {
			return e
		}
	}
	return nil
}

func findPassword(o fyne.CanvasObject) *keyEntry {
	switch x := o.(type) {
	case *keyEntry:
		if x.Password {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if e := findPassword(c); e != nil {
				return e
			}
		}
	case *widget.PopUp:
		return findPassword(x.Content)
	case *container.Scroll:
		return findPassword(x.Content)
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if e := findPassword(c); e != nil {
				return e
			}
		}
	}
	return nil
}

// TestImport_RefusedBlocksPreview: a file with cells the import refused
// (a date in the phone column) cannot go on to the preview.
func TestImport_RefusedBlocksPreview(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	b, err := os.ReadFile("../wizard/testdata/import/excel-typed-cells.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	v.load("typed.xlsx", b)
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	if !v.next.Disabled() || !strings.Contains(v.fileInfo.Text, "6 problems must be fixed in the file") {
		t.Fatalf("Preview enabled with refused cells; info %q", v.fileInfo.Text)
	}
	if !strings.Contains(v.problems.Text, "row 3, column D (Phone Number): Excel stored this as a date") {
		t.Errorf("problems:\n%s", v.problems.Text)
	}
}

// TestImport_DefaultsAndStepList: a CSV without device name and line/port
// columns takes the wizard's defaults (no problem per row), and the step
// list says which steps came from the file instead of marking all done.
func TestImport_DefaultsAndStepList(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Device Type,MAC Address\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "d%02d@acme.example.com,Dee,User%02d,Polycom VVX 450,00:04:F2:DD:00:%02d\n", i, i, i)
	}
	v.load("ten.csv", []byte(b.String()))
	if len(v.rows) != 10 {
		t.Fatalf("rows %d: %s", len(v.rows), v.fileInfo.Text)
	}
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	v.toPreview()
	w := h.w
	if w.cur != wizard.StepPreview || w.preview.p == nil {
		t.Fatalf("not in the preview: %s", w.cur)
	}
	if ps := w.preview.p.Problems(); len(ps) != 0 {
		t.Fatalf("%d problems, first %v", len(ps), ps[0])
	}
	r := w.preview.p.Rows[0]
	if r.Get(wizard.ColDeviceName) != "d01-phone" || r.Get(wizard.ColLinePort) != "d01@acme.example.com" {
		t.Errorf("row 1 %v", r.Fields())
	}
	if len(w.preview.rows) != 10 {
		t.Errorf("the table shows %d rows at once, want 10", len(w.preview.rows))
	}
	labels := map[wizard.Step]string{}
	for i, s := range wizard.Steps() {
		o := w.stepList.CreateItem()
		w.stepList.UpdateItem(i, o)
		labels[s] = o.(*fyne.Container).Objects[1].(*widget.Label).Text
	}
	for _, s := range []wizard.Step{wizard.StepUserCount, wizard.StepNames, wizard.StepAddress} {
		if !strings.HasSuffix(labels[s], "(from the file)") {
			t.Errorf("step %s: %q", s, labels[s])
		}
	}
	// The Device step's choice goes to the rows that name no device.
	for _, s := range []wizard.Step{wizard.StepGroup, wizard.StepPasswords, wizard.StepDevice} {
		if strings.Contains(labels[s], "from the file") {
			t.Errorf("step %s: %q", s, labels[s])
		}
	}
}

// TestImport_Cancel: Cancel while a file is read drops it.
func TestImport_Cancel(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	var queued []func()
	h.u.spawn = func(f func()) { queued = append(queued, f) }
	v.load("big.csv", []byte("userId,firstName,lastName\na@acme.example.com,A,B\n"))
	if v.busy.Hidden {
		t.Fatal("no progress bar while reading")
	}
	v.cancelRead()
	for len(queued) > 0 {
		f := queued[0]
		queued = queued[1:]
		f()
	}
	if len(v.rows) != 0 || !strings.Contains(v.fileInfo.Text, "cancelled") || !v.busy.Hidden {
		t.Errorf("after Cancel: %d rows, %q", len(v.rows), v.fileInfo.Text)
	}
}

// TestPreview_ExportProblemsImportFixes: the preview's rows with problems
// go out as a file and come back fixed, replacing those rows.
func TestPreview_ExportProblemsImportFixes(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 5)
	v := h.w.preview
	v.p.Set(1, wizard.ColEmail, "nobody")
	v.p.Set(3, wizard.ColExtension, "1")
	v.recheck()
	rows := wizard.PreviewProblemRows(v.p)
	if len(rows) != 2 {
		t.Fatalf("%d problem rows", len(rows))
	}
	for _, xlsx := range []bool{false, true} {
		var buf bytes.Buffer
		if err := desk.WriteProblems(&buf, rows, xlsx); err != nil {
			t.Fatal(err)
		}
		name := "p.csv"
		if xlsx {
			name = "p.xlsx"
		}
		if _, err := wizard.ReadFixes(context.Background(), name, bytes.NewReader(buf.Bytes()), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// The user fixes the CSV: the email and the extension.
	var buf bytes.Buffer
	if err := desk.WriteProblems(&buf, rows, false); err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(buf.String(), "nobody", "user.002@acme.example.com", 1)
	fixed = strings.Replace(fixed, ",1,", ",0104,", 1)
	imp, err := wizard.ReadFixes(context.Background(), "p.csv", strings.NewReader(fixed), nil)
	if err != nil {
		t.Fatal(err)
	}
	v.applyFixes(imp)
	if v.p == nil || !v.p.Valid() {
		t.Fatalf("after Import fixes: %v", v.p.Problems())
	}
	if got := v.p.Rows[3].Get(wizard.ColExtension); got != "0104" {
		t.Errorf("row 4 extension %q", got)
	}
	if _, err := wizard.ReadFixes(context.Background(), "plain.csv", strings.NewReader("userId,firstName,lastName\na@x.com,A,B\n"), nil); err == nil {
		t.Error("a plain file taken as fixes")
	}
}

// TestTasks_ExportProblemsImportFixes: a task's failed jobs go out as a
// file with their errors; the fixed file re-plans and queues exactly those
// jobs, which then complete.
func TestTasks_ExportProblemsImportFixes(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	h.toStep(wizard.StepDevice, 3)
	dev := h.w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Polycom VVX 450")
	dev.mac.entry.SetText("0004f2{{ index | pad 6 }}")
	for h.w.cur < wizard.StepPreview {
		h.next()
	}
	v := h.w.preview
	// Rows 1 and 3 take MACs of acme-branch's phones: refused.
	v.p.Set(0, wizard.ColMACAddress, "0004F2B10001")
	v.p.Set(2, wizard.ColMACAddress, "0004F2B10002")
	v.recheck()
	plan, err := buildPlan(h.w.m, v.p, "admin", "demo")
	if err != nil {
		t.Fatal(err)
	}
	v.createTask(plan)
	id := h.u.tasks.selected
	task := waitTask(t, h.store, id, 30*time.Second)
	if task.Failed != 2 {
		t.Fatalf("task %+v", task)
	}
	// The file "Failed jobs to fix…" writes, as task N --export --failed.
	var buf bytes.Buffer
	n, err := desk.ExportFixes(context.Background(), h.store, id, &buf, jobs.FormatXLSX)
	if err != nil || n != 2 {
		t.Fatalf("ExportFixes = %d, %v", n, err)
	}
	imp, err := wizard.ReadFixes(context.Background(), "task.xlsx", bytes.NewReader(buf.Bytes()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Replace) != 2 || imp.Replace[0] != 1 || imp.Replace[1] != 3 {
		t.Fatalf("the file's rows are %v, want the failed rows 1 and 3", imp.Replace)
	}
	var csvBuf bytes.Buffer
	if _, err := desk.ExportFixes(context.Background(), h.store, id, &csvBuf, jobs.FormatCSV); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBuf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	errCol := slices.Index(recs[0], wizard.HeaderErrorName)
	if errCol < 0 || len(recs) != 3 || recs[1][errCol] == "" || recs[2][errCol] == "" {
		t.Fatalf("the file does not say why each job failed: %q", recs)
	}
	for _, c := range imp.Columns {
		if c == wizard.ColPassword {
			t.Error("passwords went into the problems file")
		}
	}
	for k := range imp.Rows {
		imp.Rows[k].Set(wizard.ColMACAddress, fmt.Sprintf("0004F2E0000%d", k))
	}
	n, left, err := desk.ApplyFixes(context.Background(), h.store, h.runner, id, imp)
	if err != nil || n != 2 || left != 0 {
		t.Fatalf("ApplyFixes = %d queued, %d left, %v", n, left, err)
	}
	task = waitTask(t, h.store, id, 30*time.Second)
	if task.Failed != 0 || task.Completed != 3 {
		t.Errorf("after the fixes: %+v", task)
	}
	// A file naming a job that did not fail changes nothing.
	imp.Replace[0] = 2
	if _, _, err := desk.ApplyFixes(context.Background(), h.store, h.runner, id, imp); err == nil {
		t.Error("fixes for a job that did not fail were taken")
	}
}

// TestImport_EncodingSaid: the import screen names the encoding and the
// separator it found.
func TestImport_EncodingSaid(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.importer
	b, err := os.ReadFile("../wizard/testdata/import/excel-eu-semicolon-cp1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	v.load("eu.csv", b)
	if !strings.Contains(v.fileInfo.Text, "eu.csv (CSV, Windows-1252, semicolon-separated): 3 users") {
		t.Errorf("info %q", v.fileInfo.Text)
	}
	if v.rows[0].Get(wizard.ColLastName) != "Œhlers" || !strings.Contains(v.problems.Text, "MAC addresses written as 12 hexadecimal digits") {
		t.Errorf("row 1 %v\n%s", v.rows[0].Fields(), v.problems.Text)
	}
}

// TestPreview_ExportMenu: the preview's Export… opens a menu with the
// rows with problems and Import fixes next to exporting every row.
func TestPreview_ExportMenu(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	var export *keyButton
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *keyButton:
			if x.Text == "Export…" {
				export = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				find(c)
			}
		}
	}
	find(h.w.preview.req)
	if export == nil {
		t.Fatal("no Export… button")
	}
	test.Tap(export)
	var items []string
	var texts func(o fyne.CanvasObject)
	texts = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				items = append(items, x.Text)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				texts(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				texts(c)
			}
		}
	}
	for _, o := range h.u.win.Canvas().Overlays().List() {
		texts(o)
	}
	if fmt.Sprint(items) != "[All rows… Rows with problems… Import fixes…]" {
		t.Errorf("menu %q", items)
	}
}

// TestImport_DeviceStepApplied: a device chosen on the Device step of an
// import goes to the rows the file gives no device (a row with its own
// keeps it), and the task creates it on the server.
func TestImport_DeviceStepApplied(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	v := h.u.importer
	csv := "User ID,First Name,Last Name,Phone Number,Device Type,MAC Address\n" +
		"dev.one@acme.example.com,Dev,One,2025550300,,\n" +
		"dev.two@acme.example.com,Dev,Two,2025550301,Polycom VVX 450,00:04:F2:DD:00:02\n"
	v.load("devices.csv", []byte(csv))
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	v.toPreview()
	w := h.w
	if w.cur != wizard.StepPreview {
		t.Fatalf("not in the preview: %s", w.cur)
	}
	w.goTo(wizard.StepDevice)
	dev := w.views[wizard.StepDevice].(*deviceStep)
	dev.mode.SetSelected(devHosted)
	dev.devType.set("Generic SIP Phone")
	for w.cur < wizard.StepPreview {
		h.next()
	}
	rows := w.preview.p.Rows
	if got := rows[0].Get(wizard.ColDeviceType); got != "Generic SIP Phone" {
		t.Fatalf("row 1 device type %q, want the Device step's", got)
	}
	if got := rows[0].Get(wizard.ColDeviceName); got != "dev.one-phone" {
		t.Errorf("row 1 device name %q", got)
	}
	if got := rows[0].Get(wizard.ColLinePort); got != "dev.one@acme.example.com" {
		t.Errorf("row 1 line/port %q", got)
	}
	if got := rows[1].Get(wizard.ColDeviceType); got != "Polycom VVX 450" {
		t.Errorf("row 2 device type %q, want the file's", got)
	}
	if ps := w.preview.p.Problems(); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	task := submitPreview(t, h)
	if task.Completed != 2 {
		t.Fatalf("task = %+v", task)
	}
	d, ok := h.srv.Device("acme-ent", "acme-hq", "dev.one-phone")
	if !ok || d.Type != "Generic SIP Phone" {
		t.Errorf("dev.one-phone on the server: %v %+v", ok, d)
	}
	if u, _ := h.srv.User("dev.one@acme.example.com"); u.LinePort != "dev.one@acme.example.com" {
		t.Errorf("dev.one's line/port on the server: %q", u.LinePort)
	}
}

// TestImport_UserIDsFromTemplate: an HR file without a User ID column is
// not refused: the user ids are made from a template (the file's e-mail
// first, or first.last at the group's domain), and the users go on to
// the preview and the server.
func TestImport_UserIDsFromTemplate(t *testing.T) {
	h := newHarness(t, harnessOpts{runner: true})
	v := h.u.importer
	v.load("hr.csv", []byte("First Name,Last Name,Email,Phone Number\n"+
		"Ann,Lee,ann.lee@acme.example.com,2025550300\n"+
		"Bo,Van Chen,bo.chen@acme.example.com,2025550301\n"))
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	if !v.uidBox.Visible() || v.uidTpl.Text != "{{ email }}" {
		t.Fatalf("template offered: visible %v, %q", v.uidBox.Visible(), v.uidTpl.Text)
	}
	if v.next.Disabled() || !strings.Contains(v.fileInfo.Text, "made from {{ email }}") {
		t.Fatalf("Preview disabled %v; info %q", v.next.Disabled(), v.fileInfo.Text)
	}
	if strings.Contains(v.problems.Text, "User ID") {
		t.Errorf("with the ids made from a template the report still reads:\n%s", v.problems.Text)
	}
	// Emptied, the file is refused as it was; first.last goes on.
	v.uidTpl.SetText("")
	if !v.next.Disabled() {
		t.Error("Preview enabled with no user id template")
	}
	if !strings.Contains(v.problems.Text, "no User ID column") {
		t.Errorf("with no template the report reads:\n%s", v.problems.Text)
	}
	v.uidTpl.SetText(wizard.UserIDTemplates(v.imp)[1])
	if v.next.Disabled() {
		t.Fatalf("Preview disabled with %q: %s", v.uidTpl.Text, v.fileInfo.Text)
	}
	v.toPreview()
	w := h.w
	if w.cur != wizard.StepPreview {
		t.Fatalf("not in the preview: %s", w.cur)
	}
	rows := w.preview.p.Rows
	if got := rows[1].Get(wizard.ColUserID); got != "bo.vanchen@acme.example.com" {
		t.Fatalf("row 2 user id %q", got)
	}
	if ps := w.preview.p.Problems(); len(ps) != 0 {
		t.Fatalf("problems %v", ps)
	}
	task := submitPreview(t, h)
	if task.Completed != 2 {
		t.Fatalf("task = %+v", task)
	}
	if u, ok := h.srv.User("ann.lee@acme.example.com"); !ok || u.FirstName != "Ann" {
		t.Errorf("ann.lee on the server: %v %+v", ok, u)
	}
}

// TestImport_rowNumbersAsTheFile: for a file with a title row above its
// header, the Import screen, the preview's row label and its problems
// and the selection line all name the bad user by its row in the file
// (4), as bwbulk validate does (cli's TestCLI_rowNumbersAsTheFile reads
// the same file).
func TestImport_rowNumbersAsTheFile(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	b, err := os.ReadFile("../cli/testdata/title-row-bad-user.csv")
	if err != nil {
		t.Fatal(err)
	}
	v := h.u.importer
	v.load("hires.csv", b)
	if len(v.rows) != 3 {
		t.Fatalf("rows %d: %s", len(v.rows), v.fileInfo.Text)
	}
	v.spSel.SetSelected("acme-ent")
	v.groupSel.SetSelected("acme-hq")
	if !strings.Contains(v.problems.Text, "row 4, column D (phoneNumber)") || strings.Contains(v.problems.Text, "row 2, column") || strings.Contains(v.problems.Text, "row 3, column") {
		t.Errorf("Import screen:\n%s", v.problems.Text)
	}
	v.toPreview()
	w := h.w
	if w.cur != wizard.StepPreview || w.preview.p == nil || len(w.preview.p.Rows) != 3 {
		t.Fatalf("not in the preview with 3 rows: step %s", w.cur)
	}
	pv := w.preview
	if !strings.Contains(pv.problems.Text, "Row 4, Phone number") || strings.Contains(pv.problems.Text, "Row 2") {
		t.Errorf("preview problems = %q", pv.problems.Text)
	}
	for i, want := range []string{"3", "4", "5"} {
		o := pv.table.CreateHeader()
		pv.table.UpdateHeader(widget.TableCellID{Row: i, Col: -1}, o)
		if got := o.(*gridCell).text; got != want {
			t.Errorf("row label of the preview's row %d: %q, want %q", i+1, got, want)
		}
	}
	pv.table.Select(widget.TableCellID{Row: 1, Col: 0}) // Bob's User ID
	if !strings.HasPrefix(pv.cellInfo.Text, "Row 4 · User ID") {
		t.Errorf("selection: %q", pv.cellInfo.Text)
	}
}
