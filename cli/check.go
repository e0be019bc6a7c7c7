package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"bwbulk/broadworks"
	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// checkFlags are the flags of the commands that read a file of users.
type checkFlags struct {
	*flags
	profile *string
	group   *string
	offline *bool
	asJSON  *bool
	mapFile *string
	ignore  []string
	pwStdin *bool
}

func newCheckFlags(e *Env, name, use, about string) *checkFlags {
	f := &checkFlags{flags: newFlags(e, name, use, about)}
	f.profile = f.String("profile", "", "server profile `NAME` (default: the only one of yours, else the built-in demo server, named demo; see bwbulk profile list)")
	f.group = f.String("group", "", "target group `SP/GROUP` (service provider or enterprise / group); required")
	f.offline = f.Bool("offline", false, "do not connect: check against the catalogue cached when the server was last reached")
	f.asJSON = f.Bool("json", false, "print JSON")
	f.mapFile = f.String("map", "", "map the file's unknown columns with `FILE`, a JSON object from header to column name "+
		"(default: the mapping the window saved for these headers)")
	f.Func("ignore", "leave out the column with this `HEADER` (or letter, such as F); may be repeated", func(v string) error {
		f.ignore = append(f.ignore, v)
		return nil
	})
	f.pwStdin = f.Bool("password-stdin", false, "read the password of an encrypted workbook from the first line of standard input")
	return f
}

// checked is a file read and checked as the Import screen and the preview
// do.
type checked struct {
	file     string
	imp      *wizard.Import
	st       *jobs.Store
	tgt      *target // nil until the profile is found
	prof     jobs.Profile
	session  *desk.Session   // nil with --offline
	reads    broadworks.Doer // the reads through session
	cat      *jobs.CachedCatalogue
	sp, grp  string
	model    *wizard.Model
	preview  *wizard.Preview
	problems []wizard.Problem
	// serverNotes say what the server check could not read.
	serverNotes []string
}

func (c *checked) close() {
	if c.session != nil {
		c.session.Close()
	}
	if c.tgt != nil {
		c.tgt.close()
	}
	c.st.Close()
}

// cachedAt returns when the oldest cached catalogue answer used was
// fetched, or false when every answer came from the server.
func (c *checked) cachedAt() (time.Time, bool) { return c.cat.Age() }

// check reads the file named by the only argument, loads the group's
// facts from the server (or the cache) and builds the preview. On failure
// it has printed why and returns the exit status.
func (f *checkFlags) check(ctx context.Context, args []string) (*checked, int) {
	c, code := f.open(ctx, args)
	if c == nil {
		return nil, code
	}
	fail := func(format string, args ...any) (*checked, int) {
		c.close()
		return nil, f.fail(ExitUsage, format, args...)
	}
	if c.tgt.isDemo() && *f.offline {
		return fail("the built-in demo server is always there: drop --offline")
	}
	c.cat = &jobs.CachedCatalogue{Store: c.st, Server: c.prof.Address}
	if !*f.offline {
		// A busy server's "try again later" is waited out, saying so.
		c.session = f.session(c.st, c.tgt)
		c.reads = c.session.Reads()
		c.cat.Live = jobs.LiveCatalogue{D: c.reads}
	}
	if err := f.buildPreview(ctx, c); err != nil {
		return fail("%v", err)
	}
	// What the import refused, and what the preview finds in the rows
	// (it checks them again, against the group): both on the spreadsheet
	// row, as the Import screen names rows.
	imp := c.imp
	found := c.model.NumberProblems(c.preview.Problems())
	if len(imp.Rows) == 0 && len(imp.Problems) > 0 {
		found = nil // the file's problem says why it has no users
	}
	found = f.checkServer(ctx, c, found)
	for i := range found {
		found[i] = imp.Locate(found[i])
	}
	c.problems = mergeProblems(imp.Problems, found)
	return c, ExitOK
}

// open parses the arguments, reads the file and finds the server profile;
// the catalogue and the session are not set up yet. On failure it has
// printed why and returns nil and the exit status.
func (f *checkFlags) open(ctx context.Context, args []string) (*checked, int) {
	if code, ok := f.parse(args, 1); !ok {
		return nil, code
	}
	file := f.Arg(0)
	sp, grp, ok := strings.Cut(*f.group, "/")
	if !ok || sp == "" || grp == "" || strings.Contains(grp, "/") {
		return nil, f.fail(ExitUsage, "--group SP/GROUP is required (for example --group acme-ent/acme-hq)")
	}
	imp, err := f.readFile(ctx, file)
	if err != nil {
		return nil, f.fail(ExitUsage, "%v", err)
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return nil, f.fail(ExitUsage, "%v", err)
	}
	c := &checked{file: file, imp: imp, st: st, sp: sp, grp: grp}
	if c.tgt, err = f.connect(ctx, st, *f.profile, !*f.offline); err != nil {
		c.close()
		return nil, f.fail(ExitUsage, "%v", err)
	}
	c.prof = c.tgt.p
	return c, ExitOK
}

// buildPreview loads the group's facts through c's catalogue, prepares the
// import against them (printing its notes and the columns not used) and
// previews the users the file makes.
func (f *checkFlags) buildPreview(ctx context.Context, c *checked) error {
	imp := c.imp
	isEnt, err := isEnterprise(ctx, c.cat, c.sp)
	if err != nil {
		return explain(err, c.prof.Name, false)
	}
	facts, err := wizard.LoadFacts(ctx, c.cat, c.sp, c.grp)
	if err != nil {
		return explain(err, c.prof.Name, false)
	}
	if at, cached := c.cachedAt(); cached && !*f.offline {
		fmt.Fprintf(f.e.Stderr, "%s: the server did not answer: checked against the catalogue cached at %s\n",
			f.Name(), at.Local().Format("2006-01-02 15:04"))
	}
	if msg := imp.TargetMismatch(c.sp, c.grp); msg != "" {
		imp.Problems = append(imp.Problems, wizard.Problem{Err: wizard.ErrFormat, Msg: msg})
	}
	imp.Notes = append(imp.Notes, wizard.PrepareImport(imp, facts)...)
	for _, n := range imp.Notes {
		fmt.Fprintf(f.e.Stderr, "%s: note: %s\n", c.file, n)
	}
	for _, s := range imp.Ignored {
		fmt.Fprintf(f.e.Stderr, "%s: not used: %s\n", c.file, s)
	}
	c.model = wizard.ModelForImportFile(c.sp, isEnt, facts, imp)
	// Previewed once and only read from then on: the preview's rows are
	// built over the file's, which are then not held a second time.
	if c.preview, err = c.model.PreviewFinal(); err != nil {
		return err
	}
	if len(imp.Rows) == 0 {
		// An empty file makes no users (a model with no imported rows
		// would preview one from its defaults).
		c.preview.Rows = nil
	}
	return nil
}

// rowsToCheck returns the preview's rows that go to the server check, and
// the spreadsheet row of each: a row already refused, by the import or by
// the preview's problems found, is not sent.
func rowsToCheck(imp *wizard.Import, found []wizard.Problem, rows []wizard.Row) ([]wizard.Row, []int) {
	refused := map[int]bool{}
	for _, ps := range [][]wizard.Problem{imp.Problems, found} {
		for _, p := range ps {
			refused[p.Row] = true
		}
	}
	switch {
	case refused[0]:
		return nil, nil
	case len(refused) == 0 && len(rows) <= len(imp.SourceRows):
		// Every row goes: the preview's own, not a copy of them.
		return rows, imp.SourceRows[:len(rows)]
	}
	var kept []wizard.Row
	var keptRows []int
	for i := range rows {
		if i < len(imp.SourceRows) && !refused[imp.SourceRows[i]] {
			kept = append(kept, rows[i])
			keptRows = append(keptRows, imp.SourceRows[i])
		}
	}
	return kept, keptRows
}

// checkServer runs the window's check against the server's state
// (jobs.Check): user ids, devices, MACs, line/ports, numbers that exist
// there already. Only the rows not refused yet are sent, and what it
// finds is renumbered back to their spreadsheet rows and added to found
// (a cell the preview already refuses says so once). It says on standard
// error what it could not check, and keeps the server's notes in c.
func (f *checkFlags) checkServer(ctx context.Context, c *checked, found []wizard.Problem) []wizard.Problem {
	spec := jobs.CheckSpecFor(c.model, c.preview)
	kept, keptRows := rowsToCheck(c.imp, found, spec.Rows)
	spec.Rows = kept
	switch {
	case c.session == nil:
		fmt.Fprintf(f.e.Stderr, "%s: not checked against the users, devices and numbers on the server (offline); run validate again when connected\n", c.file)
		return found
	case len(kept) == 0 && len(c.preview.Rows) > 0:
		fmt.Fprintf(f.e.Stderr, "%s: not checked against the server: fix the problems first (a row with a problem is not sent)\n", c.file)
		return found
	case len(kept) == 0:
		return found
	}
	if n := len(c.preview.Rows) - len(kept); n > 0 {
		fmt.Fprintf(f.e.Stderr, "%s: %d rows with problems not checked against the server\n", c.file, n)
	}
	rep, err := jobs.Check(ctx, c.reads, spec, nil)
	if err != nil {
		fmt.Fprintf(f.e.Stderr, "%s: not checked against the users, devices and numbers on the server: %v\n", c.file, err)
		return found
	}
	for _, n := range rep.Notes {
		n = sheetRowsText(n, keptRows)
		c.serverNotes = append(c.serverNotes, n)
		fmt.Fprintf(f.e.Stderr, "%s: note: %s\n", c.file, n)
	}
	type cell struct {
		row int
		col wizard.Column
	}
	known := map[cell]bool{}
	for _, p := range found {
		known[cell{p.Row, p.Column}] = true
	}
	for _, p := range sheetRows(rep.Problems, keptRows) {
		if !known[cell{p.Row, p.Column}] {
			found = append(found, p)
		}
	}
	return found
}

// readFile reads the file as the Import screen does, its unknown columns
// mapped by --map (or the mapping the window saved for these headers)
// and --ignore, an encrypted workbook opened with --password-stdin.
func (f *checkFlags) readFile(ctx context.Context, name string) (*wizard.Import, error) {
	// The mapping is chosen once the file's header is known; a CSV file's
	// rows are then imported as they are read, never held as cells.
	mapping := func(t *wizard.Table) (wizard.Mapping, error) {
		m := wizard.Mapping{}
		switch {
		case *f.mapFile != "":
			b, err := os.ReadFile(*f.mapFile)
			if err != nil {
				return nil, fmt.Errorf("--map: %w", err)
			}
			if m, err = wizard.ParseMapping(b); err != nil {
				return nil, fmt.Errorf("--map %s: %w", *f.mapFile, err)
			}
		default:
			if saved, ok := windowMapping(t.Header); ok {
				m = saved
				fmt.Fprintf(f.e.Stderr, "%s: columns mapped as the window saved for these headers (--map FILE chooses another)\n", name)
			}
		}
		for _, h := range f.ignore {
			found := false
			for j, x := range t.Header {
				if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(h)) || strings.EqualFold(wizard.ColumnLetter(j), strings.TrimSpace(h)) {
					m[wizard.MappingKey(x)] = wizard.ColNone
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("--ignore %q: the file has no such column (its headers: %s)", h, strings.Join(t.Header, ", "))
			}
		}
		return m, nil
	}
	var imp *wizard.Import
	err := openWorkbook(f.e, name, *f.pwStdin, func(fh *os.File, opts *wizard.ReadOptions) (err error) {
		imp, err = wizard.ImportFile(ctx, filepath.Base(name), fh, opts, mapping)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The file's cells are in the rows now; the commands need no
	// mapping screen (a file with columns to map is refused).
	imp.Table = nil
	return imp, nil
}

// windowMapping is the mapping the window's Import screen saved for these
// headers, from Fyne's preferences of the app.
func windowMapping(header []string) (wizard.Mapping, bool) {
	base, err := os.UserConfigDir()
	if err != nil {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(base, "fyne", AppID, "preferences.json"))
	if err != nil {
		return nil, false
	}
	var prefs map[string]any
	if json.Unmarshal(b, &prefs) != nil {
		return nil, false
	}
	s, ok := prefs[wizard.MappingPreferenceKey(header)].(string)
	if !ok {
		return nil, false
	}
	m, err := wizard.ParseMapping([]byte(s))
	return m, err == nil
}

// AppID is the application id the window runs with (FyneApp.toml), under
// which Fyne keeps its preferences.
const AppID = "net.bwbulk.app"

func isEnterprise(ctx context.Context, cat wizard.Catalogue, sp string) (bool, error) {
	sps, err := cat.ServiceProviders(ctx)
	if err != nil {
		return false, fmt.Errorf("service providers: %w", err)
	}
	for _, s := range sps {
		if s.ID == sp {
			return s.IsEnterprise, nil
		}
	}
	return false, fmt.Errorf("no service provider or enterprise %q on the server", sp)
}

// mergeProblems lists the problems found reading the file, then the
// preview's, sorted by row then column, each once (reading and the preview
// both report a duplicate).
var rowRef = regexp.MustCompile(`\brow [0-9]+\b`)

// sheetRows renumbers preview problems (row i of the preview) with the
// spreadsheet row the preview row came from.
func sheetRows(ps []wizard.Problem, source []int) []wizard.Problem {
	out := make([]wizard.Problem, len(ps))
	for i, p := range ps {
		if p.Row >= 1 && p.Row <= len(source) {
			p.Row = source[p.Row-1]
		}
		// "duplicate: also in row 5" names a preview row too.
		p.Msg = rowRef.ReplaceAllStringFunc(p.Msg, func(m string) string {
			n, _ := strconv.Atoi(strings.TrimPrefix(m, "row "))
			if n >= 1 && n <= len(source) {
				return "row " + strconv.Itoa(source[n-1])
			}
			return m
		})
		out[i] = p
	}
	return out
}

// sheetRowsText renumbers "row N" in a message of the server check
// (row N of the rows checked) with the spreadsheet row.
func sheetRowsText(s string, source []int) string {
	return rowRef.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(m, "row "))
		if n >= 1 && n <= len(source) {
			return "row " + strconv.Itoa(source[n-1])
		}
		return m
	})
}

func mergeProblems(read, preview []wizard.Problem) []wizard.Problem {
	type key struct {
		row    int
		col    wizard.Column
		letter string
		msg    string
	}
	seen := map[key]bool{}
	var out []wizard.Problem
	for _, ps := range [][]wizard.Problem{read, preview} {
		for _, p := range ps {
			k := key{p.Row, p.Column, p.Letter, p.Msg}
			if !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	sortProblems(out)
	return out
}

func sortProblems(ps []wizard.Problem) {
	// Stable: the order within a cell is the order found.
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && less(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func less(a, b wizard.Problem) bool {
	if a.Row != b.Row {
		return a.Row < b.Row
	}
	return a.Column < b.Column
}

// problemJSON is the stable --json form of a problem.
type problemJSON struct {
	Row     int    `json:"row"`              // 0: the file or its header
	Column  string `json:"column"`           // "": the whole row or file
	Letter  string `json:"letter,omitempty"` // the file's column: "C"
	Header  string `json:"header,omitempty"` // the file's header of it
	Kind    string `json:"kind,omitempty"`
	Message string `json:"message"`
}

func toJSON(ps []wizard.Problem) []problemJSON {
	out := make([]problemJSON, len(ps))
	for i, p := range ps {
		out[i] = problemJSON{Row: p.Row, Column: p.Column.String(), Letter: p.Letter, Header: p.Header, Message: p.Msg}
		if p.Err != nil {
			out[i].Kind = p.Err.Error()
		}
	}
	return out
}

// printProblems writes FILE:ROW:COLUMN: message lines. ROW is the row as
// a spreadsheet numbers it (row 2 is the first user; 0 for the file as a
// whole), COLUMN the file's column letter and header ("C (Phone)"), or
// the column's title as the preview heads it when the file has no such
// column, empty for a whole row.
func printProblems(w io.Writer, file string, ps []wizard.Problem) {
	for _, p := range ps {
		fmt.Fprintf(w, "%s:%d:%s: %s\n", file, p.Row, problemColumn(p), p.Msg)
	}
}

func problemColumn(p wizard.Problem) string {
	switch {
	case p.Letter != "" && p.Header != "":
		return p.Letter + " (" + p.Header + ")"
	case p.Letter != "":
		return p.Letter
	case p.Header != "":
		return p.Header
	}
	return p.Column.Title()
}

// noteJSON is the stable --json form of a note: what the import changed
// in a column, or a note on the whole file (letter and header empty).
type noteJSON struct {
	Letter  string `json:"letter,omitempty"`
	Header  string `json:"header,omitempty"`
	Column  string `json:"column,omitempty"`
	Count   int    `json:"count,omitempty"`
	Row     int    `json:"row,omitempty"`
	Message string `json:"message"`
}

func (c *checked) notesJSON() []noteJSON {
	out := []noteJSON{}
	for _, n := range c.imp.Notes {
		j := noteJSON{Letter: n.Letter, Header: n.Header, Count: n.Count, Row: n.Row, Message: n.String()}
		if n.Column.Valid() {
			j.Column = n.Column.String()
		}
		out = append(out, j)
	}
	for _, s := range c.imp.Ignored {
		out = append(out, noteJSON{Message: "not used: " + s})
	}
	for _, s := range c.serverNotes {
		out = append(out, noteJSON{Message: s})
	}
	return out
}

// target describes where a file was checked, for people.
func (c *checked) target() string {
	s := fmt.Sprintf("%s/%s on %s (profile %q)", c.sp, c.grp, c.prof.Address, c.prof.Name)
	if c.tgt != nil && c.tgt.isDemo() {
		s = fmt.Sprintf("%s/%s on the built-in demo server", c.sp, c.grp)
	}
	if at, ok := c.cachedAt(); ok {
		s += ", catalogue cached at " + at.Local().Format("2006-01-02 15:04")
	}
	return s
}

type validateJSON struct {
	File     string        `json:"file"`
	Profile  string        `json:"profile"`
	Server   string        `json:"server"`
	Group    string        `json:"group"`
	Cached   *time.Time    `json:"cachedAt,omitempty"` // set when checked offline
	Users    int           `json:"users"`
	Problems []problemJSON `json:"problems"`
	Notes    []noteJSON    `json:"notes"`
}

// checkMemoryLimit is the soft limit of the heap (runtime/debug) for
// validate and plan, below Main's memoryLimit: they hold a file's rows
// (about 96 MB for a hundred thousand users) and make short-lived garbage,
// which the collector would otherwise let grow to Main's limit (the
// process's memory then 205 MB instead of 178 MB). Nothing runs tasks
// there.
const checkMemoryLimit = 150 << 20

// lowerMemoryLimit lowers the soft limit Main set to checkMemoryLimit and
// returns what puts it back. Left alone: a limit set by GOMEMLIMIT, a
// lower one, and none at all (Run called by a program, not by Main).
func lowerMemoryLimit() (restore func()) {
	cur := debug.SetMemoryLimit(-1)
	if os.Getenv("GOMEMLIMIT") != "" || cur == math.MaxInt64 || cur <= checkMemoryLimit {
		return func() {}
	}
	debug.SetMemoryLimit(checkMemoryLimit)
	return func() { debug.SetMemoryLimit(cur) }
}

func runValidate(ctx context.Context, e *Env, args []string) int {
	defer lowerMemoryLimit()()
	f := newCheckFlags(e, "validate", "FILE --group SP/GROUP [--profile NAME] [flags]", `
Reads a CSV, XLSX or .ods of users exactly as the Import screen does, checks it
as the preview does against the group on the server (or, offline, the
catalogue cached when it was last reached) and prints each problem as

    FILE:ROW:COLUMN: message

ROW as the window numbers it (0: the file or its header), COLUMN the
column's header name (empty: the whole row). Exit status 0: no problems;
1: problems; 2: usage, file or connection error.`)
	c, code := f.check(ctx, args)
	if c == nil {
		return code
	}
	defer c.close()
	if *f.asJSON {
		v := validateJSON{File: c.file, Profile: c.prof.Name, Server: c.prof.Address, Group: c.sp + "/" + c.grp,
			Users: len(c.preview.Rows), Problems: toJSON(c.problems), Notes: c.notesJSON()}
		if at, ok := c.cachedAt(); ok {
			at = at.UTC()
			v.Cached = &at
		}
		if err := writeJSON(e.Stdout, v); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
	} else {
		printProblems(e.Stdout, c.file, c.problems)
		fmt.Fprintf(e.Stderr, "%s: %d users, %s (checked against %s)\n", c.file, len(c.preview.Rows), countProblems(len(c.problems)), c.target())
	}
	if len(c.problems) > 0 {
		return ExitProblems
	}
	return ExitOK
}

func countProblems(n int) string {
	switch n {
	case 0:
		return "no problems"
	case 1:
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}

// refuse explains on stderr why a file with problems is not planned.
func (c *checked) refuse(w io.Writer, what string) int {
	printProblems(w, c.file, c.problems)
	fmt.Fprintf(w, "%s: %s; %s\n", c.file, countProblems(len(c.problems)), what)
	return ExitProblems
}

type planJSON struct {
	File        string `json:"file"`
	Profile     string `json:"profile"`
	Server      string `json:"server"`
	Admin       string `json:"admin"`
	Description string `json:"description"`
	wizard.Summary
	// UserRows are each user's values as they will be sent (never the
	// password), with the spreadsheet row it came from.
	UserRows []planUserJSON `json:"userRows"`
	Notes    []noteJSON     `json:"notes"`
}

type planUserJSON struct {
	Row      int               `json:"row"`
	Values   map[string]string `json:"values"`
	Password string            `json:"password"` // "from the file" or "generated", never the password
}

func runPlan(ctx context.Context, e *Env, args []string) int {
	defer lowerMemoryLimit()()
	f := newCheckFlags(e, "plan", "FILE --group SP/GROUP [--profile NAME] [flags]", `
Shows what submitting the file would do, as Submit's confirmation in the
window does: users, devices, phone numbers, licences, what is created
first, commands. Nothing is stored or sent. A file with problems is
refused (exit status 1) with the problems on standard error.`)
	c, code := f.check(ctx, args)
	if c == nil {
		return code
	}
	defer c.close()
	if len(c.problems) > 0 {
		return c.refuse(e.Stderr, "nothing to plan (bwbulk validate lists them)")
	}
	// Each row is planned and counted in turn: the plan of a large file is
	// never held whole (Submit stores it the same way, row by row).
	sum, err := wizard.PlanSummary(c.model, c.preview)
	if err != nil {
		return f.fail(ExitProblems, "%v", err)
	}
	if *f.asJSON {
		v := planJSON{File: c.file, Profile: c.prof.Name, Server: c.prof.Address, Admin: c.prof.AdminUser,
			Description: sum.Description(), Summary: sum, Notes: c.notesJSON(), UserRows: []planUserJSON{}}
		// A file with a password on some row brings them all (a row
		// without one is a problem): none is generated.
		pw := "generated"
		if c.model.Passwords.Mode != wizard.PasswordsGenerate {
			pw = "from the file"
		}
		for i := range c.preview.Rows {
			r := c.preview.Rows[i]
			vals := r.Fields()
			delete(vals, wizard.ColPassword.String())
			row := c.model.RowNumber(i)
			v.UserRows = append(v.UserRows, planUserJSON{Row: row, Values: vals, Password: pw})
		}
		if err := writeJSON(e.Stdout, v); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
		return ExitOK
	}
	fmt.Fprintf(e.Stdout, "Plan for %s: %s on %s as %s\n", c.file, sum.Description(), c.prof.Address, c.prof.AdminUser)
	for _, l := range sum.Lines() {
		fmt.Fprintf(e.Stdout, "  • %s\n", l)
	}
	fmt.Fprintln(e.Stdout, "Nothing has been sent.")
	return ExitOK
}

func runSubmit(ctx context.Context, e *Env, args []string) int {
	f := newCheckFlags(e, "submit", "FILE --group SP/GROUP [--profile NAME] [--wait] [flags]", `
Checks the file as bwbulk validate does and stores its users as a task in
the task history the window shows. A file with problems is refused (exit
status 1): nothing is stored and nothing is sent.

Without --wait the task runs in the window when it is open, or later with
bwbulk resume N. With --wait it runs here with a progress bar (plain lines
when standard error is not a terminal). Ctrl-C pauses it after the
documents in flight (exit status 130; bwbulk resume N continues it);
a second Ctrl-C stops at once, and resume then checks with the server
what was done before sending anything again. Exit status 0 when every
user was created, 1 when some failed.`)
	wait := f.Bool("wait", false, "run the task here and wait until it is done")
	name := f.String("name", "", "a name for the task, shown and searched in Tasks")
	ticket := f.String("ticket", "", "a ticket or change reference for the task, shown in Tasks and in its exports")
	c, code := f.check(ctx, args)
	if c == nil {
		return code
	}
	defer c.close()
	if len(c.problems) > 0 {
		return c.refuse(e.Stderr, "nothing was sent and no task was stored (bwbulk validate lists them)")
	}
	// Planned row by row as it is stored: the plan of a large file is
	// never held whole.
	spec, err := desk.PlanTaskLazy(c.model, c.preview, c.prof)
	if err != nil {
		return f.fail(ExitProblems, "%v", err)
	}
	spec.Name, spec.Ticket = *name, *ticket
	// A large task is stored a chunk of users at a time and runs from
	// its first chunk on (jobs.StartTask).
	storing, err := c.st.StartTask(ctx, spec)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	id := storing.ID
	stored := func() int {
		if err := storing.Wait(); err != nil {
			return f.fail(ExitUsage, "task %d is incomplete: %v; bwbulk task %d says which users were stored (those not stored were not sent)", id, err, id)
		}
		return ExitOK
	}
	if why, off := c.st.TeamOffline(); off || id < 0 {
		if !off {
			why = "it did not answer"
		}
		fmt.Fprintf(e.Stdout, "task queued on this desk: %s\n", spec.Description)
		fmt.Fprintf(e.Stderr, "The team database is out of reach (%s): the task waits in this desk's queue and joins the team's when the database is back (the window or the next bwbulk command moves it; nothing is sent before). bwbulk tasks lists it.\n", why)
		if *wait {
			fmt.Fprintln(e.Stderr, "--wait: it runs once it joined the team's queue (bwbulk tasks then gives its number for bwbulk resume N).")
		}
		return stored()
	}
	if !*f.asJSON {
		fmt.Fprintf(e.Stdout, "task %d stored: %s\n", id, spec.Description)
	}
	if !*wait || c.session == nil {
		if code := stored(); code != ExitOK {
			return code
		}
	}
	if !*wait {
		if *f.asJSON {
			return printTaskJSON(ctx, f.flags, c.st, id)
		}
		fmt.Fprintf(e.Stderr, "It runs when the window is open, or here with: bwbulk resume %d\n", id)
		return ExitOK
	}
	if c.session == nil {
		return f.fail(ExitUsage, "--wait needs the server: drop --offline (the task is stored: bwbulk resume %d)", id)
	}
	// Once the task is in the store the file's rows are not needed any
	// more: a hundred thousand of them are most of the heap.
	code = runWhileStoring(ctx, f.flags, c.st, c.session, id, storing, func() {
		c.model, c.preview, c.imp, spec = nil, nil, nil, jobs.TaskSpec{}
	})
	if sc := stored(); sc != ExitOK {
		return sc
	}
	if *f.asJSON {
		if jc := printTaskJSON(ctx, f.flags, c.st, id); jc != ExitOK {
			return jc
		}
	}
	return code
}
