package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// LiveCatalogue answers the wizard's look-ups from a BroadWorks server
// (OCI-P commands, see ocip-notes §7). It asks in the newest versions; the
// client sends each in the version the server's release has and reads the
// answer back as the newest response type (oci.Versions). It is safe for
// concurrent use when its Doer is.
type LiveCatalogue struct {
	D broadworks.Doer
}

var (
	_ wizard.Catalogue           = LiveCatalogue{}
	_ wizard.DeviceTypeDescriber = LiveCatalogue{}
)

func isTrue(s string) bool { return strings.EqualFold(s, "true") }

func notFoundIf(err error) error {
	if broadworks.IsErrorCode(err, 4008, 4101, 4102, 4103, 4104) {
		return fmt.Errorf("%w: %v", wizard.ErrNotFound, err)
	}
	return err
}

// ServiceProviders lists service providers and enterprises.
func (c LiveCatalogue) ServiceProviders(ctx context.Context) ([]wizard.ServiceProvider, error) {
	r, err := broadworks.Do[*oci.ServiceProviderGetListResponse](ctx, c.D, &oci.ServiceProviderGetListRequest{})
	if err != nil {
		return nil, err
	}
	t := &r.ServiceProviderTable
	out := make([]wizard.ServiceProvider, len(t.Rows))
	for i := range t.Rows {
		out[i] = wizard.ServiceProvider{
			ID:           t.Col(i, "Service Provider Id"),
			Name:         t.Col(i, "Service Provider Name"),
			IsEnterprise: isTrue(t.Col(i, "Is Enterprise")),
		}
	}
	return out, nil
}

// Groups lists the groups of a service provider.
func (c LiveCatalogue) Groups(ctx context.Context, sp string) ([]wizard.GroupSummary, error) {
	r, err := broadworks.Do[*oci.GroupGetListInServiceProviderResponse](ctx, c.D, &oci.GroupGetListInServiceProviderRequest{ServiceProviderID: sp})
	if err != nil {
		return nil, notFoundIf(err)
	}
	t := &r.GroupTable
	out := make([]wizard.GroupSummary, len(t.Rows))
	for i := range t.Rows {
		lim, _ := strconv.Atoi(t.Col(i, "User Limit"))
		out[i] = wizard.GroupSummary{ID: t.Col(i, "Group Id"), Name: t.Col(i, "Group Name"), UserLimit: lim}
	}
	return out, nil
}

// Group reads a group and its extension lengths.
func (c LiveCatalogue) Group(ctx context.Context, sp, group string) (*wizard.GroupInfo, error) {
	g, err := broadworks.Do[*oci.GroupGetResponse22V5](ctx, c.D, &oci.GroupGetRequest22V5{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	info := &wizard.GroupInfo{
		ServiceProviderID: sp, GroupID: group, DefaultDomain: g.DefaultDomain,
		UserLimit: g.UserLimit, UserCount: g.UserCount, TimeZone: g.TimeZone,
	}
	if g.GroupName != nil {
		info.Name = *g.GroupName
	}
	x, err := broadworks.Do[*oci.GroupExtensionLengthGetResponse22](ctx, c.D, &oci.GroupExtensionLengthGetRequest22{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	info.MinExtensionLength, info.MaxExtensionLength, info.DefaultExtensionLength = x.MinExtensionLength, x.MaxExtensionLength, x.DefaultExtensionLength
	return info, nil
}

// PasswordRules reads the group's password rules.
func (c LiveCatalogue) PasswordRules(ctx context.Context, sp, group string) (*wizard.PasswordRules, error) {
	r, err := broadworks.Do[*oci.GroupPasswordRulesGetResponseRI](ctx, c.D, &oci.GroupPasswordRulesGetRequestRI{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	pr := &wizard.PasswordRules{DisallowUserID: r.DisallowUserID, MinLength: r.MinLength}
	if r.RestrictMinDigits {
		pr.MinDigits = r.MinDigits
	}
	if r.RestrictMinUpperCaseLetters {
		pr.MinUpperCase = r.MinUpperCaseLetters
	}
	if r.RestrictMinLowerCaseLetters {
		pr.MinLowerCase = r.MinLowerCaseLetters
	}
	if r.RestrictMinNonAlphanumericCharacters {
		pr.MinNonAlphanumeric = r.MinNonAlphanumericCharacters
	}
	return pr, nil
}

// AvailableNumbers lists the group's unassigned numbers.
func (c LiveCatalogue) AvailableNumbers(ctx context.Context, sp, group string) ([]string, error) {
	r, err := broadworks.Do[*oci.GroupDnGetAvailableListResponse](ctx, c.D, &oci.GroupDnGetAvailableListRequest{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	return r.PhoneNumber, nil
}

// DeviceTypes lists the device types available for phones.
func (c LiveCatalogue) DeviceTypes(ctx context.Context, sp, group string) ([]string, error) {
	r, err := broadworks.Do[*oci.SystemDeviceTypeGetAvailableListResponse22V2](ctx, c.D, &oci.SystemDeviceTypeGetAvailableListRequest22V2{})
	if err != nil {
		return nil, err
	}
	return r.DeviceType, nil
}

// DeviceTypeInfo lists the device types available for phones and which of
// them need a MAC address, read from each type's typeInfo: a type managed
// by BroadWorks Device Management (deviceConfigurationOption "Device
// Management") is provisioned by its MAC; any other option means no MAC is
// needed; no option, or a typeInfo list not matching the types one to one,
// leaves the requirement unknown.
func (c LiveCatalogue) DeviceTypeInfo(ctx context.Context, sp, group string) ([]wizard.DeviceType, error) {
	r, err := broadworks.Do[*oci.SystemDeviceTypeGetAvailableListResponse22V2](ctx, c.D, &oci.SystemDeviceTypeGetAvailableListRequest22V2{})
	if err != nil {
		return nil, err
	}
	return deviceTypeInfo(r), nil
}

func deviceTypeInfo(r *oci.SystemDeviceTypeGetAvailableListResponse22V2) []wizard.DeviceType {
	out := make([]wizard.DeviceType, len(r.DeviceType))
	for i, name := range r.DeviceType {
		out[i].Name = name
		if len(r.TypeInfo) != len(r.DeviceType) {
			continue
		}
		if opt := r.TypeInfo[i].DeviceConfigurationOption; opt != nil {
			out[i].RequiresMAC = new(strings.TrimSpace(*opt) == "Device Management")
		}
	}
	return out
}

// Departments lists group and enterprise departments.
func (c LiveCatalogue) Departments(ctx context.Context, sp, group string) ([]wizard.Department, error) {
	r, err := broadworks.Do[*oci.GroupDepartmentGetListResponse18](ctx, c.D, &oci.GroupDepartmentGetListRequest18{ServiceProviderID: sp, GroupID: group, IncludeEnterpriseDepartments: true})
	if err != nil {
		return nil, notFoundIf(err)
	}
	t := &r.DepartmentTable
	out := make([]wizard.Department, len(t.Rows))
	for i := range t.Rows {
		out[i] = wizard.Department{
			Name:       t.Col(i, "Department Name"),
			Enterprise: isTrue(t.Col(i, "Is Enterprise Department")),
			FullPath:   t.Col(i, "Full Path Name"),
		}
	}
	return out, nil
}

// Trunks lists trunk groups and enterprise trunks.
func (c LiveCatalogue) Trunks(ctx context.Context, sp, group string) (*wizard.Trunks, error) {
	tg, err := broadworks.Do[*oci.GroupTrunkGroupGetInstanceListResponse14sp4](ctx, c.D, &oci.GroupTrunkGroupGetInstanceListRequest14sp4{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	out := &wizard.Trunks{}
	for i := range tg.TrunkGroupTable.Rows {
		out.TrunkGroups = append(out.TrunkGroups, tg.TrunkGroupTable.Col(i, "Name"))
	}
	et, err := broadworks.Do[*oci.GroupEnterpriseTrunkGetListResponse](ctx, c.D, &oci.GroupEnterpriseTrunkGetListRequest{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	for i := range et.EnterpriseTrunkTable.Rows {
		out.EnterpriseTrunks = append(out.EnterpriseTrunks, et.EnterpriseTrunkTable.Col(i, "Enterprise Trunk Name"))
	}
	return out, nil
}

// TimeZones lists the system's time zones.
func (c LiveCatalogue) TimeZones(ctx context.Context) ([]wizard.TimeZone, error) {
	r, err := broadworks.Do[*oci.SystemTimeZoneGetListResponse20](ctx, c.D, &oci.SystemTimeZoneGetListRequest20{})
	if err != nil {
		return nil, err
	}
	t := &r.TimeZoneTable
	out := make([]wizard.TimeZone, len(t.Rows))
	for i := range t.Rows {
		out[i] = wizard.TimeZone{Key: t.Col(i, "Key"), Display: t.Col(i, "Display Name")}
	}
	return out, nil
}

// Languages lists the system's languages.
func (c LiveCatalogue) Languages(ctx context.Context) ([]string, error) {
	r, err := broadworks.Do[*oci.SystemLanguageGetListResponse](ctx, c.D, &oci.SystemLanguageGetListRequest{})
	if err != nil {
		return nil, err
	}
	t := &r.LanguageTable
	out := make([]string, len(t.Rows))
	for i := range t.Rows {
		out[i] = t.Col(i, "Language")
	}
	return out, nil
}

// Domains lists the group's domains, default first.
func (c LiveCatalogue) Domains(ctx context.Context, sp, group string) ([]string, error) {
	r, err := broadworks.Do[*oci.GroupDomainGetAssignedListResponse](ctx, c.D, &oci.GroupDomainGetAssignedListRequest{ServiceProviderID: sp, GroupID: group})
	if err != nil {
		return nil, notFoundIf(err)
	}
	out := []string{r.GroupDefaultDomain}
	for _, d := range r.Domain {
		if d != r.GroupDefaultDomain {
			out = append(out, d)
		}
	}
	return out, nil
}

// CachedCatalogue answers from Live when it can and caches every answer in
// the jobs store under Server; when Live fails for want of a connection it
// answers from the cache instead and remembers how old that answer was
// (Age). Server-side refusals are returned as they are. Safe for concurrent
// use.
type CachedCatalogue struct {
	Live   wizard.Catalogue // nil: offline, cache only
	Store  *Store
	Server string

	mu     sync.Mutex
	oldest time.Time // fetch time of the oldest cached answer served
}

var (
	_ wizard.Catalogue           = (*CachedCatalogue)(nil)
	_ wizard.DeviceTypeDescriber = (*CachedCatalogue)(nil)
)

// Age returns the fetch time of the oldest cached answer served since the
// last ResetAge, and false when every answer was live.
func (c *CachedCatalogue) Age() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.oldest, !c.oldest.IsZero()
}

// ResetAge forgets the cached answers served so far.
func (c *CachedCatalogue) ResetAge() {
	c.mu.Lock()
	c.oldest = time.Time{}
	c.mu.Unlock()
}

// offlineErr reports whether err means "no server", not "server said no".
func offlineErr(err error) bool {
	var er *oci.ErrorResponse
	if errors.As(err, &er) {
		return false
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

func cached[T any](ctx context.Context, c *CachedCatalogue, key string, live func(wizard.Catalogue) (T, error)) (T, error) {
	var zero T
	var lerr error
	if c.Live != nil {
		v, err := live(c.Live)
		if err == nil {
			if c.Store != nil {
				_ = c.Store.PutCatalogue(context.WithoutCancel(ctx), c.Server, key, v)
			}
			return v, nil
		}
		if !offlineErr(err) || c.Store == nil {
			return zero, err
		}
		lerr = err
	}
	if c.Store == nil {
		return zero, errors.New("not connected to a server")
	}
	var v T
	at, err := c.Store.Catalogue(ctx, c.Server, key, &v)
	if err != nil {
		if lerr == nil {
			lerr = errors.New("not connected to a server")
		}
		return zero, fmt.Errorf("%w; no offline copy of %s either (it was never loaded while online)", lerr, describeKey(key))
	}
	c.mu.Lock()
	if c.oldest.IsZero() || at.Before(c.oldest) {
		c.oldest = at
	}
	c.mu.Unlock()
	return v, nil
}

// ServiceProviders implements wizard.Catalogue.
func (c *CachedCatalogue) ServiceProviders(ctx context.Context) ([]wizard.ServiceProvider, error) {
	return cached(ctx, c, "sps", func(l wizard.Catalogue) ([]wizard.ServiceProvider, error) { return l.ServiceProviders(ctx) })
}

// Groups implements wizard.Catalogue.
func (c *CachedCatalogue) Groups(ctx context.Context, sp string) ([]wizard.GroupSummary, error) {
	return cached(ctx, c, "groups/"+sp, func(l wizard.Catalogue) ([]wizard.GroupSummary, error) { return l.Groups(ctx, sp) })
}

// Group implements wizard.Catalogue.
func (c *CachedCatalogue) Group(ctx context.Context, sp, group string) (*wizard.GroupInfo, error) {
	return cached(ctx, c, "group/"+sp+"/"+group, func(l wizard.Catalogue) (*wizard.GroupInfo, error) { return l.Group(ctx, sp, group) })
}

// PasswordRules implements wizard.Catalogue.
func (c *CachedCatalogue) PasswordRules(ctx context.Context, sp, group string) (*wizard.PasswordRules, error) {
	return cached(ctx, c, "rules/"+sp+"/"+group, func(l wizard.Catalogue) (*wizard.PasswordRules, error) { return l.PasswordRules(ctx, sp, group) })
}

// AvailableNumbers implements wizard.Catalogue.
func (c *CachedCatalogue) AvailableNumbers(ctx context.Context, sp, group string) ([]string, error) {
	return cached(ctx, c, "numbers/"+sp+"/"+group, func(l wizard.Catalogue) ([]string, error) { return l.AvailableNumbers(ctx, sp, group) })
}

// DeviceTypes implements wizard.Catalogue.
func (c *CachedCatalogue) DeviceTypes(ctx context.Context, sp, group string) ([]string, error) {
	return cached(ctx, c, "devicetypes/"+sp+"/"+group, func(l wizard.Catalogue) ([]string, error) { return l.DeviceTypes(ctx, sp, group) })
}

// DeviceTypeInfo implements wizard.DeviceTypeDescriber. It fails when Live
// cannot describe device types and no description was cached (offline
// copies saved before descriptions existed): wizard.LoadFacts then falls
// back to DeviceTypes.
func (c *CachedCatalogue) DeviceTypeInfo(ctx context.Context, sp, group string) ([]wizard.DeviceType, error) {
	return cached(ctx, c, "devicetypeinfo/"+sp+"/"+group, func(l wizard.Catalogue) ([]wizard.DeviceType, error) {
		d, ok := l.(wizard.DeviceTypeDescriber)
		if !ok {
			return nil, errors.New("the catalogue does not describe device types")
		}
		return d.DeviceTypeInfo(ctx, sp, group)
	})
}

// Departments implements wizard.Catalogue.
func (c *CachedCatalogue) Departments(ctx context.Context, sp, group string) ([]wizard.Department, error) {
	return cached(ctx, c, "departments/"+sp+"/"+group, func(l wizard.Catalogue) ([]wizard.Department, error) { return l.Departments(ctx, sp, group) })
}

// Trunks implements wizard.Catalogue.
func (c *CachedCatalogue) Trunks(ctx context.Context, sp, group string) (*wizard.Trunks, error) {
	return cached(ctx, c, "trunks/"+sp+"/"+group, func(l wizard.Catalogue) (*wizard.Trunks, error) { return l.Trunks(ctx, sp, group) })
}

// TimeZones implements wizard.Catalogue.
func (c *CachedCatalogue) TimeZones(ctx context.Context) ([]wizard.TimeZone, error) {
	return cached(ctx, c, "timezones", func(l wizard.Catalogue) ([]wizard.TimeZone, error) { return l.TimeZones(ctx) })
}

// Languages implements wizard.Catalogue.
func (c *CachedCatalogue) Languages(ctx context.Context) ([]string, error) {
	return cached(ctx, c, "languages", func(l wizard.Catalogue) ([]string, error) { return l.Languages(ctx) })
}

// Domains implements wizard.Catalogue.
func (c *CachedCatalogue) Domains(ctx context.Context, sp, group string) ([]string, error) {
	return cached(ctx, c, "domains/"+sp+"/"+group, func(l wizard.Catalogue) ([]string, error) { return l.Domains(ctx, sp, group) })
}

// describeKey names a cache key for people: "groups/acme-ent" → "the
// groups of acme-ent".
func describeKey(key string) string {
	what, rest, _ := strings.Cut(key, "/")
	names := map[string]string{
		"sps": "the service provider list", "groups": "the groups of", "group": "group",
		"rules": "the password rules of", "numbers": "the numbers of", "devicetypes": "the device types of", "devicetypeinfo": "the device types of",
		"departments": "the departments of", "trunks": "the trunks of", "timezones": "the time zones",
		"languages": "the languages", "domains": "the domains of", "services": "the service authorisations of",
	}
	n, ok := names[what]
	if !ok {
		return key
	}
	if rest == "" {
		return n
	}
	return n + " " + rest
}
