package jobs

import (
	"errors"
	"fmt"
	"strings"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// BroadWorks "not found" error codes used to read server state.
const (
	codeSPNotFound     = 4005
	codeUserNotFound   = 4008
	codeGroupNotFound  = 4152
	codeDeviceNotFound = 4505
)

// verdict is what a read of the server says about a command whose outcome
// was unknown.
type verdict int

const (
	undecided  verdict = iota // the read itself failed: read again later
	applied                   // the command took effect: do not send it again
	notApplied                // it did not: sending it again is safe
)

// judge interprets the answer to a resolution read.
type judge func(resp oci.Response, err error) (verdict, string)

// resolver returns the read that tells whether cmd took effect, and how to
// judge its answer. The reads are the newest versions (UserGetRequest23V2);
// the client sends the one the server's release has and answers with the
// newest response type, so the judges read one type on every release.
// read is nil for a command sending twice changes nothing (resendable).
// ok is false for a command bwbulk cannot verify: such a command is never
// sent again blindly; its job fails, saying so.
func resolver(cmd oci.Request) (read oci.Request, j judge, ok bool) {
	name := cmd.OCIName()
	sp := fieldString(cmd, "ServiceProviderID")
	grp := fieldString(cmd, "GroupID")
	deviceList := func() oci.Request {
		return &oci.GroupAccessDeviceGetListRequest{
			ServiceProviderID: sp, GroupID: grp,
			SearchCriteriaDeviceName: []oci.SearchCriteriaDeviceName{{Mode: "Equal To", Value: fieldString(cmd, "DeviceName")}},
		}
	}
	switch {
	case strings.HasPrefix(name, "UserAddRequest"), strings.HasPrefix(name, "UserConsolidatedAddRequest"):
		uid := fieldString(cmd, "UserID")
		return &oci.UserGetRequest23V2{UserID: uid}, userAddJudge(uid, sp, grp), true
	case strings.HasPrefix(name, "GroupAccessDeviceAddRequest"):
		return deviceList(), deviceJudge(grp, fieldString(cmd, "DeviceName"), false), true
	case name == "GroupDepartmentAddRequest":
		return &oci.GroupDepartmentGetListRequest18{ServiceProviderID: sp, GroupID: grp},
			departmentJudge(grp, fieldString(cmd, "DepartmentName"), false), true
	case name == "GroupConsolidatedAddRequest" || name == "GroupAddRequest":
		return &oci.GroupGetRequest22V5{ServiceProviderID: sp, GroupID: grp}, existsJudge("group "+sp+"/"+grp, codeGroupNotFound), true
	case name == "ServiceProviderConsolidatedAddRequest" || strings.HasPrefix(name, "ServiceProviderAddRequest"):
		return &oci.ServiceProviderGetRequest22V4{ServiceProviderID: sp}, existsJudge("service provider "+sp, codeSPNotFound), true
	case name == "UserDeleteRequest":
		uid := fieldString(cmd, "UserID")
		return &oci.UserGetRequest23V2{UserID: uid}, goneJudge("user "+uid, codeUserNotFound), true
	case name == "GroupDeleteRequest":
		return &oci.GroupGetRequest22V5{ServiceProviderID: sp, GroupID: grp}, goneJudge("group "+sp+"/"+grp, codeGroupNotFound), true
	case name == "GroupAccessDeviceDeleteRequest":
		return deviceList(), deviceJudge(grp, fieldString(cmd, "DeviceName"), true), true
	case name == "GroupDepartmentDeleteRequest":
		return &oci.GroupDepartmentGetListRequest18{ServiceProviderID: sp, GroupID: grp},
			departmentJudge(grp, fieldString(cmd, "DepartmentName"), true), true
	case isServiceAssign(name):
		read, j := serviceResolver(cmd)
		return read, j, true
	case resendable(name):
		return nil, nil, true
	}
	return nil, nil, false
}

// userAddJudge judges the read of user uid, to be created in sp/grp.
func userAddJudge(uid, sp, grp string) judge {
	return func(resp oci.Response, err error) (verdict, string) {
		if err != nil {
			if broadworks.IsErrorCode(err, codeUserNotFound) {
				return notApplied, "user " + uid + " not found"
			}
			return undecided, err.Error()
		}
		u, isUser := resp.(*oci.UserGetResponse23V2)
		if !isUser {
			return undecided, "unexpected answer " + resp.OCIName()
		}
		if !strings.EqualFold(u.ServiceProviderID, sp) || !strings.EqualFold(u.GroupID, grp) {
			// Someone else's user: ours was not created; sending it
			// again gets the server's own "already exists" refusal.
			return notApplied, fmt.Sprintf("user %s exists in %s/%s", uid, u.ServiceProviderID, u.GroupID)
		}
		return applied, "user " + uid + " exists"
	}
}

// deviceJudge judges the read of group grp's device dev, for its add or,
// deleting, its delete (a group gone took its devices with it).
func deviceJudge(grp, dev string, deleting bool) judge {
	return func(resp oci.Response, err error) (verdict, string) {
		if deleting && broadworks.IsErrorCode(err, codeGroupNotFound) {
			return applied, "group " + grp + " is gone, and its devices with it"
		}
		if err != nil {
			return undecided, err.Error()
		}
		l, isList := resp.(*oci.GroupAccessDeviceGetListResponse)
		if !isList {
			return undecided, "unexpected answer " + resp.OCIName()
		}
		found := false
		for r := range l.AccessDeviceTable.Rows {
			found = found || l.AccessDeviceTable.Col(r, "Device Name") == dev
		}
		return presence("device "+dev, found, deleting)
	}
}

// departmentJudge judges the read of group grp's department dept, for its
// add or, deleting, its delete (a group gone took its departments with it).
func departmentJudge(grp, dept string, deleting bool) judge {
	return func(resp oci.Response, err error) (verdict, string) {
		if deleting && broadworks.IsErrorCode(err, codeGroupNotFound) {
			return applied, "group " + grp + " is gone, and its departments with it"
		}
		if err != nil {
			return undecided, err.Error()
		}
		l, isList := resp.(*oci.GroupDepartmentGetListResponse18)
		if !isList {
			return undecided, "unexpected answer " + resp.OCIName()
		}
		found := false
		for r := range l.DepartmentTable.Rows {
			found = found || l.DepartmentTable.Col(r, "Department Name") == dept &&
				!strings.EqualFold(l.DepartmentTable.Col(r, "Is Enterprise Department"), "true")
		}
		return presence("department "+dept, found, deleting)
	}
}

// presence is the verdict of a read that found what, or not, after its
// add or, deleting, its delete.
func presence(what string, found, deleting bool) (verdict, string) {
	switch {
	case found && !deleting:
		return applied, what + " exists"
	case !deleting:
		return notApplied, what + " not found"
	case found:
		return notApplied, what + " still exists"
	}
	return applied, what + " is gone"
}

// existsJudge: a successful Get means the object exists.
func existsJudge(what string, notFoundCode int) judge {
	return func(resp oci.Response, err error) (verdict, string) {
		switch {
		case err == nil:
			return applied, what + " exists"
		case broadworks.IsErrorCode(err, notFoundCode):
			return notApplied, what + " not found"
		default:
			return undecided, err.Error()
		}
	}
}

// goneJudge, for a delete: "not found" means it took effect.
func goneJudge(what string, notFoundCode int) judge {
	return func(resp oci.Response, err error) (verdict, string) {
		switch {
		case err == nil:
			return notApplied, what + " still exists"
		case broadworks.IsErrorCode(err, notFoundCode):
			return applied, what + " is gone"
		default:
			return undecided, err.Error()
		}
	}
}

// resendable reports whether sending the command twice leaves the same
// state as sending it once (modifications to a fixed value, assignments
// and activations), so an unknown outcome needs no read: it is sent again.
func resendable(name string) bool {
	for _, w := range []string{"ModifyRequest", "ServiceAssignListRequest", "DnActivateListRequest"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	if c, ok := oci.New(name); ok {
		if r, ok := c.(oci.Request); ok {
			return broadworks.Idempotent(r)
		}
	}
	return false
}

// readBack returns the read that verifies a created user and its judge:
// the user must exist in the group with the phone number it was given.
func readBack(add oci.Request) (oci.Request, func(resp oci.Response, err error) (ok bool, final bool, msg string)) {
	return readBackOf(fieldString(add, "UserID"), fieldString(add, "ServiceProviderID"),
		fieldString(add, "GroupID"), fieldString(add, "PhoneNumber"))
}

// readBackNames are the elements of a user add that readBackOf takes, in
// its order: the XML names of the fields readBack reads.
var readBackNames = []string{"userId", "serviceProviderId", "groupId", "phoneNumber"}

// readBackOf is readBack of the user uid added in group sp/grp with
// number num ("" for none).
func readBackOf(uid, sp, grp, num string) (oci.Request, func(resp oci.Response, err error) (ok bool, final bool, msg string)) {
	return &oci.UserGetRequest23V2{UserID: uid}, func(resp oci.Response, err error) (bool, bool, string) {
		if err != nil {
			if broadworks.IsErrorCode(err, codeUserNotFound) {
				return false, true, "read-back: user " + uid + " not found after a successful add"
			}
			return false, false, err.Error()
		}
		u, isUser := resp.(*oci.UserGetResponse23V2)
		if !isUser {
			return false, true, "read-back: unexpected answer " + resp.OCIName()
		}
		if !strings.EqualFold(u.ServiceProviderID, sp) || !strings.EqualFold(u.GroupID, grp) {
			return false, true, fmt.Sprintf("read-back: user %s is in %s/%s, not %s/%s", uid, u.ServiceProviderID, u.GroupID, sp, grp)
		}
		if num != "" && (u.PhoneNumber == nil || !sameNumber(*u.PhoneNumber, num)) {
			got := "none"
			if u.PhoneNumber != nil {
				got = *u.PhoneNumber
			}
			return false, true, fmt.Sprintf("read-back: user %s has phone number %s, want %s", uid, got, num)
		}
		return true, true, ""
	}
}

// sameNumber compares directory numbers ignoring a "+1-" style prefix.
func sameNumber(a, b string) bool {
	digits := func(s string) string {
		var out []byte
		for i := 0; i < len(s); i++ {
			if s[i] >= '0' && s[i] <= '9' {
				out = append(out, s[i])
			}
		}
		return string(out)
	}
	da, db := digits(a), digits(b)
	return da == db || strings.HasSuffix(da, db) || strings.HasSuffix(db, da)
}

// errorCode returns the BroadWorks error code carried by err, or 0.
func errorCode(err error) int {
	var er *oci.ErrorResponse
	if errors.As(err, &er) {
		return er.Number()
	}
	return 0
}
