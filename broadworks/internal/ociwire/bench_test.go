package ociwire

import (
	"fmt"
	"testing"

	"bwbulk/broadworks/oci"
)

// BenchmarkEncodeDecode15UserAdd encodes and decodes one document of 15
// fully populated UserAddRequest22V2 commands.
func BenchmarkEncodeDecode15UserAdd(b *testing.B) {
	reqs := make([]oci.Request, MaxCommands)
	for i := range reqs {
		u := userAdd22V2()
		u.UserID = fmt.Sprintf("user%02d@%s", i, domain)
		u.PhoneNumber = oci.String(fmt.Sprintf("20255501%02d", i))
		reqs[i] = u
	}
	doc, err := Encode(testSession, reqs, EncodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := Encode(testSession, reqs, EncodeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		d, err := Decode(doc)
		if err != nil || len(d.Commands) != MaxCommands {
			b.Fatal(err)
		}
	}
}
