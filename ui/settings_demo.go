package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/broadworks/ocisim"
	"bwbulk/desk"
)

// demoSettings is Settings → Demo server: the training scenario the
// built-in demo server plays, so that failures and their recovery
// screens can be rehearsed.
type demoSettings struct {
	u      *UI
	choice *widget.Select
	about  *widget.Label
}

// demoSettingsItem is the Demo server line of Settings.
func (u *UI) demoSettingsItem() *widget.FormItem {
	d := &demoSettings{u: u, about: widget.NewLabel("")}
	d.about.Wrapping = fyne.TextWrapWord
	u.demoSettings = d
	var player desk.ScenarioPlayer
	if demo := u.session.Demo(); demo != nil {
		player = demo.Scenarios
	}
	if player == nil {
		d.about.SetText("Not running: this window uses the server " + u.opts.Server + ".")
		return widget.NewFormItem("Demo server", d.about)
	}
	var titles []string
	for _, sc := range ocisim.Scenarios {
		titles = append(titles, sc.Title)
	}
	d.choice = widget.NewSelect(titles, nil)
	d.choice.SetSelected(scenarioOf(player.Scenario()).Title)
	d.show(player.Scenario())
	d.choice.OnChanged = func(title string) {
		sc := scenarioTitled(title)
		if err := player.SetScenario(sc.Name); err != nil {
			d.about.SetText("Not changed. " + errorWords(err))
			return
		}
		d.show(sc.Name)
	}
	box := container.NewVBox(d.choice, d.about)
	return widget.NewFormItem("Demo server", box)
}

// show describes scenario name and marks the status bar with it.
func (d *demoSettings) show(name string) {
	sc := scenarioOf(name)
	text := "Training scenario: " + sc.About
	if name != "" {
		text += " Only the built-in demo server plays it; choose “Nothing fails” to stop."
	} else {
		text = "Training scenarios make the demo server fail on purpose, so that Fix in preview, Retry all failed and the failed-task screens can be practised. " + sc.About
	}
	d.about.SetText(text)
	d.u.refreshProfileName()
}

// scenarioOf returns the scenario named name (the first, "nothing fails",
// when there is none).
func scenarioOf(name string) ocisim.Scenario {
	for _, sc := range ocisim.Scenarios {
		if sc.Name == name {
			return sc
		}
	}
	return ocisim.Scenarios[0]
}

func scenarioTitled(title string) ocisim.Scenario {
	for _, sc := range ocisim.Scenarios {
		if sc.Title == title {
			return sc
		}
	}
	return ocisim.Scenarios[0]
}

// demoScenario is the training scenario the demo server plays, "" for
// none or when there is no demo server.
func (u *UI) demoScenario() string {
	if d := u.session.Demo(); d != nil && d.Scenarios != nil {
		return d.Scenarios.Scenario()
	}
	return ""
}
