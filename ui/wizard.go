package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// stepView is the presenter of one wizard step: its widgets, how they are
// filled from the model (load) and where field errors go.
type stepView interface {
	// required and optional return the two tabs' content; optional may
	// be nil.
	required() fyne.CanvasObject
	optional() fyne.CanvasObject
	// load copies the model into the widgets.
	load()
	fields() *fieldSet
}

// enterer is a step that fetches look-ups when shown.
type enterer interface{ enter() }

// wizardView is the New users screen: step list, the current step's
// Required/Optional tabs, Back/Next, a busy line and draft autosave.
type wizardView struct {
	u *UI
	m *wizard.Model

	cur     wizard.Step
	reached wizard.Step
	// startOver is set once the wizard's users were submitted: it starts
	// over with a new model when next shown.
	startOver bool
	views     map[wizard.Step]stepView
	tabs      map[wizard.Step]*container.AppTabs

	stepList  *widget.List
	title     *widget.Label
	body      *fyne.Container
	back      *keyButton
	next      *keyButton
	busyBar   *widget.ProgressBarInfinite
	busyLabel *widget.Label
	// footer holds Back and Next; it is laid out again when Next becomes
	// Submit…, whose label is wider.
	footer *fyne.Container
	catAge *widget.Label
	busyN  int
	// lookupFailed is set when a look-up of the step on screen failed
	// (serverBack loads it again).
	lookupFailed bool
	loading      bool

	factsFor string // "sp/group" the loaded facts belong to
	// touched marks steps the user has edited: field errors show only
	// there, so a fresh step does not open in red.
	touched map[wizard.Step]bool
	// visited marks the steps shown since the wizard (re)started: the
	// first visit opens on the Required tab.
	visited map[wizard.Step]bool
	// stepOK is whether each step before reached was valid at the last
	// validate: the step list reads it, so drawing or refreshing the list
	// (a screen switch refreshes every screen) does not validate every
	// row of a large preview again.
	stepOK map[wizard.Step]bool
	// marking is set while the marks of the steps before a large preview
	// are worked out off the UI goroutine (markSteps); markAgain when the
	// preview changed meanwhile.
	marking, markAgain bool

	draftID   int64
	saveTimer *time.Timer
	saveSeq   int

	preview *previewView
	// previewBody is the preview step's content: the preview alone, with
	// no Required and Optional tabs.
	previewBody *fyne.Container
	obj         fyne.CanvasObject
	// side is the step list's pane; stepsBtn hides and shows it, so a
	// small screen gives the preview the whole width.
	side     fyne.CanvasObject
	split    *container.Split
	stepsBtn *keyButton
}

func newWizardView(u *UI) *wizardView {
	w := &wizardView{u: u, views: map[wizard.Step]stepView{}, tabs: map[wizard.Step]*container.AppTabs{}, touched: map[wizard.Step]bool{}, visited: map[wizard.Step]bool{}}
	w.m = wizard.NewModel()
	w.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.title.SizeName = theme.SizeNameSubHeadingText
	w.body = container.NewStack()
	w.back = newButtonWithIcon("Back", theme.NavigateBackIcon(), w.goBack)
	w.next = newButtonWithIcon("Next", theme.NavigateNextIcon(), w.goNext)
	w.next.IconPlacement = widget.ButtonIconTrailingText
	w.next.Importance = widget.HighImportance
	w.busyBar = widget.NewProgressBarInfinite()
	w.busyBar.Stop()
	w.busyBar.Hide()
	w.busyLabel = widget.NewLabel("")
	w.catAge = widget.NewLabel("")
	w.catAge.Importance = widget.WarningImportance
	w.catAge.Hide()

	steps := wizard.Steps()
	w.stepList = widget.NewList(
		func() int { return len(steps) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.RadioButtonIcon()), widget.NewLabel("Service provider / enterprise"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			s := steps[i]
			box := o.(*fyne.Container)
			icon, label := box.Objects[0].(*widget.Icon), box.Objects[1].(*widget.Label)
			label.SetText(fmt.Sprintf("%d. %s", i+1, s.Title()))
			label.TextStyle.Bold = s == w.cur
			switch {
			case s != w.cur && fromFile(w.m, s):
				// An import takes these from its file: not "done".
				label.SetText(fmt.Sprintf("%d. %s (from the file)", i+1, s.Title()))
				icon.SetResource(theme.FileIcon())
			case s == w.cur:
				icon.SetResource(theme.NavigateNextIcon())
			case s < w.reached && w.stepOK[s]:
				icon.SetResource(theme.ConfirmIcon())
			case s <= w.reached:
				icon.SetResource(theme.ErrorIcon())
			default:
				icon.SetResource(theme.RadioButtonIcon())
			}
			// Lay the row out again: the label's width follows its text.
			box.Refresh()
		})
	w.stepList.OnSelected = func(i widget.ListItemID) {
		s := steps[i]
		w.stepList.UnselectAll()
		if s == w.cur {
			return
		}
		if s < w.cur || w.canReach(s) {
			w.goTo(s)
		}
	}

	w.views[wizard.StepEnterprise] = newEnterpriseStep(w)
	w.views[wizard.StepGroup] = newGroupStep(w)
	w.views[wizard.StepUserCount] = newUserCountStep(w)
	w.views[wizard.StepUserID] = newUserIDStep(w)
	w.views[wizard.StepPasswords] = newPasswordsStep(w)
	w.views[wizard.StepNames] = newNamesStep(w)
	w.views[wizard.StepNumbers] = newNumbersStep(w)
	w.views[wizard.StepDevice] = newDeviceStep(w)
	w.views[wizard.StepServices] = newServicesStep(w)
	w.views[wizard.StepDepartment] = newDepartmentStep(w)
	w.views[wizard.StepDetails] = newDetailsStep(w)
	w.views[wizard.StepContact] = newContactStep(w)
	w.views[wizard.StepAddress] = newAddressStep(w)
	w.preview = newPreviewView(w)
	w.views[wizard.StepPreview] = w.preview

	newBtn := newButtonWithIcon("Start over", theme.ContentClearIcon(), func() {
		u.showDialog(u.confirmDialog("Start over?", "Start over", "Cancel", widget.NewLabel("The current entries stay in Drafts."), func(ok bool) {
			if ok {
				w.reset(wizard.NewModel(), wizard.StepEnterprise, 0)
			}
		}))
	})
	w.stepsBtn = newButtonWithIcon("Hide steps", theme.MenuIcon(), w.toggleSteps)
	header := container.NewBorder(nil, nil, w.stepsBtn, container.NewHBox(w.catAge, newBtn), w.title)
	footer := container.NewBorder(nil, nil, w.back, w.next, container.NewBorder(nil, nil, w.busyLabel, nil, w.busyBar))
	w.footer = footer
	side := container.NewBorder(heading("Steps"), nil, nil, nil, w.stepList)
	main := container.NewBorder(header, footer, nil, nil, w.body)
	split := container.NewHSplit(side, main)
	split.Offset = 0.25
	w.side, w.split = side, split
	w.obj = split
	w.goTo(wizard.StepEnterprise)
	return w
}

// fromFile reports whether step s of an imported model is replaced by
// the file's columns (every step between the group and the preview but
// Passwords, which still decides about blank passwords, and Device and
// Services, whose choices go to the rows the file gives none).
func fromFile(m *wizard.Model, s wizard.Step) bool {
	return m.Imported != nil && s > wizard.StepGroup && s < wizard.StepPreview &&
		s != wizard.StepPasswords && s != wizard.StepDevice && s != wizard.StepServices
}

// canReach reports whether every step before s is valid, as the last
// validate found (the marks of the step list).
func (w *wizardView) canReach(s wizard.Step) bool {
	if s > w.reached {
		return false
	}
	for p := wizard.StepEnterprise; p < s; p++ {
		if !w.stepOK[p] {
			return false
		}
	}
	return true
}

// goTo shows step s.
func (w *wizardView) goTo(s wizard.Step) {
	if rel := w.u.session.Release(); rel != "" {
		// The plan sends the command versions this server has.
		w.m.Release = rel
	}
	w.cur, w.lookupFailed = s, false
	if s > w.reached {
		w.reached = s
	}
	v := w.views[s]
	tabs := w.tabs[s]
	var shown fyne.CanvasObject = tabs
	switch {
	case s == wizard.StepPreview:
		// The preview has nothing optional: no tabs, so the table gets
		// their height.
		if w.previewBody == nil {
			w.previewBody = container.NewPadded(v.required())
		}
		shown = w.previewBody
	case tabs == nil:
		req := v.required()
		opt := v.optional()
		reqTab := container.NewTabItemWithIcon("Required", theme.WarningIcon(), container.NewVScroll(container.NewPadded(req)))
		if opt == nil {
			opt = container.NewPadded(note("Nothing optional on this step."))
		}
		optTab := container.NewTabItemWithIcon("Optional", theme.MoreHorizontalIcon(), container.NewVScroll(container.NewPadded(opt)))
		tabs = container.NewAppTabs(reqTab, optTab)
		w.tabs[s] = tabs
		shown = tabs
	}
	if tabs != nil {
		req, _ := w.m.Fields(s)
		switch {
		case len(req) == 0:
			tabs.SelectIndex(1)
		case !w.visited[s]:
			tabs.SelectIndex(0)
		}
	}
	w.visited[s] = true
	w.title.SetText(fmt.Sprintf("Step %d of %d · %s", int(s)+1, len(wizard.Steps()), s.Title()))
	w.body.Objects = []fyne.CanvasObject{shown}
	w.body.Refresh()
	w.loading = true
	v.load()
	w.loading = false
	w.relayout()
	if e, ok := v.(enterer); ok {
		e.enter()
	}
	w.validate()
	w.back.Enable()
	if s == wizard.StepEnterprise {
		w.back.Disable()
	}
	if s == wizard.StepPreview {
		w.next.SetText("Submit…")
		w.next.SetIcon(theme.UploadIcon())
	} else {
		w.next.SetText("Next")
		w.next.SetIcon(theme.NavigateNextIcon())
	}
	w.footer.Refresh()
	w.focusStep()
}

// focuser is a step whose first field takes the keyboard when it is shown.
type focuser interface{ firstFocus() fyne.Focusable }

// focusStep gives the keyboard to the step on screen: its first field, or
// Next when it has none (Enter goes on, Shift+Tab reaches its fields), so
// the focus never stays on a widget of the step left.
func (w *wizardView) focusStep() {
	if w.u.nav == nil || w.u.nav.Selected() != w.u.tabs[ScreenNewUsers] || w.u.win.Canvas().Overlays().Top() != nil {
		return
	}
	c := w.u.win.Canvas()
	if f, ok := w.views[w.cur].(focuser); ok {
		if o := f.firstFocus(); o != nil {
			c.Focus(o)
			return
		}
	}
	if !w.next.Disabled() {
		c.Focus(w.next)
		return
	}
	c.Unfocus()
}

// changed re-validates the current step after an edit: field errors,
// Next, the step list, and a draft autosave.
func (w *wizardView) changed() {
	if w.loading {
		return
	}
	w.touched[w.cur] = true
	w.validate()
	w.scheduleSave()
}

// stepErrors is what keeps step s from being complete. The preview's
// come from the table on screen.
func (w *wizardView) stepErrors(s wizard.Step) wizard.FieldErrors {
	if s == wizard.StepPreview {
		return w.preview.fieldErrors()
	}
	return w.m.Validate(s)
}

// validate shows the current step's field errors (once it was edited)
// and enables Next when it is valid.
func (w *wizardView) validate() { w.check(true) }

// check is validate; without all, the step list keeps its marks of the
// other steps (working them out again renders every user id of the User
// ID step: tens of milliseconds with 10,000 users).
func (w *wizardView) check(all bool) {
	fe := w.stepErrors(w.cur)
	if all && w.cur == wizard.StepPreview && w.m.RowCount() >= asyncMarkRows {
		w.markSteps()
		all = false
	}
	ok := make(map[wizard.Step]bool, int(w.reached)+1)
	for s := wizard.StepEnterprise; s < w.reached; s++ {
		switch {
		case s == w.cur:
			ok[s] = len(fe) == 0
		case all:
			ok[s] = len(w.stepErrors(s)) == 0
		default:
			ok[s] = w.stepOK[s]
		}
	}
	w.stepOK = ok
	shown := fe
	if !w.touched[w.cur] {
		shown = nil
	}
	if w.views[w.cur].fields().show(shown) {
		w.relayout()
	}
	if len(fe) == 0 && w.busyN == 0 {
		w.next.Enable()
	} else {
		w.next.Disable()
	}
	w.stepList.Refresh()
}

// asyncMarkRows is the number of users from which the marks of the steps
// before the preview are worked out off the UI goroutine (markSteps).
var asyncMarkRows = 1000

// markSteps works out the marks of the steps before the preview off the
// UI goroutine, on a copy of the model: an edit of a large preview can
// change them (the steps check the rows their templates make, hand edits
// applied), and checking them renders up to 10,000 rows each. Calls while
// it runs are coalesced into one more.
func (w *wizardView) markSteps() {
	if w.marking {
		w.markAgain = true
		return
	}
	w.marking = true
	m, job, upto := w.m, w.m.PreviewJob(), w.reached
	w.u.spawn(func() {
		ok := make(map[wizard.Step]bool, int(upto))
		for s := wizard.StepEnterprise; s < upto && s < wizard.StepPreview; s++ {
			ok[s] = len(job.Validate(s)) == 0
		}
		fyne.Do(func() {
			w.marking = false
			if w.m == m {
				for s, good := range ok {
					if s < w.reached && s != w.cur {
						w.stepOK[s] = good
					}
				}
				w.stepList.Refresh()
			}
			if w.markAgain {
				w.markAgain = false
				if w.m == m && w.cur == wizard.StepPreview {
					w.markSteps()
				}
			}
		})
	})
}

func (w *wizardView) goBack() {
	if p, ok := w.cur.Prev(); ok {
		w.goTo(p)
	}
}

// goNext advances when the step is valid; leaving the group step loads
// the group's facts first (off the UI goroutine).
func (w *wizardView) goNext() {
	if w.busyN > 0 || len(w.stepErrors(w.cur)) > 0 {
		return
	}
	if w.cur == wizard.StepPreview {
		w.preview.submit()
		return
	}
	if w.cur == wizard.StepGroup && w.m.Group.Mode == wizard.ModeSelect {
		key := w.m.Enterprise.ID + "/" + w.m.Group.ID
		if w.factsFor != key || w.m.Facts == nil {
			sp, g := w.m.Enterprise.ID, w.m.Group.ID
			cat := w.u.catalogue()
			w.async("Reading group "+g+"…", func(ctx context.Context) (func(), error) {
				f, err := wizard.LoadFacts(ctx, cat, sp, g)
				if err != nil {
					return nil, err
				}
				return func() {
					w.m.Facts = f
					w.factsFor = key
					w.goNextNow()
				}, nil
			})
			return
		}
	}
	w.goNextNow()
}

func (w *wizardView) goNextNow() {
	if n, ok := w.cur.Next(); ok {
		w.goTo(n)
	}
}

// async runs work off the UI goroutine with the busy line shown; the
// returned apply func runs on the UI goroutine. Errors go to a dialog.
func (w *wizardView) async(what string, work func(ctx context.Context) (func(), error)) {
	w.background(what, work, func(err error) { w.u.showError(what, err) }, nil)
}

// lookup is async for look-ups whose errors show inline (in the pick
// list's status line) instead of a dialog.
func (w *wizardView) lookup(what string, status *widget.Label, work func(ctx context.Context) (func(), error)) {
	status.SetText(what)
	status.Importance = widget.MediumImportance
	status.Show()
	step := w.cur
	w.background(what, work, func(err error) {
		if w.cur == step {
			w.lookupFailed = true
		}
		status.SetText("Could not load. " + errorWords(err))
		status.Importance = widget.DangerImportance
		status.Refresh()
		w.relayout()
	}, func() {
		if w.cur == step {
			w.lookupFailed = false
		}
		status.SetText("")
		status.Hide()
		w.relayout()
	})
}

// serverBack loads again the look-ups of the step on screen that failed
// while the server was unreachable: the step is usable again without
// Start over.
func (w *wizardView) serverBack() {
	if !w.lookupFailed {
		return
	}
	w.lookupFailed = false
	if e, ok := w.views[w.cur].(enterer); ok {
		e.enter()
	}
}

// background runs work off the UI goroutine (at most a minute) with the
// busy line shown, then, on the UI goroutine, failed with its error, or
// succeeded (when given) and the apply func work returned; the step is
// validated again after a success.
func (w *wizardView) background(what string, work func(ctx context.Context) (func(), error), failed func(error), succeeded func()) {
	w.setBusy(what, 1)
	ctx, cancel := context.WithTimeout(w.u.ctx, 60*time.Second)
	w.u.spawn(func() {
		defer cancel()
		apply, err := work(ctx)
		fyne.Do(func() {
			w.setBusy("", -1)
			w.showCatalogueAge()
			if err != nil {
				failed(err)
				return
			}
			if succeeded != nil {
				succeeded()
			}
			if apply != nil {
				apply()
			}
			w.validate()
		})
	})
}

func (w *wizardView) setBusy(what string, d int) {
	w.busyN += d
	if w.busyN > 0 {
		if what != "" {
			w.busyLabel.SetText(what)
		}
		w.busyBar.Show()
		w.busyBar.Start()
		w.next.Disable()
		return
	}
	w.busyN = 0
	w.busyLabel.SetText("")
	w.busyBar.Stop()
	w.busyBar.Hide()
}

func (w *wizardView) showCatalogueAge() {
	if at, ok := w.u.catalogue().Age(); ok {
		w.catAge.SetText("Offline: catalogue from " + age(time.Since(at)))
		w.catAge.Show()
	} else {
		w.catAge.Hide()
	}
}

// scheduleSave autosaves the draft two seconds after the last change.
func (w *wizardView) scheduleSave() {
	if w.u.store() == nil || !w.u.started {
		return
	}
	if w.saveTimer != nil {
		w.saveTimer.Stop()
	}
	w.saveSeq++
	seq := w.saveSeq
	w.saveTimer = time.AfterFunc(2*time.Second, func() {
		fyne.Do(func() {
			if seq == w.saveSeq {
				w.saveDraft()
			}
		})
	})
}

// draftName describes the draft in the Drafts list.
func (w *wizardView) draftName() string {
	target := "new users"
	if w.m.Group.ID != "" {
		target = w.m.Enterprise.ID + "/" + w.m.Group.ID
	} else if w.m.Enterprise.ID != "" {
		target = w.m.Enterprise.ID
	}
	if w.m.UserCount == 1 {
		return "1 user in " + target
	}
	return fmt.Sprintf("%d users in %s", w.m.UserCount, target)
}

// saveDraft stores the wizard state now (the write happens off the UI
// goroutine).
func (w *wizardView) saveDraft() { w.saveDraftNote("") }

// saveDraftNote is saveDraft; once the draft is saved the status bar
// says note, or when it was saved ("").
func (w *wizardView) saveDraftNote(note string) {
	st := w.u.store()
	if st == nil || (w.draftID == 0 && w.m.Enterprise.ID == "") {
		// Nothing chosen yet: not worth a draft.
		return
	}
	data, err := w.m.MarshalDraft(w.cur)
	if err != nil {
		return
	}
	m := w.m
	d := jobs.Draft{ID: w.draftID, ProfileID: w.u.session.Profile().ID, Name: w.draftName(), Data: data}
	w.u.spawn(func() {
		id, err := st.SaveDraft(w.u.ctx, d)
		fyne.Do(func() {
			if err != nil {
				w.u.status.setMessage("Draft not saved. %s", errorWords(err))
				return
			}
			if w.m == m {
				// Not the draft of a model that replaced this one since.
				w.draftID = id
			}
			switch k := w.u.opts.Keyring; {
			case note != "":
				w.u.status.setMessage("%s", note)
			case k != nil && k.Degraded() != nil:
				w.u.status.setMessage("Draft saved %s, for this session only: no system keyring", time.Now().Format("15:04:05"))
			default:
				w.u.status.setMessage("Draft saved %s", time.Now().Format("15:04:05"))
			}
			w.u.drafts.reload()
		})
	})
}

// reset replaces the model (new wizard, opened draft, import).
func (w *wizardView) reset(m *wizard.Model, s wizard.Step, draftID int64) {
	w.startOver = false
	w.m = m
	w.preview.forget()
	w.draftID = draftID
	w.touched = map[wizard.Step]bool{}
	w.visited = map[wizard.Step]bool{}
	w.reached = s
	w.factsFor = ""
	if m.Facts != nil {
		w.factsFor = m.Enterprise.ID + "/" + m.Group.ID
	}
	w.goTo(s)
}

// relayout redoes the layout of the current step after widgets were shown
// or hidden (containers do not propagate a child's visibility change).
func (w *wizardView) relayout() {
	if t := w.tabs[w.cur]; t != nil {
		t.Refresh()
	} else {
		w.body.Refresh()
	}
}

// toggleSteps hides or shows the step list.
func (w *wizardView) toggleSteps() {
	if w.side.Visible() {
		w.side.Hide()
		w.stepsBtn.SetText("Show steps")
	} else {
		w.side.Show()
		w.stepsBtn.SetText("Hide steps")
	}
	w.split.Refresh()
}
