package jobs

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/internal/ocinames"
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
		t.Skip("6 × 1,000 users")
	}
	for _, rel := range []struct{ release, userAdd, deviceAdd, userGet string }{
		{"20.0", "UserAddRequest17sp4", "GroupAccessDeviceAddRequest14", "UserGetRequest20"},
		{"21.0", "UserAddRequest17sp4", "GroupAccessDeviceAddRequest14", "UserGetRequest21"},
		{"22.0", "UserAddRequest17sp4", "GroupAccessDeviceAddRequest14", "UserGetRequest22V3"},
		{"23.0", "UserAddRequest22", "GroupAccessDeviceAddRequest14", "UserGetRequest22V5"},
		{"24.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest22V8"},
		{"25.0", "UserAddRequest22V2", "GroupAccessDeviceAddRequest22V2", "UserGetRequest23V2"},
	} {
		t.Run("R"+rel.release, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			srv := ocisimtest.Start(t, &ocisim.Options{
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
			r, _ := oci.ParseRelease(rel.release)
			id, err := st.CreateTask(ctx, taskOf(us, bulkSetupAt(r, n)))
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
			has := releaseHas(t, r)
			for k := range seen {
				if strings.HasPrefix(k, "UserGetRequest") && k != rel.userGet {
					t.Errorf("R%s received %s", rel.release, k)
				}
				if !has(k) {
					t.Errorf("R%s received %s, which that release does not have", rel.release, k)
				}
			}
		})
	}
}

// releaseHas tells the requests release r has from facts that are not
// ours (ocinames.ReleaseHas).
func releaseHas(t *testing.T, r oci.Release) func(string) bool {
	t.Helper()
	has, _, err := ocinames.ReleaseHas(r)
	if err != nil {
		t.Fatal(err)
	}
	return has
}

// The same 1,000-user task against a simulator started apart, `bwbulk sim
// --release R ...` at BWBULK_SIM_ADDR (scripts/release-check.sh starts it,
// then counts the adds the server accepted in its log). It checks every
// user on the server through the client. Skipped without BWBULK_SIM_ADDR.
func TestRunner_externalSim1000Users(t *testing.T) {
	addr := os.Getenv("BWBULK_SIM_ADDR")
	if addr == "" {
		t.Skip("BWBULK_SIM_ADDR not set (scripts/release-check.sh sets it)")
	}
	ctx := context.Background()
	pool, err := dialer(addr, 4)(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := openTestStore(t, nil)
	const n = 1000
	us := bulkUsers(n)
	// The server's release decides what the setup can carry.
	c, err := broadworks.Dial(ctx, addr, &broadworks.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword)
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	rel := info.Release
	r, _ := oci.ParseRelease(rel)
	id, err := st.CreateTask(ctx, taskOf(us, bulkSetupAt(r, n)))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	h := startRunner(t, st, dialer(addr, 4), &RunnerOptions{MaxAttempts: 12})
	task := h.waitTask(id, 5*time.Minute, StatusCompleted, StatusFailed)
	took := time.Since(start)
	if task.Status != StatusCompleted || task.Completed != n {
		js, _ := st.Jobs(ctx, id, Filter{Status: StatusFailed})
		t.Fatalf("task = %+v; failed: %+v", task, js[:min(3, len(js))])
	}
	wrong := 0
	// The server keeps dropping and refusing: read again until it answers.
	read := func(req oci.Request) (oci.Response, error) {
		var resp oci.Response
		var err error
		for range 20 {
			if resp, err = pool.Do(ctx, req); err == nil || broadworks.IsErrorCode(err, 4008) {
				break
			}
		}
		return resp, err
	}
	for _, u := range us {
		resp, err := read(&oci.UserGetRequest23V2{UserID: u.userID})
		got, _ := resp.(*oci.UserGetResponse23V2)
		if err != nil || got == nil || got.GroupID != u.group || got.PhoneNumber == nil || *got.PhoneNumber != u.number ||
			got.AccessDeviceEndpoint == nil || got.AccessDeviceEndpoint.AccessDevice.DeviceName != u.device {
			wrong++
			if wrong < 4 {
				t.Errorf("%s on the server: %+v, %v", u.userID, got, err)
			}
		}
	}
	resp, err := read(&oci.UserGetListInGroupRequest{ServiceProviderID: "acme-ent", GroupID: "acme-bulk"})
	if err != nil {
		t.Fatal(err)
	}
	list := resp.(*oci.UserGetListInGroupResponse)
	audit, _ := st.Audit(ctx, id)
	outcomes := map[string]int{}
	for _, a := range audit {
		outcomes[a.Outcome]++
	}
	msg := fmt.Sprintf("jobs: external simulator R%s: %d users in %v (%.0f users/s); %d in the group; wrong or missing %d; audit %v",
		rel, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), len(list.UserTable.Rows), wrong, outcomes)
	t.Log(msg)
	fmt.Println(msg)
	if wrong != 0 || len(list.UserTable.Rows) != n {
		t.Errorf("not every user is on the server: %s", msg)
	}
}
