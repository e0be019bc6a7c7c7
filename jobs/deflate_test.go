package jobs

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand"
	"strings"
	"testing"
)

func inflateWith(t testing.TB, dict, z []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReaderDict(bytes.NewReader(z), dict))
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// deflateSample is a request as the audit stores it, for user i.
func deflateSample(i int) []byte {
	return fmt.Appendf(nil, `<command xsi:type="UserAddRequest22V2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><serviceProviderId>acme-ent</serviceProviderId><groupId>acme-hq</groupId><userId>bulk%06d@acme.example.com</userId><lastName>User%06d</lastName><firstName>Test</firstName><password>****</password><accessDeviceEndpoint><accessDevice><deviceLevel>Group</deviceLevel><deviceName>bulk%06d-phone</deviceName></accessDevice><linePort>bulk%06d_lp@acme.example.com</linePort></accessDeviceEndpoint></command>`, i, i, i, i)
}

func TestDeflateFixed_roundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	dict := deflateSample(1)
	long := bytes.Repeat([]byte("abcdefgh"), 10000) // matches longer than 258, distances past the window
	random := make([]byte, 70000)
	rng.Read(random)
	cases := [][]byte{nil, []byte("a"), []byte("abc"), deflateSample(1), deflateSample(424242), long, random,
		[]byte(strings.Repeat("x", 259)), append(deflateSample(7), deflateSample(8)...)}
	for i := 0; i < 300; i++ {
		b := make([]byte, rng.Intn(600))
		for k := range b {
			b[k] = "ab<>/01"[rng.Intn(7)]
		}
		cases = append(cases, b)
	}
	for _, d := range [][]byte{nil, dict, random[:40000]} {
		x := newDictIndex(d)
		for i, b := range cases {
			z := deflateFixed(nil, x, b)
			if got := inflateWith(t, d, z); !bytes.Equal(got, b) {
				t.Fatalf("case %d (%d bytes, dictionary %d bytes): read back %d bytes that differ", i, len(b), len(d), len(got))
			}
		}
	}
}

// A text that is its dictionary with a few characters changed takes a
// few dozen bytes, and no more than compress/flate makes of it.
func TestDeflateFixed_size(t *testing.T) {
	dict := deflateSample(1)
	b := deflateSample(54321)
	z := deflateFixed(nil, newDictIndex(dict), b)
	var std bytes.Buffer
	w, _ := flate.NewWriterDict(&std, flate.DefaultCompression, dict)
	w.Write(b)
	w.Close()
	if len(z) > std.Len() || len(z) > 60 {
		t.Fatalf("%d bytes of %d deflated to %d (compress/flate: %d)", len(b), len(b), len(z), std.Len())
	}
}

func FuzzDeflateFixed(f *testing.F) {
	f.Add(deflateSample(1), deflateSample(2))
	f.Add([]byte(""), []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte("abcd"), []byte("abcdabcdabcdxabcd"))
	f.Fuzz(func(t *testing.T, dict, b []byte) {
		z := deflateFixed(nil, newDictIndex(dict), b)
		if got := inflateWith(t, dict, z); !bytes.Equal(got, b) {
			t.Fatalf("read back %q, want %q", got, b)
		}
	})
}

func BenchmarkDeflate(b *testing.B) {
	d := newZdict(1, deflateSample(1))
	text := deflateSample(54321)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		d.deflate(nil, text)
	}
}
