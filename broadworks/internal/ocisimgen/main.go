// Command ocisimgen writes broadworks/ocisim/versions.txt: the full content
// model of every older request version the simulator accepts, read from the
// BroadWorks R25 XSD set, in schema.txt's format (nested types included).
//
// Usage (from broadworks/ocisim, through go generate):
//
//	go run ../internal/ocisimgen -o versions.txt
//
// The "Name = Base" pairs are read from the existing output file; their
// bodies are rewritten from the schema. The schema directory is taken from
// -schema, else $OCIP_SCHEMA_DIR, else ../shared/ocip-schema relative to the
// module root. Only element names, occurrences and data-type limits reach
// the output.
package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ocisimgen: ")
	dirFlag := flag.String("schema", "", "directory holding OCISchemaAS.xsd (default $OCIP_SCHEMA_DIR or ../shared/ocip-schema from the module root)")
	out := flag.String("o", "versions.txt", "output file (its Name = Base lines are kept)")
	flag.Parse()
	dir, err := schemaDir(*dirFlag)
	if err != nil {
		log.Fatal(err)
	}
	old, err := os.ReadFile(*out)
	if err != nil {
		log.Fatal(err)
	}
	s, err := loadSchema(dir)
	if err != nil {
		log.Fatal(err)
	}
	b, err := generate(s, pairs(string(old)))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// pair is one older version and the version it is handled as.
type pair struct{ name, base string }

// pairs reads the "Name = Base" lines of a versions file, in order.
func pairs(text string) []pair {
	var ps []pair
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#") {
			continue
		}
		if n, b, ok := strings.Cut(line, " = "); ok {
			ps = append(ps, pair{strings.TrimSpace(n), strings.TrimSpace(b)})
		}
	}
	return ps
}

const header = `# Older versions of the requests the simulator implements: every deprecated
# version the BroadWorks R25 OCI-P schema still lists (OCISchemaDeprecated*.xsd)
# for a command in schema.txt, written by ocisimgen (go generate) from that
# schema in schema.txt's format, nested types included.
#
#   Name = Base     Name is handled as Base, the version schema.txt describes
#                   in full, and answered in Name's own response type
#                   (responses.txt).
#
# Every request is validated against its full content model before any
# business rule. User service names are kept as plain strings and checked
# against the schema's UserService enumeration (userservices.txt).
`

func generate(s *schema, ps []pair) ([]byte, error) {
	var b strings.Builder
	b.WriteString(header)
	for _, p := range ps {
		ct, ok := s.complex[p.name]
		if !ok {
			return nil, fmt.Errorf("%s is not in the schema", p.name)
		}
		fmt.Fprintf(&b, "%s = %s\n", p.name, p.base)
		g := &gen{s: s, b: &b}
		g.content(ct, 1, nil)
		if g.err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, g.err)
		}
	}
	return []byte(b.String()), nil
}

type gen struct {
	s   *schema
	b   *strings.Builder
	err error
}

func (g *gen) line(depth int, s string) {
	g.b.WriteString(strings.Repeat("  ", depth) + s + "\n")
}

// content writes a complex type's particles: its base type's first, then
// its own model group (a lone sequence is written flat).
func (g *gen) content(ct *node, depth int, seen map[string]bool) {
	group := ct
	if cc := ct.child("complexContent"); cc != nil {
		ext := cc.child("extension")
		if ext == nil {
			ext = cc.child("restriction")
		}
		if ext == nil {
			g.fail("complexContent without extension")
			return
		}
		base := local(ext.attr["base"])
		if base != "OCIRequest" && base != "OCIResponse" && base != "OCIDataResponse" {
			bt, ok := g.s.complex[base]
			if !ok {
				g.fail("unknown base " + base)
				return
			}
			g.content(bt, depth, seen)
		}
		group = ext
	}
	for _, k := range group.kids {
		switch k.name {
		case "sequence":
			if occ(k) == "" {
				g.particles(k, depth, seen)
			} else {
				g.line(depth, strings.TrimSpace("(seq) "+occ(k)))
				g.particles(k, depth+1, seen)
			}
		case "choice":
			g.line(depth, strings.TrimSpace("(choice) "+occ(k)))
			g.particles(k, depth+1, seen)
		case "annotation", "attribute":
		default:
			g.fail("unsupported " + k.name)
		}
	}
}

func (g *gen) particles(grp *node, depth int, seen map[string]bool) {
	for _, k := range grp.kids {
		switch k.name {
		case "element":
			g.element(k, depth, seen)
		case "sequence":
			g.line(depth, strings.TrimSpace("(seq) "+occ(k)))
			g.particles(k, depth+1, seen)
		case "choice":
			g.line(depth, strings.TrimSpace("(choice) "+occ(k)))
			g.particles(k, depth+1, seen)
		case "annotation":
		default:
			g.fail("unsupported " + k.name)
		}
	}
}

func occ(n *node) string {
	lo, hi := n.attr["minOccurs"], n.attr["maxOccurs"]
	if lo == "" {
		lo = "1"
	}
	if hi == "" {
		hi = "1"
	}
	switch {
	case lo == "1" && hi == "1":
		return ""
	case lo == "0" && hi == "1":
		return "?"
	case hi == "unbounded":
		return lo + "..*"
	}
	return lo + ".." + hi
}

func (g *gen) element(e *node, depth int, seen map[string]bool) {
	head := e.attr["name"]
	if o := occ(e); o != "" {
		head += " " + o
	}
	if e.attr["nillable"] == "true" {
		head += " nil"
	}
	fixed := ""
	if f, ok := e.attr["fixed"]; ok {
		fixed = " =" + f
	}
	if ct := e.child("complexType"); ct != nil {
		g.line(depth, head+" :")
		g.content(ct, depth+1, seen)
		return
	}
	if st := e.child("simpleType"); st != nil {
		g.line(depth, head+" : "+g.simple(st)+fixed)
		return
	}
	t := e.attr["type"]
	name := local(t)
	if strings.HasPrefix(t, "xs:") || strings.HasPrefix(t, "xsd:") {
		g.line(depth, head+" : "+builtin(name, facets{})+fixed)
		return
	}
	if name == "DepartmentKey" {
		g.line(depth, head+" : dept")
		return
	}
	if name == "UserService" {
		g.line(depth, head+" : str 1 80")
		return
	}
	if st, ok := g.s.simple[name]; ok {
		g.line(depth, head+" : "+g.simple(st)+fixed)
		return
	}
	ct, ok := g.s.complex[name]
	if !ok {
		g.fail("unknown type " + name)
		return
	}
	if ct.attr["abstract"] == "true" {
		g.fail("abstract type " + name)
		return
	}
	if seen[name] {
		g.fail("recursive type " + name)
		return
	}
	next := map[string]bool{name: true}
	for k := range seen {
		next[k] = true
	}
	g.line(depth, head+" :")
	g.content(ct, depth+1, next)
}

type facets struct {
	minLen, maxLen, minVal, maxVal string
	enum                           []string
}

// simple renders a simple type, following its restriction chain; the
// nearest facet wins.
func (g *gen) simple(st *node) string {
	var f facets
	for st != nil {
		r := st.child("restriction")
		if r == nil {
			g.fail("simple type without restriction")
			return "str - -"
		}
		for _, k := range r.kids {
			v := k.attr["value"]
			switch k.name {
			case "minLength":
				if f.minLen == "" {
					f.minLen = v
				}
			case "maxLength":
				if f.maxLen == "" {
					f.maxLen = v
				}
			case "length":
				if f.minLen == "" {
					f.minLen = v
				}
				if f.maxLen == "" {
					f.maxLen = v
				}
			case "minInclusive":
				if f.minVal == "" {
					f.minVal = v
				}
			case "maxInclusive":
				if f.maxVal == "" {
					f.maxVal = v
				}
			}
		}
		if len(f.enum) == 0 {
			for _, k := range r.kids {
				if k.name == "enumeration" {
					f.enum = append(f.enum, k.attr["value"])
				}
			}
		}
		base := r.attr["base"]
		if strings.HasPrefix(base, "xs:") {
			return builtin(local(base), f)
		}
		st = g.s.simple[local(base)]
		if st == nil {
			g.fail("unknown simple type " + base)
			return "str - -"
		}
	}
	return "str - -"
}

func builtin(name string, f facets) string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	if len(f.enum) > 0 {
		return "enum " + strings.Join(f.enum, "|")
	}
	switch name {
	case "boolean":
		return "bool"
	case "int", "integer", "long", "short", "nonNegativeInteger", "positiveInteger", "unsignedInt":
		lo := f.minVal
		if lo == "" {
			switch name {
			case "nonNegativeInteger", "unsignedInt":
				lo = "0"
			case "positiveInteger":
				lo = "1"
			}
		}
		return "int " + dash(lo) + " " + dash(f.maxVal)
	}
	return "str " + dash(f.minLen) + " " + dash(f.maxLen)
}

func (g *gen) fail(msg string) {
	if g.err == nil {
		g.err = errors.New(msg)
	}
}

func schemaDir(flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	if d := os.Getenv("OCIP_SCHEMA_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "ocip-schema"), nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above " + wd + "; set OCIP_SCHEMA_DIR")
		}
	}
}

// node is one element of a schema document.
type node struct {
	name string
	attr map[string]string
	kids []*node
}

func (n *node) child(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

type schema struct {
	complex map[string]*node
	simple  map[string]*node
}

func loadSchema(dir string) (*schema, error) {
	s := &schema{complex: map[string]*node{}, simple: map[string]*node{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xsd"))
	more, _ := filepath.Glob(filepath.Join(dir, "Services", "*.xsd"))
	files = append(files, more...)
	if len(files) == 0 {
		return nil, fmt.Errorf("no .xsd files in %s", dir)
	}
	for _, f := range files {
		root, err := parseFile(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, k := range root.kids {
			switch k.name {
			case "complexType":
				s.complex[k.attr["name"]] = k
			case "simpleType":
				s.simple[k.attr["name"]] = k
			}
		}
	}
	return s, nil
}

func parseFile(path string) (*node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attr: map[string]string{}}
			for _, a := range t.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		return nil, errors.New("empty schema")
	}
	return root, nil
}

func local(qname string) string {
	if i := strings.IndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}
