package broadworks_test

import (
	"testing"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

func TestSignPassword(t *testing.T) {
	cases := []struct{ nonce, password, want string }{
		{"1234567890123", "password", "77e4a6de3a1e00be05e121cf0ebee860"},
		{"1700000000000", "Secret#1", "a7b69bdc8939178e9404e00fc2f51bf9"},
	}
	for _, tc := range cases {
		if got := broadworks.SignPassword(tc.nonce, tc.password); got != tc.want {
			t.Errorf("SignPassword(%q, %q) = %s, want %s", tc.nonce, tc.password, got, tc.want)
		}
	}
}

func TestParseRelease(t *testing.T) {
	cases := []struct {
		in   string
		want broadworks.Release
		ok   bool
	}{
		{"24", broadworks.Release{Major: 24}, true},
		{"21sp1", broadworks.Release{Major: 21, SP: 1}, true},
		{"R22", broadworks.Release{Major: 22}, true},
		{"Release 17sp4", broadworks.Release{Major: 17, SP: 4}, true},
		{"22.0_1.1123", broadworks.Release{Major: 22}, true},
		{"", broadworks.Release{}, false},
		{"unknown", broadworks.Release{}, false},
	}
	for _, tc := range cases {
		got, ok := broadworks.ParseRelease(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRelease(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestUserAddCommand(t *testing.T) {
	cases := map[string]string{
		"25": "UserAddRequest22V2", "22": "UserAddRequest22V2", "": "UserAddRequest22V2",
		"21sp1": "UserAddRequest17sp4", "17sp4": "UserAddRequest17sp4", "17": "UserAddRequest17sp4",
	}
	for rel, want := range cases {
		if got := broadworks.UserAddCommand(rel); got != want {
			t.Errorf("UserAddCommand(%q) = %s, want %s", rel, got, want)
		}
	}
}

func TestChooseCommand(t *testing.T) {
	vs := []broadworks.CommandVersion{
		{Name: "GroupGetRequest14sp7", Since: "14sp7"},
		{Name: "GroupGetRequest22V5", Since: "22"},
		{Name: "GroupGetRequest17sp1", Since: "17sp1"},
	}
	cases := map[string]string{
		"25": "GroupGetRequest22V5", "21sp1": "GroupGetRequest17sp1", "17sp1": "GroupGetRequest17sp1",
		"17": "GroupGetRequest14sp7", "14": "", "": "GroupGetRequest22V5",
	}
	for rel, want := range cases {
		if got := broadworks.ChooseCommand(rel, vs...); got != want {
			t.Errorf("ChooseCommand(%q) = %q, want %q", rel, got, want)
		}
	}
}

type customRead struct{ oci.UserDeleteRequest }

func (customRead) Idempotent() bool { return true }

func TestIdempotent(t *testing.T) {
	cases := []struct {
		req  oci.Request
		want bool
	}{
		{&oci.UserGetRequest23V2{}, true},
		{&oci.UserGetListInGroupRequest{}, true},
		{&oci.GroupDnGetAvailableListRequest{}, true},
		{&oci.SystemSoftwareVersionGetRequest{}, true},
		{&oci.VerifySessionIsValidRequest{}, true},
		{&oci.UserAddRequest22V2{}, false},
		{&oci.UserModifyRequest22{}, false},
		{&oci.UserDeleteRequest{}, false},
		{&oci.UserServiceAssignListRequest{}, false},
		{&oci.GroupDnAssignListRequest{}, false},
		{&oci.GroupConsolidatedAddRequest{}, false},
		{&oci.PasswordGenerateRequest{}, false},
		{&oci.LoginRequest22V5{}, false},
		{&customRead{}, true},
	}
	for _, tc := range cases {
		if got := broadworks.Idempotent(tc.req); got != tc.want {
			t.Errorf("Idempotent(%s) = %v, want %v", tc.req.OCIName(), got, tc.want)
		}
	}
}

func FuzzParseRelease(f *testing.F) {
	for _, s := range []string{"24", "21sp1", "R22", "Release 17sp4", "22.0_1.1123", "", "sp", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := broadworks.ParseRelease(s)
		if !ok {
			return
		}
		// What is parsed prints back to the same release.
		back, ok := broadworks.ParseRelease(r.String())
		if !ok || back != r {
			t.Fatalf("ParseRelease(%q) = %v; String %q parses to %v, %v", s, r, r.String(), back, ok)
		}
		if !r.AtLeast(r) {
			t.Fatalf("%v is not AtLeast itself", r)
		}
	})
}
