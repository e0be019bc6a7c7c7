package oci

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Command is one OCI-P command: a request or a response. OCIName returns
// the command's xsi:type exactly as it appears on the wire, for example
// "UserAddRequest22V2" or "c:ErrorResponse" for the two generic responses
// defined in namespace C.
type Command interface {
	OCIName() string
}

// Request is a command sent by the client.
type Request interface {
	Command
	isRequest()
}

// Response is a command sent by the server.
type Response interface {
	Command
	isResponse()
}

// SuccessResponse is the empty answer to a command that returns no data
// (namespace C).
type SuccessResponse struct{}

// OCIName returns "c:SuccessResponse".
func (*SuccessResponse) OCIName() string { return "c:SuccessResponse" }
func (*SuccessResponse) isResponse()     {}

// ErrorType is the required type attribute of an ErrorResponse.
type ErrorType string

// The ErrorResponse types. A Warning means partial success (for example
// UserServiceAssignListRequest with some services refused).
const (
	TypeError   ErrorType = "Error"
	TypeWarning ErrorType = "Warning"
	TypeInfo    ErrorType = "Info"
)

// ErrorResponse is an OCI-P ErrorResponse (namespace C): the server
// understood the command and refused it. It implements error.
type ErrorResponse struct {
	// Command is the xsi:type of the request that failed; filled in by the
	// client, not sent by the server.
	Command string
	// Type is Error, Warning or Info.
	Type ErrorType
	// Code is errorCode, or, when the server sent none, the NNNN of a
	// leading "[Error NNNN]" in Summary; 0 when neither is present.
	Code           int
	Summary        string
	SummaryEnglish string
	Detail         string
}

// OCIName returns "c:ErrorResponse".
func (*ErrorResponse) OCIName() string { return "c:ErrorResponse" }
func (*ErrorResponse) isResponse()     {}

var errorPrefix = regexp.MustCompile(`^\s*\[Error (\d+)\]`)

// CodeFromSummary returns the NNNN of a summary starting "[Error NNNN]", or 0.
func CodeFromSummary(summary string) int {
	m := errorPrefix.FindStringSubmatch(summary)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Number is the error's code: Code, else the NNNN of a summary starting
// "[Error NNNN]" (servers that leave errorCode out), else 0.
func (e *ErrorResponse) Number() int {
	if e.Code != 0 {
		return e.Code
	}
	return CodeFromSummary(e.Summary)
}

// Error returns the server's English summary, prefixed with the command.
func (e *ErrorResponse) Error() string {
	s := e.SummaryEnglish
	if s == "" {
		s = e.Summary
	}
	if e.Command != "" {
		return fmt.Sprintf("oci: %s: %s", e.Command, s)
	}
	return "oci: " + s
}

// Table is an OCITable: column headings and rows of cells. Look cells up by
// heading (Col), never by position: releases add and move columns.
type Table struct {
	Headings []string
	Rows     [][]string
}

// Index returns the position of the heading (compared exactly, then
// case-insensitively), or -1.
func (t *Table) Index(heading string) int {
	for i, h := range t.Headings {
		if h == heading {
			return i
		}
	}
	for i, h := range t.Headings {
		if strings.EqualFold(h, heading) {
			return i
		}
	}
	return -1
}

// Col returns the cell of row r under heading, or "" when either is absent.
func (t *Table) Col(r int, heading string) string {
	i := t.Index(heading)
	if i < 0 || r < 0 || r >= len(t.Rows) || i >= len(t.Rows[r]) {
		return ""
	}
	return t.Rows[r][i]
}

var (
	registryMu sync.RWMutex
	registry   = map[string]func() Command{
		"c:SuccessResponse": func() Command { return new(SuccessResponse) },
		"c:ErrorResponse":   func() Command { return new(ErrorResponse) },
	}
)

// Register makes New(name) return a fresh value from f. Generated code
// registers every type it declares; it is exported so that programs may add
// commands this package does not know.
func Register(name string, f func() Command) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[name] = f
}

// New returns a new zero command of the named xsi:type ("c:" prefix or
// none for the generic responses), and whether the name is known.
func New(name string) (Command, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	f, ok := registry[name]
	if !ok && (name == "SuccessResponse" || name == "ErrorResponse") {
		f, ok = registry["c:"+name]
	}
	if !ok {
		return nil, false
	}
	return f(), true
}

// Names returns every registered xsi:type name, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
