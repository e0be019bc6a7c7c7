package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"fyne.io/fyne/v2/storage"
	"github.com/xuri/excelize/v2"

	"bwbulk/desk"
	"bwbulk/wizard"
)

// The system save dialog itself is not driven here: under Wine its
// Common Item Dialog opens with no current folder and does not answer
// reliably to scripted input (see README, Windows under Wine). What the
// app does with the path the dialog returns is tested: a file URI made
// from a Windows path, written as Export writes it.

var shGetFolderPath = syscall.NewLazyDLL("shell32.dll").NewProc("SHGetFolderPathW")

const csidlPersonal = 0x0005 // Documents

func documentsFolder(t *testing.T) string {
	t.Helper()
	buf := make([]uint16, 260)
	if r, _, _ := shGetFolderPath.Call(0, csidlPersonal, 0, 0, uintptr(unsafe.Pointer(&buf[0]))); r != 0 {
		t.Fatalf("SHGetFolderPath(Documents) = %#x", r)
	}
	return syscall.UTF16ToString(buf)
}

// exportTo writes rows to path as chooseSave and exportRows do once the
// dialog has answered.
func exportTo(t *testing.T, path string, rows []wizard.Row, xlsx bool) {
	t.Helper()
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	err = desk.WriteRows(wc, rows, xlsx, true, "")
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("export to %s: %v", path, err)
	}
}

// TestFileDialogs_WindowsExportPaths: an export chosen in the user's
// Documents, and one in a folder with spaces and accented letters, are
// written at exactly those Windows paths and read back.
func TestFileDialogs_WindowsExportPaths(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 3)
	rows := h.w.preview.p.Rows
	docs := documentsFolder(t)

	csvPath := filepath.Join(docs, "acme-ent-acme-hq-users.csv")
	t.Cleanup(func() { os.Remove(csvPath) })
	exportTo(t, csvPath, rows, false)
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(b), "\ufeff")), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "User ID,") || !strings.Contains(lines[1], "@acme.example.com") {
		t.Errorf("%s:\n%s", csvPath, b)
	}

	dir := filepath.Join(docs, "Équipe Nord", "août 2026")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Join(docs, "Équipe Nord")) })
	xlsxPath := filepath.Join(dir, "nouveaux utilisateurs.xlsx")
	exportTo(t, xlsxPath, rows, true)
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatalf("open %s: %v", xlsxPath, err)
	}
	defer f.Close()
	got, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(got) != 4 || got[0][0] != "User ID" {
		t.Errorf("%s: %d rows (%v): %v", xlsxPath, len(got), err, got)
	}
	if n := f.SheetCount; n != 2 {
		t.Errorf("%s: %d sheets, want users and passwords", xlsxPath, n)
	}
	t.Logf("exported to %s and %s", csvPath, xlsxPath)
}
