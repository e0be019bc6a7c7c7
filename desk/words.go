package desk

import (
	"regexp"
	"strings"
)

// refusal is a stored job error that is the server's refusal of one
// command: "oci: GroupAccessDeviceAddRequest14: [Error 4500] Access
// Device already exists", the form oci.ErrorResponse gives it.
var refusal = regexp.MustCompile(`^(?:oci: )?([A-Z][A-Za-z0-9]*Request[A-Za-z0-9]*): \[Error (\d+)\] ?(.*)$`)

// commandVersion is the release suffix of a command's name
// ("Request22V2", "Request14sp4"): what is left names the action.
var commandVersion = regexp.MustCompile(`Request[A-Za-z0-9]*$`)

// actions say, for the commands a task sends, what the server was asked
// to do, as a help desk says it.
var actions = map[string]string{
	"UserAdd":                             "adding the user",
	"UserModify":                          "changing the user",
	"UserDelete":                          "deleting the user",
	"UserGet":                             "reading the user back",
	"GroupAccessDeviceAdd":                "adding the device",
	"GroupAccessDeviceModify":             "changing the device",
	"GroupAccessDeviceDelete":             "deleting the device",
	"UserServiceAssignList":               "assigning the services",
	"UserServiceUnassignList":             "removing the services",
	"GroupDepartmentAdd":                  "adding the department",
	"GroupDnAssignList":                   "assigning the number to the group",
	"ServiceProviderDnAddList":            "adding the number to the service provider",
	"UserAuthenticationModify":            "setting the SIP authentication",
	"UserSharedCallAppearanceAddEndpoint": "adding the shared call appearance",
	"GroupAdd":                            "adding the group",
	"ServiceProviderAdd":                  "adding the service provider",
	"EnterpriseAdd":                       "adding the enterprise",
}

// JobErrorText is a job's stored error as the window and the command
// line show it: a refusal reads as the server's words, what it was
// refusing and the code and command for whoever looks further
// ("Access Device already exists — refused while adding the device
// ([Error 4500], GroupAccessDeviceAddRequest14)"); other errors lose the
// package prefixes of Go errors. The stored text is kept as it came.
func JobErrorText(s string) string {
	s = strings.TrimSpace(s)
	if m := refusal.FindStringSubmatch(s); m != nil {
		cmd, code, text := m[1], m[2], strings.TrimSuffix(strings.TrimSpace(m[3]), ".")
		action, ok := actions[commandVersion.ReplaceAllString(cmd, "")]
		if !ok {
			action = "running " + cmd
		}
		if text == "" {
			text = "The server refused it"
		}
		return text + " — refused while " + action + " ([Error " + code + "], " + cmd + ")"
	}
	for _, p := range []string{"oci: ", "broadworks: ", "jobs: ", "wizard: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}
