package ociwire

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/oci/xmltok"
)

// MaxCommands is the most commands one BroadsoftDocument may carry.
const MaxCommands = 15

// Encodings understood by Encode and Decode.
const (
	Latin1 = "ISO-8859-1"
	UTF8   = "UTF-8"
)

// EncodeOptions control Encode. The zero value gives ISO-8859-1 and no
// echo attributes.
type EncodeOptions struct {
	// Encoding is the declared and used character encoding: "ISO-8859-1"
	// (default) or "UTF-8". In ISO-8859-1, characters outside Latin-1 are
	// written as numeric character references (&#x4E2D;).
	Encoding string
	// Echo, when not empty, holds one echo attribute value per command
	// (the server returns it on the matching response); "" omits it.
	Echo []string
}

// Errors of Encode.
var (
	ErrNoCommands       = errors.New("ociwire: a document needs at least one command")
	ErrTooManyCommands  = fmt.Errorf("ociwire: a document carries at most %d commands", MaxCommands)
	ErrNoSession        = errors.New("ociwire: empty session id")
	ErrUnknownEncoding  = errors.New("ociwire: unsupported encoding")
	errEchoCountInvalid = errors.New("ociwire: Echo must be empty or have one value per command")
)

// Encode returns the request document carrying cmds for the session.
func Encode(sessionID string, cmds []oci.Request, opts EncodeOptions) ([]byte, error) {
	list := make([]oci.Command, len(cmds))
	for i, c := range cmds {
		if c == nil {
			return nil, fmt.Errorf("ociwire: command %d is nil", i+1)
		}
		list[i] = c
	}
	return EncodeCommands(sessionID, list, opts)
}

// EncodeCommands is Encode for any commands; the simulator uses it to
// write response documents.
func EncodeCommands(sessionID string, cmds []oci.Command, opts EncodeOptions) ([]byte, error) {
	switch {
	case len(cmds) == 0:
		return nil, ErrNoCommands
	case len(cmds) > MaxCommands:
		return nil, ErrTooManyCommands
	case strings.TrimSpace(sessionID) == "":
		return nil, ErrNoSession
	case len(opts.Echo) != 0 && len(opts.Echo) != len(cmds):
		return nil, errEchoCountInvalid
	}
	enc, err := canonicalEncoding(opts.Encoding)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	body.Grow(512 * len(cmds))
	body.WriteString(`<?xml version="1.0" encoding="` + enc + `"?>` + "\n")
	body.WriteString(`<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="` + oci.XSINamespace + `"><sessionId xmlns="">`)
	if err := xml.EscapeText(&body, []byte(sessionID)); err != nil {
		return nil, err
	}
	body.WriteString(`</sessionId>`)
	e := xml.NewEncoder(&body)
	for i, c := range cmds {
		if c == nil {
			return nil, fmt.Errorf("ociwire: command %d is nil", i+1)
		}
		if s, ok := c.(*oci.Stored); ok && (len(opts.Echo) == 0 || opts.Echo[i] == "") {
			// Its element as stored, with no decoding and encoding again.
			if err := e.Flush(); err != nil {
				return nil, err
			}
			body.Write(s.AppendElement(body.AvailableBuffer()))
			continue
		}
		var extra []xml.Attr
		if len(opts.Echo) > 0 && opts.Echo[i] != "" {
			extra = append(extra, xml.Attr{Name: xml.Name{Local: "echo"}, Value: opts.Echo[i]})
		}
		if err := oci.EncodeCommand(e, c, extra...); err != nil {
			return nil, fmt.Errorf("ociwire: command %d: %w", i+1, err)
		}
	}
	if err := e.Flush(); err != nil {
		return nil, err
	}
	body.WriteString("</BroadsoftDocument>\n")
	if enc == UTF8 {
		return body.Bytes(), nil
	}
	return toLatin1(body.Bytes()), nil
}

func canonicalEncoding(s string) (string, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "ISO-8859-1", "ISO8859-1", "LATIN1", "LATIN-1":
		return Latin1, nil
	case "UTF-8", "UTF8":
		return UTF8, nil
	}
	return "", fmt.Errorf("%w %q", ErrUnknownEncoding, s)
}

// toLatin1 converts UTF-8 XML to ISO-8859-1, writing characters above
// U+00FF as numeric references. Markup is ASCII, so only text and
// attribute values change.
func toLatin1(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		i += n
		if r <= 0xFF {
			out = append(out, byte(r))
		} else {
			out = fmt.Appendf(out, "&#x%X;", r)
		}
	}
	return out
}

// latin1ToUTF8 converts ISO-8859-1 bytes to UTF-8.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
		} else {
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

// utf8BOM is the UTF-8 byte-order mark some servers and editors put first.
var utf8BOM = []byte("\xef\xbb\xbf")

// Document is a decoded BroadsoftDocument.
type Document struct {
	SessionID string
	// Commands are in document order: requests in a request document,
	// responses (including *oci.ErrorResponse and *oci.SuccessResponse)
	// in a response document.
	Commands []oci.Command
	// Echo holds the echo attribute of each command ("" when absent).
	Echo []string
}

// DecodeError reports a malformed or unexpected document.
type DecodeError struct {
	Msg string
	Err error
}

func (e *DecodeError) Error() string {
	if e.Err != nil {
		return "ociwire: " + e.Msg + ": " + e.Err.Error()
	}
	return "ociwire: " + e.Msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode reads one whole document, in the encoding its XML declaration
// names (ISO-8859-1 or UTF-8; UTF-8 when there is no declaration). A
// UTF-8 byte-order mark before the document is skipped. A command of
// unknown xsi:type decodes as an *oci.UnknownResponse naming it, so the
// other commands of the document are still read.
func Decode(doc []byte) (*Document, error) {
	doc = bytes.TrimPrefix(doc, utf8BOM)
	enc := declaredEncoding(doc)
	latin1 := enc == Latin1
	if latin1 {
		// Converting the whole document up front is much cheaper than a
		// byte-at-a-time charset reader.
		doc = latin1ToUTF8(doc)
	}
	if latin1 || enc == UTF8 {
		// Plain XML is read by the faster reader; anything else, or any
		// error, by encoding/xml's own, which words the error.
		if d, err := decode(xml.NewTokenDecoder(xmltok.NewDocument(doc))); err == nil {
			return d, nil
		}
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		if latin1 {
			return input, nil // already converted
		}
		return charsetReader(charset, input)
	}
	return decode(d)
}

// decode reads a document from d.
func decode(d *xml.Decoder) (*Document, error) {
	var root *xml.StartElement
	for root == nil {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, &DecodeError{Msg: "no BroadsoftDocument element"}
		}
		if err != nil {
			return nil, &DecodeError{Msg: "malformed document", Err: err}
		}
		if s, ok := tok.(xml.StartElement); ok {
			root = &s
		}
	}
	if root.Name.Local != "BroadsoftDocument" {
		return nil, &DecodeError{Msg: fmt.Sprintf("root element is <%s>, want <BroadsoftDocument>", root.Name.Local)}
	}
	doc2 := &Document{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, &DecodeError{Msg: "malformed document", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sessionId":
				if err := d.DecodeElement(&doc2.SessionID, &t); err != nil {
					return nil, &DecodeError{Msg: "bad sessionId", Err: err}
				}
			case "command":
				if len(doc2.Commands) == MaxCommands {
					return nil, &DecodeError{Msg: fmt.Sprintf("more than %d commands", MaxCommands)}
				}
				echo := ""
				for _, a := range t.Attr {
					if a.Name.Local == "echo" && a.Name.Space == "" {
						echo = a.Value
					}
				}
				c, err := oci.DecodeCommand(d, t)
				var ute *oci.UnknownTypeError
				if errors.As(err, &ute) {
					// Only this command is lost (DecodeCommand skipped it).
					c, err = &oci.UnknownResponse{Type: ute.Type}, nil
				}
				if err != nil {
					return nil, &DecodeError{Msg: fmt.Sprintf("command %d", len(doc2.Commands)+1), Err: err}
				}
				doc2.Commands = append(doc2.Commands, c)
				doc2.Echo = append(doc2.Echo, echo)
			default: // userId, phoneNumber, trackingId, …: not used here.
				if err := d.Skip(); err != nil {
					return nil, &DecodeError{Msg: "malformed document", Err: err}
				}
			}
		case xml.EndElement:
			if len(doc2.Commands) == 0 {
				return nil, &DecodeError{Msg: "document without commands"}
			}
			return doc2, nil
		}
	}
}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	enc, err := canonicalEncoding(charset)
	if err != nil {
		if strings.EqualFold(charset, "US-ASCII") || strings.EqualFold(charset, "ASCII") {
			return input, nil
		}
		return nil, err
	}
	if enc == UTF8 {
		return input, nil
	}
	return &latin1Reader{r: bufio.NewReader(input)}, nil
}

// latin1Reader turns an ISO-8859-1 stream into UTF-8.
type latin1Reader struct {
	r       *bufio.Reader
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			k := copy(p[n:], l.pending)
			l.pending = l.pending[k:]
			n += k
			continue
		}
		c, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c < utf8.RuneSelf {
			p[n] = c
			n++
			continue
		}
		l.pending = utf8.AppendRune(l.pending[:0], rune(c))
	}
	return n, nil
}
