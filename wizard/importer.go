package wizard

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Note is a change the importer made to the values of one column, said
// once per column and kind of change: how many values, and the first one
// as it was and as it became.
type Note struct {
	Column Column
	Letter string
	Header string
	// What says what was done, as a sentence fragment ("extra spaces
	// removed").
	What  string
	Count int
	// Row, From and To are the first value changed.
	Row      int
	From, To string
	// Text, when set, is a note about the file as a whole, and the whole
	// of what String says.
	Text string
}

// String is the note as the import screen shows it.
func (n Note) String() string {
	if n.Text != "" {
		return n.Text
	}
	vals := "1 value"
	if n.Count != 1 {
		vals = fmt.Sprintf("%d values", n.Count)
	}
	where := n.Header
	if n.Letter != "" {
		where = fmt.Sprintf("column %s (%s)", n.Letter, n.Header)
	}
	if n.From == "" {
		return fmt.Sprintf("%s, %s: %s (row %d: %q)", where, vals, n.What, n.Row, truncate(n.To, 40))
	}
	return fmt.Sprintf("%s, %s: %s (row %d: %q → %q)", where, vals, n.What, n.Row, truncate(n.From, 40), truncate(n.To, 40))
}

// Import is what a file holds for the preview, once its columns are
// mapped (Table.Import).
type Import struct {
	Table *Table
	Rows  []Row
	// SourceRows is the spreadsheet row of each of Rows.
	SourceRows []int
	// Columns are the preview columns the file has.
	Columns []Column
	// Replace is, for a file with a "Preview row" column (bwbulk's
	// "Export problems"), the preview row each of Rows replaces (1-based);
	// nil for other files.
	Replace []int
	// Problems are what the import refused: the file, or cells that
	// cannot be taken as they are. While there are any, the rows must not
	// go on to the preview (they would lose what was refused).
	Problems []Problem
	// Checks are problems of the rows themselves (ValidateRow,
	// duplicates), which the preview shows again and lets the user fix.
	Checks []Problem
	// Notes say what was changed on the way in.
	Notes []Note
	// Ignored lists the columns not used, each with the reason.
	Ignored []string
	// ServiceProvider and Group are the target the file names in
	// serviceProviderId/groupId columns ("" when it names none).
	ServiceProvider, Group string

	// letter and header are the file's column of each preview column.
	letter, header [numColumns]string
}

// Locate names a problem's column as the file does, by letter and
// header, when the file has that column (preview problems name only the
// preview's column).
func (imp *Import) Locate(p Problem) Problem {
	if p.Letter == "" && p.Column.Valid() && imp.letter[p.Column] != "" {
		p.Letter, p.Header = imp.letter[p.Column], imp.header[p.Column]
	}
	return p
}

// columnPlan is what the importer does with one column of the file.
type columnPlan struct {
	kind   HeaderKind
	col    Column
	header string
	letter string
}

type noteKey struct {
	col  Column
	what string
}

// importer carries the state of one Table.Import.
type importer struct {
	t     *Table
	imp   *Import
	plans []columnPlan
	where [numColumns]int // file column of each preview column, -1 if none
	notes map[noteKey]*Note
	sps   map[string]bool
	grps  map[string]bool
	// seen counts the records given to add.
	seen int
}

// Import maps the table's columns (known headers by LookupHeader, the
// others by m) and turns its records into rows: typed cells read as the
// user sees them or refused, values normalised with a note (spaces,
// phone numbers, MAC addresses), rows checked as ImportCSV says. A
// header neither known nor in m is a problem: ask with Table.Unmapped
// first. progress, when set, is called now and then with rows done out
// of the total. The error is ctx's.
func (t *Table) Import(ctx context.Context, m Mapping, progress func(done, total int)) (*Import, error) {
	im := newImporter(t)
	if t.Header == nil {
		return im.finish(), nil
	}
	im.plan(m)
	im.imp.Rows = make([]Row, 0, len(t.Records))
	im.imp.SourceRows = make([]int, 0, len(t.Records))
	for i := range t.Records {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if progress != nil {
				progress(i, len(t.Records))
			}
		}
		im.add(&t.Records[i])
	}
	if progress != nil {
		progress(len(t.Records), len(t.Records))
	}
	return im.finish(), nil
}

// ImportFile reads a file as ReadFile does and imports it as
// Table.Import does, with the mapping that mapping returns for the table
// once its header is found (it may refuse it: that error is returned).
// A CSV file's rows are imported as they are read, so its cells are never
// held all at once: the Import's Table has the header, notes and problems
// of the file but no Records. Other formats are read whole first. The
// error is also ctx's and ReadFile's.
func ImportFile(ctx context.Context, name string, r io.Reader, opts *ReadOptions, mapping func(*Table) (Mapping, error)) (*Import, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("wizard: read %s: %w", filepath.Base(name), err)
	}
	if len(b) > MaxImportSize || sniffKind(b) != kindText || isSpreadsheetName(name) {
		// ReadFile's refusals and notes, and the workbooks.
		t, err := ReadFile(ctx, name, bytes.NewReader(b), opts)
		if err != nil {
			return nil, err
		}
		m, err := mapping(t)
		if err != nil {
			return nil, err
		}
		return t.Import(ctx, m, nil)
	}
	t := &Table{Format: "CSV", HeaderRow: 1}
	var im *importer
	// The first rows are held until the header is known (findHeader
	// looks for it in the first sniffLines rows).
	start := func() error {
		t.findHeader()
		m, err := mapping(t)
		if err != nil {
			return err
		}
		im = newImporter(t)
		im.plan(m)
		// A row a line: room for every row at once, so a large file's
		// rows are not copied as they grow.
		n := min(bytes.Count(b, []byte{'\n'})+1, MaxImportRows)
		im.imp.Rows, im.imp.SourceRows = make([]Row, 0, n), make([]int, 0, n)
		for i := range t.Records {
			im.add(&t.Records[i])
		}
		t.Records = nil
		return nil
	}
	err = scanCSV(ctx, t, b, opts, func(rec Record) error {
		if im == nil {
			if t.Records = append(t.Records, rec); len(t.Records) <= sniffLines {
				return nil
			}
			return start()
		}
		im.add(&rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if im == nil {
		if t.Header == nil {
			return newImporter(t).finish(), nil
		}
		if err := start(); err != nil {
			return nil, err
		}
	}
	return im.finish(), nil
}

// isSpreadsheetName reports whether a file is named as a workbook, which
// ReadFile notes when it holds text.
func isSpreadsheetName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xls", ".ods", ".xlsx":
		return true
	}
	return false
}

func newImporter(t *Table) *importer {
	return &importer{t: t, imp: &Import{Table: t}, notes: map[noteKey]*Note{}, sps: map[string]bool{}, grps: map[string]bool{}}
}

// add imports one record of the table.
func (im *importer) add(rec *Record) {
	imp := im.imp
	im.seen++
	r, ok := im.row(rec)
	if !ok {
		return
	}
	var none Target
	for _, p := range validateRow(&none, &r) {
		imp.Checks = append(imp.Checks, im.locate(p, rec.Row))
	}
	imp.Rows = append(imp.Rows, r)
	imp.SourceRows = append(imp.SourceRows, rec.Row)
}

// finish checks the rows against each other and puts the problems and
// notes in order: the table's (the reading's) first, as they were when
// the import began, then the import's, sorted by row.
func (im *importer) finish() *Import {
	t, imp := im.t, im.imp
	imp.Problems = append(append([]Problem(nil), t.Problems...), imp.Problems...)
	imp.Notes = append(append([]Note(nil), t.Notes...), imp.Notes...)
	if t.Header == nil {
		return imp
	}
	if im.seen == 0 {
		imp.Problems = append(imp.Problems, Problem{Row: t.HeaderRow, Err: ErrFormat, Msg: "the file has a header row but no users below it"})
	}
	for _, p := range duplicates(imp.Rows) {
		p.Msg = strings.Replace(p.Msg, fmt.Sprintf("row %d", p.dupOf), fmt.Sprintf("row %d", imp.SourceRows[p.dupOf-1]), 1)
		imp.Checks = append(imp.Checks, im.locate(p.Problem, imp.SourceRows[p.Row-1]))
	}
	im.context()
	fileNotes := len(imp.Notes)
	for _, n := range im.notes {
		imp.Notes = append(imp.Notes, *n)
	}
	cols := imp.Notes[fileNotes:]
	sort.Slice(cols, func(a, b int) bool {
		if cols[a].Letter != cols[b].Letter {
			return len(cols[a].Letter) < len(cols[b].Letter) || len(cols[a].Letter) == len(cols[b].Letter) && cols[a].Letter < cols[b].Letter
		}
		return cols[a].What < cols[b].What
	})
	sort.SliceStable(imp.Problems, func(a, b int) bool { return imp.Problems[a].Row < imp.Problems[b].Row })
	return imp
}

// plan decides what each column is.
func (im *importer) plan(m Mapping) {
	t, imp := im.t, im.imp
	for c := range im.where {
		im.where[c] = -1
	}
	im.plans = make([]columnPlan, len(t.Header))
	seen := map[HeaderKind]int{}
	// bwbulk's own task export (row, status, errorCode, error, then the
	// users' columns): its "row" is the task's row each line is for.
	taskExport := false
	for _, raw := range t.Header {
		if normHeader(raw) == "errorcode" {
			taskExport = true
		}
	}
	for j, raw := range t.Header {
		h := strings.TrimSpace(raw)
		if t.Format == "CSV" {
			h = Unneutralize(h)
		}
		p := columnPlan{header: h, letter: ColumnLetter(j)}
		if h == "" {
			im.plans[j] = p
			continue
		}
		lh := LookupHeader(h)
		if taskExport && normHeader(h) == "row" {
			lh = Header{Kind: HeaderPreviewRow}
		}
		if lh.Kind == HeaderUnknown {
			if c, ok := m[MappingKey(h)]; ok {
				if c.Valid() {
					lh = Header{Kind: HeaderColumn, Column: c}
				} else {
					lh = Header{Kind: HeaderIgnored, Reason: "ignored as chosen"}
				}
			}
		}
		switch lh.Kind {
		case HeaderUnknown:
			imp.Problems = append(imp.Problems, Problem{Row: t.HeaderRow, Letter: p.letter, Header: truncate(h, 40), Err: ErrFormat,
				Msg: "bwbulk does not know this column: map it to a field or ignore it"})
			im.plans[j] = columnPlan{kind: HeaderIgnored, header: h, letter: p.letter}
			continue
		case HeaderIgnored:
			imp.Ignored = append(imp.Ignored, fmt.Sprintf("column %s (%s): %s", p.letter, truncate(h, 40), lh.Reason))
		case HeaderColumn:
			if k := im.where[lh.Column]; k >= 0 {
				imp.Problems = append(imp.Problems, Problem{Row: t.HeaderRow, Letter: p.letter, Header: truncate(h, 40), Column: lh.Column, Err: ErrDuplicate,
					Msg: fmt.Sprintf("is %s again, like column %s: remove one of them", lh.Column.Title(), ColumnLetter(k))})
				im.plans[j] = columnPlan{kind: HeaderIgnored, header: h, letter: p.letter}
				continue
			}
			im.where[lh.Column] = j
			imp.Columns = append(imp.Columns, lh.Column)
			imp.letter[lh.Column], imp.header[lh.Column] = p.letter, truncate(h, 40)
		default:
			if k, dup := seen[lh.Kind]; dup {
				imp.Problems = append(imp.Problems, Problem{Row: t.HeaderRow, Letter: p.letter, Header: truncate(h, 40), Err: ErrDuplicate,
					Msg: fmt.Sprintf("repeats column %s", ColumnLetter(k))})
				im.plans[j] = columnPlan{kind: HeaderIgnored, header: h, letter: p.letter}
				continue
			}
			seen[lh.Kind] = j
		}
		p.kind, p.col = lh.Kind, lh.Column
		im.plans[j] = p
	}
	for _, c := range requiredImportColumns {
		if im.where[c] < 0 {
			imp.Problems = append(imp.Problems, Problem{Err: ErrRequired,
				Msg: missingColumn(c)})
		}
	}
	if _, ok := seen[HeaderPreviewRow]; ok {
		imp.Replace = []int{}
	}
}

// locate names a row problem's cell as the file does.
func (im *importer) locate(p Problem, row int) Problem {
	p.Row = row
	if p.Column.Valid() {
		if j := im.where[p.Column]; j >= 0 {
			p.Letter, p.Header = im.plans[j].letter, truncate(im.plans[j].header, 40)
		} else {
			p.Header = p.Column.Title()
		}
	}
	return p
}

// row turns one record into a row; ok is false for a record that only
// has values in ignored columns.
func (im *importer) row(rec *Record) (Row, bool) {
	t, imp := im.t, im.imp
	var r Row
	any := false
	replace := 0
	for j := range rec.Cells {
		c := &rec.Cells[j]
		if j >= len(im.plans) {
			if strings.TrimSpace(c.Text) != "" {
				imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Letter: ColumnLetter(j), Err: ErrFormat,
					Msg: fmt.Sprintf("has a value beyond the last header (column %s): add a header or remove the value", ColumnLetter(len(im.plans)-1))})
			}
			continue
		}
		p := &im.plans[j]
		if p.header == "" {
			if strings.TrimSpace(c.Text) != "" {
				imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Letter: p.letter, Err: ErrFormat, Msg: "has a value under a blank header: give the column a header"})
			}
			continue
		}
		if p.kind == HeaderIgnored {
			continue
		}
		if c.Merge != nil && strings.TrimSpace(c.Text) != "" {
			shared := p.kind != HeaderPreviewRow && (p.kind != HeaderColumn || sharedColumns[p.col])
			refused, note := mergedCell(c.Merge, j, p.header, shared)
			if refused != "" {
				imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Letter: p.letter, Header: truncate(p.header, 40), Column: p.col, Err: ErrFormat, Msg: refused})
				any = true
				continue
			}
			im.note(p, note, rec.Row, "", c.Text)
		}
		v, refused, note := cellValue(c)
		if t.Format == "ODS" {
			refused, note = spreadsheetWords(refused), spreadsheetWords(note)
		}
		if refused != "" {
			imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Letter: p.letter, Header: truncate(p.header, 40), Column: p.col, Err: ErrFormat, Msg: refused})
			any = true
			continue
		}
		if note != "" {
			im.note(p, note, rec.Row, c.Raw, v)
		}
		if t.Format == "CSV" {
			switch u := Unneutralize(v); {
			case u == v:
			case slices.Contains(exactColumns, p.col):
				im.note(p, "start with an apostrophe, kept as written: remove it in the file if a spreadsheet added it", rec.Row, "", v)
			default:
				im.note(p, "apostrophe that keeps a spreadsheet from reading = + - @ as a formula removed", rec.Row, v, u)
				v = u
			}
		}
		if s, changed := cleanSpace(v); changed {
			im.note(p, "extra spaces removed", rec.Row, v, s)
			v = s
		}
		if v == "" {
			continue
		}
		if strings.ContainsRune(v, '\ufffd') {
			msg := notTextMessage(t, v)
			imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Letter: p.letter, Header: truncate(p.header, 40), Column: p.col, Err: ErrFormat, Msg: msg})
			any = true
			continue
		}
		if im.special(p, v, rec.Row, &replace) {
			continue
		}
		any = true
		r.v[p.col] = im.normalize(p, v, rec.Row)
	}
	if t.Format == "CSV" && !rec.Broken && len(rec.Cells) < len(im.plans) {
		imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Err: ErrFormat,
			Msg: fmt.Sprintf("has %d of the %d columns: a separator may be missing or the row was cut short; check it against the header", len(rec.Cells), len(im.plans))})
	}
	if !any && replace == 0 {
		return r, false
	}
	if imp.Replace != nil {
		if replace == 0 {
			imp.Problems = append(imp.Problems, Problem{Row: rec.Row, Err: ErrFormat, Msg: fmt.Sprintf("has no %s: leave that column as bwbulk wrote it", HeaderRowName)})
		}
		imp.Replace = append(imp.Replace, replace)
	}
	if r.v[ColCLIDFirstName] == "" {
		r.v[ColCLIDFirstName] = r.v[ColFirstName]
	}
	if r.v[ColCLIDLastName] == "" {
		r.v[ColCLIDLastName] = r.v[ColLastName]
	}
	return r, true
}

// special takes the value v of a column that is not a preview column
// (target, operation, preview row); false for a preview column.
func (im *importer) special(p *columnPlan, v string, row int, replace *int) bool {
	imp := im.imp
	switch p.kind {
	case HeaderServiceProvider:
		im.sps[v] = true
		return true
	case HeaderGroup:
		im.grps[v] = true
		return true
	case HeaderOperation:
		if !addOperation(v) {
			imp.Problems = append(imp.Problems, Problem{Row: row, Letter: p.letter, Header: truncate(p.header, 40), Err: ErrFormat,
				Msg: fmt.Sprintf("is %q: bwbulk only creates users (add, create, user.create); remove this row or change it to \"user.create\"", truncate(v, 20))})
		}
		return true
	case HeaderPreviewRow:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			imp.Problems = append(imp.Problems, Problem{Row: row, Letter: p.letter, Header: truncate(p.header, 40), Err: ErrFormat,
				Msg: fmt.Sprintf("is %q, not a row number: leave this column as bwbulk wrote it", truncate(v, 20))})
			return true
		}
		*replace = n
		return true
	}
	return false
}

// normalize writes a preview column's value the way BroadWorks takes
// it, with a note when that changed it.
func (im *importer) normalize(p *columnPlan, v string, row int) string {
	switch p.col {
	case ColMACAddress:
		if s, ok := normalizeMAC(v); ok && s != v {
			im.note(p, "MAC addresses written as 12 hexadecimal digits", row, v, s)
			v = s
		}
	case ColPhoneNumber:
		if s, ok := NormalizePhone(v); ok && s != v {
			im.note(p, "phone numbers written as BroadWorks takes them", row, v, s)
			v = s
		}
	case ColServices:
		if s := NormalizeServiceList(v, nil); s != v {
			im.note(p, "services written with their BroadWorks names, separated by \"; \"", row, v, s)
			v = s
		}
	}
	return v
}

// notTextMessage says why a cell of t with bytes that are not text (U+FFFD)
// is refused.
func notTextMessage(t *Table, v string) string {
	msg := "has bytes that are not text (shown as �): save the file as CSV UTF-8 and open it again"
	switch t.Encoding {
	case encUTF8, encUTF8BOM:
		msg = fmt.Sprintf("has bytes that are not UTF-8, while the rest of the file is (shown as %q): type this value again, or save the file as CSV UTF-8 and open it again", truncate(v, 30))
	case encCP1252:
		if !t.mixed {
			msg = "has bytes that are not text in Windows-1252 (shown as �): save the file as CSV UTF-8 and open it again"
			break
		}
		msg = fmt.Sprintf("has UTF-8 text (or a byte Windows-1252 does not define), while the rest of the file is Windows-1252 (shown as %q): type this value again, or save the file as CSV UTF-8 and open it again", truncate(v, 30))
	case "":
	default:
		msg = fmt.Sprintf("has bytes that are not text in %s (shown as �): save the file as CSV UTF-8 and open it again", t.Encoding)
	}
	return msg
}

// addOperation reports whether an operation column's value creates a
// user: add, create, new, insert, Mercury's user.create (user.add,
// createUser and the like).
func addOperation(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	if strings.HasPrefix(v, "user.") {
		v = v[len("user."):]
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "user"), "user")
	switch strings.Trim(v, " _-.") {
	case "add", "create", "new", "insert":
		return true
	}
	return false
}

// TargetMismatch says why the file cannot go to group grp of service
// provider (or enterprise) sp: its serviceProviderId or groupId column
// names another. "" when the file names none, or the same. The Import
// screen and the command line both refuse such a file with this message.
func (imp *Import) TargetMismatch(sp, grp string) string {
	if imp.ServiceProvider != "" && imp.ServiceProvider != sp || imp.Group != "" && imp.Group != grp {
		file := imp.ServiceProvider + " / " + imp.Group
		switch {
		case imp.ServiceProvider == "":
			file = "group " + imp.Group
		case imp.Group == "":
			file = imp.ServiceProvider
		}
		return fmt.Sprintf("the file's serviceProviderId/groupId columns name %s, but %s / %s is chosen: pick the group the file names, or remove those columns", file, sp, grp)
	}
	return ""
}

func (im *importer) note(p *columnPlan, what string, row int, from, to string) {
	k := noteKey{p.col, what}
	n := im.notes[k]
	if n == nil {
		n = &Note{Column: p.col, Letter: p.letter, Header: truncate(p.header, 40), What: what, Row: row, From: from, To: to}
		im.notes[k] = n
	}
	n.Count++
}

// context checks the serviceProviderId/groupId columns name one target.
func (im *importer) context() {
	one := func(set map[string]bool, what string) string {
		vs := make([]string, 0, len(set))
		for v := range set {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		if len(vs) > 1 {
			im.imp.Problems = append(im.imp.Problems, Problem{Err: ErrFormat,
				Msg: fmt.Sprintf("the file names %d %ss (%s): import one group at a time", len(vs), what, truncate(strings.Join(vs, ", "), 60))})
			return ""
		}
		if len(vs) == 1 {
			return vs[0]
		}
		return ""
	}
	im.imp.ServiceProvider = one(im.sps, "service provider")
	im.imp.Group = one(im.grps, "group")
}

// cellValue reads a cell as the user sees it. A number is taken when
// what Excel shows is exactly what it stores (and said in a note);
// dates, formulas, booleans, errors and numbers shown otherwise are
// refused with what to do.
func cellValue(c *Cell) (v, refused, note string) {
	switch c.Kind {
	case CellText:
		return c.Text, "", ""
	case CellNumber:
		raw := c.Raw
		digits := 0
		plain := raw != ""
		for i := 0; i < len(raw); i++ {
			switch ch := raw[i]; {
			case ch >= '0' && ch <= '9':
				digits++
			case ch == '.' || ch == '-' && i == 0:
			default:
				plain = false
			}
		}
		switch {
		case !plain:
			return "", fmt.Sprintf("Excel stored this as a number and shows it as %q; format the column as Text and type the value again", truncate(c.Text, 30)), ""
		case digits > 15:
			return "", "Excel stored this as a number, and numbers keep only 15 digits; format the column as Text and type the value again", ""
		case c.Text != raw:
			return "", fmt.Sprintf("Excel stored this as a number and shows it as %q, not as its digits %s; format the column as Text and type the value again", truncate(c.Text, 30), raw), ""
		}
		return raw, "", "Excel stored these as numbers; read as shown"
	case CellDate:
		return "", fmt.Sprintf("Excel stored this as a date (%s); format the column as Text and type the value again", truncate(c.Text, 30)), ""
	case CellFormula:
		return "", fmt.Sprintf("is a formula (=%s); bwbulk reads values, not formulas: copy the column and paste it back as values", truncate(c.Formula, 40)), ""
	case CellBool:
		return "", fmt.Sprintf("Excel stored this as %s (true/false), not as text; format the column as Text and type the value again", c.Text), ""
	case CellError:
		return "", fmt.Sprintf("Excel shows an error here (%s); fix the cell in Excel", truncate(c.Text, 20)), ""
	}
	return c.Text, "", ""
}

// spreadsheetWords says "the spreadsheet" where cellValue says "Excel":
// an OpenDocument file may come from LibreOffice, Google Sheets or Excel.
func spreadsheetWords(s string) string {
	if s == "" {
		return s
	}
	return spreadsheetReplacer.Replace(s)
}

var spreadsheetReplacer = strings.NewReplacer("Excel stored", "the spreadsheet stored", "Excel shows", "the spreadsheet shows", "fix the cell in Excel", "fix the cell")
