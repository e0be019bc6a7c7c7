package ui

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/wizard"
)

// TestWords_MessagesUseHeaders: messages name fields and cells as the
// screen labels and column headers do, with plurals right.
func TestWords_MessagesUseHeaders(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	_ = h
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"field", wizard.FieldErrors{wizard.FieldMACAddress: "not a MAC address"}, "MAC address: not a MAC address"},
		{"two fields", wizard.FieldErrors{wizard.FieldDeviceName: "required", wizard.FieldMACAddress: "bad"}, "Device name: required\nMAC address: bad"},
		{"cell", wizard.Problem{Row: 3, Column: wizard.ColMACAddress, Msg: "invalid"}, "Row 3, MAC address: invalid"},
		{"rows", wizard.FieldErrors{wizard.FieldRows: "2 problems"}, "Preview: 2 problems"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := peopleText(c.err)
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			for _, key := range []string{"macAddress", "deviceName", "device.", "wizard:"} {
				if strings.Contains(got, key) {
					t.Errorf("%q names a key (%s)", got, key)
				}
			}
		})
	}
	for n, want := range map[int]string{0: "0 numbers", 1: "1 number", 2: "2 numbers"} {
		if got := plural(n, "number"); got != want {
			t.Errorf("plural(%d) = %q", n, got)
		}
	}
	if got := describeRules(wizard.PasswordRules{MinLength: 1, MinDigits: 1, MinUpperCase: 2}); !strings.Contains(strings.ToLower(got), "at least 1 character,") ||
		!strings.Contains(got, "1 digit") || strings.Contains(got, "1 digits") || !strings.Contains(got, "2 upper-case letters") {
		t.Errorf("rules = %q", got)
	}
}

// TestErrorWords_realErrors: the errors a real dial, a real login and a
// real timeout give are said as what happened and what to do, never as
// Go's text.
func TestErrorWords_realErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, refused := broadworks.Dial(ctx, closed, &broadworks.Options{Timeout: 2 * time.Second})

	srv := ocisimtest.Start(t, nil)
	c, err := broadworks.Dial(ctx, srv.Addr().String(), ocisimtest.ClientOptions(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, badLogin := c.Login(ctx, ocisim.DefaultAdmin, "wrong")

	// A server that accepts and never answers.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	go func() {
		for {
			c, err := mute.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	quick, cancelQuick := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancelQuick()
	var silent error
	if mc, err := broadworks.Dial(quick, mute.Addr().String(), &broadworks.Options{Timeout: 300 * time.Millisecond}); err != nil {
		silent = err
	} else {
		_, silent = mc.Login(quick, "admin", "x")
		mc.Close()
	}
	_, unknown := net.DefaultResolver.LookupHost(ctx, "no-such-host.invalid")
	unknown = &net.OpError{Op: "dial", Net: "tcp", Err: unknown}

	cases := []struct {
		name string
		err  error
		want []string
	}{
		{"refused", refused, []string{"refused the connection", "Check the address and port in Connections"}},
		{"login", badLogin, []string{"refused the login", "Check the administrator and the password"}},
		{"no answer", silent, []string{"did not answer in time", "goes on by itself"}},
		{"unknown host", unknown, []string{"no-such-host.invalid is not known", "Check the address in Connections"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error to say")
			}
			got := errorWords(c.err)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("errorWords(%q) = %q, want %q in it", c.err, got, w)
				}
			}
			for _, raw := range []string{"broadworks:", "dial tcp", "connect:", "i/o timeout", "context deadline"} {
				if strings.Contains(got, raw) {
					t.Errorf("errorWords(%q) = %q says %q", c.err, got, raw)
				}
			}
			if peopleText(c.err) != got {
				t.Errorf("peopleText says %q", peopleText(c.err))
			}
		})
	}
}

// TestPreview_CheckServerDownInWords: a check against a server that has
// gone away says so in words in the window, never the dial error.
func TestPreview_CheckServerDownInWords(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.toStep(wizard.StepPreview, 2)
	h.srv.Close()
	v := h.w.preview
	v.lastCheck = nil
	test.Tap(v.checkBtn)
	deadline := time.Now().Add(20 * time.Second)
	for (v.checking || v.lastCheck == nil) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(v.checkInfo.Text, "refused the connection") {
		t.Errorf("check line = %q", v.checkInfo.Text)
	}
	shown := strings.Join(texts(h.u.win.Content()), "\n")
	for _, raw := range []string{"dial tcp", "connect: connection refused", "broadworks:"} {
		if strings.Contains(shown, raw) {
			t.Errorf("the window says %q:\n%s", raw, shown)
		}
	}
}
