package ociwire

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

func seedDocuments(f *testing.F) {
	for _, dir := range []string{requestsDir, responsesDir} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// FuzzDecodeDocument: Decode never panics, and whatever it accepts
// encodes again to a document that decodes to the same commands.
func FuzzDecodeDocument(f *testing.F) {
	seedDocuments(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		doc, err := Decode(b)
		if err != nil {
			return
		}
		if len(doc.Commands) == 0 || len(doc.Commands) > MaxCommands || len(doc.Echo) != len(doc.Commands) {
			t.Fatalf("accepted %d commands, %d echo", len(doc.Commands), len(doc.Echo))
		}
		if strings.TrimSpace(doc.SessionID) == "" {
			return
		}
		for _, enc := range []string{Latin1, UTF8} {
			again, err := EncodeCommands(doc.SessionID, doc.Commands, EncodeOptions{Encoding: enc, Echo: doc.Echo})
			if err != nil {
				t.Fatalf("re-encode (%s): %v", enc, err)
			}
			doc2, err := Decode(again)
			if err != nil {
				t.Fatalf("decode of re-encoded (%s): %v\n%s", enc, err, again)
			}
			if !reflect.DeepEqual(doc.Commands, doc2.Commands) {
				t.Fatalf("round trip (%s) differs:\n%#v\n%#v", enc, doc.Commands, doc2.Commands)
			}
		}
	})
}

// FuzzReader: the framer never panics, never returns more than maxDoc
// bytes, returns only complete documents in stream order, and ends.
func FuzzReader(f *testing.F) {
	for _, tc := range requestCases()[:8] {
		d, err := Encode(testSession, []oci.Request{tc.req}, EncodeOptions{})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append(append([]byte{}, d...), d...), 4096)
		f.Add(d[:len(d)/2], 100)
	}
	f.Add([]byte("</BroadsoftDocument </BroadsoftDocument\n>x</BroadsoftDocumentX>"), 64)
	f.Fuzz(func(t *testing.T, b []byte, maxDoc int) {
		if maxDoc > 1<<20 {
			maxDoc = 1 << 20
		}
		limit := maxDoc
		if limit <= 0 {
			limit = DefaultMaxDocument
		}
		r := NewReader(bytes.NewReader(b), maxDoc)
		rest := b
		for i := 0; i <= len(b)+1; i++ {
			d, err := r.Next()
			if err != nil {
				return
			}
			if len(d) > limit {
				t.Fatalf("document of %d bytes, bound %d", len(d), limit)
			}
			if !bytes.Contains(d, endTag) || d[len(d)-1] != '>' {
				t.Fatalf("incomplete document %q", d)
			}
			k := bytes.Index(rest, d)
			if k < 0 || len(bytes.TrimLeft(rest[:k], " \t\r\n")) != 0 {
				t.Fatalf("document %q is not next in the stream", d)
			}
			rest = rest[k+len(d):]
		}
		t.Fatal("Next did not end")
	})
}
