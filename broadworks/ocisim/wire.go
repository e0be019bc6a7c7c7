package ocisim

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// xmlDecl is the declaration every response document starts with.
const xmlDecl = `<?xml version="1.0" encoding="ISO-8859-1"?>`

// builder writes XML in ISO-8859-1: characters outside Latin-1 become numeric
// character references.
type builder struct {
	b []byte
}

func (w *builder) raw(s string) { w.b = append(w.b, s...) }

// text appends s escaped for element content.
func (w *builder) text(s string) { w.escape(s, false) }

// attr appends s escaped for a double-quoted attribute value.
func (w *builder) attr(s string) { w.escape(s, true) }

func (w *builder) escape(s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			w.b = append(w.b, "&amp;"...)
		case r == '<':
			w.b = append(w.b, "&lt;"...)
		case r == '>':
			w.b = append(w.b, "&gt;"...)
		case r == '"' && attr:
			w.b = append(w.b, "&quot;"...)
		case r == '\r' || (attr && (r == '\n' || r == '\t')):
			w.b = append(w.b, "&#x"...)
			w.b = strconv.AppendInt(w.b, int64(r), 16)
			w.b = append(w.b, ';')
		case r < 0x20 || r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF:
			// Not representable in XML 1.0: dropped.
		case r < 0x100:
			w.b = append(w.b, byte(r))
		default:
			w.b = append(w.b, "&#x"...)
			w.b = strconv.AppendInt(w.b, int64(r), 16)
			w.b = append(w.b, ';')
		}
	}
}

func (w *builder) open(name string) { w.b = append(w.b, '<'); w.raw(name); w.b = append(w.b, '>') }

func (w *builder) close(name string) { w.raw("</"); w.raw(name); w.b = append(w.b, '>') }

// leaf writes <name>v</name>.
func (w *builder) leaf(name, v string) {
	w.open(name)
	w.text(v)
	w.close(name)
}

// opt writes <name>v</name> when v is not empty.
func (w *builder) opt(name, v string) {
	if v != "" {
		w.leaf(name, v)
	}
}

func (w *builder) boolean(name string, v bool) { w.leaf(name, strconv.FormatBool(v)) }

func (w *builder) integer(name string, v int) { w.leaf(name, strconv.Itoa(v)) }

// table writes an OCITable: colHeading+, then row* of col.
func (w *builder) table(name string, headings []string, rows [][]string) {
	w.open(name)
	for _, h := range headings {
		w.leaf("colHeading", h)
	}
	for _, r := range rows {
		w.open("row")
		for _, c := range r {
			if c == "" {
				w.raw("<col/>")
			} else {
				w.leaf("col", c)
			}
		}
		w.close("row")
	}
	w.close(name)
}

// ociError is a refusal: it becomes a c:ErrorResponse.
type ociError struct {
	Code    int
	Type    string // Error (default) or Warning
	Message string // the summary without the "[Error NNNN] " prefix
	Detail  string
	noCode  bool // written without errorCode (Options.OmitErrorCode)
}

func (e *ociError) Error() string { return e.summary() }

func (e *ociError) summary() string { return fmt.Sprintf("[Error %d] %s", e.Code, e.Message) }

func errorf(code int, format string, args ...any) *ociError {
	return &ociError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// result is the answer to one command.
type result struct {
	typ  string // xsi:type of a data response; "" for c:SuccessResponse
	body []byte // inner XML of a data response
	err  *ociError
}

func success() result { return result{} }

func failure(e *ociError) result { return result{err: e} }

func data(typ string, w *builder) result { return result{typ: typ, body: w.b} }

// writeCommand appends one response command element.
func (w *builder) writeCommand(r result, echo *string) {
	w.raw("<command")
	if echo != nil {
		w.raw(` echo="`)
		w.attr(*echo)
		w.raw(`"`)
	}
	switch {
	case r.err != nil:
		t := r.err.Type
		if t == "" {
			t = "Error"
		}
		w.raw(` type="`)
		w.attr(t)
		w.raw(`" xsi:type="c:ErrorResponse" xmlns:c="C" xmlns="">`)
		if !r.err.noCode {
			w.integer("errorCode", r.err.Code)
		}
		w.leaf("summary", r.err.summary())
		w.leaf("summaryEnglish", r.err.summary())
		if r.err.Detail != "" {
			w.leaf("detail", r.err.Detail)
		}
		w.close("command")
	case r.typ == "":
		w.raw(` xsi:type="c:SuccessResponse" xmlns:c="C" xmlns=""/>`)
	default:
		w.raw(` xsi:type="`)
		w.attr(r.typ)
		w.raw(`" xmlns="">`)
		w.b = append(w.b, r.body...)
		w.close("command")
	}
}

// responseDocument renders a whole response: declaration, newline, the
// document on one line, newline.
func responseDocument(sessionID string, tracking string, results []result, echoes []*string) []byte {
	w := &builder{b: make([]byte, 0, 256+128*len(results))}
	w.raw(xmlDecl)
	w.raw("\n")
	w.raw(`<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="` + nsXSI + `">`)
	w.raw(`<sessionId xmlns="">`)
	w.text(sessionID)
	w.raw(`</sessionId>`)
	if tracking != "" {
		w.raw(`<trackingId xmlns="">`)
		w.text(tracking)
		w.raw(`</trackingId>`)
	}
	for i, r := range results {
		var echo *string
		if i < len(echoes) {
			echo = echoes[i]
		}
		w.writeCommand(r, echo)
	}
	w.raw("</BroadsoftDocument>\n")
	return w.b
}
