package wizard

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"bwbulk/broadworks/oci"
)

// ServiceLicence is one service pack or user service the group is
// authorised for, with its quantity and how much of it is used
// (GroupServiceGetAuthorizationListResponse).
type ServiceLicence struct {
	Name string `json:"name"`
	Pack bool   `json:"pack,omitempty"`
	// Limit is the group's quantity; -1 means unlimited.
	Limit       int    `json:"limit"`
	Usage       int    `json:"usage"`
	Description string `json:"description,omitempty"`
}

// Unlimited reports whether the group may assign it to any number of users.
func (l ServiceLicence) Unlimited() bool { return l.Limit < 0 }

// Left is how many more users may be given it (-1: unlimited).
func (l ServiceLicence) Left() int {
	if l.Unlimited() {
		return -1
	}
	return max(l.Limit-l.Usage, 0)
}

// Kind is "Service pack" or "User service", for tables.
func (l ServiceLicence) Kind() string {
	if l.Pack {
		return "Service pack"
	}
	return "User service"
}

// Quantity describes the licence for people: "unlimited" or "3 of 25 left".
func (l ServiceLicence) Quantity() string {
	if l.Unlimited() {
		return "unlimited"
	}
	return fmt.Sprintf("%d of %d left", l.Left(), l.Limit)
}

// ServiceAuthorizations are the service packs and user services a group
// is authorised for (those not authorised are left out).
type ServiceAuthorizations struct {
	Packs    []ServiceLicence `json:"packs,omitempty"`
	Services []ServiceLicence `json:"services,omitempty"`
}

// Find returns the pack or service named name: exactly, else without
// case; packs first.
func (a *ServiceAuthorizations) Find(name string) (ServiceLicence, bool) {
	if a == nil {
		return ServiceLicence{}, false
	}
	for _, fold := range []bool{false, true} {
		for _, list := range [][]ServiceLicence{a.Packs, a.Services} {
			for _, l := range list {
				if l.Name == name || fold && strings.EqualFold(l.Name, name) {
					return l, true
				}
			}
		}
	}
	return ServiceLicence{}, false
}

// Search returns the packs then the services whose name or description
// holds query (without case); an empty query returns all.
func (a *ServiceAuthorizations) Search(query string) []ServiceLicence {
	if a == nil {
		return nil
	}
	var out []ServiceLicence
	for _, list := range [][]ServiceLicence{a.Packs, a.Services} {
		for _, l := range list {
			if l.Matches(query) {
				out = append(out, l)
			}
		}
	}
	return out
}

// Matches reports whether a search for query finds l: its name or
// description holds query (without case, and without spaces or
// punctuation: "voicemessaging"), or one of the common names the importer
// knows for l holds it ("voicemail" finds Voice Messaging User, as a
// Services cell of "Voicemail" is read as it). An empty query matches
// everything.
func (l ServiceLicence) Matches(query string) bool {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" || strings.Contains(strings.ToLower(l.Name), q) || strings.Contains(strings.ToLower(l.Description), q) {
		return true
	}
	k := serviceKey(q)
	if k == "" {
		return false
	}
	if strings.Contains(serviceKey(l.Name), k) || strings.Contains(serviceKey(l.Description), k) {
		return true
	}
	for alias, bw := range serviceAliases {
		if strings.Contains(alias, k) && strings.EqualFold(bw, l.Name) {
			return true
		}
	}
	return false
}

// ServiceAuthorizer is implemented by catalogues that can list a group's
// service authorisations. LoadFacts uses it when the catalogue has it; a
// failure leaves GroupFacts.Services nil (nothing is checked), so an
// offline copy saved before it existed still loads.
type ServiceAuthorizer interface {
	ServiceAuthorizations(ctx context.Context, sp, group string) (*ServiceAuthorizations, error)
}

// ServiceListSeparator separates the names of a Services cell as bwbulk
// writes it. Reading, ';', '|', ',' and line breaks all separate.
const ServiceListSeparator = "; "

// SplitServiceList reads a Services cell: names separated by ';', '|', ','
// or line breaks, trimmed, empty ones and repeats (without case) dropped.
func SplitServiceList(cell string) []string {
	f := strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '|' || r == ',' || r == '\n' || r == '\r' })
	var out []string
	for _, n := range f {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" || slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, n) }) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// JoinServiceList writes names as a Services cell.
func JoinServiceList(names []string) string { return strings.Join(names, ServiceListSeparator) }

// serviceAliases maps other spellings, by serviceKey, to the BroadWorks
// user service name: Webex Control Hub's feature names, odin's and
// common abbreviations.
var serviceAliases = map[string]string{}

func serviceKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func init() {
	alias := func(bw string, names ...string) {
		if !oci.IsUserService(bw) {
			panic("wizard: service alias for unknown service " + bw)
		}
		for _, n := range names {
			serviceAliases[serviceKey(n)] = bw
		}
	}
	alias("Voice Messaging User", "Voicemail", "Voice Mail", "VM", "Voice Messaging", "Messaging")
	alias("Call Forwarding Always", "CFA", "Call Forward Always", "Call Forwarding")
	alias("Call Forwarding Busy", "CFB", "Call Forward Busy")
	alias("Call Forwarding No Answer", "CFNA", "CFNR", "Call Forward No Answer")
	alias("Call Forwarding Not Reachable", "CFNRc", "Call Forward Not Reachable")
	alias("Call Forwarding Selective", "Selective Call Forwarding", "Selective Forward")
	alias("Do Not Disturb", "DND")
	alias("Busy Lamp Field", "BLF")
	alias("Shared Call Appearance", "SCA", "Shared Line", "Shared Line Appearance")
	alias("BroadWorks Anywhere", "Single Number Reach", "SNR", "Anywhere")
	alias("Simultaneous Ring Personal", "Simultaneous Ring", "Sim Ring", "SimRing")
	alias("Sequential Ring", "Seq Ring")
	alias("Three-Way Call", "Three Way Calling", "3-Way Call", "3 Way Calling")
	alias("N-Way Call", "N-Way Calling", "Conference")
	alias("Music On Hold User", "Music On Hold", "MOH")
	alias("Call Waiting", "CW")
	alias("Barge-in Exempt", "Barge In Exempt")
	alias("Executive-Assistant", "Executive Assistant")
	alias("Hoteling Guest", "Hoteling", "Hot Desking", "Hot Desk")
	alias("Intercept User", "Intercept")
	alias("Priority Alert", "Priority Alerting")
	alias("Anonymous Call Rejection", "ACR")
	alias("Calling Line ID Delivery Blocking", "Caller ID Blocking", "Block Caller ID")
	alias("Remote Office", "Office Anywhere")
	alias("Push to Talk", "PTT")
	alias("Fax Messaging", "Fax")
	alias("Directed Call Pickup", "Directed Pickup")
	alias("Basic Call Logs", "Call Logs", "Call History")
}

// CanonicalService returns the BroadWorks spelling of a service or pack
// name: the group's own (a of GroupFacts.Services, nil when unknown), the
// schema's, or the service another product's name stands for ("Voicemail",
// "Single Number Reach", "DND"); a name nobody knows comes back unchanged.
func CanonicalService(name string, a *ServiceAuthorizations) string {
	name = strings.Join(strings.Fields(name), " ")
	if l, ok := a.Find(name); ok {
		return l.Name
	}
	if oci.IsUserService(name) {
		return name
	}
	k := serviceKey(name)
	for _, s := range oci.UserServices() {
		if serviceKey(s) == k {
			return s
		}
	}
	if bw, ok := serviceAliases[k]; ok {
		if l, ok := a.Find(bw); ok {
			return l.Name
		}
		return bw
	}
	return name
}

// NormalizeServiceList rewrites a Services cell in bwbulk's form: the
// names in their BroadWorks spelling, separated by ServiceListSeparator.
func NormalizeServiceList(cell string, a *ServiceAuthorizations) string {
	names := SplitServiceList(cell)
	for i, n := range names {
		names[i] = CanonicalService(n, a)
	}
	return JoinServiceList(SplitServiceList(JoinServiceList(names)))
}

// SplitAssignment sorts the names of a Services cell into user services and
// service packs for UserServiceAssignListRequest: a pack the group is
// authorised for is a pack; else a name of the schema's user services is a
// service; any other name is taken as a pack (the server refuses it when
// the group has no such pack).
func SplitAssignment(names []string, a *ServiceAuthorizations) (services, packs []string) {
	for _, n := range names {
		if l, ok := a.Find(n); ok && l.Pack {
			packs = append(packs, l.Name)
			continue
		}
		if oci.IsUserService(n) {
			services = append(services, n)
			continue
		}
		if l, ok := a.Find(n); ok {
			services = append(services, l.Name)
			continue
		}
		packs = append(packs, n)
	}
	return services, packs
}

// defaultServices is the Services cell the wizard's Services step gives
// every row: its packs then its services.
func (m *Model) defaultServices() string {
	return JoinServiceList(append(slices.Clone(m.ServicePacks), m.Services...))
}

// serviceAuth returns the group's authorisations when loaded.
func (m *Model) serviceAuth() *ServiceAuthorizations {
	if f := m.EffectiveFacts(); f != nil {
		return f.Services
	}
	return nil
}

// validateServices checks the Services step: every pick authorised for
// the group, and enough of each for every user.
func (m *Model) validateServices(fe FieldErrors) {
	a := m.serviceAuth()
	if a == nil {
		return
	}
	n := m.RowCount()
	check := func(f Field, names []string, pack bool) {
		for _, name := range names {
			l, ok := a.Find(name)
			switch {
			case !ok || l.Pack != pack:
				what := "user service"
				if pack {
					what = "service pack"
				}
				fe.add(f, "%s is not a %s the group is authorised for", name, what)
			case !l.Unlimited() && l.Left() < n:
				fe.add(f, "%s: %s, not enough for %s", l.Name, l.Quantity(), plural(n, "user", "users"))
			}
		}
	}
	check(FieldServicePacks, m.ServicePacks, true)
	check(FieldServices, m.Services, false)
}

// ServiceUse is how a task uses one service pack or user service.
type ServiceUse struct {
	Name  string `json:"name"`
	Pack  bool   `json:"pack,omitempty"`
	Users int    `json:"users"`
	// Limit and Left (after the task) are -1 when unlimited or unknown
	// (Known false: the group's authorisations were not loaded).
	Limit int  `json:"limit"`
	Left  int  `json:"left"`
	Known bool `json:"known"`
}

// Line describes the use for people.
func (u ServiceUse) Line() string {
	what := u.Name
	if u.Pack {
		what = "service pack " + u.Name
	}
	s := fmt.Sprintf("Assign %s to %s", what, plural(u.Users, "user", "users"))
	switch {
	case !u.Known:
		return s + " (licences not known)"
	case u.Limit < 0:
		return s + " (unlimited)"
	}
	return fmt.Sprintf("%s (%d of %d left after)", s, u.Left, u.Limit)
}

// serviceUses counts the services of rows, in the order they first appear.
func serviceUses(rows []Row, a *ServiceAuthorizations) []ServiceUse {
	var out []ServiceUse
	idx := map[string]int{}
	for i := range rows {
		services, packs := SplitAssignment(SplitServiceList(rows[i].Get(ColServices)), a)
		for k, list := range [][]string{packs, services} {
			for _, n := range list {
				j, ok := idx[n]
				if !ok {
					j = len(out)
					idx[n] = j
					u := ServiceUse{Name: n, Pack: k == 0, Limit: -1, Left: -1}
					if l, ok := a.Find(n); ok {
						u.Known, u.Limit = true, l.Limit
						if !l.Unlimited() {
							u.Left = l.Left()
						}
					}
					out = append(out, u)
				}
				out[j].Users++
				if out[j].Known && out[j].Limit >= 0 {
					out[j].Left--
				}
			}
		}
	}
	return out
}

// serviceCheck adds the rows' service problems (ServiceProblems) against
// the group's authorisations, when loaded.
func (p *Preview) serviceCheck() {
	if a := p.m.serviceAuth(); a != nil {
		p.cross = append(p.cross, ServiceProblems(p.Rows, a)...)
	}
}

// ServiceProblems finds the rows' services the group is not authorised
// for (ErrUnavailable) and those its licences a cannot cover (ErrLicence),
// row by row in order: the first rows take what is left. Row is 1-based.
func ServiceProblems(rows []Row, a *ServiceAuthorizations) []Problem {
	var out []Problem
	taken := map[string]int{}
	for i := range rows {
		for _, n := range SplitServiceList(rows[i].v[ColServices]) {
			l, ok := a.Find(n)
			if !ok {
				out = append(out, Problem{Row: i + 1, Column: ColServices, Err: ErrUnavailable,
					Msg: fmt.Sprintf("%s is not a service or service pack the group is authorised for", n)})
				continue
			}
			if l.Unlimited() {
				continue
			}
			taken[l.Name]++
			if taken[l.Name] > l.Left() {
				msg := fmt.Sprintf("%s: 0 of %d left", l.Name, l.Limit)
				if l.Usage > 0 {
					msg += fmt.Sprintf(" (%d used before this task)", l.Usage)
				}
				out = append(out, Problem{Row: i + 1, Column: ColServices, Err: ErrLicence, Msg: msg})
			}
		}
	}
	return out
}

// ServiceChoices are what the Services step offers: the packs and services
// the group is authorised for (known true), or, when its authorisations are
// not known (a group being created, facts from before they were read), the
// schema's user services with unknown licences.
func (m *Model) ServiceChoices() (choices []ServiceLicence, known bool) {
	if a := m.serviceAuth(); a != nil {
		return a.Search(""), true
	}
	for _, n := range oci.UserServices() {
		choices = append(choices, ServiceLicence{Name: n, Limit: -1})
	}
	return choices, false
}

// Picked reports whether the Services step gives every user l.
func (m *Model) Picked(l ServiceLicence) bool {
	if l.Pack {
		return slices.Contains(m.ServicePacks, l.Name)
	}
	return slices.Contains(m.Services, l.Name)
}

// Pick adds l to the Services step's picks (on) or removes it.
func (m *Model) Pick(l ServiceLicence, on bool) {
	list := &m.Services
	if l.Pack {
		list = &m.ServicePacks
	}
	*list = slices.DeleteFunc(*list, func(x string) bool { return x == l.Name })
	if on {
		*list = append(*list, l.Name)
	}
	if len(*list) == 0 {
		*list = nil
	}
}
