package wizard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template is a parsed text with odin-style tags: "{{ first name | lower
// }}.{{ index | pad 3 }}". A tag names a column ("first name", "userId",
// "phone number", ...) or one of the specials index, domain, user name
// (the part of the user id before '@'), group id, group name, service
// provider id (also enterprise id), service provider name. Filters, applied
// left to right:
//
//	pad N     left-pad with zeros to N characters
//	last N    keep the last N characters
//	first N   keep the first N characters
//	add N     add N to a number (keeps its width)
//	lower     lower-case
//	upper     upper-case
//	title     upper-case the first letter of each word
//	trim      drop leading and trailing spaces
//	digits    keep digits only
//	nospace   drop spaces
//
// A Template is immutable and safe for concurrent use.
type Template struct {
	src   string
	parts []tplPart
}

type tplPart struct {
	lit string
	tag *tagRef // nil for a literal
}

type tagKind int

const (
	tagColumn tagKind = iota
	tagIndex
	tagDomain
	tagUserName
	tagGroupID
	tagGroupName
	tagSPID
	tagSPName
)

type tagRef struct {
	name    string
	kind    tagKind
	col     Column
	filters []tplFilter
	pos     int // 1-based character position of "{{"
}

type filterKind int

const (
	fPad filterKind = iota
	fLast
	fFirst
	fAdd
	fLower
	fUpper
	fTitle
	fTrim
	fDigits
	fNoSpace
)

type tplFilter struct {
	kind filterKind
	n    int
}

var filterNames = map[string]struct {
	kind   filterKind
	hasArg bool
}{
	"pad": {fPad, true}, "last": {fLast, true}, "first": {fFirst, true}, "add": {fAdd, true},
	"lower": {fLower, false}, "upper": {fUpper, false}, "title": {fTitle, false},
	"trim": {fTrim, false}, "digits": {fDigits, false}, "nospace": {fNoSpace, false},
}

var specialTags = map[string]tagKind{
	"index": tagIndex, "n": tagIndex, "row": tagIndex,
	"domain": tagDomain, "userdomain": tagDomain,
	"username": tagUserName, "userpart": tagUserName, "user": tagUserName,
	"groupid": tagGroupID, "group": tagGroupID,
	"groupname":       tagGroupName,
	"serviceprovider": tagSPID, "serviceproviderid": tagSPID, "spid": tagSPID,
	"enterprise": tagSPID, "enterpriseid": tagSPID,
	"serviceprovidername": tagSPName, "enterprisename": tagSPName,
	"number": tagColumn, // resolved below to phone number
}

// TemplateError is a template syntax, unknown-tag or cycle error. Pos is the
// 1-based character position in the template (0 when not applicable);
// Field, when set, is the wizard field holding the template.
type TemplateError struct {
	Field Field
	Pos   int
	Msg   string
}

// Error formats the error with its position.
func (e *TemplateError) Error() string {
	var b strings.Builder
	b.WriteString("template")
	if e.Field != "" {
		b.WriteString(" " + string(e.Field))
	}
	if e.Pos > 0 {
		fmt.Fprintf(&b, " at position %d", e.Pos)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Unwrap returns ErrBadTemplate.
func (e *TemplateError) Unwrap() error { return ErrBadTemplate }

// maxFilterArg bounds numeric filter arguments (pad 1000000 would be a
// memory bomb).
const maxFilterArg = 200

// ParseTemplate parses s. Text outside "{{ }}" is literal; an unclosed
// "{{", an empty tag, an unknown tag or filter, or a bad filter argument is
// a *TemplateError with the position.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{src: s}
	rest := s
	base := 0 // characters of s before rest
	var lit strings.Builder
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			lit.WriteString(rest)
			break
		}
		lit.WriteString(rest[:i])
		pos := base + utf8.RuneCountInString(rest[:i]) + 1
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return nil, &TemplateError{Pos: pos, Msg: `unclosed "{{"`}
		}
		body := rest[i+2 : i+2+j]
		if strings.Contains(body, "{{") {
			return nil, &TemplateError{Pos: pos, Msg: `unclosed "{{"`}
		}
		tag, err := parseTag(body, pos)
		if err != nil {
			return nil, err
		}
		if lit.Len() > 0 {
			t.parts = append(t.parts, tplPart{lit: lit.String()})
			lit.Reset()
		}
		t.parts = append(t.parts, tplPart{tag: tag})
		adv := i + 2 + j + 2
		base += utf8.RuneCountInString(rest[:adv])
		rest = rest[adv:]
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, tplPart{lit: lit.String()})
	}
	return t, nil
}

// MustParseTemplate is ParseTemplate that panics, for constants in tests.
func MustParseTemplate(s string) *Template {
	t, err := ParseTemplate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func parseTag(body string, pos int) (*tagRef, error) {
	segs := strings.Split(body, "|")
	name := strings.Join(strings.Fields(segs[0]), " ")
	if name == "" {
		return nil, &TemplateError{Pos: pos, Msg: "empty tag"}
	}
	tag := &tagRef{name: name, pos: pos}
	key := normHeader(name)
	if k, ok := specialTags[key]; ok && key != "number" {
		tag.kind = k
	} else if key == "number" {
		tag.kind, tag.col = tagColumn, ColPhoneNumber
	} else if c, ok := ParseColumn(name); ok {
		if c == ColPassword {
			return nil, &TemplateError{Pos: pos, Msg: "tag \"password\" cannot be used: passwords are secret"}
		}
		tag.kind, tag.col = tagColumn, c
	} else {
		return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("unknown tag %q", name)}
	}
	for _, seg := range segs[1:] {
		f := strings.Fields(seg)
		if len(f) == 0 {
			return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("empty filter in tag %q", name)}
		}
		spec, ok := filterNames[strings.ToLower(f[0])]
		if !ok {
			return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("unknown filter %q in tag %q", f[0], name)}
		}
		flt := tplFilter{kind: spec.kind}
		switch {
		case spec.hasArg && len(f) != 2:
			return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("filter %q needs one number", f[0])}
		case !spec.hasArg && len(f) != 1:
			return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("filter %q takes no argument", f[0])}
		case spec.hasArg:
			n, err := strconv.Atoi(f[1])
			lo := 1
			if spec.kind == fAdd {
				lo = -1_000_000
			}
			hi := maxFilterArg
			if spec.kind == fAdd {
				hi = 1_000_000
			}
			if err != nil || n < lo || n > hi {
				return nil, &TemplateError{Pos: pos, Msg: fmt.Sprintf("filter %q: bad number %q (want %d..%d)", f[0], f[1], lo, hi)}
			}
			flt.n = n
		}
		tag.filters = append(tag.filters, flt)
	}
	return tag, nil
}

// String returns the template source.
func (t *Template) String() string { return t.src }

// canonical re-renders the template in normal form: tags as "{{ name |
// filter n }}". Parsing the canonical form gives the same template.
func (t *Template) canonical() string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.tag == nil {
			b.WriteString(p.lit)
			continue
		}
		b.WriteString("{{ " + p.tag.name)
		for _, f := range p.tag.filters {
			for n, spec := range filterNames {
				if spec.kind == f.kind {
					b.WriteString(" | " + n)
					if spec.hasArg {
						b.WriteString(" " + strconv.Itoa(f.n))
					}
				}
			}
		}
		b.WriteString(" }}")
	}
	return b.String()
}

// Deps returns the columns the template's tags read (user name reads the
// user id). Duplicates are kept out.
func (t *Template) deps() []tagDep {
	var out []tagDep
	for _, p := range t.parts {
		if p.tag == nil {
			continue
		}
		c := ColNone
		switch p.tag.kind {
		case tagColumn:
			c = p.tag.col
		case tagUserName, tagDomain:
			c = ColUserID
		}
		if c != ColNone {
			out = append(out, tagDep{c, p.tag.pos})
		}
	}
	return out
}

type tagDep struct {
	col Column
	pos int
}

// Env is what a template reads while rendering one row.
type Env struct {
	Index             int
	Row               *Row
	Domain            string // user id domain when the user id has none yet
	GroupID           string
	GroupName         string
	ServiceProviderID string
	ServiceProvider   string // name

	buf []byte // reused between renders
}

// Render expands the template for one row. Tags read env.Row; the only
// render error is a non-numeric value given to "add".
func (t *Template) Render(env *Env) (string, error) {
	if len(t.parts) == 1 && t.parts[0].tag == nil {
		return t.parts[0].lit, nil
	}
	if len(t.parts) == 1 && len(t.parts[0].tag.filters) == 0 {
		return t.parts[0].tag.value(env), nil // "{{ user id }}": no copy
	}
	b := env.buf[:0]
	for _, p := range t.parts {
		if p.tag == nil {
			b = append(b, p.lit...)
			continue
		}
		v := p.tag.value(env)
		var err error
		for _, f := range p.tag.filters {
			if v, err = f.apply(v); err != nil {
				env.buf = b
				return "", &TemplateError{Pos: p.tag.pos, Msg: fmt.Sprintf("tag %q: %v", p.tag.name, err)}
			}
		}
		b = append(b, v...)
	}
	env.buf = b
	return string(b), nil
}

func (tg *tagRef) value(env *Env) string {
	switch tg.kind {
	case tagIndex:
		return strconv.Itoa(env.Index)
	case tagDomain:
		if env.Row != nil {
			if _, d, ok := strings.Cut(env.Row.Get(ColUserID), "@"); ok {
				return d
			}
		}
		return env.Domain
	case tagUserName:
		if env.Row == nil {
			return ""
		}
		u, _, _ := strings.Cut(env.Row.Get(ColUserID), "@")
		return u
	case tagGroupID:
		return env.GroupID
	case tagGroupName:
		return env.GroupName
	case tagSPID:
		return env.ServiceProviderID
	case tagSPName:
		return env.ServiceProvider
	}
	if env.Row == nil {
		return ""
	}
	return env.Row.Get(tg.col)
}

var errNotNumber = errors.New("add needs a number")

func (f tplFilter) apply(v string) (string, error) {
	switch f.kind {
	case fPad:
		if n := utf8.RuneCountInString(v); n < f.n {
			b := make([]byte, f.n-n, f.n-n+len(v))
			for i := range b {
				b[i] = '0'
			}
			return string(append(b, v...)), nil
		}
	case fLast:
		if r := []rune(v); len(r) > f.n {
			return string(r[len(r)-f.n:]), nil
		}
	case fFirst:
		if r := []rune(v); len(r) > f.n {
			return string(r[:f.n]), nil
		}
	case fAdd:
		if v == "" || len(v) > 18 || strings.TrimLeft(v, "0123456789") != "" {
			return "", errNotNumber
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		n += int64(f.n)
		if n < 0 {
			return "", fmt.Errorf("add gives a negative number")
		}
		s := strconv.FormatInt(n, 10)
		if len(s) < len(v) {
			s = strings.Repeat("0", len(v)-len(s)) + s
		}
		return s, nil
	case fLower:
		return strings.ToLower(v), nil
	case fUpper:
		return strings.ToUpper(v), nil
	case fTitle:
		r := []rune(v)
		prev := ' '
		for i, c := range r {
			if unicode.IsSpace(prev) || prev == '-' {
				r[i] = unicode.ToUpper(c)
			}
			prev = c
		}
		return string(r), nil
	case fTrim:
		return strings.TrimSpace(v), nil
	case fDigits:
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, v), nil
	case fNoSpace:
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, v), nil
	}
	return v, nil
}
