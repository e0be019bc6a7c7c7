package wizard

import (
	"errors"
	"fmt"
	"strings"

	"bwbulk/broadworks/oci"
)

// ErrInvalidRow is returned by PlanRow and Preview.Plan for a row with
// problems: nothing invalid becomes a job.
var ErrInvalidRow = errors.New("wizard: row has problems")

// forRelease turns the newest versions the plan builds into those the
// target's release accepts (the release table, read from the releases'
// schema sets): on an R21 or R22 server UserAddRequest22V2 becomes
// UserAddRequest17sp4.
func forRelease(rel string, cmds []oci.Request) ([]oci.Request, error) {
	for i, c := range cmds {
		w, err := oci.ForRelease(rel, c)
		if err != nil {
			return nil, fmt.Errorf("wizard: %w", err)
		}
		cmds[i] = w
	}
	return cmds, nil
}

// PlanSetup returns the commands that prepare the target before any user:
// ServiceProviderConsolidatedAddRequest when the enterprise/service
// provider is created, GroupConsolidatedAddRequest when the group is
// created, GroupDepartmentAddRequest when a department is created, each in
// the version the target's release accepts (GroupAddRequest before R24).
// Nothing when all exist.
func PlanSetup(m *Model) []oci.Request {
	var out []oci.Request
	t := m.Target()
	if m.Enterprise.Mode == ModeCreate {
		sp := &oci.ServiceProviderConsolidatedAddRequest{
			ServiceProviderID:   oci.String(m.Enterprise.ID),
			DefaultDomain:       m.Enterprise.Domain,
			ServiceProviderName: oci.StringOrNil(m.Enterprise.Name),
		}
		// The schema's choice is isEnterprise (fixed true) or
		// useCustomRoutingProfile: a plain service provider takes the latter.
		if m.Enterprise.IsEnterprise {
			sp.IsEnterprise = true
		} else {
			sp.UseCustomRoutingProfile = oci.Bool(false)
		}
		out = append(out, sp)
	}
	if m.Group.Mode == ModeCreate {
		out = append(out, &oci.GroupConsolidatedAddRequest{
			ServiceProviderID: m.Enterprise.ID,
			GroupID:           oci.String(m.Group.ID),
			DefaultDomain:     m.Group.Domain,
			UserLimit:         m.Group.UserLimit,
			GroupName:         oci.StringOrNil(m.Group.Name),
		})
	}
	if m.Department.Mode == ModeCreate && m.Department.Name != "" {
		out = append(out, &oci.GroupDepartmentAddRequest{
			ServiceProviderID: m.Enterprise.ID,
			GroupID:           m.Group.ID,
			DepartmentName:    m.Department.Name,
		})
	}
	if conv, err := forRelease(t.Release, out); err == nil {
		out = conv
	}
	return out
}

// PlanRow maps one valid row to the commands its job sends, in order:
//
//  1. GroupAccessDeviceAddRequest22V2 when the row has a
//     device not in t.ExistingDevices (hosted user);
//  2. UserAddRequest22V2, with accessDeviceEndpoint
//     for a hosted user or trunkAddressing for a trunking user;
//  3. UserServiceAssignListRequest when the row's Services cell names
//     services or packs (SplitAssignment), unversioned on every release;
//
// each in the version t.Release accepts (UserAddRequest21 and
// GroupAccessDeviceAddRequest14 on R21, see oci.Versions). A row ValidateRow finds problems in is refused with ErrInvalidRow and
// the first problem.
func PlanRow(t Target, r Row) ([]oci.Request, error) {
	if ps := ValidateRow(t, r); len(ps) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrInvalidRow, ps[0].Error())
	}
	return planValidRow(t, r)
}

// PlanRow maps row i of a valid preview (Valid) to its commands as the
// function PlanRow does, without validating the row again: the preview
// did, against its target and the group's facts.
func (p *Preview) PlanRow(i int) ([]oci.Request, error) {
	if i < 0 || i >= len(p.own) || len(p.own[i]) > 0 {
		return nil, fmt.Errorf("%w: row %d", ErrInvalidRow, i+1)
	}
	return planValidRow(p.t, p.Rows[i])
}

// planRow is PlanRow for a row validated already.
func planValidRow(t Target, r Row) ([]oci.Request, error) {
	var out []oci.Request
	get := r.Get
	opt := func(c Column) *string { return oci.StringOrNil(get(c)) }
	dev := get(ColDeviceName)
	hosted := dev != ""
	if hosted && !containsFold(t.ExistingDevices, dev) {
		out = append(out, &oci.GroupAccessDeviceAddRequest22V2{
			ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID,
			DeviceName: dev, DeviceType: get(ColDeviceType), MacAddress: opt(ColMACAddress),
		})
	}
	var dept oci.DepartmentKey
	if name := get(ColDepartment); name != "" {
		ent := t.EnterpriseDepartments
		for _, d := range t.Departments {
			if strings.EqualFold(d.Name, name) {
				ent = d.Enterprise
				break
			}
		}
		if ent {
			dept = oci.EnterpriseDepartment(t.ServiceProviderID, name)
		} else {
			dept = oci.GroupDepartment(t.ServiceProviderID, t.GroupID, name)
		}
	}
	addr := streetAddress(&r)
	uid := get(ColUserID)
	{
		u := &oci.UserAddRequest22V2{
			ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID, UserID: uid,
			LastName: get(ColLastName), FirstName: get(ColFirstName),
			CallingLineIDLastName: get(ColCLIDLastName), CallingLineIDFirstName: get(ColCLIDFirstName),
			PhoneNumber: opt(ColPhoneNumber), Extension: opt(ColExtension), Password: opt(ColPassword),
			Department: dept, Language: opt(ColLanguage), TimeZone: opt(ColTimeZone),
			Title: opt(ColTitle), PagerPhoneNumber: opt(ColPager), MobilePhoneNumber: opt(ColMobile),
			EmailAddress: opt(ColEmail), YahooID: opt(ColYahooID), AddressLocation: opt(ColAddressLocation),
			Address: addr,
		}
		switch {
		case hosted:
			// useHotline is mandatory in the R25 endpoint type.
			u.AccessDeviceEndpoint = &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
				AccessDevice: oci.GroupDevice(dev), LinePort: get(ColLinePort), UseHotline: false}
		case get(ColTrunkGroup) != "" || get(ColEnterpriseTrunk) != "":
			ta := &oci.TrunkAddressingMultipleContactAdd22{EnterpriseTrunkName: opt(ColEnterpriseTrunk)}
			if tg := get(ColTrunkGroup); tg != "" {
				ta.TrunkGroupDeviceEndpoint = &oci.TrunkGroupDeviceMultipleContactEndpointAdd22{Name: tg, LinePort: get(ColLinePort)}
			}
			u.TrunkAddressing = ta
		}
		out = append(out, u)
	}
	if services, packs := SplitAssignment(SplitServiceList(get(ColServices)), t.Services); len(services)+len(packs) > 0 {
		out = append(out, &oci.UserServiceAssignListRequest{UserID: uid, ServiceName: services, ServicePackName: packs})
	}
	return forRelease(t.Release, out)
}

func streetAddress(r *Row) *oci.StreetAddress {
	set := func(c Column) *oci.Nillable[string] {
		if v := r.Get(c); v != "" {
			return oci.Set(v)
		}
		return nil
	}
	a := &oci.StreetAddress{
		AddressLine1: set(ColAddressLine1), AddressLine2: set(ColAddressLine2), City: set(ColCity),
		StateOrProvince: set(ColState), ZipOrPostalCode: set(ColZip), Country: set(ColCountry),
	}
	if a.AddressLine1 == nil && a.AddressLine2 == nil && a.City == nil && a.StateOrProvince == nil && a.ZipOrPostalCode == nil && a.Country == nil {
		return nil
	}
	return a
}

// PlannedRow is one future job: its row number (Model.RowNumber), the user id,
// the cells for storage and the commands in order.
type PlannedRow struct {
	Row      int
	UserID   string
	Fields   map[string]string
	Commands []oci.Request
}

// Plan turns a valid preview into jobs. It refuses (ErrInvalidRow, with the
// first problem) while any problem remains.
func (p *Preview) Plan() ([]PlannedRow, error) {
	if !p.Valid() {
		ps := p.Problems()
		if len(ps) == 0 {
			return nil, ErrInvalidRow
		}
		return nil, fmt.Errorf("%w: %d problems, first: %s", ErrInvalidRow, len(ps), p.m.NumberProblems(ps[:1])[0].Error())
	}
	out := make([]PlannedRow, len(p.Rows))
	for i := range p.Rows {
		cmds, err := p.PlanRow(i)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", p.RowNumber(i), err)
		}
		out[i] = PlannedRow{Row: p.RowNumber(i), UserID: p.Rows[i].Get(ColUserID), Fields: p.Rows[i].Fields(), Commands: cmds}
	}
	return out, nil
}
