package ocisim_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"bwbulk/broadworks/ocisim"
)

func findRow(rows []map[string]string, col, v string) map[string]string {
	for _, r := range rows {
		if r[col] == v {
			return r
		}
	}
	return nil
}

func TestServices_authorizationListHasLimitsAndUsage(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	r := c.one("GroupServiceGetAuthorizationListRequest", el("serviceProviderId", "acme-ent")+el("groupId", "acme-branch"))
	if !r.ok() || r.XSIType != "GroupServiceGetAuthorizationListResponse" {
		t.Fatalf("got %+v", r)
	}
	vm := findRow(r.table("userServicesAuthorizationTable"), "Service Name", "Voice Messaging User")
	if vm == nil || vm["Authorized"] != "true" || vm["Limited"] != "Limited" || vm["Quantity"] != "12" || vm["Usage"] != "10" {
		t.Fatalf("Voice Messaging User row %v, want 10 of 12 used", vm)
	}
	if cw := findRow(r.table("userServicesAuthorizationTable"), "Service Name", "Call Waiting"); cw["Limited"] != "Unlimited" || cw["Quantity"] != "-1" {
		t.Fatalf("Call Waiting row %v, want unlimited", cw)
	}
	basic := findRow(r.table("servicePacksAuthorizationTable"), "Service Pack Name", "Basic")
	if basic == nil || basic["Allocated"] != "25" || basic["Usage"] != "0" {
		t.Fatalf("Basic pack row %v", basic)
	}
	m := c.one("GroupServiceGetAuthorizationListRequest", el("serviceProviderId", "metro-sp")+el("groupId", "metro-g1"))
	if hg := findRow(m.table("userServicesAuthorizationTable"), "Service Name", "Do Not Disturb"); hg == nil || hg["Authorized"] != "false" {
		t.Fatalf("metro-g1 Do Not Disturb row %v, want listed, not authorised", hg)
	}
}

func TestServices_assignRefusals(t *testing.T) {
	s := startDemo(t, nil)
	c := adminClient(t, s)
	assign := func(uid string, body string) rawCmd {
		return c.one("UserServiceAssignListRequest", el("userId", uid)+body)
	}
	// 10 of 12 used: two more users get voicemail, the third is refused.
	wantOK(t, assign("branch.user02@acme.example.com", el("serviceName", "Voice Messaging User")))
	wantOK(t, assign("branch.user04@acme.example.com", el("serviceName", "Voice Messaging User")+el("servicePackName", "Basic")))
	r := assign("branch.user06@acme.example.com", el("serviceName", "Voice Messaging User"))
	if r.ok() || r.ErrorCode != 4411 || r.ErrType == "Warning" {
		t.Fatalf("over the limit: got %+v, want Error 4411", r)
	}
	r = assign("branch.user06@acme.example.com", el("serviceName", "Call Waiting")+el("serviceName", "Busy Lamp Field"))
	if r.ErrorCode != 4411 || r.ErrType != "Warning" {
		t.Fatalf("partly over the limit: got %+v, want Warning 4411", r)
	}
	r = assign("branch.user06@acme.example.com", el("servicePackName", "Gold"))
	if r.ErrorCode != 4410 {
		t.Fatalf("unknown pack: got %+v, want 4410", r)
	}
	r = assign("branch.user06@acme.example.com", el("serviceName", "Teleportation"))
	if r.ErrorCode != 6004 {
		t.Fatalf("name outside the schema: got %+v, want 6004", r)
	}
	// Assigning again what a user has is no change and uses nothing.
	wantOK(t, assign("branch.user02@acme.example.com", el("serviceName", "Voice Messaging User")))
	if u, _ := s.User("branch.user06@acme.example.com"); !reflect.DeepEqual(u.Services, []string{"Call Waiting"}) {
		t.Fatalf("user06 services %v", u.Services)
	}
	a := c.one("UserServiceGetAssignmentListRequest", el("userId", "branch.user04@acme.example.com"))
	if !a.ok() || a.XSIType != "UserServiceGetAssignmentListResponse" {
		t.Fatalf("got %+v", a)
	}
	if p := findRow(a.table("servicePacksAssignmentTable"), "Service Pack Name", "Basic"); p["Assigned"] != "true" {
		t.Fatalf("Basic pack row %v", p)
	}
	// Call Waiting comes with the pack.
	for _, n := range []string{"Voice Messaging User", "Call Waiting"} {
		if row := findRow(a.table("userServicesAssignmentTable"), "Service Name", n); row["Assigned"] != "true" {
			t.Fatalf("%s row %v, want assigned", n, row)
		}
	}
	if row := findRow(a.table("userServicesAssignmentTable"), "Service Name", "Do Not Disturb"); row["Assigned"] != "false" {
		t.Fatalf("Do Not Disturb row %v, want not assigned", row)
	}
}

// TestServices_assignmentSurvivesRestart: assignments go through the
// journal like every other change.
func TestServices_assignmentSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
	startOn(t, s)
	c := adminClient(t, s)
	wantOK(t, c.one("UserServiceAssignListRequest", el("userId", "branch.user03@acme.example.com")+el("serviceName", "Do Not Disturb")+el("servicePackName", "Basic")))
	s.Close()
	s2 := ocisim.New(&ocisim.Options{StateFile: path})
	defer s2.Close()
	u, ok := s2.User("branch.user03@acme.example.com")
	if !ok || !reflect.DeepEqual(u.Services, []string{"Do Not Disturb", "Voice Messaging User"}) || !reflect.DeepEqual(u.ServicePacks, []string{"Basic"}) {
		t.Fatalf("after restart: services %v, packs %v", u.Services, u.ServicePacks)
	}
}
