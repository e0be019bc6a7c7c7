package archtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rule forbids a set of imports, direct or transitive, in the non-test build
// of some packages. Test files are not covered: tests may pull in helpers
// (the simulator, Fyne's test driver) that production code must not.
type rule struct {
	pkgs      string   // a go list pattern
	forbidden []string // import paths; a trailing "/" forbids a whole tree
	why       string
}

// opaque third-party packages are not followed: what they import was read
// and judged harmless, for the reason given.
var opaque = map[string]string{
	"github.com/xuri/excelize/v2": "imports net/http only to call http.DetectContentType on " +
		"images added to a sheet (sheet.go); it opens no connection",
}

var rules = []rule{
	{"bwbulk/wizard/...", []string{"fyne.io/", "net", "net/http", "crypto/tls", "database/sql"},
		"the wizard is the pure model: it must run headless, offline and in tests without a server or a window"},
	{"bwbulk/wizard/...", []string{"bwbulk/ui", "bwbulk/ui/", "bwbulk/jobs", "bwbulk/jobs/", "bwbulk/desk", "bwbulk/desk/", "bwbulk/cli", "bwbulk/cli/",
		"bwbulk/broadworks", "bwbulk/broadworks/ocisim", "bwbulk/broadworks/internal/"},
		"the wizard describes what a row will send with broadworks/oci data only; it never talks to a server"},
	{"bwbulk/broadworks/oci/...", []string{"fyne.io/", "net", "net/", "crypto/tls", "database/sql"},
		"oci is pure data shared by the client, the wizard and the jobs: no I/O of any kind"},
	{"bwbulk/broadworks/oci", []string{"bwbulk/broadworks", "bwbulk/broadworks/ocisim", "bwbulk/broadworks/internal/"},
		"oci is the leaf every other package builds on; the codec and the client build on it, not the reverse"},
	{"bwbulk/broadworks/...", []string{"fyne.io/", "database/sql",
		"bwbulk/ui", "bwbulk/ui/", "bwbulk/wizard", "bwbulk/wizard/", "bwbulk/jobs", "bwbulk/jobs/",
		"bwbulk/desk", "bwbulk/desk/", "bwbulk/cli", "bwbulk/cli/"},
		"the OCI-P client and simulator are a library other projects could use: nothing of the app leaks in"},
	{"bwbulk/jobs/...", []string{"fyne.io/", "bwbulk/ui", "bwbulk/ui/"},
		"jobs run in the background without a window and publish events that the UI drains"},
	{"bwbulk/jobs/...", []string{"bwbulk/desk", "bwbulk/desk/", "bwbulk/cli", "bwbulk/cli/"},
		"jobs are the store and the runner the app layer builds on: they know neither it nor the command line"},
	{"bwbulk/desk/...", []string{"fyne.io/", "bwbulk/ui", "bwbulk/ui/", "bwbulk/cli", "bwbulk/cli/"},
		"desk is what the window and the command line share: it knows neither, and runs without a window"},
	{"bwbulk/cli/...", []string{"fyne.io/", "bwbulk/ui", "bwbulk/ui/"},
		"the command line drives the wizard and jobs without a window (and Fyne must not print into its output)"},
	{"bwbulk/ui/...", []string{"bwbulk/cli", "bwbulk/cli/"},
		"the window and the command line stand side by side over desk: what both need is in desk, not in either"},
	{"bwbulk/internal/demo", []string{"fyne.io/", "bwbulk/ui", "bwbulk/ui/", "bwbulk/cli"},
		"the window and the command line both start the demo server through it: it knows neither"},
	{"bwbulk/internal/initlog", []string{"fyne.io/"},
		"it must initialise before Fyne's packages to hold what they log from init (see its doc)"},
}

// goos are the systems the rules hold for: the build of each differs
// (files by GOOS), and Windows is shipped too.
var goos = []string{"linux", "windows"}

func goList(t *testing.T, system string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Env = append(os.Environ(), "GOOS="+system, "GOARCH=amd64", "CGO_ENABLED=1")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("GOOS=%s go list %v: %v\n%s", system, args, err, ee.Stderr)
		}
		t.Fatalf("GOOS=%s go list %v: %v", system, args, err)
	}
	return string(out)
}

func deps(t *testing.T, system, pattern string) map[string][]string {
	t.Helper()
	out := goList(t, system, "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, pattern)
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			graph[f[0]] = f[1:]
		}
	}
	return graph
}

func roots(t *testing.T, system, pattern string) []string {
	t.Helper()
	return strings.Fields(goList(t, system, pattern))
}

// matches reports whether path is forbidden: exactly, or inside a tree
// written with a trailing slash.
func matches(path, forbidden string) bool {
	if strings.HasSuffix(forbidden, "/") {
		return strings.HasPrefix(path, forbidden)
	}
	return path == forbidden
}

// chain returns the import path from root to target, for the failure message.
func chain(graph map[string][]string, root, target string) []string {
	prev := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == target {
			var path []string
			for q := p; q != ""; q = prev[q] {
				path = append([]string{q}, path...)
			}
			return path
		}
		for _, d := range graph[p] {
			if _, seen := prev[d]; !seen {
				prev[d] = p
				queue = append(queue, d)
			}
		}
	}
	return nil
}

// TestDeps_wizardPlansWithOCI: the wizard's plan is made of broadworks/oci
// commands; losing that import would mean the plan no longer says what is sent.
func TestDeps_wizardPlansWithOCI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	if !reachable(deps(t, "linux", "bwbulk/wizard"), "bwbulk/wizard")["bwbulk/broadworks/oci"] {
		t.Error("wizard no longer imports broadworks/oci: the plan lost its commands")
	}
}

// TestDeps enforces main → ui, cli → desk → jobs → wizard → broadworks,
// for each system shipped.
func TestDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	for _, system := range goos {
		for _, r := range rules {
			graph := deps(t, system, r.pkgs)
			for _, root := range roots(t, system, r.pkgs) {
				for dep := range reachable(graph, root) {
					for _, f := range r.forbidden {
						if matches(dep, f) {
							t.Errorf("GOOS=%s: %s must not import %s (via %s): %s",
								system, root, dep, strings.Join(chain(graph, root, dep), " → "), r.why)
						}
					}
				}
			}
		}
	}
}

// TestDeps_binaryHasNoTestCode: the shipped binary's own dependency list
// holds no test helper (package testing and what builds on it).
func TestDeps_binaryHasNoTestCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	for _, system := range goos {
		graph := deps(t, system, "bwbulk")
		for dep := range reachable(graph, "bwbulk") {
			if dep == "testing" || strings.HasPrefix(dep, "testing/") || (strings.HasPrefix(dep, "bwbulk/") && strings.HasSuffix(dep, "test")) {
				t.Errorf("GOOS=%s: the binary imports %s (via %s): test helpers stay in test files and *test packages",
					system, dep, strings.Join(chain(graph, "bwbulk", dep), " → "))
			}
		}
	}
}

// TestDeps_rulesNameRealFolders: a rule about a folder that is not there
// (renamed, moved) would hold for nothing, silently.
func TestDeps_rulesNameRealFolders(t *testing.T) {
	for _, r := range rules {
		paths := append([]string{r.pkgs}, r.forbidden...)
		for _, p := range paths {
			if p != "bwbulk" && !strings.HasPrefix(p, "bwbulk/") {
				continue // the standard library and other modules
			}
			dir := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(p, "bwbulk"), "/"), "..."), "/")
			if fi, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(dir))); err != nil || !fi.IsDir() {
				t.Errorf("rule %q names %s, which is not a folder of the module: %s", r.pkgs, p, r.why)
			}
		}
	}
}

func reachable(graph map[string][]string, root string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		if _, ok := opaque[p]; ok {
			return
		}
		for _, d := range graph[p] {
			if !seen[d] {
				seen[d] = true
				walk(d)
			}
		}
	}
	walk(root)
	return seen
}
