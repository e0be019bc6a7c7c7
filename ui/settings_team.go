package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"bwbulk/desk"
	"bwbulk/jobs"
)

// teamSettings is Settings → Team: team mode's database (its URL, the
// role's password kept in the keyring, TLS), a test that says what is
// wrong, connect and disconnect, and copying this desk's own history
// into the team database.
type teamSettings struct {
	u          *UI
	state      *widget.Label
	url        *widget.Entry
	password   *widget.Entry
	tls        *widget.Select
	ca         *widget.Entry
	test       *widget.Button
	connect    *widget.Button
	disconnect *widget.Button
	copyHist   *widget.Button
	result     *widget.Label
}

// tlsModes are the sslmode values offered, safest first.
var tlsModes = []string{"verify-full", "verify-ca", "require", "disable"}

// teamSettingsItem is the Team line of Settings.
func (u *UI) teamSettingsItem() *widget.FormItem {
	return widget.NewFormItem("Team", u.newTeamSettings().box())
}

func (u *UI) newTeamSettings() *teamSettings {
	t := &teamSettings{u: u, state: widget.NewLabel(""), result: widget.NewLabel("")}
	t.state.Wrapping, t.result.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	t.url = widget.NewEntry()
	t.url.SetPlaceHolder("postgres://desk7@db.example.net:5432/bwbulk")
	t.password = widget.NewPasswordEntry()
	t.password.SetPlaceHolder("the role's password (kept in the system keyring)")
	t.tls = widget.NewSelect(tlsModes, nil)
	t.tls.SetSelected("verify-full")
	t.ca = widget.NewEntry()
	t.ca.SetPlaceHolder("CA certificate file (sslrootcert), for verify-full and verify-ca")
	t.test = widget.NewButton("Test", t.runTest)
	t.connect = widget.NewButton("Connect", t.runConnect)
	t.disconnect = widget.NewButton("Disconnect", t.runDisconnect)
	t.copyHist = widget.NewButton("Copy this desk's history", t.runCopy)
	if u, err := jobs.TeamURL(u.opts.DataDir); err == nil && u != "" {
		t.fill(u)
	}
	t.refresh()
	return t
}

func (t *teamSettings) box() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Database URL", t.url),
		widget.NewFormItem("Password", t.password),
		widget.NewFormItem("TLS", t.tls),
		widget.NewFormItem("CA file", t.ca),
	)
	return container.NewVBox(t.state, form, container.NewHBox(t.test, t.connect, t.disconnect, t.copyHist), t.result)
}

// fill shows a stored URL: its sslmode and sslrootcert in their fields.
func (t *teamSettings) fill(raw string) {
	p, err := url.Parse(raw)
	if err != nil {
		t.url.SetText(raw)
		return
	}
	q := p.Query()
	if m := q.Get("sslmode"); m != "" {
		t.tls.SetSelected(m)
	}
	t.ca.SetText(q.Get("sslrootcert"))
	q.Del("sslmode")
	q.Del("sslrootcert")
	p.RawQuery = q.Encode()
	t.url.SetText(p.String())
}

// teamURL is the URL with the TLS fields in it.
func (t *teamSettings) teamURL() (string, error) {
	raw := strings.TrimSpace(t.url.Text)
	p, err := url.Parse(raw)
	if err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") || p.Host == "" {
		return "", fmt.Errorf("the database URL is postgres://USER@HOST:PORT/DATABASE")
	}
	q := p.Query()
	q.Set("sslmode", t.tls.Selected)
	if ca := strings.TrimSpace(t.ca.Text); ca != "" && t.tls.Selected != "disable" {
		q.Set("sslrootcert", ca)
	} else {
		q.Del("sslrootcert")
	}
	p.RawQuery = q.Encode()
	return p.String(), nil
}

func (t *teamSettings) secrets() jobs.Secrets {
	if k := t.u.opts.Keyring; k != nil {
		return k
	}
	return jobs.OSKeyring{}
}

// refresh says whether team mode is on, for this window and from the
// next start.
func (t *teamSettings) refresh() {
	dir := t.u.opts.DataDir
	on, _ := jobs.TeamURL(dir)
	st := t.u.store()
	why, offline := "", false
	if st != nil {
		why, offline = st.TeamOffline()
	}
	switch {
	case st != nil && st.Shared() && on == "":
		t.state.SetText("Off from the next start of bwbulk; until then this window works on the team database.")
	case st != nil && st.Shared():
		t.state.SetText("On: this window works on the team database, with every desk's tasks in Tasks.")
	case offline:
		t.state.SetText("On, but the team database is out of reach (" + why + "): tasks submitted here wait on this desk and join the team's queue when it is back.")
	case on != "":
		t.state.SetText("On from the next start of bwbulk (this window works on this desk's own database until then).")
	default:
		t.state.SetText("Off: this desk keeps its tasks in its own database. A team shares one task history and queue in a PostgreSQL database.")
	}
	if on == "" {
		t.disconnect.Disable()
		t.copyHist.Disable()
	} else {
		t.disconnect.Enable()
		t.copyHist.Enable()
	}
}

// busy runs work in the background, the buttons disabled meanwhile, and
// shows its words.
func (t *teamSettings) busy(doing string, work func(ctx context.Context) string) {
	t.result.SetText(doing)
	for _, b := range []*widget.Button{t.test, t.connect, t.disconnect, t.copyHist} {
		b.Disable()
	}
	t.u.spawn(func() {
		msg := work(t.u.ctx)
		fyne.Do(func() {
			t.result.SetText(msg)
			t.test.Enable()
			t.connect.Enable()
			t.refresh()
		})
	})
}

func (t *teamSettings) runTest() {
	u, err := t.teamURL()
	if err != nil {
		t.result.SetText("Problem: " + err.Error())
		return
	}
	pw := t.password.Text
	if pw == "" {
		// The role's password kept at an earlier connect.
		pw, _ = t.secrets().Get(jobs.KeyringService, jobs.TeamPasswordKey(u))
	}
	t.busy("Testing…", func(ctx context.Context) string {
		c := jobs.CheckTeam(ctx, u, pw)
		if c.Problem != "" {
			return "Problem: " + c.Problem
		}
		return "OK: reachable, TLS " + t.tls.Selected + ", login accepted; " + c.Note + "."
	})
}

func (t *teamSettings) runConnect() {
	u, err := t.teamURL()
	if err != nil {
		t.result.SetText("Problem: " + err.Error())
		return
	}
	pw := t.password.Text
	dir := t.u.opts.DataDir
	t.busy("Connecting…", func(ctx context.Context) string {
		st, err := jobs.ConnectTeam(ctx, dir, u, pw, &jobs.Options{Keyring: t.secrets()})
		if err != nil {
			return "Problem: " + err.Error() + " (team mode not turned on)"
		}
		defer st.Close()
		fyne.Do(func() { t.password.SetText("") })
		msg := "Connected: bwbulk works on the team database from its next start."
		if has, err := st.HasTeamKey(); err == nil && !has {
			msg += " This desk waits to be admitted to the team key: on a desk that holds it, run bwbulk team admit " + jobs.Desk() + "."
		}
		if n := desk.LocalTaskCount(ctx, t.u.store(), dir, nil); n > 0 {
			msg += fmt.Sprintf(" This desk has %d tasks of its own: Copy this desk's history copies the finished ones into the team database (safe to repeat).", n)
		}
		return msg
	})
}

func (t *teamSettings) runDisconnect() {
	dir := t.u.opts.DataDir
	t.busy("Disconnecting…", func(context.Context) string {
		if err := jobs.DisconnectTeam(dir); err != nil {
			return "Problem: " + errorWords(err)
		}
		return "Team mode off from the next start of bwbulk: this desk works on its own database again. The team database is left as it is."
	})
}

func (t *teamSettings) runCopy() {
	dir := t.u.opts.DataDir
	cur := t.u.store()
	t.busy("Copying…", func(ctx context.Context) string {
		team := cur
		if team == nil || !team.Shared() {
			var err error
			if team, err = jobs.OpenData(ctx, dir, &jobs.Options{Keyring: t.secrets()}); err != nil {
				return "Problem: " + err.Error()
			}
			defer team.Close()
		}
		rep, err := desk.CopyHistory(ctx, dir, team, cur, &jobs.Options{Keyring: t.secrets()})
		var out *desk.TeamOutOfReach
		var stopped *desk.CopyStopped
		switch {
		case errors.As(err, &out):
			return "Problem: " + out.Error() + "."
		case errors.Is(err, desk.ErrNoLocalHistory):
			return "This desk has no history of its own to copy."
		case errors.As(err, &stopped):
			return fmt.Sprintf("Problem: %s (%d tasks copied before it stopped; copy again to go on).", errorWords(stopped.Err), rep.Copied)
		case err != nil:
			return "Problem: " + errorWords(err)
		}
		msg := fmt.Sprintf("Copied %d tasks into the team database (%d were copied before).", rep.Copied, rep.Already)
		if len(rep.Left) > 0 {
			msg += fmt.Sprintf(" %d not finished, left in this desk's own database.", len(rep.Left))
		}
		return msg
	})
}
