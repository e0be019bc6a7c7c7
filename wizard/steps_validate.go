package wizard

import (
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"
)

// Fields returns the step's required and optional fields given the
// current choices (creating a group requires more than selecting one).
// The UI marks required fields; Validate reports on both.
func (m *Model) Fields(s Step) (required, optional []Field) {
	switch s {
	case StepEnterprise:
		if m.Enterprise.Mode == ModeCreate {
			return []Field{FieldSPMode, FieldSPID, FieldSPDomain, FieldSPIsEnterprise}, []Field{FieldSPName}
		}
		return []Field{FieldSPMode, FieldSPID}, nil
	case StepGroup:
		if m.Group.Mode == ModeCreate {
			return []Field{FieldGroupMode, FieldGroupID, FieldGroupDomain, FieldGroupUserLimit}, []Field{FieldGroupName}
		}
		return []Field{FieldGroupMode, FieldGroupID}, nil
	case StepUserCount:
		return []Field{FieldUserCount}, []Field{FieldStartIndex}
	case StepUserID:
		return []Field{FieldUserIDTemplate, FieldUserIDDomain}, nil
	case StepPasswords:
		return []Field{FieldPasswordMode}, nil
	case StepNames:
		return []Field{FieldFirstName, FieldLastName}, []Field{FieldCLIDFirstName, FieldCLIDLastName}
	case StepNumbers:
		req := []Field{FieldNumberMode}
		if m.Numbers.Mode == NumbersList {
			req = append(req, FieldNumbers)
		}
		opt := []Field{FieldExtensionMode}
		switch m.Numbers.ExtensionMode {
		case ExtensionsTemplate:
			req = append(req, FieldExtensionTemplate)
		case ExtensionsFromNumber:
			opt = append(opt, FieldExtensionLength)
		}
		if m.Numbers.Mode == NumbersAvailable {
			opt = append(opt, FieldNumbers)
		}
		return req, opt
	case StepDevice:
		switch m.Device.Mode {
		case DeviceHosted:
			if m.deviceNeedsMAC() {
				return []Field{FieldDeviceMode, FieldDeviceType, FieldDeviceName, FieldLinePort, FieldMACAddress}, nil
			}
			return []Field{FieldDeviceMode, FieldDeviceType, FieldDeviceName, FieldLinePort}, []Field{FieldMACAddress}
		case DeviceTrunk:
			return []Field{FieldDeviceMode}, []Field{FieldTrunkGroup, FieldEnterpriseTrunk, FieldLinePort}
		}
		return []Field{FieldDeviceMode}, nil
	case StepServices:
		return nil, []Field{FieldServicePacks, FieldServices}
	case StepDepartment:
		if m.Department.Mode == ModeSelect || m.Department.Mode == ModeCreate {
			return []Field{FieldDepartmentMode, FieldDepartment}, []Field{FieldDepartmentEnterprise}
		}
		return []Field{FieldDepartmentMode}, nil
	case StepDetails:
		return nil, []Field{FieldTimeZone, FieldLanguage}
	case StepContact:
		return nil, []Field{FieldEmail, FieldMobile, FieldPager, FieldYahooID, FieldTitle}
	case StepAddress:
		return nil, []Field{FieldAddressLocation, FieldAddressLine1, FieldAddressLine2, FieldCity, FieldState, FieldZip, FieldCountry}
	case StepPreview:
		return []Field{FieldRows}, nil
	}
	return nil, nil
}

// maxUsers bounds the user count (GroupUserLimit's maximum).
const maxUsers = 999999

// Validate checks one step and returns a message per bad field (nil when
// valid). Checks against the catalogue use m.Facts when loaded.
func (m *Model) Validate(s Step) FieldErrors {
	fe := FieldErrors{}
	switch s {
	case StepEnterprise:
		m.validateEnterprise(fe)
	case StepGroup:
		m.validateGroup(fe)
	case StepUserCount:
		m.validateCount(fe)
	case StepUserID:
		if strings.TrimSpace(m.UserID.Template) == "" {
			fe.add(FieldUserIDTemplate, "is required")
		}
		if d := m.UserID.Domain; d != "" {
			if !validDomain(d) {
				fe.add(FieldUserIDDomain, "is not a valid domain")
			} else if f := m.EffectiveFacts(); f != nil && len(f.Domains) > 0 && !containsFold(f.Domains, d) {
				fe.add(FieldUserIDDomain, "%q is not assigned to the group", d)
			}
		} else if !strings.Contains(m.UserID.Template, "@") && m.userDomain() == "" {
			fe.add(FieldUserIDDomain, "is required")
		}
		m.templateErrors(fe, FieldUserIDTemplate)
		if len(fe) == 0 {
			m.userIDRowErrors(fe)
		}
	case StepPasswords:
		switch m.Passwords.Mode {
		case PasswordsBlank:
		case PasswordsGenerate:
			if f := m.EffectiveFacts(); f != nil {
				if _, err := GeneratePassword(f.Rules, ""); err != nil {
					fe.add(FieldPasswordMode, "the group's password rules cannot be met")
				}
			}
		default:
			fe.add(FieldPasswordMode, "choose blank or generated passwords")
		}
	case StepNames:
		if strings.TrimSpace(m.Names.FirstName) == "" {
			fe.add(FieldFirstName, "is required")
		}
		if strings.TrimSpace(m.Names.LastName) == "" {
			fe.add(FieldLastName, "is required")
		}
		m.templateErrors(fe, FieldFirstName, FieldLastName, FieldCLIDFirstName, FieldCLIDLastName)
	case StepNumbers:
		m.validateNumbers(fe)
	case StepDevice:
		m.validateDevice(fe)
	case StepServices:
		m.validateServices(fe)
	case StepDepartment:
		m.validateDepartment(fe)
	case StepDetails:
		if f := m.EffectiveFacts(); f != nil {
			if v := m.Details.TimeZone; v != "" && len(f.TimeZones) > 0 {
				ok := false
				for _, z := range f.TimeZones {
					ok = ok || z.Key == v
				}
				if !ok {
					fe.add(FieldTimeZone, "%q is not a known time zone", v)
				}
			}
			if v := m.Details.Language; v != "" && len(f.Languages) > 0 && !containsFold(f.Languages, v) {
				fe.add(FieldLanguage, "%q is not a known language", v)
			}
		}
	case StepContact:
		m.templateErrors(fe, FieldEmail, FieldMobile, FieldPager, FieldYahooID, FieldTitle)
		m.sampleErrors(fe, map[Column]Field{ColEmail: FieldEmail, ColMobile: FieldMobile, ColPager: FieldPager, ColYahooID: FieldYahooID, ColTitle: FieldTitle})
	case StepAddress:
		m.templateErrors(fe, FieldAddressLocation, FieldAddressLine1, FieldAddressLine2, FieldCity, FieldState, FieldZip, FieldCountry)
		m.sampleErrors(fe, map[Column]Field{ColAddressLocation: FieldAddressLocation, ColAddressLine1: FieldAddressLine1,
			ColAddressLine2: FieldAddressLine2, ColCity: FieldCity, ColState: FieldState, ColZip: FieldZip, ColCountry: FieldCountry})
	case StepPreview:
		p, err := m.Preview()
		if err != nil {
			for f, msg := range err.(FieldErrors) {
				fe[f] = msg
			}
		} else {
			maps.Copy(fe, p.FieldErrors())
		}
	}
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// maxCheckedRows bounds how many rows a step renders to check what its
// template gives (the preview checks every row).
const maxCheckedRows = 10000

// firstBadRow renders the rows (at most maxCheckedRows) and returns the
// 1-based number, value and problem of the first row whose col cell check
// rejects; row is 0 when none is. Cells edited by hand are the preview's
// business and skipped, and so are imported rows.
func (m *Model) firstBadRow(col Column, check func(row int, v string) string) (row int, v, msg string) {
	c, fe := m.compile()
	if len(fe) > 0 || c.imported != nil {
		return 0, "", ""
	}
	var r Row
	for i := range min(max(m.UserCount, 0), maxCheckedRows) {
		edits := m.Edits[i]
		if _, edited := edits[col]; edited {
			continue
		}
		for _, p := range c.row(i, edits, &r) {
			if p.Column == col {
				return i + 1, r.v[col], p.Msg
			}
		}
		if msg := check(i+1, r.v[col]); msg != "" {
			return i + 1, r.v[col], msg
		}
	}
	return 0, "", ""
}

// userIDRowErrors renders the user ids and reports the first one the
// server would refuse (R25 UserId: 1 to 161 characters, user@domain, no
// spaces or reserved characters, the domain assigned to the group) or
// that repeats an earlier row's, naming its row.
func (m *Model) userIDRowErrors(fe FieldErrors) {
	var domains []string
	if f := m.EffectiveFacts(); f != nil {
		domains = f.Domains
	}
	seen := make(map[string]int)
	row, v, msg := m.firstBadRow(ColUserID, func(i int, uid string) string {
		if uid == "" {
			return "is empty"
		}
		if l := utf8.RuneCountInString(uid); l > maxLen[ColUserID] {
			return fmt.Sprintf("must be at most %d characters (has %d)", maxLen[ColUserID], l)
		}
		if msg := tokenProblem(uid); msg != "" {
			return msg
		}
		if msg := userIDProblem(uid); msg != "" {
			return msg
		}
		if _, d, _ := strings.Cut(uid, "@"); len(domains) > 0 && !containsFold(domains, d) {
			return fmt.Sprintf("domain %q is not assigned to the group", d)
		}
		key := lowerASCII(uid)
		if j, dup := seen[key]; dup {
			return fmt.Sprintf("same as row %d: add {{ index }} to the template", j)
		}
		seen[key] = i
		return ""
	})
	if row > 0 {
		fe.add(FieldUserIDTemplate, "row %d, %s %q: %s", row, ColUserID, v, msg)
	}
}

// deviceNeedsMAC reports whether the chosen device type is known to need
// a MAC address.
func (m *Model) deviceNeedsMAC() bool {
	if m.Device.Mode != DeviceHosted || m.Device.DeviceType == "" {
		return false
	}
	req, _ := m.EffectiveFacts().RequiresMAC(m.Device.DeviceType)
	return req
}

// macErrors checks what a MAC address template gives: 12 hexadecimal
// digits, ':', '-' or '.' separators allowed, and none missing when the
// device type needs one. A blank template is allowed even then: the preview
// asks for the MACs row by row.
func (m *Model) macErrors(fe FieldErrors) {
	if _, ok := fe[FieldMACAddress]; ok {
		return
	}
	d := m.Device
	if strings.TrimSpace(d.MACAddress) == "" {
		// Left blank on purpose: the MACs usually come from the boxes'
		// labels and are pasted into the preview, which requires one per
		// row for a type that needs it (see rowProblems).
		return
	}
	row, v, msg := m.firstBadRow(ColMACAddress, func(_ int, mac string) string {
		if mac == "" {
			if m.deviceNeedsMAC() {
				return fmt.Sprintf("%s needs a MAC address", d.DeviceType)
			}
			return ""
		}
		if !validMAC(NormalizeMAC(mac)) {
			return "must be 12 hexadecimal digits (':', '-' or '.' separators allowed)"
		}
		return ""
	})
	if row > 0 {
		fe.add(FieldMACAddress, "row %d, %s %q: %s", row, ColMACAddress, v, msg)
	}
}

// templateErrors reports template errors of the given fields only.
func (m *Model) templateErrors(fe FieldErrors, fields ...Field) {
	_, errs := m.compile()
	for _, f := range fields {
		if msg, ok := errs[f]; ok {
			fe.add(f, "%s", msg)
		}
	}
}

// sampleErrors renders the first row and reports length/format problems
// of the given columns on their fields.
func (m *Model) sampleErrors(fe FieldErrors, cols map[Column]Field) {
	if len(fe) > 0 || m.UserCount < 1 {
		return
	}
	rows, err := m.Sample(1)
	if err != nil || len(rows) == 0 {
		return
	}
	for _, p := range ValidateRow(Target{}, rows[0]) {
		if f, ok := cols[p.Column]; ok {
			fe.add(f, "first row: %s", p.Msg)
		}
	}
}

func checkID(fe FieldErrors, f Field, v string, maxLen int) {
	switch {
	case strings.TrimSpace(v) == "":
		fe.add(f, "is required")
	case len(v) > maxLen:
		fe.add(f, "must be at most %d bytes (has %d)", maxLen, len(v))
	case tokenProblem(v) != "":
		fe.add(f, "%s", tokenProblem(v))
	}
}

func (m *Model) validateEnterprise(fe FieldErrors) {
	e := m.Enterprise
	switch e.Mode {
	case ModeSelect:
		checkID(fe, FieldSPID, e.ID, 30)
	case ModeCreate:
		checkID(fe, FieldSPID, e.ID, 30)
		if !validDomain(e.Domain) {
			fe.add(FieldSPDomain, "is required: a domain such as example.com")
		}
		if utf8.RuneCountInString(e.Name) > 80 {
			fe.add(FieldSPName, "must be at most 80 characters")
		}
	default:
		fe.add(FieldSPMode, "choose select or create")
	}
}

func (m *Model) validateGroup(fe FieldErrors) {
	g := m.Group
	switch g.Mode {
	case ModeSelect:
		checkID(fe, FieldGroupID, g.ID, 30)
	case ModeCreate:
		checkID(fe, FieldGroupID, g.ID, 30)
		if !validDomain(g.Domain) {
			fe.add(FieldGroupDomain, "is required: a domain such as example.com")
		}
		if g.UserLimit < 1 || g.UserLimit > maxUsers {
			fe.add(FieldGroupUserLimit, "must be between 1 and %d", maxUsers)
		}
		if utf8.RuneCountInString(g.Name) > 80 {
			fe.add(FieldGroupName, "must be at most 80 characters")
		}
	default:
		fe.add(FieldGroupMode, "choose select or create")
	}
}

func (m *Model) validateCount(fe FieldErrors) {
	n := m.UserCount
	switch {
	case n < 1:
		fe.add(FieldUserCount, "must be at least 1")
	case n > maxUsers:
		fe.add(FieldUserCount, "must be at most %d", maxUsers)
	default:
		if f := m.EffectiveFacts(); f != nil && f.Group.UserLimit > 0 && n > f.Group.Free() {
			fe.add(FieldUserCount, "only %d free licences in group %s (limit %d, %d users)", f.Group.Free(), f.Group.GroupID, f.Group.UserLimit, f.Group.UserCount)
		}
	}
	if m.StartIndex < 0 || m.StartIndex > 1_000_000_000 {
		fe.add(FieldStartIndex, "must be between 0 and 1000000000")
	}
}

func (m *Model) validateNumbers(fe FieldErrors) {
	f := m.EffectiveFacts()
	nm := m.Numbers
	var numbers []string
	switch nm.Mode {
	case ModeNone, "":
	case NumbersList, NumbersAvailable:
		if nm.Mode == NumbersList && len(nonBlank(nm.Entries)) == 0 {
			fe.add(FieldNumbers, "add at least one number or range")
			break
		}
		var errs []error
		numbers, errs = ExpandNumbers(nm.Entries, 0)
		if len(errs) > 0 {
			fe.add(FieldNumbers, "%v", errs[0])
			break
		}
		if nm.Mode == NumbersAvailable && len(numbers) == 0 && f != nil {
			numbers = f.AvailableNumbers
		}
		if len(numbers) < m.UserCount {
			fe.add(FieldNumbers, "%d numbers for %d users", len(numbers), m.UserCount)
			break
		}
		if f != nil && len(f.AvailableNumbers) > 0 {
			avail := make(map[string]bool, len(f.AvailableNumbers))
			for _, n := range f.AvailableNumbers {
				avail[NormalizeNumber(n)] = true
			}
			for _, n := range numbers[:m.UserCount] {
				if !avail[NormalizeNumber(n)] {
					fe.add(FieldNumbers, "%s is not available in group %s", n, f.Group.GroupID)
					break
				}
			}
		}
	default:
		fe.add(FieldNumberMode, "choose none, list or available")
	}
	lo, hi := 2, 20
	if f != nil && f.Group.MinExtensionLength > 0 {
		lo, hi = f.Group.MinExtensionLength, f.Group.MaxExtensionLength
	}
	switch nm.ExtensionMode {
	case ModeNone, "":
	case ExtensionsFromNumber:
		// Without numbers this simply gives no extensions.
		if n := nm.ExtensionLength; n != 0 && (n < lo || n > hi) {
			fe.add(FieldExtensionLength, "must be %s for this group", lengthRange(lo, hi))
		}
	case ExtensionsTemplate:
		if strings.TrimSpace(nm.ExtensionTemplate) == "" {
			fe.add(FieldExtensionTemplate, "is required")
		}
		m.templateErrors(fe, FieldExtensionTemplate)
		if _, ok := fe[FieldExtensionTemplate]; !ok && m.UserCount > 0 {
			if rows, err := m.Sample(1); err == nil && len(rows) == 1 {
				e := rows[0].Get(ColExtension)
				if !allDigits(e) || len(e) < lo || len(e) > hi {
					fe.add(FieldExtensionTemplate, "first row gives %q: extensions must be %s digits", e, lengthRange(lo, hi))
				}
			}
		}
	default:
		fe.add(FieldExtensionMode, "choose none, from number or template")
	}
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func (m *Model) validateDevice(fe FieldErrors) {
	d := m.Device
	f := m.EffectiveFacts()
	switch d.Mode {
	case ModeNone, "":
	case DeviceHosted:
		if d.DeviceType == "" {
			fe.add(FieldDeviceType, "is required")
		} else if f != nil && len(f.DeviceTypes) > 0 && !containsFold(f.DeviceTypes, d.DeviceType) {
			fe.add(FieldDeviceType, "%q is not offered in this group", d.DeviceType)
		}
		if strings.TrimSpace(d.DeviceName) == "" {
			fe.add(FieldDeviceName, "is required")
		}
		if strings.TrimSpace(d.LinePort) == "" {
			fe.add(FieldLinePort, "is required")
		}
		m.templateErrors(fe, FieldDeviceName, FieldMACAddress, FieldLinePort)
		m.macErrors(fe)
	case DeviceTrunk:
		if d.TrunkGroup == "" && d.EnterpriseTrunk == "" {
			fe.add(FieldTrunkGroup, "choose a trunk group or an enterprise trunk")
		}
		if d.TrunkGroup != "" && strings.TrimSpace(d.LinePort) == "" {
			fe.add(FieldLinePort, "is required with a trunk group")
		}
		if f != nil {
			if d.TrunkGroup != "" && len(f.Trunks.TrunkGroups) > 0 && !containsFold(f.Trunks.TrunkGroups, d.TrunkGroup) {
				fe.add(FieldTrunkGroup, "%q does not exist", d.TrunkGroup)
			}
			if d.EnterpriseTrunk != "" && len(f.Trunks.EnterpriseTrunks) > 0 && !containsFold(f.Trunks.EnterpriseTrunks, d.EnterpriseTrunk) {
				fe.add(FieldEnterpriseTrunk, "%q does not exist", d.EnterpriseTrunk)
			}
		}
		m.templateErrors(fe, FieldLinePort)
	default:
		fe.add(FieldDeviceMode, "choose none, hosted or trunk")
	}
}

func (m *Model) validateDepartment(fe FieldErrors) {
	d := m.Department
	switch d.Mode {
	case ModeNone, "":
	case ModeSelect, ModeCreate:
		name := strings.TrimSpace(d.Name)
		if name == "" {
			fe.add(FieldDepartment, "is required")
			return
		}
		if utf8.RuneCountInString(d.Name) > 50 {
			fe.add(FieldDepartment, "must be at most 50 characters")
			return
		}
		if msg := tokenProblem(d.Name); msg != "" {
			fe.add(FieldDepartment, "%s", msg)
			return
		}
		f := m.EffectiveFacts()
		if f == nil {
			return
		}
		exists := false
		for _, x := range f.Departments {
			exists = exists || strings.EqualFold(x.Name, d.Name)
		}
		if d.Mode == ModeSelect && !exists && len(f.Departments) > 0 {
			fe.add(FieldDepartment, "%q does not exist", d.Name)
		}
		if d.Mode == ModeCreate && exists {
			fe.add(FieldDepartment, "%q already exists: select it instead", d.Name)
		}
		if d.Mode == ModeCreate && d.Enterprise {
			fe.add(FieldDepartmentEnterprise, "new departments are created in the group")
		}
	default:
		fe.add(FieldDepartmentMode, "choose none, select or create")
	}
}

// Target returns the target of the model's users, with the rules rows are
// checked against.
func (m *Model) Target() Target {
	t := Target{
		ServiceProviderID: m.Enterprise.ID,
		GroupID:           m.Group.ID,
		Domain:            m.userDomain(),
		IsEnterprise:      m.Enterprise.IsEnterprise,
		Release:           m.Release,
		RequirePassword:   true,
		Services:          m.serviceAuth(),
	}
	if f := m.EffectiveFacts(); f != nil {
		t.Rules = f.Rules
		t.MinExtensionLength = f.Group.MinExtensionLength
		t.MaxExtensionLength = f.Group.MaxExtensionLength
		t.Departments = f.Departments
	}
	if m.Department.Mode == ModeSelect && m.Department.Enterprise {
		t.Departments = append(t.Departments, Department{Name: m.Department.Name, Enterprise: true})
	}
	return t
}

// String describes the target for logs: "sp/group".
func (t Target) String() string { return fmt.Sprintf("%s/%s", t.ServiceProviderID, t.GroupID) }
