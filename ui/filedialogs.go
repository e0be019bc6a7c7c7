package ui

import (
	"errors"
	"path/filepath"
	"strings"

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
// system's dialog.
func fileFilter(exts []string) zenity.FileFilter {
	f := zenity.FileFilter{CaseFold: true}
	var names []string
	for _, e := range exts {
		f.Patterns = append(f.Patterns, "*"+e)
		names = append(names, strings.ToUpper(strings.TrimPrefix(e, ".")))
	}
	f.Name = strings.Join(names, " or ") + " files"
	return f
}

// chooseSave asks where to save a file named name (its extension ext is
// added when the user leaves it out) and calls done on the UI goroutine
// with a writer, or nil when the user cancelled.
func (u *UI) chooseSave(title, name, ext string, done func(fyne.URIWriteCloser, error)) {
	if !useSystemDialog() {
		fd := dialog.NewFileSave(done, u.win)
		fd.SetTitleText(title)
		fd.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
		fd.SetFileName(name)
		fd.Resize(fyne.NewSize(800, 560))
		fd.Show()
		return
	}
	u.spawn(func() {
		path, err := zenity.SelectFileSave(zenity.Title(title), zenity.Filename(name), zenity.ConfirmOverwrite(),
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
		fyne.Do(func() { done(wc, err) })
	})
}

// chooseOpen asks for a file with one of the extensions exts and calls
// done on the UI goroutine with a reader, or nil when the user cancelled.
func (u *UI) chooseOpen(title string, exts []string, done func(fyne.URIReadCloser, error)) {
	if !useSystemDialog() {
		fd := dialog.NewFileOpen(done, u.win)
		fd.SetTitleText(title)
		fd.SetFilter(storage.NewExtensionFileFilter(exts))
		fd.Resize(fyne.NewSize(800, 560))
		fd.Show()
		return
	}
	u.spawn(func() {
		path, err := zenity.SelectFile(zenity.Title(title), zenity.FileFilters{fileFilter(exts)})
		var rc fyne.URIReadCloser
		if err == nil {
			rc, err = storage.Reader(storage.NewFileURI(path))
		}
		if errors.Is(err, zenity.ErrCanceled) {
			err = nil
		}
		fyne.Do(func() { done(rc, err) })
	})
}
