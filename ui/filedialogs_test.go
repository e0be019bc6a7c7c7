package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bwbulk/wizard"
)

// fakeDialogDir holds a stand-in for zenity for the whole test run: the
// zenity package looks its tool up once per process.
var (
	fakeDialogOnce sync.Once
	fakeDialogDir  string
)

// fakeSystemDialog puts on the PATH a zenity that records its arguments
// in dir/args and answers with the contents of dir/answer (exit status
// 1, "cancelled", when that file is missing), and turns system dialogs on.
func fakeSystemDialog(t *testing.T) (dir string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the stand-in dialog is a shell script")
	}
	fakeDialogOnce.Do(func() {
		d, err := os.MkdirTemp("", "bwbulk-dialog")
		if err != nil {
			t.Fatal(err)
		}
		script := "#!/bin/sh\nd=\"$(dirname \"$0\")\"\nprintf '%s\\n' \"$@\" > \"$d/args\"\n" +
			"[ -f \"$d/status\" ] && { echo 'cannot open display' >&2; exit \"$(cat \"$d/status\")\"; }\n" +
			"[ -f \"$d/answer\" ] || exit 1\ncat \"$d/answer\"\n"
		if err := os.WriteFile(filepath.Join(d, "zenity"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		fakeDialogDir = d
	})
	os.Remove(filepath.Join(fakeDialogDir, "answer"))
	os.Remove(filepath.Join(fakeDialogDir, "args"))
	os.Remove(filepath.Join(fakeDialogDir, "status"))
	t.Setenv("PATH", fakeDialogDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	systemFileDialogs = true
	t.Cleanup(func() { systemFileDialogs = false })
	return fakeDialogDir
}

func dialogArgs(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatalf("the system dialog was not asked: %v", err)
	}
	return string(b)
}

// TestFileDialogs_ExportThroughSystemDialog: Export asks the system's own
// dialog where to save (name and filter given), adds the extension the
// user left out, and writes the users there.
func TestFileDialogs_ExportThroughSystemDialog(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	dir := fakeSystemDialog(t)
	out := filepath.Join(t.TempDir(), "new-users")
	if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(out+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.toStep(wizard.StepPreview, 3)
	h.w.preview.exportDialog()
	form := h.u.win.Canvas().Overlays().Top()
	if form == nil {
		t.Fatal("no export options")
	}
	walk(form, func(o fyne.CanvasObject) {
		if r, ok := o.(interface{ SetSelected(string) }); ok {
			r.SetSelected("CSV")
		}
	})
	test.Tap(button(t, form, "Choose file…"))
	waitFor(t, func() bool { _, err := os.Stat(out + ".csv"); return err == nil && h.u.status.message.Text != "" })

	args := dialogArgs(t, dir)
	for _, want := range []string{"--file-selection", "--save", "--confirm-overwrite", "--filename", ".csv", "--file-filter=CSV files|*.[cC]"} {
		if !strings.Contains(args, want) {
			t.Errorf("dialog arguments lack %q:\n%s", want, args)
		}
	}
	b, err := os.ReadFile(out + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(b), "\ufeff")), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "User ID,First name,Last name,") || !strings.Contains(lines[1], "@acme.example.com") {
		t.Errorf("exported file:\n%s", b)
	}
	if !strings.Contains(h.u.status.message.Text, "Exported 3 rows to "+out+".csv") {
		t.Errorf("status = %q", h.u.status.message.Text)
	}
}

// TestFileDialogs_SystemDialogOpenAndCancel: Open reads the file the
// system's dialog chose; cancelling it gives nothing and no error.
func TestFileDialogs_SystemDialogOpenAndCancel(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	dir := fakeSystemDialog(t)

	got := make(chan bool, 1)
	h.u.chooseOpen("Open users to import", []string{".csv", ".xlsx"}, func(rc fyne.URIReadCloser, err error) {
		got <- rc == nil && err == nil
	})
	if cancelled := <-got; !cancelled {
		t.Error("a cancelled dialog gave a file or an error")
	}
	if args := dialogArgs(t, dir); !strings.Contains(args, "--file-filter=CSV or XLSX files|*.[cC]") || strings.Contains(args, "--save") {
		t.Errorf("open dialog arguments:\n%s", args)
	}

	in := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(in, []byte("userId,firstName\nx@acme.example.com,X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(in+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	read := make(chan string, 1)
	h.u.chooseOpen("Open users to import", []string{".csv", ".xlsx"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			read <- "error: " + errString(err)
			return
		}
		defer rc.Close()
		read <- rc.URI().Name()
	})
	if name := <-read; name != "users.csv" {
		t.Errorf("opened %q", name)
	}
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

// TestFileDialogs_FiltersAreASCII: the patterns handed to the system's
// dialog fold case with ASCII letters only (no "ſ" for "s").
func TestFileDialogs_FiltersAreASCII(t *testing.T) {
	f := fileFilter([]string{".xlsx", ".csv"})
	if got := strings.Join(f.Patterns, " "); got != "*.[xX][lL][sS][xX] *.[cC][sS][vV]" {
		t.Errorf("patterns = %q", got)
	}
	h := newHarness(t, harnessOpts{})
	dir := fakeSystemDialog(t)
	got := make(chan bool, 1)
	h.u.chooseOpen("Open", []string{".xlsx"}, func(rc fyne.URIReadCloser, err error) { got <- rc == nil && err == nil })
	<-got
	args := dialogArgs(t, dir)
	for i, r := range args {
		if r >= 0x80 {
			t.Fatalf("non-ASCII %q at %d in the dialog arguments:\n%s", r, i, args)
		}
	}
	if !strings.Contains(args, "*.[xX][lL][sS][xX]") {
		t.Errorf("arguments:\n%s", args)
	}
}

// TestFileDialogs_FailingDialogFallsBack: a system dialog that cannot run
// (zenity exits 255 with LANG=C, say) gives way to Fyne's own dialog with
// a note, never a bare error.
func TestFileDialogs_FailingDialogFallsBack(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	dir := fakeSystemDialog(t)
	if err := os.WriteFile(filepath.Join(dir, "status"), []byte("255"), 0o644); err != nil {
		t.Fatal(err)
	}
	called := false
	h.u.chooseOpen("Open users to import", []string{".csv"}, func(fyne.URIReadCloser, error) { called = true })
	waitFor(t, func() bool { return h.u.win.Canvas().Overlays().Top() != nil })
	if called {
		t.Error("the failure went to the caller")
	}
	if !strings.Contains(h.u.status.message.Text, "using bwbulk's own") {
		t.Errorf("status = %q", h.u.status.message.Text)
	}
	h.u.win.Canvas().Overlays().Top().Hide()
	h.u.chooseSave("Export", "users.csv", ".csv", func(fyne.URIWriteCloser, error) { called = true })
	waitFor(t, func() bool { return h.u.win.Canvas().Overlays().Top() != nil })
	if called {
		t.Error("the save failure went to the caller")
	}
}

// TestExport_CSVOptions: a CSV offers no workbook options, leaves the
// passwords out unless asked, and warns when they are asked for.
func TestExport_CSVOptions(t *testing.T) {
	test.NewTempApp(t)
	o := newExportOptions("Include passwords (a separate Passwords sheet)")
	if !o.xlsx.Visible() || o.csv.Visible() || !o.pwSheet.Checked {
		t.Fatalf("XLSX: workbook options %v, CSV options %v, sheet %v", o.xlsx.Visible(), o.csv.Visible(), o.pwSheet.Checked)
	}
	o.format.SetSelected("CSV")
	if o.xlsx.Visible() || !o.csv.Visible() {
		t.Errorf("CSV: workbook options shown %v, CSV options shown %v", o.xlsx.Visible(), o.csv.Visible())
	}
	if o.pwCSV.Checked || o.warn.Visible() {
		t.Errorf("CSV passwords on by default (%v) or warned already (%v)", o.pwCSV.Checked, o.warn.Visible())
	}
	test.Tap(o.pwCSV)
	if !o.warn.Visible() || !strings.Contains(o.warn.Text, "reads the passwords") {
		t.Errorf("no warning with passwords in a CSV")
	}
}

// TestExport_SavedPathAndFolder: after an export the full path is shown
// with a button that opens its folder.
func TestExport_SavedPathAndFolder(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	dir := fakeSystemDialog(t)
	out := filepath.Join(t.TempDir(), "saved-users.csv")
	if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(out+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.toStep(wizard.StepPreview, 2)
	h.w.preview.exportDialog()
	form := h.u.win.Canvas().Overlays().Top()
	walk(form, func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok {
			r.SetSelected("CSV")
		}
	})
	test.Tap(button(t, form, "Choose file…"))
	waitFor(t, func() bool {
		top := h.u.win.Canvas().Overlays().Top()
		return top != nil && strings.Contains(strings.Join(texts(top), "\n"), out)
	})
	b, _ := os.ReadFile(out)
	if strings.Contains(strings.SplitN(string(b), "\n", 2)[0], "password") {
		t.Errorf("passwords in the CSV by default:\n%s", b)
	}
	top := h.u.win.Canvas().Overlays().Top()
	if button(t, top, "Open folder") == nil {
		t.Error("no Open folder button")
	}
}
