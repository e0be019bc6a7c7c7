package wizard

import "testing"

// TestReplan_EditedFields re-plans stored fields (the target travels in
// them) and refuses an invalid edit with the row's problem.
func TestReplan_EditedFields(t *testing.T) {
	tgt := Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Domain: "acme.example.com"}
	r := RowFromFields(map[string]string{"userId": "x@acme.example.com", "firstName": "X", "lastName": "Y",
		"callingLineIdFirstName": "X", "callingLineIdLastName": "Y", "password": "Secret#12345"})
	f := JobFields(tgt, r)
	id, cmds, err := Replan(f)
	if err != nil || id != "x@acme.example.com" || len(cmds) == 0 {
		t.Fatalf("Replan = %q %d %v", id, len(cmds), err)
	}
	if got := RowFields(f); got["target.groupId"] != "" || got["userId"] == "" {
		t.Errorf("RowFields = %v", got)
	}
	f["phoneNumber"] = "notanumber"
	if _, _, err := Replan(f); err == nil {
		t.Error("an invalid phone number was re-planned")
	}
	delete(f, FieldTargetGroup)
	if _, _, err := Replan(f); err == nil {
		t.Error("fields without a group were re-planned")
	}
}
