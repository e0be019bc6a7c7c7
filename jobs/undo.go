package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
//
// It gathers what the task made from the store (gatherUndo), reads what
// the server holds of it now (undoReads), and decides (decideUndo).
func PlanUndo(ctx context.Context, s *Store, d broadworks.Doer, taskID int64, o *UndoOptions) (*UndoPlan, error) {
	if o == nil {
		o = &UndoOptions{}
	}
	src, err := gatherUndo(ctx, s, taskID, o)
	if err != nil {
		return nil, err
	}
	now := &undoNow{users: make([]userNow, len(src.made)), devices: make([]deviceNow, len(src.made))}
	par := o.Parallel
	if par <= 0 {
		par = 4
	}
	if err := sendReads(ctx, d, undoReads(src, now), par); err != nil {
		return nil, fmt.Errorf("jobs: undo task %d: reading the server: %w", taskID, err)
	}
	return decideUndo(src, now)
}

// gatherUndo reads from the store what task taskID made: the group,
// department and service provider of its setup, and what each job of the
// undo (o.Jobs, or all) created.
func gatherUndo(ctx context.Context, s *Store, taskID int64, o *UndoOptions) (*undoSource, error) {
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
	js, err := s.JobsWithPayload(ctx, taskID, Filter{})
	if err != nil {
		return nil, err
	}
	if o.Jobs != nil {
		js = slices.DeleteFunc(js, func(j Job) bool { return !slices.Contains(o.Jobs, j.ID) })
		if len(js) != len(o.Jobs) {
			return nil, fmt.Errorf("jobs: undo task %d: %d of the %d jobs chosen are not in it", taskID, len(o.Jobs)-len(js), len(o.Jobs))
		}
	}
	src := &undoSource{task: t, whole: o.Jobs == nil, admin: o.Admin, server: o.Server, osUser: o.OSUser}
	setup, setupStep, _, err := s.taskStage(ctx, taskID, stageSetup)
	if err != nil {
		return nil, err
	}
	for _, c := range setup[:min(setupStep, len(setup))] {
		switch name := c.OCIName(); {
		case name == "GroupConsolidatedAddRequest" || name == "GroupAddRequest":
			src.madeGroup = true
			src.sp, src.group = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case name == "GroupDepartmentAddRequest":
			src.department = fieldString(c, "DepartmentName")
			src.sp, src.group = fieldString(c, "ServiceProviderID"), fieldString(c, "GroupID")
		case strings.HasPrefix(name, "ServiceProvider"):
			src.madeSP = true
			src.sp = fieldString(c, "ServiceProviderID")
		}
	}
	for _, j := range js {
		m := madeBy(j)
		if m == nil {
			continue
		}
		if src.group == "" {
			src.sp, src.group = m.sp, m.group
		}
		src.made = append(src.made, m)
	}
	if src.group == "" {
		return nil, fmt.Errorf("%w: task %d created no user, device or group on the server", ErrNothingToUndo, taskID)
	}
	return src, nil
}

// A serverRead is one read of the server and what takes its answer (the
// response, or the error the server or the session gave instead).
type serverRead struct {
	req  oci.Request
	take func(oci.Response, error)
}

// sendReads sends the reads, par documents at a time, and gives each its
// answer. It fails only when no document got one.
func sendReads(ctx context.Context, d broadworks.Doer, reads []serverRead, par int) error {
	reqs := make([]oci.Request, len(reads))
	for i, r := range reads {
		reqs[i] = r.req
	}
	rs, err := inParallel(ctx, func(ctx context.Context, reqs []oci.Request) ([]broadworks.Result, error) {
		rs, err := d.Batch(ctx, reqs...)
		if err != nil && allUnsent(rs) {
			return rs, err
		}
		return rs, nil
	}, reqs, par)
	if err != nil {
		return err
	}
	for i, r := range reads {
		if rs[i].Err == nil && rs[i].Response == nil {
			r.take(nil, errors.New("no answer"))
			continue
		}
		r.take(rs[i].Response, rs[i].Err)
	}
	return nil
}

// undoReads are the reads an undo makes, in one round, each filling its
// part of now: each user and its services, each device's users, and the
// group's users, devices and departments.
func undoReads(src *undoSource, now *undoNow) []serverRead {
	var reads []serverRead
	for i, m := range src.made {
		if m.userID != "" {
			u := &now.users[i]
			reads = append(reads,
				serverRead{&oci.UserGetRequest23V2{UserID: m.userID}, u.takeUser},
				serverRead{&oci.UserServiceGetAssignmentListRequest{UserID: m.userID}, u.takeServices})
		}
		if m.device != "" {
			reads = append(reads, serverRead{&oci.GroupAccessDeviceGetUserListRequest21sp1{ServiceProviderID: m.sp, GroupID: m.group, DeviceName: m.device},
				now.devices[i].take})
		}
	}
	if src.readsGroup() {
		g := &now.group
		reads = append(reads,
			serverRead{&oci.UserGetListInGroupRequest{ServiceProviderID: src.sp, GroupID: src.group}, g.takeUsers},
			serverRead{&oci.GroupAccessDeviceGetListRequest{ServiceProviderID: src.sp, GroupID: src.group}, g.takeDevices},
			serverRead{&oci.GroupDepartmentGetListRequest18{ServiceProviderID: src.sp, GroupID: src.group, IncludeEnterpriseDepartments: false}, g.takeDepts})
	}
	return reads
}

func (u *userNow) takeUser(resp oci.Response, err error) {
	switch r, ok := resp.(*oci.UserGetResponse23V2); {
	case broadworks.IsErrorCode(err, codeUserNotFound):
		u.gone = true
	case err != nil:
		u.err = err
	case !ok:
		u.err = fmt.Errorf("unexpected answer %s", resp.OCIName())
	default:
		u.sp, u.group = r.ServiceProviderID, r.GroupID
		if r.PhoneNumber != nil {
			u.number = *r.PhoneNumber
		}
	}
}

func (u *userNow) takeServices(resp oci.Response, err error) {
	l, ok := resp.(*oci.UserServiceGetAssignmentListResponse)
	if err != nil || !ok {
		return
	}
	u.assigned = []string{}
	add := func(t oci.Table, col string) {
		for r := range t.Rows {
			if strings.EqualFold(t.Col(r, "Assigned"), "true") {
				u.assigned = append(u.assigned, t.Col(r, col))
			}
		}
	}
	add(l.UserServicesAssignmentTable, "Service Name")
	add(l.ServicePacksAssignmentTable, "Service Pack Name")
}

func (dn *deviceNow) take(resp oci.Response, err error) {
	switch l, ok := resp.(*oci.GroupAccessDeviceGetUserListResponse21sp1); {
	case broadworks.IsErrorCode(err, codeDeviceNotFound), broadworks.IsErrorCode(err, codeGroupNotFound):
		dn.gone = true
	case err != nil:
		dn.err = err
	case !ok:
		dn.err = fmt.Errorf("unexpected answer %s", resp.OCIName())
	default:
		for r := range l.DeviceUserTable.Rows {
			dn.users = append(dn.users, l.DeviceUserTable.Col(r, "User Id"))
		}
	}
}

func (g *groupNow) takeUsers(resp oci.Response, err error) {
	g.gone = broadworks.IsErrorCode(err, codeGroupNotFound)
	if l, ok := resp.(*oci.UserGetListInGroupResponse); ok && err == nil {
		g.usersRead = true
		for r := range l.UserTable.Rows {
			g.users = append(g.users, groupUser{id: l.UserTable.Col(r, "User Id"), department: l.UserTable.Col(r, "Department")})
		}
	}
}

func (g *groupNow) takeDevices(resp oci.Response, err error) {
	if l, ok := resp.(*oci.GroupAccessDeviceGetListResponse); ok && err == nil {
		for r := range l.AccessDeviceTable.Rows {
			g.devices = append(g.devices, l.AccessDeviceTable.Col(r, "Device Name"))
		}
	}
}

func (g *groupNow) takeDepts(resp oci.Response, err error) {
	if l, ok := resp.(*oci.GroupDepartmentGetListResponse18); ok && err == nil {
		g.deptsRead = true
		for r := range l.DepartmentTable.Rows {
			g.depts = append(g.depts, groupDept{name: l.DepartmentTable.Col(r, "Department Name"),
				enterprise: strings.EqualFold(l.DepartmentTable.Col(r, "Is Enterprise Department"), "true")})
		}
	}
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
