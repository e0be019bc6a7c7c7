package ociwire

import "bwbulk/broadworks/oci"

// Values shared by the request fixtures. They follow the simulator's demo
// data set (enterprise acme-ent, group acme-hq). Passwords are the
// placeholder "********": golden files never hold a real secret.
const (
	testSession = "a1b2c3d4-0000-1111-2222-333344445555"
	sp          = "acme-ent"
	grp         = "acme-hq"
	domain      = "acme.example.com"
	masked      = "********"
)

type requestCase struct {
	// name is the golden file name without .xml: the OCI name, or the OCI
	// name and a variant after a dash.
	name string
	req  oci.Request
}

func s(v string) *string { return oci.String(v) }

func streetAddress() *oci.StreetAddress {
	return &oci.StreetAddress{
		AddressLine1:    oci.Set("1600 Main Street"),
		AddressLine2:    oci.Set("Suite 400"),
		City:            oci.Set("Springfield"),
		StateOrProvince: oci.Set("VA"),
		ZipOrPostalCode: oci.Set("22150"),
		Country:         oci.Set("US"),
	}
}

func contact() *oci.Contact {
	return &oci.Contact{
		ContactName:   oci.Set("Dana Hill"),
		ContactNumber: oci.Set("2025550100"),
		ContactEmail:  oci.Set("dana.hill@acme.example.com"),
	}
}

func startsWith(v string) oci.SearchCriteriaUserLastName {
	return oci.SearchCriteriaUserLastName{Mode: oci.SearchStartsWith, Value: v, IsCaseInsensitive: true}
}

func userAdd22V2() *oci.UserAddRequest22V2 {
	return &oci.UserAddRequest22V2{
		ServiceProviderID:        sp,
		GroupID:                  grp,
		UserID:                   "jane.doe@" + domain,
		LastName:                 "Doe",
		FirstName:                "Jane",
		CallingLineIDLastName:    "Doe",
		CallingLineIDFirstName:   "Jane",
		NameDialingName:          &oci.NameDialingName{NameDialingLastName: "Doe", NameDialingFirstName: "Jane"},
		PhoneNumber:              s("2025550101"),
		Extension:                s("0101"),
		CallingLineIDPhoneNumber: s("2025550100"),
		Password:                 s(masked),
		Department:               oci.GroupDepartment(sp, grp, "Sales"),
		Language:                 s("English"),
		TimeZone:                 s("America/New_York"),
		Alias:                    []string{"jane.doe.alias@" + domain},
		AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
			AccessDevice: oci.GroupDevice("jane.doe-vvx450"),
			LinePort:     "2025550101_1@" + domain,
			Contact:      []oci.SIPContactInfo{{SipContact: "sip:2025550101@10.20.30.40:5060"}},
			PortNumber:   oci.Int(1),
			UseHotline:   false,
		},
		Title:             s("Account Manager"),
		PagerPhoneNumber:  s("2025550198"),
		MobilePhoneNumber: s("2025550199"),
		EmailAddress:      s("jane.doe@" + domain),
		YahooID:           s("janedoe"),
		AddressLocation:   s("HQ, floor 4"),
		Address:           streetAddress(),
		AlternateUserID:   []oci.AlternateUserIdEntry{{AlternateUserID: "jdoe@" + domain, Description: s("short id")}},
		IsPlace:           oci.Bool(false),
	}
}

// requestCases returns one realistic value of every request type the
// client can emit, plus variants that exercise choices and xsi:nil.
func requestCases() []requestCase {
	cases := currentCases()
	return append(cases, olderVersions(cases)...)
}

// olderVersions adds a case for every older version of a command in cases
// that no hand-written case covers: the newest version's case converted,
// as the client sends it to an older server (oci.ForRelease).
func olderVersions(cases []requestCase) []requestCase {
	have := map[string]bool{}
	for _, tc := range cases {
		have[tc.name] = true
	}
	var out []requestCase
	for _, tc := range cases {
		if tc.name != tc.req.OCIName() || oci.Family(tc.name) != tc.name {
			continue
		}
		for _, v := range oci.Versions(tc.name) {
			if have[v.Name] {
				continue
			}
			c, err := oci.Convert(tc.req, v.Name)
			if err != nil {
				panic(err)
			}
			have[v.Name] = true
			out = append(out, requestCase{v.Name, c.(oci.Request)})
		}
	}
	return out
}

func currentCases() []requestCase {
	trunkUser := userAdd22V2()
	trunkUser.UserID = "trunk.user@" + domain
	trunkUser.AccessDeviceEndpoint = nil
	trunkUser.Department = oci.EnterpriseDepartment(sp, "Support")
	trunkUser.TrunkAddressing = &oci.TrunkAddressingMultipleContactAdd22{
		TrunkGroupDeviceEndpoint: &oci.TrunkGroupDeviceMultipleContactEndpointAdd22{
			Name:     "acme-hq-trunk",
			LinePort: "2025550120@" + domain,
			Contact:  []oci.SIPContactInfo{{SipContact: "sip:2025550120@pbx.acme.example.com"}},
		},
		EnterpriseTrunkName: s("acme-etrunk"),
		PhysicalLocation:    s("Springfield HQ"),
	}

	return []requestCase{
		{"AuthenticationRequest", &oci.AuthenticationRequest{UserID: "admin@" + domain}},
		{"EnterpriseEnterpriseTrunkGetListRequest", &oci.EnterpriseEnterpriseTrunkGetListRequest{ServiceProviderID: sp}},
		{"GroupAccessDeviceAddRequest14", &oci.GroupAccessDeviceAddRequest14{
			ServiceProviderID: sp, GroupID: grp, DeviceName: "jane.doe-vvx450", DeviceType: "Polycom VVX 450",
			Protocol: s("SIP 2.0"), MacAddress: s("0004F2A1B2C3"), SerialNumber: s("VVX450-0001"),
			Description: s("Jane Doe desk phone"), PhysicalLocation: s("HQ 4th floor"), TransportProtocol: s("UDP"),
			UseCustomUserNamePassword: oci.Bool(true),
			AccessDeviceCredentials:   &oci.DeviceManagementUserNamePassword16{UserName: "vvx450-0001", Password: masked},
		}},
		{"GroupAccessDeviceAddRequest22V2", &oci.GroupAccessDeviceAddRequest22V2{
			ServiceProviderID: sp, GroupID: grp, DeviceName: "jane.doe-vvx450", DeviceType: "Polycom VVX 450",
			Protocol: s("SIP 2.0"), NetAddress: s("10.20.30.40"), Port: oci.Int(5060),
			OutboundProxyServerNetAddress: s("sbc.acme.example.com"), StunServerNetAddress: s("stun.acme.example.com"),
			MacAddress: s("0004F2A1B2C3"), SerialNumber: s("VVX450-0001"), Description: s("Jane Doe desk phone"),
			PhysicalLocation: s("HQ 4th floor"), TransportProtocol: s("TLS"),
			UseCustomUserNamePassword: oci.Bool(true),
			AccessDeviceCredentials:   &oci.DeviceManagementUserNamePassword16{UserName: "vvx450-0001", Password: masked},
		}},
		{"GroupAccessDeviceAddRequest22V2-external", &oci.GroupAccessDeviceAddRequest22V2{
			GroupExternalID: "b7e1c2d4-grp", DeviceExternalID: "b7e1c2d4-dev", DeviceType: "Yealink T54W",
		}},
		{"GroupAccessDeviceDeleteRequest", &oci.GroupAccessDeviceDeleteRequest{ServiceProviderID: sp, GroupID: grp, DeviceName: "jane.doe-vvx450"}},
		{"GroupAccessDeviceGetUserListRequest21sp1", &oci.GroupAccessDeviceGetUserListRequest21sp1{ServiceProviderID: sp, GroupID: grp, DeviceName: "jane.doe-vvx450",
			SearchCriteriaUserID: []oci.SearchCriteriaUserId{{Mode: "Equal To", Value: "jane.doe@acme.example.com", IsCaseInsensitive: true}}}},
		{"GroupDeleteRequest", &oci.GroupDeleteRequest{ServiceProviderID: sp, GroupID: grp}},
		{"GroupDepartmentDeleteRequest", &oci.GroupDepartmentDeleteRequest{ServiceProviderID: sp, GroupID: grp, DepartmentName: "Sales"}},
		{"GroupDnUnassignListRequest", &oci.GroupDnUnassignListRequest{ServiceProviderID: sp, GroupID: grp, PhoneNumber: []string{"+1-2025550123", "+1-2025550124"}}},
		{"GroupAccessDeviceGetListRequest", &oci.GroupAccessDeviceGetListRequest{
			ServiceProviderID: sp, GroupID: grp, ResponseSizeLimit: oci.Int(1000),
			SearchCriteriaDeviceName:       []oci.SearchCriteriaDeviceName{{Mode: oci.SearchContains, Value: "vvx", IsCaseInsensitive: true}},
			SearchCriteriaDeviceMACAddress: []oci.SearchCriteriaDeviceMACAddress{{Mode: oci.SearchStartsWith, Value: "0004F2", IsCaseInsensitive: true}},
			SearchCriteriaExactDeviceType:  &oci.SearchCriteriaExactDeviceType{DeviceType: "Polycom VVX 450"},
		}},
		{"GroupAddRequest", &oci.GroupAddRequest{
			ServiceProviderID: sp, GroupID: "acme-east", DefaultDomain: domain, UserLimit: 200,
			GroupName: s("Acme East"), CallingLineIDName: s("Acme East"), TimeZone: s("America/New_York"),
			LocationDialingCode: s("81"), Contact: contact(), Address: streetAddress(),
		}},
		{"GroupConsolidatedAddRequest", &oci.GroupConsolidatedAddRequest{
			ServiceProviderID: sp, GroupID: s("acme-east"), DefaultDomain: domain, UserLimit: 200,
			GroupName: s("Acme East"), CallingLineIDName: s("Acme East"), TimeZone: s("America/New_York"),
			Contact: contact(), Address: streetAddress(), Domain: []string{domain},
			MinExtensionLength: oci.Int(4), MaxExtensionLength: oci.Int(4), DefaultExtensionLength: oci.Int(4),
			ActivatablePhoneNumber: []oci.ActivatableDN{{DN: "2025550400", Activate: oci.Bool(true)}},
			ActivatableDNRange: []oci.ActivatableDNRange{{
				MinPhoneNumber: "2025550401", MaxPhoneNumber: "2025550499", Activate: oci.Bool(true),
			}},
		}},
		{"GroupDepartmentAddRequest", &oci.GroupDepartmentAddRequest{
			ServiceProviderID: sp, GroupID: grp, DepartmentName: "Inside Sales",
			ParentDepartmentKey: oci.GroupDepartment(sp, grp, "Sales"),
			CallingLineIDName:   s("Acme Sales"), CallingLineIDPhoneNumber: s("2025550150"),
		}},
		{"GroupDepartmentGetListRequest18", &oci.GroupDepartmentGetListRequest18{ServiceProviderID: sp, GroupID: grp, IncludeEnterpriseDepartments: true}},
		{"GroupDnAssignListRequest", &oci.GroupDnAssignListRequest{
			ServiceProviderID: sp, GroupID: grp, PhoneNumber: []string{"2025550400"},
			DnRange: []oci.DNRange{{MinPhoneNumber: "2025550401", MaxPhoneNumber: "2025550499"}},
		}},
		{"GroupDnGetAvailableListRequest", &oci.GroupDnGetAvailableListRequest{ServiceProviderID: sp, GroupID: grp}},
		{"GroupDomainGetAssignedListRequest", &oci.GroupDomainGetAssignedListRequest{ServiceProviderID: sp, GroupID: grp}},
		{"GroupEnterpriseTrunkGetListRequest", &oci.GroupEnterpriseTrunkGetListRequest{ServiceProviderID: sp, GroupID: grp}},
		{"GroupExtensionLengthGetRequest22", &oci.GroupExtensionLengthGetRequest22{ServiceProviderID: sp, GroupID: grp}},
		{"GroupGetListInServiceProviderRequest", &oci.GroupGetListInServiceProviderRequest{
			ServiceProviderID: sp, ResponseSizeLimit: oci.Int(500),
			SearchCriteriaGroupID: []oci.SearchCriteriaGroupId{{Mode: oci.SearchStartsWith, Value: "acme", IsCaseInsensitive: true}},
		}},
		{"GroupGetRequest22V5", &oci.GroupGetRequest22V5{ServiceProviderID: sp, GroupID: grp}},
		{"GroupPasswordRulesGetRequestRI", &oci.GroupPasswordRulesGetRequestRI{ServiceProviderID: sp, GroupID: grp}},
		{"GroupServiceGetAuthorizationListRequest", &oci.GroupServiceGetAuthorizationListRequest{ServiceProviderID: sp, GroupID: grp}},
		{"GroupTrunkGroupGetInstanceListRequest14sp4", &oci.GroupTrunkGroupGetInstanceListRequest14sp4{
			ServiceProviderID: sp, GroupID: grp, IncludeEnterpriseTrunkGroups: true,
		}},
		{"LoginRequest14sp4", &oci.LoginRequest14sp4{UserID: "admin@" + domain, SignedPassword: s("77e4a6de3a1e00be05e121cf0ebee860")}},
		{"LoginRequest22V5", &oci.LoginRequest22V5{UserID: "admin@" + domain, Password: s(masked)}},
		{"LogoutRequest", &oci.LogoutRequest{UserID: "admin@" + domain, Reason: s("Client Logout")}},
		{"PasswordGenerateRequest", &oci.PasswordGenerateRequest{
			UserPassword: &oci.PasswordForUser{ServiceProviderID: sp, GroupID: grp, GeneratePassword: true, GenerateSipPassword: true},
		}},
		{"ServiceProviderAddRequest13mp2", &oci.ServiceProviderAddRequest13mp2{
			IsEnterprise: true, ServiceProviderID: "globex-ent", DefaultDomain: "globex.example.com",
			ServiceProviderName: s("Globex Corporation"), SupportEmail: s("support@globex.example.com"),
			Contact: contact(), Address: streetAddress(),
		}},
		{"ServiceProviderConsolidatedAddRequest", &oci.ServiceProviderConsolidatedAddRequest{
			IsEnterprise: true, ServiceProviderID: s("globex-ent"), DefaultDomain: "globex.example.com",
			ServiceProviderName: s("Globex Corporation"), SupportEmail: s("support@globex.example.com"),
			Contact: contact(), Address: streetAddress(), Domain: []string{"globex.example.com"},
			PhoneNumber: []string{"2025560100"},
			DnRange:     []oci.DNRange{{MinPhoneNumber: "2025560101", MaxPhoneNumber: "2025560199"}},
		}},
		{"ServiceProviderConsolidatedAddRequest-sp", &oci.ServiceProviderConsolidatedAddRequest{
			UseCustomRoutingProfile: oci.Bool(false), ServiceProviderID: s("metro-sp2"), DefaultDomain: "metro.example.net",
		}},
		{"ServiceProviderDnAddListRequest", &oci.ServiceProviderDnAddListRequest{
			ServiceProviderID: sp, PhoneNumber: []string{"2025550400"},
			DnRange: []oci.DNRange{{MinPhoneNumber: "2025550401", MaxPhoneNumber: "2025550499"}},
		}},
		{"ServiceProviderDomainGetAssignedListRequest22", &oci.ServiceProviderDomainGetAssignedListRequest22{
			ServiceProviderID: sp, ResponseSizeLimit: oci.Int(100),
			SearchCriteriaDomainName: []oci.SearchCriteriaDomainName{{Mode: oci.SearchContains, Value: "acme", IsCaseInsensitive: true}},
		}},
		{"ServiceProviderGetListRequest", &oci.ServiceProviderGetListRequest{
			IsEnterprise: oci.Bool(true), ResponseSizeLimit: oci.Int(1000),
			SearchCriteriaServiceProviderName: []oci.SearchCriteriaServiceProviderName{{Mode: oci.SearchContains, Value: "acme", IsCaseInsensitive: true}},
		}},
		{"ServiceProviderGetRequest22V4", &oci.ServiceProviderGetRequest22V4{ServiceProviderID: sp}},
		{"ServiceProviderPasswordRulesGetRequestRI", &oci.ServiceProviderPasswordRulesGetRequestRI{ServiceProviderID: sp}},
		{"SystemDeviceTypeGetAvailableListRequest22V2", &oci.SystemDeviceTypeGetAvailableListRequest22V2{ExcludeReseller: true}},
		{"SystemLanguageGetListRequest", &oci.SystemLanguageGetListRequest{}},
		{"SystemPasswordRulesGetRequestRI", &oci.SystemPasswordRulesGetRequestRI{}},
		{"SystemSoftwareVersionGetRequest", &oci.SystemSoftwareVersionGetRequest{}},
		{"SystemTimeZoneGetListRequest20", &oci.SystemTimeZoneGetListRequest20{}},
		{"UserAddRequest17sp4", &oci.UserAddRequest17sp4{
			ServiceProviderID: sp, GroupID: grp, UserID: "jane.doe@" + domain,
			LastName: "Doe", FirstName: "Jane", CallingLineIDLastName: "Doe", CallingLineIDFirstName: "Jane",
			PhoneNumber: s("2025550101"), Extension: s("0101"), Password: s(masked),
			Department: oci.GroupDepartment(sp, grp, "Sales"), Language: s("English"), TimeZone: s("America/New_York"),
			AccessDeviceEndpoint: &oci.AccessDeviceMultipleContactEndpointAdd{
				AccessDevice: oci.GroupDevice("jane.doe-vvx450"), LinePort: "2025550101_1@" + domain,
				Contact: []string{"sip:2025550101@10.20.30.40:5060"},
			},
			Title: s("Account Manager"), MobilePhoneNumber: s("2025550199"), EmailAddress: s("jane.doe@" + domain),
			Address: streetAddress(),
		}},
		{"UserAddRequest22", &oci.UserAddRequest22{
			ServiceProviderID: sp, GroupID: grp, UserID: "jane.doe@" + domain,
			LastName: "Doe", FirstName: "Jane", CallingLineIDLastName: "Doe", CallingLineIDFirstName: "Jane",
			PhoneNumber: s("2025550101"), Extension: s("0101"), Password: s(masked),
			Department: oci.GroupDepartment(sp, grp, "Sales"), Language: s("English"), TimeZone: s("America/New_York"),
			AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22{
				AccessDevice: oci.GroupDevice("jane.doe-vvx450"), LinePort: "2025550101_1@" + domain,
				PrivateIdentity: s("2025550101@" + domain),
			},
			EmailAddress: s("jane.doe@" + domain), Address: streetAddress(),
		}},
		{"UserAddRequest22V2", userAdd22V2()},
		{"UserAddRequest22V2-trunk", trunkUser},
		{"UserAddRequest22V2-latin1", &oci.UserAddRequest22V2{
			ServiceProviderID: sp, GroupID: grp, UserID: "sjurdur.oskarsson@" + domain,
			LastName: "Óskarsson", FirstName: "Sjúrður", CallingLineIDLastName: "Óskarsson", CallingLineIDFirstName: "Sjúrður",
			AddressLocation: s("Tórshavn – 中文"),
		}},
		{"UserAuthenticationModifyRequest", &oci.UserAuthenticationModifyRequest{UserID: "jane.doe@" + domain, UserName: s("2025550101"), NewPassword: masked}},
		{"UserDeleteRequest", &oci.UserDeleteRequest{UserID: "jane.doe@" + domain}},
		{"UserGetListInGroupRequest", &oci.UserGetListInGroupRequest{
			ServiceProviderID: sp, GroupID: grp, ResponseSizeLimit: oci.Int(1000),
			SearchCriteriaUserLastName: []oci.SearchCriteriaUserLastName{startsWith("Do")},
			SearchCriteriaExactUserDepartment: &oci.SearchCriteriaExactUserDepartment{
				DepartmentKey: oci.GroupDepartment(sp, grp, "Sales"),
			},
			SearchCriteriaExtension: []oci.SearchCriteriaExtension{{Mode: oci.SearchEqualTo, Value: "0101"}},
		}},
		{"UserGetListInSystemRequest", &oci.UserGetListInSystemRequest{
			ResponseSizeLimit:    oci.Int(10),
			SearchCriteriaDn:     []oci.SearchCriteriaDn{{Mode: oci.SearchContains, Value: "2025550101"}},
			SearchCriteriaUserID: []oci.SearchCriteriaUserId{{Mode: oci.SearchEqualTo, Value: "jane.doe@" + domain, IsCaseInsensitive: true}},
		}},
		{"UserGetRequest23V2", &oci.UserGetRequest23V2{UserID: "jane.doe@" + domain}},
		{"UserModifyRequest22", &oci.UserModifyRequest22{
			UserID: "jane.doe@" + domain, LastName: s("Doe-Smith"), PhoneNumber: oci.Set("2025550102"),
			Extension: oci.Set("0102"), Department: oci.Set[oci.DepartmentKey](oci.EnterpriseDepartment(sp, "Support")),
			Endpoint: oci.Set(oci.UserModifyRequest22Endpoint{
				AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointModify22{
					AccessDevice: &oci.AccessDevice{DeviceLevel: oci.DeviceLevelGroup, DeviceName: "jane.doe-t54w"},
					LinePort:     s("2025550102_1@" + domain),
					ContactList:  oci.Clear[oci.ReplacementContactList22](),
				},
			}),
			Address: &oci.StreetAddress{City: oci.Set("Arlington"), AddressLine2: oci.Clear[string]()},
		}},
		{"UserModifyRequest22-clear", &oci.UserModifyRequest22{
			UserID: "jane.doe@" + domain, PhoneNumber: oci.Clear[string](), Extension: oci.Clear[string](),
			Department: oci.ClearDepartment(&oci.GroupDepartmentKey{}), Endpoint: oci.Clear[oci.UserModifyRequest22Endpoint](),
			Title: oci.Clear[string](), MobilePhoneNumber: oci.Clear[string](),
		}},
		{"UserModifyRequest22-trunk", &oci.UserModifyRequest22{
			UserID: "jane.doe@" + domain,
			Endpoint: oci.Set(oci.UserModifyRequest22Endpoint{
				TrunkAddressing: &oci.TrunkAddressingMultipleContactModify22{
					TrunkGroupDeviceEndpoint: oci.Set(oci.TrunkGroupDeviceMultipleContactEndpointModify22{
						Name: s("acme-hq-trunk"), LinePort: s("2025550102@" + domain),
					}),
					EnterpriseTrunkName: oci.Clear[string](),
				},
			}),
		}},
		{"UserServiceAssignListRequest", &oci.UserServiceAssignListRequest{
			UserID: "jane.doe@" + domain, ServiceName: []string{"Authentication", "Call Forwarding Always", "Voice Messaging User"},
			ServicePackName: []string{"Basic Seat"},
		}},
		{"UserServiceGetAssignmentListRequest", &oci.UserServiceGetAssignmentListRequest{UserID: "jane.doe@" + domain}},
		{"VerifySessionIsValidRequest", &oci.VerifySessionIsValidRequest{}},
	}
}
