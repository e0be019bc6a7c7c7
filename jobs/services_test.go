package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/wizard"
)

// branchServiceTask plans n numberless, deviceless acme-branch users, each
// given the Basic pack and voicemail (10 of the group's 12 are used).
func branchServiceTask(n int) ([]plannedUser, TaskSpec) {
	us := make([]plannedUser, n)
	for i := range us {
		us[i] = plannedUser{sp: "acme-ent", group: "acme-branch", domain: "acme.example.com",
			userID: fmt.Sprintf("svc%d@acme.example.com", i+1), password: fmt.Sprintf("Service%04d", i)}
	}
	spec := taskOf(us, nil)
	for i := range spec.Jobs {
		spec.Jobs[i].Commands = append(spec.Jobs[i].Commands, &oci.UserServiceAssignListRequest{
			UserID: us[i].userID, ServiceName: []string{"Voice Messaging User"}, ServicePackName: []string{"Basic"}})
	}
	return us, spec
}

func auditCount(t *testing.T, st *Store, task, job int64, command string) int {
	t.Helper()
	as, err := st.Audit(context.Background(), task)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range as {
		if a.JobID == job && a.Command == command {
			n++
		}
	}
	return n
}

func waitJob(t *testing.T, st *Store, id int64, want string) Job {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := st.Job(context.Background(), id)
		if err == nil && j.Status == want {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d: %+v (%v), want %s", id, j, err, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The assignment is sent once per user and read back; the user the
// licences cannot cover fails naming what is missing, though the server
// accepted part of it (a Warning). Retried once a licence is free, it is
// read first: sent again when still missing, not sent when it was done by
// hand meanwhile.
func TestRunner_serviceAssignment(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us, spec := branchServiceTask(4)
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 1), nil)
	task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if task.Completed != 2 || task.Failed != 2 {
		t.Fatalf("task %+v, want 2 completed, 2 failed", task)
	}
	js, _ := st.Jobs(ctx, id, Filter{})
	for i, j := range js {
		if n := auditCount(t, st, id, j.ID, "UserServiceAssignListRequest"); n != 1 {
			t.Errorf("row %d: assignment sent %d times", j.Row, n)
		}
		if n := auditCount(t, st, id, j.ID, "UserServiceGetAssignmentListRequest"); n != 1 {
			t.Errorf("row %d: assignment read %d times", j.Row, n)
		}
		u, _ := srv.User(us[i].userID)
		if !slices.Equal(u.ServicePacks, []string{"Basic"}) {
			t.Errorf("row %d: packs %v", j.Row, u.ServicePacks)
		}
		if i < 2 {
			if j.Status != StatusCompleted || !slices.Equal(u.Services, []string{"Voice Messaging User"}) {
				t.Errorf("row %d: %s %q, services %v", j.Row, j.Status, j.Error, u.Services)
			}
			continue
		}
		if j.Status != StatusFailed || !strings.HasPrefix(j.Error, "services not assigned: Voice Messaging User (the server said: [Error 4411]") {
			t.Errorf("row %d: %s %q", j.Row, j.Status, j.Error)
		}
	}

	// Two voicemail licences are freed; row 4's is then assigned by hand.
	pool, err := dialer(srv.Addr().String(), 1)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for _, uid := range []string{"branch.user01@acme.example.com", "branch.user03@acme.example.com"} {
		if _, err := pool.Do(ctx, &oci.UserDeleteRequest{UserID: uid}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Do(ctx, &oci.UserServiceAssignListRequest{UserID: us[3].userID, ServiceName: []string{"Voice Messaging User"}}); err != nil {
		t.Fatal(err)
	}
	for _, j := range js[2:] {
		if err := st.retryJob(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i, j := range js[2:] {
		waitJob(t, st, j.ID, StatusCompleted)
		want := 2 - i // row 3 sent again, row 4 not
		if n := auditCount(t, st, id, j.ID, "UserServiceAssignListRequest"); n != want {
			t.Errorf("row %d: assignment sent %d times in all, want %d", j.Row, n, want)
		}
		if u, _ := srv.User(us[2+i].userID); !slices.Equal(u.Services, []string{"Voice Messaging User"}) {
			t.Errorf("row %d: services %v", j.Row, u.Services)
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 4 {
		t.Errorf("users added %d times, want 4", n)
	}
}

// An assignment whose answer was lost is read before anything is sent
// again: once the read shows it applied, it is not sent again.
func TestRunner_serviceAssignmentOutcomeUnknown(t *testing.T) {
	// One command a document, every 5th document executed and its answer
	// lost: over 30 jobs' 120-odd documents, assignments among them.
	srv := ocisimtest.Start(t, &ocisim.Options{Seed: 3, DropEvery: 5})
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("svcdrop", 30)
	spec := TaskSpec{Description: "services", OSUser: "tester", Admin: ocisim.DefaultAdmin, Server: "sim"}
	for i := range us {
		us[i].number, us[i].device = "", ""
		j := us[i].spec(i + 1)
		j.Commands = append(j.Commands, &oci.UserServiceAssignListRequest{
			UserID: us[i].userID, ServiceName: []string{"Voice Messaging User"}, ServicePackName: []string{"Basic"}})
		spec.Jobs = append(spec.Jobs, j)
	}
	id, _ := st.CreateTask(ctx, spec)
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), &RunnerOptions{MaxAttempts: 12, BatchSize: 1})
	task := h.waitTask(id, 90*time.Second, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted {
		js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
		t.Fatalf("task %+v, failed %+v", task, js)
	}
	for _, u := range us {
		got, _ := srv.User(u.userID)
		if !slices.Equal(got.Services, []string{"Voice Messaging User"}) || !slices.Equal(got.ServicePacks, []string{"Basic"}) {
			t.Errorf("%s: services %v packs %v", u.userID, got.Services, got.ServicePacks)
		}
	}
	as, _ := st.Audit(ctx, id)
	unknown, applied := map[int64]bool{}, 0
	for _, a := range as {
		switch {
		case a.Command == "UserServiceAssignListRequest" && a.Outcome == OutcomeUnknown:
			unknown[a.JobID] = true
		case a.Command == "UserServiceGetAssignmentListRequest" && a.Outcome == OutcomeApplied:
			applied++
			// Resolved as applied: the job's assignment is never sent again.
			for _, b := range as {
				if b.ID > a.ID && b.JobID == a.JobID && b.Command == "UserServiceAssignListRequest" {
					t.Errorf("job %d: assignment sent again after the read found it applied", a.JobID)
				}
			}
		}
	}
	t.Logf("%d assignments with a lost answer; %d reads found an assignment applied (none sent again)", len(unknown), applied)
	if len(unknown) == 0 {
		t.Error("no assignment answer was lost: the test proves nothing")
	}
}

func TestLiveCatalogue_ServiceAuthorizations(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	pool, err := dialer(srv.Addr().String(), 1)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var d broadworks.Doer = pool
	a, err := LiveCatalogue{D: d}.ServiceAuthorizations(context.Background(), "acme-ent", "acme-branch")
	if err != nil {
		t.Fatal(err)
	}
	vm, ok := a.Find("Voice Messaging User")
	if !ok || vm.Limit != 12 || vm.Usage != 10 || vm.Left() != 2 || vm.Pack {
		t.Fatalf("voicemail %+v", vm)
	}
	if b, ok := a.Find("Basic"); !ok || !b.Pack || b.Limit != 25 || b.Description != "Calling essentials" {
		t.Fatalf("Basic %+v", b)
	}
	if cw, _ := a.Find("Call Waiting"); !cw.Unlimited() {
		t.Fatalf("Call Waiting %+v", cw)
	}
	if _, ok := a.Find("Hoteling Guest"); ok {
		t.Fatal("a service the group is not authorised for is listed")
	}
	// Cached with the group's other look-ups: offline, the copy answers.
	st := openTestStore(t, nil)
	on := &CachedCatalogue{Live: LiveCatalogue{D: d}, Store: st, Server: "sim"}
	f, err := wizard.LoadFacts(context.Background(), on, "acme-ent", "acme-branch")
	if err != nil || f.Services == nil {
		t.Fatalf("facts %v %v", f, err)
	}
	off := &CachedCatalogue{Store: st, Server: "sim"}
	a2, err := off.ServiceAuthorizations(context.Background(), "acme-ent", "acme-branch")
	if err != nil {
		t.Fatal(err)
	}
	if vm2, _ := a2.Find("Voice Messaging User"); vm2 != vm {
		t.Fatalf("offline copy %+v, want %+v", vm2, vm)
	}
	if _, ok := off.Age(); !ok {
		t.Fatal("an offline answer has no age")
	}
}

// The authorisation list and the assignment (and its read) are the same
// unversioned commands on every release bwbulk is used with.
func TestRunner_serviceAssignmentEveryRelease(t *testing.T) {
	for _, rel := range []string{"20", "21sp1", "22.0", "23.0", "24.0", "25.0"} {
		t.Run("R"+rel, func(t *testing.T) {
			srv := ocisimtest.Start(t, &ocisim.Options{Release: rel})
			pool, err := dialer(srv.Addr().String(), 1)(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			a, err := LiveCatalogue{D: pool}.ServiceAuthorizations(context.Background(), "acme-ent", "acme-branch")
			if err != nil {
				t.Fatal(err)
			}
			if vm, ok := a.Find("Voice Messaging User"); !ok || vm.Left() != 2 {
				t.Fatalf("voicemail %+v", vm)
			}
			st := openTestStore(t, nil)
			us, spec := branchServiceTask(1)
			// The user add in the version this release has.
			add, err := oci.ForRelease(rel, spec.Jobs[0].Commands[0])
			if err != nil {
				t.Fatal(err)
			}
			spec.Jobs[0].Commands[0] = add
			id, _ := st.CreateTask(context.Background(), spec)
			h := startRunner(t, st, dialer(srv.Addr().String(), 1), nil)
			if task := h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed); task.Status != StatusCompleted {
				js, _ := st.Jobs(context.Background(), id, Filter{})
				t.Fatalf("task %+v: %+v", task, js)
			}
			if u, _ := srv.User(us[0].userID); !slices.Equal(u.Services, []string{"Voice Messaging User"}) {
				t.Fatalf("services %v", u.Services)
			}
		})
	}
}

// The check before Submit reads the licences as they are then: those
// used since the preview was built are refused row by row.
func TestCheck_serviceLicencesNow(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	ctx := context.Background()
	pool, err := dialer(srv.Addr().String(), 1)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var rows []wizard.Row
	for i := 1; i <= 3; i++ {
		rows = append(rows, wizard.RowFromFields(map[string]string{"userId": fmt.Sprintf("chk%d@acme.example.com", i),
			"firstName": "A", "lastName": "B", "services": "Basic; Voice Messaging User"}))
	}
	spec := CheckSpec{Target: wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-branch", IsEnterprise: true}, Rows: rows}
	licence := func() []string {
		t.Helper()
		rep, err := Check(ctx, pool, spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range rep.Problems {
			if errors.Is(p, wizard.ErrLicence) {
				out = append(out, p.Error())
			}
		}
		return out
	}
	if got := licence(); !slices.Equal(got, []string{"row 3, services: Voice Messaging User: 0 of 12 left (10 used before this task)"}) {
		t.Fatalf("2 left: %q", got)
	}
	// Someone else takes the last two.
	for _, uid := range []string{"branch.user02@acme.example.com", "branch.user04@acme.example.com"} {
		if _, err := pool.Do(ctx, &oci.UserServiceAssignListRequest{UserID: uid, ServiceName: []string{"Voice Messaging User"}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := licence(); len(got) != 3 || !strings.HasPrefix(got[0], "row 1, services: Voice Messaging User: 0 of 12 left (12 used") {
		t.Fatalf("none left: %q", got)
	}
}
