package ui

import (
	"strings"
	"testing"
)

func TestSplitLines(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"blank lines only", "\n \r\n", nil},
		{"unix", "a\nb\nc\n", []string{"a", "b", "c"}},
		{"windows", "a\r\nb\r\n", []string{"a", "b"}},
		{"spreadsheet rows keep the first cell", "00:04:f2\tx\n00:04:f3\ty", []string{"00:04:f2", "00:04:f3"}},
		{"inner blank line kept as a cleared cell", "a\n\nb", []string{"a", "", "b"}},
		{"spaces trimmed", "  a  \n b", []string{"a", "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := splitLines(c.in)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
				t.Errorf("splitLines(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzSplitLines: pasted clipboard text never yields a value with a line
// break or tab, nor more values than lines.
func FuzzSplitLines(f *testing.F) {
	for _, s := range []string{"", "a\nb", "a\r\nb\r\n", "x\ty\nz", "\n\n\n", " a \t b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := splitLines(s)
		if len(got) > strings.Count(s, "\n")+1 {
			t.Fatalf("%d values from %d lines", len(got), strings.Count(s, "\n")+1)
		}
		for _, v := range got {
			if strings.ContainsAny(v, "\n\t") || v != strings.TrimSpace(v) {
				t.Fatalf("value %q not clean", v)
			}
		}
	})
}
