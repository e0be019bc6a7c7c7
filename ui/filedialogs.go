package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"github.com/ncruces/zenity"
)

// systemFileDialogs makes file choices go through the operating system's
// own dialog: the common file dialog on Windows, the Finder's panel on
// macOS, zenity (or qarma, matedialog) on Linux. Where there is none (a
// Linux without those tools) Fyne's dialog is used. Tests turn it off.
var systemFileDialogs = true

// useSystemDialog reports whether the system's file dialog is there.
func useSystemDialog() bool { return systemFileDialogs && zenity.IsAvailable() }

// fileFilter describes the files of the given extensions (".csv") for the
// system's dialog. The patterns match either case in plain ASCII
// ("*.[cC][sS][vV]"): zenity's own case folding also writes letters that
// fold to ASCII ones, such as "ſ" for "s", which some dialogs refuse.
func fileFilter(exts []string) zenity.FileFilter {
	var f zenity.FileFilter
	var names []string
	for _, e := range exts {
		f.Patterns = append(f.Patterns, "*"+asciiFold(e))
		names = append(names, strings.ToUpper(strings.TrimPrefix(e, ".")))
	}
	f.Name = strings.Join(names, " or ") + " files"
	return f
}

// asciiFold writes each ASCII letter of s as a bracket of both cases.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		if r < 0x80 && lo != up {
			b.WriteString("[" + string(lo) + string(up) + "]")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dialogFailed is the note shown when the system's file dialog could not
// be used and Fyne's own dialog comes instead.
func (u *UI) dialogFailed(err error) {
	u.status.setMessage("The system's file dialog did not open (%s): using bwbulk's own", errorWords(err))
}

// chooseSave asks where to save a file named name (its extension ext is
// added when the user leaves it out) and calls done on the UI goroutine
// with a writer, or nil when the user cancelled.
func (u *UI) chooseSave(title, name, ext string, done func(fyne.URIWriteCloser, error)) {
	if !useSystemDialog() {
		u.fyneSave(title, name, ext, done)
		return
	}
	u.spawn(func() {
		path, err := zenity.SelectFileSave(zenity.Context(u.ctx), zenity.Title(title), zenity.Filename(name), zenity.ConfirmOverwrite(),
			zenity.FileFilters{fileFilter([]string{ext})})
		var wc fyne.URIWriteCloser
		if err == nil {
			if filepath.Ext(path) == "" {
				path += ext
			}
			wc, err = storage.Writer(storage.NewFileURI(path))
		}
		if errors.Is(err, zenity.ErrCanceled) {
			err = nil
		}
		fyne.Do(func() {
			if err != nil && wc == nil && path == "" {
				u.dialogFailed(err)
				u.fyneSave(title, name, ext, done)
				return
			}
			done(wc, err)
		})
	})
}

func (u *UI) fyneSave(title, name, ext string, done func(fyne.URIWriteCloser, error)) {
	fd := dialog.NewFileSave(done, u.win)
	fd.SetTitleText(title)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	fd.SetFileName(name)
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// chooseOpen asks for a file with one of the extensions exts and calls
// done on the UI goroutine with a reader, or nil when the user cancelled.
func (u *UI) chooseOpen(title string, exts []string, done func(fyne.URIReadCloser, error)) {
	if !useSystemDialog() {
		u.fyneOpen(title, exts, done)
		return
	}
	u.spawn(func() {
		path, err := zenity.SelectFile(zenity.Context(u.ctx), zenity.Title(title), zenity.FileFilters{fileFilter(exts)})
		var rc fyne.URIReadCloser
		if err == nil {
			rc, err = storage.Reader(storage.NewFileURI(path))
		}
		if errors.Is(err, zenity.ErrCanceled) {
			err = nil
		}
		fyne.Do(func() {
			if err != nil && rc == nil && path == "" {
				u.dialogFailed(err)
				u.fyneOpen(title, exts, done)
				return
			}
			done(rc, err)
		})
	})
}

func (u *UI) fyneOpen(title string, exts []string, done func(fyne.URIReadCloser, error)) {
	fd := dialog.NewFileOpen(done, u.win)
	fd.SetTitleText(title)
	fd.SetFilter(storage.NewExtensionFileFilter(exts))
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}
