// Package ocisim is a stateful BroadWorks OCI-P server: the test target of
// the broadworks client, and the built-in demo and training server behind
// `bwbulk sim`.
//
// It is an independent implementation of the wire protocol (it does not use
// the client's codec): request documents are parsed into a generic element
// tree, every command is validated against a compact description of its R25
// schema sequence (schema.txt, generated from the R25 XSD set by ocisimgen:
// element order, required elements, occurrences, nillable elements and the
// data-type limits), then executed
// against an in-memory model of the system, and the answers are written as a
// BroadWorks Application Server writes them: the XML declaration
// <?xml version="1.0" encoding="ISO-8859-1"?>, a newline, the whole
// BroadsoftDocument on one line, a newline.
//
// # Protocol
//
//   - Plain TCP, TLS (a self-signed certificate is generated at start unless
//     Options.TLSConfig is given) and SOAP over HTTP (SOAPHandler,
//     processOCIMessage/in0 → processOCIMessageReturn, session bound to the
//     JSESSIONID cookie).
//   - Login: AuthenticationRequest + LoginRequest14sp4 with
//     signedPassword = md5(nonce ":" sha1hex(password)) (or
//     plainTextPassword), or LoginRequest22V5 with password. The session is
//     bound to the connection and to the sessionId used at login.
//   - 1 to 15 commands per document, answered one response per command in
//     order, each independently (no rollback across commands); the echo
//     attribute and trackingId are returned.
//   - Administrators at system, service-provider and group level; users may
//     log in with their own password (loginType User) and read or change
//     only themselves. Commands outside the caller's scope are refused with
//     [Error 5404] Unauthorized transaction.
//
// # Commands
//
// Session: AuthenticationRequest, LoginRequest14sp4, LoginRequest22V5,
// LogoutRequest, VerifySessionIsValidRequest.
// System: SystemSoftwareVersionGetRequest (system and SP admins),
// SystemTimeZoneGetListRequest20, SystemLanguageGetListRequest,
// SystemDeviceTypeGetAvailableListRequest22V2,
// SystemPasswordRulesGetRequestRI, PasswordGenerateRequest.
// Service provider / enterprise: ServiceProviderGetListRequest (system),
// ServiceProviderGetRequest22V4, ServiceProviderConsolidatedAddRequest and
// ServiceProviderAddRequest13mp2 (system), ServiceProviderDnAddListRequest
// (system), ServiceProviderDomainGetAssignedListRequest22,
// ServiceProviderPasswordRulesGetRequestRI,
// EnterpriseEnterpriseTrunkGetListRequest.
// Group: GroupGetListInServiceProviderRequest, GroupConsolidatedAddRequest,
// GroupAddRequest, GroupGetRequest22V5, GroupDeleteRequest,
// GroupPasswordRulesGetRequestRI, GroupDnGetAvailableListRequest,
// GroupDnAssignListRequest, GroupDnUnassignListRequest,
// GroupDnActivateListRequest, GroupExtensionLengthGetRequest22,
// GroupAccessDeviceGetListRequest, GroupAccessDeviceAddRequest22V2,
// GroupAccessDeviceAddRequest14, GroupAccessDeviceDeleteRequest,
// GroupAccessDeviceGetUserListRequest21sp1 (and its R20 version),
// GroupDepartmentGetListRequest18, GroupDepartmentAddRequest,
// GroupDepartmentDeleteRequest, GroupDomainGetAssignedListRequest,
// GroupTrunkGroupGetInstanceListRequest14sp4,
// GroupEnterpriseTrunkGetListRequest, GroupServiceGetAuthorizationListRequest.
// User: UserAddRequest22V2, UserAddRequest22, UserAddRequest17sp4,
// UserModifyRequest22, UserGetRequest23V2, UserGetListInGroupRequest,
// UserGetListInSystemRequest (system), UserDeleteRequest,
// UserServiceAssignListRequest, UserServiceGetAssignmentListRequest,
// UserAuthenticationModifyRequest,
// UserSharedCallAppearanceAddEndpointRequest14sp2,
// UserSharedCallAppearanceDeleteEndpointListRequest14 and
// UserSharedCallAppearanceGetRequest16sp2 / 21sp1 (a user's Shared Call
// Appearance endpoints: line/ports on devices of the user's group, each
// unique in the system and taking a port of its device, kept in the
// state; the user needs the Shared Call Appearance service).
//
// Besides these (the newest versions), every older version the R25 schema
// still lists in its deprecated files is accepted (versions.txt): for
// example GroupGetRequest14sp7, GroupPasswordRulesGetRequest16,
// GroupExtensionLengthGetRequest17, SystemDeviceTypeGetAvailableListRequest19,
// UserModifyRequest17sp4, UserGetRequest21 and the LoginRequest22 to 22V4
// logins. Each is handled as its newest version and answered in its own
// response type, in that version's shape (responses.txt).
//
// # Releases
//
// A server emulates one BroadWorks release, Options.Release (`bwbulk sim
// --release 22.0`; default 25), which SystemSoftwareVersionGetRequest
// reports. It accepts exactly the command versions that release has: a
// version's name carries the release that introduced it (UserGetRequest22V9
// R22, UserGetRequest23V2 R23, GroupPasswordRulesGetRequestRI R25), and a
// newer one is refused as an older Application Server refuses it,
// "[Error 6004] OCI XML Request validation error" with the detail "the
// xsi:type ... is not a known command". An R21 server thus refuses
// LoginRequest22V5 and clients fall back to the nonce login.
//
// # Error codes
//
// Every refusal is a c:ErrorResponse with errorCode, summary and
// summaryEnglish "[Error NNNN] text" and, for 6004, a detail naming the
// offending element. With Options.OmitErrorCode (--omit-error-code) the
// errorCode element is left out, as in captured real replies: the code is
// then only in the summary. A UserServiceAssignListRequest service name
// outside the schema's UserService list is a 6004 (the schema enumerates
// them); a listed service or pack the group is not authorised for is a
// 4410, one whose quantity the group's users already use up a 4411. The
// demo groups limit some services (acme-branch: Voice Messaging User 12,
// 10 used; Busy Lamp Field 0; pack Basic 25; acme-hq: Voice Messaging User
// 250, pack Executive 10; metro-g1: Voice Messaging User 25). A
// UTF-8 byte-order mark before a request document is accepted.
//
//	4005 Service Provider not found          4006 Service Provider already exists
//	4008 User not found                      4152 Group not found
//	4153 Group already exists                4154 group user limit reached
//	4155 group still has users (delete)      4200 User already exists
//	4201 user id without domain              4202 domain not assigned to group/SP
//	4410 service not authorised (Warning when partly assigned)
//	4411 service quantity used up (Warning when partly assigned)
//	4412 the user does not have the service (Shared Call Appearance)
//	4470 number not in the group / not free  4471 number already held by a user
//	4472 number not in the SP pool           4473 number already in an SP pool
//	4474 bad or oversized DN range           4500 Access Device already exists
//	4501 Device Type not found               4505 Access Device not found
//	4506 line/port already in use            4507 device has no free port
//	4508 device type requires a MAC address  4509 MAC address not 12 hex digits
//	4510 device still in use (delete)        4511 line/port syntax
//	4600 department not found                4601 department already exists
//	4620 trunk group not found               4621 enterprise trunk not found
//	4700 unknown time zone                   4701 unknown language
//	4909 Invalid extension (length)          4910 extension already used in group
//	4911 inconsistent extension lengths      4962 Invalid password (login)
//	4970 password breaks the password rules  4971 old password wrong
//	5000 internal error (a simulator bug; logged)
//	5200 System busy, try again later (transient)
//	5201 Login service temporarily unavailable, try again later (transient)
//	5401 not logged in / sessionId not of this connection
//	5404 Unauthorized transaction.           6004 OCI XML Request validation error
//
// TransientCodes lists the temporary ones (5200, 5201).
//
// # Rules
//
// User ids are unique system-wide (administrators included) and need a
// domain assigned to the group; user count may not exceed the group's user
// limit; names are 1–30 characters (schema); extensions are digits within
// the group's min/max length and unique in the group (defaulting to the
// number's last digits); a number must be assigned to the group and belongs
// to at most one user; passwords are checked against the group's rules, else
// the service provider's, else the system's; departments, devices (group
// level), trunk groups and enterprise trunks must exist; a device has a
// limited number of ports and each line/port is used once (with a host part
// for proxy-addressed device types, without one for device-addressed ones,
// never with "sip:"); device names are
// unique per group and MAC addresses unique per service provider; device
// types requiring a MAC address refuse a device without one, and
// SystemDeviceTypeGetAvailableListRequest22V2 reports exactly those types
// with deviceConfigurationOption "Device Management" (and a configType), the
// others with "Not Supported".
//
// # Demo dataset (NewDemo)
//
// Enterprise acme-ent (domains acme.example.com, acme.example.org; rules:
// 8 characters, 1 digit, not the user id) with groups acme-hq (user limit
// 500, no users, extensions of 4 digits, numbers 2025550100–2025550399
// free, departments Sales and Support, trunk group acme-hq-trunk on device
// acme-hq-pbx, enterprise trunk acme-etrunk) and acme-branch (user limit 25
// with 20 users branch.user01..20@acme.example.com on devices
// branch-phone-01..20, extensions of 3 digits, numbers 3125550100–3125550139
// of which 20 are free, department Warehouse, stricter rules); numbers
// 2025550400–2025550499 are in the enterprise pool, unassigned. Service
// provider metro-sp (domain metro.example.net) with group metro-g1 (user
// limit 100, extensions of 5 digits, numbers 2079460100–2079460199, strict
// password rules: 12 characters, 2 digits, upper, lower and symbol). Device
// types include Polycom VVX 250/450/601, Yealink T46U/T54W/W60B, Cisco
// 6841-3PCC/8851-3PCC/ATA 192-3PCC, Grandstream GXP2170, Generic SIP Phone
// and Generic SIP IP-PBX; about fifty time zones and a dozen languages.
// Administrators: admin (system), acme-admin and metro-admin (service
// provider), hq-admin (group acme-hq); all with password welcome1.
//
// # Running it
//
// `bwbulk sim` and `go run ./broadworks/ocisim/cmd/ocisim` call RunCLI:
// --listen 127.0.0.1:2208 by default, --tls, --soap HOST:PORT, --user and
// --password (default admin / welcome1), --dataset demo|empty, --state FILE,
// --seed, --latency and the fault flags (--drop-every, --drop-rate,
// --transient-rate, --login-delay, --login-fail, --idle-timeout,
// --stall-after).
//
// # Faults
//
// Options.Latency, DropEvery, DropRate, TransientRate, LoginDelay,
// LoginFail, IdleTimeout and StallAfter inject faults; the random ones are
// deterministic under Options.Seed. A dropped document has been executed:
// the client cannot know the outcome. Options.Intercept scripts a fault for
// the Nth command of a type (an error code, a delay or a dropped
// connection).
//
// # Inspection
//
// User, Users, UsersInGroup, Device, GroupCounts, FreeNumbers, Departments,
// HasGroup, AddCount and Documents let tests in other
// packages assert the state ("this user exists exactly once with these
// fields"); AddAdmin and SetUserLimit adjust it.
package ocisim
