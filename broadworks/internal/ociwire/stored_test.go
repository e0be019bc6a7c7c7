package ociwire

import (
	"bytes"
	"reflect"
	"testing"

	"bwbulk/broadworks/oci"
)

// A stored request goes out as the bytes of its element: the document is
// the one its decoded request gives, byte for byte, in both encodings.
func TestEncodeStored(t *testing.T) {
	pw, tz := `p&ss<w"rd>'`, "Europe/Zürich"
	reqs := []oci.Request{
		&oci.UserAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: "zoë.中@acme.example",
			LastName: "O'Brien & Søn", FirstName: "Zoë\t\"Z\"", CallingLineIDLastName: "O'Brien", CallingLineIDFirstName: "Zoë",
			Password: &pw, TimeZone: &tz},
		&oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-hq"},
	}
	var stored []oci.Request
	for _, r := range reqs {
		x, err := oci.MarshalCommand(r)
		if err != nil {
			t.Fatal(err)
		}
		s, err := oci.NewStored(r.OCIName(), string(x))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := oci.MarshalCommand(s); err != nil || !bytes.Equal(got, x) {
			t.Fatalf("MarshalCommand(stored) = %q, %v; want %q", got, err, x)
		}
		stored = append(stored, s)
	}
	for _, enc := range []string{Latin1, UTF8} {
		want, err := Encode("s1", reqs, EncodeOptions{Encoding: enc})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Encode("s1", stored, EncodeOptions{Encoding: enc})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: stored document\n%s\nwant\n%s", enc, got, want)
		}
		d, err := Decode(got)
		if err != nil {
			t.Fatal(err)
		}
		if u := d.Commands[0].(*oci.UserAddRequest22V2); *u.Password != pw || u.LastName != "O'Brien & Søn" {
			t.Errorf("%s: decoded %+v", enc, u)
		}
	}
	// With echo attributes the stored request is encoded as decoded.
	echo := []string{"a&1", "b"}
	want, _ := Encode("s1", reqs, EncodeOptions{Echo: echo})
	if got, err := Encode("s1", stored, EncodeOptions{Echo: echo}); err != nil || !bytes.Equal(got, want) {
		t.Errorf("echo: stored document %s, %v; want %s", got, err, want)
	}
}

func TestNewStoredRefuses(t *testing.T) {
	x, err := oci.MarshalCommand(&oci.GroupGetRequest22V5{ServiceProviderID: "e", GroupID: "g"})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]string{
		"unknown type":   {"NoSuchRequest", string(x)},
		"a response":     {"GroupGetResponse22V5", string(x)},
		"another type":   {"UserGetRequest23V2", string(x)},
		"no declaration": {"GroupGetRequest22V5", string(bytes.Replace(x, []byte(` xmlns:xsi="`+oci.XSINamespace+`"`), nil, 1))},
		"cut short":      {"GroupGetRequest22V5", string(x[:len(x)-3])},
	} {
		if _, err := oci.NewStored(c[0], c[1]); err == nil {
			t.Errorf("%s: NewStored accepted %q", name, c[1])
		}
	}
}

// A stored request converts to another version as its decoded request does.
func TestStoredConverts(t *testing.T) {
	r := &oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-hq"}
	x, err := oci.MarshalCommand(r)
	if err != nil {
		t.Fatal(err)
	}
	s, err := oci.NewStored(r.OCIName(), string(x))
	if err != nil {
		t.Fatal(err)
	}
	want, err := oci.To(r, "GroupGetRequest14sp7")
	if err != nil {
		t.Fatal(err)
	}
	got, err := oci.To(s, "GroupGetRequest14sp7")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("converted %#v, want %#v", got, want)
	}
}
