package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim"
)

// A 1,000-user task (a device and a number each, setup commands first)
// completes exactly once against the simulator emulating each release
// bwbulk is used with, through dropped connections (every 37th document
// executed but not answered), refused commands (5% "[Error 5200] try
// again later") and ErrorResponses without errorCode. The jobs hold the
// newest command versions; the client sends each release's own. It
// prints, per release, the commands the server received and the figures.
func TestRunner_fieldReleases1000Users(t *testing.T) {
	if testing.Short() {
		t.Skip("4 × 1,000 users")
	}
	for _, rel := range []struct{ release, userAdd, deviceAdd, userGet string }{
		{"22.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest22V9"},
		{"23.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest23V2"},
		{"24.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest23V2"},
		{"25.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest23V2"},
	} {
		t.Run("R"+rel.release, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			srv := ocisim.StartTest(t, &ocisim.Options{
				Release: rel.release, OmitErrorCode: true,
				Seed: 7, DropEvery: 37, TransientRate: 0.05, Latency: time.Millisecond,
				Intercept: func(cmd string, n int) *ocisim.Fault {
					mu.Lock()
					seen[cmd]++
					mu.Unlock()
					return nil
				},
			})
			st := openTestStore(t, nil)
			ctx := context.Background()
			const n = 1000
			us := bulkUsers(n)
			id, err := st.CreateTask(ctx, taskOf(us, bulkSetup(n)))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			h := startRunner(t, st, dialer(srv.Addr().String(), 4), &RunnerOptions{MaxAttempts: 12})
			task := h.waitTask(id, 5*time.Minute, StatusCompleted, StatusFailed)
			took := time.Since(start)
			if task.Status != StatusCompleted || task.Completed != n {
				js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
				t.Fatalf("task = %+v; failed: %+v", task, js[:min(3, len(js))])
			}
			missing := 0
			for _, u := range us {
				got, ok := srv.User(u.userID)
				if !ok || got.GroupID != u.group || got.PhoneNumber != u.number || got.DeviceName != u.device {
					missing++
				}
			}
			users, devices := srv.AddCount(rel.userAdd), srv.AddCount(rel.deviceAdd)
			audit, _ := st.Audit(ctx, id)
			outcomes := map[string]int{}
			for _, a := range audit {
				outcomes[a.Outcome]++
			}
			mu.Lock()
			var cmds []string
			for k, v := range seen {
				cmds = append(cmds, fmt.Sprintf("%s %d", k, v))
			}
			mu.Unlock()
			sort.Strings(cmds)
			msg := fmt.Sprintf("jobs: R%s: %d users in %v (%.0f users/s); %s accepted %d, %s accepted %d; wrong or missing %d; documents %d; audit %v; commands received: %s",
				rel.release, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), rel.userAdd, users, rel.deviceAdd, devices,
				missing, srv.Documents(), outcomes, strings.Join(cmds, ", "))
			t.Log(msg)
			fmt.Println(msg)
			if users != n || devices != n || missing != 0 {
				t.Errorf("not exactly once: %s", msg)
			}
			if seen[rel.userGet] == 0 {
				t.Errorf("no %s sent: the read-backs used another version", rel.userGet)
			}
			for k := range seen {
				if strings.HasPrefix(k, "UserGetRequest") && k != rel.userGet {
					t.Errorf("R%s received %s", rel.release, k)
				}
			}
		})
	}
}
