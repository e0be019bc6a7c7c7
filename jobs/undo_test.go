package jobs

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// undoAndWait plans the undo of task id, stores it and runs it to the end.
func undoAndWait(t *testing.T, h *runnerHarness, pool func(ctx context.Context) (*broadworks.Pool, error), id int64, o *UndoOptions) (*UndoPlan, Task) {
	t.Helper()
	ctx := context.Background()
	p, err := pool(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	plan, err := PlanUndo(ctx, h.store, p, id, o)
	if err != nil {
		t.Fatalf("plan undo of task %d: %v", id, err)
	}
	uid, err := h.store.CreateTask(ctx, plan.Spec)
	if err != nil {
		t.Fatal(err)
	}
	return plan, h.waitTask(uid, 30*time.Second, StatusCompleted, StatusFailed)
}

// A task that created its group, a department, users with devices and
// numbers: the undo removes all of it, and touches no other group.
func TestUndo_completedTaskWithItsGroup(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	hqBefore := srv.UsersInGroup("acme-ent", "acme-hq")
	us := bulkUsers(12)
	setup := append(bulkSetup(12), &oci.GroupDepartmentAddRequest{ServiceProviderID: "acme-ent", GroupID: "acme-bulk", DepartmentName: "Night"})
	id, err := st.CreateTask(ctx, taskOf(us, setup))
	if err != nil {
		t.Fatal(err)
	}
	connect := dialer(srv.Addr().String(), 4)
	h := startRunner(t, st, connect, nil)
	if task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed); task.Status != StatusCompleted {
		t.Fatalf("task: %+v", task)
	}
	plan, undo := undoAndWait(t, h, connect, id, nil)
	if len(plan.Users) != 12 || len(plan.Devices) != 12 || plan.Numbers != 12 || !plan.Group || plan.Department != "Night" {
		t.Fatalf("plan: %d users, %d devices, %d numbers, group %v, department %q\n%s", len(plan.Users), len(plan.Devices), plan.Numbers, plan.Group, plan.Department, plan.Summary())
	}
	if plan.Confirmation() != "acme-bulk" {
		t.Errorf("confirmation %q", plan.Confirmation())
	}
	if undo.Status != StatusCompleted || undo.UndoOf != id || undo.Cleanup != 1 || undo.CleanupDone != 1 {
		t.Fatalf("undo task: %+v", undo)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			t.Errorf("user %s still there", u.userID)
		}
	}
	if srv.HasGroup("acme-ent", "acme-bulk") {
		t.Error("group acme-bulk still there")
	}
	if after := srv.UsersInGroup("acme-ent", "acme-hq"); len(after) != len(hqBefore) {
		t.Errorf("acme-hq: %d users, had %d", len(after), len(hqBefore))
	}
	// Each delete was sent once.
	sends, err := st.sends(ctx, undo.ID)
	if err != nil {
		t.Fatal(err)
	}
	for job, n := range sends {
		if n != 2 {
			t.Errorf("undo job %d sent %d commands, want 2 (user, device)", job, n)
		}
	}
	// A second undo finds nothing of the task left.
	p, _ := connect(ctx)
	defer p.Close()
	if _, err := PlanUndo(ctx, st, p, id, nil); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("second undo: %v, want ErrNothingToUndo", err)
	}
	if _, err := PlanUndo(ctx, st, p, undo.ID, nil); !errors.Is(err, ErrTaskState) {
		t.Errorf("undo of an undo: %v", err)
	}
}

// A task in an existing group, changed since: a service assigned to one
// of its users is listed as lost; a device another user now shares is
// left; a user the task could not create (it existed) is not deleted.
func TestUndo_partlyFailedTaskLeavesWhatItDidNotMake(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("pf", 4)
	for i := range us {
		us[i].number = ""
	}
	// Row 3 is a user that exists already, with a new device of its own:
	// the device is made, the user add fails.
	us[2].userID = "branch.user01@acme.example.com"
	us[2].group = "acme-hq"
	spec := taskOf(us, nil)
	spec.Jobs[1].Commands[0].(*oci.GroupAccessDeviceAddRequest22V2).DeviceType = "Grandstream GXP2170" // 12 ports
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	connect := dialer(srv.Addr().String(), 2)
	h := startRunner(t, st, connect, nil)
	task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Failed != 1 || task.Completed != 3 {
		t.Fatalf("task: %+v", task)
	}
	// Since: a service for row 1's user; row 2's device shared by another
	// user (added outside bwbulk).
	p, _ := connect(ctx)
	defer p.Close()
	if _, err := p.Do(ctx, &oci.UserServiceAssignListRequest{UserID: us[0].userID, ServiceName: []string{"Voice Messaging User"}}); err != nil {
		t.Fatal(err)
	}
	other := &oci.UserAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-hq", UserID: "sharer@acme.example.com",
		LastName: "Sharer", FirstName: "Sam", CallingLineIDLastName: "Sharer", CallingLineIDFirstName: "Sam",
		AccessDeviceEndpoint: &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
			AccessDevice: oci.GroupDevice(us[1].device), LinePort: "sharer@acme.example.com"}}
	if _, err := p.Do(ctx, other); err != nil {
		t.Fatal(err)
	}
	before, _ := srv.User("branch.user01@acme.example.com")

	plan, undo := undoAndWait(t, h, connect, id, nil)
	if undo.Status != StatusCompleted {
		js, _ := st.Jobs(ctx, undo.ID, Filter{})
		t.Fatalf("undo: %+v %+v", undo, js)
	}
	if len(plan.Users) != 3 {
		t.Errorf("plan deletes %d users, want 3: %+v", len(plan.Users), plan.Users)
	}
	kept, lost := strings.Join(plan.Kept, "\n"), strings.Join(plan.Lost, "\n")
	if !strings.Contains(kept, us[1].device) || !strings.Contains(kept, "sharer@acme.example.com") {
		t.Errorf("kept does not list the shared device: %s", kept)
	}
	if !strings.Contains(lost, "Voice Messaging User") || !strings.Contains(lost, us[0].userID) {
		t.Errorf("lost does not list the service: %s", lost)
	}
	for _, i := range []int{0, 1, 3} {
		if _, ok := srv.User(us[i].userID); ok {
			t.Errorf("user %s still there", us[i].userID)
		}
	}
	if after, ok := srv.User("branch.user01@acme.example.com"); !ok || after.GroupID != before.GroupID {
		t.Errorf("the user the task did not create was touched: %+v %v", after, ok)
	}
	if _, ok := srv.User("sharer@acme.example.com"); !ok {
		t.Error("the other user was deleted")
	}
	if _, ok := srv.Device("acme-ent", "acme-hq", us[1].device); !ok {
		t.Error("the shared device was deleted")
	}
	for _, i := range []int{0, 2, 3} {
		if _, ok := srv.Device("acme-ent", "acme-hq", us[i].device); ok {
			t.Errorf("device %s still there", us[i].device)
		}
	}
}

// A cancelled task, and a partial undo of chosen jobs.
func TestUndo_cancelledAndPartial(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 20 * time.Millisecond})
	st := openTestStore(t, nil)
	ctx := context.Background()
	id, us := storeNumberlessTask(t, st, "cx", 40)
	connect := dialer(srv.Addr().String(), 1)
	h := startRunner(t, st, connect, &RunnerOptions{BatchSize: 2, Sessions: 1})
	deadline := time.Now().Add(20 * time.Second)
	for {
		tk, _ := st.Task(ctx, id)
		if tk.Completed >= 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := h.runner.Cancel(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	task := h.waitTask(id, 30*time.Second, StatusCancelled)
	for task.Running > 0 {
		time.Sleep(5 * time.Millisecond)
		task, _ = st.Task(ctx, id)
	}
	made := 0
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			made++
		}
	}
	if made == 0 || task.Cancelled == 0 {
		t.Fatalf("cancelled task made %d of %d users (%+v)", made, len(us), task)
	}
	// Partial: the first two completed jobs only.
	done, _ := st.Jobs(ctx, id, Filter{Status: StatusCompleted})
	chosen := []int64{done[0].ID, done[1].ID}
	plan, undo := undoAndWait(t, h, connect, id, &UndoOptions{Jobs: chosen})
	if len(plan.Users) != 2 || undo.Status != StatusCompleted {
		t.Fatalf("partial undo: %d users, %+v", len(plan.Users), undo)
	}
	left := 0
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			left++
		}
	}
	if left != made-2 {
		t.Fatalf("after a partial undo of 2: %d users left, want %d", left, made-2)
	}
	// The rest: every user and device the cancelled task made is gone.
	_, undo = undoAndWait(t, h, connect, id, nil)
	if undo.Status != StatusCompleted {
		t.Fatalf("undo: %+v", undo)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			t.Errorf("user %s still there", u.userID)
		}
		if _, ok := srv.Device("acme-ent", "acme-hq", u.device); ok {
			t.Errorf("device %s still there", u.device)
		}
	}
}

// An undo killed (SIGKILL) half way resumes in a new process: every user,
// device and the group are deleted, none twice, nothing else touched.
func TestUndo_crashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 3 * time.Millisecond})
	dir := t.TempDir()
	key := make([]byte, 32)
	rand.Read(key)
	sec := newMemSecrets()
	sec.Set(KeyringService, KeyringDataKey, base64.StdEncoding.EncodeToString(key))
	const n = 300
	us := bulkUsers(n)
	ctx := context.Background()
	st := openStoreAt(t, dir, sec)
	id, err := st.CreateTask(ctx, taskOf(us, bulkSetup(n)))
	if err != nil {
		t.Fatal(err)
	}
	connect := dialer(srv.Addr().String(), 4)
	h := startRunner(t, st, connect, nil)
	if task := h.waitTask(id, time.Minute, StatusCompleted, StatusFailed); task.Status != StatusCompleted {
		t.Fatalf("task: %+v", task)
	}
	h.stop()
	hqBefore := len(srv.UsersInGroup("acme-ent", "acme-hq"))
	p, _ := connect(ctx)
	plan, err := PlanUndo(ctx, st, p, id, nil)
	p.Close()
	if err != nil || len(plan.Users) != n || !plan.Group {
		t.Fatalf("plan: %v %+v", err, plan)
	}
	uid, err := st.CreateTask(ctx, plan.Spec)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestRunner_CrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashAddr+"="+srv.Addr().String(),
		envCrashKey+"="+base64.StdEncoding.EncodeToString(key))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(srv.UsersInGroup("acme-ent", "acme-bulk")) > 2*n/3 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child made no progress")
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	left := len(srv.UsersInGroup("acme-ent", "acme-bulk"))

	st = openStoreAt(t, dir, sec)
	var inflight int
	st.r.QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE task_id = ? AND inflight = 1`, uid).Scan(&inflight)
	h = startRunner(t, st, connect, nil)
	undo := h.waitTask(uid, 2*time.Minute, StatusCompleted, StatusFailed)
	if undo.Status != StatusCompleted || undo.Completed != n || undo.CleanupDone != 1 {
		t.Fatalf("undo after resume: %+v", undo)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); ok {
			t.Errorf("user %s still there", u.userID)
		}
	}
	if srv.HasGroup("acme-ent", "acme-bulk") {
		t.Error("group still there")
	}
	if got := len(srv.UsersInGroup("acme-ent", "acme-hq")); got != hqBefore {
		t.Errorf("acme-hq has %d users, had %d", got, hqBefore)
	}
	audit, _ := st.Audit(ctx, uid)
	deletes := map[int64]int{}
	resolved := 0
	for _, a := range audit {
		if a.Command == "UserDeleteRequest" && a.Outcome == OutcomeSuccess {
			deletes[a.JobID]++
		}
		if a.Outcome == OutcomeApplied || a.Outcome == OutcomeNotApplied {
			resolved++
		}
	}
	for job, k := range deletes {
		if k > 1 {
			t.Errorf("job %d: user deleted %d times", job, k)
		}
	}
	msg := fmt.Sprintf("jobs: undo crash: killed with %d of %d users left; %d in flight, %d resolved by reading the server; 0 deleted twice",
		left, n, inflight, resolved)
	t.Log(msg)
	fmt.Println(msg)
}

// scriptedDoer answers each read with the result its command name maps
// to; a document fails whole with err when err is set.
type scriptedDoer struct {
	answers map[string]broadworks.Result
	err     error
}

func (d *scriptedDoer) Do(ctx context.Context, req oci.Request) (oci.Response, error) {
	rs, err := d.Batch(ctx, req)
	if err != nil {
		return nil, err
	}
	return rs[0].Response, rs[0].Err
}

func (d *scriptedDoer) Batch(ctx context.Context, reqs ...oci.Request) ([]broadworks.Result, error) {
	out := make([]broadworks.Result, len(reqs))
	for i, r := range reqs {
		if d.err != nil {
			out[i] = broadworks.Result{Request: r, Err: d.err}
			continue
		}
		out[i] = d.answers[r.OCIName()]
		out[i].Request = r
	}
	return out, d.err
}

func ociError(code int) error {
	return &oci.ErrorResponse{Type: oci.TypeError, Code: code, Summary: fmt.Sprintf("[Error %d] refused", code)}
}

// Each read of an undo decodes its own answer into what the decision
// takes: a user, its services, a device's users, the group's users,
// devices and departments; an error, an unexpected answer, or none.
func TestUndoReads_decode(t *testing.T) {
	table := func(headings []string, rows ...[]string) oci.Table { return oci.Table{Headings: headings, Rows: rows} }
	other := &oci.SuccessResponse{}
	boom := errors.New("boom")
	users := []struct {
		name string
		resp oci.Response
		err  error
		want userNow
	}{
		{"not found", nil, ociError(codeUserNotFound), userNow{gone: true}},
		{"refused", nil, ociError(4000), userNow{err: ociError(4000)}},
		{"failed", nil, boom, userNow{err: boom}},
		{"unexpected", other, nil, userNow{err: errors.New("unexpected answer c:SuccessResponse")}},
		{"with a number", &oci.UserGetResponse23V2{ServiceProviderID: "sp", GroupID: "g", PhoneNumber: oci.String("2025550100")}, nil,
			userNow{sp: "sp", group: "g", number: "2025550100"}},
		{"without", &oci.UserGetResponse23V2{ServiceProviderID: "sp", GroupID: "g"}, nil, userNow{sp: "sp", group: "g"}},
	}
	for _, c := range users {
		var u userNow
		u.takeUser(c.resp, c.err)
		if fmt.Sprint(u.err) != fmt.Sprint(c.want.err) || u.gone != c.want.gone || u.sp != c.want.sp || u.group != c.want.group || u.number != c.want.number {
			t.Errorf("user %s: %+v, want %+v", c.name, u, c.want)
		}
	}
	services := &oci.UserServiceGetAssignmentListResponse{
		UserServicesAssignmentTable: table([]string{"Service Name", "Assigned"}, []string{"A", "true"}, []string{"B", "false"}, []string{"C", "TRUE"}),
		ServicePacksAssignmentTable: table([]string{"Service Pack Name", "Assigned"}, []string{"P", "true"}, []string{"Q", "false"}),
	}
	for _, c := range []struct {
		name string
		resp oci.Response
		err  error
		want []string
	}{
		{"assigned", services, nil, []string{"A", "C", "P"}},
		{"none", &oci.UserServiceGetAssignmentListResponse{}, nil, []string{}},
		{"failed", services, boom, nil},
		{"unexpected", other, nil, nil},
	} {
		var u userNow
		u.takeServices(c.resp, c.err)
		if !reflect.DeepEqual(u.assigned, c.want) {
			t.Errorf("services %s: %#v, want %#v", c.name, u.assigned, c.want)
		}
	}
	for _, c := range []struct {
		name string
		resp oci.Response
		err  error
		want deviceNow
	}{
		{"not found", nil, ociError(codeDeviceNotFound), deviceNow{gone: true}},
		{"group not found", nil, ociError(codeGroupNotFound), deviceNow{gone: true}},
		{"failed", nil, boom, deviceNow{err: boom}},
		{"unexpected", other, nil, deviceNow{err: errors.New("unexpected answer c:SuccessResponse")}},
		{"users", &oci.GroupAccessDeviceGetUserListResponse21sp1{DeviceUserTable: table([]string{"User Id"}, []string{"a"}, []string{"b"})}, nil,
			deviceNow{users: []string{"a", "b"}}},
	} {
		var dn deviceNow
		dn.take(c.resp, c.err)
		if fmt.Sprint(dn.err) != fmt.Sprint(c.want.err) || dn.gone != c.want.gone || !reflect.DeepEqual(dn.users, c.want.users) {
			t.Errorf("device %s: %+v, want %+v", c.name, dn, c.want)
		}
	}
	var g groupNow
	g.takeUsers(nil, ociError(codeGroupNotFound))
	if !g.gone || g.usersRead {
		t.Errorf("group not found: %+v", g)
	}
	for _, err := range []error{boom, ociError(4000)} {
		g = groupNow{}
		g.takeUsers(nil, err)
		g.takeDevices(nil, err)
		g.takeDepts(nil, err)
		if !reflect.DeepEqual(g, groupNow{}) {
			t.Errorf("group read failing with %v: %+v", err, g)
		}
	}
	g = groupNow{}
	g.takeUsers(other, nil)
	g.takeDevices(other, nil)
	g.takeDepts(other, nil)
	if !reflect.DeepEqual(g, groupNow{}) {
		t.Errorf("group read answered otherwise: %+v", g)
	}
	g = groupNow{}
	g.takeUsers(&oci.UserGetListInGroupResponse{UserTable: table([]string{"User Id", "Department"}, []string{"a", "Night"}, []string{"b", ""})}, nil)
	g.takeDevices(&oci.GroupAccessDeviceGetListResponse{AccessDeviceTable: table([]string{"Device Name"}, []string{"d"})}, nil)
	g.takeDepts(&oci.GroupDepartmentGetListResponse18{DepartmentTable: table([]string{"Department Name", "Is Enterprise Department"},
		[]string{"Night", "false"}, []string{"Ent", "True"})}, nil)
	want := groupNow{usersRead: true, deptsRead: true, users: []groupUser{{"a", "Night"}, {"b", ""}}, devices: []string{"d"},
		depts: []groupDept{{"Night", false}, {"Ent", true}}}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("group: %+v, want %+v", g, want)
	}
}

// The reads go out in documents; each read takes its own answer, "no
// answer" when its document had none for it; they fail only when no
// document was answered.
func TestSendReads(t *testing.T) {
	ctx := context.Background()
	var got []string
	take := func(resp oci.Response, err error) {
		if err != nil {
			got = append(got, err.Error())
		} else {
			got = append(got, resp.OCIName())
		}
	}
	var reads []serverRead
	for range broadworks.MaxCommands + 1 {
		reads = append(reads, serverRead{&oci.UserGetRequest23V2{UserID: "u"}, take}, serverRead{&oci.UserDeleteRequest{UserID: "u"}, take})
	}
	d := &scriptedDoer{answers: map[string]broadworks.Result{"UserGetRequest23V2": {Response: &oci.UserGetResponse23V2{}}}}
	if err := sendReads(ctx, d, reads, 2); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(reads) {
		t.Fatalf("%d answers taken for %d reads", len(got), len(reads))
	}
	for i, g := range got {
		if want := []string{"UserGetResponse23V2", "no answer"}[i%2]; g != want {
			t.Fatalf("read %d took %q, want %q", i, g, want)
		}
	}
	got = nil
	d.err = broadworks.ErrNotLoggedIn
	if err := sendReads(ctx, d, reads[:2], 1); !errors.Is(err, broadworks.ErrNotLoggedIn) || got != nil {
		t.Fatalf("unsent: %v, took %v", err, got)
	}
}

// What PlanUndo gathers from the store before it reads the server: a task
// it can undo, the jobs chosen, the group its applied setup made.
func TestPlanUndo_gather(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t, nil)
	us := bulkUsers(2)
	spec := taskOf(us, append(bulkSetup(2), &oci.GroupDepartmentAddRequest{ServiceProviderID: "acme-ent", GroupID: "acme-bulk", DepartmentName: "Night"}))
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	d := &scriptedDoer{answers: map[string]broadworks.Result{}}
	if _, err := PlanUndo(ctx, st, d, id, nil); !errors.Is(err, ErrTaskState) || !strings.Contains(err.Error(), "let it finish") {
		t.Errorf("pending task: %v", err)
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE tasks SET status = 'completed', setup_step = 0 WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := PlanUndo(ctx, st, d, id, nil); !errors.Is(err, ErrNothingToUndo) || !strings.Contains(err.Error(), "created no user, device or group") {
		t.Errorf("nothing applied: %v", err)
	}
	js, _ := st.Jobs(ctx, id, Filter{})
	if _, err := PlanUndo(ctx, st, d, id, &UndoOptions{Jobs: []int64{js[0].ID, 999999}}); err == nil ||
		err.Error() != fmt.Sprintf("jobs: undo task %d: 1 of the 2 jobs chosen are not in it", id) {
		t.Errorf("a job not in the task: %v", err)
	}
	// The setup applied up to the group (its department not), the first
	// job's device made but not its user: every read answered "not found".
	if _, err := st.w.ExecContext(ctx, `UPDATE tasks SET setup_step = 2 WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.ExecContext(ctx, `UPDATE jobs SET step = 1 WHERE id = ?`, js[0].ID); err != nil {
		t.Fatal(err)
	}
	d.answers["GroupAccessDeviceGetUserListRequest21sp1"] = broadworks.Result{Err: ociError(codeDeviceNotFound)}
	d.answers["UserGetListInGroupRequest"] = broadworks.Result{Err: ociError(codeGroupNotFound)}
	plan, err := PlanUndo(ctx, st, d, id, nil)
	if !errors.Is(err, ErrNothingToUndo) || plan.GroupID != "acme-bulk" || plan.ServiceProviderID != "acme-ent" || plan.Department != "" ||
		!reflect.DeepEqual(plan.Kept, []string{
			"service provider acme-ent, which the task created, is left: bwbulk does not delete service providers",
			"row 1: device bulk-dev-0000 is no longer on the server", "group acme-bulk is no longer on the server"}) {
		t.Errorf("plan %+v, %v", plan, err)
	}
	// An undo of it under way refuses another; an undo is not undone.
	undo, err := st.CreateTask(ctx, TaskSpec{Description: "undo", UndoOf: id, Jobs: []JobSpec{{Row: 1, UserID: "x", Commands: []oci.Request{&oci.UserDeleteRequest{UserID: "x"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PlanUndo(ctx, st, d, id, nil); !errors.Is(err, ErrTaskState) || !strings.Contains(err.Error(), fmt.Sprintf("already being undone by task %d", undo)) {
		t.Errorf("undo under way: %v", err)
	}
	st.w.ExecContext(ctx, `UPDATE tasks SET status = 'completed' WHERE id = ?`, undo)
	if _, err := PlanUndo(ctx, st, d, undo, nil); !errors.Is(err, ErrTaskState) || !strings.Contains(err.Error(), "is the undo of task") {
		t.Errorf("undo of an undo: %v", err)
	}
}
