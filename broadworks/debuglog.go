package broadworks

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// secretElement matches the start tag of an element whose local name ends
// in "password" or "passcode" (password, plainTextPassword, signedPassword,
// newPassword, oldPassword, passcode, newPasscode, userPassword,
// sipAuthenticationPassword, ...) and its text content. Group 1 is the tag
// up to and including '>', group 2 the text.
var secretElement = regexp.MustCompile(
	`(?i)(<(?:[a-z_][\w.-]*:)?[a-z_]*(?:password|passcode)(?:\s[^<>]*?)?>)([^<]*)`)

// secretEscaped is secretElement escaped once, as inside a SOAP envelope or
// an ErrorResponse detail: there "&lt;" ends the text.
var secretEscaped = regexp.MustCompile(
	`(?i)(&lt;(?:[a-z_][\w.-]*:)?[a-z_]*(?:password|passcode)(?:\s(?:[^<>&]|&quot;|&#34;|&apos;|&#39;)*?)?&gt;)` +
		`((?:[^<&]|&(?:amp|quot|apos|gt|#[0-9]+|#x[0-9a-f]+);)*)`)

// mask is what a secret value is replaced by.
const mask = "***"

// MaskSecrets returns s (OCI-P XML, a SOAP envelope, an error text) with
// the text of every password-like element replaced by "***", whether the
// element is written as markup or escaped once. Empty and nil elements
// stay as they are. The debug log and the client's error strings go
// through it; other packages may use it before they log or store XML.
func MaskSecrets(s string) string {
	if !containsFold(s, "pass") {
		return s
	}
	for _, re := range []*regexp.Regexp{secretElement, secretEscaped} {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if sub[2] == "" || strings.HasSuffix(sub[1], "/>") || strings.HasSuffix(sub[1], "/&gt;") {
				return m
			}
			return sub[1] + mask
		})
	}
	return s
}

func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		match := true
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// debugLog writes masked wire documents to Options.DebugWriter.
type debugLog struct {
	mu sync.Mutex
	w  io.Writer
}

func newDebugLog(w io.Writer) *debugLog {
	if w == nil {
		return nil
	}
	return &debugLog{w: w}
}

// log writes one document: dir is "C: " for client to server, "S: " for
// server to client. A nil *debugLog logs nothing.
func (l *debugLog) log(dir string, doc []byte) {
	if l == nil {
		return
	}
	text := MaskSecrets(string(doc))
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s %s %d bytes\n%s", time.Now().Format("15:04:05.000"), dir, len(doc), text)
	if len(text) == 0 || text[len(text)-1] != '\n' {
		io.WriteString(l.w, "\n")
	}
}

// note writes one line of commentary (re-login, redial, ...).
func (l *debugLog) note(format string, args ...any) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%s -- %s\n", time.Now().Format("15:04:05.000"), MaskSecrets(fmt.Sprintf(format, args...)))
}
