package ocisim_test

import (
	"strings"
	"testing"
)

// Older versions are validated against their full schema type, nested
// elements included, before any business rule: an invalid request gets
// [Error 6004] naming the element, even for a user that does not exist.
func TestRelease_olderVersionsValidatedInDepth(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	dev := func(level, name string) string {
		return "<accessDevice>" + el("deviceLevel", level) + el("deviceName", name) + "</accessDevice>"
	}
	ep := func(inner string) string { return "<endpoint>" + inner + "</endpoint>" }
	wrap := func(inner string) string { return ep("<accessDeviceEndpoint>" + inner + "</accessDeviceEndpoint>") }
	user := el("userId", "nobody@acme.example.com")
	tests := []struct {
		name, cmd, body, want string
	}{
		{"bogus nested element", "UserModifyRequest21", user + ep(el("bogus", "1")), "'bogus'"},
		{"endpoint without its wrapper", "UserModifyRequest21", user + ep(dev("Group", "branch-phone-01")+el("linePort", "x@acme.example.com")), "'accessDevice'"},
		{"wrong order", "UserModifyRequest17sp4", user + wrap(el("linePort", "x@acme.example.com")+dev("Group", "branch-phone-01")), "'accessDevice' is not expected"},
		{"missing required nested element", "UserModifyRequest16", user + wrap("<accessDevice>"+el("deviceLevel", "Group")+"</accessDevice>"+el("linePort", "x@acme.example.com")), "'deviceName'"},
		{"bad enumeration", "UserModifyRequest14", user + wrap(dev("Planet", "branch-phone-01")+el("linePort", "x@acme.example.com")), "'deviceLevel'"},
		{"nested length limit", "UserModifyRequest14sp9", user + wrap(dev("Group", strings.Repeat("d", 41))+el("linePort", "x@acme.example.com")), "'deviceName'"},
		{"nested integer limit", "UserModifyRequest21", user + wrap(dev("Group", "branch-phone-01")+el("linePort", "x@acme.example.com")+el("portNumber", "0")), "'portNumber'"},
		{"search criterion mode", "GroupAccessDeviceGetUserListRequest", el("serviceProviderId", "acme-ent") + el("groupId", "nope") + el("deviceName", "nope") +
			"<searchCriteriaUserLastName>" + el("mode", "Sounds Like") + el("value", "x") + el("isCaseInsensitive", "true") + "</searchCriteriaUserLastName>", "'mode'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := c.one(tc.cmd, tc.body)
			if r.ok() || r.ErrorCode != 6004 || !strings.Contains(r.Summary+" "+r.Detail, tc.want) {
				t.Errorf("%s: got %d %s %s, want 6004 naming %s", tc.cmd, r.ErrorCode, r.Summary, r.Detail, tc.want)
			}
			if strings.Contains(r.Summary+r.Detail, "not found") {
				t.Errorf("%s: a business rule ran before validation: %s", tc.cmd, r.Summary)
			}
		})
	}
	// The same endpoint, wrapped, is accepted and kept.
	wantOK(t, c.one("UserModifyRequest16", el("userId", "branch.user01@acme.example.com")+
		wrap(dev("Group", "branch-phone-01")+el("linePort", "lp16@acme.example.com"))))
}

// GroupAccessDeviceGetRequest18sp1, which older clients send, answers from
// the stored device.
func TestHandlers_deviceGet18sp1(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	g := el("serviceProviderId", "acme-ent") + el("groupId", "acme-hq")
	wantOK(t, c.one("GroupAccessDeviceAddRequest22V2", g+el("deviceName", "get-phone")+el("deviceType", "Generic SIP Phone")+el("description", "lobby")))
	r := c.one("GroupAccessDeviceGetRequest18sp1", g+el("deviceName", "get-phone"))
	if r.field("deviceType") != "Generic SIP Phone" || r.field("description") != "lobby" || r.field("status") != "Online" || r.field("numberOfAssignedPorts") != "0" {
		t.Fatalf("device: %s", r.Inner)
	}
	if r = c.one("GroupAccessDeviceGetRequest18sp1", g+el("deviceName", "no-such")); r.ok() || !strings.Contains(r.Summary, "Access Device not found: no-such") {
		t.Fatalf("missing device: %s", r.Summary)
	}
}
