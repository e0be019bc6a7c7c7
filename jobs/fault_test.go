package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// checkExactlyOnce asserts that every planned user and device exists in
// the simulator and that each add was accepted exactly once.
func checkExactlyOnce(t *testing.T, name string, srv *ocisim.Server, us []plannedUser) {
	t.Helper()
	missing, wrong := 0, 0
	for _, u := range us {
		got, ok := srv.User(u.userID)
		switch {
		case !ok:
			missing++
			if missing < 5 {
				t.Errorf("user %s missing", u.userID)
			}
		case got.GroupID != u.group || got.PhoneNumber != u.number || got.DeviceName != u.device:
			wrong++
			if wrong < 5 {
				t.Errorf("user %s: %+v", u.userID, got)
			}
		}
		if _, ok := srv.Device(u.sp, u.group, u.device); !ok {
			missing++
		}
	}
	users, devices := srv.AddCount("UserAddRequest22V2"), srv.AddCount("GroupAccessDeviceAddRequest22V2")
	inGroup := len(srv.UsersInGroup(us[0].sp, us[0].group))
	msg := fmt.Sprintf("jobs: %s: %d users planned; in group %d; UserAddRequest22V2 accepted %d; GroupAccessDeviceAddRequest22V2 accepted %d; missing %d; wrong %d; documents %d",
		name, len(us), inGroup, users, devices, missing, wrong, srv.Documents())
	t.Log(msg)
	fmt.Println(msg)
	if users != len(us) || devices != len(us) || missing != 0 || wrong != 0 {
		t.Errorf("not exactly once: %s", msg)
	}
}

func TestRunner_FaultInjection1000Users(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 users")
	}
	srv := ocisimtest.Start(t, &ocisim.Options{Seed: 7, DropEvery: 37, TransientRate: 0.05, Latency: time.Millisecond})
	st := openTestStore(t, nil)
	ctx := context.Background()
	const n = 1000
	us := bulkUsers(n)
	id, err := st.CreateTask(ctx, taskOf(us, bulkSetup(n)))
	if err != nil {
		t.Fatal(err)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 4), &RunnerOptions{MaxAttempts: 12})
	task := h.waitTask(id, 3*time.Minute, StatusCompleted, StatusFailed)
	if task.Status != StatusCompleted || task.Completed != n {
		js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
		if len(js) > 3 {
			js = js[:3]
		}
		t.Fatalf("task = %+v; failed: %+v", task, js)
	}
	checkExactlyOnce(t, "fault injection (DropEvery 37, TransientRate 0.05, 1ms latency)", srv, us)
	audit, _ := st.Audit(ctx, id)
	counts := map[string]int{}
	for _, a := range audit {
		counts[a.Outcome]++
	}
	msg := fmt.Sprintf("jobs: fault injection: audit outcomes %v", counts)
	t.Log(msg)
	fmt.Println(msg)
	if counts[OutcomeUnknown] == 0 || counts[OutcomeApplied]+counts[OutcomeNotApplied] == 0 {
		t.Errorf("the faults never produced an unknown outcome to resolve: %v", counts)
	}
}
