package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bwbulk/broadworks"
	"bwbulk/jobs"
)

// Connectivity is what the status bar shows about the current server.
type Connectivity int

// Connectivity states.
const (
	Unknown  Connectivity = iota // not probed yet
	Online                       // the last probe logged in
	Offline                      // the last probe failed
	Checking                     // a probe is running
)

// String returns the label shown beside the indicator dot.
func (c Connectivity) String() string {
	switch c {
	case Online:
		return "Online"
	case Offline:
		return "Offline"
	case Checking:
		return "Connecting…"
	}
	return "Not connected"
}

// statusBar is the always-visible strip at the bottom of the window: the
// online/offline indicator, the current profile and a transient message.
type statusBar struct {
	dot     *canvas.Circle
	state   *widget.Label
	profile *widget.Label
	message *widget.Label
	conn    Connectivity
	detail  string
	box     fyne.CanvasObject
	// onOnline, when set, is called (UI goroutine) each time the server
	// becomes reachable again.
	onOnline func()
	// reconnected, when set, is called (UI goroutine) each time the
	// server becomes reachable again, after onOnline; it stays set.
	reconnected func()
}

func newStatusBar() *statusBar {
	s := &statusBar{
		dot:     canvas.NewCircle(theme.Color(theme.ColorNameDisabled)),
		state:   widget.NewLabel(Unknown.String()),
		profile: widget.NewLabel(""),
		message: widget.NewLabel(""),
	}
	s.state.TextStyle = fyne.TextStyle{Bold: true}
	s.message.Truncation = fyne.TextTruncateEllipsis
	dot := container.NewGridWrap(fyne.NewSize(12, 12), s.dot)
	s.box = container.NewBorder(nil, nil,
		container.NewHBox(container.NewCenter(dot), s.state, s.profile), nil, s.message)
	return s
}

func (s *statusBar) object() fyne.CanvasObject { return s.box }

// setConnectivity updates the indicator; detail names the server or the
// reason it is offline.
func (s *statusBar) setConnectivity(c Connectivity, detail string) {
	back := c == Online && s.conn != Online
	s.conn, s.detail = c, detail
	if back && s.reconnected != nil {
		defer s.reconnected()
	}
	if back && s.onOnline != nil {
		defer s.onOnline()
	}
	s.dot.FillColor = connColor(c)
	s.dot.Refresh()
	text := c.String()
	if detail != "" {
		text += " — " + detail
	}
	s.state.SetText(text)
}

func (s *statusBar) setProfile(name string) {
	if name == "" {
		s.profile.SetText("")
		return
	}
	s.profile.SetText("· " + name)
}

// setMessage shows a short note (saved draft, export written...).
func (s *statusBar) setMessage(format string, args ...any) {
	s.message.SetText(fmt.Sprintf(format, args...))
}

func connColor(c Connectivity) color.Color {
	switch c {
	case Online:
		return theme.Color(theme.ColorNameSuccess)
	case Offline:
		return theme.Color(theme.ColorNameError)
	case Checking:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameDisabled)
}

// age renders how old a cached thing is, for "catalogue from 5 min ago".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// sentence starts msg with a capital letter, as the status bar's notes do.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	r, n := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[n:]
}

// OfflineText is what the status bar says when the connection check
// failed with err (see offlineText).
func OfflineText(err error, lastAnswer, now time.Time) string {
	return offlineText(err, lastAnswer, now)
}

// offlineText says in a sentence why the connection check failed, never
// a Go error: a server that does not answer is "waiting for the server
// since 14:05 (no answer for 23 s)" (lastAnswer is the last time it
// answered), a refusal the server's own words.
func offlineText(err error, lastAnswer, now time.Time) string {
	var (
		ce *broadworks.CertificateError
		wp *broadworks.WrongProtocolError
	)
	switch {
	case errors.As(err, &ce):
		return "the server's certificate is not trusted: see Connections"
	case errors.As(err, &wp):
		return strings.TrimPrefix(wp.Error(), "broadworks: ")
	case broadworks.IsErrorCode(err):
		return errorWords(err)
	case errors.Is(err, context.DeadlineExceeded), broadworks.OutcomeUnknown(err):
		return jobs.WaitingText(lastAnswer, now)
	}
	return jobs.ConnectText(err)
}
