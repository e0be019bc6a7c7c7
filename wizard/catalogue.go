package wizard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Catalogue answers the wizard's look-ups. The live implementation is an
// adapter over a broadworks client; the offline one is the jobs cache. Every
// method may do I/O, honours ctx, and returns ErrNotFound (wrapped) when the
// service provider or group does not exist.
type Catalogue interface {
	// ServiceProviders lists service providers and enterprises.
	ServiceProviders(ctx context.Context) ([]ServiceProvider, error)
	// Groups lists the groups of a service provider or enterprise.
	Groups(ctx context.Context, sp string) ([]GroupSummary, error)
	// Group returns one group's details, including licence headroom and
	// extension lengths.
	Group(ctx context.Context, sp, group string) (*GroupInfo, error)
	// PasswordRules returns the rules that apply to new users of the group.
	PasswordRules(ctx context.Context, sp, group string) (*PasswordRules, error)
	// AvailableNumbers lists the group's numbers not assigned to a user.
	AvailableNumbers(ctx context.Context, sp, group string) ([]string, error)
	// DeviceTypes lists the device types that may be used in the group.
	DeviceTypes(ctx context.Context, sp, group string) ([]string, error)
	// Departments lists the group's departments and the enterprise's.
	Departments(ctx context.Context, sp, group string) ([]Department, error)
	// Trunks lists the trunk groups and enterprise trunks of the group.
	Trunks(ctx context.Context, sp, group string) (*Trunks, error)
	// TimeZones lists the system's time zones.
	TimeZones(ctx context.Context) ([]TimeZone, error)
	// Languages lists the system's languages.
	Languages(ctx context.Context) ([]string, error)
	// Domains lists the domains assigned to the group (default first).
	Domains(ctx context.Context, sp, group string) ([]string, error)
}

// DeviceType is one device type and what the catalogue knows about it.
type DeviceType struct {
	Name string `json:"name"`
	// RequiresMAC tells whether a device of this type must be given a MAC
	// address when it is added (types provisioned by BroadWorks Device
	// Management are identified by their MAC). Nil means unknown: nothing
	// is checked.
	RequiresMAC *bool `json:"requiresMac,omitempty"`
}

// DeviceTypeDescriber is implemented by catalogues that can tell more about
// a device type than its name. LoadFacts uses it when the catalogue has it
// and falls back to Catalogue.DeviceTypes (requirements unknown) when it
// fails, so an offline copy saved before it existed still loads.
type DeviceTypeDescriber interface {
	// DeviceTypeInfo lists the device types that may be used in the
	// group, in the order of Catalogue.DeviceTypes.
	DeviceTypeInfo(ctx context.Context, sp, group string) ([]DeviceType, error)
}

// ErrNotFound is returned (wrapped) by catalogues for an unknown service
// provider or group.
var ErrNotFound = errors.New("wizard: not found")

// ServiceProvider is a service provider or enterprise.
type ServiceProvider struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	IsEnterprise bool   `json:"isEnterprise"`
}

// GroupSummary is one entry of a group list.
type GroupSummary struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	UserLimit int    `json:"userLimit"`
}

// GroupInfo is what the wizard needs to know about the target group.
type GroupInfo struct {
	ServiceProviderID string `json:"serviceProviderId"`
	GroupID           string `json:"groupId"`
	Name              string `json:"name,omitempty"`
	DefaultDomain     string `json:"defaultDomain"`
	UserLimit         int    `json:"userLimit"`
	UserCount         int    `json:"userCount"`
	// Extension lengths (2..20) from GroupExtensionLengthGetRequest22.
	MinExtensionLength     int    `json:"minExtensionLength"`
	MaxExtensionLength     int    `json:"maxExtensionLength"`
	DefaultExtensionLength int    `json:"defaultExtensionLength"`
	TimeZone               string `json:"timeZone,omitempty"`
	IsEnterprise           bool   `json:"isEnterprise,omitempty"`
}

// Free returns the number of users that can still be added: user limit
// minus user count, never negative.
func (g *GroupInfo) Free() int {
	if g == nil || g.UserLimit <= g.UserCount {
		return 0
	}
	return g.UserLimit - g.UserCount
}

// Department is a group or enterprise department.
type Department struct {
	Name string `json:"name"`
	// Enterprise is true for an enterprise-level department.
	Enterprise bool   `json:"enterprise,omitempty"`
	FullPath   string `json:"fullPath,omitempty"`
}

// Trunks lists the trunking targets of a group.
type Trunks struct {
	TrunkGroups      []string `json:"trunkGroups,omitempty"`
	EnterpriseTrunks []string `json:"enterpriseTrunks,omitempty"`
}

// TimeZone is one entry of the system time-zone table: Key goes on the wire.
type TimeZone struct {
	Key     string `json:"key"`
	Display string `json:"display,omitempty"`
}

// GroupFacts is everything the catalogue says about one group, gathered
// once so validation and preview need no further look-ups. It is plain data:
// the jobs cache stores it as JSON and a draft carries it, so a draft can be
// reopened offline.
type GroupFacts struct {
	Group            GroupInfo     `json:"group"`
	Rules            PasswordRules `json:"passwordRules"`
	AvailableNumbers []string      `json:"availableNumbers,omitempty"`
	DeviceTypes      []string      `json:"deviceTypes,omitempty"`
	// DeviceTypeInfo describes the device types when the catalogue could
	// (absent in facts saved before it existed: requirements unknown).
	DeviceTypeInfo []DeviceType `json:"deviceTypeInfo,omitempty"`
	Departments    []Department `json:"departments,omitempty"`
	Trunks         Trunks       `json:"trunks"`
	Domains        []string     `json:"domains,omitempty"`
	TimeZones      []TimeZone   `json:"timeZones,omitempty"`
	Languages      []string     `json:"languages,omitempty"`
	// Services are the group's service authorisations (nil when the
	// catalogue could not say: nothing is checked).
	Services *ServiceAuthorizations `json:"services,omitempty"`
}

// LoadFacts asks cat for everything about one group. The first failing
// look-up's error is returned, naming the look-up.
func LoadFacts(ctx context.Context, cat Catalogue, sp, group string) (*GroupFacts, error) {
	f := &GroupFacts{}
	g, err := cat.Group(ctx, sp, group)
	if err != nil {
		return nil, fmt.Errorf("wizard: group %s/%s: %w", sp, group, err)
	}
	f.Group = *g
	r, err := cat.PasswordRules(ctx, sp, group)
	if err != nil {
		return nil, fmt.Errorf("wizard: password rules: %w", err)
	}
	f.Rules = *r
	if f.AvailableNumbers, err = cat.AvailableNumbers(ctx, sp, group); err != nil {
		return nil, fmt.Errorf("wizard: available numbers: %w", err)
	}
	if d, ok := cat.(DeviceTypeDescriber); ok {
		if info, err := d.DeviceTypeInfo(ctx, sp, group); err == nil && len(info) > 0 {
			f.DeviceTypeInfo = info
			f.DeviceTypes = make([]string, len(info))
			for i, t := range info {
				f.DeviceTypes[i] = t.Name
			}
		}
	}
	if f.DeviceTypes == nil {
		if f.DeviceTypes, err = cat.DeviceTypes(ctx, sp, group); err != nil {
			return nil, fmt.Errorf("wizard: device types: %w", err)
		}
	}
	if f.Departments, err = cat.Departments(ctx, sp, group); err != nil {
		return nil, fmt.Errorf("wizard: departments: %w", err)
	}
	t, err := cat.Trunks(ctx, sp, group)
	if err != nil {
		return nil, fmt.Errorf("wizard: trunks: %w", err)
	}
	f.Trunks = *t
	if f.Domains, err = cat.Domains(ctx, sp, group); err != nil {
		return nil, fmt.Errorf("wizard: domains: %w", err)
	}
	if f.TimeZones, err = cat.TimeZones(ctx); err != nil {
		return nil, fmt.Errorf("wizard: time zones: %w", err)
	}
	if f.Languages, err = cat.Languages(ctx); err != nil {
		return nil, fmt.Errorf("wizard: languages: %w", err)
	}
	if sa, ok := cat.(ServiceAuthorizer); ok {
		if a, err := sa.ServiceAuthorizations(ctx, sp, group); err == nil {
			f.Services = a
		}
	}
	return f, nil
}

// StaticCatalogue is an in-memory Catalogue over plain data: the offline
// cache's shape and the test double. It is JSON-serialisable. Safe for
// concurrent reads; do not mutate while in use.
type StaticCatalogue struct {
	Providers []ServiceProvider `json:"serviceProviders"`
	// Groups maps a service provider id to its groups' facts.
	GroupFacts map[string][]GroupFacts `json:"groups"`
	TZ         []TimeZone              `json:"timeZones,omitempty"`
	Langs      []string                `json:"languages,omitempty"`
}

var (
	_ Catalogue           = (*StaticCatalogue)(nil)
	_ DeviceTypeDescriber = (*StaticCatalogue)(nil)
)

func (s *StaticCatalogue) facts(sp, group string) (*GroupFacts, error) {
	gs, ok := s.GroupFacts[sp]
	if !ok {
		return nil, fmt.Errorf("service provider %q: %w", sp, ErrNotFound)
	}
	for i := range gs {
		if gs[i].Group.GroupID == group {
			return &gs[i], nil
		}
	}
	return nil, fmt.Errorf("group %q in %q: %w", group, sp, ErrNotFound)
}

// ServiceProviders implements Catalogue.
func (s *StaticCatalogue) ServiceProviders(ctx context.Context) ([]ServiceProvider, error) {
	return slices.Clone(s.Providers), ctx.Err()
}

// Groups implements Catalogue.
func (s *StaticCatalogue) Groups(ctx context.Context, sp string) ([]GroupSummary, error) {
	gs, ok := s.GroupFacts[sp]
	if !ok {
		return nil, fmt.Errorf("service provider %q: %w", sp, ErrNotFound)
	}
	out := make([]GroupSummary, len(gs))
	for i, g := range gs {
		out[i] = GroupSummary{ID: g.Group.GroupID, Name: g.Group.Name, UserLimit: g.Group.UserLimit}
	}
	return out, ctx.Err()
}

// Group implements Catalogue.
func (s *StaticCatalogue) Group(ctx context.Context, sp, group string) (*GroupInfo, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	g := f.Group
	return &g, ctx.Err()
}

// PasswordRules implements Catalogue.
func (s *StaticCatalogue) PasswordRules(ctx context.Context, sp, group string) (*PasswordRules, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	r := f.Rules
	return &r, ctx.Err()
}

// AvailableNumbers implements Catalogue.
func (s *StaticCatalogue) AvailableNumbers(ctx context.Context, sp, group string) ([]string, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	return slices.Clone(f.AvailableNumbers), ctx.Err()
}

// DeviceTypes implements Catalogue.
func (s *StaticCatalogue) DeviceTypes(ctx context.Context, sp, group string) ([]string, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	return slices.Clone(f.DeviceTypes), ctx.Err()
}

// DeviceTypeInfo implements DeviceTypeDescriber: the facts' descriptions,
// or the bare names (requirements unknown) when the facts have none.
func (s *StaticCatalogue) DeviceTypeInfo(ctx context.Context, sp, group string) ([]DeviceType, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	if f.DeviceTypeInfo != nil {
		out := make([]DeviceType, len(f.DeviceTypeInfo))
		for i, t := range f.DeviceTypeInfo {
			out[i] = DeviceType{Name: t.Name}
			if t.RequiresMAC != nil {
				out[i].RequiresMAC = new(*t.RequiresMAC)
			}
		}
		return out, ctx.Err()
	}
	out := make([]DeviceType, len(f.DeviceTypes))
	for i, n := range f.DeviceTypes {
		out[i] = DeviceType{Name: n}
	}
	return out, ctx.Err()
}

// RequiresMAC reports whether devices of the named type (compared without
// case) need a MAC address; known is false when the facts do not say.
func (f *GroupFacts) RequiresMAC(deviceType string) (requires, known bool) {
	if f == nil {
		return false, false
	}
	for _, t := range f.DeviceTypeInfo {
		if strings.EqualFold(t.Name, deviceType) {
			if t.RequiresMAC == nil {
				return false, false
			}
			return *t.RequiresMAC, true
		}
	}
	return false, false
}

// Departments implements Catalogue.
func (s *StaticCatalogue) Departments(ctx context.Context, sp, group string) ([]Department, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	return slices.Clone(f.Departments), ctx.Err()
}

// Trunks implements Catalogue.
func (s *StaticCatalogue) Trunks(ctx context.Context, sp, group string) (*Trunks, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	t := Trunks{TrunkGroups: slices.Clone(f.Trunks.TrunkGroups), EnterpriseTrunks: slices.Clone(f.Trunks.EnterpriseTrunks)}
	return &t, ctx.Err()
}

// TimeZones implements Catalogue.
func (s *StaticCatalogue) TimeZones(ctx context.Context) ([]TimeZone, error) {
	return slices.Clone(s.TZ), ctx.Err()
}

// Languages implements Catalogue.
func (s *StaticCatalogue) Languages(ctx context.Context) ([]string, error) {
	return slices.Clone(s.Langs), ctx.Err()
}

// Domains implements Catalogue.
func (s *StaticCatalogue) Domains(ctx context.Context, sp, group string) ([]string, error) {
	f, err := s.facts(sp, group)
	if err != nil {
		return nil, err
	}
	return slices.Clone(f.Domains), ctx.Err()
}
