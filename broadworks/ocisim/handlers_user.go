package ocisim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

var linePortPattern = regexp.MustCompile(`^\+?[A-Za-z0-9\-_.!~*'()]+(@[A-Za-z0-9\-_.!~*'()]+)?$`)

// checkPassword applies password rules; the error never contains the password.
func checkPassword(r PasswordRules, userID, pw, oldSHA1 string) *ociError {
	var digits, upper, lower, other int
	for _, ch := range pw {
		switch {
		case unicode.IsDigit(ch):
			digits++
		case unicode.IsUpper(ch):
			upper++
		case unicode.IsLower(ch):
			lower++
		default:
			other++
		}
	}
	fail := func(why string) *ociError {
		return errorf(codePasswordRules, "Password does not comply with the password rules: %s", why)
	}
	userPart, _, _ := strings.Cut(userID, "@")
	switch {
	case len([]rune(pw)) < r.MinLength:
		return fail(fmt.Sprintf("it must be at least %d characters long", r.MinLength))
	case digits < r.MinDigits:
		return fail(fmt.Sprintf("it must contain at least %d digits", r.MinDigits))
	case upper < r.MinUpper:
		return fail(fmt.Sprintf("it must contain at least %d upper-case letters", r.MinUpper))
	case lower < r.MinLower:
		return fail(fmt.Sprintf("it must contain at least %d lower-case letters", r.MinLower))
	case other < r.MinNonAlphanumeric:
		return fail(fmt.Sprintf("it must contain at least %d non-alphanumeric characters", r.MinNonAlphanumeric))
	case r.DisallowUserID && userPart != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(userPart)):
		return fail("it must not contain the user id")
	case r.DisallowOldPassword && oldSHA1 != "" && sha1Hex(pw) == oldSHA1:
		return fail("it must differ from the old password")
	}
	return nil
}

func extensionError(g *Group) *ociError {
	return errorf(codeExtensionInvalid, "Invalid extension.  The extension length for this group %s is %d to %d digits long.", g.ID, g.ExtMin, g.ExtMax)
}

// checkExtension validates an extension for a group; self is the user being
// changed (its own extension does not clash).
func (w *world) checkExtension(sp *ServiceProvider, g *Group, ext, self string) *ociError {
	if len(ext) < g.ExtMin || len(ext) > g.ExtMax {
		return extensionError(g)
	}
	for _, ch := range ext {
		if ch < '0' || ch > '9' {
			return extensionError(g)
		}
	}
	if u := w.extensionOwner(sp.ID, g.ID, ext); u != nil && u.UserID != self {
		return errorf(codeExtensionInUse, "Extension %s is already assigned to user %s in group %s", ext, u.UserID, g.ID)
	}
	return nil
}

// checkNumber validates a DN for a user of a group.
func (w *world) checkNumber(g *Group, dn, self string) *ociError {
	n := nationalDN(dn)
	if _, ok := g.Numbers[n]; !ok {
		return errorf(codeDNNotAvailable, "Phone number is not available in group %s: %s", g.ID, dn)
	}
	if u := w.numberOwner(n); u != nil && u.UserID != self {
		return errorf(codeDNInUse, "Phone number is already assigned to user %s: %s", u.UserID, dn)
	}
	return nil
}

// checkDepartment resolves a DepartmentKey element for a group.
func (w *world) checkDepartment(sp *ServiceProvider, g *Group, d *element) (name string, enterprise bool, err *ociError) {
	name = d.val("name")
	switch d.xsiType() {
	case "GroupDepartmentKey":
		if d.val("serviceProviderId") == sp.ID && d.val("groupId") == g.ID {
			if _, ok := g.department(name); ok {
				return name, false, nil
			}
		}
	case "EnterpriseDepartmentKey":
		if d.val("serviceProviderId") == sp.ID && sp.IsEnterprise && contains(sp.Departments, name) {
			return name, true, nil
		}
	}
	return "", false, errorf(codeDepartmentNotFound, "Department not found: %s", name)
}

func checkLinePort(lp string) *ociError {
	if strings.HasPrefix(strings.ToLower(lp), "sip:") || !linePortPattern.MatchString(lp) {
		return errorf(codeLinePortInvalid, "Invalid line/port: %s", lp)
	}
	return nil
}

// checkDeviceLinePort checks the form of a line/port on device d: a host
// part for a proxy-addressed device type, none for a device-addressed one.
func (w *world) checkDeviceLinePort(d *Device, lp string) *ociError {
	if err := checkLinePort(lp); err != nil {
		return err
	}
	t, _ := w.deviceType(d.Type)
	hasHost := strings.Contains(lp, "@")
	if proxy := t.Profile != "Intelligent Device Addressing"; proxy != hasHost {
		if proxy {
			return errorf(codeLinePortInvalid, "Invalid line/port: device type %s uses proxy addressing, the line/port needs a host part: %s", t.Name, lp)
		}
		return errorf(codeLinePortInvalid, "Invalid line/port: device type %s uses device addressing, the line/port must not have a host part: %s", t.Name, lp)
	}
	return nil
}

// linePortFree refuses a line/port another user holds, or one of u's own
// Shared Call Appearance endpoints, as u's primary line/port.
func (w *world) linePortFree(u *User, lp string) *ociError {
	o := w.linePortOwner(lp)
	if o == nil {
		return nil
	}
	if o.UserID != u.UserID {
		return errorf(codeLinePortInUse, "Line/port is already in use by user %s: %s", o.UserID, lp)
	}
	for _, s := range o.SharedCallAppearances {
		if strings.EqualFold(s.LinePort, lp) {
			return errorf(codeLinePortInUse, "Line/port is already in use by a Shared Call Appearance endpoint of user %s: %s", o.UserID, lp)
		}
	}
	return nil
}

// applyDevice puts u on a group device.
func (w *world) applyDevice(sp *ServiceProvider, g *Group, u *User, level, name, lp string) *ociError {
	if level != "Group" {
		return errorf(codeDeviceNotFound, "Access Device not found: %s (%s level)", name, level)
	}
	d, ok := g.Devices[name]
	if !ok {
		return errorf(codeDeviceNotFound, "Access Device not found: %s", name)
	}
	if err := w.checkDeviceLinePort(d, lp); err != nil {
		return err
	}
	t, _ := w.deviceType(d.Type)
	if err := w.linePortFree(u, lp); err != nil {
		return err
	}
	if t.Ports > 0 && u.DeviceName != name {
		if w.portsUsed(sp.ID, g.ID, name) >= t.Ports {
			return errorf(codeDevicePortsFull, "Access Device %s has no free port (%d ports)", name, t.Ports)
		}
	}
	u.DeviceLevel, u.DeviceName, u.LinePort = level, name, lp
	u.TrunkGroup, u.TrunkLinePort, u.EnterpriseTrunk = "", "", ""
	return nil
}

func (w *world) applyTrunk(sp *ServiceProvider, g *Group, u *User, tg, lp, et string) *ociError {
	if tg != "" {
		found := false
		for _, t := range g.TrunkGroups {
			found = found || t.Name == tg
		}
		if !found {
			return errorf(codeTrunkNotFound, "Trunk group not found: %s", tg)
		}
		if err := checkLinePort(lp); err != nil {
			return err
		}
		if err := w.linePortFree(u, lp); err != nil {
			return err
		}
	}
	if et != "" && !contains(g.EnterpriseTrunks, et) {
		return errorf(codeETrunkNotFound, "Enterprise trunk not found: %s", et)
	}
	u.TrunkGroup, u.TrunkLinePort, u.EnterpriseTrunk = tg, lp, et
	u.DeviceLevel, u.DeviceName, u.LinePort, u.Contacts = "", "", "", nil
	return nil
}

func readAddress(a *element, dst *Address) {
	if a != nil {
		setTexts(a, []textField{
			{"addressLine1", &dst.Line1}, {"addressLine2", &dst.Line2}, {"city", &dst.City},
			{"stateOrProvince", &dst.StateOrProvince}, {"zipOrPostalCode", &dst.ZipOrPostalCode}, {"country", &dst.Country},
		})
	}
}

// textField is an element a user add or modify carries as plain text and
// the field of the user it sets.
type textField struct {
	name string
	dst  *string
}

// setTexts applies setText to every field.
func setTexts(e *element, fields []textField) {
	for _, f := range fields {
		setText(e, f.name, f.dst)
	}
}

// nameFields are the user's names, as a user add and modify carry them.
func (u *User) nameFields() []textField {
	return []textField{
		{"lastName", &u.LastName}, {"firstName", &u.FirstName},
		{"callingLineIdLastName", &u.CallingLineIDLastName}, {"callingLineIdFirstName", &u.CallingLineIDFirstName},
		{"hiraganaLastName", &u.HiraganaLastName}, {"hiraganaFirstName", &u.HiraganaFirstName},
		{"callingLineIdPhoneNumber", &u.CallingLineIDPhone},
	}
}

// contactFields are the user's contact fields, as a user add and modify
// carry them.
func (u *User) contactFields() []textField {
	return []textField{
		{"title", &u.Title}, {"pagerPhoneNumber", &u.PagerPhoneNumber}, {"mobilePhoneNumber", &u.MobilePhoneNumber},
		{"emailAddress", &u.EmailAddress}, {"yahooId", &u.YahooID}, {"addressLocation", &u.AddressLocation},
		{"networkClassOfService", &u.NetworkClassOfService},
	}
}

func hUserAdd(c *call, e *element) result {
	spID, gID, uid := e.val("serviceProviderId"), e.val("groupId"), e.val("userId")
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	sp, g, err := c.scopedGroup(spID, gID)
	if err != nil {
		return failure(err)
	}
	if _, ok := c.w.Users[uid]; ok {
		return failure(errorf(codeUserExists, "User already exists: %s", uid))
	}
	if _, ok := c.w.Admins[uid]; ok {
		return failure(errorf(codeUserExists, "User already exists: %s", uid))
	}
	local, domain, ok := strings.Cut(uid, "@")
	if !ok || local == "" || domain == "" {
		return failure(errorf(codeDomainMissing, "The domain is required in the userId: %s", uid))
	}
	if !contains(g.Domains, domain) {
		return failure(errorf(codeDomainNotAssigned, "Domain %s is not assigned to group %s", domain, g.ID))
	}
	if n := c.w.userCount(sp.ID, g.ID); n >= g.UserLimit {
		return failure(errorf(codeUserLimit, "The user limit for group %s has been reached (%d of %d users)", g.ID, n, g.UserLimit))
	}
	u := &User{
		UserID: uid, ServiceProviderID: sp.ID, GroupID: g.ID,
		Language: c.w.DefaultLanguage, TimeZone: g.TimeZone, Aliases: e.vals("alias"),
		IsPlace: boolVal(e.val("isPlace")), AddedBy: c.cmd,
	}
	setTexts(e, u.nameFields())
	setTexts(e, u.contactFields())
	if nd := e.child("nameDialingName"); nd != nil {
		u.NameDialingLastName, u.NameDialingFirstName = nd.val("nameDialingLastName"), nd.val("nameDialingFirstName")
	}
	readAddress(e.child("address"), &u.Address)
	if dn := e.val("phoneNumber"); dn != "" {
		if err := c.w.checkNumber(g, dn, ""); err != nil {
			return failure(err)
		}
		u.PhoneNumber = nationalDN(dn)
	}
	if ext := e.val("extension"); ext != "" {
		if err := c.w.checkExtension(sp, g, ext, ""); err != nil {
			return failure(err)
		}
		u.Extension = ext
	} else if u.PhoneNumber != "" && len(u.PhoneNumber) >= g.ExtDefault {
		// Like BroadWorks: the extension defaults to the number's last digits.
		ext := u.PhoneNumber[len(u.PhoneNumber)-g.ExtDefault:]
		if c.w.checkExtension(sp, g, ext, "") == nil {
			u.Extension = ext
		}
	}
	if u.CallingLineIDPhone != "" {
		if err := c.w.checkNumber(g, u.CallingLineIDPhone, uid); err != nil && err.Code == codeDNNotAvailable {
			return failure(err)
		}
	}
	if pw := e.val("password"); pw != "" {
		if err := checkPassword(c.w.rulesFor(sp, g), uid, pw, ""); err != nil {
			return failure(err)
		}
		u.PasswordSHA1 = sha1Hex(pw)
	}
	if d := e.child("department"); d != nil {
		name, ent, err := c.w.checkDepartment(sp, g, d)
		if err != nil {
			return failure(err)
		}
		u.Department, u.DepartmentIsEnterprise = name, ent
	}
	if err := c.w.applyLocale(u, e); err != nil {
		return failure(err)
	}
	if ep := e.child("accessDeviceEndpoint"); ep != nil {
		ad := ep.child("accessDevice")
		if err := c.w.applyDevice(sp, g, u, ad.val("deviceLevel"), ad.val("deviceName"), ep.val("linePort")); err != nil {
			return failure(err)
		}
		for _, ct := range ep.children("contact") {
			if s := ct.val("sipContact"); s != "" {
				u.Contacts = append(u.Contacts, s)
			} else {
				u.Contacts = append(u.Contacts, ct.Text)
			}
		}
		u.UseHotline = boolVal(ep.val("useHotline"))
		u.HotlineContact = ep.val("hotlineContact")
	} else if ta := e.child("trunkAddressing"); ta != nil {
		tg := ta.child("trunkGroupDeviceEndpoint")
		if err := c.w.applyTrunk(sp, g, u, tg.val("name"), tg.val("linePort"), ta.val("enterpriseTrunkName")); err != nil {
			return failure(err)
		}
	}
	c.w.putUser(u)
	c.w.AddCounts[c.cmd]++
	c.mutated = true
	return success()
}

func (c *call) lookupUser(uid string) (*User, *ociError) {
	u, ok := c.w.Users[uid]
	if !ok {
		return nil, errorf(codeUserNotFound, "User not found: %s", uid)
	}
	if err := c.userScope(u); err != nil {
		return nil, err
	}
	return u, nil
}

func hUserModify(c *call, e *element) result {
	u0, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	sp, g, err := c.w.group(u0.ServiceProviderID, u0.GroupID)
	if err != nil {
		return failure(err)
	}
	u := *u0 // work on a copy: nothing changes unless every check passes
	u.Aliases = append([]string(nil), u0.Aliases...)
	setTexts(e, u.nameFields())
	if nd := e.child("nameDialingName"); nd != nil {
		u.NameDialingLastName, u.NameDialingFirstName = nd.val("nameDialingLastName"), nd.val("nameDialingFirstName")
	}
	if err := c.w.modifyNumber(sp, g, &u, e); err != nil {
		return failure(err)
	}
	if err := c.modifyPassword(sp, g, &u, e); err != nil {
		return failure(err)
	}
	if d := e.child("department"); d != nil {
		if d.isNil() {
			u.Department, u.DepartmentIsEnterprise = "", false
		} else {
			name, ent, err := c.w.checkDepartment(sp, g, d)
			if err != nil {
				return failure(err)
			}
			u.Department, u.DepartmentIsEnterprise = name, ent
		}
	}
	if err := c.w.applyLocale(&u, e); err != nil {
		return failure(err)
	}
	if x := e.child("sipAliasList"); x != nil {
		u.Aliases = x.vals("sipAlias")
	}
	if err := c.w.modifyEndpoint(sp, g, &u, e); err != nil {
		return failure(err)
	}
	setTexts(e, u.contactFields())
	readAddress(e.child("address"), &u.Address)
	c.w.putUser(&u)
	c.mutated = true
	return success()
}

// setText sets *dst to the text of e's child name when the child is
// there, to "" when it is nil; an absent child leaves *dst as it is.
func setText(e *element, name string, dst *string) {
	if x := e.child(name); x != nil {
		if x.isNil() {
			*dst = ""
		} else {
			*dst = x.Text
		}
	}
}

// modifyNumber applies a modify's phoneNumber and extension to u, each
// checked free in the group (u's own are).
func (w *world) modifyNumber(sp *ServiceProvider, g *Group, u *User, e *element) *ociError {
	if x := e.child("phoneNumber"); x != nil {
		if x.isNil() {
			u.PhoneNumber = ""
		} else {
			if err := w.checkNumber(g, x.Text, u.UserID); err != nil {
				return err
			}
			u.PhoneNumber = nationalDN(x.Text)
		}
	}
	if x := e.child("extension"); x != nil {
		if x.isNil() {
			u.Extension = ""
		} else {
			if err := w.checkExtension(sp, g, x.Text, u.UserID); err != nil {
				return err
			}
			u.Extension = x.Text
		}
	}
	return nil
}

// modifyPassword applies a modify's newPassword to u: a user changing
// their own, or anyone giving oldPassword, must give the old one right,
// and the new one must pass the group's rules.
func (c *call) modifyPassword(sp *ServiceProvider, g *Group, u *User, e *element) *ociError {
	x := e.child("newPassword")
	if x == nil || x.isNil() {
		return nil
	}
	old := u.PasswordSHA1
	if c.level() == LevelUser || e.has("oldPassword") {
		if sha1Hex(e.val("oldPassword")) != old {
			return errorf(codeOldPassword, "The old password is not correct")
		}
	}
	if err := checkPassword(c.w.rulesFor(sp, g), u.UserID, x.Text, old); err != nil {
		return err
	}
	u.PasswordSHA1 = sha1Hex(x.Text)
	return nil
}

// modifyEndpoint applies a modify's endpoint to u: nil takes the user off
// any device or trunk, accessDeviceEndpoint puts them on a device (what
// is not given stays as it was), trunkAddressing on a trunk group.
func (w *world) modifyEndpoint(sp *ServiceProvider, g *Group, u *User, e *element) *ociError {
	x := e.child("endpoint")
	switch {
	case x == nil:
		return nil
	case x.isNil():
		u.DeviceLevel, u.DeviceName, u.LinePort, u.Contacts = "", "", "", nil
		u.TrunkGroup, u.TrunkLinePort, u.EnterpriseTrunk = "", "", ""
		return nil
	case x.has("accessDeviceEndpoint"):
		ep := x.child("accessDeviceEndpoint")
		level, name, lp := u.DeviceLevel, u.DeviceName, u.LinePort
		if ad := ep.child("accessDevice"); ad != nil {
			level, name = ad.val("deviceLevel"), ad.val("deviceName")
		}
		if ep.has("linePort") {
			lp = ep.val("linePort")
		}
		if name == "" || lp == "" {
			return errorf(codeDeviceNotFound, "Access Device not found: the user has no device; give accessDevice and linePort")
		}
		if err := w.applyDevice(sp, g, u, level, name, lp); err != nil {
			return err
		}
		if ep.has("useHotline") {
			u.UseHotline = boolVal(ep.val("useHotline"))
		}
		setText(e, "hotlineContact", &u.HotlineContact)
		return nil
	}
	ta := x.child("trunkAddressing")
	tg, lp, et := u.TrunkGroup, u.TrunkLinePort, u.EnterpriseTrunk
	if t := ta.child("trunkGroupDeviceEndpoint"); t != nil {
		if t.isNil() {
			tg, lp = "", ""
		} else {
			if t.has("name") {
				tg = t.val("name")
			}
			if t.has("linePort") {
				lp = t.val("linePort")
			}
		}
	}
	if x := ta.child("enterpriseTrunkName"); x != nil {
		et = ""
		if !x.isNil() {
			et = x.Text
		}
	}
	return w.applyTrunk(sp, g, u, tg, lp, et)
}

// listDN writes a number as list tables do: "+1-2025550100".
func listDN(cc, dn string) string {
	if dn == "" {
		return ""
	}
	return "+" + cc + "-" + dn
}

func countryCode(g *Group) string {
	if strings.HasPrefix(g.TimeZone, "Europe/London") {
		return "44"
	}
	return "1"
}

func hUserGet(c *call, e *element) result {
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	sp, g, err := c.w.group(u.ServiceProviderID, u.GroupID)
	if err != nil {
		return failure(err)
	}
	w := &builder{}
	w.leaf("serviceProviderId", u.ServiceProviderID)
	w.leaf("groupId", u.GroupID)
	w.leaf("userId", u.UserID)
	w.leaf("lastName", u.LastName)
	w.leaf("firstName", u.FirstName)
	w.leaf("callingLineIdLastName", u.CallingLineIDLastName)
	w.leaf("callingLineIdFirstName", u.CallingLineIDFirstName)
	if u.NameDialingLastName != "" {
		w.open("nameDialingName")
		w.leaf("nameDialingLastName", u.NameDialingLastName)
		w.leaf("nameDialingFirstName", u.NameDialingFirstName)
		w.close("nameDialingName")
	}
	w.opt("hiraganaLastName", u.HiraganaLastName)
	w.opt("hiraganaFirstName", u.HiraganaFirstName)
	w.opt("phoneNumber", u.PhoneNumber)
	w.opt("extension", u.Extension)
	w.opt("callingLineIdPhoneNumber", u.CallingLineIDPhone)
	if u.Department != "" {
		if u.DepartmentIsEnterprise {
			w.raw(`<department xsi:type="EnterpriseDepartmentKey">`)
			w.leaf("serviceProviderId", sp.ID)
		} else {
			w.raw(`<department xsi:type="GroupDepartmentKey">`)
			w.leaf("serviceProviderId", sp.ID)
			w.leaf("groupId", g.ID)
		}
		w.leaf("name", u.Department)
		w.close("department")
		w.leaf("departmentFullPath", u.Department+" ("+g.ID+")")
	}
	tz, _ := c.w.timeZone(u.TimeZone)
	if tz.Display == "" {
		tz = TimeZone{Key: u.TimeZone, Display: u.TimeZone}
	}
	w.leaf("language", u.Language)
	w.leaf("timeZone", tz.Key)
	w.leaf("timeZoneDisplayName", tz.Display)
	w.leaf("defaultAlias", u.UserID)
	for _, a := range u.Aliases {
		w.leaf("alias", a)
	}
	switch {
	case u.DeviceName != "":
		w.open("accessDeviceEndpoint")
		w.open("accessDevice")
		w.leaf("deviceLevel", u.DeviceLevel)
		w.leaf("deviceName", u.DeviceName)
		w.close("accessDevice")
		w.leaf("linePort", u.LinePort)
		for _, ct := range u.Contacts {
			w.open("contact")
			w.leaf("sipContact", ct)
			w.close("contact")
		}
		w.boolean("staticRegistrationCapable", true)
		w.boolean("useDomain", true)
		w.boolean("supportVisualDeviceManagement", false)
		w.boolean("useHotline", u.UseHotline)
		w.opt("hotlineContact", u.HotlineContact)
		w.close("accessDeviceEndpoint")
	case u.TrunkGroup != "" || u.EnterpriseTrunk != "":
		w.open("trunkAddressing")
		if u.TrunkGroup != "" {
			w.open("trunkGroupDeviceEndpoint")
			w.leaf("name", u.TrunkGroup)
			w.leaf("linePort", u.TrunkLinePort)
			w.boolean("staticRegistrationCapable", false)
			w.boolean("useDomain", true)
			w.boolean("isPilotUser", false)
			w.close("trunkGroupDeviceEndpoint")
		}
		w.opt("enterpriseTrunkName", u.EnterpriseTrunk)
		w.close("trunkAddressing")
	}
	w.opt("title", u.Title)
	w.opt("pagerPhoneNumber", u.PagerPhoneNumber)
	w.opt("mobilePhoneNumber", u.MobilePhoneNumber)
	w.opt("emailAddress", u.EmailAddress)
	w.opt("yahooId", u.YahooID)
	w.opt("addressLocation", u.AddressLocation)
	if u.Address != (Address{}) {
		a := u.Address
		w.open("address")
		w.opt("addressLine1", a.Line1)
		w.opt("addressLine2", a.Line2)
		w.opt("city", a.City)
		w.opt("stateOrProvince", a.StateOrProvince)
		w.opt("zipOrPostalCode", a.ZipOrPostalCode)
		w.opt("country", a.Country)
		w.close("address")
	}
	w.leaf("countryCode", countryCode(g))
	w.opt("networkClassOfService", u.NetworkClassOfService)
	w.boolean("allowVideo", true)
	if u.IsPlace {
		w.boolean("isPlace", true)
	}
	return data("UserGetResponse23V2", w)
}

var userListHeadings = []string{"User Id", "Last Name", "First Name", "Department", "Phone Number", "Phone Number Activated",
	"Email Address", "Hiragana Last Name", "Hiragana First Name", "In Trunk Group", "Extension", "Country Code", "National Prefix"}

var userSystemHeadings = []string{"User Id", "Group Id", "Service Provider Id", "Last Name", "First Name", "Department",
	"Phone Number", "Phone Number Activated", "Email Address", "Hiragana Last Name", "Hiragana First Name", "In Trunk Group",
	"Extension", "Reseller Id", "User External Id"}

// userMatches applies the search criteria common to both user lists.
func (w *world) userMatches(e *element, u *User) bool {
	if !criteriaMatch(e, "searchCriteriaUserLastName", u.LastName) || !criteriaMatch(e, "searchCriteriaUserFirstName", u.FirstName) ||
		!criteriaMatch(e, "searchCriteriaEmailAddress", u.EmailAddress) || !criteriaMatch(e, "searchCriteriaUserId", u.UserID) ||
		!criteriaMatch(e, "searchCriteriaUserExternalId", "") || !criteriaMatch(e, "searchCriteriaExtension", u.Extension) {
		return false
	}
	for _, c := range e.children("searchCriteriaDn") {
		// Match the national form and the +CC- form alike.
		single := &element{Kids: []*element{c}}
		if !criteriaMatch(single, "searchCriteriaDn", u.PhoneNumber) && !criteriaMatch(single, "searchCriteriaDn", "+1-"+u.PhoneNumber) &&
			!criteriaMatch(single, "searchCriteriaDn", "+44-"+u.PhoneNumber) {
			return false
		}
	}
	if x := e.child("searchCriteriaExactUserInTrunkGroup"); x != nil && boolVal(x.val("userInTrunkGroup")) != (u.TrunkGroup != "") {
		return false
	}
	if x := e.child("searchCriteriaExactUserDepartment"); x != nil {
		if d := x.child("departmentKey"); d == nil || d.val("name") != u.Department {
			return false
		}
	}
	if x := e.child("searchCriteriaExactUserPersonId"); x != nil {
		return false
	}
	return true
}

func (w *world) activated(u *User) string {
	if u.PhoneNumber == "" {
		return ""
	}
	if sp := w.ServiceProviders[u.ServiceProviderID]; sp != nil {
		if g := sp.Groups[u.GroupID]; g != nil {
			return strconv.FormatBool(g.Numbers[u.PhoneNumber])
		}
	}
	return "false"
}

func hUserListInGroup(c *call, e *element) result {
	spID, gID := e.val("serviceProviderId"), e.val("GroupId")
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	_, g, err := c.scopedGroup(spID, gID)
	if err != nil {
		return failure(err)
	}
	var rows [][]string
	for _, u := range c.w.usersIn(spID, gID) {
		if !c.w.userMatches(e, u) {
			continue
		}
		rows = append(rows, []string{u.UserID, u.LastName, u.FirstName, u.Department, listDN(countryCode(g), u.PhoneNumber), c.w.activated(u),
			u.EmailAddress, u.HiraganaLastName, u.HiraganaFirstName, strconv.FormatBool(u.TrunkGroup != ""), u.Extension, countryCode(g), ""})
	}
	w := &builder{}
	w.table("userTable", userListHeadings, limitRows(rows, sizeLimit(e)))
	return data("UserGetListInGroupResponse", w)
}

func hUserListInSystem(c *call, e *element) result {
	if err := c.system(); err != nil {
		return failure(err)
	}
	ids := sortedKeys(c.w.Users)
	var rows [][]string
	for _, id := range ids {
		u := c.w.Users[id]
		if !c.w.userMatches(e, u) || !criteriaMatch(e, "searchCriteriaGroupId", u.GroupID) ||
			!criteriaMatch(e, "searchCriteriaServiceProviderId", u.ServiceProviderID) || !criteriaMatch(e, "searchCriteriaResellerId", "") {
			continue
		}
		if x := e.child("searchCriteriaExactServiceProvider"); x != nil && x.val("serviceProviderId") != u.ServiceProviderID {
			continue
		}
		if x := e.child("searchCriteriaExactUserNetworkClassOfService"); x != nil && x.val("networkClassOfService") != u.NetworkClassOfService {
			continue
		}
		cc := "1"
		if sp := c.w.ServiceProviders[u.ServiceProviderID]; sp != nil && sp.Groups[u.GroupID] != nil {
			cc = countryCode(sp.Groups[u.GroupID])
		}
		rows = append(rows, []string{u.UserID, u.GroupID, u.ServiceProviderID, u.LastName, u.FirstName, u.Department, listDN(cc, u.PhoneNumber),
			c.w.activated(u), u.EmailAddress, u.HiraganaLastName, u.HiraganaFirstName, strconv.FormatBool(u.TrunkGroup != ""), u.Extension, "", ""})
	}
	w := &builder{}
	w.table("userTable", userSystemHeadings, limitRows(rows, sizeLimit(e)))
	return data("UserGetListInSystemResponse", w)
}

func hUserDelete(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	c.w.dropUser(u.UserID)
	c.mutated = true
	return success()
}

func hUserAuthModify(c *call, e *element) result {
	u, err := c.lookupUser(e.val("userId"))
	if err != nil {
		return failure(err)
	}
	sp, g, err := c.w.group(u.ServiceProviderID, u.GroupID)
	if err != nil {
		return failure(err)
	}
	pw := e.val("newPassword")
	if p := e.child("password"); p != nil {
		pw = p.val("new")
	}
	if pw != "" {
		if err := checkPassword(c.w.rulesFor(sp, g), u.UserID, pw, ""); err != nil {
			return failure(err)
		}
		u.SIPPasswordSet = true
	}
	if n := e.val("userName"); n != "" {
		u.SIPUserName = n
	}
	c.mutated = true
	return success()
}

// ---- password generation ---------------------------------------------------

const (
	pwLower  = "abcdefghijkmnopqrstuvwxyz"
	pwUpper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	pwDigits = "23456789"
	pwOther  = "#$%*+-=?@"
)

// generatePassword makes a password satisfying r (deterministic under the
// server seed).
func (s *Server) generatePassword(r PasswordRules, userID string) string {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	userPart, _, _ := strings.Cut(strings.ToLower(userID), "@")
	for range 1000 {
		pw := s.passwordCandidate(r)
		if userPart == "" || !strings.Contains(strings.ToLower(pw), userPart) {
			return pw
		}
	}
	return s.passwordCandidate(r)
}

// passwordCandidate draws one password meeting the class counts. Called with
// faultMu held.
func (s *Server) passwordCandidate(r PasswordRules) string {
	n := max(r.MinLength, 12)
	var out []byte
	add := func(set string, k int) {
		for range k {
			out = append(out, set[s.rng.IntN(len(set))])
		}
	}
	add(pwDigits, max(r.MinDigits, 2))
	add(pwUpper, max(r.MinUpper, 2))
	add(pwLower, max(r.MinLower, 2))
	add(pwOther, max(r.MinNonAlphanumeric, 1))
	all := pwLower + pwUpper + pwDigits
	for len(out) < n {
		out = append(out, all[s.rng.IntN(len(all))])
	}
	s.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return string(out)
}

func hPasswordGenerate(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	w := &builder{}
	if x := e.child("systemAdministratorPassword"); x != nil {
		if err := c.system(); err != nil {
			return failure(err)
		}
		if boolVal(x.val("generatePassword")) {
			w.leaf("systemAdministratorPassword", c.s.generatePassword(c.w.SystemRules, x.val("administratorId")))
		}
	}
	if x := e.child("serviceProviderAdministratorPassword"); x != nil {
		sp, err := c.scopedSP(x.val("serviceProviderId"))
		if err != nil {
			return failure(err)
		}
		if boolVal(x.val("generatePassword")) {
			w.leaf("serviceProviderAdministratorPassword", c.s.generatePassword(c.w.rulesFor(sp, nil), x.val("administratorId")))
		}
	}
	if x := e.child("groupAdministratorPassword"); x != nil {
		sp, g, err := c.scopedGroup(x.val("serviceProviderId"), x.val("groupId"))
		if err != nil {
			return failure(err)
		}
		if boolVal(x.val("generatePassword")) {
			w.leaf("groupAdministratorPassword", c.s.generatePassword(c.w.rulesFor(sp, g), x.val("administratorId")))
		}
	}
	if x := e.child("userPassword"); x != nil {
		sp, g, err := c.scopedGroup(x.val("serviceProviderId"), x.val("groupId"))
		if err != nil {
			return failure(err)
		}
		rules := c.w.rulesFor(sp, g)
		if !x.has("generatePassword") || boolVal(x.val("generatePassword")) {
			w.leaf("userPassword", c.s.generatePassword(rules, x.val("userId")))
		}
		if boolVal(x.val("generatePasscode")) {
			c.s.faultMu.Lock()
			w.leaf("userPasscode", fmt.Sprintf("%06d", 100000+c.s.rng.IntN(900000)))
			c.s.faultMu.Unlock()
		}
		if boolVal(x.val("generateSipPassword")) {
			w.leaf("userSIPAuthenticationPassword", c.s.generatePassword(rules, x.val("userId")))
		}
	}
	if x := e.child("accessDeviceAuthenticationPassword"); x != nil && boolVal(x.val("generateDeviceAuthenticationPassword")) {
		w.leaf("accessDeviceAuthenticationPassword", c.s.generatePassword(c.w.SystemRules, ""))
	}
	if x := e.child("trunkGroupAuthenticationPassword"); x != nil && boolVal(x.val("generateTrunkGroupAuthenticationPassword")) {
		w.leaf("trunkGroupAuthenticationPassword", c.s.generatePassword(c.w.SystemRules, ""))
	}
	return data("PasswordGenerateResponse", w)
}

// applyLocale sets the language and time zone that a UserAdd or UserModify
// command gives, refusing ones the system does not know.
func (w *world) applyLocale(u *User, e *element) *ociError {
	if l := e.val("language"); l != "" {
		if !w.language(l) {
			return errorf(codeLanguageInvalid, "Invalid language: %s", l)
		}
		u.Language = l
	}
	if tz := e.val("timeZone"); tz != "" {
		if _, ok := w.timeZone(tz); !ok {
			return errorf(codeTimeZoneInvalid, "Invalid time zone: %s", tz)
		}
		u.TimeZone = tz
	}
	return nil
}
