package jobs

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// undoOutcome is a plan in a few comparable words: each user deleted (with
// its device), each undo job as its row and commands, the cleanup.
type undoOutcome struct {
	Users      []string
	Devices    []string
	Numbers    int
	Department string
	Group      bool
	Jobs       []string
	Cleanup    []string
	Kept, Lost []string
}

func outcomeOf(p *UndoPlan) undoOutcome {
	o := undoOutcome{Devices: p.Devices, Numbers: p.Numbers, Department: p.Department, Group: p.Group, Kept: p.Kept, Lost: p.Lost}
	for _, u := range p.Users {
		s := u.UserID
		if u.Device != "" {
			s += "+" + u.Device
		}
		if u.Number != "" {
			s += "#" + u.Number
		}
		o.Users = append(o.Users, s)
	}
	for _, j := range p.Spec.Jobs {
		var names []string
		for _, c := range j.Commands {
			names = append(names, strings.TrimSuffix(c.OCIName(), "Request"))
		}
		o.Jobs = append(o.Jobs, fmt.Sprintf("%d %s of %s: %s", j.Row, j.UserID, j.Fields["undo.of"], strings.Join(names, ", ")))
	}
	for _, c := range p.Spec.Teardown {
		o.Cleanup = append(o.Cleanup, strings.TrimSuffix(c.OCIName(), "Request")+" "+fieldString(c, "DeviceName", "DepartmentName", "GroupID"))
	}
	return o
}

// madeUser is what job id (on row id too) made: a user (or none) in sp/g
// and a device (or none).
func madeUser(id int64, user, device string, services ...string) *made {
	return &made{job: Job{ID: id, Row: int(id)}, userID: user, device: device, sp: "sp", group: "g", services: services}
}

func here(number string, assigned ...string) userNow {
	return userNow{sp: "sp", group: "g", number: number, assigned: assigned}
}

func onDevice(users ...string) deviceNow { return deviceNow{users: users} }

// emptyGroup is the group holding only what made the users u1..u3 and
// devices d1..d3, and department Night.
func emptyGroup() groupNow {
	return groupNow{usersRead: true, deptsRead: true,
		users:   []groupUser{{id: "u1", department: "Night"}, {id: "U2"}},
		devices: []string{"d1"},
		depts:   []groupDept{{name: "Night"}, {name: "Ent", enterprise: true}}}
}

var errBoom = errors.New("boom")

// TestDecideUndo covers each decision of an undo: what it deletes, in
// which job, and what it leaves and why, from what the task made and what
// the server holds now.
func TestDecideUndo(t *testing.T) {
	one := func(m *made, u userNow, d deviceNow) (*undoSource, *undoNow) {
		return &undoSource{made: []*made{m}}, &undoNow{users: []userNow{u}, devices: []deviceNow{d}}
	}
	type tc struct {
		name    string
		src     *undoSource
		now     *undoNow
		err     string // the error, "" for none
		nothing bool   // ErrNothingToUndo, with the plan
		want    undoOutcome
	}
	cases := []tc{}
	add := func(c tc) { cases = append(cases, c) }

	// Users.
	src, now := one(madeUser(1, "u1", "d1"), here("2025550100"), onDevice("u1"))
	add(tc{name: "a user still in its group is deleted, with its number and its own device in its job", src: src, now: now,
		want: undoOutcome{Users: []string{"u1+d1#2025550100"}, Devices: []string{"d1"}, Numbers: 1,
			Jobs: []string{"1 u1 of 1: UserDelete, GroupAccessDeviceDelete"}}})
	src, now = one(madeUser(1, "u1", ""), here(""), deviceNow{})
	add(tc{name: "a user without a number gives none back", src: src, now: now,
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{sp: "SP", group: "G"}, deviceNow{})
	add(tc{name: "the group is compared without case", src: src, now: now,
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{gone: true}, deviceNow{})
	add(tc{name: "a user gone is left, and then nothing is to undo", src: src, now: now, nothing: true,
		want: undoOutcome{Kept: []string{"row 1: user u1 is no longer on the server"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{sp: "sp", group: "other"}, deviceNow{})
	add(tc{name: "a user in another group now is left", src: src, now: now, nothing: true,
		want: undoOutcome{Kept: []string{"row 1: user u1 is now in sp/other, not the user this task created: left"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{sp: "other", group: "g"}, deviceNow{})
	add(tc{name: "a user of another service provider now is left", src: src, now: now, nothing: true,
		want: undoOutcome{Kept: []string{"row 1: user u1 is now in other/g, not the user this task created: left"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{err: errBoom}, deviceNow{})
	add(tc{name: "a user that could not be read fails the plan", src: src, now: now, err: "jobs: undo task 7: reading user u1: boom"})
	add(tc{name: "services assigned since are lost, users with the same set together; the task's own (any case) are not",
		src: &undoSource{made: []*made{madeUser(1, "u1", "", "Voice Messaging User"), madeUser(2, "u2", ""), madeUser(3, "u3", ""), madeUser(4, "u4", "")}},
		now: &undoNow{users: []userNow{here("", "voice messaging user", "Call Waiting"), here("", "Call Waiting"), here("", "A", "Pack"), here("")},
			devices: make([]deviceNow, 4)},
		want: undoOutcome{Users: []string{"u1", "u2", "u3", "u4"},
			Jobs: []string{"1 u1 of 1: UserDelete", "2 u2 of 2: UserDelete", "3 u3 of 3: UserDelete", "4 u4 of 4: UserDelete"},
			Lost: []string{"2 users (u1, u2) have, which this task did not assign: Call Waiting", "1 user (u3) has, which this task did not assign: A, Pack"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{sp: "sp", group: "g"}, deviceNow{})
	add(tc{name: "services that could not be read lose nothing", src: src, now: now,
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"}}})
	src, now = one(madeUser(1, "u1", ""), userNow{gone: true}, deviceNow{})
	src.made[0].userID = ""
	src.made[0].device = ""
	add(tc{name: "a job that made neither is nothing to undo", src: src, now: now, nothing: true})

	// Devices.
	src, now = one(madeUser(1, "u1", "d1"), here(""), deviceNow{gone: true})
	add(tc{name: "a device gone is left; its user is deleted", src: src, now: now,
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"}, Kept: []string{"row 1: device d1 is no longer on the server"}}})
	src, now = one(madeUser(1, "u1", "d1"), here(""), deviceNow{err: errBoom})
	add(tc{name: "a device that could not be read fails the plan", src: src, now: now, err: "jobs: undo task 7: reading device d1: boom"})
	src, now = one(madeUser(1, "u1", "d1"), here(""), onDevice("u1", "other", "more"))
	add(tc{name: "a device another user shares is left", src: src, now: now,
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"},
			Kept: []string{"row 1: device d1 is used by other, more, which the undo does not delete: left"}}})
	src, now = one(madeUser(1, "u1", "d1"), here(""), onDevice())
	add(tc{name: "a device no one uses goes with its user", src: src, now: now,
		want: undoOutcome{Users: []string{"u1+d1"}, Devices: []string{"d1"}, Jobs: []string{"1 u1 of 1: UserDelete, GroupAccessDeviceDelete"}}})
	src, now = one(madeUser(1, "u1", "d1"), here(""), onDevice("U1"))
	add(tc{name: "a device its own user uses (any case) goes with it", src: src, now: now,
		want: undoOutcome{Users: []string{"u1+d1"}, Devices: []string{"d1"}, Jobs: []string{"1 u1 of 1: UserDelete, GroupAccessDeviceDelete"}}})
	src, now = one(madeUser(1, "", "d1"), userNow{}, onDevice())
	add(tc{name: "a device whose user the task did not make is deleted in a job of its own", src: src, now: now,
		want: undoOutcome{Devices: []string{"d1"}, Jobs: []string{"1  of 1: GroupAccessDeviceDelete"}}})
	src, now = one(madeUser(1, "u1", "d1"), userNow{gone: true}, onDevice())
	add(tc{name: "a device whose user is gone is deleted in a job of its own", src: src, now: now,
		want: undoOutcome{Devices: []string{"d1"}, Jobs: []string{"1  of 1: GroupAccessDeviceDelete"}, Kept: []string{"row 1: user u1 is no longer on the server"}}})
	add(tc{name: "a device users of several jobs use goes in the cleanup, after them",
		src: &undoSource{made: []*made{madeUser(1, "u1", "d1"), madeUser(2, "u2", "")}},
		now: &undoNow{users: []userNow{here(""), here("")}, devices: []deviceNow{onDevice("u1", "u2"), {}}},
		want: undoOutcome{Users: []string{"u1", "u2"}, Devices: []string{"d1"}, Jobs: []string{"1 u1 of 1: UserDelete", "2 u2 of 2: UserDelete"},
			Cleanup: []string{"GroupAccessDeviceDelete d1"}}})
	add(tc{name: "a device the user of another job uses goes in the cleanup, even when its own user is not deleted",
		src: &undoSource{made: []*made{madeUser(1, "", "d1"), madeUser(2, "u2", "")}},
		now: &undoNow{users: []userNow{{}, here("")}, devices: []deviceNow{onDevice("u2"), {}}},
		want: undoOutcome{Users: []string{"u2"}, Devices: []string{"d1"}, Jobs: []string{"2 u2 of 2: UserDelete"},
			Cleanup: []string{"GroupAccessDeviceDelete d1"}}})
	add(tc{name: "devices are listed in order; jobs of devices alone come after the users' jobs",
		src: &undoSource{made: []*made{madeUser(1, "", "d9"), madeUser(2, "u2", "d1")}},
		now: &undoNow{users: []userNow{{}, here("")}, devices: []deviceNow{onDevice(), onDevice()}},
		want: undoOutcome{Users: []string{"u2+d1"}, Devices: []string{"d1", "d9"},
			Jobs: []string{"2 u2 of 2: UserDelete, GroupAccessDeviceDelete", "1  of 1: GroupAccessDeviceDelete"}}})
	add(tc{name: "the first job's unreadable device fails the plan before a later job's user",
		src: &undoSource{made: []*made{madeUser(1, "u1", "d1"), madeUser(2, "u2", "")}},
		now: &undoNow{users: []userNow{here(""), {err: errBoom}}, devices: []deviceNow{{err: errors.New("first")}, {}}},
		err: "jobs: undo task 7: reading device d1: first"})
	add(tc{name: "what is left is listed users first, then devices",
		src: &undoSource{made: []*made{madeUser(1, "u1", "d1"), madeUser(2, "u2", "")}},
		now: &undoNow{users: []userNow{here(""), {gone: true}}, devices: []deviceNow{{gone: true}, {}}},
		want: undoOutcome{Users: []string{"u1"}, Jobs: []string{"1 u1 of 1: UserDelete"},
			Kept: []string{"row 2: user u2 is no longer on the server", "row 1: device d1 is no longer on the server"}}})

	// The department and the group, in a whole undo.
	three := func(g groupNow, madeGroup bool, dept string) (*undoSource, *undoNow) {
		return &undoSource{whole: true, madeGroup: madeGroup, department: dept,
				made: []*made{madeUser(1, "u1", "d1"), madeUser(2, "u2", "")}},
			&undoNow{users: []userNow{here(""), here("")}, devices: []deviceNow{onDevice("u1"), {}}, group: g}
	}
	usersJobs := []string{"1 u1 of 1: UserDelete, GroupAccessDeviceDelete", "2 u2 of 2: UserDelete"}
	deleted := []string{"u1+d1", "u2"}
	src, now = three(emptyGroup(), true, "Night")
	add(tc{name: "a group the undo leaves empty is deleted, its department with it", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Department: "Night", Group: true, Jobs: usersJobs,
			Cleanup: []string{"GroupDelete g"}, Lost: []string{"group g: its settings, and the phone numbers assigned to it go back to sp"}}})
	src, now = three(emptyGroup(), false, "Night")
	add(tc{name: "a department the undo leaves empty is deleted when the task did not make the group", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Department: "Night", Jobs: usersJobs,
			Cleanup: []string{"GroupDepartmentDelete Night"}}})
	src, now = three(groupNow{gone: true}, true, "Night")
	add(tc{name: "a group gone is left, its department too", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{"group g is no longer on the server"}}})
	src, now = three(groupNow{deptsRead: true, depts: []groupDept{{name: "Night"}}}, true, "Night")
	add(tc{name: "a group whose users could not be read is left, its department too", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs,
			Kept: []string{"the group's users could not be read: its department and the group are left"}}})
	g := emptyGroup()
	g.depts = g.depts[1:]
	src, now = three(g, false, "Night")
	add(tc{name: "a department gone is left", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{"department Night is no longer on the server"}}})
	g = emptyGroup()
	g.deptsRead, g.depts = false, nil
	src, now = three(g, true, "Night")
	add(tc{name: "departments that could not be read: the department is taken as gone, the group as holding none", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Group: true, Jobs: usersJobs, Kept: []string{"department Night is no longer on the server"},
			Cleanup: []string{"GroupDelete g"}, Lost: []string{"group g: its settings, and the phone numbers assigned to it go back to sp"}}})
	g = emptyGroup()
	g.users = append(g.users, groupUser{id: "other", department: "Night"})
	src, now = three(g, true, "Night")
	add(tc{name: "a department another user is in is left, and so the group holding both", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{
			"department Night holds 1 other user (other), which the undo does not delete: left",
			"group g holds 1 other user (other) and 1 other department (Night), which the task did not create: left"}}})
	g = emptyGroup()
	for i := range 6 {
		g.users = append(g.users, groupUser{id: fmt.Sprintf("o%d", i), department: "Day"})
	}
	g.devices = append(g.devices, "odev")
	g.depts = append(g.depts, groupDept{name: "Day"})
	src, now = three(g, true, "")
	add(tc{name: "a group holding other users, devices and departments (not the enterprise's) is left", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{
			"group g holds 6 other users (o0, o1, o2, o3, o4, …) and 1 other device (odev) and 2 other departments (Night, Day), which the task did not create: left"}}})
	g = emptyGroup()
	g.devices = []string{"d1", "odev"}
	src, now = three(g, true, "Night")
	now.devices[0] = onDevice("u1", "stays")
	add(tc{name: "a device the undo leaves keeps the group", src: src, now: now,
		want: undoOutcome{Users: []string{"u1", "u2"}, Department: "Night", Jobs: []string{"1 u1 of 1: UserDelete", "2 u2 of 2: UserDelete"},
			Cleanup: []string{"GroupDepartmentDelete Night"},
			Kept: []string{"row 1: device d1 is used by stays, which the undo does not delete: left",
				"group g holds 2 other devices (d1, odev), which the task did not create: left"}}})
	g = emptyGroup()
	g.devices = nil
	src, now = three(g, true, "Night")
	add(tc{name: "a group whose devices could not be read is taken as holding none", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Department: "Night", Group: true, Jobs: usersJobs,
			Cleanup: []string{"GroupDelete g"}, Lost: []string{"group g: its settings, and the phone numbers assigned to it go back to sp"}}})
	src, now = three(emptyGroup(), true, "Night")
	src.whole = false
	add(tc{name: "a partial undo leaves the department and the group", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{"a partial undo leaves the department and group the task created"}}})
	src, now = three(emptyGroup(), false, "")
	src.whole = false
	add(tc{name: "a partial undo of a task that made no group nor department says nothing of them", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs}})
	src, now = three(emptyGroup(), false, "")
	src.madeSP = true
	add(tc{name: "a service provider the task made is left, and said first", src: src, now: now,
		want: undoOutcome{Users: deleted, Devices: []string{"d1"}, Jobs: usersJobs, Kept: []string{
			"service provider sp, which the task created, is left: bwbulk does not delete service providers"}}})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.src.task = Task{ID: 7, Description: "d"}
			if c.src.sp == "" {
				c.src.sp, c.src.group = "sp", "g"
			}
			c.src.admin, c.src.server, c.src.osUser = "adm", "srv", "osu"
			p, err := decideUndo(c.src, c.now)
			switch {
			case c.err != "":
				if err == nil || err.Error() != c.err || p != nil {
					t.Fatalf("err = %v (plan %v), want %q", err, p, c.err)
				}
				return
			case c.nothing:
				if !errors.Is(err, ErrNothingToUndo) || p == nil || !p.Empty() {
					t.Fatalf("err = %v, plan %+v; want ErrNothingToUndo with an empty plan", err, p)
				}
			case err != nil:
				t.Fatal(err)
			}
			if got := outcomeOf(p); !reflect.DeepEqual(got, c.want) {
				t.Errorf("plan\n%#v\nwant\n%#v", got, c.want)
			}
			want := TaskSpec{OSUser: "osu", Admin: "adm", Server: "srv", UndoOf: 7,
				Description: fmt.Sprintf("undo of task 7: %d %s in sp/g", len(p.Users), plural(len(p.Users), "user", "users"))}
			got := p.Spec
			got.Jobs, got.Teardown = nil, nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("spec %+v, want %+v", got, want)
			}
		})
	}
}
