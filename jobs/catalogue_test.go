package jobs

import (
	"testing"

	"bwbulk/broadworks/oci"
)

func TestDeviceTypeInfo_fromTypeInfo(t *testing.T) {
	dm, ns, legacy := "Device Management", "Not Supported", "Legacy"
	r := &oci.SystemDeviceTypeGetAvailableListResponse22V2{
		DeviceType: []string{"Polycom VVX 450", "Generic SIP Phone", "Old Phone", "Mystery"},
		TypeInfo: []oci.SystemDeviceTypeGetAvailableListResponse22V2TypeInfo{
			{DeviceConfigurationOption: &dm}, {DeviceConfigurationOption: &ns}, {DeviceConfigurationOption: &legacy}, {},
		},
	}
	got := deviceTypeInfo(r)
	want := []struct {
		name  string
		req   bool
		known bool
	}{{"Polycom VVX 450", true, true}, {"Generic SIP Phone", false, true}, {"Old Phone", false, true}, {"Mystery", false, false}}
	if len(got) != len(want) {
		t.Fatalf("%d types", len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || (g.RequiresMAC != nil) != w.known || (g.RequiresMAC != nil && *g.RequiresMAC != w.req) {
			t.Errorf("type %d = %s %v, want %+v", i, g.Name, g.RequiresMAC, w)
		}
	}
	// typeInfo not one per type: nothing is known.
	r.TypeInfo = r.TypeInfo[:2]
	for _, g := range deviceTypeInfo(r) {
		if g.RequiresMAC != nil {
			t.Errorf("%s known with mismatched typeInfo", g.Name)
		}
	}
}
