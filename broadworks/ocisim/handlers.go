package ocisim

import (
	"strconv"
	"strings"
)

// handlers maps every request the simulator implements to its handler.
// Every entry has a content model in schema.txt (a test checks both ways).
var handlers = map[string]handlerFunc{
	"AuthenticationRequest":                       nil, // handled by Server.login
	"LoginRequest14sp4":                           nil,
	"LoginRequest22V5":                            nil,
	"LogoutRequest":                               hLogout,
	"VerifySessionIsValidRequest":                 hVerifySession,
	"SystemSoftwareVersionGetRequest":             hSoftwareVersion,
	"SystemTimeZoneGetListRequest20":              hTimeZones,
	"SystemLanguageGetListRequest":                hLanguages,
	"SystemDeviceTypeGetAvailableListRequest22V2": hDeviceTypes,
	"SystemPasswordRulesGetRequestRI":             hSystemRules,
	"PasswordGenerateRequest":                     hPasswordGenerate,

	"ServiceProviderGetListRequest":                 hSPList,
	"ServiceProviderGetRequest22V4":                 hSPGet,
	"ServiceProviderConsolidatedAddRequest":         hSPAdd,
	"ServiceProviderAddRequest13mp2":                hSPAdd,
	"ServiceProviderDnAddListRequest":               hSPDnAdd,
	"ServiceProviderDomainGetAssignedListRequest22": hSPDomains,
	"ServiceProviderPasswordRulesGetRequestRI":      hSPRules,
	"EnterpriseEnterpriseTrunkGetListRequest":       hEnterpriseTrunks,

	"GroupGetListInServiceProviderRequest":       hGroupList,
	"GroupConsolidatedAddRequest":                hGroupAdd,
	"GroupAddRequest":                            hGroupAdd,
	"GroupGetRequest22V5":                        hGroupGet,
	"GroupDeleteRequest":                         hGroupDelete,
	"GroupPasswordRulesGetRequestRI":             hGroupRules,
	"GroupDnGetAvailableListRequest":             hGroupDnAvailable,
	"GroupDnGetDetailedAvailableListRequest":     hGroupDnDetailedAvailable,
	"GroupDnAssignListRequest":                   hGroupDnAssign,
	"GroupDnUnassignListRequest":                 hGroupDnUnassign,
	"GroupDnActivateListRequest":                 hGroupDnActivate,
	"GroupExtensionLengthGetRequest22":           hGroupExtLength,
	"GroupAccessDeviceGetListRequest":            hDeviceList,
	"GroupAccessDeviceAddRequest22V2":            hDeviceAdd,
	"GroupAccessDeviceAddRequest14":              hDeviceAdd,
	"GroupAccessDeviceDeleteRequest":             hDeviceDelete,
	"GroupAccessDeviceGetRequest18sp1":           hDeviceGet,
	"GroupAccessDeviceModifyRequest14":           hDeviceModify,
	"GroupAccessDeviceGetUserListRequest21sp1":   hDeviceUsers,
	"GroupDepartmentGetListRequest18":            hDepartmentList,
	"GroupDepartmentAddRequest":                  hDepartmentAdd,
	"GroupDepartmentDeleteRequest":               hDepartmentDelete,
	"GroupDomainGetAssignedListRequest":          hGroupDomains,
	"GroupTrunkGroupGetInstanceListRequest14sp4": hTrunkGroups,
	"GroupEnterpriseTrunkGetListRequest":         hGroupEnterpriseTrunks,

	"UserAddRequest22V2":              hUserAdd,
	"UserAddRequest22":                hUserAdd,
	"UserAddRequest17sp4":             hUserAdd,
	"UserModifyRequest22":             hUserModify,
	"UserGetRequest23V2":              hUserGet,
	"UserGetListInGroupRequest":       hUserListInGroup,
	"UserGetListInSystemRequest":      hUserListInSystem,
	"UserDeleteRequest":               hUserDelete,
	"UserServiceAssignListRequest":    hUserServiceAssign,
	"UserAuthenticationModifyRequest": hUserAuthModify,

	"UserSharedCallAppearanceAddEndpointRequest14sp2":     hSCAAddEndpoint,
	"UserSharedCallAppearanceDeleteEndpointListRequest14": hSCADeleteEndpoints,
	"UserSharedCallAppearanceGetRequest16sp2":             hSCAGet,
	"UserSharedCallAppearanceGetRequest21sp1":             hSCAGet,
}

// ---- search criteria -------------------------------------------------------

// criteriaMatch reports whether v satisfies every search criterion element
// named name in e (mode, value, isCaseInsensitive).
func criteriaMatch(e *element, name, v string) bool {
	for _, c := range e.children(name) {
		want := c.val("value")
		got := v
		if boolVal(c.val("isCaseInsensitive")) {
			want, got = strings.ToLower(want), strings.ToLower(got)
		}
		ok := false
		switch c.val("mode") {
		case "Starts With":
			ok = strings.HasPrefix(got, want)
		case "Contains":
			ok = strings.Contains(got, want)
		default:
			ok = got == want
		}
		if !ok {
			return false
		}
	}
	return true
}

// sizeLimit returns responseSizeLimit, or -1 when absent.
func sizeLimit(e *element) int {
	if v := e.val("responseSizeLimit"); v != "" {
		n, _ := strconv.Atoi(v)
		return n
	}
	return -1
}

func limitRows(rows [][]string, limit int) [][]string {
	if limit >= 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

// ---- session and system ----------------------------------------------------

func hLogout(c *call, e *element) result {
	if e.val("userId") != c.sess.admin.UserID {
		return failure(errorf(codeLoginInvalid, "Invalid userId for this session: %s", e.val("userId")))
	}
	c.sess.admin = nil
	c.sess.id = ""
	return success()
}

func hVerifySession(c *call, e *element) result { return success() }

func hSoftwareVersion(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	if c.level() == LevelGroup {
		return failure(unauthorized())
	}
	w := &builder{}
	w.leaf("version", c.s.opts.Release)
	return data("SystemSoftwareVersionGetResponse", w)
}

func hTimeZones(c *call, e *element) result {
	w := &builder{}
	w.leaf("serverTimeZone", c.w.ServerTimeZone)
	rows := make([][]string, 0, len(c.w.TimeZones))
	for _, t := range c.w.TimeZones {
		rows = append(rows, []string{t.Key, t.Display})
	}
	w.table("timeZoneTable", []string{"Key", "Display Name"}, rows)
	return data("SystemTimeZoneGetListResponse20", w)
}

func hLanguages(c *call, e *element) result {
	w := &builder{}
	w.leaf("defaultLanguage", c.w.DefaultLanguage)
	rows := make([][]string, 0, len(c.w.Languages))
	for _, l := range c.w.Languages {
		rows = append(rows, []string{l.Name, l.Locale, l.Encoding})
	}
	w.table("languageTable", []string{"Language", "Locale", "Encoding"}, rows)
	return data("SystemLanguageGetListResponse", w)
}

func hDeviceTypes(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	w := &builder{}
	if boolVal(e.val("onlyConference")) {
		return data("SystemDeviceTypeGetAvailableListResponse22V2", w)
	}
	for _, t := range c.w.DeviceTypes {
		w.leaf("deviceType", t.Name)
	}
	for _, t := range c.w.DeviceTypes {
		w.open("typeInfo")
		w.leaf("profile", t.Profile)
		w.boolean("staticRegistrationCapable", t.Profile != "Intelligent Device Addressing")
		// Types provisioned by Device Management are identified by their
		// MAC address: exactly those refuse a device without one.
		if t.RequiresMAC {
			w.leaf("configType", "3 File Configuration")
		}
		w.leaf("protocolChoice", "SIP 2.0")
		w.boolean("isIpAddressOptional", true)
		w.boolean("useDomain", true)
		w.boolean("isMobilityManagerDevice", false)
		w.leaf("deviceConfigurationOption", deviceConfigurationOption(t))
		w.boolean("staticLineOrdering", false)
		if t.Ports > 0 {
			w.integer("numberOfPorts", t.Ports)
		}
		w.leaf("deviceTypeLevel", "System")
		w.close("typeInfo")
	}
	return data("SystemDeviceTypeGetAvailableListResponse22V2", w)
}

// deviceConfigurationOption is what typeInfo says of a type's
// configuration: "Device Management" for the types that require a MAC
// address, "Not Supported" for the others. Clients read it as the
// requires-MAC signal.
func deviceConfigurationOption(t DeviceType) string {
	if t.RequiresMAC {
		return "Device Management"
	}
	return "Not Supported"
}

// writeRules writes the RI rule fields from disallowUserId to lockOutInMinutes.
func writeRules(w *builder, r PasswordRules, system bool) {
	w.boolean("disallowUserId", r.DisallowUserID)
	w.boolean("disallowOldPassword", r.DisallowOldPassword)
	w.boolean("disallowReversedOldPassword", r.DisallowOldPassword)
	one := func(n int) int {
		if n < 1 {
			return 1
		}
		return n
	}
	w.boolean("restrictMinDigits", r.MinDigits > 0)
	w.integer("minDigits", one(r.MinDigits))
	w.boolean("restrictMinUpperCaseLetters", r.MinUpper > 0)
	w.integer("minUpperCaseLetters", one(r.MinUpper))
	w.boolean("restrictMinLowerCaseLetters", r.MinLower > 0)
	w.integer("minLowerCaseLetters", one(r.MinLower))
	w.boolean("restrictMinNonAlphanumericCharacters", r.MinNonAlphanumeric > 0)
	w.integer("minNonAlphanumericCharacters", one(r.MinNonAlphanumeric))
	minLen := r.MinLength
	if minLen < 3 {
		minLen = 3
	}
	w.integer("minLength", minLen)
	w.integer("maxFailedLoginAttempts", r.MaxFailedLogins)
	w.integer("passwordExpiresDays", r.ExpiresDays)
	w.boolean("sendLoginDisabledNotifyEmail", false)
	w.boolean("disallowRulesModification", false)
	w.boolean("disallowPreviousPasswords", r.DisallowOldPassword)
	w.integer("numberOfPreviousPasswords", 1)
	w.boolean("forcePasswordChangeAfterReset", false)
	if system {
		w.boolean("enforceExternalAuthForRoutePoint", false)
	}
	w.boolean("usePasswordValidationService", false)
	w.boolean("reenableLogin", true)
	w.integer("lockOutInMinutes", 30)
}

func hSystemRules(c *call, e *element) result {
	if err := c.notUser(); err != nil {
		return failure(err)
	}
	w := &builder{}
	w.leaf("rulesApplyTo", "System, Provisioning Administrator. All other administrators and users use their organization's password rules")
	w.boolean("allowWebAddExternalAuthenticationUsers", false)
	writeRules(w, c.w.SystemRules, true)
	return data("SystemPasswordRulesGetResponseRI", w)
}

// ---- helpers shared by handlers ------------------------------------------

func sortedGroups(sp *ServiceProvider) []*Group {
	out := make([]*Group, 0, len(sp.Groups))
	for _, k := range sortedKeys(sp.Groups) {
		out = append(out, sp.Groups[k])
	}
	return out
}

// nationalDN strips a "+CC-" prefix: "+1-2025550100" → "2025550100".
func nationalDN(dn string) string {
	if strings.HasPrefix(dn, "+") {
		if i := strings.IndexByte(dn, '-'); i > 0 {
			return dn[i+1:]
		}
		return strings.TrimPrefix(dn, "+")
	}
	return dn
}
