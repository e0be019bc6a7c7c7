// Package xmltok reads the XML of OCI-P documents and commands as tokens
// for encoding/xml (xml.NewTokenDecoder) several times faster than
// encoding/xml's own reader, for the plain XML they are made of: ASCII
// names, the five predefined entities and character references, and an
// XML declaration. Anything else (comments, CDATA, a DOCTYPE, other
// entities, a carriage return, a name beyond ASCII) is ErrUnsupported, as
// is XML that is not well formed: the caller then reads the same bytes
// with encoding/xml's reader, which decides and words the error.
package xmltok

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// ErrUnsupported: the input needs encoding/xml's own reader.
var ErrUnsupported = errors.New("xmltok: not plain XML")

// Reader returns the raw tokens of its input (names split at the colon,
// not translated: xml.Decoder does that), as xml.Decoder.RawToken would.
type Reader struct {
	b          []byte
	i          int
	pendingEnd *xml.Name // the end of an empty element <a/>
	checked    bool
	decl       bool // processing instructions are read (else unsupported)
}

// New reads b, which must not change while it is read: an element with
// no XML declaration or other processing instruction, as a command is
// stored.
func New(b []byte) *Reader { return &Reader{b: b} }

// NewDocument reads a document, its XML declaration included: the
// caller has seen to its encoding (UTF-8, or converted to it).
func NewDocument(b []byte) *Reader { return &Reader{b: b, decl: true} }

// Token implements xml.TokenReader.
func (r *Reader) Token() (xml.Token, error) {
	if !r.checked {
		if !plainText(r.b) {
			return nil, ErrUnsupported
		}
		r.checked = true
	}
	if r.pendingEnd != nil {
		n := *r.pendingEnd
		r.pendingEnd = nil
		return xml.EndElement{Name: n}, nil
	}
	if r.i >= len(r.b) {
		return nil, io.EOF
	}
	if r.b[r.i] != '<' {
		return r.text()
	}
	r.i++
	if r.i >= len(r.b) {
		return nil, ErrUnsupported
	}
	switch r.b[r.i] {
	case '/':
		r.i++
		n, ok := r.name()
		if !ok || !r.expect('>') {
			return nil, ErrUnsupported
		}
		return xml.EndElement{Name: n}, nil
	case '?':
		if !r.decl {
			return nil, ErrUnsupported
		}
		return r.procInst()
	case '!':
		return nil, ErrUnsupported // a comment, CDATA or a DOCTYPE
	}
	return r.start()
}

func (r *Reader) start() (xml.Token, error) {
	n, ok := r.name()
	if !ok {
		return nil, ErrUnsupported
	}
	se := xml.StartElement{Name: n}
	for {
		sp := r.space()
		if r.i >= len(r.b) {
			return nil, ErrUnsupported
		}
		switch r.b[r.i] {
		case '>':
			r.i++
			return se, nil
		case '/':
			if r.i+1 >= len(r.b) || r.b[r.i+1] != '>' {
				return nil, ErrUnsupported
			}
			r.i += 2
			end := se.Name
			r.pendingEnd = &end
			return se, nil
		}
		if !sp {
			return nil, ErrUnsupported
		}
		an, ok := r.name()
		if !ok || !r.expect('=') {
			return nil, ErrUnsupported
		}
		r.space()
		if r.i >= len(r.b) || (r.b[r.i] != '"' && r.b[r.i] != '\'') {
			return nil, ErrUnsupported
		}
		q := r.b[r.i]
		r.i++
		start := r.i
		for r.i < len(r.b) && r.b[r.i] != q {
			if r.b[r.i] == '<' {
				return nil, ErrUnsupported
			}
			r.i++
		}
		if r.i >= len(r.b) {
			return nil, ErrUnsupported
		}
		v, ok := unescape(r.b[start:r.i])
		if !ok {
			return nil, ErrUnsupported
		}
		r.i++
		se.Attr = append(se.Attr, xml.Attr{Name: an, Value: string(v)})
	}
}

// text reads character data up to the next '<' or the end.
func (r *Reader) text() (xml.Token, error) {
	start := r.i
	for r.i < len(r.b) && r.b[r.i] != '<' {
		if r.b[r.i] == '>' && r.i >= start+2 && r.b[r.i-1] == ']' && r.b[r.i-2] == ']' {
			return nil, ErrUnsupported // "]]>" outside CDATA
		}
		r.i++
	}
	v, ok := unescape(r.b[start:r.i])
	if !ok {
		return nil, ErrUnsupported
	}
	return xml.CharData(v), nil
}

// procInst reads <?target inst?>; an XML declaration must be version 1.0.
func (r *Reader) procInst() (xml.Token, error) {
	r.i++ // '?'
	start := r.i
	for r.i < len(r.b) && isNameByte(r.b[r.i], r.i == start) {
		r.i++
	}
	target := string(r.b[start:r.i])
	if target == "" {
		return nil, ErrUnsupported
	}
	if r.i < len(r.b) && r.b[r.i] != '?' && !isSpace(r.b[r.i]) {
		return nil, ErrUnsupported
	}
	r.space()
	instStart := r.i
	for r.i+1 < len(r.b) && !(r.b[r.i] == '?' && r.b[r.i+1] == '>') {
		r.i++
	}
	if r.i+1 >= len(r.b) {
		return nil, ErrUnsupported
	}
	inst := r.b[instStart:r.i]
	r.i += 2
	if target == "xml" {
		// Only what the standard reader checks: the version. The caller
		// chose this reader knowing the encoding.
		if v := param(string(inst), "version"); v != "" && v != "1.0" {
			return nil, ErrUnsupported
		}
	}
	return xml.ProcInst{Target: target, Inst: inst}, nil
}

// Encoding is the encoding an XML declaration's text (a ProcInst's Inst)
// names; "" when none.
func Encoding(inst []byte) string { return param(string(inst), "encoding") }

// param is the value of name="…" in an XML declaration, "" when absent
// or not plainly written.
func param(s, name string) string {
	for i := 0; i+len(name) < len(s); i++ {
		if s[i:i+len(name)] != name || (i > 0 && !isSpace(s[i-1])) {
			continue
		}
		j := i + len(name)
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			continue
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) || (s[j] != '"' && s[j] != '\'') {
			return ""
		}
		q := s[j]
		for k := j + 1; k < len(s); k++ {
			if s[k] == q {
				return s[j+1 : k]
			}
		}
		return ""
	}
	return ""
}

// name reads an ASCII name with at most one colon, split at it as
// encoding/xml splits a raw name.
func (r *Reader) name() (xml.Name, bool) {
	start := r.i
	colon := -1
	for r.i < len(r.b) && isNameByte(r.b[r.i], r.i == start) {
		if r.b[r.i] == ':' {
			if colon >= 0 {
				return xml.Name{}, false
			}
			colon = r.i
		}
		r.i++
	}
	if r.i == start || (r.i < len(r.b) && r.b[r.i] >= utf8.RuneSelf) {
		return xml.Name{}, false
	}
	s := string(r.b[start:r.i])
	if colon > start && colon < r.i-1 {
		return xml.Name{Space: s[:colon-start], Local: s[colon-start+1:]}, true
	}
	return xml.Name{Local: s}, true
}

func isNameByte(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_', c == ':':
		return true
	case '0' <= c && c <= '9', c == '-', c == '.':
		return !first
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// expect skips white space, then reads c; false when c is not next.
func (r *Reader) expect(c byte) bool {
	r.space()
	if r.i >= len(r.b) || r.b[r.i] != c {
		return false
	}
	r.i++
	return true
}

// space skips white space and reports whether there was any.
func (r *Reader) space() bool {
	start := r.i
	for r.i < len(r.b) && isSpace(r.b[r.i]) {
		r.i++
	}
	return r.i > start
}

// unescape replaces the predefined entities and character references;
// false for any other.
func unescape(b []byte) ([]byte, bool) {
	amp := -1
	for i, c := range b {
		if c == '&' {
			amp = i
			break
		}
	}
	if amp < 0 {
		return b, true
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:amp]...)
	for i := amp; i < len(b); {
		c := b[i]
		if c != '&' {
			out = append(out, c)
			i++
			continue
		}
		end := -1
		for k := i + 1; k < len(b) && k < i+12; k++ {
			if b[k] == ';' {
				end = k
				break
			}
		}
		if end < 0 {
			return nil, false
		}
		ent := string(b[i+1 : end])
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "apos":
			out = append(out, '\'')
		case "quot":
			out = append(out, '"')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return nil, false
			}
			var n uint64
			var err error
			if ent[1] == 'x' {
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			} else {
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			}
			if err != nil || !isXMLChar(rune(n)) || (ent[1] == 'x' && len(ent) == 2) {
				return nil, false
			}
			out = utf8.AppendRune(out, rune(n))
		}
		i = end + 1
	}
	return out, true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// plainText reports whether b is valid UTF-8 of XML characters with no
// carriage return (which the standard reader rewrites).
func plainText(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError || !isXMLChar(r) {
			return false
		}
		i += n
	}
	return true
}
