package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Preference keys kept in the Fyne preferences store.
const (
	prefWidth       = "window.width"
	prefHeight      = "window.height"
	prefLastProfile = "profile.last"
	prefLastScreen  = "screen.last"
)

// defaultSize is the first-run window size: it fits a 1366×768 laptop.
var defaultSize = fyne.NewSize(1180, 740)

// Screen names, in navigation order. They double as the values stored for
// the last screen shown and as the names used by the scripted demo.
const (
	ScreenNewUsers    = "New users"
	ScreenImport      = "Import"
	ScreenTasks       = "Tasks"
	ScreenDrafts      = "Drafts"
	ScreenConnections = "Connections"
	ScreenSettings    = "Settings"
)

// Options configures the application. A nil *Options is the zero value.
type Options struct {
	// Version is shown in Settings and the window title; "" means "dev".
	Version string
	// DataDir is where the jobs database and demo state live; shown in
	// Settings.
	DataDir string
}

// UI is the application: one main window and its screens. Its methods must
// be called on the Fyne goroutine unless documented otherwise.
type UI struct {
	app  fyne.App
	win  fyne.Window
	opts Options

	ctx    context.Context
	cancel context.CancelFunc

	nav     *container.AppTabs
	tabs    map[string]*container.TabItem
	status  *statusBar
	painted *canvas.Raster

	firstFrameOnce sync.Once
	firstFrameMu   sync.Mutex
	firstFrame     []func()
}

// New builds the main window of a. It does not show it.
func New(a fyne.App, opts *Options) *UI {
	u := &UI{app: a, tabs: map[string]*container.TabItem{}}
	if opts != nil {
		u.opts = *opts
	}
	if u.opts.Version == "" {
		u.opts.Version = "dev"
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	u.win = a.NewWindow("bwbulk")
	u.build()
	u.restoreSize()
	u.win.SetCloseIntercept(func() {
		u.saveSize()
		u.Close()
		u.win.Close()
	})
	return u
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the main window and runs the Fyne event loop until the
// window is closed.
func (u *UI) ShowAndRun() { u.win.ShowAndRun() }

// Close stops the application's background work (look-ups, event pumps,
// connectivity probes). It is idempotent and does not close the window.
func (u *UI) Close() { u.cancel() }

func (u *UI) build() {
	u.status = newStatusBar()
	// painted is a one-pixel raster whose generator runs when the GL
	// painter draws the first frame: the only portable "frame drawn" hook.
	u.painted = canvas.NewRaster(u.rasterFirstFrame)
	u.painted.SetMinSize(fyne.NewSize(1, 1))

	items := []*container.TabItem{
		container.NewTabItemWithIcon(ScreenNewUsers, theme.ContentAddIcon(), placeholder("Create users with the step-by-step wizard.")),
		container.NewTabItemWithIcon(ScreenImport, theme.FolderOpenIcon(), placeholder("Import users from a CSV or XLSX file.")),
		container.NewTabItemWithIcon(ScreenTasks, theme.ListIcon(), placeholder("No tasks yet.")),
		container.NewTabItemWithIcon(ScreenDrafts, theme.DocumentIcon(), placeholder("No drafts yet.")),
		container.NewTabItemWithIcon(ScreenConnections, theme.ComputerIcon(), placeholder("Server connections.")),
		container.NewTabItemWithIcon(ScreenSettings, theme.SettingsIcon(), u.settingsScreen()),
	}
	for _, it := range items {
		u.tabs[it.Text] = it
	}
	u.nav = container.NewAppTabs(items...)
	u.nav.SetTabLocation(container.TabLocationLeading)
	if last := u.app.Preferences().String(prefLastScreen); u.tabs[last] != nil {
		u.nav.Select(u.tabs[last])
	}
	u.nav.OnSelected = func(it *container.TabItem) {
		u.app.Preferences().SetString(prefLastScreen, it.Text)
	}

	bottom := container.NewBorder(nil, nil, nil, u.painted, u.status.object())
	u.win.SetContent(container.NewBorder(nil, bottom, nil, nil, u.nav))
}

// Show switches the main window to the named screen (one of the Screen
// constants); unknown names are ignored.
func (u *UI) Show(name string) {
	if it := u.tabs[name]; it != nil {
		u.nav.Select(it)
	}
}

// setScreen replaces the content of a navigation screen.
func (u *UI) setScreen(name string, content fyne.CanvasObject) {
	it := u.tabs[name]
	if it == nil {
		return
	}
	it.Content = content
	u.nav.Refresh()
}

func (u *UI) restoreSize() {
	p := u.app.Preferences()
	w := float32(p.FloatWithFallback(prefWidth, float64(defaultSize.Width)))
	h := float32(p.FloatWithFallback(prefHeight, float64(defaultSize.Height)))
	if w < 640 || h < 480 {
		w, h = defaultSize.Width, defaultSize.Height
	}
	u.win.Resize(fyne.NewSize(w, h))
}

func (u *UI) saveSize() {
	s := u.win.Canvas().Size()
	if s.Width < 100 || s.Height < 100 {
		return
	}
	p := u.app.Preferences()
	p.SetFloat(prefWidth, float64(s.Width))
	p.SetFloat(prefHeight, float64(s.Height))
}

func placeholder(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Alignment = fyne.TextAlignCenter
	return container.NewCenter(l)
}
