package oci

// String returns a pointer to s, for optional string fields.
func String(s string) *string { return &s }

// Bool returns a pointer to b, for optional boolean fields.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for optional integer fields.
func Int(n int) *int { return &n }

// Int64 returns a pointer to n, for optional long fields.
func Int64(n int64) *int64 { return &n }

// StringOrNil returns nil for "" and a pointer to s otherwise, so that an
// empty form field leaves the element out.
func StringOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// GroupDepartment returns the key of a group-level department.
func GroupDepartment(serviceProviderID, groupID, name string) *GroupDepartmentKey {
	return &GroupDepartmentKey{ServiceProviderID: serviceProviderID, GroupID: groupID, Name: name}
}

// EnterpriseDepartment returns the key of an enterprise-level department.
func EnterpriseDepartment(serviceProviderID, name string) *EnterpriseDepartmentKey {
	return &EnterpriseDepartmentKey{ServiceProviderID: serviceProviderID, Name: name}
}

// GroupDevice returns the accessDevice reference of a group-level device.
func GroupDevice(name string) AccessDevice {
	return AccessDevice{DeviceLevel: "Group", DeviceName: name}
}

// Search modes of the search criteria.
const (
	SearchStartsWith = "Starts With"
	SearchContains   = "Contains"
	SearchEqualTo    = "Equal To"
)

// Device levels of AccessDevice.DeviceLevel.
const (
	DeviceLevelSystem          = "System"
	DeviceLevelServiceProvider = "Service Provider"
	DeviceLevelGroup           = "Group"
)

// Login types of LoginResponse14sp4/22V5.LoginType (R25 LoginType22).
const (
	LoginTypeSystem          = "System"
	LoginTypeProvisioning    = "Provisioning"
	LoginTypeReseller        = "Reseller"
	LoginTypeServiceProvider = "Service Provider"
	LoginTypeGroup           = "Group"
	LoginTypeGroupDepartment = "Group Department"
	LoginTypeUser            = "User"
	LoginTypeLawfulIntercept = "Lawful Intercept"
)

// Transport protocols of an access device (R25 ExtendedTransportProtocol;
// TLS is not accepted by GroupAccessDeviceAddRequest14).
const (
	TransportUDP         = "UDP"
	TransportTCP         = "TCP"
	TransportTLS         = "TLS"
	TransportUnspecified = "Unspecified"
)

// Reason of a LogoutRequest sent by a client (R25 LogoutRequestReason).
const LogoutClient = "Client Logout"

// Address returns a StreetAddress with the non-empty parts set, for add
// commands (empty parts are left out, not cleared).
func Address(line1, line2, city, stateOrProvince, zip, country string) *StreetAddress {
	set := func(s string) *Nillable[string] {
		if s == "" {
			return nil
		}
		return Set(s)
	}
	a := &StreetAddress{AddressLine1: set(line1), AddressLine2: set(line2), City: set(city),
		StateOrProvince: set(stateOrProvince), ZipOrPostalCode: set(zip), Country: set(country)}
	if *a == (StreetAddress{}) {
		return nil
	}
	return a
}
