package ocisim

// BroadWorks-style error codes the simulator answers with. The codes marked
// "(notes)" are the ones documented in the project's OCI-P notes (§4); the
// others are chosen by the simulator and listed in doc.go.
const (
	codeSPNotFound         = 4005 // Service Provider not found
	codeSPExists           = 4006 // Service Provider already exists
	codeUserNotFound       = 4008 // User not found (notes)
	codeGroupNotFound      = 4152 // Group not found (notes)
	codeGroupExists        = 4153 // Group already exists
	codeUserLimit          = 4154 // group user limit reached
	codeDeleteNotEmpty     = 4155 // group still has users
	codeUserExists         = 4200 // User already exists (notes)
	codeDomainMissing      = 4201 // user id has no domain
	codeDomainNotAssigned  = 4202 // domain not assigned to the group / SP
	codeServiceNotAuth     = 4410 // service not authorised for the group
	codeServiceLimit       = 4411 // the group's quantity of a service is used up
	codeServiceNotAssigned = 4412 // the user does not have the service
	codeDNNotAvailable     = 4470 // number not assigned to the group / not free
	codeDNInUse            = 4471 // number already assigned to a user
	codeDNNotInSP          = 4472 // number not in the service provider's pool
	codeDNExists           = 4473 // number already in a service provider's pool
	codeDNRangeInvalid     = 4474 // DN range malformed or too large
	codeDeviceExists       = 4500 // Access Device already exists (notes)
	codeDeviceTypeNotFound = 4501 // Device Type not found (notes)
	codeDeviceNotFound     = 4505 // Access Device not found (notes)
	codeLinePortInUse      = 4506 // line/port already used
	codeDevicePortsFull    = 4507 // device has no free port
	codeMACRequired        = 4508 // device type requires a MAC address
	codeMACInvalid         = 4509 // MAC address not 12 hex digits
	codeDeviceInUse        = 4510 // device still has users
	codeLinePortInvalid    = 4511 // line/port syntax
	codeDepartmentNotFound = 4600 // department not found
	codeDepartmentExists   = 4601 // department already exists
	codeTrunkNotFound      = 4620 // trunk group not found
	codeETrunkNotFound     = 4621 // enterprise trunk not found
	codeTimeZoneInvalid    = 4700 // unknown time zone
	codeLanguageInvalid    = 4701 // unknown language
	codeExtensionInvalid   = 4909 // Invalid extension (notes)
	codeExtensionInUse     = 4910 // extension already used in the group
	codeExtensionLengths   = 4911 // min/max/default extension lengths inconsistent
	codeLoginInvalid       = 4962 // Invalid password / userId (notes)
	codePasswordRules      = 4970 // password breaks the rules
	codeOldPassword        = 4971 // old password wrong
	codeInternal           = 5000 // a bug in the simulator
	codeTransient          = 5200 // temporary: try again later
	codeLoginUnavailable   = 5201 // temporary: login service unavailable
	codeAccountDisabled    = 5202 // account disabled (notes)
	codeNotLoggedIn        = 5401 // no session / session id mismatch
	codeUnauthorized       = 5404 // Unauthorized transaction (notes)
	codeValidation         = 6004 // OCI XML Request validation error (notes)
)

// TransientCodes are the error codes the simulator uses for temporary
// failures ("try again later"): a client may retry the command unchanged.
var TransientCodes = []int{codeTransient, codeLoginUnavailable}
