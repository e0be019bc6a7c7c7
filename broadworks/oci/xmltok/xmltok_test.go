package xmltok

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"testing"
)

// tokens reads every token of d (copied), and the error that ended it
// (nil at the end of the input).
func tokens(d *xml.Decoder) ([]xml.Token, error) {
	var out []xml.Token
	for {
		t, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, xml.CopyToken(t))
	}
}

// same checks that whatever the fast reader reads in full, encoding/xml
// reads the same, token for token.
func same(t *testing.T, b []byte, doc bool) {
	std := xml.NewDecoder(bytes.NewReader(b))
	std.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	r := New(b)
	if doc {
		r = NewDocument(b)
	}
	got, err := tokens(xml.NewTokenDecoder(r))
	if err != nil {
		return // the caller reads it with encoding/xml
	}
	want, werr := tokens(std)
	if werr != nil {
		t.Fatalf("%q: read as plain XML, but encoding/xml says %v", b, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", b, got, want)
	}
}

var samples = []string{
	`<command xmlns="" xsi:type="UserAddRequest22V2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><userId>a&amp;b&#34;&#x41;&lt;&gt;&apos;&quot;</userId><x/><y a='1' b="2" /></command>`,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<BroadsoftDocument protocol=\"OCI\" xmlns=\"C\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><sessionId xmlns=\"\">s</sessionId><command echo=\"\" xsi:type=\"c:SuccessResponse\" xmlns=\"\"/></BroadsoftDocument>\n",
	`<a><b></a>`, `<a>]]></a>`, `<a b=c/>`, `<!-- x --><a/>`, `<a>&foo;</a>`, "<a>\r\n</a>", `<a:b:c/>`, `<:a/>`, `<a: x="1"/>`,
	`<a>Müller</a>`, "<a>\xff</a>", `<a x="<"/>`, `<?xml version="1.1"?><a/>`, `<a>&#0;</a>`, `<a>&#x;</a>`, `<a   >t</a   >`, `</a>`, `<a`,
}

func TestReader_sameAsEncodingXML(t *testing.T) {
	for _, s := range samples {
		same(t, []byte(s), false)
		same(t, []byte(s), true)
	}
	// The plain commands are read by this reader, not handed back.
	if _, err := tokens(xml.NewTokenDecoder(New([]byte(samples[0])))); err != nil {
		t.Fatalf("a stored command: %v", err)
	}
	if _, err := tokens(xml.NewTokenDecoder(NewDocument([]byte(samples[1])))); err != nil {
		t.Fatalf("a document: %v", err)
	}
	if _, err := New([]byte(`<!-- x --><a/>`)).Token(); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("a comment: %v", err)
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range samples {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, doc bool) { same(t, b, doc) })
}
