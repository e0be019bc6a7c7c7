package ocisim

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Admin levels, as reported in LoginResponse loginType.
const (
	LevelSystem          = "System"
	LevelServiceProvider = "Service Provider"
	LevelGroup           = "Group"
	LevelUser            = "User"
)

// Admin is an administrator account (or, for LevelUser, a user's own login).
type Admin struct {
	UserID            string `json:"userId"`
	Level             string `json:"level"`
	ServiceProviderID string `json:"serviceProviderId,omitempty"`
	GroupID           string `json:"groupId,omitempty"`
	// PasswordSHA1 is the lowercase hex SHA-1 of the password: the nonce
	// login needs it and the clear password is never stored.
	PasswordSHA1 string `json:"passwordSha1"`
}

// PasswordRules are the password rules of the system, a service provider or
// a group (the RI rule set, reduced to what the simulator enforces).
type PasswordRules struct {
	DisallowUserID      bool `json:"disallowUserId"`
	DisallowOldPassword bool `json:"disallowOldPassword"`
	MinDigits           int  `json:"minDigits"`      // 0: not restricted
	MinUpper            int  `json:"minUpper"`       // 0: not restricted
	MinLower            int  `json:"minLower"`       // 0: not restricted
	MinNonAlphanumeric  int  `json:"minNonAlphanum"` // 0: not restricted
	MinLength           int  `json:"minLength"`      // 3..40
	MaxFailedLogins     int  `json:"maxFailedLogins"`
	ExpiresDays         int  `json:"expiresDays"`
}

// DeviceType is an entry of the system device-type catalogue.
type DeviceType struct {
	Name string `json:"name"`
	// Ports is the number of line ports; 0 means unlimited.
	Ports int `json:"ports"`
	// RequiresMAC makes macAddress mandatory when a device is added. The
	// device-type list reports such types with deviceConfigurationOption
	// "Device Management" (and a configType), the others with "Not
	// Supported".
	RequiresMAC bool `json:"requiresMac"`
	// Profile is the signalling address type, e.g. "Intelligent Proxy Addressing".
	Profile string `json:"profile"`
}

// TimeZone is a time-zone key and its display name.
type TimeZone struct {
	Key     string `json:"key"`
	Display string `json:"display"`
}

// Language is an installed language.
type Language struct {
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	Encoding string `json:"encoding"`
}

// Address is a street address.
type Address struct {
	Line1           string `json:"line1,omitempty"`
	Line2           string `json:"line2,omitempty"`
	City            string `json:"city,omitempty"`
	StateOrProvince string `json:"stateOrProvince,omitempty"`
	ZipOrPostalCode string `json:"zip,omitempty"`
	Country         string `json:"country,omitempty"`
}

// ServiceProvider is a service provider or an enterprise.
type ServiceProvider struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	IsEnterprise  bool     `json:"isEnterprise"`
	DefaultDomain string   `json:"defaultDomain"`
	Domains       []string `json:"domains"`
	// Numbers is the SP number pool: DN → group it is assigned to ("" if free).
	Numbers          map[string]string `json:"numbers"`
	Rules            *PasswordRules    `json:"rules,omitempty"`
	EnterpriseTrunks []Trunk           `json:"enterpriseTrunks,omitempty"`
	Departments      []string          `json:"departments,omitempty"` // enterprise departments
	Groups           map[string]*Group `json:"groups"`
}

// Trunk is a group trunk group or an enterprise trunk.
type Trunk struct {
	Name       string `json:"name"`
	GroupID    string `json:"groupId,omitempty"`
	DeviceName string `json:"deviceName,omitempty"`
	Routing    string `json:"routing,omitempty"` // enterprise trunks: "Priority Weighted" or "Ordered Load Balancing"
}

// Group is a group of a service provider or enterprise.
type Group struct {
	ID                string             `json:"id"`
	Name              string             `json:"name,omitempty"`
	DefaultDomain     string             `json:"defaultDomain"`
	Domains           []string           `json:"domains"`
	UserLimit         int                `json:"userLimit"`
	TimeZone          string             `json:"timeZone"`
	CallingLineIDName string             `json:"callingLineIdName,omitempty"`
	ExtMin            int                `json:"extMin"`
	ExtMax            int                `json:"extMax"`
	ExtDefault        int                `json:"extDefault"`
	Rules             *PasswordRules     `json:"rules,omitempty"`
	Numbers           map[string]bool    `json:"numbers"` // DN → activated
	Devices           map[string]*Device `json:"devices"`
	Departments       []Department       `json:"departments"`
	TrunkGroups       []Trunk            `json:"trunkGroups"`
	EnterpriseTrunks  []string           `json:"enterpriseTrunks,omitempty"` // names usable by the group
	Services          []string           `json:"services"`                   // authorised user services
	// ServiceLimits is the quantity of each limited user service (absent:
	// unlimited); ServicePacks are the packs authorised to the group.
	ServiceLimits map[string]int `json:"serviceLimits,omitempty"`
	ServicePacks  []ServicePack  `json:"servicePacks,omitempty"`
}

// ServicePack is a named set of user services authorised as one, with its
// own quantity (Limit < 0: unlimited).
type ServicePack struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Services    []string `json:"services"`
	Limit       int      `json:"limit"`
}

// Department is a group department.
type Department struct {
	Name       string `json:"name"`
	Parent     string `json:"parent,omitempty"`
	CLIDName   string `json:"clidName,omitempty"`
	CLIDNumber string `json:"clidNumber,omitempty"`
}

// Device is an access device of a group.
type Device struct {
	ServiceProviderID string `json:"serviceProviderId"`
	GroupID           string `json:"groupId"`
	Name              string `json:"name"`
	Type              string `json:"type"`
	Protocol          string `json:"protocol,omitempty"`
	MACAddress        string `json:"macAddress,omitempty"`
	SerialNumber      string `json:"serialNumber,omitempty"`
	Description       string `json:"description,omitempty"`
	PhysicalLocation  string `json:"physicalLocation,omitempty"`
	Transport         string `json:"transport,omitempty"`
	NetAddress        string `json:"netAddress,omitempty"`
	Port              int    `json:"port,omitempty"`
	UserName          string `json:"userName,omitempty"`
	HasCredentials    bool   `json:"hasCredentials,omitempty"`
}

// User is a user as the simulator stores it.
type User struct {
	UserID                 string   `json:"userId"`
	ServiceProviderID      string   `json:"serviceProviderId"`
	GroupID                string   `json:"groupId"`
	LastName               string   `json:"lastName"`
	FirstName              string   `json:"firstName"`
	CallingLineIDLastName  string   `json:"clidLastName"`
	CallingLineIDFirstName string   `json:"clidFirstName"`
	NameDialingLastName    string   `json:"nameDialingLastName,omitempty"`
	NameDialingFirstName   string   `json:"nameDialingFirstName,omitempty"`
	HiraganaLastName       string   `json:"hiraganaLastName,omitempty"`
	HiraganaFirstName      string   `json:"hiraganaFirstName,omitempty"`
	PhoneNumber            string   `json:"phoneNumber,omitempty"`
	Extension              string   `json:"extension,omitempty"`
	CallingLineIDPhone     string   `json:"clidPhoneNumber,omitempty"`
	Department             string   `json:"department,omitempty"`
	DepartmentIsEnterprise bool     `json:"departmentIsEnterprise,omitempty"`
	Language               string   `json:"language"`
	TimeZone               string   `json:"timeZone"`
	Aliases                []string `json:"aliases,omitempty"`
	DeviceLevel            string   `json:"deviceLevel,omitempty"`
	DeviceName             string   `json:"deviceName,omitempty"`
	LinePort               string   `json:"linePort,omitempty"`
	Contacts               []string `json:"contacts,omitempty"`
	UseHotline             bool     `json:"useHotline,omitempty"`
	HotlineContact         string   `json:"hotlineContact,omitempty"`
	TrunkGroup             string   `json:"trunkGroup,omitempty"`
	TrunkLinePort          string   `json:"trunkLinePort,omitempty"`
	EnterpriseTrunk        string   `json:"enterpriseTrunk,omitempty"`
	Title                  string   `json:"title,omitempty"`
	PagerPhoneNumber       string   `json:"pager,omitempty"`
	MobilePhoneNumber      string   `json:"mobile,omitempty"`
	EmailAddress           string   `json:"email,omitempty"`
	YahooID                string   `json:"yahooId,omitempty"`
	AddressLocation        string   `json:"addressLocation,omitempty"`
	Address                Address  `json:"address"`
	NetworkClassOfService  string   `json:"ncos,omitempty"`
	IsPlace                bool     `json:"isPlace,omitempty"`
	Services               []string `json:"services,omitempty"`
	ServicePacks           []string `json:"servicePacks,omitempty"`
	SIPUserName            string   `json:"sipUserName,omitempty"`
	SIPPasswordSet         bool     `json:"sipPasswordSet,omitempty"`
	// SharedCallAppearances are the user's Shared Call Appearance
	// endpoints, each on a port of a group device.
	SharedCallAppearances []SCAEndpoint `json:"sharedCallAppearances,omitempty"`
	// PasswordSHA1 is the hex SHA-1 of the web/OCI password ("" when none).
	PasswordSHA1 string `json:"passwordSha1,omitempty"`
	// AddedBy is the command that created the user.
	AddedBy string `json:"addedBy,omitempty"`
}

// world is the whole simulated system. It is guarded by Server.mu.
type world struct {
	Version          int                         `json:"version"`
	Admins           map[string]*Admin           `json:"admins"`
	ServiceProviders map[string]*ServiceProvider `json:"serviceProviders"`
	Users            map[string]*User            `json:"users"`
	DeviceTypes      []DeviceType                `json:"deviceTypes"`
	TimeZones        []TimeZone                  `json:"timeZones"`
	Languages        []Language                  `json:"languages"`
	SystemDomains    []string                    `json:"systemDomains"`
	SystemRules      PasswordRules               `json:"systemRules"`
	DefaultLanguage  string                      `json:"defaultLanguage"`
	ServerTimeZone   string                      `json:"serverTimeZone"`
	AddCounts        map[string]int              `json:"addCounts"`
	// Journal is the generation of the journal that continues this
	// snapshot (see journal.go).
	Journal int `json:"journal,omitempty"`

	idx index // derived look-ups, not persisted
}

const stateVersion = 1

func newWorld() *world {
	w := &world{
		Version:          stateVersion,
		Admins:           map[string]*Admin{},
		ServiceProviders: map[string]*ServiceProvider{},
		Users:            map[string]*User{},
		AddCounts:        map[string]int{},
		DeviceTypes:      append([]DeviceType(nil), catalogueDeviceTypes...),
		TimeZones:        append([]TimeZone(nil), catalogueTimeZones...),
		Languages:        append([]Language(nil), catalogueLanguages...),
		DefaultLanguage:  "English",
		ServerTimeZone:   "America/New_York",
		SystemRules:      PasswordRules{MinLength: 6, MaxFailedLogins: 5},
	}
	w.reindex()
	return w
}

func sha1Hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func (w *world) sp(id string) (*ServiceProvider, *ociError) {
	s, ok := w.ServiceProviders[id]
	if !ok {
		return nil, errorf(codeSPNotFound, "Service Provider not found: %s", id)
	}
	return s, nil
}

func (w *world) group(sp, g string) (*ServiceProvider, *Group, *ociError) {
	s, ok := w.ServiceProviders[sp]
	if !ok {
		return nil, nil, errorf(codeGroupNotFound, "Group not found: %s:%s", sp, g)
	}
	gr, ok := s.Groups[g]
	if !ok {
		return nil, nil, errorf(codeGroupNotFound, "Group not found: %s:%s", sp, g)
	}
	return s, gr, nil
}

// rulesFor returns the password rules that apply to users of a group: the
// group's own, else the service provider's, else the system's.
func (w *world) rulesFor(sp *ServiceProvider, g *Group) PasswordRules {
	if g != nil && g.Rules != nil {
		return *g.Rules
	}
	if sp != nil && sp.Rules != nil {
		return *sp.Rules
	}
	return w.SystemRules
}

func (w *world) timeZone(key string) (TimeZone, bool) {
	for _, t := range w.TimeZones {
		if t.Key == key {
			return t, true
		}
	}
	return TimeZone{}, false
}

func (w *world) language(name string) bool {
	for _, l := range w.Languages {
		if l.Name == name {
			return true
		}
	}
	return false
}

func (w *world) deviceType(name string) (DeviceType, bool) {
	for _, t := range w.DeviceTypes {
		if t.Name == name {
			return t, true
		}
	}
	return DeviceType{}, false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// save writes the world as JSON, atomically (temporary file + rename),
// and returns its size.
func (w *world) save(path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ocisim-state-*")
	if err != nil {
		return 0, fmt.Errorf("ocisim: save state: %w", err)
	}
	// Encoded straight to the file: a world of a hundred thousand users
	// is never held as text in memory.
	cw := &countingWriter{w: tmp}
	bw := bufio.NewWriterSize(cw, 256<<10)
	err = w.encode(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("ocisim: save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("ocisim: save state: %w", err)
	}
	return cw.n, nil
}

// encode writes the world as one JSON object. The maps that grow with the
// users (the users, each group's devices) are written one entry a line,
// each encoded on its own: encoding/json's Encoder holds the whole text of
// a value before writing it, which for a hundred thousand users is tens
// of megabytes more, and a copy again for indenting.
func (w *world) encode(bw *bufio.Writer) error {
	head := struct {
		*world
		ServiceProviders *struct{} `json:"serviceProviders,omitempty"`
		Users            *struct{} `json:"users,omitempty"`
	}{world: w}
	if err := writeOpen(bw, head); err != nil {
		return err
	}
	bw.WriteString(`,"serviceProviders":{`)
	for i, id := range sortedKeys(w.ServiceProviders) {
		sp := w.ServiceProviders[id]
		if err := writeKey(bw, i, id); err != nil {
			return err
		}
		spHead := struct {
			*ServiceProvider
			Groups *struct{} `json:"groups,omitempty"`
		}{ServiceProvider: sp}
		if err := writeOpen(bw, spHead); err != nil {
			return err
		}
		bw.WriteString(`,"groups":{`)
		for k, gid := range sortedKeys(sp.Groups) {
			g := sp.Groups[gid]
			if err := writeKey(bw, k, gid); err != nil {
				return err
			}
			gHead := struct {
				*Group
				Devices *struct{} `json:"devices,omitempty"`
			}{Group: g}
			if err := writeOpen(bw, gHead); err != nil {
				return err
			}
			bw.WriteString(`,"devices":{`)
			if err := writeEntries(bw, g.Devices); err != nil {
				return err
			}
			bw.WriteString("}}")
		}
		bw.WriteString("}}")
	}
	bw.WriteString(`},"users":{`)
	if err := writeEntries(bw, w.Users); err != nil {
		return err
	}
	_, err := bw.WriteString("}}\n")
	return err
}

// writeOpen writes v, a JSON object, without its closing brace.
func writeOpen(bw *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("ocisim: encode state: %w", err)
	}
	_, err = bw.Write(b[:len(b)-1])
	return err
}

// writeKey writes the key of the i-th entry of an object.
func writeKey(bw *bufio.Writer, i int, key string) error {
	if i > 0 {
		bw.WriteByte(',')
	}
	bw.WriteByte('\n')
	b, err := json.Marshal(key)
	if err != nil {
		return err
	}
	bw.Write(b)
	return bw.WriteByte(':')
}

// writeEntries writes the entries of m, one a line, sorted by key.
func writeEntries[V any](bw *bufio.Writer, m map[string]V) error {
	for i, k := range sortedKeys(m) {
		if err := writeKey(bw, i, k); err != nil {
			return err
		}
		b, err := json.Marshal(m[k])
		if err != nil {
			return fmt.Errorf("ocisim: encode state: %w", err)
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// loadWorld reads a state file written by save.
func loadWorld(path string) (*world, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := newWorld()
	if err := json.NewDecoder(bufio.NewReaderSize(f, 256<<10)).Decode(w); err != nil {
		return nil, fmt.Errorf("ocisim: state file %s: %w", path, err)
	}
	if w.Version != stateVersion {
		return nil, fmt.Errorf("ocisim: state file %s: version %d, want %d", path, w.Version, stateVersion)
	}
	if w.AddCounts == nil {
		w.AddCounts = map[string]int{}
	}
	if w.Users == nil {
		w.Users = map[string]*User{}
	}
	w.reindex()
	return w, nil
}
