package ociwire

import (
	"bytes"
	"errors"
	"io"
)

// DefaultMaxDocument is the document size bound used when NewReader is
// given maxDoc <= 0: 16 MiB, far above the largest list response.
const DefaultMaxDocument = 16 << 20

// ErrTooLarge is returned by (*Reader).Next when a document exceeds the
// size bound. The stream cannot be resynchronised after it.
var ErrTooLarge = errors.New("ociwire: document too large")

var endTag = []byte("</BroadsoftDocument")

// Reader splits a TCP stream into whole BroadsoftDocuments. OCI-P has no
// length prefix: a document ends at its closing root tag. A Reader is not
// safe for concurrent use.
type Reader struct {
	r      io.Reader
	max    int
	buf    []byte // unconsumed bytes; buf[:scan] holds no end tag
	scan   int
	err    error // sticky read error
	broken bool
}

// NewReader returns a Reader of documents of at most maxDoc bytes
// (DefaultMaxDocument when maxDoc <= 0).
func NewReader(r io.Reader, maxDoc int) *Reader {
	if maxDoc <= 0 {
		maxDoc = DefaultMaxDocument
	}
	return &Reader{r: r, max: maxDoc}
}

// Next returns the next document, from its first non-blank byte (the XML
// declaration) to the end of </BroadsoftDocument>. Blank bytes between
// documents are skipped. It returns io.EOF at a clean end of stream,
// io.ErrUnexpectedEOF when the stream ends inside a document, ErrTooLarge
// when more than maxDoc bytes arrive without the end tag, and otherwise the
// underlying read error. The returned slice is valid until the next call.
func (r *Reader) Next() ([]byte, error) {
	if r.broken {
		return nil, ErrTooLarge
	}
	for {
		// Drop blanks before a document.
		i := 0
		for i < len(r.buf) && isBlank(r.buf[i]) {
			i++
		}
		if i > 0 {
			r.buf = r.buf[i:]
			r.scan = max(0, r.scan-i)
		}
		if end := r.findEnd(); end >= 0 {
			doc := r.buf[:end]
			r.buf = r.buf[end:]
			r.scan = 0
			return doc, nil
		}
		if len(r.buf) > r.max {
			r.broken = true
			r.buf = nil
			return nil, ErrTooLarge
		}
		if r.err != nil {
			err := r.err
			if err == io.EOF && len(r.buf) > 0 {
				err = io.ErrUnexpectedEOF
			}
			r.buf = nil
			return nil, err
		}
		r.fill()
	}
}

// findEnd returns the offset just past the closing root tag in buf, or -1.
func (r *Reader) findEnd() int {
	for {
		k := bytes.Index(r.buf[r.scan:], endTag)
		if k < 0 {
			r.scan = max(r.scan, len(r.buf)-len(endTag)-64)
			r.scan = max(r.scan, 0)
			return -1
		}
		j := r.scan + k + len(endTag)
		for j < len(r.buf) && isBlank(r.buf[j]) {
			j++
		}
		if j == len(r.buf) {
			// Tag not complete yet: wait for more bytes.
			r.scan += k
			return -1
		}
		if r.buf[j] == '>' {
			if j+1 > r.max {
				return -1 // Next reports ErrTooLarge.
			}
			return j + 1
		}
		r.scan += k + 1 // "</BroadsoftDocumentX": not ours.
	}
}

func (r *Reader) fill() {
	if cap(r.buf)-len(r.buf) < 4096 {
		n := make([]byte, len(r.buf), 2*cap(r.buf)+4096)
		copy(n, r.buf)
		r.buf = n
	}
	n, err := r.r.Read(r.buf[len(r.buf):cap(r.buf)])
	r.buf = r.buf[:len(r.buf)+n]
	if err != nil {
		r.err = err
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// buffered reports whether the Reader holds bytes, other than blanks, read
// past the last document Next returned: the start of a document nobody
// asked for.
func (r *Reader) buffered() bool {
	for _, c := range r.buf {
		if !isBlank(c) {
			return true
		}
	}
	return false
}
