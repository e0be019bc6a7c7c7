package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/wizard"
)

// CheckSpec is what Check compares with the server: the rows a task would
// create in Target (row i is preview row i+1) and the departments the
// task's setup creates first.
type CheckSpec struct {
	Target wizard.Target
	Rows   []wizard.Row
	// NewDepartments are created before the users: rows in them are fine.
	NewDepartments []string
}

// CheckSpecFor is the CheckSpec of a preview built from m.
func CheckSpecFor(m *wizard.Model, p *wizard.Preview) CheckSpec {
	s := CheckSpec{Target: p.Target(), Rows: p.Rows}
	if m.Department.Mode == wizard.ModeCreate && m.Department.Name != "" {
		s.NewDepartments = []string{m.Department.Name}
	}
	return s
}

// CheckOptions tune Check. A nil *CheckOptions is the zero value.
type CheckOptions struct {
	// Parallel is how many documents are in flight at once; 0 means 4
	// (the size of the UI's pool). Give a broadworks.Pool at least as
	// many sessions, or the documents queue for one.
	Parallel int
	// Progress, when set, is called after each document with the
	// requests answered so far and the total known so far (the total
	// grows once the group's users are listed). It is called from Check's
	// goroutines, one call at a time.
	Progress func(done, total int)
}

// CheckReport is what Check found.
type CheckReport struct {
	// Problems are the cells that collide with the server's state, by
	// row (1-based) and column, sorted, each with the reason; Err is
	// wizard.ErrUnavailable (wizard.ErrLicence for a licence used up).
	Problems []wizard.Problem
	// Requests is the number of read requests sent.
	Requests int
	// Notes say what could not be checked (a read the server refused),
	// for people.
	Notes []string
}

// Rows reports the number of distinct rows with a problem.
func (r *CheckReport) Rows() int {
	seen := map[int]bool{}
	for _, p := range r.Problems {
		seen[p.Row] = true
	}
	return len(seen)
}

// codeUnauthorized is the OCI-P error of a read outside the
// administrator's scope.
const codeUnauthorized = 5404

// ErrCheckOffline wraps the error of a Check that could not reach the
// server at all.
var ErrCheckOffline = errors.New("jobs: the check against the server could not run")

// Check compares the rows of s with the server and reports every cell
// that would make its job fail: a user id that exists, a device name that
// exists (when the row would create the device), a MAC address another
// device has, a line/port another user has, a phone number that is not
// free in the group, an extension another user of the group has, a
// department that does not exist, a service or pack the group's licences
// no longer cover. It only reads (UserGetListInGroup,
// GroupAccessDeviceGetList, GroupDnGetAvailableList,
// GroupDepartmentGetList, GroupGetListInServiceProvider,
// GroupServiceGetAuthorizationList, UserGet), in
// documents of up to 15 requests (broadworks.MaxCommands), Parallel
// documents at a time through d.
//
// The error is non-nil only when nothing could be read (it then wraps
// ErrCheckOffline and the cause); a single refused read becomes a Note
// and its checks are skipped.
func Check(ctx context.Context, d broadworks.Doer, s CheckSpec, opts *CheckOptions) (*CheckReport, error) {
	var o CheckOptions
	if opts != nil {
		o = *opts
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	c := &checker{d: d, s: s, o: o, rep: &CheckReport{}}
	return c.run(ctx)
}

// checker holds one Check's state.
type checker struct {
	d   broadworks.Doer
	s   CheckSpec
	o   CheckOptions
	rep *CheckReport

	mu          sync.Mutex
	done, total int
}

// groupState is what the server holds for the target group and its
// service provider.
type groupState struct {
	exists     bool
	users      map[string]string // lower-case user id → user id
	numbers    map[string]string // digits → owner user id
	extensions map[string]string // extension → owner user id
	available  []string          // digits of the free numbers; nil: unknown
	devices    map[string]string // lower-case device name → device name
	macs       map[string]string // MAC (upper, no separators) → "device (group)"
	depts      map[string]bool   // lower-case department names; nil: unknown
	linePorts  map[string]string // lower-case line/port → owner user id
	rowUsers   map[int]string    // row index → group of an existing user id
	// hiddenUsers are rows whose user id the server refused to show: it
	// exists outside the administrator's scope.
	hiddenUsers map[int]bool
}

func newGroupState() *groupState {
	return &groupState{users: map[string]string{}, numbers: map[string]string{}, extensions: map[string]string{},
		devices: map[string]string{}, macs: map[string]string{}, linePorts: map[string]string{}, rowUsers: map[int]string{},
		hiddenUsers: map[int]bool{}}
}

// run reads the group in two rounds, compares the rows with what it
// holds and returns the problems sorted by row and column.
func (c *checker) run(ctx context.Context) (*CheckReport, error) {
	g := newGroupState()
	first := c.groupReads()
	c.grow(len(first) + len(c.s.Rows))
	rs, err := c.batch(ctx, first)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckOffline, err)
	}
	otherGroups := c.readGroup(g, rs)
	if err := c.readUsers(ctx, g, otherGroups); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckOffline, err)
	}
	c.compare(g)
	slices.SortStableFunc(c.rep.Problems, func(a, b wizard.Problem) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return int(a.Column) - int(b.Column)
	})
	return c.rep, nil
}

// groupReads are the first round's reads, one document: the group's
// users, devices, free numbers and departments, the provider's other
// groups when a row has a MAC address, the group's licences when a row
// assigns services.
func (c *checker) groupReads() []oci.Request {
	t := c.s.Target
	first := []oci.Request{
		&oci.UserGetListInGroupRequest{ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID},
		&oci.GroupAccessDeviceGetListRequest{ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID},
		&oci.GroupDnGetAvailableListRequest{ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID},
		&oci.GroupDepartmentGetListRequest18{ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID, IncludeEnterpriseDepartments: t.IsEnterprise},
	}
	for i := range c.s.Rows {
		if c.s.Rows[i].Get(wizard.ColMACAddress) != "" {
			first = append(first, &oci.GroupGetListInServiceProviderRequest{ServiceProviderID: t.ServiceProviderID})
			break
		}
	}
	if servicesOf(c.s.Rows) {
		first = append(first, &oci.GroupServiceGetAuthorizationListRequest{ServiceProviderID: t.ServiceProviderID, GroupID: t.GroupID})
	}
	return first
}

// readGroup records the first round's answers in g (the licences' problems
// straight in the report) and returns the provider's other groups. A read
// refused becomes a note; a group or provider not found is one the task
// creates, with nothing there yet.
func (c *checker) readGroup(g *groupState, rs []broadworks.Result) (otherGroups []string) {
	t := c.s.Target
	for _, r := range rs {
		if r.Err != nil {
			switch {
			case broadworks.IsErrorCode(r.Err, codeGroupNotFound, codeSPNotFound):
			case broadworks.IsErrorCode(r.Err, codeUnauthorized):
				c.note("%s: your administrator may not read them", describeRead(r.Request))
			default:
				c.note("%s: %v", describeRead(r.Request), r.Err)
			}
			continue
		}
		switch resp := r.Response.(type) {
		case *oci.UserGetListInGroupResponse:
			g.exists = true
			g.addUsers(&resp.UserTable)
		case *oci.GroupAccessDeviceGetListResponse:
			g.addDevices(&resp.AccessDeviceTable, t.GroupID, true)
		case *oci.GroupDnGetAvailableListResponse:
			g.available = make([]string, 0, len(resp.PhoneNumber))
			for _, n := range resp.PhoneNumber {
				g.available = append(g.available, digitsOf(n))
			}
		case *oci.GroupDepartmentGetListResponse18:
			g.depts = map[string]bool{}
			tb := &resp.DepartmentTable
			for k := range tb.Rows {
				g.depts[strings.ToLower(tb.Col(k, "Department Name"))] = true
			}
		case *oci.GroupServiceGetAuthorizationListResponse:
			// The licences as they are now: used since the preview was
			// built, they may no longer cover the rows.
			c.rep.Problems = append(c.rep.Problems, wizard.ServiceProblems(c.s.Rows, authorizationsOf(resp))...)
		case *oci.GroupGetListInServiceProviderResponse:
			tb := &resp.GroupTable
			for k := range tb.Rows {
				if id := tb.Col(k, "Group Id"); id != "" && id != t.GroupID {
					otherGroups = append(otherGroups, id)
				}
			}
		}
	}
	return otherGroups
}

// addUsers records the users of the group's user table, with their
// numbers and extensions.
func (g *groupState) addUsers(tb *oci.Table) {
	for k := range tb.Rows {
		id := tb.Col(k, "User Id")
		g.users[strings.ToLower(id)] = id
		if n := digitsOf(tb.Col(k, "Phone Number")); n != "" {
			g.numbers[n] = id
		}
		if e := tb.Col(k, "Extension"); e != "" {
			g.extensions[e] = id
		}
	}
}

// readUsers is the second round, Parallel documents at a time: every
// row's user id (exists anywhere?), the line/ports of the group's users,
// the devices of the provider's other groups. The error is the one that
// kept every document from being sent.
func (c *checker) readUsers(ctx context.Context, g *groupState, otherGroups []string) error {
	t := c.s.Target
	var extra []oci.Request
	for _, id := range g.users {
		extra = append(extra, &oci.UserGetRequest23V2{UserID: id})
	}
	for _, gid := range otherGroups {
		extra = append(extra, &oci.GroupAccessDeviceGetListRequest{ServiceProviderID: t.ServiceProviderID, GroupID: gid})
	}
	c.grow(len(extra))
	nRows, total := len(c.s.Rows), len(c.s.Rows)+len(extra)
	// The reads go checkChunk at a time, each chunk's answers read before
	// the next is sent, so the answers about a file of a hundred thousand
	// users are never held at once. A chunk no document of which was
	// answered is read as unsent requests, as one document unanswered
	// among others is; when no document of any chunk was, the check fails
	// with the first error.
	type failed struct {
		start, end int
		err        error
	}
	var unanswered []failed
	answered := false
	var reqs []oci.Request
	for start := 0; start < total; start += checkChunk {
		end := min(start+checkChunk, total)
		reqs = reqs[:0]
		for k := start; k < end; k++ {
			if k < nRows {
				reqs = append(reqs, &oci.UserGetRequest23V2{UserID: c.s.Rows[k].Get(wizard.ColUserID)})
			} else {
				reqs = append(reqs, extra[k-nRows])
			}
		}
		rs, err := c.parallel(ctx, reqs)
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			unanswered = append(unanswered, failed{start, end, err})
			continue
		}
		answered = true
		c.readUserAnswers(g, rs, start, nRows)
	}
	if !answered && len(unanswered) > 0 {
		return unanswered[0].err
	}
	for _, f := range unanswered {
		rs := make([]broadworks.Result, f.end-f.start)
		for k := range rs {
			rs[k].Err = f.err
		}
		c.readUserAnswers(g, rs, f.start, nRows)
	}
	return nil
}

// checkChunk is how many of the second round's reads are sent before
// their answers are read.
var checkChunk = 2000

// readUserAnswers records the second round's answers rs, the first of
// which is read number start; the first nRows reads are the rows' user
// ids.
func (c *checker) readUserAnswers(g *groupState, rs []broadworks.Result, start, nRows int) {
	for k, r := range rs {
		i := start + k
		row := i < nRows
		if r.Err != nil {
			switch {
			case !row:
			case broadworks.IsErrorCode(r.Err, codeUserNotFound):
				// free
			case broadworks.IsErrorCode(r.Err, codeUnauthorized):
				// Refused, not unknown: the id is someone's outside the
				// administrator's scope.
				g.hiddenUsers[i] = true
			default:
				c.note("user id of row %d: %v", i+1, r.Err)
			}
			continue
		}
		switch resp := r.Response.(type) {
		case *oci.UserGetResponse23V2:
			if row {
				g.rowUsers[i] = resp.ServiceProviderID + "/" + resp.GroupID
			}
			if lp := linePortOf(resp); lp != "" {
				g.linePorts[strings.ToLower(lp)] = resp.UserID
			}
		case *oci.GroupAccessDeviceGetListResponse:
			if req, ok := r.Request.(*oci.GroupAccessDeviceGetListRequest); ok {
				g.addDevices(&resp.AccessDeviceTable, req.GroupID, false)
			}
		}
	}
}

// addDevices records the devices of a group's device table; names only
// count in the target group.
func (g *groupState) addDevices(tb *oci.Table, group string, names bool) {
	for k := range tb.Rows {
		name := tb.Col(k, "Device Name")
		if names {
			g.devices[strings.ToLower(name)] = name
		}
		if mac := normMAC(tb.Col(k, "MAC Address")); mac != "" {
			g.macs[mac] = fmt.Sprintf("device %s in group %s", name, group)
		}
	}
}

func linePortOf(u *oci.UserGetResponse23V2) string {
	if ep := u.AccessDeviceEndpoint; ep != nil {
		return ep.LinePort
	}
	if ta := u.TrunkAddressing; ta != nil && ta.TrunkGroupDeviceEndpoint != nil {
		return ta.TrunkGroupDeviceEndpoint.LinePort
	}
	return ""
}

// compare turns what the server holds into problems, cell by cell.
func (c *checker) compare(g *groupState) {
	t := c.s.Target
	newDept := map[string]bool{}
	for _, d := range c.s.NewDepartments {
		newDept[strings.ToLower(d)] = true
	}
	existing := map[string]bool{}
	for _, d := range t.ExistingDevices {
		existing[strings.ToLower(d)] = true
	}
	add := func(i int, col wizard.Column, format string, args ...any) {
		c.rep.Problems = append(c.rep.Problems, wizard.Problem{Row: i + 1, Column: col, Err: wizard.ErrUnavailable, Msg: fmt.Sprintf(format, args...)})
	}
	for i := range c.s.Rows {
		r := &c.s.Rows[i]
		uid := r.Get(wizard.ColUserID)
		if where, ok := g.rowUsers[i]; ok {
			add(i, wizard.ColUserID, "user %s already exists on the server (in %s)", uid, where)
		} else if g.hiddenUsers[i] {
			add(i, wizard.ColUserID, "user %s already exists on the server, outside what you administer", uid)
		}
		dev := r.Get(wizard.ColDeviceName)
		creates := dev != "" && !existing[strings.ToLower(dev)]
		if creates {
			if name, ok := g.devices[strings.ToLower(dev)]; ok {
				add(i, wizard.ColDeviceName, "device %s already exists in group %s", name, t.GroupID)
			}
			if mac := normMAC(r.Get(wizard.ColMACAddress)); mac != "" {
				if owner, ok := g.macs[mac]; ok {
					add(i, wizard.ColMACAddress, "MAC address %s is already used by %s", mac, owner)
				}
			}
		}
		if lp := r.Get(wizard.ColLinePort); lp != "" {
			// Even its own: the user is to be added, so any owner is
			// someone else.
			if owner, ok := g.linePorts[strings.ToLower(lp)]; ok {
				add(i, wizard.ColLinePort, "line/port %s is already used by user %s", lp, owner)
			}
		}
		if num := r.Get(wizard.ColPhoneNumber); num != "" && g.exists {
			d := digitsOf(num)
			switch owner, ok := lookupNumber(g.numbers, d); {
			case ok:
				add(i, wizard.ColPhoneNumber, "phone number %s is already assigned to user %s", num, owner)
			case g.available != nil && !numberIn(g.available, d):
				add(i, wizard.ColPhoneNumber, "phone number %s is not available in group %s", num, t.GroupID)
			}
		}
		if ext := r.Get(wizard.ColExtension); ext != "" {
			if owner, ok := g.extensions[ext]; ok {
				add(i, wizard.ColExtension, "extension %s is already assigned to user %s", ext, owner)
			}
		}
		if dept := r.Get(wizard.ColDepartment); dept != "" && g.depts != nil && g.exists {
			if !g.depts[strings.ToLower(dept)] && !newDept[strings.ToLower(dept)] {
				add(i, wizard.ColDepartment, "department %s does not exist in group %s", dept, t.GroupID)
			}
		}
	}
}

// sameNumber reports whether two digit strings are one number, one
// with and one without a country code of up to 3 digits.
func sameDigits(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return len(b) >= 6 && len(a)-len(b) <= 3 && strings.HasSuffix(a, b)
}

func lookupNumber(m map[string]string, d string) (string, bool) {
	if o, ok := m[d]; ok {
		return o, true
	}
	for n, o := range m {
		if sameDigits(n, d) {
			return o, true
		}
	}
	return "", false
}

func numberIn(list []string, d string) bool {
	for _, n := range list {
		if sameDigits(n, d) {
			return true
		}
	}
	return false
}

func normMAC(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, ":-. ") {
		s = macSeparators.Replace(s)
	}
	return strings.ToUpper(s)
}

// macSeparators are what people write between a MAC address's digits.
var macSeparators = strings.NewReplacer(":", "", "-", "", ".", "", " ", "")

func describeRead(r oci.Request) string {
	switch r.(type) {
	case *oci.UserGetListInGroupRequest:
		return "users of the group (user ids, numbers, extensions not checked)"
	case *oci.GroupAccessDeviceGetListRequest:
		return "devices of the group (device names, MAC addresses not checked)"
	case *oci.GroupDnGetAvailableListRequest:
		return "free numbers of the group (numbers not checked)"
	case *oci.GroupDepartmentGetListRequest18:
		return "departments (not checked)"
	case *oci.GroupGetListInServiceProviderRequest:
		return "groups of the service provider (MAC addresses in other groups not checked)"
	case *oci.GroupServiceGetAuthorizationListRequest:
		return "service authorisations of the group (licences not checked)"
	}
	return r.OCIName()
}

func (c *checker) note(format string, args ...any) {
	c.mu.Lock()
	c.rep.Notes = append(c.rep.Notes, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

func (c *checker) grow(n int) {
	c.mu.Lock()
	c.total += n
	c.mu.Unlock()
}

// batch sends reqs as one or more documents through one session.
func (c *checker) batch(ctx context.Context, reqs []oci.Request) ([]broadworks.Result, error) {
	rs, err := c.d.Batch(ctx, reqs...)
	c.mu.Lock()
	c.rep.Requests += len(reqs)
	c.done += len(reqs)
	done, total := c.done, c.total
	if c.o.Progress != nil {
		c.o.Progress(done, total)
	}
	c.mu.Unlock()
	if err != nil && allUnsent(rs) {
		return rs, err
	}
	return rs, nil
}

// allUnsent reports whether no request of rs reached the server.
func allUnsent(rs []broadworks.Result) bool {
	for _, r := range rs {
		if r.Err == nil || !broadworks.SafeToRetry(r.Err) {
			return false
		}
	}
	return true
}

// parallel sends reqs in documents of MaxCommands, o.Parallel at a time,
// and returns the results in order. It fails only when no document got
// an answer.
func (c *checker) parallel(ctx context.Context, reqs []oci.Request) ([]broadworks.Result, error) {
	return inParallel(ctx, c.batch, reqs, c.o.Parallel)
}

// inParallel sends reqs through batch in documents of MaxCommands, n at a
// time, and returns the results in order. It fails only when no document
// got an answer.
func inParallel(ctx context.Context, batch func(context.Context, []oci.Request) ([]broadworks.Result, error), reqs []oci.Request, n int) ([]broadworks.Result, error) {
	out := make([]broadworks.Result, len(reqs))
	type chunk struct{ start, end int }
	work := make(chan chunk)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	answered := false
	for range min(n, max(1, (len(reqs)+broadworks.MaxCommands-1)/broadworks.MaxCommands)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range work {
				rs, err := batch(ctx, reqs[ch.start:ch.end])
				copy(out[ch.start:ch.end], rs)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				} else if err == nil {
					answered = true
				}
				mu.Unlock()
			}
		}()
	}
	for start := 0; start < len(reqs); start += broadworks.MaxCommands {
		if ctx.Err() != nil {
			break
		}
		work <- chunk{start, min(start+broadworks.MaxCommands, len(reqs))}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil && !answered {
		return nil, firstErr
	}
	return out, nil
}
