package oci_test

import (
	"errors"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
)

// Versions lists each family oldest first, by the release its name
// carries and then by V number.
func TestVersions_order(t *testing.T) {
	for _, fam := range oci.Families() {
		vs := oci.Versions(fam)
		if len(vs) < 2 || vs[len(vs)-1].Name != fam {
			t.Errorf("%s: versions %v do not end with it", fam, vs)
		}
		for i := 1; i < len(vs); i++ {
			a, b := vs[i-1], vs[i]
			if !b.Suffix.AtLeast(a.Suffix) || a.Suffix == b.Suffix && a.Order >= b.Order {
				t.Errorf("%s: %s (%s V%d) before %s (%s V%d)", fam, a.Name, a.Suffix, a.Order, b.Name, b.Suffix, b.Order)
			}
		}
		for _, v := range vs {
			if _, ok := oci.New(v.Name); !ok {
				t.Errorf("%s has no generated type", v.Name)
			}
			if oci.Family(v.Name) != fam {
				t.Errorf("Family(%s) = %s", v.Name, oci.Family(v.Name))
			}
		}
	}
}

func userAdd() *oci.UserAddRequest22V2 {
	return &oci.UserAddRequest22V2{
		ServiceProviderID: "sp", GroupID: "g", UserID: "u@example.com",
		LastName: "L", FirstName: "F", CallingLineIDLastName: "L", CallingLineIDFirstName: "F",
		PhoneNumber: oci.String("2025550100"),
		AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
			AccessDevice: oci.GroupDevice("phone"), LinePort: "u@example.com",
			Contact: []oci.SIPContactInfo{{SipContact: "sip:u@10.0.0.1"}},
		},
	}
}

// ForRelease converts a request newer than the release, keeping every
// value (a contact becomes the plain SIP contact older versions hold),
// and leaves one the release has alone.
func TestForRelease(t *testing.T) {
	req := userAdd()
	if got, err := oci.ForRelease("25.0", req); err != nil || got != oci.Request(req) {
		t.Errorf("R25: %v, %v", got, err)
	}
	if got, err := oci.ForRelease("", req); err != nil || got != oci.Request(req) {
		t.Errorf("unknown release: %v, %v", got, err)
	}
	got, err := oci.ForRelease("21.0", req)
	if err != nil {
		t.Fatal(err)
	}
	// R21's schema has UserAddRequest17sp4, not UserAddRequest21 (R23).
	u, ok := got.(*oci.UserAddRequest17sp4)
	if !ok {
		t.Fatalf("R21 got %T", got)
	}
	if u.UserID != req.UserID || *u.PhoneNumber != "2025550100" || u.AccessDeviceEndpoint == nil ||
		u.AccessDeviceEndpoint.LinePort != "u@example.com" || len(u.AccessDeviceEndpoint.Contact) != 1 ||
		u.AccessDeviceEndpoint.Contact[0] != "sip:u@10.0.0.1" || u.AccessDeviceEndpoint.AccessDevice.DeviceName != "phone" {
		t.Errorf("R21 user add = %+v, endpoint %+v", u, u.AccessDeviceEndpoint)
	}
	if _, err := oci.ForRelease("12", &oci.GroupTrunkGroupGetInstanceListRequest14sp4{}); err == nil {
		t.Error("R12 has no trunk group list, yet no error")
	}
}

// A value the release's version has no place for is an error naming it,
// never silently dropped.
func TestForRelease_lostField(t *testing.T) {
	g := &oci.GroupConsolidatedAddRequest{
		ServiceProviderID: "sp", GroupID: oci.String("g"), DefaultDomain: "example.com", UserLimit: 10,
		ActivatableDNRange: []oci.ActivatableDNRange{{MinPhoneNumber: "2025550100", MaxPhoneNumber: "2025550199"}},
	}
	_, err := oci.ForRelease("21.0", g)
	var lf *oci.LostFieldsError
	if !errors.As(err, &lf) || lf.Version != "GroupAddRequest" || !strings.Contains(err.Error(), "activatableDNRange") {
		t.Fatalf("err = %v", err)
	}
	g.ActivatableDNRange = nil
	if got, err := oci.ForRelease("21.0", g); err != nil || got.OCIName() != "GroupAddRequest" {
		t.Errorf("without numbers: %v, %v", got, err)
	}
}

// Convert reads an older response as the newest type, values kept.
func TestConvert_response(t *testing.T) {
	old := &oci.UserGetResponse21{ServiceProviderID: "sp", GroupID: "g", LastName: "L", PhoneNumber: oci.String("2025550100")}
	c, err := oci.Convert(old, "UserGetResponse23V2")
	if err != nil {
		t.Fatal(err)
	}
	u := c.(*oci.UserGetResponse23V2)
	if u.ServiceProviderID != "sp" || u.GroupID != "g" || u.LastName != "L" || u.PhoneNumber == nil || *u.PhoneNumber != "2025550100" {
		t.Errorf("converted %+v", u)
	}
	if _, err := oci.Convert(old, "NoSuchResponse"); err == nil {
		t.Error("no error converting to an unknown type")
	}
}
