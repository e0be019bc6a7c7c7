package wizard

import (
	"fmt"
	"strconv"
	"strings"
)

// applyLayout fills each range of merged cells below the header with
// the value of its first cell, every covered cell marked with the range
// (the importer notes or refuses it by column, see mergedCell), and
// notes the hidden rows and columns, which are read like the others.
// app names where they are hidden ("Excel").
func (t *Table) applyLayout(lay *sheetLayout, app string) {
	if t.Header == nil {
		return
	}
	idx := make(map[int]int, len(t.Records))
	for i := range t.Records {
		idx[t.Records[i].Row] = i
	}
	filled := 0
	copied := map[int]bool{}
	for _, m := range lay.merges {
		if m.Row1 <= t.HeaderRow || m.Col2 >= maxSheetColumns {
			continue // a title's or the header's: not users' values
		}
		i, ok := idx[m.Row1]
		if !ok || m.Col1 >= len(t.Records[i].Cells) {
			continue
		}
		top := t.Records[i].Cells[m.Col1]
		if top.Text == "" && top.Kind != CellFormula {
			continue
		}
		// The records in the range (in row order; a row with nothing
		// else in it is none and stays blank), up to the last column the
		// header or the row has.
		for k := i; k < len(t.Records) && t.Records[k].Row <= m.Row2; k++ {
			rec := &t.Records[k]
			if !copied[k] {
				// A reader may share one slice between repeated rows.
				rec.Cells = append([]Cell(nil), rec.Cells...)
				copied[k] = true
			}
			last := min(m.Col2, max(len(t.Header), len(rec.Cells))-1)
			for c := m.Col1; c <= last; c++ {
				if k == i && c == m.Col1 {
					continue
				}
				if filled++; filled > maxMergedCells {
					t.Problems = append(t.Problems, Problem{Row: rec.Row, Err: ErrFormat,
						Msg: fmt.Sprintf("the sheet's merged cells cover more than %d cells: unmerge them (Excel: select all, Merge & Center off) and give each cell its value", maxMergedCells)})
					return
				}
				for len(rec.Cells) <= c {
					rec.Cells = append(rec.Cells, Cell{})
				}
				cell := top
				cell.Merge = m
				rec.Cells[c] = cell
			}
		}
	}
	var hidden []int
	for i := range t.Records {
		if lay.hiddenRows[t.Records[i].Row] {
			hidden = append(hidden, t.Records[i].Row)
		}
	}
	if len(hidden) == 1 {
		t.Notes = append(t.Notes, Note{Text: fmt.Sprintf("row %d is hidden in %s: it was read like the others (unhide it to check it, or delete it if it is not a user)", hidden[0], app)})
	} else if len(hidden) > 1 {
		t.Notes = append(t.Notes, Note{Text: fmt.Sprintf("rows %s (%d rows) are hidden in %s: they were read like the others (unhide them to check them, or delete those that are not users)", rowRanges(hidden, 8), len(hidden), app)})
	}
	for j, h := range t.Header {
		if lay.hiddenCols[j] && strings.TrimSpace(h) != "" {
			t.Notes = append(t.Notes, Note{Letter: ColumnLetter(j), Header: truncate(strings.TrimSpace(h), 40),
				Text: fmt.Sprintf("column %s (%s) is hidden in %s: it was read like the others", ColumnLetter(j), truncate(strings.TrimSpace(h), 40), app)})
		}
	}
}

// maxMergedCells bounds the cells merged ranges fill.
const maxMergedCells = 1_000_000

// rowRanges writes sorted row numbers as ranges ("7, 9–11"), the first n
// ranges then "…".
func rowRanges(rows []int, n int) string {
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if len(parts) == n {
			parts = append(parts, "…")
			break
		}
		if i == j {
			parts = append(parts, strconv.Itoa(rows[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", rows[i], rows[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// sharedColumns can take one value for several users: a merged range
// may fill them. Every other column holds what is each user's own.
var sharedColumns = map[Column]bool{
	ColDepartment: true, ColTitle: true, ColAddressLocation: true, ColAddressLine1: true, ColAddressLine2: true,
	ColCity: true, ColState: true, ColZip: true, ColTimeZone: true, ColLanguage: true, ColServices: true,
	ColDeviceType: true, ColTrunkGroup: true, ColEnterpriseTrunk: true, ColLastName: true, ColFirstName: true,
	ColCLIDLastName: true, ColCLIDFirstName: true,
}

// mergedCell says what the importer does with a cell covered by merged
// cells in column j (0-based) with header h: refused names why, else the
// note to make. shared is whether the column may hold one value for
// several users (sharedColumns).
func mergedCell(m *Merge, j int, h string, shared bool) (refused, note string) {
	switch {
	case j != m.Col1:
		return fmt.Sprintf("is covered by the merged cells %s, which span columns: unmerge them and give each column its own value", m.Ref), ""
	case !shared:
		return fmt.Sprintf("is covered by the merged cells %s, whose value is row %d's: %s is each user's own; unmerge the cells and give each row its own", m.Ref, m.Row1, truncate(h, 40)), ""
	}
	return "", fmt.Sprintf("merged cells %s: the value of their first cell (row %d) used in every row of the merge", m.Ref, m.Row1)
}
