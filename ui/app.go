package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
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

// spawnDefault runs background work in a new goroutine; tests replace it
// so that work, and the fyne.Do it ends with, runs inline.
var spawnDefault = func(f func()) { go f() }

// pumpDo hands the Tasks screen's flushes from its event pump to the UI
// goroutine. Tests replace it: their driver runs fyne.Do on the calling
// goroutine, so the pump's flushes take a lock the test holds while it
// works the window.
var pumpDo = fyne.Do

// frameWait is how long afterFrame waits for a frame before it runs its
// function anyway (a hidden or minimised window draws nothing); 0 runs it
// at once (tests: the test driver draws no frames).
var frameWait = 250 * time.Millisecond

// Options configures the application. A nil *Options is the zero value.
type Options struct {
	// Version is shown in Settings and the window title; "" means "dev".
	Version string
	// DataDir is where the jobs database and demo state live; shown in
	// Settings.
	DataDir string
	// Session is the connection to the current server and the store.
	// Nil runs the window without data (tests of the shell).
	Session *desk.Session
	// Runner runs submitted tasks; nil shows tasks without running them.
	Runner *jobs.Runner
	// Keyring is told to the user when it fell back to memory.
	Keyring *desk.FallbackKeyring
	// Server, when set, is the OCI-P server to use instead of the demo.
	Server string
	// ProbeInterval is how often the connection is checked. Default 15s.
	ProbeInterval time.Duration
}

// UI is the application: one main window and its screens. Its methods must
// be called on the Fyne goroutine unless documented otherwise.
type UI struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	// dialogs are the dialogs shown with their keyboard rules (keys.go).
	dialogs []*keyDialog

	ctx    context.Context
	cancel context.CancelFunc

	session *desk.Session
	runner  *jobs.Runner

	nav  *container.AppTabs
	tabs map[string]*container.TabItem
	// screens holds each navigation screen's content and parked a cheap
	// stand-in: only the selected tab holds its real content, because
	// AppTabs refreshes the content of every tab on each switch, and
	// refreshing every screen (the preview of thousands of rows among
	// them) stalled the window.
	screens map[string]fyne.CanvasObject
	parked  map[string]fyne.CanvasObject
	status  *statusBar
	painted *canvas.Raster

	wizard       *wizardView
	tasks        *tasksView
	drafts       *draftsView
	connections  *connectionsView
	importer     *importView
	keyringLabel *widget.Label
	demoSettings *demoSettings
	probeNow     chan struct{}

	// spawn runs background work (look-ups, store reads and writes) as
	// work of the window's (goWork). Tests make it synchronous so that
	// fyne.Do, which the test driver runs inline, stays on the test
	// goroutine.
	spawn func(func())
	// work counts the goroutines the window started; Close waits for them
	// after cancelling ctx, which every store and server call of theirs
	// takes. closing (under workMu) refuses new work once Close began.
	work    sync.WaitGroup
	workMu  sync.Mutex
	closing bool
	// started is set by Start: timers (draft autosave) run only then,
	// never in tests.
	started bool

	firstFrameOnce sync.Once
	frameMu        sync.Mutex
	firstFrame     []func()
	nextFrame      []func()
}

// New builds the main window of a. It does not show it.
func New(a fyne.App, opts *Options) *UI {
	u := &UI{app: a, tabs: map[string]*container.TabItem{}, probeNow: make(chan struct{}, 1)}
	u.spawn = func(f func()) {
		if u.addWork() {
			spawnDefault(func() { defer u.work.Done(); f() })
		}
	}
	useFocusTheme(a)
	if opts != nil {
		u.opts = *opts
	}
	if u.opts.ProbeInterval <= 0 {
		u.opts.ProbeInterval = 15 * time.Second
	}
	u.session = u.opts.Session
	if u.session == nil {
		u.session = desk.NewSession(nil, nil)
	}
	u.runner = u.opts.Runner
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

// closeWait bounds how long Close waits for the window's work: each piece
// ends as soon as its store or server call sees the context cancelled.
const closeWait = 10 * time.Second

// Close stops the application's background work (look-ups, event pumps,
// connectivity probes) and waits for it to end (at most closeWait), so
// the store can be closed after it. It is idempotent and does not close
// the window.
func (u *UI) Close() {
	u.cancel()
	u.workMu.Lock()
	u.closing = true
	u.workMu.Unlock()
	done := make(chan struct{})
	go func() { u.work.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeWait):
	}
}

// addWork counts one more piece of the window's work, or reports false
// once Close began.
func (u *UI) addWork() bool {
	u.workMu.Lock()
	defer u.workMu.Unlock()
	if u.closing {
		return false
	}
	u.work.Add(1)
	return true
}

// goWork runs f in a goroutine of the window's own, which Close waits for.
func (u *UI) goWork(f func()) {
	if u.addWork() {
		go func() { defer u.work.Done(); f() }()
	}
}

func (u *UI) build() {
	u.status = newStatusBar()
	u.status.reconnected = u.serverBack
	// What the session waits for (a busy server's "try again later")
	// shows in the status bar.
	u.session.SetNotice(func(msg string) { fyne.Do(func() { u.status.setMessage("%s", sentence(msg)) }) })
	// painted is a one-pixel raster whose generator runs when the GL
	// painter draws the first frame: the only portable "frame drawn" hook.
	u.painted = canvas.NewRaster(u.rasterFirstFrame)
	u.painted.SetMinSize(fyne.NewSize(1, 1))

	u.wizard = newWizardView(u)
	u.tasks = newTasksView(u)
	u.drafts = newDraftsView(u)
	u.connections = newConnectionsView(u)
	u.importer = newImportView(u)
	items := []*container.TabItem{
		container.NewTabItemWithIcon(ScreenNewUsers, theme.ContentAddIcon(), u.wizard.obj),
		container.NewTabItemWithIcon(ScreenImport, theme.FolderOpenIcon(), u.importer.obj),
		container.NewTabItemWithIcon(ScreenTasks, theme.ListIcon(), u.tasks.obj),
		container.NewTabItemWithIcon(ScreenDrafts, theme.DocumentIcon(), u.drafts.obj),
		container.NewTabItemWithIcon(ScreenConnections, theme.ComputerIcon(), u.connections.obj),
		container.NewTabItemWithIcon(ScreenSettings, theme.SettingsIcon(), u.settingsScreen()),
	}
	u.screens = map[string]fyne.CanvasObject{}
	u.parked = map[string]fyne.CanvasObject{}
	for _, it := range items {
		u.tabs[it.Text] = it
		u.screens[it.Text] = it.Content
		u.parked[it.Text] = container.NewWithoutLayout()
	}
	u.nav = container.NewAppTabs(items...)
	u.nav.SetTabLocation(container.TabLocationLeading)
	if last := u.app.Preferences().String(prefLastScreen); u.tabs[last] != nil {
		u.nav.Select(u.tabs[last])
	}
	for _, it := range items {
		if it != u.nav.Selected() {
			it.Content = u.parked[it.Text]
		}
	}
	u.nav.OnUnselected = func(it *container.TabItem) {
		it.Content = u.parked[it.Text]
	}
	u.nav.OnSelected = func(it *container.TabItem) {
		if real := u.screens[it.Text]; it.Content != real {
			// Selected from its tab button: the switch refreshed the
			// stand-in, so lay out and refresh the screen now.
			it.Content = real
			u.nav.Refresh()
		}
		u.app.Preferences().SetString(prefLastScreen, it.Text)
		u.screenShown(it.Text)
	}

	bottom := container.NewBorder(nil, nil, nil, u.painted, u.status.object())
	u.win.SetContent(container.NewBorder(nil, bottom, nil, nil, u.nav))
	u.shortcuts()
	u.win.SetOnDropped(u.dropped)
}

// shortcuts: Ctrl/Cmd+S exports the preview; Enter advances the wizard
// when no entry has the focus.
func (u *UI) shortcuts() {
	c := u.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if u.nav.Selected() == u.tabs[ScreenNewUsers] && u.wizard.cur == wizard.StepPreview {
			u.wizard.preview.exportDialog()
		}
	})
	u.keyboardRules()
	// Ctrl/Cmd+1…6 open the screens in navigation order: the tabs take
	// no keyboard focus.
	for i, name := range []string{ScreenNewUsers, ScreenImport, ScreenTasks, ScreenDrafts, ScreenConnections, ScreenSettings} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyName(rune('1' + i)), Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			if c.Overlays().Top() == nil {
				u.Show(name)
			}
		})
	}
}

// Start begins the background work: choosing the profile (the demo on
// first run), the connectivity probe and the task event pump. Call it
// once, before ShowAndRun.
func (u *UI) Start() {
	u.started = true
	u.goWork(u.chooseProfile)
	u.goWork(u.probeLoop)
	u.tasks.start()
}

func (u *UI) store() *jobs.Store { return u.session.Store() }

// catalogue returns the current profile's catalogue.
func (u *UI) catalogue() *jobs.CachedCatalogue { return u.session.Catalogue() }

// chooseProfile picks the profile to start with: --server, else the last
// one used, else the demo server.
func (u *UI) chooseProfile() {
	st := u.store()
	if st == nil {
		return
	}
	ctx := u.ctx
	var chosen jobs.Profile
	var err error
	switch {
	case u.opts.Server != "":
		chosen, err = ensureServerProfile(ctx, st, u.opts.Server)
	default:
		if d := u.session.Demo(); d != nil {
			chosen, err = desk.EnsureDemoProfile(ctx, st, d)
		}
		if last := u.app.Preferences().Int(prefLastProfile); last != 0 && err == nil {
			if p, perr := st.Profile(ctx, int64(last)); perr == nil {
				chosen = p
			}
		}
	}
	fyne.Do(func() {
		if err != nil {
			u.showError("Server profile", err)
		}
		if chosen.ID != 0 {
			u.useProfile(chosen)
		}
		u.connections.reload()
		u.drafts.reload()
		u.tasks.reload()
	})
}

// ensureServerProfile finds or creates the profile of a --server address.
func ensureServerProfile(ctx context.Context, st *jobs.Store, addr string) (jobs.Profile, error) {
	ps, err := st.Profiles(ctx)
	if err != nil {
		return jobs.Profile{}, err
	}
	for _, p := range ps {
		if p.Address == addr {
			return p, nil
		}
	}
	p := jobs.Profile{Name: addr, Address: addr, Transport: "tcp", AdminUser: "admin"}
	p.ID, err = st.SaveProfile(ctx, p)
	return p, err
}

// useProfile makes p the current profile and probes it now.
func (u *UI) useProfile(p jobs.Profile) {
	u.session.Use(p)
	u.app.Preferences().SetInt(prefLastProfile, int(p.ID))
	u.refreshProfileName()
	u.status.setConnectivity(Checking, p.Address)
	u.probe()
	// Look-ups of the step on screen were made against no (or another)
	// server: make them again.
	if e, ok := u.wizard.views[u.wizard.cur].(enterer); ok {
		e.enter()
	}
}

// serverBack refreshes what failed to load while the server was
// unreachable: the wizard step on screen and the Import screen's lists.
func (u *UI) serverBack() {
	if u.wizard != nil {
		u.wizard.serverBack()
	}
	if v := u.importer; v != nil && len(v.sps) == 0 && v.imp != nil {
		v.loadSPs()
	}
}

// refreshProfileName shows the current profile's name in the status bar,
// with the demo server's training scenario when one plays.
func (u *UI) refreshProfileName() {
	if u.status == nil {
		return
	}
	p := u.session.Profile()
	if p.Name == "" {
		return
	}
	name := p.Name
	if u.session.IsDemo(p) {
		name += " — demo data, not a real server"
		if sc := u.demoScenario(); sc != "" {
			name += " · training: " + scenarioOf(sc).Title
		}
	}
	u.status.setProfile(name)
}

// probe asks the probe loop to check the connection now.
func (u *UI) probe() {
	select {
	case u.probeNow <- struct{}{}:
	default:
	}
}

// probeLoop checks the connection every ProbeInterval (and on demand):
// log in when needed, then VerifySessionIsValidRequest.
func (u *UI) probeLoop() {
	t := time.NewTicker(u.opts.ProbeInterval)
	defer t.Stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
		case <-u.probeNow:
		}
		p := u.session.Profile()
		if p.Address == "" {
			continue
		}
		err := u.session.Check(u.ctx, u.opts.Runner)
		info := u.session.Info()
		fyne.Do(func() {
			if u.session.Profile().ID != p.ID {
				return
			}
			if err != nil {
				u.status.setConnectivity(Offline, offlineText(err, u.session.LastAnswer(), time.Now()))
				return
			}
			u.status.setConnectivity(Online, p.Address+" · "+desk.DescribeLogin(info))
		})
	}
}

// serverAnswered is told (UI goroutine) that the current server just
// carried out a call (a job done, a check read): a status bar that says
// Offline, or that the server is busy, turns Online at once rather than
// at the next probe.
func (u *UI) serverAnswered() {
	if u.status == nil || u.status.conn != Offline {
		return
	}
	p := u.session.Profile()
	u.status.setConnectivity(Online, p.Address+" · "+desk.DescribeLogin(u.session.Info()))
}

// showError shows a clear error dialog: what failed and why.
func (u *UI) showError(what string, err error) {
	u.showDialog(u.infoDialog("Error", infoContent(what+": "+peopleText(err))))
}

// showInfo shows a short explanation.
func (u *UI) showInfo(title, text string) {
	u.showDialog(u.infoDialog(title, infoContent(text)))
}

// screenShown refreshes what a screen shows when it is opened.
func (u *UI) screenShown(name string) {
	switch name {
	case ScreenNewUsers:
		if u.wizard.startOver {
			u.wizard.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
		}
		u.wizard.focusStep()
	case ScreenImport:
		if len(u.importer.sps) == 0 {
			u.importer.loadSPs()
		}
	case ScreenDrafts:
		u.drafts.reload()
	case ScreenSettings:
		u.refreshSettings()
	}
}

// Show switches the main window to the named screen (one of the Screen
// constants); unknown names are ignored.
func (u *UI) Show(name string) {
	if it := u.tabs[name]; it != nil && it != u.nav.Selected() {
		it.Content = u.screens[name]
		u.nav.Select(it)
	}
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
