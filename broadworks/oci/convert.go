package oci

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Convert copies c into a new command of type name (another version of
// the same command), element by element: what both versions have keeps
// its value, what name lacks is dropped, and what only name has stays
// empty. An element one version writes as text and the other as a
// structure (contact: SIPContact in R21, SIPContactInfo {sipContact} from
// R22) carries over as its first text. It is how one version is read as
// another.
func Convert(c Command, name string) (Command, error) {
	if c.OCIName() == name {
		return c, nil
	}
	c, err := unstored(c)
	if err != nil {
		return nil, fmt.Errorf("oci: convert to %s: %w", name, err)
	}
	out, ok := New(name)
	if !ok {
		return nil, &UnknownTypeError{Type: name}
	}
	b, err := xml.Marshal(c)
	if err == nil {
		b, err = reshape(b, reflect.TypeOf(out))
	}
	if err == nil {
		err = xml.Unmarshal(b, out)
	}
	if err != nil {
		return nil, fmt.Errorf("oci: convert %s to %s: %w", c.OCIName(), name, err)
	}
	return out, nil
}

// reshape rewrites doc for the target type t: an element t holds as text
// but doc writes with child elements keeps only its first text.
func reshape(doc []byte, t reflect.Type) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	var stack []reflect.Type
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			var ft reflect.Type
			if len(stack) == 0 {
				ft = plainType(t)
			} else if parent := stack[len(stack)-1]; parent != nil {
				ft = fieldType(parent, tk.Name.Local)
			}
			if ft != nil && ft.Kind() == reflect.String {
				text, err := firstText(d)
				if err != nil {
					return nil, err
				}
				if err := e.EncodeElement(text, tk); err != nil {
					return nil, err
				}
				continue
			}
			stack = append(stack, ft)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
		if err := e.EncodeToken(xml.CopyToken(tok)); err != nil {
			return nil, err
		}
	}
	if err := e.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// firstText consumes the rest of the current element and returns its
// first non-blank text, at any depth.
func firstText(d *xml.Decoder) (string, error) {
	text, depth := "", 1
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(tk)); s != "" && text == "" {
				text = string(tk)
			}
		}
	}
	return text, nil
}

// plainType strips pointers, slices and Nillable to the element's type;
// nil for an abstract (interface) type.
func plainType(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice:
			t = t.Elem()
			continue
		case reflect.Interface:
			return nil
		case reflect.Struct:
			if strings.HasPrefix(t.Name(), "Nillable[") {
				if f, ok := t.FieldByName("Value"); ok {
					t = f.Type
					continue
				}
			}
		}
		return t
	}
}

// fieldType is the type of the field of struct t written as element name.
func fieldType(t reflect.Type, name string) reflect.Type {
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if tag == name {
			return plainType(f.Type)
		}
	}
	return nil
}

// lost returns the elements of doc (a command as written) that conv (the
// same command converted to another version) does not carry: the paths
// of non-empty values the other version has no place for. An element
// flattened to its text (a structure the other version holds as a value)
// is carried; a false flag is the default, not data.
func lost(doc, conv []byte) ([]string, error) {
	have, leaves, err := paths(conv)
	if err != nil {
		return nil, err
	}
	orig, _, err := pathValues(doc)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, pv := range orig {
		p, v := pv[0], pv[1]
		if have[p] || v == "" || v == "false" {
			continue
		}
		kept := false
		for q := p; strings.Contains(q, "/"); {
			q = q[:strings.LastIndexByte(q, '/')]
			if leaves[q] {
				kept = true
				break
			}
		}
		if !kept {
			out = append(out, p)
		}
	}
	return out, nil
}

// paths returns the element paths of doc below its root, and which of
// them are leaves.
func paths(doc []byte) (all, leaves map[string]bool, err error) {
	pvs, leafSet, err := pathValues(doc)
	if err != nil {
		return nil, nil, err
	}
	all = map[string]bool{}
	for _, pv := range pvs {
		all[pv[0]] = true
	}
	return all, leafSet, nil
}

// pathValues lists the leaf elements of doc below its root as (path,
// text) pairs, and the set of leaf paths.
func pathValues(doc []byte) ([][2]string, map[string]bool, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	var text []string
	var kids []int
	var out [][2]string
	leaves := map[string]bool{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, leaves, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if len(kids) > 0 {
				kids[len(kids)-1]++
			}
			stack = append(stack, tk.Name.Local)
			text = append(text, "")
			kids = append(kids, 0)
			for _, a := range tk.Attr {
				if a.Name.Local == "nil" && a.Value == "true" {
					text[len(text)-1] = "(nil)"
				}
			}
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] += strings.TrimSpace(string(tk))
			}
		case xml.EndElement:
			n := len(stack) - 1
			if n > 0 && kids[n] == 0 {
				p := strings.Join(stack[1:], "/")
				out = append(out, [2]string{p, text[n]})
				leaves[p] = true
			}
			stack, text, kids = stack[:n], text[:n], kids[:n]
		}
	}
}
