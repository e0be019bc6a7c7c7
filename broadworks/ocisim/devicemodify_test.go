package ocisim_test

import (
	"bwbulk/broadworks/ocisim"
	"strings"
	"testing"
)

// GroupAccessDeviceModifyRequest14, which older clients send: what it
// names changes, what it leaves out stays, xsi:nil clears; a MAC another
// device has is refused; the change survives a restart from the state.
func TestHandlers_deviceModify14(t *testing.T) {
	dir := t.TempDir()
	state := dir + "/state.json"
	s := startDemo(t, &ocisim.Options{StateFile: state})
	c := adminClient(t, s)
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-branch")
	wantOK(t, c.one("GroupAccessDeviceAddRequest14", g+el("deviceName", "mod-phone")+el("deviceType", "Generic SIP Phone")+
		el("serialNumber", "SN1")+el("description", "old")))
	wantOK(t, c.one("GroupAccessDeviceAddRequest14", g+el("deviceName", "other-phone")+el("deviceType", "Generic SIP Phone")+
		el("macAddress", "0004F2000001")))
	wantOK(t, c.one("GroupAccessDeviceModifyRequest14", g+el("deviceName", "mod-phone")+el("macAddress", "0004f2000002")+
		`<serialNumber xsi:nil="true"/>`+el("description", "new")))
	r := c.one("GroupAccessDeviceGetRequest18sp1", g+el("deviceName", "mod-phone"))
	if r.field("macAddress") != "0004F2000002" || r.field("description") != "new" || r.field("serialNumber") != "" || r.field("deviceType") != "Generic SIP Phone" {
		t.Errorf("after modify: mac %q description %q serial %q type %q", r.field("macAddress"), r.field("description"), r.field("serialNumber"), r.field("deviceType"))
	}
	if r := c.one("GroupAccessDeviceModifyRequest14", g+el("deviceName", "mod-phone")+el("macAddress", "0004F2000001")); r.ok() || !strings.Contains(r.Summary, "other-phone") {
		t.Errorf("a MAC another device has: %s", r.Summary)
	}
	if r := c.one("GroupAccessDeviceModifyRequest14", g+el("deviceName", "no-such")+el("description", "x")); r.ok() || !strings.Contains(r.Summary, "Access Device not found") {
		t.Errorf("unknown device: %s", r.Summary)
	}
	if r := c.one("GroupAccessDeviceModifyRequest14", g+el("deviceName", "mod-phone")+el("port", "80")); r.ok() || r.ErrorCode != 6004 {
		t.Errorf("port 80 (below 1025): %s", r.Summary)
	}
	s.Close()
	s2 := startDemo(t, &ocisim.Options{StateFile: state})
	r = adminClient(t, s2).one("GroupAccessDeviceGetRequest18sp1", g+el("deviceName", "mod-phone"))
	if r.field("macAddress") != "0004F2000002" || r.field("description") != "new" {
		t.Errorf("after a restart: mac %q description %q", r.field("macAddress"), r.field("description"))
	}
}
