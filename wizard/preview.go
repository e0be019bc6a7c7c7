package wizard

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// compiled is the model's templates parsed and ordered for row generation.
type compiled struct {
	tpl      [numColumns]*Template
	field    [numColumns]Field
	order    []Column // templated columns, dependencies first
	numbers  []string
	extLen   int // > 0: extension = last extLen digits of the number
	env      Env
	start    int
	imported []Row
	services string // the Services step's picks, for imported rows without any
	// device is the Device step's choice, for imported rows that name no
	// device nor trunk (nil: none chosen); devTpl its name, line/port and
	// MAC templates.
	device *DeviceStep
	devTpl [numColumns]*Template
}

func literal(s string) *Template {
	if s == "" {
		return nil
	}
	return &Template{src: s, parts: []tplPart{{lit: s}}}
}

// templateSources lists the template text of every templated column with
// the field it comes from.
func (m *Model) templateSources() []struct {
	col   Column
	field Field
	src   string
	lit   bool
} {
	type src = struct {
		col   Column
		field Field
		src   string
		lit   bool
	}
	uid := m.UserID.Template
	if uid != "" && !strings.Contains(uid, "@") {
		if d := m.userDomain(); d != "" {
			uid += "@" + d
		}
	}
	clidFirst, clidLast := m.Names.CLIDFirstName, m.Names.CLIDLastName
	if clidFirst == "" {
		clidFirst = "{{ first name }}"
	}
	if clidLast == "" {
		clidLast = "{{ last name }}"
	}
	out := []src{
		{ColUserID, FieldUserIDTemplate, uid, false},
		{ColFirstName, FieldFirstName, m.Names.FirstName, false},
		{ColLastName, FieldLastName, m.Names.LastName, false},
		{ColCLIDFirstName, FieldCLIDFirstName, clidFirst, false},
		{ColCLIDLastName, FieldCLIDLastName, clidLast, false},
		{ColEmail, FieldEmail, m.Contact.Email, false},
		{ColMobile, FieldMobile, m.Contact.Mobile, false},
		{ColPager, FieldPager, m.Contact.Pager, false},
		{ColYahooID, FieldYahooID, m.Contact.YahooID, false},
		{ColTitle, FieldTitle, m.Contact.Title, false},
		{ColAddressLocation, FieldAddressLocation, m.Address.Location, false},
		{ColAddressLine1, FieldAddressLine1, m.Address.Line1, false},
		{ColAddressLine2, FieldAddressLine2, m.Address.Line2, false},
		{ColCity, FieldCity, m.Address.City, false},
		{ColState, FieldState, m.Address.State, false},
		{ColZip, FieldZip, m.Address.Zip, false},
		{ColCountry, FieldCountry, m.Address.Country, false},
		{ColTimeZone, FieldTimeZone, m.Details.TimeZone, true},
		{ColLanguage, FieldLanguage, m.Details.Language, true},
	}
	if m.Numbers.ExtensionMode == ExtensionsTemplate {
		out = append(out, src{ColExtension, FieldExtensionTemplate, m.Numbers.ExtensionTemplate, false})
	}
	switch m.Device.Mode {
	case DeviceHosted:
		out = append(out,
			src{ColDeviceType, FieldDeviceType, m.Device.DeviceType, true},
			src{ColDeviceName, FieldDeviceName, m.Device.DeviceName, false},
			src{ColMACAddress, FieldMACAddress, m.Device.MACAddress, false},
			src{ColLinePort, FieldLinePort, m.Device.LinePort, false})
	case DeviceTrunk:
		out = append(out,
			src{ColTrunkGroup, FieldTrunkGroup, m.Device.TrunkGroup, true},
			src{ColEnterpriseTrunk, FieldEnterpriseTrunk, m.Device.EnterpriseTrunk, true},
			src{ColLinePort, FieldLinePort, m.Device.LinePort, false})
	}
	if m.Department.Mode == ModeSelect || m.Department.Mode == ModeCreate {
		out = append(out, src{ColDepartment, FieldDepartment, m.Department.Name, true})
	}
	if s := m.defaultServices(); s != "" {
		out = append(out, src{ColServices, FieldServices, s, true})
	}
	return out
}

// userDomain is the domain appended to user ids without one.
func (m *Model) userDomain() string {
	if m.UserID.Domain != "" {
		return m.UserID.Domain
	}
	if f := m.EffectiveFacts(); f != nil {
		return f.Group.DefaultDomain
	}
	return ""
}

func (m *Model) startIndex() int { return m.StartIndex }

// compile parses every template, orders them by dependency and expands the
// numbers. Template errors (syntax, unknown tags, cycles) are returned by
// field.
func (m *Model) compile() (*compiled, FieldErrors) {
	fe := FieldErrors{}
	c := &compiled{start: m.startIndex()}
	if m.Imported != nil {
		c.imported = m.Imported
		c.services = m.defaultServices()
		c.importedDevice(m, fe)
		c.env = Env{Domain: m.userDomain(), GroupID: m.Group.ID, GroupName: m.Group.Name,
			ServiceProviderID: m.Enterprise.ID, ServiceProvider: m.Enterprise.Name}
		return c, fe
	}
	for _, s := range m.templateSources() {
		if s.src == "" {
			continue
		}
		if s.lit {
			c.tpl[s.col] = literal(s.src)
		} else {
			t, err := ParseTemplate(s.src)
			if err != nil {
				te := err.(*TemplateError)
				te.Field = s.field
				fe[s.field] = te.Error()
				continue
			}
			c.tpl[s.col] = t
		}
		c.field[s.col] = s.field
	}
	// Depth-first topological sort with cycle detection.
	const (
		unseen = iota
		active
		done
	)
	var state [numColumns]int
	var stack []Column
	var visit func(col Column) *TemplateError
	visit = func(col Column) *TemplateError {
		state[col] = active
		stack = append(stack, col)
		for _, d := range c.tpl[col].deps() {
			if c.tpl[d.col] == nil {
				continue // a per-row value (number, password) or empty
			}
			switch state[d.col] {
			case active:
				i := slices.Index(stack, d.col)
				names := make([]string, 0, len(stack)-i+1)
				for _, s := range stack[i:] {
					names = append(names, s.String())
				}
				names = append(names, d.col.String())
				return &TemplateError{Field: c.field[col], Pos: d.pos, Msg: "cycle: " + strings.Join(names, " → ")}
			case unseen:
				if err := visit(d.col); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[col] = done
		c.order = append(c.order, col)
		return nil
	}
	for col := ColUserID; col < numColumns; col++ {
		if c.tpl[col] != nil && state[col] == unseen {
			if err := visit(col); err != nil {
				fe[err.Field] = err.Error()
				return c, fe
			}
		}
	}
	f := m.EffectiveFacts()
	switch m.Numbers.Mode {
	case NumbersList:
		c.numbers, _ = ExpandNumbers(m.Numbers.Entries, m.UserCount)
	case NumbersAvailable:
		if len(m.Numbers.Entries) > 0 {
			c.numbers, _ = ExpandNumbers(m.Numbers.Entries, m.UserCount)
		} else if f != nil {
			c.numbers = f.AvailableNumbers[:min(len(f.AvailableNumbers), max(m.UserCount, 0))]
		}
	}
	if m.Numbers.ExtensionMode == ExtensionsFromNumber && m.Numbers.Mode != ModeNone && m.Numbers.Mode != "" {
		c.extLen = m.extensionLength()
	}
	c.env = Env{
		Domain:            m.userDomain(),
		GroupID:           m.Group.ID,
		GroupName:         m.Group.Name,
		ServiceProviderID: m.Enterprise.ID,
		ServiceProvider:   m.Enterprise.Name,
	}
	if f != nil && c.env.GroupName == "" {
		c.env.GroupName = f.Group.Name
	}
	return c, fe
}

// importedDevice keeps the Device step's choice for imported rows: a
// device type (with the step's device name, line/port and MAC templates,
// the wizard's defaults when blank) or a trunk.
func (c *compiled) importedDevice(m *Model, fe FieldErrors) {
	d := m.Device
	switch {
	case d.Mode == DeviceHosted && d.DeviceType != "":
		for _, t := range []struct {
			col   Column
			field Field
			src   string
		}{
			{ColDeviceName, FieldDeviceName, cmp.Or(d.DeviceName, DefaultDeviceName)},
			{ColLinePort, FieldLinePort, cmp.Or(d.LinePort, DefaultLinePort)},
			{ColMACAddress, FieldMACAddress, d.MACAddress},
		} {
			if t.src == "" {
				continue
			}
			tpl, err := ParseTemplate(t.src)
			if err != nil {
				fe[t.field] = err.Error()
				continue
			}
			c.devTpl[t.col] = tpl
		}
	case d.Mode == DeviceTrunk && (d.TrunkGroup != "" || d.EnterpriseTrunk != ""):
		if d.LinePort != "" {
			if tpl, err := ParseTemplate(d.LinePort); err == nil {
				c.devTpl[ColLinePort] = tpl
			} else {
				fe[FieldLinePort] = err.Error()
			}
		}
	default:
		return
	}
	c.device = &d
}

// applyDevice gives imported row r, when it names no device nor trunk,
// the Device step's choice.
func (c *compiled) applyDevice(i int, r *Row) []Problem {
	d := c.device
	if d == nil || r.v[ColDeviceType] != "" || r.v[ColMACAddress] != "" || r.v[ColTrunkGroup] != "" || r.v[ColEnterpriseTrunk] != "" {
		return nil
	}
	if d.Mode == DeviceHosted {
		r.v[ColDeviceType] = d.DeviceType
	} else {
		r.v[ColTrunkGroup], r.v[ColEnterpriseTrunk] = d.TrunkGroup, d.EnterpriseTrunk
	}
	env := c.env
	env.Row = r
	var ps []Problem
	for _, col := range []Column{ColDeviceName, ColMACAddress, ColLinePort} {
		t := c.devTpl[col]
		if t == nil || r.v[col] != "" {
			continue
		}
		v, err := t.Render(&env)
		if err != nil {
			ps = append(ps, Problem{Row: i + 1, Column: col, Err: ErrBadTemplate, Msg: err.Error()})
			continue
		}
		r.v[col] = v
	}
	return ps
}

// extensionLength is the number of digits taken from phone numbers.
func (m *Model) extensionLength() int {
	if m.Numbers.ExtensionLength > 0 {
		return m.Numbers.ExtensionLength
	}
	if f := m.EffectiveFacts(); f != nil && f.Group.DefaultExtensionLength > 0 {
		return f.Group.DefaultExtensionLength
	}
	return 4
}

// row generates row i. Hand edits win and feed the templates that read
// them. Render errors are returned as problems on the row.
func (c *compiled) row(i int, edits map[Column]string, r *Row) []Problem {
	if c.imported != nil {
		switch {
		case i >= len(c.imported):
			*r = Row{}
		case r != &c.imported[i]: // PreviewFinal builds the row where it is
			*r = c.imported[i]
		}
		if r.v[ColServices] == "" {
			r.v[ColServices] = c.services
		}
		ps := c.applyDevice(i, r)
		for col, v := range edits {
			r.Set(col, v)
		}
		return ps
	}
	*r = Row{}
	var ps []Problem
	if i < len(c.numbers) {
		r.v[ColPhoneNumber] = c.numbers[i]
	}
	if v, ok := edits[ColPhoneNumber]; ok {
		r.v[ColPhoneNumber] = v
	}
	if c.extLen > 0 {
		r.v[ColExtension] = ExtensionFromNumber(r.v[ColPhoneNumber], c.extLen)
	}
	env := &c.env
	env.Index = c.start + i
	env.Row = r
	for _, col := range c.order {
		if v, ok := edits[col]; ok {
			r.v[col] = v
			continue
		}
		v, err := c.tpl[col].Render(env)
		if err != nil {
			ps = append(ps, Problem{Row: i + 1, Column: col, Err: ErrBadTemplate, Msg: err.Error()})
		}
		r.v[col] = v
	}
	for col, v := range edits {
		if col.Valid() {
			r.v[col] = v
		}
	}
	return ps
}

// Sample returns the first n rows as the templates make them, for the live
// sample under each step (no passwords are generated; hand edits apply).
// Template errors come back as FieldErrors.
func (m *Model) Sample(n int) ([]Row, error) {
	c, fe := m.compile()
	if len(fe) > 0 {
		return nil, fe
	}
	n = min(n, max(m.UserCount, 0))
	rows := make([]Row, n)
	for i := range rows {
		c.row(i, m.Edits[i], &rows[i])
	}
	return rows, nil
}

// Preview is the table of users the wizard will create: one Row per user,
// with problems. Every cell can be edited (Set); edits are recorded in the
// Model so they survive Regenerate and drafts. A Preview shares its Model
// and is not safe for concurrent use.
type Preview struct {
	m      *Model
	c      *compiled
	t      Target
	check  RowCheck
	Rows   []Row
	own    [][]Problem // per-row problems (ValidateRow + render)
	dups   dupIndex    // duplicates between rows
	cross  []Problem   // licences and services
	global []Problem   // problems of the whole table
	// final is set by PreviewFinal: Rows are the model's imported rows,
	// built over, so no row can be built again.
	final bool
	// movedAll is set when the last Set or Revert changed the problems
	// between rows of any row (see Moved).
	movedAll bool
}

// errFinal is the panic of a change to a preview made by PreviewFinal.
const errFinal = "wizard: a preview made by PreviewFinal cannot be changed"

// Preview builds the preview from the model: N rows from the templates,
// hand edits applied, passwords generated when asked (stored in
// m.Passwords.Generated so they stay stable), every row validated, and the
// cross-row and catalogue checks run. It fails only when the templates
// themselves are wrong (FieldErrors).
func (m *Model) Preview() (*Preview, error) { return m.preview(false) }

// PreviewFinal is Preview for a model of imported rows that is previewed
// once and then only read, as the command line's validate, plan and
// submit do: the preview's rows are built over m.Imported, so a file's
// users are held once instead of twice, and m.Imported holds the
// preview's rows afterwards. The preview's Set, Revert and Regenerate
// panic. A model of no imported rows gets Preview's.
func (m *Model) PreviewFinal() (*Preview, error) { return m.preview(true) }

func (m *Model) preview(final bool) (*Preview, error) {
	c, fe := m.compile()
	if len(fe) > 0 {
		return nil, fe
	}
	p := &Preview{m: m, c: c, t: m.Target()}
	p.check = FactsCheck(m.EffectiveFacts(), m.newDepartment())
	n := m.RowCount()
	if final && c.imported != nil && len(c.imported) == n {
		p.Rows, p.final = c.imported, true
	} else {
		p.Rows = make([]Row, n)
	}
	p.own = make([][]Problem, n)
	for i := range p.Rows {
		p.build(i)
	}
	p.crossCheck()
	return p, nil
}

func (m *Model) newDepartment() string {
	if m.Department.Mode == ModeCreate {
		return m.Department.Name
	}
	return ""
}

// build regenerates row i and its own problems.
func (p *Preview) build(i int) {
	m := p.m
	edits := m.Edits[i]
	r := &p.Rows[i]
	ps := p.c.row(i, edits, r)
	_, editedPW := edits[ColPassword]
	generate := !editedPW && r.v[ColPassword] == "" && m.Passwords.Mode == PasswordsGenerate
	if generate {
		r.v[ColPassword] = m.generatedPassword(i, r.v[ColUserID], p.t.Rules, false)
	}
	if _, ok := edits[ColMACAddress]; !ok && r.v[ColMACAddress] != "" {
		r.v[ColMACAddress] = NormalizeMAC(r.v[ColMACAddress])
	}
	if r.v[ColServices] != "" {
		r.v[ColServices] = NormalizeServiceList(r.v[ColServices], p.t.Services)
	}
	own := validateRow(&p.t, r, p.check)
	if generate && hasProblem(own, ColPassword) {
		// The stored password no longer fits (the user id it may not
		// contain changed, or the rules did): make a new one.
		r.v[ColPassword] = m.generatedPassword(i, r.v[ColUserID], p.t.Rules, true)
		own = validateRow(&p.t, r, p.check)
	}
	for k := range own {
		own[k].Row = i + 1
	}
	p.own[i] = append(ps, own...)
}

func hasProblem(ps []Problem, c Column) bool {
	for _, p := range ps {
		if p.Column == c {
			return true
		}
	}
	return false
}

// generatedPassword returns the stored password of row i, generating one
// when there is none or renew is set.
func (m *Model) generatedPassword(i int, userID string, rules PasswordRules, renew bool) string {
	g := m.Passwords.Generated
	if !renew && i < len(g) && g[i] != "" {
		return g[i]
	}
	pw, err := GeneratePassword(rules, userID)
	if err != nil {
		return "" // reported as a missing password
	}
	if i >= len(g) {
		g = append(g, make([]string, i+1-len(g))...)
	}
	g[i] = pw
	m.Passwords.Generated = g
	return pw
}

// Regenerate rebuilds every row from the (possibly changed) templates,
// keeping hand edits.
func (p *Preview) Regenerate() error {
	if p.final {
		panic(errFinal)
	}
	q, err := p.m.Preview()
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

// Set edits cell (row, col), row 0-based: the edit is recorded in the
// model, the row is rebuilt (cells whose templates read col follow) and
// re-validated, and the checks between rows run again when a cell they
// read changed. It returns the row's problems.
func (p *Preview) Set(row int, col Column, v string) []Problem {
	if p.final {
		panic(errFinal)
	}
	if row < 0 || row >= len(p.Rows) || !col.Valid() {
		return nil
	}
	if col == ColMACAddress {
		v = NormalizeMAC(v)
	}
	before := p.crossed(row)
	p.m.SetCell(row, col, v)
	p.build(row)
	p.recross(row, before)
	return p.RowProblems(row)
}

// Moved returns the rows (0-based) whose problems between rows changed
// with the last Set or Revert, besides the row set: the other rows of the
// duplicates it joined or left. Every row when the services' licences
// were counted again.
func (p *Preview) Moved() (rows []int, all bool) { return p.dups.moved, p.movedAll }

// crossColumns are the columns crossCheck reads: the rest of a row never
// changes the problems between rows.
var crossColumns = [...]Column{ColUserID, ColPhoneNumber, ColExtension, ColMACAddress, ColDeviceName, ColServices}

// crossed is what crossCheck reads of row i.
func (p *Preview) crossed(i int) [len(crossColumns)]string {
	var out [len(crossColumns)]string
	for k, c := range crossColumns {
		out[k] = p.Rows[i].v[c]
	}
	return out
}

// recross brings the checks between rows up to date after row i was
// rebuilt: the duplicates of what the row held before and holds now
// (the indexes of dupIndex), and the services' licences again when its
// services changed. On a table of 100,000 rows, editing a cell costs the
// row and the rows it collides with, not the table.
func (p *Preview) recross(i int, before [len(crossColumns)]string) {
	p.dups.moved = p.dups.moved[:0]
	p.movedAll = false
	now := p.crossed(i)
	if now == before {
		return
	}
	var touched []int
	for k := range p.dups.idx {
		if a, b := dupKey(crossColumns[k], before[k]), dupKey(crossColumns[k], now[k]); a != b {
			touched = append(touched, p.dups.move(k, i, a, b)...)
		}
	}
	slices.Sort(touched)
	for _, r := range slices.Compact(touched) {
		p.dups.reprob(p.Rows, r)
		if r != i {
			p.dups.moved = append(p.dups.moved, r)
		}
	}
	if k := len(crossColumns) - 1; now[k] != before[k] {
		p.licenceCheck()
		p.movedAll = true
	}
}

// Revert drops the hand edit of a cell and rebuilds the row from templates.
func (p *Preview) Revert(row int, col Column) []Problem {
	if p.final {
		panic(errFinal)
	}
	if row < 0 || row >= len(p.Rows) {
		return nil
	}
	before := p.crossed(row)
	p.m.ClearEdit(row, col)
	p.build(row)
	p.recross(row, before)
	return p.RowProblems(row)
}

// Edited reports whether a cell holds a hand edit.
func (p *Preview) Edited(row int, col Column) bool { return p.m.Edited(row, col) }

// crossCheck finds duplicates between rows and licence overruns.
func (p *Preview) crossCheck() {
	p.dups.build(p.Rows, !p.final)
	p.licenceCheck()
	p.global = p.global[:0]
	if len(p.Rows) == 0 {
		p.global = append(p.global, Problem{Err: ErrRequired, Msg: "there are no users to create"})
	}
}

// licenceCheck finds the rows beyond the group's user limit and the
// services its licences cannot cover.
func (p *Preview) licenceCheck() {
	p.cross = p.cross[:0]
	if f := p.m.EffectiveFacts(); f != nil && f.Group.UserLimit > 0 {
		free := f.Group.Free()
		for i := free; i < len(p.Rows); i++ {
			p.cross = append(p.cross, Problem{Row: i + 1, Err: ErrLicence, Msg: fmt.Sprintf("exceeds the group's user limit: %d free of %d", free, f.Group.UserLimit)})
		}
	}
	p.serviceCheck()
}

// dupColumns are the columns no two rows may share a value of.
const dupColumns = len(crossColumns) - 1 // ColServices: serviceCheck

// dupKey is what two cells of col must not share: "" for an empty cell.
func dupKey(col Column, v string) string {
	if v == "" {
		return ""
	}
	switch col {
	case ColUserID, ColDeviceName:
		return lowerASCII(v)
	case ColMACAddress:
		return NormalizeMAC(v) // already upper-case unless edited oddly
	case ColPhoneNumber:
		return NormalizeNumber(v)
	}
	return v
}

// dupIndex keeps, for each column of dupColumns, the rows holding each
// value, so that an edit finds the rows it collides with without reading
// the table; and the duplicate problems of the rows in a duplicate.
type dupIndex struct {
	// idx maps a value to its rows, in order (a row alone shares a
	// backing array with the others: a table of unique values costs a
	// map entry a row, not an allocation).
	idx [dupColumns]map[string][]int
	// probs are the duplicate problems of each row in a duplicate, in
	// column order.
	probs map[int][]Problem
	// moved lists the rows whose problems the last move changed.
	moved []int
}

// build indexes rows and finds every duplicate. Unless keep, the
// indexes are let go once the duplicates are found (a preview that never
// changes: one column's index is held at a time).
func (d *dupIndex) build(rows []Row, keep bool) {
	d.probs = map[int][]Problem{}
	d.moved = d.moved[:0]
	own := make([]int, len(rows))
	for i := range own {
		own[i] = i
	}
	var bad []int
	var m map[string][]int
	for k := range d.idx {
		col := crossColumns[k]
		if keep || m == nil {
			size := 0 // a column left empty costs no table
			if len(rows) > 0 && rows[0].v[col] != "" {
				size = len(rows)
			}
			m = make(map[string][]int, size)
		} else {
			clear(m)
		}
		for i := range rows {
			v := dupKey(col, rows[i].v[col])
			if v == "" {
				continue
			}
			rs, seen := m[v]
			if !seen {
				m[v] = own[i : i+1 : i+1]
				continue
			}
			m[v] = append(rs, i)
			bad = append(bad, i)
			if len(rs) == 1 {
				bad = append(bad, rs[0])
			}
		}
		d.idx[k] = m
		if !keep {
			// The problems of this column's duplicates, while its index
			// is there.
			for _, i := range bad {
				d.reprobCol(rows, i, k)
			}
			bad = bad[:0]
			d.idx[k] = nil
		}
	}
	if keep {
		slices.Sort(bad)
		for _, i := range slices.Compact(bad) {
			d.reprob(rows, i)
		}
	}
}

// move takes row i from value from to value to of column k ("" for an
// empty cell) and returns the rows whose duplicate problems that may
// change: i, and the rows of the values it left and joined whose first or
// second row changed (the first row names the second, the others the
// first). The row lists are never changed in place: rows alone share
// theirs.
func (d *dupIndex) move(k, i int, from, to string) []int {
	m := d.idx[k]
	touched := []int{i}
	if rs := m[from]; from != "" {
		if j := slices.Index(rs, i); j >= 0 {
			if len(rs) == 1 {
				delete(m, from)
			} else {
				left := make([]int, 0, len(rs)-1)
				left = append(append(left, rs[:j]...), rs[j+1:]...)
				m[from] = left
				switch {
				case j == 0:
					touched = append(touched, left...)
				case j == 1 || len(left) == 1:
					touched = append(touched, left[0])
				}
			}
		}
	}
	if to != "" {
		rs := m[to]
		j, _ := slices.BinarySearch(rs, i)
		rs = slices.Insert(slices.Clip(rs), j, i)
		m[to] = rs
		switch {
		case j == 0:
			touched = append(touched, rs[1:]...)
		case j == 1:
			touched = append(touched, rs[0])
		}
	}
	return touched
}

// reprob works out the duplicate problems of row i from the indexes.
func (d *dupIndex) reprob(rows []Row, i int) {
	var ps []Problem
	for k := range d.idx {
		if pr, ok := d.dupOf(rows, i, k); ok {
			ps = append(ps, pr)
		}
	}
	if len(ps) > 0 {
		d.probs[i] = ps
	} else {
		delete(d.probs, i)
	}
}

// reprobCol adds row i's duplicate problem of column k, once (build
// without keeping the indexes: the columns come in order).
func (d *dupIndex) reprobCol(rows []Row, i, k int) {
	pr, ok := d.dupOf(rows, i, k)
	if ps := d.probs[i]; ok && (len(ps) == 0 || ps[len(ps)-1].Column != pr.Column) {
		d.probs[i] = append(ps, pr)
	}
}

// dupOf is row i's duplicate problem of column k, from its index.
func (d *dupIndex) dupOf(rows []Row, i, k int) (Problem, bool) {
	col := crossColumns[k]
	v := dupKey(col, rows[i].v[col])
	if v == "" {
		return Problem{}, false
	}
	switch rs := d.idx[k][v]; {
	case len(rs) < 2:
		return Problem{}, false
	case rs[0] == i:
		return Problem{Row: i + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: also in row %d", rs[1]+1)}, true
	default:
		return Problem{Row: i + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: already in row %d", rs[0]+1)}, true
	}
}

// Problems returns every problem, sorted by row then column.
func (p *Preview) Problems() []Problem {
	var out []Problem
	out = append(out, p.global...)
	for _, ps := range p.own {
		out = append(out, ps...)
	}
	for _, ps := range p.dups.probs { // in any order: sorted below, one a cell
		out = append(out, ps...)
	}
	out = append(out, p.cross...)
	slices.SortStableFunc(out, func(a, b Problem) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return int(a.Column) - int(b.Column)
	})
	return out
}

// RowProblems returns the problems of row i (0-based), own and cross-row.
func (p *Preview) RowProblems(i int) []Problem {
	if i < 0 || i >= len(p.own) {
		return nil
	}
	out := slices.Clone(p.own[i])
	out = append(out, p.dups.probs[i]...)
	for _, c := range p.cross {
		if c.Row == i+1 {
			out = append(out, c)
		}
	}
	return out
}

// ErrorRows returns the 0-based indexes of rows with problems: the
// errors-only filter.
func (p *Preview) ErrorRows() []int {
	bad := make([]bool, len(p.Rows))
	for i, ps := range p.own {
		bad[i] = len(ps) > 0
	}
	for i := range p.dups.probs {
		bad[i] = true
	}
	for _, c := range p.cross {
		if c.Row > 0 && c.Row <= len(bad) {
			bad[c.Row-1] = true
		}
	}
	var out []int
	for i, b := range bad {
		if b {
			out = append(out, i)
		}
	}
	return out
}

// Valid reports whether the preview has rows and no problem at all: only
// then can it become jobs.
func (p *Preview) Valid() bool {
	if len(p.global) > 0 || len(p.cross) > 0 || len(p.dups.probs) > 0 {
		return false
	}
	for _, ps := range p.own {
		if len(ps) > 0 {
			return false
		}
	}
	return true
}

// Target returns the target the preview validates against.
func (p *Preview) Target() Target { return p.t }

// Model returns the model behind the preview.
func (p *Preview) Model() *Model { return p.m }

// lowerASCII lower-cases s, allocating only when s has an upper-case letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}
