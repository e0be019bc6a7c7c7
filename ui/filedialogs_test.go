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
			"[ -f \"$d/answer\" ] || exit 1\ncat \"$d/answer\"\n"
		if err := os.WriteFile(filepath.Join(d, "zenity"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		fakeDialogDir = d
	})
	os.Remove(filepath.Join(fakeDialogDir, "answer"))
	os.Remove(filepath.Join(fakeDialogDir, "args"))
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
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "userId,") || !strings.Contains(lines[1], "@acme.example.com") {
		t.Errorf("exported file:\n%s", b)
	}
	if !strings.Contains(h.u.status.message.Text, "Exported 3 rows to new-users.csv") {
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
