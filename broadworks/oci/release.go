package oci

import (
	"encoding/xml"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"bwbulk/broadworks/ocirelease"
)

// Release is a BroadWorks server release such as R21sp1 or R24.
type Release = ocirelease.Release

// ParseRelease reads the release forms SystemSoftwareVersionGetResponse
// and people write: "24", "21sp1", "R22", "Release 17sp4", "22.0_1.1123".
// It reports false when s holds no major number.
func ParseRelease(s string) (Release, bool) { return ocirelease.Parse(s) }

// Newest is the newest release this package knows the commands of: the
// R25 schema its types are generated from.
var Newest = ocirelease.Newest

// FieldReleases are the releases bwbulk is made and tested for.
var FieldReleases = []Release{{Major: 20}, {Major: 21}, {Major: 22}, {Major: 23}, {Major: 24}, {Major: 25}}

// Version is one version of a command.
type Version struct {
	Name string // the request's xsi:type, for example "UserGetRequest22V9"
	// Suffix is the release its name carries (22 in "22V9"): where the
	// command's family began, a lower bound of the release that added
	// this version, not that release (UserGetRequest22V9 came with R25).
	Suffix Release
	// Order ranks versions of the same suffix: 22 < 22V2 < 22V3.
	Order int
}

// families lists, for every command bwbulk sends in several versions,
// every version the R25 schema defines (its deprecated files hold the
// older ones), oldest first. The key is the newest version: the one bwbulk
// builds. Which release has which version is releases.txt's to say.
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

// suffixOverride ranks the versions whose name carries no release: the
// consolidated adds came after GroupAddRequest and
// ServiceProviderAddRequest13mp2.
var suffixOverride = map[string]Release{
	"GroupConsolidatedAddRequest":           {Major: 22},
	"ServiceProviderConsolidatedAddRequest": {Major: 22},
}

// versionOf reads the release a version's name carries after "Request":
// "22V9" → 22 order 9, "21sp1V2" → 21sp1 order 2, "13mp2" → 13, "RI" →
// 25, none → 0 (the oldest of its family).
func versionOf(name string) Version {
	v := Version{Name: name}
	if r, ok := suffixOverride[name]; ok {
		v.Suffix = r
		return v
	}
	v.Suffix = SuffixRelease(name)
	i := strings.LastIndex(name, "Request")
	if i < 0 {
		return v
	}
	suffix := name[i+len("Request"):]
	if j := strings.IndexByte(suffix, 'V'); j > 0 {
		v.Order, _ = strconv.Atoi(suffix[j+1:])
	}
	return v
}

// SuffixRelease returns the release a request's name carries after
// "Request" ("22V9" → 22, "RI" → 25); no release before it has the
// version.
func SuffixRelease(name string) Release { return ocirelease.Suffix(name) }

func (v Version) before(w Version) bool {
	if v.Suffix != w.Suffix {
		return !v.Suffix.AtLeast(w.Suffix)
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
// that a server of release rel has: the newest one releases.txt gives it.
// An empty or unreadable release is treated as Newest. ok is false when
// rel has no version of the command.
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
		if has, _ := Has(r, command); has {
			return command, true
		}
		return "", false
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if has, _ := Has(r, vs[i].Name); has {
			return vs[i].Name, true
		}
	}
	return "", false
}

// Exists reports whether a server of release r has the command name, as
// far as the release table tells (see Has).
func Exists(r Release, name string) bool {
	has, _ := Has(r, name)
	return has
}

// Has reports whether a server of release r has the request name, and
// whether the release table is sure of it (see ocirelease.Has).
func Has(r Release, name string) (has, sure bool) { return ocirelease.Has(r, name) }

// StepDown returns the version of name's family to send once a server of
// release r refused name as unknown: the newest older version the table
// gives r, else (the table was wrong for this server) the newest older
// version of all; never one tried reports as refused. ok is false when
// no older version is left.
func StepDown(r Release, name string, tried func(string) bool) (string, bool) {
	vs := Versions(Family(name))
	at := -1
	for i, v := range vs {
		if v.Name == name {
			at = i
		}
	}
	if at <= 0 {
		return "", false
	}
	for _, any := range []bool{false, true} {
		for i := at - 1; i >= 0; i-- {
			n := vs[i].Name
			if tried != nil && tried(n) {
				continue
			}
			if has, _ := Has(r, n); has || any {
				return n, true
			}
		}
	}
	return "", false
}

// Older returns the release a server must be at most when it refused
// version name as unknown: the newest release with a source that lacks
// name below the first that lists it. ok is false when no release the
// table knows is older than every release that has name.
func Older(name string) (Release, bool) {
	first, ok := ocirelease.First(name)
	if !ok {
		return Release{}, false
	}
	rs := ocirelease.Covered()
	for i := len(rs) - 1; i >= 0; i-- {
		if r := rs[i]; !r.AtLeast(first) {
			return r, true
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
	c, err := To(req, name)
	var lf *LostFieldsError
	if errors.As(err, &lf) {
		lf.Release = r
	}
	return c, err
}

// To returns req converted to version name of its family, refusing with
// a *LostFieldsError a value that version has no place for.
func To(req Request, name string) (Request, error) {
	if req.OCIName() == name {
		return req, nil
	}
	if s, ok := req.(*Stored); ok {
		r, err := s.Request()
		if err != nil {
			return nil, fmt.Errorf("oci: convert %s to %s: %w", req.OCIName(), name, err)
		}
		req = r
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
		return nil, &LostFieldsError{Command: req.OCIName(), Version: name, Fields: gone}
	}
	return c.(Request), nil
}

// Newer reports whether version a comes after version b in their family
// (UserGetRequest22V9 after UserGetRequest22V3); false for two names of
// different families.
func Newer(a, b string) bool {
	if Family(a) != Family(b) || a == b {
		return false
	}
	return versionOf(b).before(versionOf(a))
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
	if e.Release == (Release{}) {
		return fmt.Sprintf("oci: the server takes %s, not %s, and it has no %s", e.Version, e.Command, strings.Join(e.Fields, ", "))
	}
	return fmt.Sprintf("oci: R%s has %s, not %s, and it has no %s", e.Release, e.Version, e.Command, strings.Join(e.Fields, ", "))
}
