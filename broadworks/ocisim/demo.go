package ocisim

import (
	"fmt"
	"strconv"
)

// Demo administrators (besides DefaultAdmin). Every demo admin uses
// DefaultPassword.
const (
	DemoEnterpriseAdmin = "acme-admin"  // Service Provider admin of acme-ent
	DemoGroupAdmin      = "hq-admin"    // Group admin of acme-ent/acme-hq
	DemoSPAdmin         = "metro-admin" // Service Provider admin of metro-sp
)

func numberRange(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(from + i)
	}
	return out
}

// seedDemo fills w with the deterministic demo dataset described in doc.go.
func seedDemo(w *world) {
	w.SystemDomains = []string{"acme.example.com", "acme.example.org", "metro.example.net", "example.com"}
	pw := sha1Hex(DefaultPassword)
	w.Admins[DemoEnterpriseAdmin] = &Admin{UserID: DemoEnterpriseAdmin, Level: LevelServiceProvider, ServiceProviderID: "acme-ent", PasswordSHA1: pw}
	w.Admins[DemoGroupAdmin] = &Admin{UserID: DemoGroupAdmin, Level: LevelGroup, ServiceProviderID: "acme-ent", GroupID: "acme-hq", PasswordSHA1: pw}
	w.Admins[DemoSPAdmin] = &Admin{UserID: DemoSPAdmin, Level: LevelServiceProvider, ServiceProviderID: "metro-sp", PasswordSHA1: pw}
	acme := seedAcme(w)
	seedAcmeHQ(acme)
	seedBranchUsers(w, seedAcmeBranch(acme))
	seedMetro(w)
}

// seedAcme adds Acme Corporation, the enterprise, with no groups yet.
func seedAcme(w *world) *ServiceProvider {
	acme := &ServiceProvider{
		ID: "acme-ent", Name: "Acme Corporation", IsEnterprise: true,
		DefaultDomain: "acme.example.com", Domains: []string{"acme.example.com", "acme.example.org"},
		Numbers:          map[string]string{},
		Rules:            &PasswordRules{MinLength: 8, MinDigits: 1, DisallowUserID: true, MaxFailedLogins: 5},
		EnterpriseTrunks: []Trunk{{Name: "acme-etrunk", Routing: "Priority Weighted"}},
		Groups:           map[string]*Group{},
	}
	w.ServiceProviders[acme.ID] = acme
	return acme
}

// seedAcmeHQ adds Acme's headquarters: 300 numbers (and 100 more left to
// the enterprise), a PBX on a trunk group, two departments, two packs.
func seedAcmeHQ(acme *ServiceProvider) {
	hq := &Group{
		ID: "acme-hq", Name: "Acme Headquarters", DefaultDomain: "acme.example.com",
		Domains: []string{"acme.example.com", "acme.example.org"}, UserLimit: 500,
		TimeZone: "America/New_York", CallingLineIDName: "Acme HQ",
		ExtMin: 4, ExtMax: 4, ExtDefault: 4,
		Numbers: map[string]bool{}, Devices: map[string]*Device{},
		Departments: []Department{
			{Name: "Sales", CLIDName: "Acme Sales", CLIDNumber: "2025550100"},
			{Name: "Support", CLIDName: "Acme Support"},
		},
		TrunkGroups:      []Trunk{{Name: "acme-hq-trunk", GroupID: "acme-hq", DeviceName: "acme-hq-pbx"}},
		EnterpriseTrunks: []string{"acme-etrunk"},
		Services:         append([]string(nil), userServices...),
		ServiceLimits:    map[string]int{"Voice Messaging User": 250, "Shared Call Appearance": 50, "BroadWorks Anywhere": 20},
		ServicePacks: []ServicePack{
			{Name: "Basic", Description: "Calling essentials", Limit: -1,
				Services: []string{"Authentication", "Call Forwarding Always", "Call Forwarding Busy", "Call Forwarding No Answer", "Call Waiting", "Three-Way Call"}},
			{Name: "Executive", Description: "Voicemail, shared lines and busy lamp", Limit: 10,
				Services: []string{"Voice Messaging User", "Shared Call Appearance", "Busy Lamp Field", "Sequential Ring"}},
		},
	}
	hq.Devices["acme-hq-pbx"] = &Device{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Name: "acme-hq-pbx", Type: "Generic SIP IP-PBX", Protocol: "SIP 2.0", Transport: "UDP", NetAddress: "pbx.acme.example.com", Port: 5060}
	for _, n := range numberRange(2025550100, 300) {
		acme.Numbers[n] = "acme-hq"
		hq.Numbers[n] = true
	}
	for _, n := range numberRange(2025550400, 100) {
		acme.Numbers[n] = ""
	}
	acme.Groups[hq.ID] = hq
}

// seedAcmeBranch adds Acme's Chicago branch, a small group whose
// voicemail licences are nearly used up.
func seedAcmeBranch(acme *ServiceProvider) *Group {
	branch := &Group{
		ID: "acme-branch", Name: "Acme Chicago Branch", DefaultDomain: "acme.example.com",
		Domains: []string{"acme.example.com"}, UserLimit: 25,
		TimeZone: "America/Chicago", CallingLineIDName: "Acme Chicago",
		ExtMin: 3, ExtMax: 3, ExtDefault: 3,
		Rules:   &PasswordRules{MinLength: 8, MinDigits: 1, MinUpper: 1, DisallowUserID: true, MaxFailedLogins: 5},
		Numbers: map[string]bool{}, Devices: map[string]*Device{},
		Departments:      []Department{{Name: "Warehouse"}},
		EnterpriseTrunks: []string{"acme-etrunk"},
		Services:         append([]string(nil), userServices...),
		// Half the seeded users have voicemail: 10 of 12 used.
		ServiceLimits: map[string]int{"Voice Messaging User": 12, "Busy Lamp Field": 0},
		ServicePacks: []ServicePack{
			{Name: "Basic", Description: "Calling essentials", Limit: 25,
				Services: []string{"Authentication", "Call Forwarding Always", "Call Waiting", "Three-Way Call"}},
		},
	}
	for _, n := range numberRange(3125550100, 40) {
		acme.Numbers[n] = "acme-branch"
		branch.Numbers[n] = true
	}
	acme.Groups[branch.ID] = branch
	return branch
}

// seedBranchUsers puts the branch's 20 users on phones of their own, a
// quarter in the Warehouse department, half with voicemail.
func seedBranchUsers(w *world, branch *Group) {
	first := []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
		"Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Jóhanna"}
	last := []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Ðaðason"}
	for i := 0; i < 20; i++ {
		dev := fmt.Sprintf("branch-phone-%02d", i+1)
		mac := fmt.Sprintf("0004F2B1%04X", i+1)
		branch.Devices[dev] = &Device{ServiceProviderID: "acme-ent", GroupID: "acme-branch", Name: dev, Type: "Polycom VVX 450", Protocol: "SIP 2.0", MACAddress: mac, Transport: "Unspecified"}
		id := fmt.Sprintf("branch.user%02d@acme.example.com", i+1)
		num := strconv.Itoa(3125550101 + i)
		u := &User{
			UserID: id, ServiceProviderID: "acme-ent", GroupID: "acme-branch",
			FirstName: first[i], LastName: last[i], CallingLineIDFirstName: first[i], CallingLineIDLastName: last[i],
			PhoneNumber: num, Extension: num[len(num)-3:], Language: "English", TimeZone: "America/Chicago",
			DeviceLevel: "Group", DeviceName: dev, LinePort: num + "@acme.example.com",
			EmailAddress: fmt.Sprintf("user%02d@acme.example.com", i+1), PasswordSHA1: sha1Hex("Branch#2026"),
			AddedBy: "seed",
		}
		if i%4 == 0 {
			u.Department = "Warehouse"
		}
		if i%2 == 0 {
			u.Services = []string{"Voice Messaging User"}
		}
		w.putUser(u)
	}
}

// seedMetro adds Metro Telecom, a service provider with one customer
// group of strict password rules.
func seedMetro(w *world) {
	metro := &ServiceProvider{
		ID: "metro-sp", Name: "Metro Telecom", DefaultDomain: "metro.example.net",
		Domains: []string{"metro.example.net"}, Numbers: map[string]string{},
		Groups: map[string]*Group{},
	}
	w.ServiceProviders[metro.ID] = metro
	g1 := &Group{
		ID: "metro-g1", Name: "Metro Customer One", DefaultDomain: "metro.example.net",
		Domains: []string{"metro.example.net"}, UserLimit: 100, TimeZone: "Europe/London",
		ExtMin: 5, ExtMax: 5, ExtDefault: 5,
		Rules: &PasswordRules{MinLength: 12, MinDigits: 2, MinUpper: 1, MinLower: 1, MinNonAlphanumeric: 1,
			DisallowUserID: true, DisallowOldPassword: true, MaxFailedLogins: 3, ExpiresDays: 90},
		Numbers: map[string]bool{}, Devices: map[string]*Device{},
		Departments:   []Department{{Name: "Operations"}},
		TrunkGroups:   []Trunk{},
		Services:      []string{"Authentication", "Call Forwarding Always", "Call Waiting", "Voice Messaging User", "Three-Way Call"},
		ServiceLimits: map[string]int{"Voice Messaging User": 25},
	}
	for _, n := range numberRange(2079460100, 100) {
		metro.Numbers[n] = "metro-g1"
		g1.Numbers[n] = true
	}
	metro.Groups[g1.ID] = g1
}
