// Command ocisimgen writes broadworks/ocisim/schema.txt and versions.txt:
// the full content model (nested types included) of every request version
// the simulator implements (schema.txt) and of every older version it
// handles as one of those (versions.txt), read from the BroadWorks R25 XSD
// set.
//
// Usage (from broadworks/ocisim, through go generate):
//
//	go run ../internal/ocisimgen -newest schema.txt -o versions.txt
//
// The command names (schema.txt's unindented lines) and the "Name = Base"
// pairs (versions.txt's) are read from the existing files; their bodies are
// rewritten from the schema. To implement a further command, add its name
// on a line of its own to schema.txt and run go generate. The schema
// directory is taken from -schema, else $OCIP_SCHEMA_DIR, else
// ../shared/ocip-schema relative to the module root. Only element names, occurrences and data-type limits reach
// the output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"bwbulk/broadworks/internal/xsdtree"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ocisimgen: ")
	dirFlag := flag.String("schema", "", "directory holding OCISchemaAS.xsd (default $OCIP_SCHEMA_DIR or ../shared/ocip-schema from the module root)")
	out := flag.String("o", "versions.txt", "older versions' file (its Name = Base lines are kept)")
	newest := flag.String("newest", "", "implemented versions' file (its command names are kept); none when empty")
	flag.Parse()
	dir, err := xsdtree.Dir(*dirFlag)
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
	if *newest == "" {
		return
	}
	old, err = os.ReadFile(*newest)
	if err != nil {
		log.Fatal(err)
	}
	if b, err = generateNewest(s, commands(string(old))); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*newest, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// commands reads the command names of a schema file (its unindented
// lines), in order.
func commands(text string) []string {
	var ns []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimRight(line, " \r"); line == "" || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "#") {
			continue
		}
		ns = append(ns, line)
	}
	return ns
}

const newestHeader = `# Request content models the simulator validates, one command per unindented
# line, written by ocisimgen (go generate) from the BroadWorks R25 OCI-P
# schema (element order, required elements, occurrences, nillable flags and
# data-type limits). To implement a further command, add its name on a line
# of its own and run go generate ./broadworks/ocisim/.
#
#   name [occ] [nil] : type     a leaf: str MIN MAX | int MIN MAX | bool |
#                               enum A|B|C | dept (abstract DepartmentKey)
#   name [occ] [nil] :          a complex element; its content is indented
#   (seq) [occ] / (choice) [occ]  a model group; its particles are indented
#
# occ is ? (0..1) or MIN..MAX with * for unbounded; omitted means exactly once.
# "-" means no limit; a trailing =VALUE is a fixed value (e.g. bool =true).
# Service-name enumerations are kept as plain strings and checked against
# the group's authorised services instead.
`

// generateNewest writes the content models of the named commands.
func generateNewest(s *schema, names []string) ([]byte, error) {
	var b strings.Builder
	b.WriteString(newestHeader)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("%s is named twice", n)
		}
		seen[n] = true
		ct, ok := s.Complex[n]
		if !ok {
			return nil, fmt.Errorf("%s is not in the schema", n)
		}
		b.WriteString(n + "\n")
		g := &gen{s: s, b: &b}
		g.content(ct, 1, nil)
		if g.err != nil {
			return nil, fmt.Errorf("%s: %w", n, g.err)
		}
	}
	return []byte(b.String()), nil
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
		ct, ok := s.Complex[p.name]
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
	if cc := ct.Child("complexContent"); cc != nil {
		ext := cc.Child("extension")
		if ext == nil {
			ext = cc.Child("restriction")
		}
		if ext == nil {
			g.fail("complexContent without extension")
			return
		}
		base := xsdtree.Local(ext.Attr["base"])
		if base != "OCIRequest" && base != "OCIResponse" && base != "OCIDataResponse" {
			bt, ok := g.s.Complex[base]
			if !ok {
				g.fail("unknown base " + base)
				return
			}
			g.content(bt, depth, seen)
		}
		group = ext
	}
	for _, k := range group.Kids {
		switch k.Name {
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
			g.fail("unsupported " + k.Name)
		}
	}
}

func (g *gen) particles(grp *node, depth int, seen map[string]bool) {
	for _, k := range grp.Kids {
		switch k.Name {
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
			g.fail("unsupported " + k.Name)
		}
	}
}

func occ(n *node) string {
	lo, hi := n.Attr["minOccurs"], n.Attr["maxOccurs"]
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
	head := e.Attr["name"]
	if o := occ(e); o != "" {
		head += " " + o
	}
	if e.Attr["nillable"] == "true" {
		head += " nil"
	}
	fixed := ""
	if f, ok := e.Attr["fixed"]; ok {
		fixed = " =" + f
	}
	if ct := e.Child("complexType"); ct != nil {
		g.line(depth, head+" :")
		g.content(ct, depth+1, seen)
		return
	}
	if st := e.Child("simpleType"); st != nil {
		g.line(depth, head+" : "+g.simple(st)+fixed)
		return
	}
	t := e.Attr["type"]
	name := xsdtree.Local(t)
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
	if st, ok := g.s.Simple[name]; ok {
		g.line(depth, head+" : "+g.simple(st)+fixed)
		return
	}
	ct, ok := g.s.Complex[name]
	if !ok {
		g.fail("unknown type " + name)
		return
	}
	if ct.Attr["abstract"] == "true" {
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
		r := st.Child("restriction")
		if r == nil {
			g.fail("simple type without restriction")
			return "str - -"
		}
		for _, k := range r.Kids {
			v := k.Attr["value"]
			switch k.Name {
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
			for _, k := range r.Kids {
				if k.Name == "enumeration" {
					f.enum = append(f.enum, k.Attr["value"])
				}
			}
		}
		base := r.Attr["base"]
		if strings.HasPrefix(base, "xs:") {
			return builtin(xsdtree.Local(base), f)
		}
		st = g.s.Simple[xsdtree.Local(base)]
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

// node is one element of a schema document.
type node = xsdtree.Node

// schema is the set's named types.
type schema = xsdtree.Set

func loadSchema(dir string) (*schema, error) { return xsdtree.Load(dir) }
