package wizard

import (
	"fmt"
	"strings"

	"bwbulk/broadworks/oci"
)

// MaxCommandsPerDocument is how many commands jobs sends in one OCI-P
// document at most.
const MaxCommandsPerDocument = 15

// Summary is what a task will do, as Submit's confirmation and
// `bwbulk plan` show it, computed from a valid preview before anything is
// sent. Its JSON form is stable: fields are only ever added.
type Summary struct {
	ServiceProviderID string `json:"serviceProviderId"`
	GroupID           string `json:"groupId"`
	Users             int    `json:"users"`
	Devices           int    `json:"devices"`
	Numbers           int    `json:"numbers"`
	// Licences is nil when the group has no user limit.
	Licences *LicenceUse `json:"licences,omitempty"`
	// Setup names, in order, what is created before any user (side
	// effects): "create the group", ...
	Setup []string `json:"setup"`
	// GeneratedPasswords is true when bwbulk generates the passwords
	// (kept sealed, downloadable from the task when done).
	GeneratedPasswords bool `json:"generatedPasswords"`
	// Commands counts every command, setup included; they are sent in
	// documents of up to BatchSize.
	Commands  int `json:"commands"`
	BatchSize int `json:"batchSize"`
	// Services are the service packs and user services the task assigns,
	// with the group's licences for each.
	Services []ServiceUse `json:"services,omitempty"`
}

// LicenceUse is how a task uses the group's user licences.
type LicenceUse struct {
	Used  int `json:"used"`
	Free  int `json:"free"`
	Limit int `json:"limit"`
	Left  int `json:"left"` // free after the task
}

// Summarize describes the task made of setup and rows, the plan of
// preview p of model m (PlanSetup(m) and p.Plan()).
func Summarize(m *Model, p *Preview, setup []oci.Request, rows []PlannedRow) Summary {
	s := startSummary(m, p, setup)
	for i, r := range rows {
		s.addRow(r.Commands, &p.Rows[i])
	}
	s.finish(m, p, setup)
	return s
}

// PlanSummary is Summarize of the whole plan of a valid preview p of
// model m (PlanSetup(m), then every row planned), for `bwbulk plan`: each
// row is planned and counted in turn, so the plan of a large file is
// never held whole. The error is p.Plan's.
func PlanSummary(m *Model, p *Preview) (Summary, error) {
	if !p.Valid() {
		_, err := p.Plan() // says why
		return Summary{}, err
	}
	setup := PlanSetup(m)
	s := startSummary(m, p, setup)
	for i := range p.Rows {
		cmds, err := p.PlanRow(i)
		if err != nil {
			return Summary{}, fmt.Errorf("row %d: %w", p.RowNumber(i), err)
		}
		s.addRow(cmds, &p.Rows[i])
	}
	s.finish(m, p, setup)
	return s, nil
}

func startSummary(m *Model, p *Preview, setup []oci.Request) Summary {
	t := p.Target()
	return Summary{
		ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID,
		Commands: len(setup), BatchSize: MaxCommandsPerDocument, Setup: []string{},
		GeneratedPasswords: m.Passwords.Mode == PasswordsGenerate,
	}
}

// addRow counts one planned row: its commands, device and number.
func (s *Summary) addRow(cmds []oci.Request, r *Row) {
	s.Users++
	s.Commands += len(cmds)
	for _, c := range cmds {
		if strings.HasPrefix(c.OCIName(), "GroupAccessDeviceAdd") {
			s.Devices++
		}
	}
	if r.Get(ColPhoneNumber) != "" {
		s.Numbers++
	}
}

// finish adds what the rows counted do not say: licences, setup, services.
func (s *Summary) finish(m *Model, p *Preview, setup []oci.Request) {
	if f := m.EffectiveFacts(); f != nil && f.Group.UserLimit > 0 {
		free := f.Group.Free()
		s.Licences = &LicenceUse{Used: s.Users, Free: free, Limit: f.Group.UserLimit, Left: free - s.Users}
	}
	for _, c := range setup {
		s.Setup = append(s.Setup, DescribeSetup(c))
	}
	s.Services = serviceUses(p.Rows, p.Target().Services)
}

// Description names the task as its title in Tasks does: "40 users in
// acme-ent/acme-hq".
func (s Summary) Description() string {
	return fmt.Sprintf("%s in %s/%s", plural(s.Users, "user", "users"), s.ServiceProviderID, s.GroupID)
}

// Lines renders the summary for people, one line per fact.
func (s Summary) Lines() []string {
	out := []string{
		fmt.Sprintf("Create %s in %s / %s", plural(s.Users, "user", "users"), s.ServiceProviderID, s.GroupID),
		"Create " + plural(s.Devices, "device", "devices"),
		"Assign " + plural(s.Numbers, "phone number", "phone numbers"),
	}
	if l := s.Licences; l != nil {
		out = append(out, fmt.Sprintf("Use %d of %d free licences (%d left afterwards)", l.Used, l.Free, l.Left))
	}
	for _, u := range s.Services {
		out = append(out, u.Line())
	}
	for _, c := range s.Setup {
		out = append(out, "First: "+c)
	}
	if s.GeneratedPasswords {
		out = append(out, "Generated passwords are kept encrypted; download them from Tasks when done")
	}
	return append(out, fmt.Sprintf("%s in total, sent in batches of up to %d", plural(s.Commands, "command", "commands"), s.BatchSize))
}

// DescribeSetup names a setup command (PlanSetup) for people.
func DescribeSetup(c oci.Request) string {
	switch c.OCIName() {
	case "ServiceProviderConsolidatedAddRequest":
		return "create the service provider / enterprise"
	case "GroupConsolidatedAddRequest", "GroupAddRequest":
		return "create the group"
	case "GroupDepartmentAddRequest", "EnterpriseDepartmentAddRequest":
		return "create the department"
	}
	return c.OCIName()
}
