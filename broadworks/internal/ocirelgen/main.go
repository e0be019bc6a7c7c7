// Command ocirelgen writes broadworks/ocirelease/releases.txt: which versions of
// the OCI-P requests exist in which BroadWorks release, read from public
// sources (the releases' XSD sets, or the classes other OCI-P libraries
// generated from a release's XSD set). Only request names are written.
//
// Usage (from broadworks/ocirelease, through go generate):
//
//	go run ../internal/ocirelgen -o releases.txt [-git owner/name=GITDIR ...]
//
// The R25 set is read from $OCIP_SCHEMA_DIR (default ../shared/ocip-schema
// from the module root), R21 and R24 from $OCIP_RELEASES_DIR (default
// ../shared/ocip-schema-releases). A source given by a git repository is
// read when -git names a clone of it; otherwise the names the current
// releases.txt holds for that source are kept, so the table can be written
// again where only the schemas are at hand.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"

	"bwbulk/internal/ocinames"
)

// A source lists the requests of one release.
type source struct {
	release string
	kind    string // "schema": an XSD set; "models": a library's generated classes
	dir     string // for a schema: "schema" ($OCIP_SCHEMA_DIR) or a folder of $OCIP_RELEASES_DIR (ocinames.SchemaDir)
	repo    string // for models: owner/name on GitHub
	commit  string
	note    string // what the source is, in a few words
}

func (s source) id() string {
	if s.kind == "schema" {
		return "schema " + s.label()
	}
	return "models " + s.repo + "@" + s.commit[:9]
}

func (s source) major() int {
	n, _ := strconv.Atoi(s.release)
	return n
}

func (s source) label() string {
	switch s.dir {
	case "schema":
		return "ocip-schema"
	default:
		return "ocip-schema-releases/" + s.dir
	}
}

// sources are the public sets found, per release. Releases bwbulk is used
// with and for which no set is known are listed with none.
var sources = []source{
	{release: "21", kind: "schema", dir: "R21", note: "nigelm/broadworks_ocip 4b76a8b ocip_schema/: the R21.0 schemas"},
	{release: "22", kind: "models", repo: "cwmiller/broadworks-connector", commit: "e59c3e188b6a08861ce65b384c7fd3bb2f6b7017", note: `PHP classes "using Rel_22.0_1.1123" (2018-01-20)`},
	{release: "23", kind: "models", repo: "cwmiller/broadworks-connector", commit: "29c408f9bfd238bae94ed7f712e76b9af1369d4a", note: `PHP classes "for R23" (2019-01-12)`},
	{release: "23", kind: "models", repo: "cwmiller/broadworks-connector-net", commit: "dcac548d962acdab2dec643e22326bd6545caf1c", note: "C# classes of the same author, before its R24 update (2019-05-29)"},
	{release: "24", kind: "schema", dir: "R24", note: "nigelm/broadworks_ocip c0c71c3 ocip_schema/: the R24 schemas"},
	{release: "25", kind: "schema", dir: "schema", note: "nigelm/broadworks_ocip b10ec11 ocip_schema/: the R25 schemas"},
}

var unknown = []string{"20"}

func main() {
	log.SetFlags(0)
	log.SetPrefix("ocirelgen: ")
	out := flag.String("o", "releases.txt", "output file")
	var gits gitFlags
	flag.Var(&gits, "git", "owner/name=GITDIR: a clone of a models source's repository (repeatable)")
	flag.Parse()

	old, counts, _ := readTable(*out)
	names := map[string]map[string]bool{} // request → releases
	var header []string
	for i := range sources {
		s := &sources[i]
		list, err := read(s, gits)
		if err != nil {
			kept := old[s.id()]
			if len(kept) == 0 {
				log.Fatalf("%s: %v, and %s holds none of its names", s.id(), err, *out)
			}
			log.Printf("%s: %v: keeping the %d names %s holds", s.id(), err, len(kept), *out)
			list = kept
		}
		n := len(list)
		if c, ok := counts[s.id()]; ok && err != nil {
			n = c // the union of a release's sources was kept: its own count stands
		}
		for _, n := range list {
			if names[n] == nil {
				names[n] = map[string]bool{}
			}
			names[n][s.release] = true
		}
		header = append(header, fmt.Sprintf("source %s %s %d # %s", s.release, s.id(), n, s.note))
	}
	for _, r := range unknown {
		header = append(header, fmt.Sprintf("source %s none", r))
	}

	var b bytes.Buffer
	b.WriteString(`# OCI-P request versions by BroadWorks release, read from public sources.
# Written by ocirelgen (go generate ./broadworks/ocirelease); do not edit.
#
# "source R KIND ID N" names a source of release R and the number of
# requests it lists: a schema is an XSD set (ocip-schema for R25,
# ocip-schema-releases/RNN for the others); models are the classes an
# OCI-P library generated from a release's XSD set, one file per type (a
# request listed there was in that release; one missing may be a gap of
# that generator). "source R none": no public set of R is known.
#
# Then a line per request: its name and the releases whose sources list it.
# A name carries the release where its family began, not the release that
# added it: UserGetRequest22V9 is in R24 and later only.
`)
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	b.WriteString("\n")
	all := make([]string, 0, len(names))
	for n := range names {
		all = append(all, n)
	}
	sort.Strings(all)
	for _, n := range all {
		rs := make([]string, 0, len(names[n]))
		for r := range names[n] {
			rs = append(rs, r)
		}
		sort.Slice(rs, func(i, j int) bool { a, _ := strconv.Atoi(rs[i]); c, _ := strconv.Atoi(rs[j]); return a < c })
		b.WriteString(n + " " + strings.Join(rs, " ") + "\n")
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d requests", *out, len(all))
}

func read(s *source, gits gitFlags) ([]string, error) {
	if s.kind == "schema" {
		dir, ok := ocinames.SchemaDir(s.major())
		if !ok {
			return nil, fmt.Errorf("no OCISchemaAS.xsd in %s", dir)
		}
		return ocinames.SchemaRequests(dir)
	}
	g, ok := gits[s.repo]
	if !ok {
		return nil, fmt.Errorf("no clone of %s given (-git %s=GITDIR)", s.repo, s.repo)
	}
	return ocinames.ModelRequests(g, s.commit)
}

// readTable returns, per source id, the names the table at path gives to
// that source's release (the names of a release with two sources are
// given to both: the union is what the table keeps) and the number of
// names the source line gives.
func readTable(path string) (map[string][]string, map[string]int, error) {
	counts := map[string]int{}
	f, err := os.Open(path)
	if err != nil {
		return nil, counts, err
	}
	defer f.Close()
	ids := map[string][]string{} // release → source ids
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if fs[0] == "source" && len(fs) >= 4 && fs[2] != "none" {
			id := fs[2] + " " + fs[3]
			ids[fs[1]] = append(ids[fs[1]], id)
			if len(fs) >= 5 {
				counts[id], _ = strconv.Atoi(fs[4])
			}
			continue
		}
		for _, r := range fs[1:] {
			for _, id := range ids[r] {
				out[id] = append(out[id], fs[0])
			}
		}
	}
	return out, counts, sc.Err()
}

type gitFlags map[string]string

func (g *gitFlags) String() string { return "" }

func (g *gitFlags) Set(v string) error {
	repo, dir, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want owner/name=GITDIR, got %q", v)
	}
	if *g == nil {
		*g = gitFlags{}
	}
	(*g)[repo] = dir
	return nil
}
