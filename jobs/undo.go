package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
)

// UndoPlan is the reverse of what a task really did, read from the
// server: what an undo task deletes, what it leaves and why, and what the
// deletes take with them. Nothing is deleted that the task did not create.
type UndoPlan struct {
	Source            Task
	ServiceProviderID string
	GroupID           string
	// Users are the users the task created that are still in its group.
	Users []UndoUser
	// Devices are the devices the task created that no other user uses.
	Devices []string
	// Numbers counts the phone numbers the deleted users held: they go
	// back to the group's free numbers.
	Numbers int
	// Department is the department the task created, deleted when no
	// other user is in it ("" for none); Group is true when the group the
	// task created is deleted, being left empty.
	Department string
	Group      bool
	// Kept lists what the task made or touched that the undo leaves on
	// the server, each with the reason; Lost what the deletes take with
	// them beyond what the task made (services assigned since, say).
	Kept []string
	Lost []string
	// Spec is the undo task: one job per user or device, the cleanup of
	// the department and group last (TaskSpec.Teardown).
	Spec TaskSpec
}

// UndoUser is a user an undo deletes, and the job of the task that made it.
type UndoUser struct {
	JobID  int64
	Row    int
	UserID string
	Number string
	Device string // deleted in the same job, after the user ("" for none)
}

// Empty reports whether the plan deletes nothing.
func (p *UndoPlan) Empty() bool {
	return len(p.Spec.Jobs) == 0 && len(p.Spec.Teardown) == 0
}

// Confirmation is what a person types to confirm the undo: the group id.
func (p *UndoPlan) Confirmation() string { return p.GroupID }

// Summary is the plan in a few lines, as a confirmation shows it.
func (p *UndoPlan) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Undo task %d (%s) in %s/%s:\n", p.Source.ID, p.Source.Description, p.ServiceProviderID, p.GroupID)
	fmt.Fprintf(&b, "  delete %d %s", len(p.Users), plural(len(p.Users), "user", "users"))
	if len(p.Devices) > 0 {
		fmt.Fprintf(&b, " and %d %s", len(p.Devices), plural(len(p.Devices), "device", "devices"))
	}
	b.WriteString("\n")
	if p.Numbers > 0 {
		fmt.Fprintf(&b, "  %d phone %s back to the group's free numbers\n", p.Numbers, plural(p.Numbers, "number goes", "numbers go"))
	}
	if p.Department != "" && !p.Group {
		fmt.Fprintf(&b, "  delete department %s, left empty\n", p.Department)
	}
	if p.Group {
		fmt.Fprintf(&b, "  delete group %s, left empty (its numbers go back to %s)\n", p.GroupID, p.ServiceProviderID)
	}
	return strings.TrimRight(b.String(), "\n")
}

// made is what one job of the source task created, from the commands it
// applied.
type made struct {
	job       Job
	userID    string
	number    string
	device    string
	sp, group string
	services  []string // services and packs it assigned
}

// UndoOptions tune PlanUndo. A nil *UndoOptions is the zero value.
type UndoOptions struct {
	// Jobs selects the jobs of the task to undo (a partial undo); nil
	// undoes them all. The department and group are deleted only by a
	// whole undo.
	Jobs []int64
	// Admin, Server and OSUser say who runs the undo, where (TaskSpec).
	Admin, Server, OSUser string
	// Parallel is how many documents of reads are in flight; 0 means 4.
	Parallel int
}

// ErrNothingToUndo is returned by PlanUndo when the task left nothing on
// the server that an undo could delete.
var ErrNothingToUndo = errors.New("jobs: nothing to undo")

// PlanUndo reads the server through d and plans the undo of task taskID:
// it deletes the users the task created that are still in its group, the
// devices it created that no one else uses, then (for a whole undo) the
// department and group it created if nothing else is in them. A user the
// task did not create (its add failed, or someone replaced it since) and
// a device shared with another user are left and listed in Kept. The
// task must be finished; nothing is stored or sent but reads.
func PlanUndo(ctx context.Context, s *Store, d broadworks.Doer, taskID int64, o *UndoOptions) (*UndoPlan, error) {
	if o == nil {
		o = &UndoOptions{}
	}
	t, err := s.Task(ctx, taskID)
	if err != nil {
		return nil, err
	}
	if !Terminal(t.Status) {
		return nil, fmt.Errorf("%w: task %d is %s: let it finish, or cancel it, before undoing it", ErrTaskState, taskID, t.Status)
	}
	if t.UndoOf != 0 {
		return nil, fmt.Errorf("%w: task %d is the undo of task %d: what it deleted cannot be made again from here", ErrTaskState, taskID, t.UndoOf)
	}
	if id, err := s.activeUndo(ctx, taskID); err != nil {
		return nil, err
	} else if id != 0 {
		return nil, fmt.Errorf("%w: task %d is already being undone by task %d", ErrTaskState, taskID, id)
	}
	all, err := s.JobsWithPayload(ctx, taskID, Filter{})
	if err != nil {
		return nil, err
	}
	js := all
	if o.Jobs != nil {
		js = js[:0:0]
		for _, j := range all {
			if slices.Contains(o.Jobs, j.ID) {
				js = append(js, j)
			}
		}
		if len(js) != len(o.Jobs) {
			return nil, fmt.Errorf("jobs: undo task %d: %d of the %d jobs chosen are not in it", taskID, len(o.Jobs)-len(js), len(o.Jobs))
		}
	}
	p := &UndoPlan{Source: t}
	setup, setupStep, _, err := s.taskStage(ctx, taskID, stageSetup)
	if err != nil {
		return nil, err
	}
	var madeGroup, madeSP bool
	for _, c := range setup[:min(setupStep, len(setup))] {
		switch name := c.OCIName(); {
		case name == "GroupConsolidatedAddRequest" || name == "GroupAddRequest":
			madeGroup = true
			p.ServiceProviderID, p.GroupID = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case name == "GroupDepartmentAddRequest":
			p.Department = fieldString(c, "DepartmentName")
			p.ServiceProviderID, p.GroupID = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case strings.HasPrefix(name, "ServiceProvider"):
			madeSP = true
			p.ServiceProviderID = fieldString(c, "ServiceProviderID")
		}
	}
	var ms []*made
	for _, j := range js {
		m := madeBy(j)
		if m == nil {
			continue
		}
		if p.GroupID == "" {
			p.ServiceProviderID, p.GroupID = m.sp, m.group
		}
		ms = append(ms, m)
	}
	whole := o.Jobs == nil
	if p.GroupID == "" {
		return nil, fmt.Errorf("%w: task %d created no user, device or group on the server", ErrNothingToUndo, taskID)
	}
	if madeSP {
		p.Kept = append(p.Kept, fmt.Sprintf("service provider %s, which the task created, is left: bwbulk does not delete service providers", p.ServiceProviderID))
	}

	// One round of reads: each user and its services, each device's users,
	// and the group's users, devices and departments.
	var reqs []oci.Request
	for _, m := range ms {
		if m.userID != "" {
			reqs = append(reqs, &oci.UserGetRequest23V2{UserID: m.userID}, &oci.UserServiceGetAssignmentListRequest{UserID: m.userID})
		}
		if m.device != "" {
			reqs = append(reqs, &oci.GroupAccessDeviceGetUserListRequest21sp1{ServiceProviderID: m.sp, GroupID: m.group, DeviceName: m.device})
		}
	}
	groupReads := len(reqs)
	if whole && (madeGroup || p.Department != "") {
		reqs = append(reqs,
			&oci.UserGetListInGroupRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID},
			&oci.GroupAccessDeviceGetListRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID},
			&oci.GroupDepartmentGetListRequest18{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID, IncludeEnterpriseDepartments: false})
	}
	par := o.Parallel
	if par <= 0 {
		par = 4
	}
	rs, err := inParallel(ctx, func(ctx context.Context, reqs []oci.Request) ([]broadworks.Result, error) {
		rs, err := d.Batch(ctx, reqs...)
		if err != nil && allUnsent(rs) {
			return rs, err
		}
		return rs, nil
	}, reqs, par)
	if err != nil {
		return nil, fmt.Errorf("jobs: undo task %d: reading the server: %w", taskID, err)
	}
	next := 0
	read := func() (oci.Response, error) {
		r := rs[next]
		next++
		if r.Err == nil && r.Response == nil {
			return nil, errors.New("no answer")
		}
		return r.Response, r.Err
	}

	deleted := map[string]bool{} // user ids, lower case
	// Services bwbulk did not assign, by the set of them: the users that
	// have each set.
	since := map[string][]string{}
	var sinceOrder []string
	type devicePlan struct {
		m      *made
		others []string // users of the device the undo does not delete
		gone   bool
	}
	var devs []devicePlan
	var jobs []JobSpec
	byJob := map[int64]int{} // job id → index in jobs
	for _, m := range ms {
		var cmds []oci.Request
		if m.userID != "" {
			resp, err := read()
			svc, svcErr := read()
			switch u, isUser := resp.(*oci.UserGetResponse23V2); {
			case broadworks.IsErrorCode(err, codeUserNotFound):
				p.Kept = append(p.Kept, fmt.Sprintf("row %d: user %s is no longer on the server", m.job.Row, m.userID))
			case err != nil:
				return nil, fmt.Errorf("jobs: undo task %d: reading user %s: %w", taskID, m.userID, err)
			case !isUser:
				return nil, fmt.Errorf("jobs: undo task %d: reading user %s: unexpected answer %s", taskID, m.userID, resp.OCIName())
			case !strings.EqualFold(u.ServiceProviderID, m.sp) || !strings.EqualFold(u.GroupID, m.group):
				p.Kept = append(p.Kept, fmt.Sprintf("row %d: user %s is now in %s/%s, not the user this task created: left", m.job.Row, m.userID, u.ServiceProviderID, u.GroupID))
			default:
				uu := UndoUser{JobID: m.job.ID, Row: m.job.Row, UserID: m.userID}
				if u.PhoneNumber != nil && *u.PhoneNumber != "" {
					uu.Number = *u.PhoneNumber
					p.Numbers++
				}
				p.Users = append(p.Users, uu)
				deleted[strings.ToLower(m.userID)] = true
				cmds = append(cmds, &oci.UserDeleteRequest{UserID: m.userID})
				if svcErr == nil {
					if extra := servicesSince(svc, m.services); len(extra) > 0 {
						k := strings.Join(extra, ", ")
						if _, ok := since[k]; !ok {
							sinceOrder = append(sinceOrder, k)
						}
						since[k] = append(since[k], m.userID)
					}
				}
			}
		}
		if m.device != "" {
			resp, err := read()
			dp := devicePlan{m: m}
			switch l, isList := resp.(*oci.GroupAccessDeviceGetUserListResponse21sp1); {
			case broadworks.IsErrorCode(err, codeDeviceNotFound), broadworks.IsErrorCode(err, codeGroupNotFound):
				dp.gone = true
			case err != nil:
				return nil, fmt.Errorf("jobs: undo task %d: reading device %s: %w", taskID, m.device, err)
			case !isList:
				return nil, fmt.Errorf("jobs: undo task %d: reading device %s: unexpected answer %s", taskID, m.device, resp.OCIName())
			default:
				for r := range l.DeviceUserTable.Rows {
					dp.others = append(dp.others, l.DeviceUserTable.Col(r, "User Id"))
				}
			}
			devs = append(devs, dp)
		}
		if len(cmds) > 0 {
			byJob[m.job.ID] = len(jobs)
			jobs = append(jobs, JobSpec{Row: m.job.Row, UserID: m.userID, Commands: cmds,
				Fields: map[string]string{"undo.of": fmt.Sprint(m.job.ID)}})
		}
	}

	for _, k := range sinceOrder {
		us := since[k]
		p.Lost = append(p.Lost, fmt.Sprintf("%s %s, which this task did not assign: %s",
			countList(us, "user"), plural(len(us), "has", "have"), k))
	}

	// A device goes with its own user's job; a device its users from
	// several jobs share goes in the cleanup, after them all.
	var cleanup []oci.Request
	for _, dp := range devs {
		if dp.gone {
			p.Kept = append(p.Kept, fmt.Sprintf("row %d: device %s is no longer on the server", dp.m.job.Row, dp.m.device))
			continue
		}
		var others, ours []string
		for _, u := range dp.others {
			if deleted[strings.ToLower(u)] {
				ours = append(ours, u)
			} else {
				others = append(others, u)
			}
		}
		if len(others) > 0 {
			p.Kept = append(p.Kept, fmt.Sprintf("row %d: device %s is used by %s, which the undo does not delete: left",
				dp.m.job.Row, dp.m.device, strings.Join(others, ", ")))
			continue
		}
		p.Devices = append(p.Devices, dp.m.device)
		del := &oci.GroupAccessDeviceDeleteRequest{ServiceProviderID: dp.m.sp, GroupID: dp.m.group, DeviceName: dp.m.device}
		i, hasJob := byJob[dp.m.job.ID]
		switch {
		case hasJob && (len(ours) == 0 || len(ours) == 1 && strings.EqualFold(ours[0], dp.m.userID)):
			jobs[i].Commands = append(jobs[i].Commands, del)
			p.Users[userIndex(p.Users, dp.m.job.ID)].Device = dp.m.device
		case len(ours) == 0:
			byJob[dp.m.job.ID] = len(jobs)
			jobs = append(jobs, JobSpec{Row: dp.m.job.Row, Commands: []oci.Request{del},
				Fields: map[string]string{"undo.of": fmt.Sprint(dp.m.job.ID)}})
		default:
			cleanup = append(cleanup, del)
		}
	}

	if whole && (madeGroup || p.Department != "") {
		next = groupReads
		users, uerr := read()
		devices, derr := read()
		depts, perr := read()
		groupGone := broadworks.IsErrorCode(uerr, codeGroupNotFound)
		if groupGone {
			p.Kept = append(p.Kept, fmt.Sprintf("group %s is no longer on the server", p.GroupID))
			p.Department, madeGroup = "", false
		}
		var otherUsers, inDept []string
		if ul, ok := users.(*oci.UserGetListInGroupResponse); ok && uerr == nil {
			for r := range ul.UserTable.Rows {
				id := ul.UserTable.Col(r, "User Id")
				if deleted[strings.ToLower(id)] {
					continue
				}
				otherUsers = append(otherUsers, id)
				if p.Department != "" && ul.UserTable.Col(r, "Department") == p.Department {
					inDept = append(inDept, id)
				}
			}
		} else if !groupGone {
			p.Kept = append(p.Kept, "the group's users could not be read: its department and the group are left")
			p.Department, madeGroup = "", false
		}
		if p.Department != "" {
			exists := false
			if dl, ok := depts.(*oci.GroupDepartmentGetListResponse18); ok && perr == nil {
				for r := range dl.DepartmentTable.Rows {
					if dl.DepartmentTable.Col(r, "Department Name") == p.Department {
						exists = true
					}
				}
			}
			switch {
			case !exists:
				p.Kept = append(p.Kept, fmt.Sprintf("department %s is no longer on the server", p.Department))
				p.Department = ""
			case len(inDept) > 0:
				p.Kept = append(p.Kept, fmt.Sprintf("department %s holds %s, which the undo does not delete: left", p.Department, countList(inDept, "other user")))
				p.Department = ""
			}
		}
		if madeGroup {
			var otherDevices []string
			if dl, ok := devices.(*oci.GroupAccessDeviceGetListResponse); ok && derr == nil {
				for r := range dl.AccessDeviceTable.Rows {
					if n := dl.AccessDeviceTable.Col(r, "Device Name"); !slices.Contains(p.Devices, n) {
						otherDevices = append(otherDevices, n)
					}
				}
			}
			var otherDepts []string
			if dl, ok := depts.(*oci.GroupDepartmentGetListResponse18); ok && perr == nil {
				for r := range dl.DepartmentTable.Rows {
					if n := dl.DepartmentTable.Col(r, "Department Name"); n != p.Department &&
						!strings.EqualFold(dl.DepartmentTable.Col(r, "Is Enterprise Department"), "true") {
						otherDepts = append(otherDepts, n)
					}
				}
			}
			var holds []string
			if len(otherUsers) > 0 {
				holds = append(holds, countList(otherUsers, "other user"))
			}
			if len(otherDevices) > 0 {
				holds = append(holds, countList(otherDevices, "other device"))
			}
			if len(otherDepts) > 0 {
				holds = append(holds, countList(otherDepts, "other department"))
			}
			if len(holds) > 0 {
				p.Kept = append(p.Kept, fmt.Sprintf("group %s holds %s, which the task did not create: left", p.GroupID, strings.Join(holds, " and ")))
			} else {
				p.Group = true
			}
		}
		if p.Department != "" && !p.Group {
			cleanup = append(cleanup, &oci.GroupDepartmentDeleteRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID, DepartmentName: p.Department})
		}
		if p.Group {
			cleanup = append(cleanup, &oci.GroupDeleteRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID})
			p.Lost = append(p.Lost, fmt.Sprintf("group %s: its settings, and the phone numbers assigned to it go back to %s", p.GroupID, p.ServiceProviderID))
		}
	} else if !whole && (madeGroup || p.Department != "") {
		p.Kept = append(p.Kept, "a partial undo leaves the department and group the task created")
		p.Department = ""
	}
	sort.Strings(p.Devices)
	p.Spec = TaskSpec{
		Description: fmt.Sprintf("undo of task %d: %d %s in %s/%s", taskID, len(p.Users), plural(len(p.Users), "user", "users"), p.ServiceProviderID, p.GroupID),
		OSUser:      o.OSUser, Admin: o.Admin, Server: o.Server,
		Jobs: jobs, Teardown: cleanup, UndoOf: taskID,
	}
	if p.Empty() {
		return p, fmt.Errorf("%w: what task %d created is gone or is no longer its own", ErrNothingToUndo, taskID)
	}
	return p, nil
}

// madeBy reads what job j created from the commands it applied; nil when
// it created nothing.
func madeBy(j Job) *made {
	m := &made{job: j}
	for _, c := range j.Commands[:min(j.Step, len(j.Commands))] {
		name := c.OCIName()
		switch {
		case isUserAddName(name):
			m.userID, m.number = fieldString(c, "UserID"), fieldString(c, "PhoneNumber")
			m.sp, m.group = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case strings.HasPrefix(name, "GroupAccessDeviceAddRequest"):
			m.device = fieldString(c, "DeviceName")
			m.sp, m.group = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case isServiceAssign(name):
			if a, ok := c.(*oci.UserServiceAssignListRequest); ok {
				m.services = append(m.services, a.ServiceName...)
				m.services = append(m.services, a.ServicePackName...)
			}
		}
	}
	if m.userID == "" && m.device == "" {
		return nil
	}
	return m
}

// servicesSince lists the services and packs resp says are assigned that
// are not in byTask.
func servicesSince(resp oci.Response, byTask []string) []string {
	l, ok := resp.(*oci.UserServiceGetAssignmentListResponse)
	if !ok {
		return nil
	}
	var out []string
	add := func(t oci.Table, col string) {
		for r := range t.Rows {
			n := t.Col(r, col)
			if strings.EqualFold(t.Col(r, "Assigned"), "true") && !slices.ContainsFunc(byTask, func(s string) bool { return strings.EqualFold(s, n) }) {
				out = append(out, n)
			}
		}
	}
	add(l.UserServicesAssignmentTable, "Service Name")
	add(l.ServicePacksAssignmentTable, "Service Pack Name")
	return out
}

func userIndex(us []UndoUser, jobID int64) int {
	return slices.IndexFunc(us, func(u UndoUser) bool { return u.JobID == jobID })
}

// countList is "2 other users (a, b)", with at most five names.
func countList(names []string, one string) string {
	shown := names
	if len(shown) > 5 {
		shown = shown[:5]
	}
	s := fmt.Sprintf("%d %s (%s", len(names), plural(len(names), one, one+"s"), strings.Join(shown, ", "))
	if len(names) > len(shown) {
		s += ", …"
	}
	return s + ")"
}

// activeUndo returns an unfinished undo task of task id, 0 when none.
func (s *Store) activeUndo(ctx context.Context, id int64) (int64, error) {
	var u int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM tasks WHERE undo_of = ? AND status NOT IN ('completed','failed','cancelled') LIMIT 1`, id).Scan(&u)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("jobs: undo of task %d: %w", id, err)
	}
	return u, nil
}
