package oci

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Stored is a request kept as the element MarshalCommand wrote for it: a
// document carries those bytes as they are (ociwire), and the request is
// decoded only when something needs its fields (a conversion to another
// version, say). A task's stored commands go out without being decoded
// and encoded again for every send.
type Stored struct {
	name string
	xml  string

	once    sync.Once
	decoded Request
	err     error
}

func (*Stored) isRequest() {}

// OCIName returns the xsi:type of the stored request.
func (s *Stored) OCIName() string { return s.name }

// storedAttr is the namespace declaration MarshalCommand puts on a
// standalone element; a document declares it on its root instead.
const storedAttr = ` xmlns:xsi="` + XSINamespace + `"`

// NewStored returns the request of type name whose element (as
// MarshalCommand writes it) is x. It checks what can be checked without
// decoding: the type is a known request, and x is a command element of
// that type with the namespace declaration MarshalCommand writes.
func NewStored(name, x string) (*Stored, error) {
	c, ok := New(name)
	if !ok {
		return nil, &UnknownTypeError{Type: name}
	}
	if _, ok := c.(Request); !ok {
		return nil, fmt.Errorf("oci: %s is not a request", name)
	}
	head := `<command xmlns="" xsi:type="` + name + `"`
	end := strings.IndexByte(x, '>')
	if !strings.HasPrefix(x, head) || end < 0 || !strings.Contains(x[:end], storedAttr) || !strings.HasSuffix(x, "</command>") {
		return nil, errors.New("oci: not a stored " + name + " element")
	}
	return &Stored{name: name, xml: x}, nil
}

// Request returns the stored request decoded (once).
func (s *Stored) Request() (Request, error) {
	s.once.Do(func() {
		c, err := UnmarshalCommand([]byte(s.xml))
		if err != nil {
			s.err = err
			return
		}
		r, ok := c.(Request)
		if !ok {
			s.err = fmt.Errorf("oci: %s is not a request", c.OCIName())
			return
		}
		s.decoded = r
	})
	return s.decoded, s.err
}

// XML returns the element as MarshalCommand wrote it.
func (s *Stored) XML() string { return s.xml }

// AppendElement appends the element as a document carries it, without
// its own declaration of the xsi prefix (the document's root has it):
// what EncodeCommand writes for the decoded request, byte for byte.
func (s *Stored) AppendElement(b []byte) []byte {
	end := strings.IndexByte(s.xml, '>')
	head := s.xml[:end]
	at := strings.Index(head, storedAttr)
	b = append(b, head[:at]...)
	b = append(b, head[at+len(storedAttr):]...)
	return append(b, s.xml[end:]...)
}

// unstored returns c decoded when it is a *Stored, else c.
func unstored(c Command) (Command, error) {
	if s, ok := c.(*Stored); ok {
		return s.Request()
	}
	return c, nil
}
