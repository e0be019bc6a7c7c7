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

// BenchmarkEncodeStored writes a document of 15 fully populated
// UserAddRequest22V2 kept as stored elements (a task's commands): sent as
// stored, or decoded and encoded again as every send did before.
func BenchmarkEncodeStored(b *testing.B) {
	xs := make([]string, MaxCommands)
	for i := range xs {
		u := userAdd22V2()
		u.UserID = fmt.Sprintf("user%02d@%s", i, domain)
		u.PhoneNumber = oci.String(fmt.Sprintf("20255501%02d", i))
		x, err := oci.MarshalCommand(u)
		if err != nil {
			b.Fatal(err)
		}
		xs[i] = string(x)
	}
	reqs := make([]oci.Request, MaxCommands)
	b.Run("as=stored", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i, x := range xs {
				s, err := oci.NewStored("UserAddRequest22V2", x)
				if err != nil {
					b.Fatal(err)
				}
				reqs[i] = s
			}
			if _, err := Encode(testSession, reqs, EncodeOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("as=decoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i, x := range xs {
				c, err := oci.UnmarshalCommand([]byte(x))
				if err != nil {
					b.Fatal(err)
				}
				reqs[i] = c.(oci.Request)
			}
			if _, err := Encode(testSession, reqs, EncodeOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
