package desk

import (
	"fmt"
	"strings"

	"bwbulk/wizard"
)

// ImportReport lists, by section, what an import refused, what the
// preview will ask to fix, what it changed and what it ignored. With
// madeIDs the user ids are made from a template, so neither the missing
// User ID column nor the rows' empty ids are listed.
func ImportReport(imp *wizard.Import, madeIDs bool) string {
	var b strings.Builder
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%d):\n", title, len(lines))
		for i, l := range lines {
			if i == 200 {
				fmt.Fprintf(&b, "  … and %d more\n", len(lines)-200)
				break
			}
			b.WriteString("  " + l + "\n")
		}
	}
	var refused, checks, notes []string
	if !madeIDs {
		for _, p := range imp.Problems {
			refused = append(refused, p.Error())
		}
	}
	for _, p := range imp.Checks {
		if !madeIDs || p.Column != wizard.ColUserID {
			checks = append(checks, p.Error())
		}
	}
	for _, n := range imp.Notes {
		notes = append(notes, n.String())
	}
	section("Refused: fix these in the file", refused)
	section("To fix in the preview", checks)
	section("Changed while reading", notes)
	section("Columns not used", imp.Ignored)
	if b.Len() == 0 {
		return "Every column was read as it is, with nothing to fix."
	}
	return b.String()
}
