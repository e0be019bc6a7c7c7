package wizard

import (
	"regexp"
	"strconv"
	"strings"
)

// RowNumber is the number preview row i (0-based) is shown and named by
// everywhere: on the Import screen, in the preview's row labels and
// messages, in a task's jobs, in bwbulk validate and in the exports' row
// column. For rows imported from a file it is the file's row as a
// spreadsheet shows it (the header is row 1, so the first user is row 2;
// title rows above the header and blank rows count); for rows the wizard
// makes, their place from 1.
func (m *Model) RowNumber(i int) int {
	if m == nil || m.Imported == nil || len(m.RowNumbers) == 0 {
		return i + 1
	}
	if i < len(m.RowNumbers) {
		return m.RowNumbers[i]
	}
	// Rows past the file's (none in practice): on from its last row.
	return m.RowNumbers[len(m.RowNumbers)-1] + i - len(m.RowNumbers) + 1
}

// RowIndex is RowNumber's inverse: the 0-based preview row shown as row
// n, or false when no row is.
func (m *Model) RowIndex(n int) (int, bool) {
	if m == nil || m.Imported == nil || len(m.RowNumbers) == 0 {
		return n - 1, n >= 1
	}
	for i, r := range m.RowNumbers {
		if r == n {
			return i, true
		}
	}
	if last := m.RowNumbers[len(m.RowNumbers)-1]; n > last {
		return len(m.RowNumbers) + n - last - 1, true
	}
	return 0, false
}

// RowNumber is the preview's Model().RowNumber.
func (p *Preview) RowNumber(i int) int { return p.m.RowNumber(i) }

var rowRef = regexp.MustCompile(`\b([Rr])ow ([0-9]+)\b`)

// NumberText writes each "row N" of a message about preview row N (1-based,
// as Problem.Row) as RowNumber names that row.
func (m *Model) NumberText(s string) string {
	if m == nil || m.Imported == nil || len(m.RowNumbers) == 0 || !strings.Contains(strings.ToLower(s), "row ") {
		return s
	}
	return rowRef.ReplaceAllStringFunc(s, func(x string) string {
		n, _ := strconv.Atoi(x[len("row "):])
		if n < 1 {
			return x
		}
		return x[:len("row ")] + strconv.Itoa(m.RowNumber(n-1))
	})
}

// NumberProblems returns preview problems (Row: preview row, 1-based)
// with their rows, and the rows their messages name ("duplicate: already
// in row 3"), as RowNumber names them.
func (m *Model) NumberProblems(ps []Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		if p.Row >= 1 {
			p.Row = m.RowNumber(p.Row - 1)
		}
		p.Msg = m.NumberText(p.Msg)
		out[i] = p
	}
	return out
}
