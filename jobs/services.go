package jobs

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// Service assignment: the catalogue reads the group's authorisations
// (GroupServiceGetAuthorizationListRequest, unversioned on every release
// the client speaks), and a job's UserServiceAssignListRequest is verified
// by reading the user's assignments (UserServiceGetAssignmentListRequest):
// after it was sent, because BroadWorks answers a partly refused
// assignment with a Warning, and before it is sent again, when its outcome
// is unknown or the job is retried.

var (
	_ wizard.ServiceAuthorizer = LiveCatalogue{}
	_ wizard.ServiceAuthorizer = (*CachedCatalogue)(nil)
)

// quantity reads the "Limited" and quantity columns of an authorisation
// table: -1 when unlimited.
func quantity(limited, q string) int {
	switch strings.ToLower(strings.TrimSpace(limited)) {
	case "unlimited", "false":
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(q))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// ServiceAuthorizations lists the service packs and user services the
// group is authorised for, with their quantities and usage.
func (c LiveCatalogue) ServiceAuthorizations(ctx context.Context, sp, group string) (*wizard.ServiceAuthorizations, error) {
	r, err := broadworks.Do[*oci.GroupServiceGetAuthorizationListResponse](ctx, c.D, &oci.GroupServiceGetAuthorizationListRequest{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	return authorizationsOf(r), nil
}

// authorizationsOf reads an authorisation list: the authorised packs and
// user-assignable services.
func authorizationsOf(r *oci.GroupServiceGetAuthorizationListResponse) *wizard.ServiceAuthorizations {
	a := &wizard.ServiceAuthorizations{}
	pt := &r.ServicePacksAuthorizationTable
	for i := range pt.Rows {
		if !isTrue(pt.Col(i, "Authorized")) {
			continue
		}
		a.Packs = append(a.Packs, wizard.ServiceLicence{
			Name: pt.Col(i, "Service Pack Name"), Pack: true, Description: pt.Col(i, "Description"),
			Limit: quantity(pt.Col(i, "Limited"), pt.Col(i, "Allocated")), Usage: atoi(pt.Col(i, "Usage")),
		})
	}
	ut := &r.UserServicesAuthorizationTable
	for i := range ut.Rows {
		if !isTrue(ut.Col(i, "Authorized")) || strings.EqualFold(ut.Col(i, "User Assignable"), "false") {
			continue
		}
		a.Services = append(a.Services, wizard.ServiceLicence{
			Name:  ut.Col(i, "Service Name"),
			Limit: quantity(ut.Col(i, "Limited"), ut.Col(i, "Quantity")), Usage: atoi(ut.Col(i, "Usage")),
		})
	}
	return a
}

// ServiceAuthorizations implements wizard.ServiceAuthorizer, cached with
// the group's other look-ups.
func (c *CachedCatalogue) ServiceAuthorizations(ctx context.Context, sp, group string) (*wizard.ServiceAuthorizations, error) {
	return cached(ctx, c, "services/"+sp+"/"+group, func(l wizard.Catalogue) (*wizard.ServiceAuthorizations, error) {
		sa, ok := l.(wizard.ServiceAuthorizer)
		if !ok {
			return nil, errors.New("the catalogue does not list service authorisations")
		}
		return sa.ServiceAuthorizations(ctx, sp, group)
	})
}

// missingServices reads an assignment list: the services and packs of
// cmd (a UserServiceAssignListRequest) the user does not have.
func missingServices(cmd *oci.UserServiceAssignListRequest, l *oci.UserServiceGetAssignmentListResponse) []string {
	has := map[string]bool{}
	for r := range l.UserServicesAssignmentTable.Rows {
		if isTrue(l.UserServicesAssignmentTable.Col(r, "Assigned")) {
			has["s:"+l.UserServicesAssignmentTable.Col(r, "Service Name")] = true
		}
	}
	for r := range l.ServicePacksAssignmentTable.Rows {
		if isTrue(l.ServicePacksAssignmentTable.Col(r, "Assigned")) {
			has["p:"+l.ServicePacksAssignmentTable.Col(r, "Service Pack Name")] = true
		}
	}
	var out []string
	for _, p := range cmd.ServicePackName {
		if !has["p:"+p] {
			out = append(out, "service pack "+p)
		}
	}
	for _, s := range cmd.ServiceName {
		if !has["s:"+s] {
			out = append(out, s)
		}
	}
	return out
}

// serviceResolver is the resolution read of a UserServiceAssignListRequest:
// applied when the user has every service and pack it names.
func serviceResolver(cmd oci.Request) (oci.Request, judge) {
	as, _ := cmd.(*oci.UserServiceAssignListRequest)
	uid := fieldString(cmd, "UserID")
	return &oci.UserServiceGetAssignmentListRequest{UserID: uid}, func(resp oci.Response, err error) (verdict, string) {
		if err != nil {
			return undecided, err.Error()
		}
		l, ok := resp.(*oci.UserServiceGetAssignmentListResponse)
		if !ok || as == nil {
			return undecided, "unexpected answer " + resp.OCIName()
		}
		if miss := missingServices(as, l); len(miss) > 0 {
			return notApplied, "user " + uid + " lacks " + strings.Join(miss, ", ")
		}
		return applied, "user " + uid + " has the services"
	}
}

// serviceReadBack verifies an assignment the server accepted, perhaps
// with a Warning (warning: its text, "" when none): the user must have
// everything the command named.
func serviceReadBack(cmd oci.Request, warning string) (oci.Request, func(oci.Response, error) (ok, final bool, msg string)) {
	as, _ := cmd.(*oci.UserServiceAssignListRequest)
	uid := fieldString(cmd, "UserID")
	return &oci.UserServiceGetAssignmentListRequest{UserID: uid}, func(resp oci.Response, err error) (bool, bool, string) {
		if err != nil {
			if broadworks.IsErrorCode(err, codeUserNotFound) {
				return false, true, "read-back: user " + uid + " not found after its services were assigned"
			}
			return false, false, err.Error()
		}
		l, ok := resp.(*oci.UserServiceGetAssignmentListResponse)
		if !ok || as == nil {
			return false, true, "read-back: unexpected answer " + resp.OCIName()
		}
		if miss := missingServices(as, l); len(miss) > 0 {
			msg := "services not assigned: " + strings.Join(miss, ", ")
			if warning != "" {
				msg += " (the server said: " + warning + ")"
			}
			return false, true, msg
		}
		return true, true, ""
	}
}

func isServiceAssign(name string) bool { return name == "UserServiceAssignListRequest" }

// warningText is what a Warning said, for a job's error.
func warningText(w *oci.ErrorResponse) string {
	if w.Summary != "" {
		return w.Summary
	}
	return w.Error()
}

// servicesOf reports whether a row of rows names services.
func servicesOf(rows []wizard.Row) bool {
	for i := range rows {
		if rows[i].Get(wizard.ColServices) != "" {
			return true
		}
	}
	return false
}
