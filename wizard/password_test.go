package wizard

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	strict := rulesMetroG1
	tests := []struct {
		name      string
		pw, user  string
		rules     PasswordRules
		wantRules []PasswordRule
		wantMsg   string
	}{
		{name: "ok strict", pw: "Gr8-Passw0rd!", user: "jo@x.com", rules: strict},
		{name: "ok no rules", pw: "a", rules: PasswordRules{}},
		{name: "empty", pw: "", rules: strict, wantRules: []PasswordRule{RuleRequired}, wantMsg: "password: is required"},
		{name: "too short", pw: "Ab1!cd2", rules: strict, wantRules: []PasswordRule{RuleMinLength},
			wantMsg: "password: needs at least 12 characters"},
		{name: "one digit", pw: "Abcdefghij1!", rules: strict, wantRules: []PasswordRule{RuleMinDigits},
			wantMsg: "password: needs at least 2 digits"},
		{name: "no upper", pw: "abcdefghij12!", rules: strict, wantRules: []PasswordRule{RuleMinUpper},
			wantMsg: "password: needs at least 1 upper-case letter"},
		{name: "no lower", pw: "ABCDEFGHIJ12!", rules: strict, wantRules: []PasswordRule{RuleMinLower},
			wantMsg: "password: needs at least 1 lower-case letter"},
		{name: "no symbol", pw: "Abcdefghij12", rules: strict, wantRules: []PasswordRule{RuleMinNonAlnum},
			wantMsg: "password: needs at least 1 non-alphanumeric character"},
		{name: "contains user part", pw: "xJohn.Smith12!", user: "john.smith@metro.example.net", rules: strict,
			wantRules: []PasswordRule{RuleUserID}, wantMsg: "password: must not contain the user id"},
		{name: "user id allowed when rule off", pw: "john.smith", user: "john.smith@x.com", rules: PasswordRules{}},
		{name: "several failures", pw: "abc", rules: strict,
			wantRules: []PasswordRule{RuleMinLength, RuleMinDigits, RuleMinUpper, RuleMinNonAlnum},
			wantMsg:   "password: needs at least 12 characters; needs at least 2 digits; needs at least 1 upper-case letter; needs at least 1 non-alphanumeric character"},
		{name: "too long", pw: strings.Repeat("aB1!", 16), rules: strict, wantRules: []PasswordRule{RuleMaxLength},
			wantMsg: "password: must be at most 60 characters"},
		{name: "control character", pw: "Abcdefgh12!\x01", rules: strict, wantRules: []PasswordRule{RuleCharacters},
			wantMsg: "password: must use printable Latin-1 characters only"},
		{name: "outer space", pw: " Abcdefgh12!", rules: strict, wantRules: []PasswordRule{RuleNoOuterSpaces},
			wantMsg: "password: must not start or end with a space"},
		{name: "plural digits of 1", pw: "abc", rules: PasswordRules{MinDigits: 1}, wantRules: []PasswordRule{RuleMinDigits},
			wantMsg: "password: needs at least 1 digit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPassword(tc.pw, tc.user, tc.rules)
			if len(tc.wantRules) == 0 {
				if err != nil {
					t.Fatalf("CheckPassword = %v, want nil", err)
				}
				return
			}
			var pe *PasswordError
			if !errors.As(err, &pe) || !errors.Is(err, ErrPassword) {
				t.Fatalf("CheckPassword = %v, want *PasswordError", err)
			}
			for _, r := range tc.wantRules {
				if !pe.Failed(r) {
					t.Errorf("rule %q not reported in %v", r, err)
				}
			}
			if len(pe.Violations) != len(tc.wantRules) {
				t.Errorf("violations = %v, want %v", pe.Violations, tc.wantRules)
			}
			if err.Error() != tc.wantMsg {
				t.Errorf("Error() = %q, want %q", err.Error(), tc.wantMsg)
			}
			if tc.pw != "" && strings.Contains(err.Error(), tc.pw) {
				t.Errorf("error message leaks the password")
			}
		})
	}
}

// TestGeneratePassword_property generates 10,000 passwords per demo rule
// set and checks every one passes the checker for its user id.
func TestGeneratePassword_property(t *testing.T) {
	sets := []struct {
		name  string
		rules PasswordRules
	}{
		{"acme-hq", rulesAcmeHQ},
		{"acme-branch", rulesAcmeBranch},
		{"metro-g1 strict", rulesMetroG1},
		{"symbols only", PasswordRules{MinLength: 8, MinNonAlphanumeric: 56}},
		{"heavy", PasswordRules{MinLength: 20, MinDigits: 5, MinUpperCase: 5, MinLowerCase: 5, MinNonAlphanumeric: 3, DisallowUserID: true}},
	}
	n := 10000
	if testing.Short() {
		n = 500
	}
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			seen := make(map[string]bool, n)
			for i := range n {
				uid := "user" + string(rune('a'+i%26)) + "@example.com"
				pw, err := GeneratePassword(s.rules, uid)
				if err != nil {
					t.Fatalf("GeneratePassword #%d: %v", i, err)
				}
				if err := CheckPassword(pw, uid, s.rules); err != nil {
					t.Fatalf("generated password #%d fails: %v", i, err)
				}
				if strings.ContainsAny(pw, "\"',;<>&\\ ") {
					t.Fatalf("generated password #%d has a character outside the safe set", i)
				}
				if strings.ContainsAny(pw[:1], "=+-@") {
					t.Fatalf("generated password #%d starts with %q, which a spreadsheet reads as a formula", i, pw[:1])
				}
				seen[pw] = true
			}
			if len(seen) < n-1 {
				t.Errorf("only %d distinct passwords of %d", len(seen), n)
			}
		})
	}
}

func TestGeneratePassword_impossible(t *testing.T) {
	_, err := GeneratePassword(PasswordRules{MinDigits: 30, MinUpperCase: 30}, "")
	if err == nil || err.Error() != "wizard: password rules need more than 60 characters" {
		t.Fatalf("err = %v", err)
	}
}
