package ociwire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"bwbulk/broadworks/oci"
)

const (
	docA = `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" + `<BroadsoftDocument protocol="OCI" xmlns="C"><sessionId xmlns="">a</sessionId></BroadsoftDocument>`
	docB = `<?xml version="1.0"?><BroadsoftDocument protocol="OCI" xmlns="C"><x>&lt;/BroadsoftDocumentX&gt;</x></BroadsoftDocument >`
)

func readAll(r *Reader) ([]string, error) {
	var docs []string
	for {
		d, err := r.Next()
		if err != nil {
			return docs, err
		}
		docs = append(docs, string(d))
	}
}

func TestReader_Next(t *testing.T) {
	tests := []struct {
		name    string
		stream  string
		max     int
		want    []string
		wantErr error
	}{
		{"one with newline", docA + "\n", 0, []string{docA}, io.EOF},
		{"two back to back", docA + "\n" + docB + "\r\n\n", 0, []string{docA, docB}, io.EOF},
		{"no trailing newline", docA, 0, []string{docA}, io.EOF},
		{"leading blanks", "\n\n  " + docA, 0, []string{docA}, io.EOF},
		{"empty stream", "", 0, nil, io.EOF},
		{"only blanks", " \n", 0, nil, io.EOF},
		{"cut in the middle", docA + "\n" + docA[:40], 0, []string{docA}, io.ErrUnexpectedEOF},
		{"cut inside end tag", docA[:len(docA)-3], 0, nil, io.ErrUnexpectedEOF},
		{"exactly at the bound", docA, len(docA), []string{docA}, io.EOF},
		{"over the bound", docA, len(docA) - 1, nil, ErrTooLarge},
		{"no end tag, endless", strings.Repeat("x", 10000), 4096, nil, ErrTooLarge},
	}
	for _, tc := range tests {
		for _, chunk := range []string{"whole", "byte by byte", "half"} {
			t.Run(tc.name+"/"+chunk, func(t *testing.T) {
				var src io.Reader = strings.NewReader(tc.stream)
				switch chunk {
				case "byte by byte":
					src = iotest.OneByteReader(src)
				case "half":
					src = iotest.HalfReader(src)
				}
				got, err := readAll(NewReader(src, tc.max))
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("err = %v, want %v", err, tc.wantErr)
				}
				if strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Errorf("docs = %q, want %q", got, tc.want)
				}
			})
		}
	}
}

func TestReader_Next_tooLargeIsSticky(t *testing.T) {
	r := NewReader(strings.NewReader(strings.Repeat("y", 100)+docA), 50)
	for i := 0; i < 2; i++ {
		if _, err := r.Next(); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

func TestReader_Next_readError(t *testing.T) {
	boom := errors.New("boom")
	r := NewReader(io.MultiReader(strings.NewReader(docA), iotest.ErrReader(boom)), 0)
	if d, err := r.Next(); err != nil || string(d) != docA {
		t.Fatalf("first = %q, %v", d, err)
	}
	if _, err := r.Next(); !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
}

// TestReader_Next_decodes checks that framed documents decode.
func TestReader_Next_decodes(t *testing.T) {
	var stream bytes.Buffer
	for _, tc := range requestCases()[:5] {
		doc, err := Encode(testSession, []oci.Request{tc.req}, EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		stream.Write(doc)
	}
	r := NewReader(&stream, 0)
	n := 0
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(d); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 {
		t.Errorf("%d documents, want 5", n)
	}
}

func TestReader_buffered(t *testing.T) {
	r := NewReader(strings.NewReader(docA+"\n"+docA[:10]), 0)
	if r.buffered() {
		t.Error("buffered before reading")
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if !r.buffered() {
		t.Error("the start of a second document is not reported")
	}
	r = NewReader(strings.NewReader(docA+"\n\r\n"), 0)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if r.buffered() {
		t.Error("trailing blanks reported as data")
	}
}
