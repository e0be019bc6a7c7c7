package oci

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"bwbulk/broadworks/oci/xmltok"
)

// MarshalXML writes the table as colHeading elements followed by rows.
func (t *Table) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	type row struct {
		Col []string `xml:"col"`
	}
	v := struct {
		ColHeading []string `xml:"colHeading"`
		Row        []row    `xml:"row"`
	}{ColHeading: t.Headings}
	for _, r := range t.Rows {
		v.Row = append(v.Row, row{Col: r})
	}
	return e.EncodeElement(v, start)
}

// UnmarshalXML reads an OCITable. Rows shorter than the headings are padded
// with empty cells, so Col never has to guess.
func (t *Table) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v struct {
		ColHeading []string `xml:"colHeading"`
		Row        []struct {
			Col []string `xml:"col"`
		} `xml:"row"`
	}
	if err := d.DecodeElement(&v, &start); err != nil {
		return err
	}
	t.Headings = v.ColHeading
	t.Rows = nil
	for _, r := range v.Row {
		cells := r.Col
		for len(cells) < len(t.Headings) {
			cells = append(cells, "")
		}
		t.Rows = append(t.Rows, cells)
	}
	return nil
}

type errorResponseXML struct {
	ErrorCode      *int    `xml:"errorCode"`
	Summary        string  `xml:"summary"`
	SummaryEnglish string  `xml:"summaryEnglish"`
	Detail         *string `xml:"detail"`
}

// MarshalXML writes the ErrorResponse content and its type attribute
// (Error when Type is empty). Command is not sent.
func (e *ErrorResponse) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	typ := e.Type
	if typ == "" {
		typ = TypeError
	}
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "type"}, Value: string(typ)})
	v := errorResponseXML{Summary: e.Summary, SummaryEnglish: e.SummaryEnglish}
	if e.Code != 0 && CodeFromSummary(e.Summary) != e.Code {
		v.ErrorCode = &e.Code
	}
	if e.Detail != "" {
		v.Detail = &e.Detail
	}
	return enc.EncodeElement(v, start)
}

// UnmarshalXML reads an ErrorResponse. Code is errorCode when present,
// otherwise the number of a leading "[Error NNNN]" in the summary.
func (e *ErrorResponse) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var v errorResponseXML
	if err := d.DecodeElement(&v, &start); err != nil {
		return err
	}
	*e = ErrorResponse{Summary: v.Summary, SummaryEnglish: v.SummaryEnglish, Type: TypeError}
	for _, a := range start.Attr {
		if v := strings.TrimSpace(a.Value); a.Name.Local == "type" && a.Name.Space == "" && v != "" {
			e.Type = ErrorType(v)
		}
	}
	if v.Detail != nil {
		e.Detail = *v.Detail
	}
	if v.ErrorCode != nil {
		e.Code = *v.ErrorCode
	} else {
		e.Code = CodeFromSummary(e.Summary)
		if e.Code == 0 {
			e.Code = CodeFromSummary(e.SummaryEnglish)
		}
	}
	return nil
}

// EncodeCommand writes c as a <command xmlns="" xsi:type="NAME"> element
// (with xmlns:c="C" for the generic responses), followed by extra
// attributes such as echo. The caller must have declared the xsi prefix
// (the BroadsoftDocument root does).
func EncodeCommand(e *xml.Encoder, c Command, extra ...xml.Attr) error {
	if c == nil || isNilValue(c) {
		return errors.New("oci: nil command")
	}
	c, err := unstored(c)
	if err != nil {
		return fmt.Errorf("oci: encode stored command: %w", err)
	}
	name := c.OCIName()
	attrs := []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: ""},
		{Name: xml.Name{Local: "xsi:type"}, Value: name},
	}
	if strings.HasPrefix(name, "c:") {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "xmlns:c"}, Value: "C"})
	}
	attrs = append(attrs, extra...)
	if err := e.EncodeElement(c, xml.StartElement{Name: xml.Name{Local: "command"}, Attr: attrs}); err != nil {
		return fmt.Errorf("oci: encode %s: %w", name, err)
	}
	return nil
}

// MarshalCommand returns c as one standalone element:
// <command xmlns="" xsi:type="NAME" xmlns:xsi="...">…</command>, in UTF-8
// with no XML declaration. UnmarshalCommand reads it back.
func MarshalCommand(c Command) ([]byte, error) {
	if s, ok := c.(*Stored); ok {
		return []byte(s.xml), nil
	}
	m := marshalers.Get().(*marshaler)
	m.b.Reset()
	// An encoder that failed may hold a half-written element: it is
	// not used again.
	if err := EncodeCommand(m.e, c, xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: XSINamespace}); err != nil {
		return nil, err
	}
	if err := m.e.Flush(); err != nil {
		return nil, err
	}
	out := bytes.Clone(m.b.Bytes())
	marshalers.Put(m)
	return out, nil
}

// marshaler is an encoder with its buffer, used again by MarshalCommand
// (an encoder's own buffer is 4 KB to make, more than most commands).
type marshaler struct {
	b bytes.Buffer
	e *xml.Encoder
}

var marshalers = sync.Pool{New: func() any {
	m := &marshaler{}
	m.e = xml.NewEncoder(&m.b)
	return m
}}

// UnmarshalCommand reads a command element written by MarshalCommand (or
// cut from a BroadsoftDocument with the xsi prefix declared), choosing the
// Go type by xsi:type through the registry.
func UnmarshalCommand(b []byte) (Command, error) {
	// Plain XML (a stored command always is) is read by the faster
	// reader; anything else, or any error, by encoding/xml's own, which
	// words the error.
	if c, err := unmarshalCommand(xml.NewTokenDecoder(xmltok.New(b))); err == nil {
		return c, nil
	}
	return unmarshalCommand(xml.NewDecoder(bytes.NewReader(b)))
}

func unmarshalCommand(d *xml.Decoder) (Command, error) {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, errors.New("oci: no command element")
		}
		if err != nil {
			return nil, fmt.Errorf("oci: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			return DecodeCommand(d, start)
		}
	}
}

// DecodeCommand decodes the element that start opens into a new command
// of the type its xsi:type names. An unknown or missing xsi:type is an
// *UnknownTypeError.
func DecodeCommand(d *xml.Decoder, start xml.StartElement) (Command, error) {
	var raw string
	for _, a := range start.Attr {
		if isXSI(a.Name, "type") {
			raw = strings.TrimSpace(a.Value)
		}
	}
	name := raw
	if i := strings.IndexByte(raw, ':'); i >= 0 {
		name = raw[i+1:]
		if c, ok := New("c:" + name); ok {
			return decodeInto(d, start, c)
		}
	}
	c, ok := New(name)
	if !ok {
		_ = d.Skip()
		return nil, &UnknownTypeError{Type: raw}
	}
	return decodeInto(d, start, c)
}

func decodeInto(d *xml.Decoder, start xml.StartElement, c Command) (Command, error) {
	if err := d.DecodeElement(c, &start); err != nil {
		return nil, fmt.Errorf("oci: decode %s: %w", c.OCIName(), err)
	}
	return c, nil
}

// UnknownTypeError reports a command whose xsi:type this package does not
// know (empty Type: the attribute is missing).
type UnknownTypeError struct {
	Type string
}

func (e *UnknownTypeError) Error() string {
	if e.Type == "" {
		return "oci: command without xsi:type"
	}
	return "oci: unknown command type " + strconv.Quote(e.Type)
}

// UnknownResponse stands, in a decoded response document, for a command
// whose xsi:type this package does not know: the other commands of the
// document decode as usual, and the client fails only the request this
// one answers, naming Type.
type UnknownResponse struct {
	Type string // the xsi:type as received ("" when missing)
}

// OCIName returns the type as received.
func (u *UnknownResponse) OCIName() string { return u.Type }
func (*UnknownResponse) isResponse()       {}
