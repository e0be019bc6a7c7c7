//go:build !windows

package ui

import (
	"fmt"
	"os/exec"
)

// saveScreen writes a PNG of the whole X display to path (xwd and
// ImageMagick: Fyne's own capture is blank under Xvfb).
func saveScreen(path string) error {
	cmd := exec.Command("sh", "-c", "xwd -root -silent | convert xwd:- "+shellQuote(path))
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, b)
	}
	return nil
}

func shellQuote(s string) string {
	return "'" + filepathQuote(s) + "'"
}

func filepathQuote(s string) string {
	out := ""
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
		} else {
			out += string(r)
		}
	}
	return out
}
