package jobs

import (
	"testing"

	"bwbulk/broadworks/oci"
)

// A user add's fields read from its stored element are those of the
// decoded command.
func TestStoredTexts(t *testing.T) {
	num, pw := "+1-2025550123", "s3cr&t<"
	for _, c := range []oci.Request{
		&oci.UserAddRequest22V2{ServiceProviderID: "acme & co", GroupID: "hq<1>", UserID: "zoë@acme.example",
			LastName: "O'Brien", FirstName: "Zoë", PhoneNumber: &num, Password: &pw},
		&oci.UserAddRequest17sp4{ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: "u2@acme.example"},
	} {
		sc, err := encodeCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := storedTexts(sc.XML, readBackNames...)
		if !ok {
			t.Fatalf("%s: not read from %s", c.OCIName(), sc.XML)
		}
		dec, err := decodeCommand(sc)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range []string{"UserID", "ServiceProviderID", "GroupID", "PhoneNumber"} {
			if want := fieldString(dec, f); got[i] != want {
				t.Errorf("%s %s: %q, want %q", c.OCIName(), f, got[i], want)
			}
		}
	}
	if _, ok := storedTexts("", readBackNames...); ok {
		t.Error("an empty element was read")
	}
	if _, ok := storedTexts(`<command><userId>a</userId>`, readBackNames...); ok {
		t.Error("an element cut short was read")
	}
}
