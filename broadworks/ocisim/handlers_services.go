package ocisim

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Service authorisation and assignment: the group's authorised user
// services and service packs with their quantities, and what each user has.
// A user service is used by a user who has it directly or through a pack.

func init() {
	handlers["GroupServiceGetAuthorizationListRequest"] = hGroupServiceAuthList
	handlers["UserServiceGetAssignmentListRequest"] = hUserServiceAssignments
	handlers["UserServiceAssignListRequest"] = hUserServiceAssign
}

// Headings of the authorisation and assignment tables (OCISchemaGroup.xsd,
// OCISchemaUser.xsd).
var (
	userServiceAuthHeadings  = []string{"Service Name", "Authorized", "Assigned", "Limited", "Quantity", "Usage", "Licensed", "Allowed", "User Assignable", "Group Service Assignable"}
	groupServiceAuthHeadings = []string{"Service Name", "Authorized", "Assigned", "Limited", "Quantity", "Usage", "Licensed", "Allowed", "Instance Count"}
	servicePackAuthHeadings  = []string{"Service Pack Name", "Authorized", "Assigned", "Limited", "Allocated", "Allowed", "Usage", "Description"}
)

func (g *Group) pack(name string) *ServicePack {
	for i := range g.ServicePacks {
		if g.ServicePacks[i].Name == name {
			return &g.ServicePacks[i]
		}
	}
	return nil
}

// limit returns the group's quantity of a user service, -1 for unlimited.
func (g *Group) limit(service string) int {
	if n, ok := g.ServiceLimits[service]; ok {
		return n
	}
	return -1
}

// hasService reports whether u has the service directly or by a pack.
func (g *Group) hasService(u *User, service string) bool {
	if contains(u.Services, service) {
		return true
	}
	for _, p := range u.ServicePacks {
		if sp := g.pack(p); sp != nil && contains(sp.Services, service) {
			return true
		}
	}
	return false
}

// serviceUsage counts the group's users of each user service and pack.
func (w *world) serviceUsage(spID string, g *Group) (services, packs map[string]int) {
	services, packs = map[string]int{}, map[string]int{}
	for _, u := range w.usersIn(spID, g.ID) {
		seen := map[string]bool{}
		for _, s := range u.Services {
			seen[s] = true
		}
		for _, p := range u.ServicePacks {
			packs[p]++
			if sp := g.pack(p); sp != nil {
				for _, s := range sp.Services {
					seen[s] = true
				}
			}
		}
		for s := range seen {
			services[s]++
		}
	}
	return services, packs
}

func limitCols(n int) (limited, quantity string) {
	if n < 0 {
		return "Unlimited", "-1"
	}
	return "Limited", strconv.Itoa(n)
}

func hGroupServiceAuthList(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	used, packUsed := c.w.serviceUsage(sp.ID, g)
	names := append([]string(nil), userServices...)
	for _, s := range g.Services {
		if !contains(names, s) {
			names = append(names, s)
		}
	}
	sort.Strings(names)
	var users [][]string
	for _, n := range names {
		auth := contains(g.Services, n)
		limited, qty := "Unlimited", "-1"
		if auth {
			limited, qty = limitCols(g.limit(n))
		}
		users = append(users, []string{n, strconv.FormatBool(auth), strconv.FormatBool(used[n] > 0), limited, qty,
			strconv.Itoa(used[n]), "true", "-1", "true", "true"})
	}
	var packs [][]string
	for _, p := range g.ServicePacks {
		limited, qty := limitCols(p.Limit)
		packs = append(packs, []string{p.Name, "true", strconv.FormatBool(packUsed[p.Name] > 0), limited, qty, "-1",
			strconv.Itoa(packUsed[p.Name]), p.Description})
	}
	w := &builder{}
	w.table("servicePacksAuthorizationTable", servicePackAuthHeadings, packs)
	w.table("groupServicesAuthorizationTable", groupServiceAuthHeadings, nil)
	w.table("userServicesAuthorizationTable", userServiceAuthHeadings, users)
	return data("GroupServiceGetAuthorizationListResponse", w)
}

func hUserServiceAssignments(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	_, g, err := c.w.group(u.ServiceProviderID, u.GroupID)
	if err != nil {
		return failure(err)
	}
	var packs, services [][]string
	for _, p := range g.ServicePacks {
		packs = append(packs, []string{p.Name, strconv.FormatBool(contains(u.ServicePacks, p.Name)), p.Description})
	}
	names := append([]string(nil), g.Services...)
	sort.Strings(names)
	for _, n := range names {
		services = append(services, []string{n, strconv.FormatBool(g.hasService(u, n))})
	}
	w := &builder{}
	w.table("servicePacksAssignmentTable", []string{"Service Pack Name", "Assigned", "Description"}, packs)
	w.table("userServicesAssignmentTable", []string{"Service Name", "Assigned"}, services)
	return data("UserServiceGetAssignmentListResponse", w)
}

// hUserServiceAssign assigns what it can and refuses the rest: a name
// outside the schema's UserService list fails the whole command (6004,
// before anything changes); a service or pack not authorised to the group
// (4410) or whose quantity is used up (4411) is left out, and the answer
// is then a Warning when something else was assigned, else an Error.
func hUserServiceAssign(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	sp, g, err := c.w.group(u.ServiceProviderID, u.GroupID)
	if err != nil {
		return failure(err)
	}
	names := e.vals("serviceName")
	for _, n := range names {
		// The schema types serviceName as the UserService enumeration: a
		// name outside it fails validation before anything is assigned.
		if !schemaUserServices[n] {
			return failure(validationFailure(fmt.Sprintf("Element 'serviceName': [facet 'enumeration'] The value '%s' is not an element of the set of UserService values (in UserServiceAssignListRequest)", n)))
		}
	}
	used, packUsed := c.w.serviceUsage(sp.ID, g)
	var notAuth, full []string
	assigned := 0
	for _, n := range names {
		switch {
		case !contains(g.Services, n):
			notAuth = append(notAuth, n)
		case g.hasService(u, n):
			if !contains(u.Services, n) {
				u.Services = append(u.Services, n)
				sort.Strings(u.Services)
			}
			assigned++
		case g.limit(n) >= 0 && used[n] >= g.limit(n):
			full = append(full, fmt.Sprintf("%s (%d of %d used)", n, used[n], g.limit(n)))
		default:
			u.Services = append(u.Services, n)
			sort.Strings(u.Services)
			used[n]++
			assigned++
		}
	}
	for _, n := range e.vals("servicePackName") {
		p := g.pack(n)
		switch {
		case p == nil:
			notAuth = append(notAuth, n+" (service pack)")
		case contains(u.ServicePacks, n):
			assigned++
		case p.Limit >= 0 && packUsed[n] >= p.Limit:
			full = append(full, fmt.Sprintf("%s (service pack, %d of %d used)", n, packUsed[n], p.Limit))
		default:
			u.ServicePacks = append(u.ServicePacks, n)
			sort.Strings(u.ServicePacks)
			packUsed[n]++
			assigned++
		}
	}
	if assigned > 0 {
		c.mutated = true
	}
	var r *ociError
	switch {
	case len(notAuth) > 0:
		r = errorf(codeServiceNotAuth, "Service not authorized for group %s: %s", g.ID, strings.Join(append(notAuth, full...), ", "))
	case len(full) > 0:
		r = errorf(codeServiceLimit, "Service limit exceeded for group %s: %s", g.ID, strings.Join(full, ", "))
	default:
		return success()
	}
	if assigned > 0 {
		r.Type = "Warning"
	}
	return failure(r)
}
