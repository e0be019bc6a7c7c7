package ocisim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

const (
	nsXSI = "http://www.w3.org/2001/XMLSchema-instance"
	nsC   = "C"
)

// element is one node of a parsed request: a generic tree, independent of any
// command's Go shape.
type element struct {
	Name  string // local name
	Space string // resolved namespace URI
	Attrs []xml.Attr
	Text  string // character data directly inside the element
	Kids  []*element
}

// attr returns the value of the attribute with the given local name and
// namespace ("" for unqualified).
func (e *element) attr(space, local string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// xsiType returns the local part of xsi:type (the prefix stripped).
func (e *element) xsiType() string {
	v, _ := e.attr(nsXSI, "type")
	if i := strings.IndexByte(v, ':'); i >= 0 {
		return v[i+1:]
	}
	return v
}

func (e *element) isNil() bool {
	v, _ := e.attr(nsXSI, "nil")
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}

// child returns the first child with the given name, or nil.
func (e *element) child(name string) *element {
	if e == nil {
		return nil
	}
	for _, k := range e.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// children returns every child with the given name.
func (e *element) children(name string) []*element {
	if e == nil {
		return nil
	}
	var out []*element
	for _, k := range e.Kids {
		if k.Name == name {
			out = append(out, k)
		}
	}
	return out
}

// val returns the (validated, whitespace-collapsed) text of the named child,
// or "" when it is absent or nil.
func (e *element) val(name string) string {
	c := e.child(name)
	if c == nil || c.isNil() {
		return ""
	}
	return c.Text
}

// has reports whether the named child is present (nil or not).
func (e *element) has(name string) bool { return e.child(name) != nil }

// vals returns the text of every named child.
func (e *element) vals(name string) []string {
	var out []string
	for _, c := range e.children(name) {
		out = append(out, c.Text)
	}
	return out
}

// maxDepth bounds nesting so a hostile document cannot exhaust the stack.
const maxDepth = 64

// utf8BOM is the byte-order mark real servers accept before a document.
var utf8BOM = []byte("\xef\xbb\xbf")

// parseDocument parses one XML document into an element tree. It honours
// the declared encoding (UTF-8, ISO-8859-1 and US-ASCII). Plain XML (see
// plainTree) is read by the simulator's own reader; anything else, and
// anything that reader refuses, by encoding/xml's, so that a refusal is
// worded as it always was.
func parseDocument(doc []byte) (*element, error) {
	doc = bytes.TrimPrefix(doc, utf8BOM)
	if body, ok := plainDocument(doc); ok {
		if root, ok := plainTree(body); ok {
			return root, nil
		}
	}
	return parseDocumentXML(doc)
}

// parseDocumentXML is parseDocument with encoding/xml's reader only.
func parseDocumentXML(doc []byte) (*element, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = charsetReader
	return buildTree(d)
}

// plainDocument returns what follows doc's XML declaration in UTF-8 for
// plainTree: as it is, or converted from ISO-8859-1 as the declaration
// says. It refuses what encoding/xml's reader would read differently: a
// declaration not in ASCII, of another version or naming another
// encoding, a further processing instruction (a second declaration
// switches encoding/xml's reader to its encoding).
func plainDocument(doc []byte) ([]byte, bool) {
	rest, enc := doc, ""
	if bytes.HasPrefix(doc, []byte("<?xml")) && len(doc) > 5 && (doc[5] == '?' || doc[5] == ' ' || doc[5] == '\t' || doc[5] == '\n' || doc[5] == '\r') {
		end := bytes.Index(doc, []byte("?>"))
		if end < 0 {
			return nil, false
		}
		decl := doc[:end]
		for _, c := range decl {
			if c >= utf8.RuneSelf {
				return nil, false
			}
		}
		if v := declParam("version", string(decl)); v != "" && v != "1.0" {
			return nil, false
		}
		enc = declParam("encoding", string(decl))
		rest = doc[end+2:]
	}
	if bytes.Contains(rest, []byte("<?")) {
		return nil, false
	}
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return rest, true
	}
	switch charsetOf(enc) {
	case "latin1":
		return appendLatin1(make([]byte, 0, len(rest)+len(rest)/8), rest), true
	case "ascii":
		return rest, true
	}
	return nil, false
}

// declParam reads param="…" (or '…') in an XML declaration as
// encoding/xml's reader does: the first occurrence of param= followed by
// a quote, anywhere in it.
func declParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// buildTree reads the tokens of d into an element tree.
func buildTree(d *xml.Decoder) (*element, error) {
	var root *element
	var stack []*element
	var text [][]byte // character data of each open element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("document nested deeper than %d elements", maxDepth)
			}
			e := &element{Name: t.Name.Local, Space: t.Name.Space}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				e.Attrs = append(e.Attrs, a)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = e
			} else {
				p := stack[len(stack)-1]
				p.Kids = append(p.Kids, e)
			}
			stack = append(stack, e)
			text = append(text, nil)
		case xml.EndElement:
			e := stack[len(stack)-1]
			e.Text = string(text[len(text)-1])
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	if len(stack) != 0 {
		return nil, errors.New("unclosed element")
	}
	return root, nil
}

// charsetOf names the charset of an encoding label the simulator reads:
// "latin1", "ascii", or "" for any other.
func charsetOf(label string) string {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1", "cp819", "windows-1252":
		return "latin1"
	case "us-ascii", "ascii":
		return "ascii"
	}
	return ""
}

func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch charsetOf(label) {
	case "latin1":
		return &latin1Reader{r: r}, nil
	case "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// latin1Reader converts ISO-8859-1 bytes to UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 4096)
		}
		n, err := l.r.Read(l.buf[:len(p)/2+1])
		l.out = appendLatin1(l.out, l.buf[:n])
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}

// appendLatin1 appends the ISO-8859-1 text b to dst in UTF-8.
func appendLatin1(dst, b []byte) []byte {
	for _, c := range b {
		dst = utf8.AppendRune(dst, rune(c))
	}
	return dst
}
