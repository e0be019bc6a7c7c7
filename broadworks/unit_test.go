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

// TestCommandFor: each field release gets the newest version its schema
// set has of every command bwbulk sends (the release table, see
// ocirelease; the name's suffix is only where the family began).
func TestCommandFor(t *testing.T) {
	cases := []struct{ rel, cmd, want string }{
		{"25", "UserAddRequest22V2", "UserAddRequest22V2"},
		{"24", "UserAddRequest22V2", "UserAddRequest22V2"},
		{"23", "UserAddRequest22V2", "UserAddRequest22"},
		{"22", "UserAddRequest22V2", "UserAddRequest17sp4"},
		{"", "UserAddRequest22V2", "UserAddRequest22V2"},
		{"21sp1", "UserAddRequest22V2", "UserAddRequest17sp4"},
		{"21", "UserAddRequest22V2", "UserAddRequest17sp4"},
		{"20", "UserAddRequest22V2", "UserAddRequest17sp4"},
		{"17", "UserAddRequest22V2", "UserAddRequest14sp9"},
		{"25.0", "UserGetRequest23V2", "UserGetRequest23V2"},
		{"24.0", "UserGetRequest23V2", "UserGetRequest22V8"},
		{"23.0", "UserGetRequest23V2", "UserGetRequest22V5"},
		{"22.0", "UserGetRequest23V2", "UserGetRequest22V3"},
		{"21sp1", "UserGetRequest23V2", "UserGetRequest21sp1"},
		{"21", "UserGetRequest23V2", "UserGetRequest21"},
		{"20", "UserGetRequest23V2", "UserGetRequest20"},
		{"24", "SystemPasswordRulesGetRequestRI", "SystemPasswordRulesGetRequest23"},
		{"22", "SystemDeviceTypeGetAvailableListRequest22V2", "SystemDeviceTypeGetAvailableListRequest22"},
		{"23", "GroupConsolidatedAddRequest", "GroupAddRequest"},
		{"24", "GroupConsolidatedAddRequest", "GroupConsolidatedAddRequest"},
		{"24", "GroupPasswordRulesGetRequestRI", "GroupPasswordRulesGetRequest22"},
		{"21", "GroupPasswordRulesGetRequestRI", "GroupPasswordRulesGetRequest16"},
		{"21", "GroupGetRequest22V5", "GroupGetRequest14sp7"},
		{"21", "SystemDeviceTypeGetAvailableListRequest22V2", "SystemDeviceTypeGetAvailableListRequest19"},
		{"21", "GroupConsolidatedAddRequest", "GroupAddRequest"},
		{"13", "GroupExtensionLengthGetRequest22", "GroupExtensionLengthGetRequest"},
		{"22", "UserDeleteRequest", "UserDeleteRequest"},
		{"12", "GroupTrunkGroupGetInstanceListRequest14sp4", ""},
	}
	for _, tc := range cases {
		if got := broadworks.CommandFor(tc.rel, tc.cmd); got != tc.want {
			t.Errorf("CommandFor(%q, %s) = %q, want %q", tc.rel, tc.cmd, got, tc.want)
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
