package broadworks

import "bwbulk/broadworks/oci"

// Release is a BroadWorks server release such as R21sp1 or R24.
type Release = oci.Release

// ParseRelease reads the release forms SystemSoftwareVersionGetResponse
// and people write: "24", "21sp1", "R22", "Release 17sp4", "22.0_1.1123".
// It reports false when s holds no major number.
func ParseRelease(s string) (Release, bool) { return oci.ParseRelease(s) }

// CommandFor returns the version of command (any version of its family,
// for example "UserAddRequest22V2") that a server of release rel accepts:
// the newest one not newer than rel, from the release table in oci
// (oci.Versions). An empty or unknown release is the newest (R25). It
// returns "" when rel has no version of the command.
func CommandFor(rel, command string) string {
	name, _ := oci.VersionFor(rel, command)
	return name
}
