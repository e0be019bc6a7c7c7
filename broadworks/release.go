package broadworks

import (
	"strconv"
	"strings"
	"unicode"
)

// Release is a BroadWorks server release such as R21sp1 or R24.
type Release struct {
	Major int // 21 in "21sp1"
	SP    int // service pack: 1 in "21sp1", 0 when absent
}

// ParseRelease reads the release forms SystemSoftwareVersionGetResponse
// and people write: "24", "21sp1", "R22", "Release 17sp4", "22.0_1.1123".
// It reports false when s holds no major number.
func ParseRelease(s string) (Release, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "release")
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "r")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return Release{}, false
	}
	major, err := strconv.Atoi(s[:i])
	if err != nil {
		return Release{}, false
	}
	r := Release{Major: major}
	rest := s[i:]
	if strings.HasPrefix(rest, "sp") {
		j := 2
		for j < len(rest) && unicode.IsDigit(rune(rest[j])) {
			j++
		}
		r.SP, _ = strconv.Atoi(rest[2:j])
	}
	return r, true
}

// String returns the release as BroadWorks writes it: "22", "21sp1".
func (r Release) String() string {
	if r.SP > 0 {
		return strconv.Itoa(r.Major) + "sp" + strconv.Itoa(r.SP)
	}
	return strconv.Itoa(r.Major)
}

// AtLeast reports whether r is min or newer.
func (r Release) AtLeast(min Release) bool {
	if r.Major != min.Major {
		return r.Major > min.Major
	}
	return r.SP >= min.SP
}

// CommandVersion names one version of a command and the first release
// whose schema has it.
type CommandVersion struct {
	Name  string // the xsi:type, for example "UserAddRequest22V2"
	Since string // the first release that accepts it, for example "22"
}

// ChooseCommand returns the name of the newest version the release
// accepts. versions may be in any order. An unknown or empty release
// chooses the newest version (servers still supported by Cisco are R22
// or later). It returns "" only when versions is empty or all are newer
// than a known release.
func ChooseCommand(release string, versions ...CommandVersion) string {
	rel, known := ParseRelease(release)
	best, bestSince := "", Release{Major: -1}
	for _, v := range versions {
		since, _ := ParseRelease(v.Since)
		if known && !rel.AtLeast(since) {
			continue
		}
		if since.AtLeast(bestSince) {
			best, bestSince = v.Name, since
		}
	}
	return best
}

// UserAddVersions are the user-add commands bwbulk can send, newest first.
var UserAddVersions = []CommandVersion{
	{Name: "UserAddRequest22V2", Since: "22"},
	{Name: "UserAddRequest17sp4", Since: "17sp4"},
}

// UserAddCommand returns the user-add command for a server release:
// UserAddRequest22V2 on R22 and later (and when the release is unknown),
// UserAddRequest17sp4 on older servers.
func UserAddCommand(release string) string {
	if c := ChooseCommand(release, UserAddVersions...); c != "" {
		return c
	}
	return "UserAddRequest17sp4"
}
