// Package ocinames reads which OCI-P requests a release has from public
// sources: a BroadWorks XSD set (the request types it defines), or the
// class files another OCI-P library generated from one (one file per
// type). Only names are read; nothing else of a source is kept.
package ocinames

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"bwbulk/broadworks/ocirelease"
)

// requestName matches a request command's name: a family, "Request", and
// the version suffix Cisco gives it ("22V9", "21sp1V2", "13mp10", "RI").
// Nested types of a request ("…Request21OrderedRouting") do not match.
var requestName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*Request(?:[0-9]+(?:sp[0-9]+)?(?:mp[0-9]+)?(?:V[0-9]+)?|RI)?$`)

// IsRequestName reports whether name has the form of a request command.
func IsRequestName(name string) bool { return requestName.MatchString(name) }

// SchemaRequests returns, sorted, the names of the complex types in the
// XSD files under dir (recursively) that extend OCIRequest: the request
// commands the schema set defines.
func SchemaRequests(dir string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".xsd") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		names, err := xsdRequests(f)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for _, n := range names {
			seen[n] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("ocinames: no request types in %s", dir)
	}
	return sorted(seen), nil
}

// xsdRequests returns the named complex types of one XSD file whose
// extension base is OCIRequest (with or without a namespace prefix).
func xsdRequests(r io.Reader) ([]string, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	var out []string
	var stack []string // enclosing complexType names ("" for anonymous)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "complexType":
				stack = append(stack, attr(t, "name"))
			case "extension":
				base := attr(t, "base")
				if i := strings.IndexByte(base, ':'); i >= 0 {
					base = base[i+1:]
				}
				if base == "OCIRequest" && len(stack) > 0 && stack[len(stack)-1] != "" {
					out = append(out, stack[len(stack)-1])
				}
			}
		case xml.EndElement:
			if t.Name.Local == "complexType" && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// ModelRequests returns, sorted, the request names among the files of a
// commit of a git repository (gitDir is a bare or normal git directory):
// the class files "Name.php" or "Name.cs" a library generated, one per
// schema type, from the schema set of one release.
func ModelRequests(gitDir, commit string) ([]string, error) {
	cmd := exec.Command("git", "--git-dir", gitDir, "ls-tree", "-r", "--name-only", commit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ocinames: git ls-tree %s in %s: %v: %s", commit, gitDir, err, strings.TrimSpace(stderr.String()))
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		base := path.Base(sc.Text())
		ext := path.Ext(base)
		if ext != ".php" && ext != ".cs" {
			continue
		}
		if n := strings.TrimSuffix(base, ext); IsRequestName(n) {
			seen[n] = true
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("ocinames: no request classes in %s at %s", gitDir, commit)
	}
	return sorted(seen), nil
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SchemaDir returns the folder holding the XSD set of a release: R25's is
// $OCIP_SCHEMA_DIR, another release's $OCIP_RELEASES_DIR/R<major>; unset,
// they default to ../shared/ocip-schema and ../shared/ocip-schema-releases
// beside the module's root. ok is false when the folder holds no
// OCISchemaAS.xsd.
func SchemaDir(major int) (dir string, ok bool) {
	root := moduleRoot()
	if major == 25 {
		dir = os.Getenv("OCIP_SCHEMA_DIR")
		if dir == "" {
			dir = filepath.Join(root, "..", "shared", "ocip-schema")
		}
	} else {
		base := os.Getenv("OCIP_RELEASES_DIR")
		if base == "" {
			base = filepath.Join(root, "..", "shared", "ocip-schema-releases")
		}
		dir = filepath.Join(base, fmt.Sprintf("R%d", major))
	}
	if _, err := os.Stat(filepath.Join(dir, "OCISchemaAS.xsd")); err != nil {
		return dir, false
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir, true
	}
	return abs, true
}

// moduleRoot is the folder of the go.mod above the working directory ("."
// when there is none).
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return "."
		}
		d = up
	}
}

// ReleaseHas returns what release r has from facts that are not bwbulk's
// own code: its XSD set where one is at hand (SchemaDir), else the release
// table read from public sources (ocirelease.Has). by says which.
func ReleaseHas(r ocirelease.Release) (has func(string) bool, by string, err error) {
	if dir, ok := SchemaDir(r.Major); ok && r.SP == 0 {
		names, err := SchemaRequests(dir)
		if err != nil {
			return nil, "", err
		}
		set := make(map[string]bool, len(names))
		for _, n := range names {
			set[n] = true
		}
		return func(n string) bool { return set[n] }, "its schema set", nil
	}
	return func(n string) bool { ok, _ := ocirelease.Has(r, n); return ok }, "the release table", nil
}
