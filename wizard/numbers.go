package wizard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxRangeSize is the largest number range one entry may expand to.
const MaxRangeSize = 10000

// MaxNumberLength is the OCI-P DN length limit.
const MaxNumberLength = 23

// NumberRange is a single phone number (First == Last) or an inclusive
// range of numbers of the same width: "2025550100-2025550199". Leading
// zeros and a "+cc-" prefix are kept.
type NumberRange struct {
	First, Last string
}

// ErrNumber is wrapped by every number parsing error.
var ErrNumber = errors.New("bad phone number")

// NumberError is a phone-number or range parse error, with the entry.
type NumberError struct {
	Entry string
	Msg   string
}

// Error formats the entry and the message.
func (e *NumberError) Error() string {
	return fmt.Sprintf("%q: %s", truncate(e.Entry, 40), e.Msg)
}

// Unwrap returns ErrNumber.
func (e *NumberError) Unwrap() error { return ErrNumber }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// checkNumber validates one DN: digits, optionally "+" first, optionally
// "+cc-national". It returns a message or "".
func checkNumber(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > MaxNumberLength {
		return fmt.Sprintf("must be at most %d characters", MaxNumberLength)
	}
	body := s
	if body[0] == '+' {
		body = body[1:]
		if cc, nat, ok := strings.Cut(body, "-"); ok {
			if cc == "" || len(cc) > 3 || !allDigits(cc) {
				return "has a bad country code"
			}
			body = nat
		}
	}
	if body == "" {
		return "has no digits"
	}
	if !allDigits(body) {
		return "must contain digits only"
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// numberShape splits a number into its non-numeric prefix ("+1-" or "+"
// or "") and digits.
func numberShape(s string) (prefix, digits string) {
	if strings.HasPrefix(s, "+") {
		if i := strings.IndexByte(s, '-'); i > 0 {
			return s[:i+1], s[i+1:]
		}
		return "+", s[1:]
	}
	return "", s
}

// ParseNumberRange parses one entry of the numbers step: a number or a range
// "first-last" (also "first..last", "first – last"), spaces ignored around
// the separator. Both ends must have the same prefix and width, first ≤ last,
// and the range at most MaxRangeSize numbers.
func ParseNumberRange(s string) (NumberRange, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return NumberRange{}, &NumberError{Entry: in, Msg: "is empty"}
	}
	if checkNumber(s) == "" {
		return NumberRange{First: s, Last: s}, nil
	}
	if len(s) > 2*MaxNumberLength+8 {
		// Longer than two DNs and a separator; also keeps the split
		// search below from going quadratic on huge input.
		return NumberRange{}, &NumberError{Entry: in, Msg: fmt.Sprintf("is too long for a number or a range (%d characters)", utf8.RuneCountInString(s))}
	}
	for _, sep := range []string{"..", "–", "—", " to ", "-"} {
		// Try every occurrence: "+1-2025550100-+1-2025550199" has many '-'.
		for i := 0; ; {
			j := strings.Index(s[i:], sep)
			if j < 0 {
				break
			}
			j += i
			a, b := strings.TrimSpace(s[:j]), strings.TrimSpace(s[j+len(sep):])
			if checkNumber(a) == "" && checkNumber(b) == "" {
				return makeRange(in, a, b)
			}
			i = j + len(sep)
		}
	}
	if s[0] == '+' && strings.Count(s, "-") == 1 {
		// "+cc-national": a single number, so its own message is clearer.
		return NumberRange{}, &NumberError{Entry: in, Msg: checkNumber(s)}
	}
	if strings.ContainsAny(s, "-–—") || strings.Contains(s, "..") {
		return NumberRange{}, &NumberError{Entry: in, Msg: "is not a number or a range like 2025550100-2025550199"}
	}
	return NumberRange{}, &NumberError{Entry: in, Msg: checkNumber(s)}
}

func makeRange(in, a, b string) (NumberRange, error) {
	pa, da := numberShape(a)
	pb, db := numberShape(b)
	if pa != pb {
		return NumberRange{}, &NumberError{Entry: in, Msg: "both ends of a range must have the same prefix"}
	}
	if len(da) != len(db) {
		return NumberRange{}, &NumberError{Entry: in, Msg: "both ends of a range must have the same number of digits"}
	}
	if da > db { // same width: string order is numeric order
		return NumberRange{}, &NumberError{Entry: in, Msg: "range end is lower than its start"}
	}
	r := NumberRange{First: a, Last: b}
	if n := r.Len(); n > MaxRangeSize || n < 0 {
		return NumberRange{}, &NumberError{Entry: in, Msg: fmt.Sprintf("range holds more than %d numbers", MaxRangeSize)}
	}
	return r, nil
}

// Len returns how many numbers the range holds, or -1 when it holds more
// than fits in an int64 difference.
func (r NumberRange) Len() int {
	_, a := numberShape(r.First)
	_, b := numberShape(r.Last)
	// Drop the common prefix so the differing tail fits in an int64.
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	a, b = a[i:], b[i:]
	if len(a) > 18 {
		return -1
	}
	if a == "" {
		return 1
	}
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return int(y-x) + 1
}

// String returns "first" or "first-last".
func (r NumberRange) String() string {
	if r.First == r.Last {
		return r.First
	}
	return r.First + "-" + r.Last
}

// Numbers expands the range, keeping prefix and width.
func (r NumberRange) Numbers() []string {
	n := r.Len()
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return []string{r.First}
	}
	prefix, a := numberShape(r.First)
	_, b := numberShape(r.Last)
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	head, tail := prefix+a[:i], a[i:]
	start, _ := strconv.ParseInt(tail, 10, 64)
	out := make([]string, 0, n)
	buf := make([]byte, 0, MaxNumberLength)
	for k := range int64(n) {
		buf = append(buf[:0], head...)
		d := strconv.FormatInt(start+k, 10)
		for range len(tail) - len(d) {
			buf = append(buf, '0')
		}
		buf = append(buf, d...)
		out = append(out, string(buf))
	}
	return out
}

// ExpandNumbers parses and expands entries in order. It stops after limit
// numbers when limit > 0. Bad entries and numbers given twice are reported
// (one error per entry, 1-based entry index in the message); the good
// numbers are still returned.
func ExpandNumbers(entries []string, limit int) ([]string, []error) {
	var out []string
	var errs []error
	seen := make(map[string]int)
	for i, e := range entries {
		if strings.TrimSpace(e) == "" {
			continue
		}
		r, err := ParseNumberRange(e)
		if err != nil {
			errs = append(errs, fmt.Errorf("entry %d: %w", i+1, err))
			continue
		}
		dup := false
		for _, n := range r.Numbers() {
			key := NormalizeNumber(n)
			if j, ok := seen[key]; ok {
				if !dup {
					errs = append(errs, fmt.Errorf("entry %d: %w", i+1, &NumberError{Entry: e, Msg: fmt.Sprintf("%s is already in entry %d", n, j)}))
				}
				dup = true
				continue
			}
			seen[key] = i + 1
			if limit <= 0 || len(out) < limit {
				out = append(out, n)
			}
		}
	}
	return out, errs
}

// NormalizeNumber returns the comparable form of a number: "+1-2025550100"
// and "2025550100" compare equal (the national digits), as do list tables'
// and requests' forms.
func NormalizeNumber(s string) string {
	p, d := numberShape(strings.TrimSpace(s))
	if p == "+" {
		return d
	}
	return d
}

// ExtensionFromNumber returns the last n digits of a phone number, or "" if
// it has fewer than n digits.
func ExtensionFromNumber(number string, n int) string {
	_, d := numberShape(number)
	if n <= 0 || len(d) < n {
		return ""
	}
	return d[len(d)-n:]
}
