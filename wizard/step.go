package wizard

import (
	"fmt"
	"sort"
	"strings"
)

// Step is one page of the wizard. Steps are named; their order is Steps().
type Step int

// The wizard steps, in order.
const (
	StepEnterprise Step = iota
	StepGroup
	StepUserCount
	StepUserID
	StepPasswords
	StepNames
	StepNumbers
	StepDevice
	StepServices
	StepDepartment
	StepDetails
	StepContact
	StepAddress
	StepPreview
	numSteps
)

var stepTitles = [numSteps]string{
	StepEnterprise: "Service provider / enterprise",
	StepGroup:      "Group",
	StepUserCount:  "Number of users",
	StepUserID:     "User ID format",
	StepPasswords:  "Passwords",
	StepNames:      "Names",
	StepNumbers:    "Phone numbers",
	StepDevice:     "Device",
	StepServices:   "Services",
	StepDepartment: "Department",
	StepDetails:    "Details",
	StepContact:    "Contact",
	StepAddress:    "Address",
	StepPreview:    "Preview",
}

var stepNames = [numSteps]string{
	StepEnterprise: "enterprise",
	StepGroup:      "group",
	StepUserCount:  "userCount",
	StepUserID:     "userId",
	StepPasswords:  "passwords",
	StepNames:      "names",
	StepNumbers:    "numbers",
	StepDevice:     "device",
	StepServices:   "services",
	StepDepartment: "department",
	StepDetails:    "details",
	StepContact:    "contact",
	StepAddress:    "address",
	StepPreview:    "preview",
}

// Steps returns every step in wizard order.
func Steps() []Step {
	s := make([]Step, numSteps)
	for i := range s {
		s[i] = Step(i)
	}
	return s
}

// Title returns the step's heading for the UI.
func (s Step) Title() string {
	if s < 0 || s >= numSteps {
		return fmt.Sprintf("Step(%d)", int(s))
	}
	return stepTitles[s]
}

// String returns the step's short identifier ("userCount").
func (s Step) String() string {
	if s < 0 || s >= numSteps {
		return fmt.Sprintf("Step(%d)", int(s))
	}
	return stepNames[s]
}

// Next returns the following step and false after StepPreview.
func (s Step) Next() (Step, bool) {
	if s+1 >= numSteps || s < 0 {
		return s, false
	}
	return s + 1, true
}

// Prev returns the previous step and false before StepEnterprise.
func (s Step) Prev() (Step, bool) {
	if s <= 0 || s >= numSteps {
		return s, false
	}
	return s - 1, true
}

// Field names one input of a step. Field errors are keyed by it, and the
// UI binds one widget per field.
type Field string

// The fields of each step.
const (
	FieldSPMode         Field = "enterprise.mode"
	FieldSPID           Field = "enterprise.id"
	FieldSPName         Field = "enterprise.name"
	FieldSPDomain       Field = "enterprise.domain"
	FieldSPIsEnterprise Field = "enterprise.isEnterprise"

	FieldGroupMode      Field = "group.mode"
	FieldGroupID        Field = "group.id"
	FieldGroupName      Field = "group.name"
	FieldGroupDomain    Field = "group.domain"
	FieldGroupUserLimit Field = "group.userLimit"

	FieldUserCount  Field = "userCount.count"
	FieldStartIndex Field = "userCount.startIndex"

	FieldUserIDTemplate Field = "userId.template"
	FieldUserIDDomain   Field = "userId.domain"

	FieldPasswordMode Field = "passwords.mode"

	FieldFirstName     Field = "names.firstName"
	FieldLastName      Field = "names.lastName"
	FieldCLIDFirstName Field = "names.callingLineIdFirstName"
	FieldCLIDLastName  Field = "names.callingLineIdLastName"

	FieldNumberMode        Field = "numbers.mode"
	FieldNumbers           Field = "numbers.entries"
	FieldExtensionMode     Field = "numbers.extensionMode"
	FieldExtensionLength   Field = "numbers.extensionLength"
	FieldExtensionTemplate Field = "numbers.extensionTemplate"

	FieldDeviceMode      Field = "device.mode"
	FieldDeviceType      Field = "device.type"
	FieldDeviceName      Field = "device.name"
	FieldMACAddress      Field = "device.macAddress"
	FieldLinePort        Field = "device.linePort"
	FieldTrunkGroup      Field = "device.trunkGroup"
	FieldEnterpriseTrunk Field = "device.enterpriseTrunk"

	FieldServicePacks Field = "services.servicePacks"
	FieldServices     Field = "services.userServices"

	FieldDepartmentMode       Field = "department.mode"
	FieldDepartment           Field = "department.name"
	FieldDepartmentEnterprise Field = "department.enterprise"

	FieldTimeZone Field = "details.timeZone"
	FieldLanguage Field = "details.language"

	FieldEmail   Field = "contact.email"
	FieldMobile  Field = "contact.mobile"
	FieldPager   Field = "contact.pager"
	FieldYahooID Field = "contact.yahooId"
	FieldTitle   Field = "contact.title"

	FieldAddressLocation Field = "address.location"
	FieldAddressLine1    Field = "address.line1"
	FieldAddressLine2    Field = "address.line2"
	FieldCity            Field = "address.city"
	FieldState           Field = "address.stateOrProvince"
	FieldZip             Field = "address.zipOrPostalCode"
	FieldCountry         Field = "address.country"

	// FieldRows is the preview table as a whole.
	FieldRows Field = "preview.rows"
)

// FieldErrors maps a field to the message shown under it. A nil or empty
// FieldErrors means the step is valid.
type FieldErrors map[Field]string

// Error lists the messages in field order, so FieldErrors can be returned
// as an error.
func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for f := range fe {
		keys = append(keys, string(f))
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fe[Field(k)]
	}
	return "wizard: " + strings.Join(parts, "; ")
}

// Err returns fe as an error, or nil when it is empty.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

func (fe FieldErrors) add(f Field, format string, args ...any) {
	if _, ok := fe[f]; !ok {
		fe[f] = fmt.Sprintf(format, args...)
	}
}
