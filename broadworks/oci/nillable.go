package oci

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// XSINamespace is the XML Schema instance namespace (xsi:type, xsi:nil).
const XSINamespace = "http://www.w3.org/2001/XMLSchema-instance"

// Nillable is an element that a modify command can clear. A nil
// *Nillable leaves the element out (the value is unchanged on the server);
// Nil true writes xsi:nil="true" (the value is cleared); otherwise Value is
// written.
type Nillable[T any] struct {
	Value T
	Nil   bool
}

// Set returns a Nillable that writes v.
func Set[T any](v T) *Nillable[T] { return &Nillable[T]{Value: v} }

// Clear returns a Nillable that writes xsi:nil="true".
func Clear[T any]() *Nillable[T] { return &Nillable[T]{Nil: true} }

// ClearDepartment returns a nil department element. The element is of the
// abstract type DepartmentKey, so even nil it must carry an xsi:type; key
// names it (its fields are not written).
func ClearDepartment(key DepartmentKey) *Nillable[DepartmentKey] {
	return &Nillable[DepartmentKey]{Value: key, Nil: true}
}

// MarshalXML writes the value, or an empty element with xsi:nil="true"
// (and the xsi:type of an abstract-typed value).
func (n *Nillable[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if !n.Nil {
		return e.EncodeElement(n.Value, start)
	}
	if v, ok := any(n.Value).(interface{ XSIType() string }); ok && !isNilValue(v) {
		start = withXSIType(start, v.XSIType())
	}
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

// UnmarshalXML reads xsi:nil or the value.
func (n *Nillable[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	*n = Nillable[T]{}
	for _, a := range start.Attr {
		if isXSI(a.Name, "nil") {
			v := strings.TrimSpace(a.Value)
			n.Nil = v == "true" || v == "1"
		}
	}
	if t := reflect.TypeFor[T](); t.Kind() == reflect.Interface {
		dec := abstractDecoder(t)
		if dec == nil || (n.Nil && xsiType(start) == "") {
			return d.Skip()
		}
		v, err := dec(d, start)
		if err != nil {
			return err
		}
		n.Value = v.(T)
		return nil
	}
	if n.Nil {
		return d.Skip()
	}
	return d.DecodeElement(&n.Value, &start)
}

func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func isXSI(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == XSINamespace || n.Space == "xsi")
}

// xsiType returns the local part of the element's xsi:type attribute.
func xsiType(start xml.StartElement) string {
	for _, a := range start.Attr {
		if isXSI(a.Name, "type") {
			v := strings.TrimSpace(a.Value)
			if i := strings.IndexByte(v, ':'); i >= 0 {
				v = v[i+1:]
			}
			return v
		}
	}
	return ""
}

func unknownXSIType(abstract string, start xml.StartElement) error {
	t := xsiType(start)
	if t == "" {
		return fmt.Errorf("oci: <%s>: missing xsi:type for abstract %s", start.Name.Local, abstract)
	}
	return fmt.Errorf("oci: <%s>: unknown xsi:type %q for %s", start.Name.Local, t, abstract)
}

// withXSIType returns start with xsi:type set to name (replacing any).
func withXSIType(start xml.StartElement, name string) xml.StartElement {
	attrs := make([]xml.Attr, 0, len(start.Attr)+1)
	for _, a := range start.Attr {
		if !isXSI(a.Name, "type") && a.Name.Local != "xsi:type" {
			attrs = append(attrs, a)
		}
	}
	start.Attr = append(attrs, xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: name})
	return start
}

var abstractDecoders sync.Map // reflect.Type → func(*xml.Decoder, xml.StartElement) (any, error)

func registerAbstract(t reflect.Type, f func(*xml.Decoder, xml.StartElement) (any, error)) {
	abstractDecoders.Store(t, f)
}

func abstractDecoder(t reflect.Type) func(*xml.Decoder, xml.StartElement) (any, error) {
	f, ok := abstractDecoders.Load(t)
	if !ok {
		return nil
	}
	return f.(func(*xml.Decoder, xml.StartElement) (any, error))
}

// abstractElem decodes one element of abstract type T by its xsi:type.
type abstractElem[T any] struct{ V T }

func (a *abstractElem[T]) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	dec := abstractDecoder(reflect.TypeFor[T]())
	if dec == nil {
		return d.Skip()
	}
	v, err := dec(d, start)
	if err != nil {
		return err
	}
	a.V = v.(T)
	return nil
}
