package jobs

import (
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

// FuzzDecodeCommands feeds arbitrary stored blobs to the command decoder:
// it must never panic, and whatever it accepts must encode and decode to
// the same stored form.
func FuzzDecodeCommands(f *testing.F) {
	seed, _ := encodeCommands([]oci.Request{
		userAdd("sp", "g", "u@x", "secret1!", "2025550100"),
		&oci.GroupAccessDeviceAddRequest22V2{ServiceProviderID: "sp", GroupID: "g", DeviceName: "d", DeviceType: "Generic SIP Phone"},
		&oci.UserModifyRequest22{UserID: "u@x", PhoneNumber: oci.Clear[string]()},
	})
	f.Add(seed)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"t":"UserGetRequest23V2","b":{"UserID":"x"}}]`))
	f.Add([]byte(`[{"t":"Nope","x":"<command/>"}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cmds, err := decodeCommands(b)
		if err != nil {
			return
		}
		again, err := encodeCommands(cmds)
		if err != nil {
			return // a decoded value the XML encoder refuses (e.g. invalid characters)
		}
		cmds2, err := decodeCommands(again)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		third, err := encodeCommands(cmds2)
		if err != nil || string(third) != string(again) {
			t.Fatalf("not stable:\n%s\n%s", again, third)
		}
	})
}

// FuzzMaskSecrets: masking is idempotent and leaves no password element
// content behind.
func FuzzMaskSecrets(f *testing.F) {
	for _, s := range []string{
		`<password>abc</password>`, `<newPassword xsi:nil="true"/>`, `{"Password":"a\"b"}`,
		`<userId>x</userId><passcode>1234</passcode>`, `<plainTextPassword>x</plainTextPassword>`,
		`<PASSWORD>x</PASSWORD>`, `<paſſword>x</paſſword>`, `<userId>no secret here</userId>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := maskSecrets(s)
		if !mayHoldSecret(s) && (secretXML.MatchString(s) || secretJSON.MatchString(s)) {
			t.Fatalf("%q holds a secret the quick test missed", s)
		}
		if maskSecrets(m) != m {
			t.Fatalf("not idempotent: %q → %q → %q", s, m, maskSecrets(m))
		}
		if strings.Contains(s, "<password>hunter2</password>") && strings.Contains(m, "hunter2</password>") {
			t.Fatalf("password left in %q", m)
		}
	})
}
