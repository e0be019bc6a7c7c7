package broadworks

import (
	"strings"

	"bwbulk/broadworks/oci"
)

// Idempotenter may be implemented by a request to override the client's
// name-based classification (see Idempotent).
type Idempotenter interface {
	Idempotent() bool
}

// mutatingWords mark a command that changes server state.
var mutatingWords = map[string]bool{
	"Add": true, "Modify": true, "Delete": true, "Assign": true, "Unassign": true,
	"Activate": true, "Deactivate": true, "Remove": true, "Set": true, "Reset": true,
	"Move": true, "Replace": true, "Create": true, "Import": true, "Migrate": true,
	"Login": true, "Logout": true, "Authentication": true,
	"Generate": true, "Rebuild": true, "Reorder": true, "Update": true,
}

// readWords mark a command that only reads.
var readWords = map[string]bool{"Get": true, "List": true, "Verify": true}

// Idempotent reports whether req only reads (its name has a Get, List or
// Verify word and no Add, Modify, Delete, Assign or other changing word),
// so that sending it twice is harmless. The client retries only these,
// once, after the session was lost with the document in flight. A request
// implementing Idempotenter decides for itself.
func Idempotent(req oci.Request) bool {
	if i, ok := req.(Idempotenter); ok {
		return i.Idempotent()
	}
	return idempotentName(req.OCIName())
}

func idempotentName(name string) bool {
	read := false
	for _, w := range camelWords(name) {
		if mutatingWords[w] {
			return false
		}
		if readWords[w] {
			read = true
		}
	}
	return read
}

// camelWords splits "UserGetListInGroupRequest" into User, Get, List, In,
// Group, Request. Digits stay with the word before them.
func camelWords(s string) []string {
	var words []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			words = append(words, s[start:i])
			start = i
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	for i, w := range words {
		words[i] = strings.TrimRight(w, "0123456789")
	}
	return words
}
