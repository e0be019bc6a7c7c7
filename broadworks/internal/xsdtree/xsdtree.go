// Package xsdtree reads a BroadWorks OCI-P XSD set into element trees: the
// common front of the generators that write Go types (ocigen) and the
// simulator's content models (ocisimgen) from the schema. Only the tree is
// kept; what to make of it is each generator's.
package xsdtree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"bwbulk/internal/ocinames"
)

// Node is one element of a schema document.
type Node struct {
	Name string            // the element's local name: complexType, sequence, element…
	Attr map[string]string // its attributes by local name
	Kids []*Node
}

// Child returns the first child named name, or nil.
func (n *Node) Child(name string) *Node {
	for _, k := range n.Kids {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Set is the named types of a schema set.
type Set struct {
	Complex map[string]*Node
	Simple  map[string]*Node
	File    map[string]string // type name → the file defining it, relative to the set's folder
}

// Dir returns the folder of the R25 set: flagDir when given, else
// $OCIP_SCHEMA_DIR, else ../shared/ocip-schema beside the module
// (ocinames.SchemaDir).
func Dir(flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	dir, ok := ocinames.SchemaDir(25)
	if !ok {
		return "", fmt.Errorf("no OCISchemaAS.xsd in %s; set OCIP_SCHEMA_DIR", dir)
	}
	return dir, nil
}

// Load reads the top-level complex and simple types of the .xsd files in
// dir and its Services folder.
func Load(dir string) (*Set, error) {
	s := &Set{Complex: map[string]*Node{}, Simple: map[string]*Node{}, File: map[string]string{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xsd"))
	more, _ := filepath.Glob(filepath.Join(dir, "Services", "*.xsd"))
	files = append(files, more...)
	if len(files) == 0 {
		return nil, fmt.Errorf("no .xsd files in %s", dir)
	}
	for _, f := range files {
		root, err := Parse(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		rel, _ := filepath.Rel(dir, f)
		for _, k := range root.Kids {
			name := k.Attr["name"]
			switch k.Name {
			case "complexType":
				s.Complex[name] = k
			case "simpleType":
				s.Simple[name] = k
			default:
				continue
			}
			s.File[name] = filepath.ToSlash(rel)
		}
	}
	return s, nil
}

// Parse reads one schema document into its tree.
func Parse(path string) (*Node, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*Node
	var root *Node
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
			n := &Node{Name: t.Name.Local, Attr: map[string]string{}}
			for _, a := range t.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Kids = append(p.Kids, n)
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

// Local returns a QName without its prefix: "core:OCIRequest" → "OCIRequest".
func Local(qname string) string {
	if i := strings.IndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}
