package wizard

import (
	"fmt"
	"strings"
)

// cleanSpace trims a value, turns no-break and other fixed-width spaces
// into plain ones and collapses runs of spaces. It reports whether it
// changed anything.
func cleanSpace(v string) (string, bool) {
	plain := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			plain = false
			break
		}
	}
	if plain && (v == "" || v[0] != ' ' && v[len(v)-1] != ' ') && !strings.Contains(v, "  ") {
		return v, false
	}
	s := v
	if !plain {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '\u00a0', '\u2007', '\u202f', '\u2002', '\u2003', '\u2009':
				return ' '
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s, s != v
}

// countryCodeLen returns the length of the ITU country calling code that
// digits begin with (calling codes are prefix-free: 1 and 7 are one digit,
// the zones 2–9 have the two-digit codes listed, the rest three).
func countryCodeLen(digits string) int {
	if digits == "" {
		return 0
	}
	switch digits[0] {
	case '1', '7':
		return 1
	}
	if len(digits) < 2 {
		return 0
	}
	two := digits[:2]
	switch two {
	case "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
		"51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
		"81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98":
		return 2
	}
	if len(digits) < 3 {
		return 0
	}
	return 3
}

// NormalizePhone rewrites a phone number typed with punctuation —
// "+1 (202) 555-0101", "202.555.0101", "+44 20 7946 0958",
// "+12025550101" — into the forms BroadWorks takes: "+cc-national" for an
// international number, the bare digits for a national one. ok is false
// when the value is not a phone number in any of these forms (it is then
// returned unchanged, for validation to report).
func NormalizePhone(v string) (string, bool) {
	if checkNumber(v) == "" && !(strings.HasPrefix(v, "+") && !strings.Contains(v, "-")) {
		return v, true
	}
	intl := strings.HasPrefix(v, "+")
	body := strings.TrimPrefix(v, "+")
	// The country code of a punctuated international number ends at the
	// first separator; without one, the ITU plan says where.
	var b strings.Builder
	cc := -1
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/':
			if intl && cc < 0 && b.Len() > 0 {
				cc = b.Len()
			}
		default:
			return v, false
		}
	}
	digits := b.String()
	if digits == "" {
		return v, false
	}
	if !intl {
		if checkNumber(digits) != "" {
			return v, false
		}
		return digits, true
	}
	if cc <= 0 || cc > 3 {
		// No separator after the country code ("+12025550101"): the
		// numbering plan says where it ends.
		cc = countryCodeLen(digits)
	}
	if cc <= 0 || cc >= len(digits) {
		return v, false
	}
	out := "+" + digits[:cc] + "-" + digits[cc:]
	if checkNumber(out) != "" {
		return v, false
	}
	return out, true
}

// macForm describes a MAC address that does not normalise, in terms of
// its form: how many groups, of which width, separated by what.
func macForm(m string) string {
	const want = "a MAC address is 12 hexadecimal digits, such as 0004F2AABBCC, 00:04:F2:AA:BB:CC, 00-04-F2-AA-BB-CC or 0004.F2AA.BBCC"
	sep := byte(0)
	for i := 0; i < len(m); i++ {
		switch c := m[i]; c {
		case ':', '-', '.', ' ':
			if sep == 0 {
				sep = c
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return fmt.Sprintf("has %q, which is not a hexadecimal digit: %s", rune(c), want)
			}
		}
	}
	if sep == 0 {
		return fmt.Sprintf("has %d hexadecimal digits: %s", len(m), want)
	}
	groups := strings.Split(m, string(sep))
	digits := 0
	for _, g := range groups {
		digits += len(g)
	}
	if digits == 12 {
		return fmt.Sprintf("has its 12 digits in groups of uneven width: %s", want)
	}
	return fmt.Sprintf("has %d groups separated by %q with %d hexadecimal digits in all: %s", len(groups), rune(sep), digits, want)
}

// normalizeMAC accepts the colon, dash, dot (Cisco) and bare forms, in
// either case, and returns the 12 upper-case digits; ok is false for any
// other form.
func normalizeMAC(m string) (string, bool) {
	if isUpperHex12(m) {
		return m, true
	}
	s := strings.TrimSpace(m)
	var parts []string
	switch {
	case len(s) == 12:
		parts = []string{s}
	case len(s) == 17 && (s[2] == ':' || s[2] == '-'):
		parts = strings.Split(s, s[2:3])
		if len(parts) != 6 {
			return m, false
		}
		for _, p := range parts {
			if len(p) != 2 {
				return m, false
			}
		}
	case len(s) == 14 && s[4] == '.':
		parts = strings.Split(s, ".")
		if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) != 4 || len(parts[2]) != 4 {
			return m, false
		}
	default:
		return m, false
	}
	out := strings.ToUpper(strings.Join(parts, ""))
	if !validMAC(out) {
		return m, false
	}
	return out, true
}
