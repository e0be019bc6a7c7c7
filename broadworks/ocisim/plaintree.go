package ocisim

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode/utf8"
)

// xmlNamespace is the namespace the prefix xml stands for.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// plainTree reads plain XML into an element tree as parseDocumentXML
// would, several times faster: elements with ASCII names, attributes in
// quotes, text with the five predefined entities and character
// references, and white space around the root. It answers false for
// anything else (a comment, CDATA, a DOCTYPE, a processing instruction,
// another entity, a carriage return, a name beyond ASCII) and for what is
// not well formed: encoding/xml's reader then decides and words it.
func plainTree(b []byte) (*element, bool) {
	if !xmlChars(b) {
		return nil, false
	}
	p := plainParser{b: b}
	p.blank()
	if p.i >= len(b) || b[p.i] != '<' {
		return nil, false
	}
	root, ok := p.element(0)
	if !ok {
		return nil, false
	}
	p.blank()
	return root, p.i == len(b)
}

type plainParser struct {
	b   []byte
	i   int
	ns  []nsBinding // the namespace declarations in scope, innermost last
	txt []byte      // scratch for text with entities
}

type nsBinding struct{ prefix, uri string }

func (p *plainParser) blank() {
	for p.i < len(p.b) && isBlank(p.b[p.i]) {
		p.i++
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// name reads an ASCII name and splits it at its colon; a name with a
// colon first or last, or with two, is not plain.
func (p *plainParser) name() (prefix, local string, ok bool) {
	start, colon := p.i, -1
	for p.i < len(p.b) {
		c := p.b[p.i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' ||
			p.i > start && ('0' <= c && c <= '9' || c == '-' || c == '.' || c == ':')) {
			break
		}
		if c == ':' {
			if colon >= 0 {
				return "", "", false
			}
			colon = p.i
		}
		p.i++
	}
	if p.i == start || p.i < len(p.b) && p.b[p.i] >= utf8.RuneSelf || colon == p.i-1 {
		return "", "", false
	}
	s := string(p.b[start:p.i])
	if colon < 0 {
		return "", s, true
	}
	return s[:colon-start], s[colon-start+1:], true
}

// resolve is the namespace of a prefix as encoding/xml translates it.
func (p *plainParser) resolve(prefix string, elem bool) string {
	switch {
	case prefix == "xmlns", prefix == "" && !elem:
		return prefix
	case prefix == "xml":
		prefix = xmlNamespace
	}
	for k := len(p.ns) - 1; k >= 0; k-- {
		if p.ns[k].prefix == prefix {
			return p.ns[k].uri
		}
	}
	if prefix == "" {
		return ""
	}
	return prefix
}

// element reads one element, its start tag at p.i, at nesting depth.
func (p *plainParser) element(depth int) (*element, bool) {
	if depth >= maxDepth {
		return nil, false
	}
	p.i++ // '<'
	prefix, local, ok := p.name()
	if !ok {
		return nil, false
	}
	scope := len(p.ns)
	defer func() { p.ns = p.ns[:scope] }()
	attrs, empty, ok := p.attributes()
	if !ok {
		return nil, false
	}
	e := &element{Name: local}
	if prefix == "" && local == "xmlns" {
		e.Space = ""
	} else {
		e.Space = p.resolve(prefix, true)
	}
	for _, a := range attrs {
		if a.prefix == "xmlns" || a.prefix == "" && a.local == "xmlns" {
			continue
		}
		e.Attrs = append(e.Attrs, xmlAttr(p.resolve(a.prefix, false), a.local, a.value))
	}
	if empty {
		return e, true
	}
	if !p.content(e, prefix, local, depth) {
		return nil, false
	}
	return e, true
}

// plainAttr is an attribute as written, its prefix not yet resolved.
type plainAttr struct{ prefix, local, value string }

// attributes reads the rest of a start tag, through its '>' or "/>"
// (empty), and brings the namespaces it declares into scope.
func (p *plainParser) attributes() (attrs []plainAttr, empty, ok bool) {
	for {
		sp := p.i
		p.blank()
		if p.i >= len(p.b) {
			return nil, false, false
		}
		switch p.b[p.i] {
		case '>':
			p.i++
			return attrs, false, true
		case '/':
			if p.i+1 >= len(p.b) || p.b[p.i+1] != '>' {
				return nil, false, false
			}
			p.i += 2
			return attrs, true, true
		}
		if p.i == sp {
			return nil, false, false // attributes are apart
		}
		a, ok := p.attribute()
		if !ok {
			return nil, false, false
		}
		attrs = append(attrs, a)
		switch {
		case a.prefix == "xmlns":
			p.ns = append(p.ns, nsBinding{a.local, a.value})
		case a.prefix == "" && a.local == "xmlns":
			p.ns = append(p.ns, nsBinding{"", a.value})
		}
	}
}

// attribute reads name="value" (or in single quotes) at p.i.
func (p *plainParser) attribute() (plainAttr, bool) {
	ap, al, ok := p.name()
	if !ok {
		return plainAttr{}, false
	}
	p.blank()
	if p.i >= len(p.b) || p.b[p.i] != '=' {
		return plainAttr{}, false
	}
	p.i++
	p.blank()
	if p.i >= len(p.b) || p.b[p.i] != '"' && p.b[p.i] != '\'' {
		return plainAttr{}, false
	}
	q := p.b[p.i]
	p.i++
	end := p.i
	for end < len(p.b) && p.b[end] != q {
		if p.b[end] == '<' {
			return plainAttr{}, false
		}
		end++
	}
	if end >= len(p.b) {
		return plainAttr{}, false
	}
	v, ok := p.unescape(p.b[p.i:end])
	if !ok {
		return plainAttr{}, false
	}
	p.i = end + 1
	return plainAttr{ap, al, v}, true
}

// content reads e's text and child elements after its start tag, through
// its end tag, which must name prefix:local.
func (p *plainParser) content(e *element, prefix, local string, depth int) bool {
	var text []byte
	for {
		start := p.i
		for p.i < len(p.b) && p.b[p.i] != '<' {
			if p.b[p.i] == '>' && p.i >= start+2 && p.b[p.i-1] == ']' && p.b[p.i-2] == ']' {
				return false // "]]>" outside CDATA
			}
			p.i++
		}
		if p.i > start {
			v, ok := p.unescapeBytes(p.b[start:p.i])
			if !ok {
				return false
			}
			text = append(text, v...)
		}
		if p.i+1 >= len(p.b) {
			return false
		}
		if p.b[p.i+1] != '/' {
			if p.b[p.i+1] == '!' || p.b[p.i+1] == '?' {
				return false
			}
			k, ok := p.element(depth + 1)
			if !ok {
				return false
			}
			e.Kids = append(e.Kids, k)
			continue
		}
		p.i += 2
		ep, el, ok := p.name()
		if !ok || ep != prefix || el != local {
			return false
		}
		p.blank()
		if p.i >= len(p.b) || p.b[p.i] != '>' {
			return false
		}
		p.i++
		e.Text = string(text)
		return true
	}
}

func xmlAttr(space, local, value string) xml.Attr {
	return xml.Attr{Name: xml.Name{Space: space, Local: local}, Value: value}
}

// unescape is unescapeBytes as a string.
func (p *plainParser) unescape(b []byte) (string, bool) {
	v, ok := p.unescapeBytes(b)
	return string(v), ok
}

// unescapeBytes replaces the predefined entities and character references
// in b (into scratch space valid until the next call); false for any
// other entity.
func (p *plainParser) unescapeBytes(b []byte) ([]byte, bool) {
	amp := bytes.IndexByte(b, '&')
	if amp < 0 {
		return b, true
	}
	out := append(p.txt[:0], b[:amp]...)
	for i := amp; i < len(b); {
		if b[i] != '&' {
			out = append(out, b[i])
			i++
			continue
		}
		semi := bytes.IndexByte(b[i:min(len(b), i+12)], ';')
		if semi < 0 {
			return nil, false
		}
		ref := b[i+1 : i+semi]
		i += semi + 1
		if c, ok := predefinedEntities[string(ref)]; ok {
			out = append(out, c)
			continue
		}
		r, ok := charRef(string(ref))
		if !ok {
			return nil, false
		}
		out = utf8.AppendRune(out, r)
	}
	p.txt = out
	return out, true
}

// predefinedEntities are XML's five named entities.
var predefinedEntities = map[string]byte{"lt": '<', "gt": '>', "amp": '&', "apos": '\'', "quot": '"'}

// charRef reads "#123" or "#x7B" as the XML character it names.
func charRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if ref[1] == 'x' {
		base, digits = 16, ref[2:]
	}
	if digits == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || !isXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// xmlChars reports whether b is UTF-8 of XML characters with no carriage
// return (which encoding/xml's reader rewrites).
func xmlChars(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r == '\r' || !isXMLChar(r) {
			return false
		}
	}
	return true
}
