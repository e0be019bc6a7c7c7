package broadworks

import (
	"errors"
	"strings"
	"testing"
)

func TestMaskSecrets(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"password", `<userId>a</userId><password>S3cret!</password>`, `<userId>a</userId><password>***</password>`},
		{"signed", `<signedPassword>77e4a6de3a1e00be05e121cf0ebee860</signedPassword>`, `<signedPassword>***</signedPassword>`},
		{"plain text", `<plainTextPassword>x</plainTextPassword>`, `<plainTextPassword>***</plainTextPassword>`},
		{"new and old", `<oldPassword>a</oldPassword><newPassword xsi:nil="false">b</newPassword>`, `<oldPassword>***</oldPassword><newPassword xsi:nil="false">***</newPassword>`},
		{"passcodes", `<passcode>1234</passcode><newPasscode>5678</newPasscode>`, `<passcode>***</passcode><newPasscode>***</newPasscode>`},
		{"entity inside", `<password>a&amp;b&lt;c</password>`, `<password>***</password>`},
		{"escaped in SOAP", `&lt;password&gt;S3cret&amp;amp;x&lt;/password&gt;`, `&lt;password&gt;***&lt;/password&gt;`},
		{"prefixed", `<ns:userPassword>p</ns:userPassword>`, `<ns:userPassword>***</ns:userPassword>`},
		{"CDATA detail", `<detail><![CDATA[<password>p</password>]]></detail>`, `<detail><![CDATA[<password>***</password>]]></detail>`},
		{"nil stays", `<newPassword xsi:nil="true"/>`, `<newPassword xsi:nil="true"/>`},
		{"empty stays", `<password></password>`, `<password></password>`},
		{"rules untouched", `<passwordExpiresDays>30</passwordExpiresDays><passwordAlgorithm>MD5</passwordAlgorithm>`, `<passwordExpiresDays>30</passwordExpiresDays><passwordAlgorithm>MD5</passwordAlgorithm>`},
		{"no secrets", `<userId>a</userId>`, `<userId>a</userId>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaskSecrets(tc.in); got != tc.want {
				t.Errorf("MaskSecrets(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestProtocolError_masksCause(t *testing.T) {
	err := &ProtocolError{Op: "decode", Err: errors.New(`bad element near <password>hunter2</password>`)}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error string leaks the password: %s", err)
	}
}

func FuzzMaskSecrets(f *testing.F) {
	f.Add(`<password>S3cret!</password>`)
	f.Add(`&lt;signedPassword&gt;abc&lt;/signedPassword&gt;`)
	f.Add(`<passcode>1&amp;2</passcode><userId>x</userId>`)
	f.Fuzz(func(t *testing.T, secret string) {
		if strings.ContainsAny(secret, "<&") || strings.TrimSpace(secret) == "" || len(secret) < 4 {
			return
		}
		doc := "<userId>u</userId><password>" + secret + "</password><x>y</x>"
		got := MaskSecrets(doc)
		if strings.Contains(got, "<password>"+secret) {
			t.Fatalf("secret %q not masked: %s", secret, got)
		}
		if !strings.HasSuffix(got, "</password><x>y</x>") {
			t.Fatalf("masking broke the document: %s", got)
		}
	})
}
