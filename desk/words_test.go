package desk

import (
	"testing"

	"bwbulk/broadworks/oci"
)

// TestJobErrorText: a refusal stored as oci.ErrorResponse says it reads
// as what was refused and why, with the code and the command kept; the
// runner's own sentences only lose Go's package prefixes.
func TestJobErrorText(t *testing.T) {
	refused := func(cmd, summary string) string {
		return (&oci.ErrorResponse{Command: cmd, Summary: summary}).Error()
	}
	for _, c := range []struct{ in, want string }{
		{refused("GroupAccessDeviceAddRequest14", "[Error 4500] Access Device already exists: demo001."),
			"Access Device already exists: demo001 — refused while adding the device ([Error 4500], GroupAccessDeviceAddRequest14)"},
		{refused("UserAddRequest22V2", "[Error 4200] User already exists"),
			"User already exists — refused while adding the user ([Error 4200], UserAddRequest22V2)"},
		{refused("UserServiceAssignListRequest", "[Error 4411] Service limit reached"),
			"Service limit reached — refused while assigning the services ([Error 4411], UserServiceAssignListRequest)"},
		{refused("SystemThingRequest17sp4", "[Error 9999]"),
			"The server refused it — refused while running SystemThingRequest17sp4 ([Error 9999], SystemThingRequest17sp4)"},
		{"not applied after 3 attempts: oci: [Error 5200] busy", "not applied after 3 attempts: [Error 5200] busy"},
		{"jobs: whether UserAddRequest22V2 was applied could not be read", "whether UserAddRequest22V2 was applied could not be read"},
		{"", ""},
	} {
		if got := JobErrorText(c.in); got != c.want {
			t.Errorf("JobErrorText(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
