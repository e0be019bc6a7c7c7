package jobs

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps the dependency direction: jobs never imports Fyne (the
// UI drains its events instead), nor the UI package.
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case strings.HasPrefix(dep, "fyne.io/"):
			t.Errorf("jobs imports %s: jobs must stay Fyne-free (it publishes Events)", dep)
		case dep == "bwbulk/ui" || strings.HasPrefix(dep, "bwbulk/ui/"):
			t.Errorf("jobs imports %s: arrows point main → ui → jobs", dep)
		}
	}
}
