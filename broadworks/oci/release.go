package oci

import (
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Release is a BroadWorks server release such as R21sp1 or R24.
type Release struct {
	Major int // 21 in "21sp1"
	SP    int // service pack: 1 in "21sp1", 0 when absent
}

// ParseRelease reads the release forms SystemSoftwareVersionGetResponse
// and people write: "24", "21sp1", "R22", "Release 17sp4", "22.0_1.1123".
// It reports false when s holds no major number.
func ParseRelease(s string) (Release, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "release")
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "r")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return Release{}, false
	}
	major, err := strconv.Atoi(s[:i])
	if err != nil {
		return Release{}, false
	}
	r := Release{Major: major}
	rest := strings.TrimPrefix(s[i:], ".")
	if strings.HasPrefix(rest, "sp") {
		j := 2
		for j < len(rest) && unicode.IsDigit(rune(rest[j])) {
			j++
		}
		r.SP, _ = strconv.Atoi(rest[2:j])
	}
	return r, true
}

// String returns the release as BroadWorks writes it: "22", "21sp1".
func (r Release) String() string {
	if r.SP > 0 {
		return strconv.Itoa(r.Major) + "sp" + strconv.Itoa(r.SP)
	}
	return strconv.Itoa(r.Major)
}

// AtLeast reports whether r is min or newer.
func (r Release) AtLeast(min Release) bool {
	if r.Major != min.Major {
		return r.Major > min.Major
	}
	return r.SP >= min.SP
}

// Newest is the newest release this package knows the commands of: the
// R25 schema its types are generated from.
var Newest = Release{Major: 25}

// FieldReleases are the releases bwbulk is made and tested for.
var FieldReleases = []Release{{Major: 20}, {Major: 21}, {Major: 22}, {Major: 23}, {Major: 24}, {Major: 25}}

// Version is one version of a command and the first release that has it.
type Version struct {
	Name  string  // the request's xsi:type, for example "UserGetRequest22V9"
	Since Release // the first release that accepts it
	// Order ranks versions introduced by the same release: 22 < 22V2 < 22V3.
	Order int
}

// families lists, for every command bwbulk sends, every version the R25
// schema defines (its deprecated files hold the older ones), oldest first.
// The key is the newest version: the one bwbulk builds.
var families = map[string][]string{
	"GroupAccessDeviceAddRequest22V2":               {"GroupAccessDeviceAddRequest14", "GroupAccessDeviceAddRequest22", "GroupAccessDeviceAddRequest22V2"},
	"GroupAccessDeviceGetUserListRequest21sp1":      {"GroupAccessDeviceGetUserListRequest", "GroupAccessDeviceGetUserListRequest21sp1"},
	"GroupConsolidatedAddRequest":                   {"GroupAddRequest", "GroupConsolidatedAddRequest"},
	"GroupDepartmentGetListRequest18":               {"GroupDepartmentGetListRequest", "GroupDepartmentGetListRequest18"},
	"GroupExtensionLengthGetRequest22":              {"GroupExtensionLengthGetRequest", "GroupExtensionLengthGetRequest17", "GroupExtensionLengthGetRequest22"},
	"GroupGetRequest22V5":                           {"GroupGetRequest", "GroupGetRequest14sp7", "GroupGetRequest22", "GroupGetRequest22V2", "GroupGetRequest22V3", "GroupGetRequest22V4", "GroupGetRequest22V5"},
	"GroupPasswordRulesGetRequestRI":                {"GroupPasswordRulesGetRequest", "GroupPasswordRulesGetRequest16", "GroupPasswordRulesGetRequest22", "GroupPasswordRulesGetRequestRI"},
	"GroupTrunkGroupGetInstanceListRequest14sp4":    {"GroupTrunkGroupGetInstanceListRequest14", "GroupTrunkGroupGetInstanceListRequest14sp4"},
	"LoginRequest22V5":                              {"LoginRequest13mp10", "LoginRequest14sp4", "LoginRequest21sp1", "LoginRequest22", "LoginRequest22V2", "LoginRequest22V3", "LoginRequest22V4", "LoginRequest22V5"},
	"ServiceProviderConsolidatedAddRequest":         {"ServiceProviderAddRequest13mp2", "ServiceProviderConsolidatedAddRequest"},
	"ServiceProviderDomainGetAssignedListRequest22": {"ServiceProviderDomainGetAssignedListRequest", "ServiceProviderDomainGetAssignedListRequest22"},
	"ServiceProviderGetRequest22V4":                 {"ServiceProviderGetRequest13mp2", "ServiceProviderGetRequest17sp1", "ServiceProviderGetRequest22", "ServiceProviderGetRequest22V2", "ServiceProviderGetRequest22V3", "ServiceProviderGetRequest22V4"},
	"ServiceProviderPasswordRulesGetRequestRI":      {"ServiceProviderPasswordRulesGetRequest13mp2", "ServiceProviderPasswordRulesGetRequest16", "ServiceProviderPasswordRulesGetRequest22", "ServiceProviderPasswordRulesGetRequestRI"},
	"SystemDeviceTypeGetAvailableListRequest22V2":   {"SystemDeviceTypeGetAvailableListRequest", "SystemDeviceTypeGetAvailableListRequest14sp1", "SystemDeviceTypeGetAvailableListRequest14sp3", "SystemDeviceTypeGetAvailableListRequest19", "SystemDeviceTypeGetAvailableListRequest22", "SystemDeviceTypeGetAvailableListRequest22V2"},
	"SystemPasswordRulesGetRequestRI":               {"SystemPasswordRulesGetRequest13mp2", "SystemPasswordRulesGetRequest16", "SystemPasswordRulesGetRequest22", "SystemPasswordRulesGetRequest23", "SystemPasswordRulesGetRequest24", "SystemPasswordRulesGetRequestRI"},
	"SystemTimeZoneGetListRequest20":                {"SystemTimeZoneGetListRequest", "SystemTimeZoneGetListRequest20"},
	"UserAddRequest22V2":                            {"UserAddRequest14", "UserAddRequest14sp9", "UserAddRequest17sp4", "UserAddRequest21", "UserAddRequest22", "UserAddRequest22V2"},
	"UserGetRequest23V2": {"UserGetRequest14", "UserGetRequest14sp4", "UserGetRequest14sp9", "UserGetRequest15sp2",
		"UserGetRequest17", "UserGetRequest17sp3", "UserGetRequest17sp4", "UserGetRequest18", "UserGetRequest19",
		"UserGetRequest20", "UserGetRequest21", "UserGetRequest21sp1", "UserGetRequest21sp1V2", "UserGetRequest22",
		"UserGetRequest22V2", "UserGetRequest22V3", "UserGetRequest22V4", "UserGetRequest22V5", "UserGetRequest22V6",
		"UserGetRequest22V7", "UserGetRequest22V8", "UserGetRequest22V9", "UserGetRequest23", "UserGetRequest23V2"},
	"UserModifyRequest22": {"UserModifyRequest14", "UserModifyRequest14sp9", "UserModifyRequest16", "UserModifyRequest17sp4", "UserModifyRequest21", "UserModifyRequest22"},
}

// sinceOverride gives the release of the versions whose name carries none:
// the release-independent (RI) password rules came with R25, after the
// 23 and 24 versions of SystemPasswordRulesGetRequest; the consolidated
// adds replaced GroupAddRequest and ServiceProviderAddRequest13mp2 in R22.
var sinceOverride = map[string]Release{
	"GroupConsolidatedAddRequest":           {Major: 22},
	"ServiceProviderConsolidatedAddRequest": {Major: 22},
}

// versionOf reads the release a version's name carries after "Request":
// "22V9" → R22 order 9, "21sp1V2" → R21sp1 order 2, "13mp2" → R13, "RI" →
// R25, none → R0 (the oldest of its family).
func versionOf(name string) Version {
	v := Version{Name: name}
	if r, ok := sinceOverride[name]; ok {
		v.Since = r
		return v
	}
	i := strings.LastIndex(name, "Request")
	if i < 0 {
		return v
	}
	suffix := name[i+len("Request"):]
	if suffix == "RI" {
		v.Since = Newest
		return v
	}
	if j := strings.IndexByte(suffix, 'V'); j > 0 {
		v.Order, _ = strconv.Atoi(suffix[j+1:])
		suffix = suffix[:j]
	}
	if k := strings.Index(suffix, "mp"); k > 0 {
		suffix = suffix[:k] // maintenance patches are within their release
	}
	if r, ok := ParseRelease(suffix); ok {
		v.Since = r
	}
	return v
}

func (v Version) before(w Version) bool {
	if v.Since != w.Since {
		return !v.Since.AtLeast(w.Since)
	}
	return v.Order < w.Order
}

// Versions returns every version of the command family whose newest
// version is newest, oldest first; nil when bwbulk knows one version only.
func Versions(newest string) []Version {
	names := families[newest]
	out := make([]Version, len(names))
	for i, n := range names {
		out[i] = versionOf(n)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].before(out[j]) })
	return out
}

// Families returns the newest version of every command with several
// versions, sorted.
func Families() []string {
	out := make([]string, 0, len(families))
	for k := range families {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Family returns the newest version of the family name belongs to (name
// itself when it has no older versions).
func Family(name string) string {
	if f, ok := familyOf[name]; ok {
		return f
	}
	return name
}

var familyOf = func() map[string]string {
	m := map[string]string{}
	for f, names := range families {
		for _, n := range names {
			m[n] = f
		}
	}
	return m
}()

// VersionFor returns the version of command (any version of its family)
// that a server of release rel accepts: the newest one not newer than rel.
// An empty or unreadable release is treated as Newest. ok is false when
// every version is newer than rel (the server does not have the command).
func VersionFor(rel, command string) (name string, ok bool) {
	r, known := ParseRelease(rel)
	if !known {
		r = Newest
	}
	return VersionForRelease(r, command)
}

// VersionForRelease is VersionFor with a parsed release.
func VersionForRelease(r Release, command string) (string, bool) {
	vs := Versions(Family(command))
	if len(vs) == 0 {
		return command, true
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if r.AtLeast(vs[i].Since) {
			return vs[i].Name, true
		}
	}
	return "", false
}

// Exists reports whether a server of release r has the command name:
// its version's release is r or older.
func Exists(r Release, name string) bool {
	if _, ok := familyOf[name]; !ok {
		return true
	}
	return r.AtLeast(versionOf(name).Since)
}

// Older returns the release a server must be at most when it refused
// version name as unknown: the release of the newest older version of
// its family. ok is false when name is the oldest (or has no family).
func Older(name string) (Release, bool) {
	at := versionOf(name).Since
	vs := Versions(Family(name))
	for i := len(vs) - 1; i >= 0; i-- {
		if !vs[i].Since.AtLeast(at) {
			return vs[i].Since, true
		}
	}
	return Release{}, false
}

// ResponseName returns the response type of a request version:
// UserGetRequest22V9 → UserGetResponse22V9. Commands answered by
// SuccessResponse only have no registered response type; ok is false.
func ResponseName(request string) (string, bool) {
	i := strings.LastIndex(request, "Request")
	if i < 0 {
		return "", false
	}
	resp := request[:i] + "Response" + request[i+len("Request"):]
	_, ok := New(resp)
	return resp, ok
}

// ForRelease returns req as a server of release rel accepts it: req itself
// when rel has req's version (an empty release is Newest), else req
// converted to the newest version rel has. A command rel does not have
// at all is an error.
func ForRelease(rel string, req Request) (Request, error) {
	r, known := ParseRelease(rel)
	if !known {
		r = Newest
	}
	if Exists(r, req.OCIName()) {
		return req, nil
	}
	name, ok := VersionForRelease(r, req.OCIName())
	if !ok {
		return nil, fmt.Errorf("oci: release %s has no version of %s", r, req.OCIName())
	}
	c, err := Convert(req, name)
	if err != nil {
		return nil, err
	}
	// A value the older version has no place for is not dropped quietly.
	from, err1 := xml.Marshal(req)
	to, err2 := xml.Marshal(c)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("oci: convert %s to %s: %w", req.OCIName(), name, err)
	}
	gone, err := lost(from, to)
	if err != nil {
		return nil, fmt.Errorf("oci: convert %s to %s: %w", req.OCIName(), name, err)
	}
	if len(gone) > 0 {
		return nil, &LostFieldsError{Release: r, Command: req.OCIName(), Version: name, Fields: gone}
	}
	return c.(Request), nil
}

// LostFieldsError reports a request that a release's version of the
// command cannot carry whole: sending it would lose Fields.
type LostFieldsError struct {
	Release Release
	Command string // the version asked for
	Version string // the release's version
	Fields  []string
}

func (e *LostFieldsError) Error() string {
	return fmt.Sprintf("oci: R%s has %s, not %s, and it has no %s", e.Release, e.Version, e.Command, strings.Join(e.Fields, ", "))
}
