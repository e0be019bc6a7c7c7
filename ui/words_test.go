package ui

import (
	"strings"
	"testing"

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
