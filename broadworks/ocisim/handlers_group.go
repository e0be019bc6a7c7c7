package ocisim

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// groupOf resolves serviceProviderId/groupId of a group command after the
// scope check (so an admin cannot probe other groups).
func (c *call) groupOf(e *element) (*ServiceProvider, *Group, *ociError) {
	sp, g := e.val("serviceProviderId"), e.val("groupId")
	if sp == "" {
		return nil, nil, errorf(codeGroupNotFound, "Group not found: external id %s", e.val("groupExternalId"))
	}
	return c.scopedGroup(sp, g)
}

// spOf finds the service provider a command names by serviceProviderId
// (the simulator keeps no external ids), in the admin's scope.
func (c *call) spOf(e *element) (*ServiceProvider, *ociError) {
	id := e.val("serviceProviderId")
	if id == "" {
		return nil, errorf(codeSPNotFound, "Service Provider not found: external id %s", e.val("serviceProviderExternalId"))
	}
	return c.scopedSP(id)
}

// scopedGroup looks a group up after checking that the logged-in admin may
// reach it: the scope is checked first, so an out-of-scope admin learns
// nothing about what exists.
func (c *call) scopedGroup(spID, groupID string) (*ServiceProvider, *Group, *ociError) {
	if err := c.groupScope(spID, groupID); err != nil {
		return nil, nil, err
	}
	return c.w.group(spID, groupID)
}

// scopedSP looks a service provider up after checking that the logged-in
// admin may reach it.
func (c *call) scopedSP(id string) (*ServiceProvider, *ociError) {
	if err := c.spScope(id); err != nil {
		return nil, err
	}
	return c.w.sp(id)
}

func hGroupList(c *call, e *element) result {
	id := e.val("serviceProviderId")
	sp, err := c.scopedSP(id)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, g := range sortedGroups(sp) {
		if criteriaMatch(e, "searchCriteriaGroupId", g.ID) && criteriaMatch(e, "searchCriteriaGroupName", g.Name) {
			rows = append(rows, []string{g.ID, g.Name, strconv.Itoa(g.UserLimit)})
		}
	}
	w := &builder{}
	w.table("groupTable", []string{"Group Id", "Group Name", "User Limit"}, limitRows(rows, sizeLimit(e)))
	return data("GroupGetListInServiceProviderResponse", w)
}

func hGroupAdd(c *call, e *element) result {
	sp, err := c.spOf(e)
	if err != nil {
		return failure(err)
	}
	gid := e.val("groupId")
	if gid == "" {
		return failure(validationFailure("Element 'groupId' is required by this simulator (in " + c.cmd + ")"))
	}
	if _, ok := sp.Groups[gid]; ok {
		return failure(errorf(codeGroupExists, "Group already exists: %s:%s", sp.ID, gid))
	}
	dom := e.val("defaultDomain")
	if !contains(sp.Domains, dom) {
		return failure(errorf(codeDomainNotAssigned, "Domain not assigned to the service provider %s: %s", sp.ID, dom))
	}
	limit, _ := strconv.Atoi(e.val("userLimit"))
	g := &Group{
		ID: gid, Name: e.val("groupName"), DefaultDomain: dom, Domains: []string{dom}, UserLimit: limit,
		TimeZone: c.w.ServerTimeZone, CallingLineIDName: e.val("callingLineIdName"),
		ExtMin: 2, ExtMax: 6, ExtDefault: 4,
		Numbers: map[string]bool{}, Devices: map[string]*Device{},
		Departments: []Department{}, TrunkGroups: []Trunk{},
		Services: append([]string(nil), userServices...),
	}
	if tz := e.val("timeZone"); tz != "" {
		if _, ok := c.w.timeZone(tz); !ok {
			return failure(errorf(codeTimeZoneInvalid, "Invalid time zone: %s", tz))
		}
		g.TimeZone = tz
	}
	for _, d := range e.vals("domain") {
		if !contains(sp.Domains, d) {
			return failure(errorf(codeDomainNotAssigned, "Domain not assigned to the service provider %s: %s", sp.ID, d))
		}
		if !contains(g.Domains, d) {
			g.Domains = append(g.Domains, d)
		}
	}
	for name, dst := range map[string]*int{"minExtensionLength": &g.ExtMin, "maxExtensionLength": &g.ExtMax, "defaultExtensionLength": &g.ExtDefault} {
		if v := e.val(name); v != "" {
			*dst, _ = strconv.Atoi(v)
		}
	}
	if g.ExtMin > g.ExtMax || g.ExtDefault < g.ExtMin || g.ExtDefault > g.ExtMax {
		return failure(errorf(codeExtensionLengths, "Invalid extension lengths: minimum %d, maximum %d, default %d", g.ExtMin, g.ExtMax, g.ExtDefault))
	}
	var dns []string
	for _, a := range e.children("activatablePhoneNumber") {
		dns = append(dns, nationalDN(a.val("DN")))
	}
	for _, r := range e.children("activatableDNRange") {
		fake := &element{Kids: []*element{{Name: "dnRange", Kids: r.Kids}}}
		more, err := dnList(fake)
		if err != nil {
			return failure(err)
		}
		dns = append(dns, more...)
	}
	for _, n := range dns {
		owner, ok := sp.Numbers[n]
		if !ok {
			return failure(errorf(codeDNNotInSP, "Phone number not in the service provider's pool: %s", n))
		}
		if owner != "" {
			return failure(errorf(codeDNNotAvailable, "Phone number already assigned to group %s: %s", owner, n))
		}
	}
	for _, n := range dns {
		sp.Numbers[n] = gid
		g.Numbers[n] = true
	}
	sp.Groups[gid] = g
	c.w.AddCounts[c.cmd]++
	c.mutated = true
	return success()
}

func hGroupGet(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	tz, _ := c.w.timeZone(g.TimeZone)
	if tz.Display == "" {
		tz = TimeZone{Key: g.TimeZone, Display: g.TimeZone}
	}
	w := &builder{}
	w.leaf("defaultDomain", g.DefaultDomain)
	w.integer("userLimit", g.UserLimit)
	w.integer("userCount", c.w.userCount(sp.ID, g.ID))
	w.opt("groupName", g.Name)
	w.opt("callingLineIdName", g.CallingLineIDName)
	w.leaf("timeZone", tz.Key)
	w.leaf("timeZoneDisplayName", tz.Display)
	w.leaf("serviceProviderId", sp.ID)
	w.leaf("groupId", g.ID)
	return data("GroupGetResponse22V5", w)
}

func hGroupDelete(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	if c.level() == LevelGroup {
		return failure(unauthorized())
	}
	if n := c.w.userCount(sp.ID, g.ID); n > 0 {
		return failure(errorf(codeDeleteNotEmpty, "Group %s:%s still has %d users", sp.ID, g.ID, n))
	}
	for n := range g.Numbers {
		sp.Numbers[n] = ""
	}
	delete(sp.Groups, g.ID)
	c.mutated = true
	return success()
}

func hGroupRules(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	writeRules(w, c.w.rulesFor(sp, g), false)
	return data("GroupPasswordRulesGetResponseRI", w)
}

// freeNumbers lists the group's DNs not held by a user, sorted.
func (w *world) freeNumbers(sp *ServiceProvider, g *Group) []string {
	var out []string
	for n := range g.Numbers {
		if u := w.numberOwner(n); u == nil || u.ServiceProviderID != sp.ID || u.GroupID != g.ID {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func hGroupDnAvailable(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	for _, n := range c.w.freeNumbers(sp, g) {
		w.leaf("phoneNumber", n)
	}
	return data("GroupDnGetAvailableListResponse", w)
}

// hGroupDnDetailedAvailable lists the group's numbers no user holds, with
// whether each is activated (no number is in a department here).
func hGroupDnDetailedAvailable(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, n := range c.w.freeNumbers(sp, g) {
		rows = append(rows, []string{n, "", strconv.FormatBool(g.Numbers[n])})
	}
	w := &builder{}
	w.table("dnTable", []string{"Phone Number", "Department", "Activated"}, rows)
	return data("GroupDnGetDetailedAvailableListResponse", w)
}

// groupNumbers reads the group and the numbers of a GroupDnAssignList or
// GroupDnUnassignList request; moving numbers between the service provider
// and a group is above a group admin.
func (c *call) groupNumbers(e *element) (*ServiceProvider, *Group, []string, *ociError) {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return nil, nil, nil, err
	}
	if c.level() == LevelGroup {
		return nil, nil, nil, unauthorized()
	}
	nums, err := dnList(e)
	if err != nil {
		return nil, nil, nil, err
	}
	return sp, g, nums, nil
}

func hGroupDnAssign(c *call, e *element) result {
	sp, g, nums, err := c.groupNumbers(e)
	if err != nil {
		return failure(err)
	}
	for _, n := range nums {
		owner, ok := sp.Numbers[n]
		if !ok {
			return failure(errorf(codeDNNotInSP, "Phone number not in the service provider's pool: %s", n))
		}
		if owner != "" && owner != g.ID {
			return failure(errorf(codeDNNotAvailable, "Phone number already assigned to group %s: %s", owner, n))
		}
	}
	for _, n := range nums {
		sp.Numbers[n] = g.ID
		if _, ok := g.Numbers[n]; !ok {
			g.Numbers[n] = false
		}
	}
	c.mutated = true
	return success()
}

func hGroupDnUnassign(c *call, e *element) result {
	sp, g, nums, err := c.groupNumbers(e)
	if err != nil {
		return failure(err)
	}
	for _, n := range nums {
		if _, ok := g.Numbers[n]; !ok {
			return failure(errorf(codeDNNotAvailable, "Phone number not assigned to group %s: %s", g.ID, n))
		}
		if u := c.w.numberOwner(n); u != nil {
			return failure(errorf(codeDNInUse, "Phone number is assigned to user %s: %s", u.UserID, n))
		}
	}
	for _, n := range nums {
		delete(g.Numbers, n)
		sp.Numbers[n] = ""
	}
	c.mutated = true
	return success()
}

func hGroupDnActivate(c *call, e *element) result {
	_, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	nums, err := dnList(e)
	if err != nil {
		return failure(err)
	}
	for _, n := range nums {
		if _, ok := g.Numbers[n]; !ok {
			return failure(errorf(codeDNNotAvailable, "Phone number not assigned to group %s: %s", g.ID, n))
		}
	}
	for _, n := range nums {
		g.Numbers[n] = true
	}
	c.mutated = true
	return success()
}

func hGroupExtLength(c *call, e *element) result {
	_, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.integer("minExtensionLength", g.ExtMin)
	w.integer("maxExtensionLength", g.ExtMax)
	w.integer("defaultExtensionLength", g.ExtDefault)
	w.boolean("useEnterpriseExtensionLengthSetting", false)
	return data("GroupExtensionLengthGetResponse22", w)
}

func hDeviceList(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	exact := e.child("searchCriteriaExactDeviceType")
	for _, name := range sortedKeys(g.Devices) {
		d := g.Devices[name]
		if !criteriaMatch(e, "searchCriteriaDeviceName", d.Name) || !criteriaMatch(e, "searchCriteriaDeviceMACAddress", d.MACAddress) ||
			!criteriaMatch(e, "searchCriteriaDeviceNetAddress", d.NetAddress) || !criteriaMatch(e, "searchCriteriaAccessDeviceVersion", "") {
			continue
		}
		if exact != nil && exact.val("deviceType") != d.Type {
			continue
		}
		avail := "Unlimited"
		if t, ok := c.w.deviceType(d.Type); ok && t.Ports > 0 {
			avail = strconv.Itoa(t.Ports - c.w.portsUsed(sp.ID, g.ID, d.Name))
		}
		rows = append(rows, []string{d.Name, d.Type, avail, d.NetAddress, d.MACAddress, "Online", "", ""})
	}
	w := &builder{}
	w.table("accessDeviceTable", []string{"Device Name", "Device Type", "Available Ports", "Net Address", "MAC Address", "Status", "Version", "Access Device External Id"}, limitRows(rows, sizeLimit(e)))
	return data("GroupAccessDeviceGetListResponse", w)
}

// deviceUserHeadings are the columns of GroupAccessDeviceGetUserListResponse21sp1.
var deviceUserHeadings = []string{"Line/Port", "Last Name", "First Name", "Phone Number", "User Id", "User Type",
	"Endpoint Type", "Order", "Primary Line/Port", "Extension", "Department", "Email Address", "Private Identity"}

// hDeviceUsers lists the users of the group whose line/port is on one of
// the group's devices: what must be known before the device is deleted.
func hDeviceUsers(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	name := e.val("deviceName")
	if _, ok := g.Devices[name]; !ok {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s", name))
	}
	cc := countryCode(g)
	var rows [][]string
	for _, u := range c.w.usersIn(sp.ID, g.ID) {
		if u.DeviceName != name || u.DeviceLevel == "Service Provider" {
			continue
		}
		if !criteriaMatch(e, "searchCriteriaUserId", u.UserID) || !criteriaMatch(e, "searchCriteriaUserLastName", u.LastName) ||
			!criteriaMatch(e, "searchCriteriaUserFirstName", u.FirstName) || !criteriaMatch(e, "searchCriteriaLinePortUserPart", strings.SplitN(u.LinePort, "@", 2)[0]) {
			continue
		}
		rows = append(rows, []string{u.LinePort, u.LastName, u.FirstName, listDN(cc, u.PhoneNumber), u.UserID, "Normal",
			"Primary", "1", "true", u.Extension, u.Department, u.EmailAddress, ""})
	}
	for _, u := range c.w.usersIn(sp.ID, g.ID) {
		for _, s := range u.SharedCallAppearances {
			if s.DeviceName != name || !criteriaMatch(e, "searchCriteriaUserId", u.UserID) || !criteriaMatch(e, "searchCriteriaUserLastName", u.LastName) ||
				!criteriaMatch(e, "searchCriteriaUserFirstName", u.FirstName) || !criteriaMatch(e, "searchCriteriaLinePortUserPart", strings.SplitN(s.LinePort, "@", 2)[0]) {
				continue
			}
			rows = append(rows, []string{s.LinePort, u.LastName, u.FirstName, listDN(cc, u.PhoneNumber), u.UserID, "Normal",
				"Shared Call Appearance", "1", "false", u.Extension, u.Department, u.EmailAddress, ""})
		}
	}
	w := &builder{}
	w.table("deviceUserTable", deviceUserHeadings, limitRows(rows, sizeLimit(e)))
	return data("GroupAccessDeviceGetUserListResponse21sp1", w)
}

// hDeviceGet answers GroupAccessDeviceGetRequest18sp1 from the stored device.
func hDeviceGet(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	d, ok := g.Devices[e.val("deviceName")]
	if !ok {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s", e.val("deviceName")))
	}
	w := &builder{}
	opt := func(name, v string) {
		if v != "" {
			w.leaf(name, v)
		}
	}
	w.leaf("deviceType", d.Type)
	opt("protocol", d.Protocol)
	opt("netAddress", d.NetAddress)
	if d.Port > 0 {
		w.leaf("port", strconv.Itoa(d.Port))
	}
	opt("macAddress", d.MACAddress)
	opt("serialNumber", d.SerialNumber)
	opt("description", d.Description)
	w.open("numberOfPorts")
	if t, ok := c.w.deviceType(d.Type); ok && t.Ports > 0 {
		w.leaf("quantity", strconv.Itoa(t.Ports))
	} else {
		w.leaf("unlimited", "true")
	}
	w.close("numberOfPorts")
	w.leaf("numberOfAssignedPorts", strconv.Itoa(c.w.portsUsed(sp.ID, g.ID, d.Name)))
	w.leaf("status", "Online")
	opt("physicalLocation", d.PhysicalLocation)
	opt("transportProtocol", d.Transport)
	w.leaf("useCustomUserNamePassword", strconv.FormatBool(d.HasCredentials))
	opt("userName", d.UserName)
	return data("GroupAccessDeviceGetResponse18sp1", w)
}

var macPattern = regexp.MustCompile(`^[0-9A-Fa-f]{12}$`)

func hDeviceAdd(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	name := e.val("deviceName")
	if _, ok := g.Devices[name]; ok {
		return failure(errorf(codeDeviceExists, "Access Device already exists: %s", name))
	}
	t, ok := c.w.deviceType(e.val("deviceType"))
	if !ok {
		return failure(errorf(codeDeviceTypeNotFound, "Device Type not found: %s", e.val("deviceType")))
	}
	mac := strings.ToUpper(macSeparators.Replace(e.val("macAddress")))
	if mac == "" && t.RequiresMAC {
		return failure(errorf(codeMACRequired, "A MAC address is required for device type %s", t.Name))
	}
	if mac != "" && !macPattern.MatchString(mac) {
		return failure(errorf(codeMACInvalid, "Invalid MAC address: %s", e.val("macAddress")))
	}
	if mac != "" {
		if d := c.w.macOwner(sp, mac); d != nil {
			return failure(errorf(codeDeviceExists, "Access Device already exists with MAC address %s: %s", mac, d.Name))
		}
	}
	port, _ := strconv.Atoi(e.val("port"))
	d := &Device{
		ServiceProviderID: sp.ID, GroupID: g.ID, Name: name, Type: t.Name,
		Protocol: e.val("protocol"), MACAddress: mac, SerialNumber: e.val("serialNumber"),
		Description: e.val("description"), PhysicalLocation: e.val("physicalLocation"),
		Transport: e.val("transportProtocol"), NetAddress: e.val("netAddress"), Port: port,
	}
	if cr := e.child("accessDeviceCredentials"); cr != nil {
		d.UserName = cr.val("userName")
		d.HasCredentials = true
	}
	g.Devices[name] = d
	c.w.indexDevice(d)
	c.w.AddCounts[c.cmd]++
	c.mutated = true
	return success()
}

func hDeviceDelete(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	name := e.val("deviceName")
	if _, ok := g.Devices[name]; !ok {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s", name))
	}
	if n := c.w.portsUsed(sp.ID, g.ID, name); n > 0 {
		return failure(errorf(codeDeviceInUse, "Access Device %s is in use by %d users", name, n))
	}
	for _, tg := range g.TrunkGroups {
		if tg.DeviceName == name {
			return failure(errorf(codeDeviceInUse, "Access Device %s is in use by trunk group %s", name, tg.Name))
		}
	}
	c.w.dropDevice(g.Devices[name])
	delete(g.Devices, name)
	c.mutated = true
	return success()
}

// macSeparators are what a MAC address may be written with.
var macSeparators = strings.NewReplacer(":", "", "-", "", ".", "")

func (g *Group) department(name string) (Department, bool) {
	for _, d := range g.Departments {
		if d.Name == name {
			return d, true
		}
	}
	return Department{}, false
}

func hDepartmentList(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	if boolVal(e.val("includeEnterpriseDepartments")) && sp.IsEnterprise {
		for _, d := range sp.Departments {
			rows = append(rows, []string{"true", d, d + " (" + sp.ID + ")", "", ""})
		}
	}
	for _, d := range g.Departments {
		full := d.Name
		if d.Parent != "" {
			full = d.Parent + "\\" + d.Name
		}
		rows = append(rows, []string{"false", d.Name, full, d.CLIDName, d.CLIDNumber})
	}
	w := &builder{}
	w.table("departmentTable", []string{"Is Enterprise Department", "Department Name", "Full Path Name", "Calling Line Id Name", "Calling Line Id Phone Number"}, rows)
	return data("GroupDepartmentGetListResponse18", w)
}

func hDepartmentAdd(c *call, e *element) result {
	_, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	name := e.val("departmentName")
	if _, ok := g.department(name); ok {
		return failure(errorf(codeDepartmentExists, "Department already exists: %s", name))
	}
	d := Department{Name: name, CLIDName: e.val("callingLineIdName"), CLIDNumber: e.val("callingLineIdPhoneNumber")}
	if p := e.child("parentDepartmentKey"); p != nil {
		if p.xsiType() != "GroupDepartmentKey" || p.val("serviceProviderId") != e.val("serviceProviderId") || p.val("groupId") != g.ID {
			return failure(errorf(codeDepartmentNotFound, "Parent department not found: %s", p.val("name")))
		}
		if _, ok := g.department(p.val("name")); !ok {
			return failure(errorf(codeDepartmentNotFound, "Parent department not found: %s", p.val("name")))
		}
		d.Parent = p.val("name")
	}
	g.Departments = append(g.Departments, d)
	c.mutated = true
	return success()
}

func hDepartmentDelete(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	name := e.val("departmentName")
	if _, ok := g.department(name); !ok {
		return failure(errorf(codeDepartmentNotFound, "Department not found: %s", name))
	}
	for _, u := range c.w.usersIn(sp.ID, g.ID) {
		if u.Department == name && !u.DepartmentIsEnterprise {
			u.Department = ""
		}
	}
	out := g.Departments[:0]
	for _, d := range g.Departments {
		if d.Name != name {
			if d.Parent == name {
				d.Parent = ""
			}
			out = append(out, d)
		}
	}
	g.Departments = out
	c.mutated = true
	return success()
}

func hGroupDomains(c *call, e *element) result {
	_, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.leaf("groupDefaultDomain", g.DefaultDomain)
	for _, d := range g.Domains {
		w.leaf("domain", d)
	}
	return data("GroupDomainGetAssignedListResponse", w)
}

func hTrunkGroups(c *call, e *element) result {
	_, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	onlyDev := boolVal(e.val("onlyTrunkGroupsWithDevice"))
	for _, t := range g.TrunkGroups {
		if onlyDev && t.DeviceName == "" {
			continue
		}
		if dep := e.val("groupDepartmentName"); dep != "" {
			continue // trunk groups of the simulator belong to no department
		}
		level := ""
		if t.DeviceName != "" {
			level = "Group"
		}
		rows = append(rows, []string{t.Name, "", t.DeviceName, level, g.ID})
	}
	w := &builder{}
	w.table("trunkGroupTable", []string{"Name", "Department", "Device Name", "Device Level", "Group Id"}, rows)
	return data("GroupTrunkGroupGetInstanceListResponse14sp4", w)
}

func hGroupEnterpriseTrunks(c *call, e *element) result {
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, t := range sp.EnterpriseTrunks {
		if contains(g.EnterpriseTrunks, t.Name) {
			rows = append(rows, []string{t.Name, t.Routing})
		}
	}
	w := &builder{}
	w.table("enterpriseTrunkTable", []string{"Enterprise Trunk Name", "Routing Type"}, rows)
	return data("GroupEnterpriseTrunkGetListResponse", w)
}

// hDeviceModify answers GroupAccessDeviceModifyRequest14, which older
// clients send to change a device: an element left out keeps its value,
// xsi:nil clears it. The simulator keeps no external ids, so a device
// named by deviceExternalId is not found.
func hDeviceModify(c *call, e *element) result {
	if e.has("deviceExternalId") {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: external id %s", e.val("deviceExternalId")))
	}
	sp, g, err := c.groupOf(e)
	if err != nil {
		return failure(err)
	}
	d, ok := g.Devices[e.val("deviceName")]
	if !ok {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s", e.val("deviceName")))
	}
	next := *d
	set := func(name string, field *string) {
		if k := e.child(name); k != nil {
			*field = ""
			if !k.isNil() {
				*field = strings.TrimSpace(k.Text)
			}
		}
	}
	set("protocol", &next.Protocol)
	set("netAddress", &next.NetAddress)
	set("serialNumber", &next.SerialNumber)
	set("description", &next.Description)
	set("physicalLocation", &next.PhysicalLocation)
	set("transportProtocol", &next.Transport)
	if k := e.child("port"); k != nil {
		next.Port = 0
		if !k.isNil() {
			next.Port, _ = strconv.Atoi(strings.TrimSpace(k.Text))
		}
	}
	if k := e.child("macAddress"); k != nil {
		next.MACAddress = ""
		if !k.isNil() {
			mac := strings.ToUpper(macSeparators.Replace(strings.TrimSpace(k.Text)))
			if !macPattern.MatchString(mac) {
				return failure(errorf(codeMACInvalid, "Invalid MAC address: %s", k.Text))
			}
			if o := c.w.macOwner(sp, mac); o != nil && o != d {
				return failure(errorf(codeDeviceExists, "Access Device already exists with MAC address %s: %s", mac, o.Name))
			}
			next.MACAddress = mac
		}
	}
	if t, ok := c.w.deviceType(d.Type); ok && t.RequiresMAC && next.MACAddress == "" {
		return failure(errorf(codeMACRequired, "A MAC address is required for device type %s", t.Name))
	}
	if k := e.child("accessDeviceCredentials"); k != nil {
		next.UserName, next.HasCredentials = "", false
		if !k.isNil() {
			next.UserName, next.HasCredentials = k.val("userName"), true
		}
	}
	if e.val("useCustomUserNamePassword") == "false" {
		next.UserName, next.HasCredentials = "", false
	}
	c.w.dropDevice(d)
	*d = next
	c.w.indexDevice(d)
	c.mutated = true
	return success()
}
