package ocisim

import (
	"strconv"
	"strings"
)

// SCAEndpoint is one of a user's Shared Call Appearance endpoints: a
// line/port on a group device besides the user's primary one. It takes a
// port of the device, as the primary line/port does.
type SCAEndpoint struct {
	DeviceLevel      string `json:"deviceLevel"`
	DeviceName       string `json:"deviceName"`
	LinePort         string `json:"linePort"`
	Contact          string `json:"contact,omitempty"`
	PortNumber       int    `json:"portNumber,omitempty"`
	IsActive         bool   `json:"isActive"`
	AllowOrigination bool   `json:"allowOrigination"`
	AllowTermination bool   `json:"allowTermination"`
}

// maxSCAAppearances is the Shared Call Appearance service's maximum
// number of appearances of a user (maxAppearances in its get response).
const maxSCAAppearances = 35

// hasService reports whether u holds a user service whose name starts
// with prefix, by itself or in one of the group's service packs.
func hasService(g *Group, u *User, prefix string) bool {
	for _, s := range u.Services {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	for _, p := range g.ServicePacks {
		if !contains(u.ServicePacks, p.Name) {
			continue
		}
		for _, s := range p.Services {
			if strings.HasPrefix(s, prefix) {
				return true
			}
		}
	}
	return false
}

// scaUser finds the user of a Shared Call Appearance request and its
// group; the user must have the service.
func (c *call) scaUser(e *element) (*User, *ServiceProvider, *Group, *ociError) {
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return nil, nil, nil, err
	}
	sp, g, err := c.w.group(u.ServiceProviderID, u.GroupID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !hasService(g, u, "Shared Call Appearance") {
		return nil, nil, nil, errorf(codeServiceNotAssigned, "Service not assigned to the user %s: Shared Call Appearance", u.UserID)
	}
	return u, sp, g, nil
}

// hSCAAddEndpoint answers UserSharedCallAppearanceAddEndpointRequest14sp2:
// the device must be one of the user's group, the line/port must be free
// in the whole system and well formed for the device type's addressing,
// and the device must have a free port.
func hSCAAddEndpoint(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	u, sp, g, err := c.scaUser(e)
	if err != nil {
		return failure(err)
	}
	ep := e.child("accessDeviceEndpoint")
	ad := ep.child("accessDevice")
	level, name, lp := ad.val("deviceLevel"), ad.val("deviceName"), ep.val("linePort")
	if level != "Group" {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s (%s level)", name, level))
	}
	d, ok := g.Devices[name]
	if !ok {
		return failure(errorf(codeDeviceNotFound, "Access Device not found: %s", name))
	}
	if err := c.w.checkDeviceLinePort(d, lp); err != nil {
		return failure(err)
	}
	if o := c.w.linePortOwner(lp); o != nil {
		return failure(errorf(codeLinePortInUse, "Line/port is already in use by user %s: %s", o.UserID, lp))
	}
	if len(u.SharedCallAppearances) >= maxSCAAppearances {
		return failure(errorf(codeServiceLimit, "User %s has the most Shared Call Appearance endpoints allowed (%d)", u.UserID, maxSCAAppearances))
	}
	if t, _ := c.w.deviceType(d.Type); t.Ports > 0 && c.w.portsUsed(sp.ID, g.ID, name) >= t.Ports {
		return failure(errorf(codeDevicePortsFull, "Access Device %s has no free port (%d ports)", name, t.Ports))
	}
	next := u.clone()
	s := SCAEndpoint{
		DeviceLevel: level, DeviceName: name, LinePort: lp, Contact: ep.val("contact"),
		IsActive: boolVal(e.val("isActive")), AllowOrigination: boolVal(e.val("allowOrigination")),
		AllowTermination: boolVal(e.val("allowTermination")),
	}
	if ep.has("portNumber") {
		s.PortNumber, _ = strconv.Atoi(strings.TrimSpace(ep.val("portNumber")))
	}
	next.SharedCallAppearances = append(next.SharedCallAppearances, s)
	c.w.putUser(&next)
	c.mutated = true
	return success()
}

// hSCADeleteEndpoints answers UserSharedCallAppearanceDeleteEndpointListRequest14:
// every endpoint named must be the user's; none is removed otherwise.
func hSCADeleteEndpoints(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	u, _, _, err := c.scaUser(e)
	if err != nil {
		return failure(err)
	}
	next := u.clone()
	for _, ep := range e.children("accessDeviceEndpoint") {
		ad := ep.child("accessDevice")
		level, name, lp := ad.val("deviceLevel"), ad.val("deviceName"), ep.val("linePort")
		i := -1
		for k, s := range next.SharedCallAppearances {
			if s.DeviceLevel == level && s.DeviceName == name && strings.EqualFold(s.LinePort, lp) {
				i = k
				break
			}
		}
		if i < 0 {
			return failure(errorf(codeDeviceNotFound, "Shared Call Appearance endpoint not found: %s on %s", lp, name))
		}
		next.SharedCallAppearances = append(next.SharedCallAppearances[:i:i], next.SharedCallAppearances[i+1:]...)
	}
	c.w.putUser(&next)
	c.mutated = true
	return success()
}

// scaHeadings are the endpointTable columns of each get version (the
// schema's documentation of its response).
var scaHeadings = map[string][]string{
	"UserSharedCallAppearanceGetRequest16sp2": {"Device Level", "Device Name", "Device Type", "Line/Port", "SIP Contact", "Port Number",
		"Device Support Visual Device Management"},
	"UserSharedCallAppearanceGetRequest21sp1": {"Device Level", "Device Name", "Device Type", "Line/Port", "SIP Contact", "Port Number",
		"Device Support Visual Device Management", "Is Active", "Allow Origination", "Allow Termination", "Mac Address", "Path Header"},
}

// hSCAGet answers UserSharedCallAppearanceGetRequest16sp2 and 21sp1: the
// service's settings (the defaults) and the user's endpoints.
func hSCAGet(c *call, e *element) result {
	u, _, g, err := c.scaUser(e)
	if err != nil {
		return failure(err)
	}
	headings := scaHeadings[c.cmd]
	var rows [][]string
	for _, s := range u.SharedCallAppearances {
		d := g.Devices[s.DeviceName]
		typ, mac := "", ""
		if d != nil {
			typ, mac = d.Type, d.MACAddress
		}
		port := ""
		if s.PortNumber > 0 {
			port = strconv.Itoa(s.PortNumber)
		}
		row := []string{s.DeviceLevel, s.DeviceName, typ, s.LinePort, s.Contact, port, "false",
			strconv.FormatBool(s.IsActive), strconv.FormatBool(s.AllowOrigination), strconv.FormatBool(s.AllowTermination), mac, ""}
		rows = append(rows, row[:len(headings)])
	}
	w := &builder{}
	w.boolean("alertAllAppearancesForClickToDialCalls", false)
	w.boolean("alertAllAppearancesForGroupPagingCalls", false)
	w.integer("maxAppearances", maxSCAAppearances)
	w.boolean("allowSCACallRetrieve", false)
	w.boolean("enableMultipleCallArrangement", false)
	w.boolean("multipleCallArrangementIsActive", false)
	w.table("endpointTable", headings, rows)
	w.boolean("allowBridgingBetweenLocations", false)
	w.leaf("bridgeWarningTone", "None")
	w.boolean("enableCallParkNotification", false)
	return data(strings.Replace(c.cmd, "Request", "Response", 1), w)
}
