// Command ocigen writes broadworks/oci/zz_generated.go: Go types for an
// allow-list of OCI-P commands, read from the BroadWorks R25 XSD set.
//
// Usage (from broadworks/oci, through go generate):
//
//	go run ../internal/ocigen -commands commands.txt -o zz_generated.go
//
// The schema directory is taken from -schema, else $OCIP_SCHEMA_DIR, else
// ../shared/ocip-schema relative to the module root. The schema is only read;
// nothing of it but type and element names reaches the output.
//
// Mapping rules:
//   - complexType sequence/choice/extension become struct fields in document
//     order, base type fields first; the field tag is the wire element name.
//   - named simple types become string, int, int64 or bool (enumerations and
//     patterns stay strings; the server validates them).
//   - an optional element becomes a pointer; inside a choice a string
//     alternative is a plain string with omitempty, so callers fill the
//     alternative they want and leave the others empty.
//   - a boolean element fixed to true is a presence flag: bool with
//     omitempty (isEnterprise, excludeReseller, unlimited).
//   - maxOccurs > 1 (or a repeated sequence) becomes a slice.
//   - nillable="true" becomes *Nillable[T], which can write xsi:nil="true".
//   - an abstract complex type used as an element type (DepartmentKey)
//     becomes an interface implemented by its concrete subtypes, which write
//     xsi:type; structs holding one get an UnmarshalXML that decodes by
//     xsi:type.
//   - OCITable becomes Table.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"

	"bwbulk/broadworks/internal/xsdtree"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("ocigen: ")
	schema := flag.String("schema", "", "directory holding OCISchemaAS.xsd (default $OCIP_SCHEMA_DIR or ../shared/ocip-schema from the module root)")
	commands := flag.String("commands", "commands.txt", "file listing the request names to generate, one a line")
	out := flag.String("o", "zz_generated.go", "output file")
	pkg := flag.String("pkg", "oci", "package name of the output")
	flag.Parse()

	dir, err := xsdtree.Dir(*schema)
	if err != nil {
		log.Fatal(err)
	}
	names, err := readList(*commands)
	if err != nil {
		log.Fatal(err)
	}
	s, err := loadSchema(dir)
	if err != nil {
		log.Fatal(err)
	}
	src, err := generate(s, names, *pkg)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

func readList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names = append(names, line)
	}
	return names, sc.Err()
}

// node is one element of a schema document.
type node = xsdtree.Node

// schema is the set's named types and, for each base type, the types that
// extend it.
type schema struct {
	*xsdtree.Set
	sub map[string][]string
}

func loadSchema(dir string) (*schema, error) {
	set, err := xsdtree.Load(dir)
	if err != nil {
		return nil, err
	}
	s := &schema{Set: set, sub: map[string][]string{}}
	for name, ct := range s.Complex {
		if b := baseOf(ct); b != "" {
			s.sub[b] = append(s.sub[b], name)
		}
	}
	for _, v := range s.sub {
		sort.Strings(v)
	}
	return s, nil
}

func baseOf(ct *node) string {
	if cc := ct.Child("complexContent"); cc != nil {
		if ext := cc.Child("extension"); ext != nil {
			return xsdtree.Local(ext.Attr["base"])
		}
	}
	return ""
}

// kinds of generated types.
const (
	kindStruct = iota
	kindInterface
)

type field struct {
	goName, xmlName, goType string
	omitempty               bool
	iface                   string // abstract type of an interface field ("" otherwise)
	slice                   bool
}

type gtype struct {
	name     string
	kind     int
	role     string // "request", "response" or ""
	file     string
	fields   []field
	impl     []string // interfaces implemented (abstract ancestors used as element types)
	concrete []string // for interfaces: implementing types
	anon     bool     // inline complexType of an element
}

type gen struct {
	s     *schema
	types map[string]*gtype
	queue []string
	anon  map[string]*node
	errs  []string
}

func generate(s *schema, names []string, pkg string) ([]byte, error) {
	g := &gen{s: s, types: map[string]*gtype{}, anon: map[string]*node{}}
	var cmds []string
	for _, n := range names {
		if _, ok := s.Complex[n]; !ok {
			return nil, fmt.Errorf("command %s is not in the schema", n)
		}
		cmds = append(cmds, n)
		if strings.Contains(n, "Request") {
			r := strings.Replace(n, "Request", "Response", 1)
			if _, ok := s.Complex[r]; ok {
				cmds = append(cmds, r)
			}
		}
	}
	for _, n := range cmds {
		g.need(n)
	}
	for len(g.queue) > 0 {
		n := g.queue[0]
		g.queue = g.queue[1:]
		g.build(n)
	}
	if len(g.errs) > 0 {
		return nil, errors.New(strings.Join(g.errs, "\n"))
	}
	for _, n := range cmds {
		if g.types[n].role == "" {
			return nil, fmt.Errorf("%s does not extend OCIRequest or OCIResponse", n)
		}
	}
	return g.emit(pkg, cmds)
}

func (g *gen) need(name string) {
	if _, ok := g.types[name]; ok {
		return
	}
	g.types[name] = &gtype{name: name}
	g.queue = append(g.queue, name)
}

func (g *gen) build(name string) {
	t := g.types[name]
	ct, ok := g.s.Complex[name]
	if !ok {
		ct, ok = g.anon[name]
		t.anon = true
		if !ok {
			g.errs = append(g.errs, "unknown complex type "+name)
			return
		}
	}
	t.file = g.s.File[name]
	if ct.Attr["abstract"] == "true" {
		t.kind = kindInterface
		var walk func(string)
		walk = func(b string) {
			for _, sub := range g.s.sub[b] {
				if g.s.Complex[sub].Attr["abstract"] != "true" {
					t.concrete = append(t.concrete, sub)
					g.need(sub)
				}
				walk(sub)
			}
		}
		walk(name)
		sort.Strings(t.concrete)
		for _, c := range t.concrete {
			g.types[c].impl = append(g.types[c].impl, name)
		}
		return
	}
	t.fields = g.fieldsOf(name, ct, t)
}

// fieldsOf returns the fields of a complex type, base type first.
func (g *gen) fieldsOf(owner string, ct *node, t *gtype) []field {
	var fs []field
	content := ct
	if cc := ct.Child("complexContent"); cc != nil {
		ext := cc.Child("extension")
		if ext == nil {
			g.errs = append(g.errs, owner+": complexContent without extension")
			return nil
		}
		switch b := xsdtree.Local(ext.Attr["base"]); b {
		case "OCIRequest":
			t.role = "request"
		case "OCIResponse", "OCIDataResponse":
			t.role = "response"
		default:
			bt, ok := g.s.Complex[b]
			if !ok {
				g.errs = append(g.errs, owner+": unknown base "+b)
				return nil
			}
			fs = append(fs, g.fieldsOf(owner, bt, t)...)
		}
		content = ext
	}
	for _, k := range content.Kids {
		switch k.Name {
		case "sequence", "choice":
			fs = append(fs, g.particle(owner, k, ctx{})...)
		case "annotation", "attribute":
		default:
			g.errs = append(g.errs, owner+": unhandled "+k.Name)
		}
	}
	// Keep the first of two alternatives that share an element name.
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if seen[f.xmlName] {
			continue
		}
		seen[f.xmlName] = true
		out = append(out, f)
	}
	return out
}

type ctx struct {
	optional, choice, multi bool
}

func repeated(n *node) bool {
	m := n.Attr["maxOccurs"]
	return m != "" && m != "1" && m != "0"
}

func (g *gen) particle(owner string, n *node, c ctx) []field {
	var fs []field
	switch n.Name {
	case "sequence", "choice":
		if n.Attr["minOccurs"] == "0" {
			c.optional = true
		}
		if repeated(n) {
			c.multi = true
		}
		if n.Name == "choice" {
			c.choice = true
		}
		for _, k := range n.Kids {
			fs = append(fs, g.particle(owner, k, c)...)
		}
	case "element":
		fs = append(fs, g.element(owner, n, c))
	case "annotation":
	default:
		g.errs = append(g.errs, owner+": unhandled particle "+n.Name)
	}
	return fs
}

func (g *gen) element(owner string, n *node, c ctx) field {
	name := n.Attr["name"]
	f := field{xmlName: name, goName: goName(name)}
	optional := c.optional || n.Attr["minOccurs"] == "0"
	multi := c.multi || repeated(n)
	base, kind := g.elemType(owner, n)
	switch {
	case kind == "iface":
		f.iface = base
		f.slice = multi
		if multi {
			f.goType = "[]" + base
		} else if n.Attr["nillable"] == "true" {
			f.goType = "*Nillable[" + base + "]"
			f.iface = ""
		} else {
			f.goType = base
		}
	case multi:
		f.goType = "[]" + base
	case n.Attr["nillable"] == "true":
		f.goType = "*Nillable[" + base + "]"
	case base == "bool" && n.Attr["fixed"] == "true":
		// A presence flag: the element may only say true.
		f.goType = "bool"
		f.omitempty = true
	case c.choice && base == "string":
		f.goType = "string"
		f.omitempty = true
	case optional || c.choice:
		f.goType = "*" + base
	default:
		f.goType = base
	}
	return f
}

// elemType returns the Go type of an element's content and its kind:
// "simple", "struct", "iface" or "table".
func (g *gen) elemType(owner string, n *node) (string, string) {
	if tn := n.Attr["type"]; tn != "" {
		return g.namedType(owner, tn)
	}
	if st := n.Child("simpleType"); st != nil {
		return g.simpleGo(owner, st), "simple"
	}
	if ct := n.Child("complexType"); ct != nil {
		name := owner + goName(n.Attr["name"])
		if _, dup := g.s.Complex[name]; dup {
			name += "Element"
		}
		g.anon[name] = ct
		g.need(name)
		return name, "struct"
	}
	g.errs = append(g.errs, owner+"."+n.Attr["name"]+": element without type")
	return "string", "simple"
}

func (g *gen) namedType(owner, qname string) (string, string) {
	if strings.HasPrefix(qname, "xs:") {
		return builtin(qname[3:]), "simple"
	}
	name := xsdtree.Local(qname)
	if name == "OCITable" {
		return "Table", "table"
	}
	if ct, ok := g.s.Complex[name]; ok {
		g.need(name)
		if ct.Attr["abstract"] == "true" {
			return name, "iface"
		}
		return name, "struct"
	}
	if st, ok := g.s.Simple[name]; ok {
		return g.simpleGo(owner, st), "simple"
	}
	g.errs = append(g.errs, owner+": unknown type "+qname)
	return "string", "simple"
}

func (g *gen) simpleGo(owner string, st *node) string {
	for depth := 0; depth < 32; depth++ {
		r := st.Child("restriction")
		if r == nil {
			// list or union: the wire form is text.
			return "string"
		}
		b := r.Attr["base"]
		if b == "" {
			if in := r.Child("simpleType"); in != nil {
				st = in
				continue
			}
			return "string"
		}
		if strings.HasPrefix(b, "xs:") {
			return builtin(b[3:])
		}
		next, ok := g.s.Simple[xsdtree.Local(b)]
		if !ok {
			g.errs = append(g.errs, owner+": unknown simple base "+b)
			return "string"
		}
		st = next
	}
	return "string"
}

func builtin(name string) string {
	switch name {
	case "int", "short", "byte", "unsignedShort", "unsignedByte", "integer", "positiveInteger", "nonNegativeInteger":
		return "int"
	case "long", "unsignedInt", "unsignedLong":
		return "int64"
	case "boolean":
		return "bool"
	}
	return "string"
}

var idRE = regexp.MustCompile(`Id([A-Z0-9]|$)`)

// goName exports an element name: first letter upper case and "Id" as a
// word written "ID" (userId → UserID, GroupId → GroupID).
func goName(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	return idRE.ReplaceAllString(s, "ID$1")
}

func (g *gen) emit(pkg string, cmds []string) ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("// Code generated by ocigen from the BroadWorks R25 OCI-P schema. DO NOT EDIT.\n\n")
	p("package %s\n\n", pkg)
	p("import (\n\t\"encoding/xml\"\n\t\"reflect\"\n)\n\n")

	isCmd := map[string]bool{}
	for _, c := range cmds {
		isCmd[c] = true
	}
	sortedCmds := append([]string(nil), cmds...)
	sort.Strings(sortedCmds)
	var others []string
	for n := range g.types {
		if !isCmd[n] {
			others = append(others, n)
		}
	}
	sort.Strings(others)

	p("func init() {\n")
	for _, c := range sortedCmds {
		p("\tRegister(%q, func() Command { return new(%s) })\n", c, c)
	}
	for _, n := range others {
		if t := g.types[n]; t.kind == kindInterface {
			p("\tregisterAbstract(reflect.TypeFor[%s](), decode%s)\n", n, n)
		}
	}
	p("}\n\n")

	// Compile-time checks that every type implements what it claims.
	p("var (\n")
	for _, c := range sortedCmds {
		if g.types[c].role == "request" {
			p("\t_ Request = (*%s)(nil)\n", c)
		} else {
			p("\t_ Response = (*%s)(nil)\n", c)
		}
	}
	for _, n := range others {
		for _, i := range g.types[n].impl {
			p("\t_ %s = (*%s)(nil)\n", i, n)
		}
	}
	p(")\n\n")

	for _, n := range append(sortedCmds, others...) {
		g.emitType(&b, g.types[n])
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), fmt.Errorf("gofmt: %w", err)
	}
	return src, nil
}

func (g *gen) emitType(b *bytes.Buffer, t *gtype) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	where := t.file
	if t.anon {
		where = "an element's inline type"
	}
	switch t.kind {
	case kindInterface:
		p("// %s is the abstract R25 type %s (%s). Its values are\n// ", t.name, t.name, where)
		for i, c := range t.concrete {
			if i > 0 {
				p(", ")
			}
			p("*%s", c)
		}
		p(";\n// each is written with its xsi:type.\n")
		p("type %s interface {\n\tXSIType() string\n\tis%s()\n}\n\n", t.name, t.name)
		p("func decode%s(d *xml.Decoder, start xml.StartElement) (any, error) {\n", t.name)
		p("\tvar v %s\n\tswitch xsiType(start) {\n", t.name)
		for _, c := range t.concrete {
			p("\tcase %q:\n\t\tv = new(%s)\n", c, c)
		}
		p("\tdefault:\n\t\treturn nil, unknownXSIType(%q, start)\n\t}\n", t.name)
		p("\tif err := d.DecodeElement(v, &start); err != nil {\n\t\treturn nil, err\n\t}\n\treturn v, nil\n}\n\n")
		return
	}
	switch t.role {
	case "request":
		p("// %s is the R25 request %s (%s).\n", t.name, t.name, where)
	case "response":
		p("// %s is the R25 response %s (%s).\n", t.name, t.name, where)
	default:
		p("// %s is the R25 type %s (%s).\n", t.name, t.name, where)
	}
	p("type %s struct {\n", t.name)
	for _, f := range t.fields {
		tag := f.xmlName
		if f.omitempty {
			tag += ",omitempty"
		}
		p("\t%s %s `xml:%q`\n", f.goName, f.goType, tag)
	}
	p("}\n\n")
	if t.role != "" {
		p("// OCIName returns %q.\nfunc (*%s) OCIName() string { return %q }\n", t.name, t.name, t.name)
		if t.role == "request" {
			p("func (*%s) isRequest() {}\n\n", t.name)
		} else {
			p("func (*%s) isResponse() {}\n\n", t.name)
		}
	}
	for _, i := range t.impl {
		p("// XSIType returns %q, written as xsi:type when the value stands for a %s.\n", t.name, i)
		p("func (*%s) XSIType() string { return %q }\nfunc (*%s) is%s() {}\n\n", t.name, t.name, t.name, i)
	}
	if len(t.impl) > 0 {
		p("// MarshalXML writes the element with xsi:type=%q.\n", t.name)
		p("func (x *%s) MarshalXML(e *xml.Encoder, start xml.StartElement) error {\n", t.name)
		p("\ttype plain %s\n\treturn e.EncodeElement((*plain)(x), withXSIType(start, %q))\n}\n\n", t.name, t.name)
	}
	var ifs []field
	for _, f := range t.fields {
		if f.iface != "" {
			ifs = append(ifs, f)
		}
	}
	if len(ifs) > 0 {
		p("// UnmarshalXML decodes the abstract-typed elements by their xsi:type.\n")
		p("func (x *%s) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {\n", t.name)
		p("\ttype plain %s\n\taux := struct {\n\t\t*plain\n", t.name)
		for _, f := range ifs {
			if f.slice {
				p("\t\t%s []abstractElem[%s] `xml:%q`\n", f.goName, f.iface, f.xmlName)
			} else {
				p("\t\t%s *abstractElem[%s] `xml:%q`\n", f.goName, f.iface, f.xmlName)
			}
		}
		p("\t}{plain: (*plain)(x)}\n")
		p("\tif err := d.DecodeElement(&aux, &start); err != nil {\n\t\treturn err\n\t}\n")
		for _, f := range ifs {
			if f.slice {
				p("\tx.%s = nil\n\tfor _, a := range aux.%s {\n\t\tx.%s = append(x.%s, a.V)\n\t}\n", f.goName, f.goName, f.goName, f.goName)
			} else {
				p("\tif aux.%s != nil {\n\t\tx.%s = aux.%s.V\n\t}\n", f.goName, f.goName, f.goName)
			}
		}
		p("\treturn nil\n}\n\n")
	}
}
