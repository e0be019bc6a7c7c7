package jobs

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"bwbulk/broadworks/oci"
)

// The decision of an undo: from what the task made (undoSource, read from
// the store) and what the server holds of it now (undoNow, read from the
// server), what the undo deletes and what it leaves, and why. It does no
// I/O.

// undoSource is what the task to undo made, from the store.
type undoSource struct {
	task      Task
	sp, group string
	// department is the department the task's setup created ("" for none);
	// madeGroup and madeSP say whether it created the group and a service
	// provider.
	department        string
	madeGroup, madeSP bool
	// whole is an undo of every job of the task (not of some chosen).
	whole bool
	made  []*made
	// Who runs the undo, where (TaskSpec).
	admin, server, osUser string
}

// readsGroup reports whether the undo reads the group: a whole undo of a
// task that created the group or a department in it.
func (s *undoSource) readsGroup() bool {
	return s.whole && (s.madeGroup || s.department != "")
}

// undoNow is what the server holds now of what the task made.
type undoNow struct {
	users   []userNow   // by index in undoSource.made (zero where it made no user)
	devices []deviceNow // likewise
	group   groupNow    // read when undoSource.readsGroup
}

// userNow is a user the task made, as the server has it now.
type userNow struct {
	err       error // it could not be read
	gone      bool  // no longer on the server
	sp, group string
	number    string
	// assigned lists the services, then the packs, assigned to it; nil
	// when they could not be read.
	assigned []string
}

// deviceNow is a device the task made, as the server has it now.
type deviceNow struct {
	err   error // it could not be read
	gone  bool  // no longer on the server (nor its group)
	users []string
}

// groupNow is the task's group as the server has it now. A list not read
// (its read failed, or answered something else) is empty, and its users
// and departments are not …Read.
type groupNow struct {
	gone                 bool
	usersRead, deptsRead bool
	users                []groupUser
	devices              []string
	depts                []groupDept
}

type groupUser struct{ id, department string }

type groupDept struct {
	name       string
	enterprise bool
}

// undoDecision is the plan as decideUndo builds it.
type undoDecision struct {
	src *undoSource
	now *undoNow
	p   *UndoPlan
	// deleted holds the ids (lower case) of the users the undo deletes.
	deleted map[string]bool
	// since maps each set of services bwbulk did not assign to the users
	// that have it, in the order first seen.
	since      map[string][]string
	sinceOrder []string
	devs       []int // indexes in made of the devices read
	jobs       []JobSpec
	byJob      map[int64]int // source job id → index in jobs
	cleanup    []oci.Request
}

// decideUndo plans the undo of what src made from what the server holds
// now. It fails when a user or device could not be read; it returns the
// plan with ErrNothingToUndo when the plan deletes nothing.
func decideUndo(src *undoSource, now *undoNow) (*UndoPlan, error) {
	d := &undoDecision{src: src, now: now, deleted: map[string]bool{}, since: map[string][]string{}, byJob: map[int64]int{},
		p: &UndoPlan{Source: src.task, ServiceProviderID: src.sp, GroupID: src.group, Department: src.department}}
	p := d.p
	if src.madeSP {
		p.Kept = append(p.Kept, fmt.Sprintf("service provider %s, which the task created, is left: bwbulk does not delete service providers", src.sp))
	}
	for i, m := range src.made {
		if err := d.user(i, m); err != nil {
			return nil, err
		}
		if err := d.device(i, m); err != nil {
			return nil, err
		}
	}
	for _, k := range d.sinceOrder {
		us := d.since[k]
		p.Lost = append(p.Lost, fmt.Sprintf("%s %s, which this task did not assign: %s",
			countList(us, "user"), plural(len(us), "has", "have"), k))
	}
	for _, i := range d.devs {
		d.decideDevice(src.made[i], now.devices[i])
	}
	switch {
	case src.readsGroup():
		d.group()
	case src.madeGroup || src.department != "":
		p.Kept = append(p.Kept, "a partial undo leaves the department and group the task created")
		p.Department = ""
	}
	sort.Strings(p.Devices)
	p.Spec = TaskSpec{
		Description: fmt.Sprintf("undo of task %d: %d %s in %s/%s", src.task.ID, len(p.Users), plural(len(p.Users), "user", "users"), p.ServiceProviderID, p.GroupID),
		OSUser:      src.osUser, Admin: src.admin, Server: src.server,
		Jobs: d.jobs, Teardown: d.cleanup, UndoOf: src.task.ID,
	}
	if p.Empty() {
		return p, fmt.Errorf("%w: what task %d created is gone or is no longer its own", ErrNothingToUndo, src.task.ID)
	}
	return p, nil
}

// user decides on the user made[i] made: deleted when it is still in the
// task's group, with what it has that the task did not assign listed as
// lost; left when it is gone or moved.
func (d *undoDecision) user(i int, m *made) error {
	if m.userID == "" {
		return nil
	}
	p, u := d.p, d.now.users[i]
	switch {
	case u.gone:
		p.Kept = append(p.Kept, fmt.Sprintf("row %d: user %s is no longer on the server", m.job.Row, m.userID))
		return nil
	case u.err != nil:
		return fmt.Errorf("jobs: undo task %d: reading user %s: %w", d.src.task.ID, m.userID, u.err)
	case !strings.EqualFold(u.sp, m.sp) || !strings.EqualFold(u.group, m.group):
		p.Kept = append(p.Kept, fmt.Sprintf("row %d: user %s is now in %s/%s, not the user this task created: left", m.job.Row, m.userID, u.sp, u.group))
		return nil
	}
	uu := UndoUser{JobID: m.job.ID, Row: m.job.Row, UserID: m.userID, Number: u.number}
	if u.number != "" {
		p.Numbers++
	}
	p.Users = append(p.Users, uu)
	d.deleted[strings.ToLower(m.userID)] = true
	d.byJob[m.job.ID] = len(d.jobs)
	d.jobs = append(d.jobs, JobSpec{Row: m.job.Row, UserID: m.userID, Commands: []oci.Request{&oci.UserDeleteRequest{UserID: m.userID}},
		Fields: map[string]string{"undo.of": fmt.Sprint(m.job.ID)}})
	if extra := notAssignedBy(u.assigned, m.services); len(extra) > 0 {
		k := strings.Join(extra, ", ")
		if _, ok := d.since[k]; !ok {
			d.sinceOrder = append(d.sinceOrder, k)
		}
		d.since[k] = append(d.since[k], m.userID)
	}
	return nil
}

// device notes the device made[i] made, to be decided once every user is
// (decideDevice).
func (d *undoDecision) device(i int, m *made) error {
	if m.device == "" {
		return nil
	}
	if dn := d.now.devices[i]; !dn.gone && dn.err != nil {
		return fmt.Errorf("jobs: undo task %d: reading device %s: %w", d.src.task.ID, m.device, dn.err)
	}
	d.devs = append(d.devs, i)
	return nil
}

// decideDevice decides on a device m made: left when it is gone or one
// of its users stays; else deleted in its own user's job, in a job of its
// own when the undo deletes none of its users, or in the cleanup when its
// users are deleted by other jobs.
func (d *undoDecision) decideDevice(m *made, dn deviceNow) {
	p := d.p
	if dn.gone {
		p.Kept = append(p.Kept, fmt.Sprintf("row %d: device %s is no longer on the server", m.job.Row, m.device))
		return
	}
	var others, ours []string
	for _, u := range dn.users {
		if d.deleted[strings.ToLower(u)] {
			ours = append(ours, u)
		} else {
			others = append(others, u)
		}
	}
	if len(others) > 0 {
		p.Kept = append(p.Kept, fmt.Sprintf("row %d: device %s is used by %s, which the undo does not delete: left",
			m.job.Row, m.device, strings.Join(others, ", ")))
		return
	}
	p.Devices = append(p.Devices, m.device)
	del := &oci.GroupAccessDeviceDeleteRequest{ServiceProviderID: m.sp, GroupID: m.group, DeviceName: m.device}
	i, hasJob := d.byJob[m.job.ID]
	switch {
	case hasJob && (len(ours) == 0 || len(ours) == 1 && strings.EqualFold(ours[0], m.userID)):
		d.jobs[i].Commands = append(d.jobs[i].Commands, del)
		p.Users[userIndex(p.Users, m.job.ID)].Device = m.device
	case len(ours) == 0:
		d.byJob[m.job.ID] = len(d.jobs)
		d.jobs = append(d.jobs, JobSpec{Row: m.job.Row, Commands: []oci.Request{del},
			Fields: map[string]string{"undo.of": fmt.Sprint(m.job.ID)}})
	default:
		d.cleanup = append(d.cleanup, del)
	}
}

// group decides on the department and the group the task created, in a
// whole undo: each is deleted when the undo leaves it empty.
func (d *undoDecision) group() {
	p, g := d.p, d.now.group
	madeGroup := d.src.madeGroup
	switch {
	case g.gone:
		p.Kept = append(p.Kept, fmt.Sprintf("group %s is no longer on the server", p.GroupID))
		p.Department, madeGroup = "", false
	case !g.usersRead:
		p.Kept = append(p.Kept, "the group's users could not be read: its department and the group are left")
		p.Department, madeGroup = "", false
	}
	var otherUsers, inDept []string
	for _, u := range g.users {
		if d.deleted[strings.ToLower(u.id)] {
			continue
		}
		otherUsers = append(otherUsers, u.id)
		if p.Department != "" && u.department == p.Department {
			inDept = append(inDept, u.id)
		}
	}
	if p.Department != "" {
		switch {
		case !g.deptsRead || !slices.ContainsFunc(g.depts, func(x groupDept) bool { return x.name == p.Department }):
			p.Kept = append(p.Kept, fmt.Sprintf("department %s is no longer on the server", p.Department))
			p.Department = ""
		case len(inDept) > 0:
			p.Kept = append(p.Kept, fmt.Sprintf("department %s holds %s, which the undo does not delete: left", p.Department, countList(inDept, "other user")))
			p.Department = ""
		}
	}
	if madeGroup {
		if holds := d.groupHolds(otherUsers); len(holds) > 0 {
			p.Kept = append(p.Kept, fmt.Sprintf("group %s holds %s, which the task did not create: left", p.GroupID, strings.Join(holds, " and ")))
		} else {
			p.Group = true
		}
	}
	if p.Department != "" && !p.Group {
		d.cleanup = append(d.cleanup, &oci.GroupDepartmentDeleteRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID, DepartmentName: p.Department})
	}
	if p.Group {
		d.cleanup = append(d.cleanup, &oci.GroupDeleteRequest{ServiceProviderID: p.ServiceProviderID, GroupID: p.GroupID})
		p.Lost = append(p.Lost, fmt.Sprintf("group %s: its settings, and the phone numbers assigned to it go back to %s", p.GroupID, p.ServiceProviderID))
	}
}

// groupHolds lists what the group holds that the undo leaves: the other
// users, the devices it does not delete, the departments of the group
// but the one it deletes. A list not read counts as empty.
func (d *undoDecision) groupHolds(otherUsers []string) []string {
	p, g := d.p, d.now.group
	var otherDevices, otherDepts, holds []string
	for _, n := range g.devices {
		if !slices.Contains(p.Devices, n) {
			otherDevices = append(otherDevices, n)
		}
	}
	for _, x := range g.depts {
		if x.name != p.Department && !x.enterprise {
			otherDepts = append(otherDepts, x.name)
		}
	}
	if len(otherUsers) > 0 {
		holds = append(holds, countList(otherUsers, "other user"))
	}
	if len(otherDevices) > 0 {
		holds = append(holds, countList(otherDevices, "other device"))
	}
	if len(otherDepts) > 0 {
		holds = append(holds, countList(otherDepts, "other department"))
	}
	return holds
}

// notAssignedBy lists the names in assigned that are not in byTask
// (compared case-insensitively).
func notAssignedBy(assigned, byTask []string) []string {
	var out []string
	for _, n := range assigned {
		if !slices.ContainsFunc(byTask, func(s string) bool { return strings.EqualFold(s, n) }) {
			out = append(out, n)
		}
	}
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
