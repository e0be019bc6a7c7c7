package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/broadworks"
	"bwbulk/desk"
	"bwbulk/jobs"
)

// connectionsView manages server profiles: name, address, transport,
// administrator; the password goes to the OS keyring only. Test
// connection shows the login scope and release.
type connectionsView struct {
	u        *UI
	profiles []jobs.Profile
	editing  jobs.Profile

	list      *widget.List
	name      *keyEntry
	host      *keyEntry
	port      *keyEntry
	transport *widget.RadioGroup
	admin     *keyEntry
	password  *keyEntry
	insecure  *keyCheck
	// loadingInsecure is set while insecure is ticked by code, not a click.
	loadingInsecure bool
	demoNote        *widget.Label
	result          *widget.Label
	testBtn         *keyButton
	// trust pins the certificate the last test was refused for.
	trust   *keyButton
	offered string // its SHA-256 fingerprint
	pinned  *widget.Label
	side    *fyne.Container // the right-hand side, laid out again when those show
	obj     fyne.CanvasObject
}

var transports = []string{"tcp", "tls", "soap"}

func newConnectionsView(u *UI) *connectionsView {
	v := &connectionsView{u: u}
	v.list = widget.NewList(
		func() int { return len(v.profiles) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("Demo server (built-in) · 127.0.0.1:2208")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.profiles) {
				return
			}
			p := v.profiles[i]
			text := p.Name + " · " + p.Address
			if p.ID == v.u.session.Profile().ID {
				text = "● in use: " + text
			}
			o.(*widget.Label).SetText(text)
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.profiles) {
			v.edit(v.profiles[i])
		}
	}
	v.name = newEntry()
	v.host = newEntry()
	v.host.SetPlaceHolder("as1.example.net")
	v.port = newEntry()
	v.port.SetPlaceHolder("2208 (TCP) / 2209 (TLS)")
	v.transport = widget.NewRadioGroup(transports, nil)
	v.transport.Horizontal = true
	v.transport.Required = true
	v.admin = newEntry()
	v.password = newPasswordEntry()
	v.password.SetPlaceHolder("kept in the system keyring, never in files")
	v.insecure = newCheck("Do not verify the TLS certificate (unsafe: anyone on the network could read the passwords)", nil)
	// Unsafe is never one click away: ticking it asks first, and a tick
	// not confirmed is taken back. Loading a profile sets it silently.
	v.insecure.OnChanged = func(on bool) {
		if !on || v.loadingInsecure {
			return
		}
		v.insecure.SetChecked(false)
		v.u.showDialog(v.u.confirmDialog("Do not verify the certificate?", "Do not verify", "Keep verifying",
			infoContent("Without the check, anyone between this computer and the server can pose as the server and read the administrator's password and every user's. Prefer \"Trust this certificate\" after a test connection."),
			func(ok bool) {
				if ok {
					v.loadingInsecure = true
					v.insecure.SetChecked(true)
					v.loadingInsecure = false
				}
			}))
	}
	v.trust = newButtonWithIcon("Trust this certificate for this profile", theme.ConfirmIcon(), v.trustOffered)
	v.trust.Hide()
	v.pinned = widget.NewLabel("")
	v.pinned.Hide()
	v.demoNote = widget.NewLabel("This is the built-in demo server: made-up data on this computer, not a real BroadWorks. Use it to try bwbulk safely.")
	v.demoNote.Wrapping = fyne.TextWrapWord
	v.demoNote.Importance = widget.WarningImportance
	v.demoNote.Hide()
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.testBtn = newButtonWithIcon("Test connection", theme.MediaPlayIcon(), v.test)
	save := newButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { v.save(false) })
	use := newButtonWithIcon("Save and use", theme.ConfirmIcon(), func() { v.save(true) })
	use.Importance = widget.HighImportance
	add := newButtonWithIcon("New profile", theme.ContentAddIcon(), func() {
		v.list.UnselectAll()
		v.edit(jobs.Profile{Transport: "tcp", AdminUser: "admin"})
	})
	fields := widget.NewForm(
		widget.NewFormItem("Name", v.name),
		widget.NewFormItem("Host", v.host),
		widget.NewFormItem("Port", v.port),
		widget.NewFormItem("Transport", v.transport),
		widget.NewFormItem("Administrator", v.admin),
		widget.NewFormItem("Password", v.password),
		widget.NewFormItem("", v.insecure),
	)
	// What shows and hides (the demo's note, the pinned certificate, a
	// test's result) sits below the fields and buttons, so they never
	// move under the pointer when another profile is picked.
	right := container.NewVBox(heading("Server profile"), fields,
		container.NewHBox(v.testBtn, save, use), v.pinned, v.result, container.NewHBox(v.trust), v.demoNote)
	v.side = right
	left := container.NewBorder(container.NewVBox(heading("Servers"), add), nil, nil, nil, v.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(right)))
	split.Offset = 0.3
	v.obj = split
	v.edit(jobs.Profile{Transport: "tcp", AdminUser: "admin"})
	return v
}

// reload reads the profiles off the UI goroutine.
func (v *connectionsView) reload() {
	st := v.u.store()
	if st == nil {
		return
	}
	v.u.spawn(func() {
		ps, err := st.Profiles(v.u.ctx)
		fyne.Do(func() {
			if err != nil {
				return
			}
			v.profiles = ps
			v.list.Refresh()
			cur := v.u.session.Profile()
			if v.editing.ID == 0 && cur.ID != 0 {
				v.edit(cur)
			}
		})
	})
}

func splitHostPort(addr string) (string, string) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i], addr[i+1:]
		}
	}
	return addr, ""
}

// edit loads p into the form.
func (v *connectionsView) edit(p jobs.Profile) {
	v.editing = p
	v.name.SetText(p.Name)
	h, port := splitHostPort(p.Address)
	v.host.SetText(h)
	v.port.SetText(port)
	v.transport.SetSelected(p.Transport)
	v.admin.SetText(p.AdminUser)
	v.password.SetText("")
	v.loadingInsecure = true
	v.insecure.SetChecked(p.Insecure)
	v.loadingInsecure = false
	v.result.SetText("")
	v.trust.Hide()
	v.showPin()
	if v.u.session.IsDemo(p) {
		v.demoNote.Show()
	} else {
		v.demoNote.Hide()
	}
}

// form returns the profile being edited and the password typed (empty:
// keep the stored one).
func (v *connectionsView) form() (jobs.Profile, string) {
	p := v.editing
	p.Name = v.name.Text
	p.Address = v.host.Text
	if v.port.Text != "" {
		p.Address += ":" + v.port.Text
	}
	p.Transport = v.transport.Selected
	p.AdminUser = v.admin.Text
	p.Insecure = v.insecure.Checked
	return p, v.password.Text
}

func (v *connectionsView) save(use bool) {
	p, pw := v.form()
	if p.Name == "" || v.host.Text == "" || p.AdminUser == "" {
		v.u.showError("Save profile", fmt.Errorf("name, host and administrator are required"))
		return
	}
	st := v.u.store()
	v.u.spawn(func() {
		id, err := st.SaveProfile(v.u.ctx, p)
		if err == nil && pw != "" {
			err = st.SetAdminPassword(id, pw)
		}
		fyne.Do(func() {
			if err != nil {
				v.u.showError("Save profile", err)
				return
			}
			p.ID = id
			v.editing = p
			v.password.SetText("")
			if use {
				v.u.useProfile(p)
			}
			v.u.status.setMessage("Profile %q saved", p.Name)
			v.reload()
		})
	})
}

// test dials and logs in with the form's values, off the UI goroutine.
func (v *connectionsView) test() {
	p, pw := v.form()
	if pw == "" {
		pw = v.u.session.PasswordFor(p)
	}
	v.testBtn.Disable()
	v.result.Importance = widget.MediumImportance
	v.result.SetText("Connecting to " + p.Address + "…")
	v.u.spawn(func() {
		ctx, cancel := context.WithTimeout(v.u.ctx, 20*time.Second)
		defer cancel()
		start := time.Now()
		desc, err := desk.TestConnection(ctx, p, pw)
		fyne.Do(func() {
			v.testBtn.Enable()
			v.trust.Hide()
			var ce *broadworks.CertificateError
			if errors.As(err, &ce) {
				v.result.Importance = widget.DangerImportance
				v.result.SetText(describeCertificate(ce))
				v.offered = ce.SHA256
				v.trust.Show()
				v.side.Refresh()
				return
			}
			if err != nil {
				v.result.Importance = widget.DangerImportance
				v.result.SetText("Failed: " + ExplainConnError(p, err))
				return
			}
			v.result.Importance = widget.SuccessImportance
			v.result.SetText(fmt.Sprintf("Connected in %d ms: %s", time.Since(start).Milliseconds(), desc))
		})
	})
}

// showPin says which certificate is trusted for the profile, if one is.
func (v *connectionsView) showPin() {
	if v.side != nil {
		defer v.side.Refresh()
	}
	if v.editing.CAPin == "" {
		v.pinned.Hide()
		return
	}
	v.pinned.SetText("Trusted certificate of this profile (SHA-256):\n" + v.editing.CAPin +
		"\nA server showing another certificate is refused.")
	v.pinned.Show()
}

// trustOffered pins the certificate the last test was refused for, saves
// the profile and tests again.
func (v *connectionsView) trustOffered() {
	if v.offered == "" {
		return
	}
	v.editing.CAPin = v.offered
	v.editing.Insecure = false
	v.insecure.SetChecked(false)
	v.offered = ""
	v.trust.Hide()
	v.showPin()
	v.save(false)
	v.test()
}

// ExplainConnError says what went wrong connecting to p, in words a help
// desk can act on where the raw error would puzzle.
func ExplainConnError(p jobs.Profile, err error) string {
	msg := err.Error()
	var ce *broadworks.CertificateError
	switch {
	case errors.As(err, &ce):
		return describeCertificate(ce)
	case p.Transport == "tcp" && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)):
		return "The server closed the connection without answering. If this port speaks TLS, choose the tls transport."
	case p.Transport == "tls" && strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "This port does not speak TLS. Choose the tcp transport, or the server's TLS port."
	}
	return errorWords(err)
}

// describeCertificate puts an untrusted certificate in plain words.
func describeCertificate(ce *broadworks.CertificateError) string {
	issuer := ce.Issuer
	if issuer == "" {
		issuer = "itself (a self-signed certificate)"
	}
	head := "The server's certificate is not trusted: " + ce.Reason + "."
	if ce.Changed {
		head = "The server shows another certificate than the one trusted for this profile. " +
			"Do not go on unless its administrator confirms the change."
	}
	return head + "\n\nIssued to: " + ce.Subject + "\nIssued by: " + issuer +
		"\nValid until: " + ce.Expires.Format("2 January 2006") +
		"\nSHA-256 fingerprint: " + ce.SHA256 +
		"\n\nCompare the fingerprint with the one the server's administrator gives you before you trust it."
}
