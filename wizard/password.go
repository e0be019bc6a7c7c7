package wizard

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sethvargo/go-password/password"
)

// PasswordRules are the effective password rules for new users of a group
// (GroupPasswordRulesGetResponseRI, R25). A zero minimum means the rule is
// not restricted.
type PasswordRules struct {
	DisallowUserID     bool `json:"disallowUserId"`
	MinDigits          int  `json:"minDigits,omitempty"`
	MinUpperCase       int  `json:"minUpperCaseLetters,omitempty"`
	MinLowerCase       int  `json:"minLowerCaseLetters,omitempty"`
	MinNonAlphanumeric int  `json:"minNonAlphanumericCharacters,omitempty"`
	// MinLength is 3..40 on the server; 0 means "no rule" (the wire
	// type Password still needs 1 character).
	MinLength int `json:"minLength,omitempty"`
}

// PasswordMaxLength is the longest password the OCI-P Password type takes.
const PasswordMaxLength = 60

// PasswordRule names one rule a password can fail.
type PasswordRule string

// The rules CheckPassword can report.
const (
	RuleRequired       PasswordRule = "required"
	RuleMinLength      PasswordRule = "minimum length"
	RuleMaxLength      PasswordRule = "maximum length"
	RuleMinDigits      PasswordRule = "minimum digits"
	RuleMinUpper       PasswordRule = "minimum upper-case letters"
	RuleMinLower       PasswordRule = "minimum lower-case letters"
	RuleMinNonAlnum    PasswordRule = "minimum non-alphanumeric characters"
	RuleUserID         PasswordRule = "must not contain the user id"
	RuleCharacters     PasswordRule = "allowed characters"
	RuleNoOuterSpaces  PasswordRule = "no leading or trailing spaces"
	passwordSymbolsSet              = "!#$%*+-.=?@^_~"
)

// PasswordViolation is one failed rule with a message that never contains
// the password.
type PasswordViolation struct {
	Rule PasswordRule
	Msg  string
}

// PasswordError lists every rule a password failed. It wraps ErrPassword.
type PasswordError struct {
	Violations []PasswordViolation
}

// Error joins the violation messages: "password: needs at least 2 digits; ...".
func (e *PasswordError) Error() string {
	msgs := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		msgs[i] = v.Msg
	}
	return "password: " + strings.Join(msgs, "; ")
}

// Unwrap returns ErrPassword.
func (e *PasswordError) Unwrap() error { return ErrPassword }

// Failed reports whether rule r is among the violations.
func (e *PasswordError) Failed(r PasswordRule) bool {
	for _, v := range e.Violations {
		if v.Rule == r {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// CheckPassword checks pw against the rules for a user with the given id
// (user@domain). It returns nil or a *PasswordError naming every failed rule.
// The user-id rule compares case-insensitively against the whole id and
// against its user part.
func CheckPassword(pw, userID string, r PasswordRules) error {
	var vs []PasswordViolation
	add := func(rule PasswordRule, msg string) { vs = append(vs, PasswordViolation{rule, msg}) }
	if pw == "" {
		add(RuleRequired, "is required")
		return &PasswordError{vs}
	}
	n := 0
	var digits, upper, lower, other int
	badChar := false
	for _, c := range pw {
		n++
		switch {
		case c >= '0' && c <= '9':
			digits++
		case unicode.IsUpper(c):
			upper++
		case unicode.IsLower(c):
			lower++
		case unicode.IsControl(c) || c > 0xFF:
			badChar = true
		default:
			other++
		}
	}
	if r.MinLength > 0 && n < r.MinLength {
		add(RuleMinLength, fmt.Sprintf("needs at least %s", plural(r.MinLength, "character", "characters")))
	}
	if n > PasswordMaxLength {
		add(RuleMaxLength, fmt.Sprintf("must be at most %d characters", PasswordMaxLength))
	}
	if digits < r.MinDigits {
		add(RuleMinDigits, fmt.Sprintf("needs at least %s", plural(r.MinDigits, "digit", "digits")))
	}
	if upper < r.MinUpperCase {
		add(RuleMinUpper, fmt.Sprintf("needs at least %s", plural(r.MinUpperCase, "upper-case letter", "upper-case letters")))
	}
	if lower < r.MinLowerCase {
		add(RuleMinLower, fmt.Sprintf("needs at least %s", plural(r.MinLowerCase, "lower-case letter", "lower-case letters")))
	}
	if other < r.MinNonAlphanumeric {
		add(RuleMinNonAlnum, fmt.Sprintf("needs at least %s", plural(r.MinNonAlphanumeric, "non-alphanumeric character", "non-alphanumeric characters")))
	}
	if r.DisallowUserID && userID != "" {
		// The user part is contained in the whole id, so checking it
		// covers both.
		user, _, _ := strings.Cut(userID, "@")
		if user == "" {
			user = userID
		}
		if containsFoldASCII(pw, user) {
			add(RuleUserID, "must not contain the user id")
		}
	}
	if badChar {
		add(RuleCharacters, "must use printable Latin-1 characters only")
	}
	if strings.TrimSpace(pw) != pw {
		add(RuleNoOuterSpaces, "must not start or end with a space")
	}
	if vs == nil {
		return nil
	}
	return &PasswordError{vs}
}

// containsFoldASCII reports whether sub occurs in s, ignoring ASCII case,
// without allocating. Non-ASCII bytes compare exactly.
func containsFoldASCII(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	lower := func(c byte) byte {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
outer:
	for i := 0; i+n <= len(s); i++ {
		for j := 0; j < n; j++ {
			if lower(s[i+j]) != lower(sub[j]) {
				continue outer
			}
		}
		return true
	}
	return false
}

// GeneratedPasswordLength is the length generated passwords have unless the
// rules need more.
const GeneratedPasswordLength = 12

var passwordGen = func() *password.Generator {
	// A symbol set without quotes, commas, semicolons, spaces, '&', '<'
	// and '\\', so passwords survive CSV, XML and shells untouched.
	g, err := password.NewGenerator(&password.GeneratorInput{Symbols: passwordSymbolsSet})
	if err != nil {
		panic(err)
	}
	return g
}()

// PasswordLength returns the length GeneratePassword uses for r.
func PasswordLength(r PasswordRules) int {
	n := max(GeneratedPasswordLength, r.MinLength)
	// Leave room for random letters beyond the required classes.
	need := r.MinDigits + r.MinNonAlphanumeric + r.MinUpperCase + r.MinLowerCase + 4
	n = max(n, need)
	return min(n, PasswordMaxLength)
}

// formulaFirst are the characters a spreadsheet reads as the start of a
// formula when a cell begins with them.
const formulaFirst = "=+-@"

// spreadsheetSafe moves a formula character away from the start of a
// generated password by swapping it with the first character that is not
// one (the counts of each class stay the same). ok is false when every
// character is one of them.
func spreadsheetSafe(pw string) (string, bool) {
	if pw == "" || strings.IndexByte(formulaFirst, pw[0]) < 0 {
		return pw, true
	}
	for k := 1; k < len(pw); k++ {
		if strings.IndexByte(formulaFirst, pw[k]) < 0 {
			b := []byte(pw)
			b[0], b[k] = b[k], b[0]
			return string(b), true
		}
	}
	return pw, false
}

// GeneratePassword returns a random password (crypto/rand, through
// sethvargo/go-password) that satisfies r for the given user id. It never
// starts with = + - or @, so a spreadsheet opening an export shows it as
// it is instead of reading it as a formula. It fails only when the rules
// cannot be met within PasswordMaxLength.
func GeneratePassword(r PasswordRules, userID string) (string, error) {
	n := PasswordLength(r)
	digits := max(r.MinDigits, 1)
	symbols := max(r.MinNonAlphanumeric, 1)
	if digits+symbols+r.MinUpperCase+r.MinLowerCase > n {
		return "", fmt.Errorf("wizard: password rules need more than %d characters", PasswordMaxLength)
	}
	for range 1000 {
		pw, err := passwordGen.Generate(n, digits, symbols, false, true)
		if err != nil {
			return "", fmt.Errorf("wizard: generate password: %w", err)
		}
		pw, ok := spreadsheetSafe(pw)
		if ok && CheckPassword(pw, userID, r) == nil {
			return pw, nil
		}
	}
	return "", fmt.Errorf("wizard: could not generate a password satisfying the rules")
}
