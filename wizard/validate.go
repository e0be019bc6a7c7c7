package wizard

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Target is what a preview row is created in, plus the rules a row is
// checked against. It is built by Model.Target and passed to ValidateRow
// and PlanRow (the jobs replan hook keeps one).
type Target struct {
	ServiceProviderID string
	GroupID           string
	// Domain is the default user-id domain.
	Domain string
	// Release is the server release ("25.0", "22.0", "21.sp1", "17sp4");
	// empty means current. The plan sends each command in the version
	// this release accepts (oci.ForRelease).
	Release      string
	IsEnterprise bool

	Rules PasswordRules
	// RequirePassword makes a blank password a problem (always, for
	// users created by the wizard).
	RequirePassword bool
	// Extension length bounds; 0 means unchecked.
	MinExtensionLength, MaxExtensionLength int

	// Departments known to exist; a row's department is an enterprise
	// department if listed so here, else EnterpriseDepartments decides.
	Departments           []Department
	EnterpriseDepartments bool
	// ExistingDevices are device names already in the group: rows on
	// them are not given a GroupAccessDeviceAddRequest22V2.
	ExistingDevices []string
	// Services are the group's service authorisations when known: a
	// row's Services cell names packs and services by them (SplitAssignment).
	Services *ServiceAuthorizations
}

// RowCheck is an extra check ValidateRow runs (for example against the
// catalogue, see FactsCheck). Problems it returns should leave Row 0.
type RowCheck func(r *Row) []Problem

// Length limits of the OCI-P data types (R25, OCISchemaDataTypes.xsd).
var maxLen = [numColumns]int{
	ColUserID:          161,
	ColFirstName:       30,
	ColLastName:        30,
	ColCLIDFirstName:   30,
	ColCLIDLastName:    30,
	ColPassword:        PasswordMaxLength,
	ColPhoneNumber:     MaxNumberLength,
	ColExtension:       20,
	ColDeviceType:      40,
	ColDeviceName:      40,
	ColMACAddress:      12,
	ColLinePort:        161,
	ColTrunkGroup:      30,
	ColEnterpriseTrunk: 30,
	ColDepartment:      50,
	ColTimeZone:        127,
	ColLanguage:        40,
	ColEmail:           80,
	ColMobile:          30,
	ColPager:           30,
	ColYahooID:         50,
	ColTitle:           50,
	ColAddressLocation: 80,
	ColAddressLine1:    80,
	ColAddressLine2:    80,
	ColCity:            50,
	ColState:           50,
	ColZip:             50,
	ColCountry:         50,
	ColServices:        4000,
}

func prob(c Column, err error, format string, args ...any) Problem {
	return Problem{Column: c, Err: err, Msg: fmt.Sprintf(format, args...)}
}

// ValidateRow checks one row on its own: required cells, lengths, formats,
// password rules, extension length, hosted-or-trunk consistency, then the
// extra checks. Problems carry Row 0; the caller sets the row number.
// Messages never contain the password.
func ValidateRow(t Target, r Row, checks ...RowCheck) []Problem {
	return validateRow(&t, &r, checks...)
}

// validateRow is ValidateRow without copying the row (the preview calls it
// 10,000 times per rebuild).
func validateRow(t *Target, r *Row, checks ...RowCheck) []Problem {
	var ps []Problem
	// One problem per cell: a cell too long or not a token is not checked
	// further.
	var bad [numColumns]bool
	for c := ColUserID; c < numColumns; c++ {
		v := r.v[c]
		if v == "" {
			continue
		}
		if c == ColMACAddress && !validMAC(v) {
			// Said by its form below, not by its length.
		} else if len(v) <= maxLen[c] {
			// Bytes ≥ characters: short enough, no need to count.
		} else if n := utf8.RuneCountInString(v); n > maxLen[c] {
			ps = append(ps, prob(c, ErrTooLong, "must be at most %d characters (has %d)", maxLen[c], n))
			bad[c] = true
			continue
		}
		if c == ColPassword {
			continue // checked below, without echoing it
		}
		if msg := tokenProblem(v); msg != "" {
			ps = append(ps, prob(c, ErrInvalid, "%s", msg))
			bad[c] = true
		}
	}
	for _, c := range []Column{ColUserID, ColFirstName, ColLastName, ColCLIDFirstName, ColCLIDLastName} {
		if r.v[c] == "" {
			ps = append(ps, prob(c, ErrRequired, "is required"))
		}
	}
	if uid := r.v[ColUserID]; uid != "" && !bad[ColUserID] {
		if msg := userIDProblem(uid); msg != "" {
			ps = append(ps, prob(ColUserID, ErrInvalid, "%s", msg))
		}
	}
	if pw := r.v[ColPassword]; pw == "" {
		if t.RequirePassword {
			ps = append(ps, prob(ColPassword, ErrRequired, "is required: type one or generate"))
		}
	} else if bad[ColPassword] {
	} else if err := CheckPassword(pw, r.v[ColUserID], t.Rules); err != nil {
		ps = append(ps, Problem{Column: ColPassword, Err: ErrPassword, Msg: strings.TrimPrefix(err.Error(), "password: ")})
	}
	if n := r.v[ColPhoneNumber]; n != "" && !bad[ColPhoneNumber] {
		if msg := checkNumber(n); msg != "" {
			ps = append(ps, prob(ColPhoneNumber, ErrInvalid, "%s", msg))
		}
	}
	for _, c := range []Column{ColMobile, ColPager} {
		if v := r.v[c]; v != "" && !bad[c] && !validOutgoingDN(v) {
			ps = append(ps, prob(c, ErrInvalid, "must be a phone number (digits, optionally +, -, spaces)"))
		}
	}
	if e := r.v[ColExtension]; e != "" && !bad[ColExtension] {
		switch {
		case !allDigits(e):
			ps = append(ps, prob(ColExtension, ErrInvalid, "must contain digits only"))
		case len(e) < 2:
			ps = append(ps, prob(ColExtension, ErrInvalid, "must be at least 2 digits"))
		case t.MinExtensionLength > 0 && (len(e) < t.MinExtensionLength || len(e) > t.MaxExtensionLength):
			ps = append(ps, prob(ColExtension, ErrInvalid, "must be %s digits long (has %d)", lengthRange(t.MinExtensionLength, t.MaxExtensionLength), len(e)))
		}
	}
	if mac := r.v[ColMACAddress]; mac != "" && !bad[ColMACAddress] && !validMAC(mac) {
		ps = append(ps, prob(ColMACAddress, ErrInvalid, "%s", macForm(mac)))
	}
	if lp := r.v[ColLinePort]; lp != "" && !bad[ColLinePort] {
		if msg := linePortProblem(lp); msg != "" {
			ps = append(ps, prob(ColLinePort, ErrInvalid, "%s", msg))
		}
	}
	if e := r.v[ColEmail]; e != "" && !bad[ColEmail] && !validEmail(e) {
		ps = append(ps, prob(ColEmail, ErrInvalid, "must look like name@example.com"))
	}
	hosted := r.v[ColDeviceType] != "" || r.v[ColDeviceName] != "" || r.v[ColMACAddress] != ""
	trunk := r.v[ColTrunkGroup] != "" || r.v[ColEnterpriseTrunk] != ""
	switch {
	case hosted && trunk:
		ps = append(ps, prob(ColTrunkGroup, ErrInvalid, "a user has a device or a trunk, not both"))
	case hosted:
		if r.v[ColDeviceName] == "" {
			ps = append(ps, prob(ColDeviceName, ErrRequired, "is required for a device user"))
		}
		if r.v[ColDeviceType] == "" && !containsFold(t.ExistingDevices, r.v[ColDeviceName]) {
			ps = append(ps, prob(ColDeviceType, ErrRequired, "is required to create the device"))
		}
		if r.v[ColLinePort] == "" {
			ps = append(ps, prob(ColLinePort, ErrRequired, "is required for a device user"))
		}
	case trunk:
		if r.v[ColTrunkGroup] != "" && r.v[ColLinePort] == "" {
			ps = append(ps, prob(ColLinePort, ErrRequired, "is required for a trunk group user"))
		}
	case r.v[ColLinePort] != "":
		ps = append(ps, prob(ColLinePort, ErrInvalid, "needs a device or a trunk group"))
	}
	for _, chk := range checks {
		ps = append(ps, chk(r)...)
	}
	return ps
}

func lengthRange(lo, hi int) string {
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// tokenProblem rejects what an XSD token cannot carry: control characters
// and leading/trailing or doubled spaces (the server would collapse them).
func tokenProblem(v string) string {
	ascii := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c == 0x7f {
			return "must not contain tabs, line breaks or control characters"
		}
		ascii = ascii && c < 0x80
	}
	if !ascii {
		for _, r := range v {
			if unicode.IsControl(r) {
				return "must not contain tabs, line breaks or control characters"
			}
			if why := invisible(r); why != "" {
				return fmt.Sprintf("contains %s (U+%04X), which is invisible and can make the value look different from what is stored: retype it", why, r)
			}
		}
		if strings.TrimSpace(v) != v {
			return "must not start or end with a space"
		}
	} else if v[0] == ' ' || v[len(v)-1] == ' ' {
		return "must not start or end with a space"
	}
	if strings.Contains(v, "  ") {
		return "must not contain double spaces"
	}
	return ""
}

// invisible names the bidirectional controls and zero-width characters a
// value must not carry ("" for any other rune): with them, a name can
// read differently on screen from what the server stores.
func invisible(r rune) string {
	switch {
	case r == 0x202E || r == 0x202D:
		return "a left-to-right or right-to-left override"
	case r >= 0x202A && r <= 0x202C, r >= 0x2066 && r <= 0x2069:
		return "a bidirectional embedding or isolate"
	case r == 0x200E || r == 0x200F || r == 0x061C:
		return "a direction mark"
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x180E:
		return "a zero-width character"
	case r == 0x00AD:
		return "a soft hyphen"
	}
	return ""
}

func userIDProblem(uid string) string {
	user, domain, ok := strings.Cut(uid, "@")
	if !ok || domain == "" {
		return "needs a domain: user@example.com"
	}
	if user == "" {
		return "needs a user part before '@'"
	}
	if strings.Contains(domain, "@") {
		return "must contain one '@' only"
	}
	for _, r := range user {
		if r <= ' ' || r > '~' || strings.ContainsRune(`"(),:;<>[\]`, r) {
			return fmt.Sprintf("must not contain %q", r)
		}
	}
	if !validDomain(domain) {
		return fmt.Sprintf("has a bad domain %q", domain)
	}
	return ""
}

func validDomain(d string) bool {
	if d == "" || len(d) > 80 || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") || strings.Contains(d, "..") {
		return false
	}
	for _, r := range d {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func validEmail(e string) bool {
	u, d, ok := strings.Cut(e, "@")
	return ok && u != "" && strings.Contains(d, ".") && validDomain(d) && !strings.ContainsAny(u, " <>,;\"")
}

func validOutgoingDN(v string) bool {
	digits := 0
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == ' ', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits > 0
}

func validMAC(m string) bool {
	if len(m) != 12 {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// NormalizeMAC strips ':', '-', '.' and spaces from a MAC address and
// upper-cases it: "00:04:f2:ab:cd:ef" → "0004F2ABCDEF". Other input is
// returned unchanged (validation reports it).
func NormalizeMAC(m string) string {
	if isUpperHex12(m) {
		return m // the common case: nothing to do, nothing allocated
	}
	s := strings.Map(func(r rune) rune {
		switch r {
		case ':', '-', '.', ' ':
			return -1
		}
		return r
	}, strings.TrimSpace(m))
	if validMAC(s) {
		return strings.ToUpper(s)
	}
	return m
}

func isUpperHex12(m string) bool {
	if len(m) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if c := m[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// linePortProblem applies the AccessDeviceEndpointLinePort syntax: no
// "sip:", alphanumerics and - _ . ! ~ * ' ( ) @, a leading '+' allowed, one
// '@' at most.
func linePortProblem(lp string) string {
	if strings.HasPrefix(strings.ToLower(lp), "sip:") {
		return `must not start with "sip:"`
	}
	if strings.Count(lp, "@") > 1 {
		return "must contain one '@' at most"
	}
	for i, r := range lp {
		if r == '+' && i == 0 {
			continue
		}
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.!~*'()@", r)) {
			continue
		}
		return fmt.Sprintf("must not contain %q", r)
	}
	return ""
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// FactsCheck returns a RowCheck against what the catalogue knows of the
// group: the phone number must be available, a device whose type needs a
// MAC address must have one, device type, department
// (unless newDepartment, which the plan creates), trunk, time zone and
// language must exist. Empty lists in f are not checked (unknown).
func FactsCheck(f *GroupFacts, newDepartment string) RowCheck {
	if f == nil {
		return func(*Row) []Problem { return nil }
	}
	avail := make(map[string]bool, len(f.AvailableNumbers))
	for _, n := range f.AvailableNumbers {
		avail[NormalizeNumber(n)] = true
	}
	depts := make([]string, len(f.Departments))
	for i, d := range f.Departments {
		depts[i] = d.Name
	}
	tzs := make([]string, len(f.TimeZones))
	for i, z := range f.TimeZones {
		tzs[i] = z.Key
	}
	// Device types by exact name, then without case (rarely needed, so
	// the common row allocates nothing).
	macExact := make(map[string]bool, len(f.DeviceTypeInfo))
	macFold := make(map[string]bool, len(f.DeviceTypeInfo))
	for _, t := range f.DeviceTypeInfo {
		req := t.RequiresMAC != nil && *t.RequiresMAC
		macExact[t.Name] = req
		macFold[lowerASCII(t.Name)] = req
	}
	needsMAC := func(typ string) bool {
		if req, ok := macExact[typ]; ok {
			return req
		}
		return len(macFold) > 0 && macFold[lowerASCII(typ)]
	}
	inList := func(list []string, v string) bool { return len(list) == 0 || containsFold(list, v) }
	group := f.Group.GroupID
	return func(r *Row) []Problem {
		var ps []Problem
		if typ := r.v[ColDeviceType]; typ != "" && r.v[ColMACAddress] == "" && r.v[ColDeviceName] != "" && needsMAC(typ) {
			ps = append(ps, prob(ColMACAddress, ErrRequired, "%s needs a MAC address", typ))
		}
		if n := r.v[ColPhoneNumber]; n != "" && len(avail) > 0 && !avail[NormalizeNumber(n)] {
			ps = append(ps, prob(ColPhoneNumber, ErrUnavailable, "%s is not available in group %s", n, group))
		}
		if v := r.v[ColDeviceType]; v != "" && !inList(f.DeviceTypes, v) {
			ps = append(ps, prob(ColDeviceType, ErrUnavailable, "device type %q is not offered", v))
		}
		if v := r.v[ColDepartment]; v != "" && !strings.EqualFold(v, newDepartment) && !inList(depts, v) {
			ps = append(ps, prob(ColDepartment, ErrUnavailable, "department %q does not exist", v))
		}
		if v := r.v[ColTrunkGroup]; v != "" && !inList(f.Trunks.TrunkGroups, v) {
			ps = append(ps, prob(ColTrunkGroup, ErrUnavailable, "trunk group %q does not exist", v))
		}
		if v := r.v[ColEnterpriseTrunk]; v != "" && !inList(f.Trunks.EnterpriseTrunks, v) {
			ps = append(ps, prob(ColEnterpriseTrunk, ErrUnavailable, "enterprise trunk %q does not exist", v))
		}
		if v := r.v[ColTimeZone]; v != "" && !inList(tzs, v) {
			ps = append(ps, prob(ColTimeZone, ErrUnavailable, "time zone %q is not known", v))
		}
		if v := r.v[ColLanguage]; v != "" && !inList(f.Languages, v) {
			ps = append(ps, prob(ColLanguage, ErrUnavailable, "language %q is not known", v))
		}
		if uid := r.v[ColUserID]; uid != "" && len(f.Domains) > 0 {
			if _, d, ok := strings.Cut(uid, "@"); ok && d != "" && !containsFold(f.Domains, d) {
				ps = append(ps, prob(ColUserID, ErrUnavailable, "domain %q is not assigned to group %s", d, group))
			}
		}
		return ps
	}
}
