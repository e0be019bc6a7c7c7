package wizard

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeps keeps the wizard pure: no UI toolkit, no network, no database,
// none of the client. Each entry says why.
func TestDeps(t *testing.T) {
	forbidden := map[string]string{
		"fyne.io/":                    "the model must run without a display; widgets live in ui",
		"net":                         "look-ups go through Catalogue; the client lives in broadworks",
		"net/http":                    "no network I/O in the model",
		"crypto/tls":                  "no network I/O in the model",
		"database/sql":                "storage belongs to jobs",
		"bwbulk/jobs":                 "jobs depends on wizard, not the other way round",
		"bwbulk/ui":                   "ui depends on wizard",
		"bwbulk/broadworks":           "only broadworks/oci (pure data) may be imported",
		"bwbulk/broadworks/ocisim":    "only broadworks/oci (pure data) may be imported",
		"bwbulk/broadworks/internal/": "only broadworks/oci (pure data) may be imported",
	}
	// excelize imports net/http only for http.DetectContentType on images
	// added to a sheet; it opens no connection, so it is not followed.
	opaque := map[string]bool{"github.com/xuri/excelize/v2": true}

	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			graph[f[0]] = f[1:]
		}
	}
	seen := map[string]bool{"bwbulk/wizard": true}
	queue := []string{"bwbulk/wizard"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for prefix, why := range forbidden {
			if p == prefix || strings.HasSuffix(prefix, "/") && strings.HasPrefix(p, prefix) {
				t.Errorf("wizard depends on %s: %s", p, why)
			}
		}
		if opaque[p] {
			continue
		}
		for _, d := range graph[p] {
			if !seen[d] {
				seen[d] = true
				queue = append(queue, d)
			}
		}
	}
	if !seen["bwbulk/broadworks/oci"] {
		t.Error("wizard no longer imports broadworks/oci: the plan lost its commands")
	}
}

// TestPackageDoc checks the package doc and doc comments on exported
// top-level declarations.
func TestPackageDoc(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	hasDoc := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil && name == "doc.go" {
			hasDoc = true
		}
		for _, d := range f.Decls {
			checkDeclDoc(t, fset, d)
		}
	}
	if !hasDoc {
		t.Error("doc.go has no package comment")
	}
}
