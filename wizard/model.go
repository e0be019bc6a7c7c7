package wizard

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
)

// Mode selects between the choices a step offers. The values are stable
// strings because drafts store them.
type Mode string

// Modes of the enterprise, group and department steps.
const (
	ModeSelect Mode = "select" // pick an existing one
	ModeCreate Mode = "create" // create a new one
	ModeNone   Mode = "none"   // leave it out
)

// Modes of the passwords step.
const (
	PasswordsBlank    Mode = "blank"    // filled in by hand at preview
	PasswordsGenerate Mode = "generate" // generated from the group's rules
)

// Modes of the numbers step (ModeNone leaves numbers blank).
const (
	NumbersList      Mode = "list"      // numbers and ranges typed by the user
	NumbersAvailable Mode = "available" // picked from the group's available list
)

// Modes of the extension setting (ModeNone leaves extensions blank).
const (
	ExtensionsFromNumber Mode = "fromNumber" // last N digits of the phone number
	ExtensionsTemplate   Mode = "template"   // a tag template
)

// Modes of the device step (ModeNone: no device).
const (
	DeviceHosted Mode = "hosted" // an access device per user
	DeviceTrunk  Mode = "trunk"  // trunk addressing
)

// EnterpriseStep is the service provider / enterprise: selected or created.
type EnterpriseStep struct {
	Mode         Mode   `json:"mode"`
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	Domain       string `json:"domain,omitempty"`
	IsEnterprise bool   `json:"isEnterprise"`
}

// GroupStep is the group: selected or created.
type GroupStep struct {
	Mode      Mode   `json:"mode"`
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Domain    string `json:"domain,omitempty"`
	UserLimit int    `json:"userLimit,omitempty"`
}

// UserIDStep is the user id template and its domain. When Template holds
// no '@', "@" + Domain is appended.
type UserIDStep struct {
	Template string `json:"template"`
	Domain   string `json:"domain,omitempty"`
}

// PasswordStep chooses blank or generated passwords. Generated holds the
// passwords generated so far, by row index, so they stay stable across
// preview regenerations (drafts are stored encrypted for this reason).
type PasswordStep struct {
	Mode      Mode     `json:"mode"`
	Generated []string `json:"generated,omitempty"`
}

// NamesStep holds the name templates. Empty CLID templates default to the
// first and last name.
type NamesStep struct {
	FirstName     string `json:"firstName"`
	LastName      string `json:"lastName"`
	CLIDFirstName string `json:"callingLineIdFirstName,omitempty"`
	CLIDLastName  string `json:"callingLineIdLastName,omitempty"`
}

// NumbersStep assigns phone numbers and extensions.
type NumbersStep struct {
	Mode Mode `json:"mode"`
	// Entries are single numbers or ranges "2025550100-2025550199" (Mode
	// NumbersList), or the numbers picked from the available list (Mode
	// NumbersAvailable; empty means "the first free ones").
	Entries       []string `json:"entries,omitempty"`
	ExtensionMode Mode     `json:"extensionMode"`
	// ExtensionLength is the number of trailing digits taken from the
	// phone number; 0 means the group's default extension length.
	ExtensionLength   int    `json:"extensionLength,omitempty"`
	ExtensionTemplate string `json:"extensionTemplate,omitempty"`
}

// DeviceStep describes the device (hosted) or trunk (trunking) of each user.
type DeviceStep struct {
	Mode            Mode   `json:"mode"`
	DeviceType      string `json:"deviceType,omitempty"`
	DeviceName      string `json:"deviceName,omitempty"` // template
	MACAddress      string `json:"macAddress,omitempty"` // template
	LinePort        string `json:"linePort,omitempty"`   // template
	TrunkGroup      string `json:"trunkGroup,omitempty"`
	EnterpriseTrunk string `json:"enterpriseTrunk,omitempty"`
}

// DepartmentStep chooses no department, an existing one, or a new one.
type DepartmentStep struct {
	Mode Mode   `json:"mode"`
	Name string `json:"name,omitempty"`
	// Enterprise is true for an enterprise-level department.
	Enterprise bool `json:"enterprise,omitempty"`
}

// DetailsStep holds time zone (key) and language.
type DetailsStep struct {
	TimeZone string `json:"timeZone,omitempty"`
	Language string `json:"language,omitempty"`
}

// ContactStep holds the contact templates.
type ContactStep struct {
	Email   string `json:"email,omitempty"`
	Mobile  string `json:"mobile,omitempty"`
	Pager   string `json:"pager,omitempty"`
	YahooID string `json:"yahooId,omitempty"`
	Title   string `json:"title,omitempty"`
}

// AddressStep holds the address templates.
type AddressStep struct {
	Location string `json:"location,omitempty"`
	Line1    string `json:"line1,omitempty"`
	Line2    string `json:"line2,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"stateOrProvince,omitempty"`
	Zip      string `json:"zipOrPostalCode,omitempty"`
	Country  string `json:"country,omitempty"`
}

// Model is the whole wizard state. It is plain data (JSON via
// MarshalDraft) and not safe for concurrent use.
type Model struct {
	Enterprise EnterpriseStep `json:"enterprise"`
	Group      GroupStep      `json:"group"`
	UserCount  int            `json:"userCount"`
	// StartIndex is the value of {{ index }} on the first row (default 1
	// when 0 and never set; use SetStartIndex for 0).
	StartIndex int            `json:"startIndex"`
	UserID     UserIDStep     `json:"userId"`
	Passwords  PasswordStep   `json:"passwords"`
	Names      NamesStep      `json:"names"`
	Numbers    NumbersStep    `json:"numbers"`
	Device     DeviceStep     `json:"device"`
	Department DepartmentStep `json:"department"`
	Details    DetailsStep    `json:"details"`
	Contact    ContactStep    `json:"contact"`
	Address    AddressStep    `json:"address"`

	// Edits are the preview cells changed by hand, by 0-based row index.
	// They win over template values and survive regeneration.
	Edits map[int]map[Column]string `json:"edits,omitempty"`

	// Imported, when not nil, are users read from a file (ImportCSV,
	// ImportXLSX): they replace the templates as the preview's base rows
	// and UserCount follows their number. Edits apply on top.
	Imported []Row `json:"imported,omitempty"`
	// RowNumbers is, for Imported rows read from a file, the file's row
	// of each (ModelForImportFile): the number RowNumber shows it by.
	RowNumbers []int `json:"rowNumbers,omitempty"`

	// Facts is what the catalogue said about the target group (see
	// LoadFacts). Nil until loaded; for a group being created, the
	// wizard derives facts from the group step (EffectiveFacts).
	Facts *GroupFacts `json:"facts,omitempty"`

	// Services and ServicePacks are assigned to every new user
	// (UserServiceAssignListRequest); empty means none.
	Services     []string `json:"services,omitempty"`
	ServicePacks []string `json:"servicePacks,omitempty"`

	// Release is the server release learned at login ("" = current); it
	// picks the command versions of the plan.
	Release string `json:"release,omitempty"`

	// Skip is true when steps 1–2 were preset (existing group or clone).
	Skip bool `json:"skipSelection,omitempty"`
}

// NewModel returns a model with the defaults a help-desk user starts from.
func NewModel() *Model {
	return &Model{
		Enterprise: EnterpriseStep{Mode: ModeSelect},
		Group:      GroupStep{Mode: ModeSelect},
		UserCount:  1,
		StartIndex: 1,
		UserID:     UserIDStep{Template: "{{ first name | lower }}.{{ last name | lower }}"},
		Passwords:  PasswordStep{Mode: PasswordsGenerate},
		Names:      NamesStep{FirstName: "User", LastName: "{{ index | pad 3 }}"},
		Numbers:    NumbersStep{Mode: ModeNone, ExtensionMode: ExtensionsFromNumber},
		Device:     DeviceStep{Mode: ModeNone},
		Department: DepartmentStep{Mode: ModeNone},
	}
}

// NewModelForGroup returns a model with steps 1–2 preset to an existing
// group and its facts, so the wizard starts at StepUserCount.
func NewModelForGroup(sp string, isEnterprise bool, facts *GroupFacts) *Model {
	return ForGroup(sp, isEnterprise, facts.Group.GroupID, facts)
}

// FirstStep is where the wizard opens: StepUserCount when the target
// group is preset, else StepEnterprise.
func (m *Model) FirstStep() Step {
	if m.Skip {
		return StepUserCount
	}
	return StepEnterprise
}

// Clone returns a deep copy (for "clone an earlier task"). Generated
// passwords and hand edits are not carried over.
func (m *Model) Clone() *Model {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	var c Model
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	c.Passwords.Generated = nil
	c.Edits = nil
	c.Skip = c.Enterprise.ID != "" && c.Group.ID != ""
	return &c
}

// SetImported makes rows the base of the preview (nil goes back to the
// templates) and drops earlier edits and generated passwords.
func (m *Model) SetImported(rows []Row) {
	m.Imported = rows
	m.RowNumbers = nil
	m.Edits = nil
	m.Passwords.Generated = nil
	if rows != nil {
		m.UserCount = len(rows)
	}
}

// SetCell records a hand edit of a preview cell (row is 0-based). Setting
// the empty string is an edit too (the cell is cleared); use ClearEdit to
// go back to the template value.
func (m *Model) SetCell(row int, c Column, v string) {
	if row < 0 || !c.Valid() {
		return
	}
	if m.Edits == nil {
		m.Edits = make(map[int]map[Column]string)
	}
	e := m.Edits[row]
	if e == nil {
		e = make(map[Column]string)
		m.Edits[row] = e
	}
	e[c] = v
}

// ClearEdit drops a hand edit so the cell follows its template again.
func (m *Model) ClearEdit(row int, c Column) {
	if e := m.Edits[row]; e != nil {
		delete(e, c)
		if len(e) == 0 {
			delete(m.Edits, row)
		}
	}
}

// Edited reports whether a cell was edited by hand.
func (m *Model) Edited(row int, c Column) bool {
	_, ok := m.Edits[row][c]
	return ok
}

// DraftVersion is the current draft format version. Version 2 added the
// Services step after Device: a version 1 draft's later steps move one on.
const DraftVersion = 2

// ErrDraftVersion is returned by UnmarshalDraft for a draft written by a
// newer bwbulk.
var ErrDraftVersion = errors.New("wizard: unsupported draft version")

type draft struct {
	Version int    `json:"version"`
	Step    Step   `json:"step"`
	Model   *Model `json:"model"`
}

// MarshalDraft serialises the whole wizard state with its format version
// and the step the user was on. The result contains generated passwords:
// store it encrypted.
func (m *Model) MarshalDraft(step Step) ([]byte, error) {
	return json.Marshal(draft{Version: DraftVersion, Step: step, Model: m})
}

// UnmarshalDraft restores a draft made by MarshalDraft and the step the
// user was on.
func UnmarshalDraft(b []byte) (*Model, Step, error) {
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, 0, fmt.Errorf("wizard: draft: %w", err)
	}
	if head.Version < 1 || head.Version > DraftVersion {
		return nil, 0, fmt.Errorf("%w %d", ErrDraftVersion, head.Version)
	}
	d := draft{Model: NewModel()}
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, 0, fmt.Errorf("wizard: draft: %w", err)
	}
	if head.Version < 2 && d.Step >= StepServices {
		d.Step++
	}
	if d.Step < 0 || d.Step >= numSteps {
		d.Step = StepEnterprise
	}
	d.Model.Edits = cloneEdits(d.Model.Edits)
	return d.Model, d.Step, nil
}

func cloneEdits(e map[int]map[Column]string) map[int]map[Column]string {
	if e == nil {
		return nil
	}
	out := make(map[int]map[Column]string, len(e))
	for k, v := range e {
		out[k] = maps.Clone(v)
	}
	return out
}

// EffectiveFacts returns the facts validation uses: the loaded ones, or,
// when the group is being created, facts derived from the group step
// (user count 0, extension lengths 2..20, default 4, no password rules,
// service authorisations unknown).
func (m *Model) EffectiveFacts() *GroupFacts {
	if m.Group.Mode == ModeCreate {
		f := &GroupFacts{}
		if m.Facts != nil {
			*f = *m.Facts
		}
		f.Group.ServiceProviderID = m.Enterprise.ID
		f.Group.GroupID = m.Group.ID
		f.Group.Name = m.Group.Name
		f.Group.DefaultDomain = m.Group.Domain
		f.Group.UserLimit = m.Group.UserLimit
		f.Group.UserCount = 0
		// What a new group is authorised for is the provider's to say
		// once it exists: nothing is checked before.
		f.Services = nil
		if f.Group.MinExtensionLength == 0 {
			f.Group.MinExtensionLength, f.Group.MaxExtensionLength, f.Group.DefaultExtensionLength = 2, 20, 4
		}
		if len(f.Domains) == 0 && m.Group.Domain != "" {
			f.Domains = []string{m.Group.Domain}
		}
		return f
	}
	return m.Facts
}
