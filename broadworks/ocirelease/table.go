// Package ocirelease says which OCI-P request versions a BroadWorks
// release has: facts read from public schema sets (releases.txt, written
// by broadworks/internal/ocirelgen), shared by the client, which sends only
// what the server's release has, and the simulator, which refuses what its
// release lacks.
package ocirelease

import (
	_ "embed"
	"fmt"
	"slices"
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
func Parse(s string) (Release, bool) {
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
	rest := strings.TrimPrefix(s[i:], ".")
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

// Newest is the release of the newest schema set the table is read from.
var Newest = Release{Major: 25}

// Suffix returns the release a request's name carries after
// "Request" ("22V9" → 22, "21sp1V2" → 21sp1, "13mp10" → 13, "RI" → 25),
// R0 when it carries none. No release before it has the version.
func Suffix(name string) Release {
	i := strings.LastIndex(name, "Request")
	if i < 0 {
		return Release{}
	}
	suffix := name[i+len("Request"):]
	if suffix == "RI" {
		return Newest
	}
	if j := strings.IndexByte(suffix, 'V'); j > 0 {
		suffix = suffix[:j]
	}
	if k := strings.Index(suffix, "mp"); k > 0 {
		suffix = suffix[:k] // maintenance patches are within their release
	}
	r, _ := Parse(suffix)
	return r
}

// releases.txt says which request versions exist in which release, read
// from public schema sets and from the classes other OCI-P libraries
// generated from them (see its header and broadworks/internal/ocirelgen).
//
//go:embed releases.txt
var releasesText string

// Source is one public list of the requests of a release.
type Source struct {
	Release Release
	Kind    string // "schema" (an XSD set) or "models" (a library's generated classes)
	ID      string // which one: "ocip-schema-releases/R24", "cwmiller/broadworks-connector@e59c3e188"
	Count   int    // requests it lists
	Note    string
}

type releaseTable struct {
	releases []Release // every release with a source, oldest first
	noSource []Release // releases bwbulk is used with and no source is known of
	sources  []Source
	names    map[string][]Release // request → the releases with a source listing it, oldest first
}

var table = mustParseTable(releasesText)

func mustParseTable(text string) *releaseTable {
	t, err := parseTable(text)
	if err != nil {
		panic("oci: releases.txt: " + err.Error())
	}
	return t
}

func parseTable(text string) (*releaseTable, error) {
	t := &releaseTable{names: map[string][]Release{}}
	for n, line := range strings.Split(text, "\n") {
		full := line
		if i := strings.Index(line, " # "); i >= 0 && strings.HasPrefix(line, "source ") {
			line = line[:i]
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if fs[0] == "source" {
			if len(fs) < 3 {
				return nil, fmt.Errorf("line %d: want source RELEASE KIND ...", n+1)
			}
			r, ok := Parse(fs[1])
			if !ok {
				return nil, fmt.Errorf("line %d: release %q", n+1, fs[1])
			}
			if fs[2] == "none" {
				t.noSource = append(t.noSource, r)
				continue
			}
			if len(fs) < 5 {
				return nil, fmt.Errorf("line %d: want source RELEASE KIND ID COUNT", n+1)
			}
			s := Source{Release: r, Kind: fs[2], ID: fs[3]}
			fmt.Sscan(fs[4], &s.Count)
			if _, note, ok := strings.Cut(full, " # "); ok {
				s.Note = note
			}
			t.sources = append(t.sources, s)
			if !slices.Contains(t.releases, r) {
				t.releases = append(t.releases, r)
			}
			continue
		}
		var rs []Release
		for _, f := range fs[1:] {
			r, ok := Parse(f)
			if !ok || !slices.Contains(t.releases, r) {
				return nil, fmt.Errorf("line %d: %s: release %q has no source line", n+1, fs[0], f)
			}
			rs = append(rs, r)
		}
		t.names[fs[0]] = rs
	}
	slices.SortFunc(t.releases, compareRelease)
	for _, rs := range t.names {
		slices.SortFunc(rs, compareRelease)
	}
	if len(t.releases) == 0 {
		return nil, fmt.Errorf("no source")
	}
	return t, nil
}

func compareRelease(a, b Release) int {
	switch {
	case a == b:
		return 0
	case a.AtLeast(b):
		return 1
	}
	return -1
}

// Sources returns the public lists the release table is read from, and
// the releases bwbulk is used with that none of them covers.
func Sources() (sources []Source, uncovered []Release) {
	return slices.Clone(table.sources), slices.Clone(table.noSource)
}

// Covered returns the releases the table has a source for, oldest first.
func Covered() []Release { return slices.Clone(table.releases) }

// First returns the oldest release whose source lists name.
func First(name string) (Release, bool) {
	rs := table.names[name]
	if len(rs) == 0 {
		return Release{}, false
	}
	return rs[0], true
}

func (t *releaseTable) lists(r Release, name string) bool {
	return slices.Contains(t.names[name], r)
}

// neighbours returns the nearest releases with a source at or below r
// and above r (ok false where there is none).
func (t *releaseTable) neighbours(r Release) (below Release, okBelow bool, above Release, okAbove bool) {
	for _, x := range t.releases {
		if r.AtLeast(x) {
			below, okBelow = x, true
		} else if !okAbove {
			above, okAbove = x, true
		}
	}
	return
}

// Has reports whether a server of release r has the request name, and
// whether the table is sure of it:
//
//   - a release with a source has what its sources list (sure), and what
//     the sources of the releases on both sides of it list (a gap of a
//     generator; not sure);
//   - a release newer than every source has what the newest lists (not
//     sure: a later release may drop a command);
//   - a release between two sources (21sp1) has what the older lists
//     (sure when the newer lists it too), and what the newer lists when
//     the name's own release is not after r (not sure);
//   - a release older than every source (R20) has what the oldest lists
//     when the name's own release is not after r (not sure).
//
// A name no source lists is a command the table cannot judge: true, not
// sure. Where the table is not sure, the server's answer decides (the
// client steps down on a refusal, see broadworks.Client).
func Has(r Release, name string) (has, sure bool) {
	t := table
	if _, listed := t.names[name]; !listed {
		return true, false
	}
	below, okBelow, above, okAbove := t.neighbours(r)
	switch {
	case okBelow && below == r:
		if t.lists(r, name) {
			return true, true
		}
		i := slices.Index(t.releases, r)
		gap := i > 0 && i+1 < len(t.releases) && t.lists(t.releases[i-1], name) && t.lists(t.releases[i+1], name)
		return gap, false
	case okBelow && !okAbove:
		return t.lists(below, name), false
	case okBelow:
		if t.lists(below, name) {
			return true, t.lists(above, name)
		}
		return t.lists(above, name) && r.AtLeast(Suffix(name)), false
	case okAbove:
		return t.lists(above, name) && r.AtLeast(Suffix(name)), false
	}
	return true, false
}

// Names returns every request the table lists, sorted.
func Names() []string {
	out := make([]string, 0, len(table.names))
	for n := range table.names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
