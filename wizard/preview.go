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
	cross  []Problem   // duplicates, licences
	global []Problem   // problems of the whole table
	// final is set by PreviewFinal: Rows are the model's imported rows,
	// built over, so no row can be built again.
	final bool
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

// recross runs crossCheck again after row i was rebuilt, unless what it
// reads of the row is as before: on a table of 100,000 rows, editing a
// name costs the row, not the table.
func (p *Preview) recross(i int, before [len(crossColumns)]string) {
	if p.crossed(i) != before {
		p.crossCheck()
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
	p.cross = p.cross[:0]
	p.global = p.global[:0]
	first := make(map[string]int, len(p.Rows))
	flagged := make(map[int]bool)
	for _, col := range crossColumns[:5] { // ColServices: serviceCheck
		clear(first)
		for i := range p.Rows {
			v := p.Rows[i].v[col]
			if v == "" {
				continue
			}
			switch col {
			case ColUserID, ColDeviceName:
				v = lowerASCII(v)
			case ColMACAddress:
				v = NormalizeMAC(v) // already upper-case unless edited oddly
			case ColPhoneNumber:
				v = NormalizeNumber(v)
			}
			j, seen := first[v]
			if !seen {
				first[v] = i
				continue
			}
			if !flagged[j*int(numColumns)+int(col)] {
				flagged[j*int(numColumns)+int(col)] = true
				p.cross = append(p.cross, Problem{Row: j + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: also in row %d", i+1)})
			}
			p.cross = append(p.cross, Problem{Row: i + 1, Column: col, Err: ErrDuplicate, Msg: fmt.Sprintf("duplicate: already in row %d", j+1)})
		}
	}
	if f := p.m.EffectiveFacts(); f != nil && f.Group.UserLimit > 0 {
		free := f.Group.Free()
		for i := free; i < len(p.Rows); i++ {
			p.cross = append(p.cross, Problem{Row: i + 1, Err: ErrLicence, Msg: fmt.Sprintf("exceeds the group's user limit: %d free of %d", free, f.Group.UserLimit)})
		}
	}
	p.serviceCheck()
	if len(p.Rows) == 0 {
		p.global = append(p.global, Problem{Err: ErrRequired, Msg: "there are no users to create"})
	}
}

// Problems returns every problem, sorted by row then column.
func (p *Preview) Problems() []Problem {
	var out []Problem
	out = append(out, p.global...)
	for _, ps := range p.own {
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
	for _, c := range p.cross {
		if c.Row == i+1 {
			out = append(out, c)
		}
	}
	return out
}

// CellProblem returns the first problem message of a cell, or "".
func (p *Preview) CellProblem(i int, col Column) string {
	for _, pr := range p.RowProblems(i) {
		if pr.Column == col {
			return pr.Msg
		}
	}
	return ""
}

// ErrorRows returns the 0-based indexes of rows with problems: the
// errors-only filter.
func (p *Preview) ErrorRows() []int {
	bad := make([]bool, len(p.Rows))
	for i, ps := range p.own {
		bad[i] = len(ps) > 0
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
	if len(p.global) > 0 || len(p.cross) > 0 {
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
