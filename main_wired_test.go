package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/internal/faultnet"
	"bwbulk/jobs"
	"bwbulk/ui"
	"bwbulk/wizard"
)

// These tests run bwbulk as main wires it — the store, the built-in demo
// server, the session that owns the connection, the runner and the
// window's periodic connection check (Session.Check, what the status bar
// shows) — with a network in between that the test breaks. Each ends by comparing what the task
// history says with what the server holds.

// childEnv names the data folder of a wired application run as a child
// process (for kill -9).
const childEnv = "BWBULK_WIRED_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(runChild(dir))
	}
	os.Exit(m.Run())
}

// soak reports whether the long variants run (make soak).
func soak() bool { return os.Getenv("BWBULK_SOAK") != "" }

// fileSecrets is a keyring kept in a file, so that the data key survives a
// kill -9 and is the same for every process of one test.
type fileSecrets struct {
	mu   sync.Mutex
	path string
}

func (f *fileSecrets) load() map[string]string {
	m := map[string]string{}
	if b, err := os.ReadFile(f.path); err == nil {
		json.Unmarshal(b, &m)
	}
	return m
}

func (f *fileSecrets) Get(service, key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.load()[service+"/"+key]
	if !ok {
		return "", jobs.ErrSecretNotFound
	}
	return v, nil
}

func (f *fileSecrets) Set(service, key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.load()
	m[service+"/"+key] = value
	b, _ := json.Marshal(m)
	return os.WriteFile(f.path, b, 0o600)
}

// wiredApp is a wired application with the window's connection check
// running every 300 ms.
type wiredApp struct {
	*wired
	proxy  *faultnet.Proxy
	mu     sync.Mutex
	online bool   // what the status bar would say
	status string // its words when offline
}

func (a *wiredApp) statusText() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

func (a *wiredApp) isOnline() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.online
}

func startApp(t testing.TB, dir string, sim *ocisim.Options) *wiredApp {
	t.Helper()
	a, err := openApp(dir, sim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return a
}

func openApp(dir string, sim *ocisim.Options) (*wiredApp, error) {
	out := &wiredApp{}
	var ferr error
	w, err := assemble(context.Background(), wiring{
		DataDir: dir, Keyring: &fileSecrets{path: filepath.Join(dir, "keyring.json")}, Sim: sim,
		Front: func(addr string) string {
			p, err := faultnet.Start(addr)
			if err != nil {
				ferr = err
				return addr
			}
			out.proxy = p
			return p.Addr()
		},
	})
	if err != nil {
		return nil, err
	}
	if ferr != nil {
		w.close()
		return nil, ferr
	}
	out.wired = w
	// What the window does at start: the demo profile, then its check.
	p, err := desk.EnsureDemoProfile(context.Background(), w.store, w.demo)
	if err != nil {
		w.close()
		return nil, err
	}
	w.session.Use(p)
	ctx, cancel := context.WithCancel(context.Background())
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		for ctx.Err() == nil {
			err := w.session.Check(ctx, w.runner)
			out.mu.Lock()
			out.online = err == nil
			out.status = "Online"
			if err != nil {
				out.status = ui.OfflineText(err, w.session.LastAnswer(), time.Now())
			}
			out.mu.Unlock()
			select {
			case <-ctx.Done():
			case <-time.After(300 * time.Millisecond):
			}
		}
	}()
	closeWired := w.close
	out.wired.close = func() {
		cancel()
		<-checked
		closeWired()
		out.proxy.Close()
	}
	return out, nil
}

func (a *wiredApp) waitOnline(t testing.TB) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !a.isOnline(); {
		if time.Now().After(deadline) {
			t.Fatal("the window never said Online")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// newGroupTask stores a task, planned by the wizard as the window plans
// it, of n users with a device each in a new group of acme-ent.
func newGroupTask(t testing.TB, st *jobs.Store, gid string, n int) int64 {
	t.Helper()
	m := wizard.NewModel()
	m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: "acme-ent", IsEnterprise: true}
	m.Group = wizard.GroupStep{Mode: wizard.ModeCreate, ID: gid, Domain: "acme.example.com", UserLimit: n + 10}
	m.UserCount = n
	m.UserID = wizard.UserIDStep{Template: "u{{ index | pad 4 }}-" + gid, Domain: "acme.example.com"}
	m.Device = wizard.DeviceStep{Mode: wizard.DeviceHosted, DeviceType: "Generic SIP Phone", DeviceName: "dev-{{ index | pad 4 }}-" + gid, LinePort: "{{ user id }}"}
	p, err := m.Preview()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := p.Plan()
	if err != nil {
		t.Fatal(err)
	}
	spec := jobs.TaskSpec{Description: fmt.Sprintf("%d users in acme-ent/%s", n, gid), OSUser: "tester",
		Admin: ocisim.DefaultAdmin, Server: "demo", Setup: wizard.PlanSetup(m)}
	for _, r := range rows {
		spec.Jobs = append(spec.Jobs, jobs.JobSpec{Row: r.Row, UserID: r.UserID, Commands: r.Commands,
			Fields: map[string]string{"userId": r.UserID}})
	}
	id, err := st.CreateTask(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func waitTask(t testing.TB, st *jobs.Store, id int64, timeout time.Duration, until func(jobs.Task) bool) jobs.Task {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		task, err := st.Task(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if until(task) {
			return task
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %d after %v: %+v", id, timeout, task)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func finished(t jobs.Task) bool { return jobs.Terminal(t.Status) }

// truth compares the task's jobs with the server: users, duplicates,
// missing, and statuses that disagree with what the server holds.
type truth struct {
	users, duplicates, missing, disagree, failed int
}

func (r truth) String() string {
	return fmt.Sprintf("users %d, duplicates %d, missing %d, statuses that disagree with the server %d, failed %d",
		r.users, r.duplicates, r.missing, r.disagree, r.failed)
}

func checkTruth(t testing.TB, st *jobs.Store, srv *ocisim.Server, id int64, gid string) truth {
	t.Helper()
	js, err := st.Jobs(context.Background(), id, jobs.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var r truth
	inGroup := map[string]bool{}
	for _, u := range srv.UsersInGroup("acme-ent", gid) {
		inGroup[u.UserID] = true
	}
	for _, j := range js {
		_, exists := srv.User(j.UserID)
		switch j.Status {
		case jobs.StatusCompleted:
			r.users++
			if !exists || !inGroup[j.UserID] {
				r.missing++
				r.disagree++
			}
		case jobs.StatusFailed:
			r.failed++
			if exists {
				r.disagree++
			}
		default:
			r.disagree++ // a finished task has no job in between
		}
	}
	// The simulator counts every user add it applied: more than the users
	// it holds would be a user created twice (refused as a duplicate is
	// not applied, so this counts adds of the same id that both took).
	if adds := srv.AddCount("UserAddRequest22V2"); adds > len(inGroup) {
		r.duplicates = adds - len(inGroup)
	}
	return r
}

// TestWired_NetworkOutage: with the window's connection check running, the
// network between bwbulk and its server goes away part-way through a task
// — packets held or lost, connections refused, connections reset — and
// comes back. The task says it waits for the server, in words, resumes by
// itself within 5 s and every user is created exactly once.
func TestWired_NetworkOutage(t *testing.T) {
	cases := []struct {
		name   string
		mode   faultnet.Mode
		outage time.Duration
	}{
		{"black hole 2s", faultnet.BlackHole, 2 * time.Second},
		{"refused 2s", faultnet.Refuse, 2 * time.Second},
		{"black hole 20s", faultnet.BlackHole, 20 * time.Second},
		// What was sent during it never arrives, dials begun during it
		// never complete: only new connections end it.
		{"packets lost 20s", faultnet.Lost, 20 * time.Second},
	}
	if soak() {
		cases = append(cases, struct {
			name   string
			mode   faultnet.Mode
			outage time.Duration
		}{"black hole 5min", faultnet.BlackHole, 5 * time.Minute})
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// 30 ms a document: the task is still running when the
			// network goes.
			a := startApp(t, dir, &ocisim.Options{Latency: 30 * time.Millisecond})
			a.waitOnline(t)
			const n = 200
			gid := fmt.Sprintf("outage%d", i)
			id := newGroupTask(t, a.store, gid, n)
			waitTask(t, a.store, id, time.Minute, func(t jobs.Task) bool { return t.Completed >= n/4 })
			a.proxy.Set(tc.mode)
			time.Sleep(tc.outage)
			during, _ := a.store.Task(context.Background(), id)
			bar := a.statusText()
			back := time.Now()
			a.proxy.Set(faultnet.Pass)
			resumed := waitTask(t, a.store, id, 2*time.Minute, func(t jobs.Task) bool {
				return t.Completed > during.Completed || finished(t)
			})
			resumeAfter := time.Since(back)
			task := waitTask(t, a.store, id, 3*time.Minute, finished)
			r := checkTruth(t, a.store, a.sim, id, gid)
			msg := fmt.Sprintf("wired: outage %s: %d users planned; %s; first progress %v after the network came back; task while out %q (%s); status bar %q",
				tc.name, n, r, resumeAfter.Round(10*time.Millisecond), during.Status, during.Error, bar)
			t.Log(msg)
			fmt.Println(msg)
			_ = resumed
			if task.Status != jobs.StatusCompleted || r.users != n || r.duplicates+r.missing+r.disagree != 0 {
				t.Fatalf("%s: %+v", msg, task)
			}
			if resumeAfter > 5*time.Second {
				t.Errorf("the task resumed %v after the network came back, want within 5 s", resumeAfter)
			}
			// A long outage is said in words, by the task and the status
			// bar alike, and no time left is estimated meanwhile.
			if tc.outage >= 10*time.Second {
				if during.Status != jobs.StatusWaiting || !strings.HasPrefix(during.Error, "waiting for the server since ") ||
					!strings.Contains(during.Error, " s)") {
					t.Errorf("task during the outage: %s %q, want waiting for the server since …", during.Status, during.Error)
				}
				if tc.mode != faultnet.Refuse && !strings.HasPrefix(bar, "waiting for the server since ") {
					t.Errorf("status bar during the outage: %q", bar)
				}
			}
			for _, goErr := range []string{"context deadline", "i/o timeout", "dial tcp", "EOF", "broadworks:"} {
				if strings.Contains(bar, goErr) || strings.Contains(during.Error, goErr) {
					t.Errorf("a Go error shown during the outage: task %q, status bar %q", during.Error, bar)
				}
			}
			// A check that failed just before the network came back says
			// offline until the next one, 300 ms later; the task may finish
			// sooner than that.
			for deadline := time.Now().Add(3 * time.Second); !a.isOnline() && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
			if !a.isOnline() {
				t.Error("the connection check says offline 3s after the outage")
			}
		})
	}
}

// TestWired_ConnectionsReset: every open connection is reset (RST) several
// times while the task runs.
func TestWired_ConnectionsReset(t *testing.T) {
	a := startApp(t, t.TempDir(), &ocisim.Options{Latency: 2 * time.Millisecond})
	a.waitOnline(t)
	const n = 200
	id := newGroupTask(t, a.store, "reset", n)
	for k := 1; k <= 4; k++ {
		waitTask(t, a.store, id, time.Minute, func(t jobs.Task) bool { return t.Completed >= k*n/6 || finished(t) })
		a.proxy.Reset()
	}
	task := waitTask(t, a.store, id, 3*time.Minute, finished)
	r := checkTruth(t, a.store, a.sim, id, "reset")
	msg := fmt.Sprintf("wired: connections reset 4 times: %d users planned; %s", n, r)
	fmt.Println(msg)
	if task.Status != jobs.StatusCompleted || r.users != n || r.duplicates+r.missing+r.disagree != 0 {
		t.Fatalf("%s: %+v", msg, task)
	}
}

// TestWired_ServerRestartsFromItsState: the demo server is stopped without
// warning part-way and started again from its state file on another port;
// it has everything it confirmed, and the task ends exactly once.
func TestWired_ServerRestartsFromItsState(t *testing.T) {
	dir := t.TempDir()
	// 10 ms a document: the crash lands while documents are in flight.
	a := startApp(t, dir, &ocisim.Options{Latency: 10 * time.Millisecond})
	a.waitOnline(t)
	const n = 200
	id := newGroupTask(t, a.store, "restart", n)
	waitTask(t, a.store, id, time.Minute, func(t jobs.Task) bool { return t.Completed >= n/3 })
	// The crash: from now on no answer reaches bwbulk (its connections
	// are reset, as when the server's process dies), and the state is
	// copied as the crash leaves it. Copying while answers still went out
	// gave a server that had lost changes it confirmed, which no crash
	// does (the journal is written before the answer): the jobs whose
	// users were confirmed after the copy then failed their read-back.
	// The journal is read before the snapshot: a fold in between leaves a
	// newer snapshot, which holds the journal read.
	a.proxy.Set(faultnet.Refuse)
	state := filepath.Join(dir, "demo-state.json")
	crashed := filepath.Join(t.TempDir(), "state.json")
	for _, suffix := range []string{".log", ""} {
		b, err := os.ReadFile(state + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crashed+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	confirmed, _ := a.store.Task(context.Background(), id)
	a.sim.Close()
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: crashed})
	for _, j := range mustJobs(t, a.store, id, jobs.StatusCompleted) {
		if _, ok := srv.User(j.UserID); !ok {
			t.Fatalf("user %s completed before the crash is not on the restarted server", j.UserID)
		}
	}
	addr, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a.proxy.SetTarget(addr.String())
	a.proxy.Set(faultnet.Pass)
	task := waitTask(t, a.store, id, 3*time.Minute, finished)
	r := checkTruth(t, a.store, srv, id, "restart")
	msg := fmt.Sprintf("wired: server crashed with %d completed and restarted from its state: %d users planned; %s", confirmed.Completed, n, r)
	fmt.Println(msg)
	if task.Status != jobs.StatusCompleted || r.users != n || r.duplicates+r.missing+r.disagree != 0 {
		t.Fatalf("%s: %+v", msg, task)
	}
}

func mustJobs(t testing.TB, st *jobs.Store, id int64, status string) []jobs.Job {
	t.Helper()
	js, err := st.Jobs(context.Background(), id, jobs.Filter{Status: status})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// TestWired_HalfTheCommandsRefusedTransiently: with 50% of the commands
// refused as "try again later", every status is true: a failed job's user
// is not on the server, a completed one's is. Retry all failed then
// finishes the task, still exactly once.
func TestWired_HalfTheCommandsRefusedTransiently(t *testing.T) {
	a := startApp(t, t.TempDir(), &ocisim.Options{TransientRate: 0.5, Seed: 11})
	a.waitOnline(t)
	const n = 200
	id := newGroupTask(t, a.store, "transient", n)
	task := waitTask(t, a.store, id, 3*time.Minute, finished)
	r := checkTruth(t, a.store, a.sim, id, "transient")
	msg := fmt.Sprintf("wired: 50%% transient errors, first run: %d users planned; %s", n, r)
	fmt.Println(msg)
	if r.duplicates+r.missing+r.disagree != 0 {
		t.Fatalf("%s: %+v", msg, task)
	}
	for round := 1; task.Failed > 0 && round <= 10; round++ {
		if _, err := a.store.RetryAllFailed(context.Background(), id); err != nil {
			t.Fatal(err)
		}
		waitTask(t, a.store, id, time.Minute, func(t jobs.Task) bool { return !finished(t) || t.Failed == 0 })
		task = waitTask(t, a.store, id, 3*time.Minute, finished)
		r = checkTruth(t, a.store, a.sim, id, "transient")
		fmt.Printf("wired: 50%% transient errors, after retry %d: %s\n", round, r)
		if r.duplicates+r.missing+r.disagree != 0 {
			t.Fatalf("after retry %d: %s", round, r)
		}
	}
	if task.Status != jobs.StatusCompleted || r.users != n {
		t.Fatalf("after retries: %s: %+v", r, task)
	}
}

// TestWired_KillNine: the application process — with the built-in demo
// server inside it — is killed with SIGKILL at random points and started
// again; the last start finishes the task. The demo server's state then
// holds every user exactly once and the task history agrees with it.
func TestWired_KillNine(t *testing.T) {
	kills := 6
	if soak() {
		kills = 40
	}
	dir := t.TempDir()
	const n = 300
	{
		st, err := jobs.Open(context.Background(), filepath.Join(dir, "bwbulk.db"),
			&jobs.Options{Keyring: &fileSecrets{path: filepath.Join(dir, "keyring.json")}})
		if err != nil {
			t.Fatal(err)
		}
		newGroupTask(t, st, "killed", n)
		st.Close()
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for k := 0; k <= kills; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if k == kills {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("last run: %v", err)
			}
			break
		}
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	st, err := jobs.Open(context.Background(), filepath.Join(dir, "bwbulk.db"),
		&jobs.Options{Keyring: &fileSecrets{path: filepath.Join(dir, "keyring.json")}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: filepath.Join(dir, "demo-state.json")})
	defer srv.Close()
	task, err := st.Task(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	r := checkTruth(t, st, srv, 1, "killed")
	msg := fmt.Sprintf("wired: kill -9 of the application %d times: %d users planned; %s", kills, n, r)
	fmt.Println(msg)
	if task.Status != jobs.StatusCompleted || r.users != n || r.duplicates+r.missing+r.disagree != 0 {
		t.Fatalf("%s: %+v", msg, task)
	}
}

// runChild runs the wired application on dir until its task is finished
// (or it is killed).
func runChild(dir string) int {
	a, err := openApp(dir, &ocisim.Options{Latency: 2 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	defer a.close()
	for {
		task, err := a.store.Task(context.Background(), 1)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 2
		}
		if finished(task) {
			fmt.Println("wired child: task " + strconv.FormatInt(task.ID, 10) + " " + task.Status + " " +
				strings.TrimSpace(task.Error))
			return 0
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWired_RefusedUserRemovesItsDevice: users whose ids are taken on the
// server already ("User already exists") fail, and the device each job
// added first for its user is read and removed, once — except one the
// server will not delete, which the job's error names and Undo lists.
func TestWired_RefusedUserRemovesItsDevice(t *testing.T) {
	var deletes atomic.Int32
	a := startApp(t, t.TempDir(), &ocisim.Options{Latency: 2 * time.Millisecond,
		Intercept: func(cmd string, n int) *ocisim.Fault {
			if cmd != "GroupAccessDeviceDeleteRequest" {
				return nil
			}
			if deletes.Add(1) == 1 {
				return &ocisim.Fault{Code: 4200, Message: "Device is locked by the operator"}
			}
			return nil
		}})
	a.waitOnline(t)
	const n, gid = 40, "refused"
	taken := []int{3, 11, 19, 27, 35}
	// Someone else has those user ids already, in another group.
	c, err := broadworks.Dial(context.Background(), a.sim.Addr().String(), ocisimtest.ClientOptions(t, a.sim))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(context.Background(), ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	for _, i := range taken {
		uid := fmt.Sprintf("u%04d-%s@acme.example.com", i, gid)
		if _, err := c.Do(context.Background(), &oci.UserAddRequest22V2{ServiceProviderID: "acme-ent", GroupID: "acme-hq",
			UserID: uid, LastName: "Taken", FirstName: "Already", CallingLineIDLastName: "Taken", CallingLineIDFirstName: "Already",
			Password: oci.String("Welcome#2026x")}); err != nil {
			t.Fatal(err)
		}
	}
	id := newGroupTask(t, a.store, gid, n)
	task := waitTask(t, a.store, id, 2*time.Minute, finished)
	if task.Completed != n-len(taken) || task.Failed != len(taken) {
		t.Fatalf("%d completed, %d failed, want %d and %d", task.Completed, task.Failed, n-len(taken), len(taken))
	}
	var left []string
	for _, j := range mustJobs(t, a.store, id, jobs.StatusFailed) {
		dev := fmt.Sprintf("dev-%04d-%s", j.Row, gid)
		_, onServer := a.sim.Device("acme-ent", gid, dev)
		switch {
		case !strings.Contains(j.Error, "User already exists"):
			t.Errorf("row %d: %q does not give the server's refusal", j.Row, j.Error)
		case strings.Contains(j.Error, "device "+dev+", which this job added for the user, was removed"):
			if onServer {
				t.Errorf("row %d: %q, but device %s is on the server", j.Row, j.Error, dev)
			}
		case strings.Contains(j.Error, "device "+dev+", which this job added for the user, is left on the server") &&
			strings.Contains(j.Error, "Device is locked") && strings.Contains(j.Error, "Undo removes it"):
			if !onServer {
				t.Errorf("row %d: %q, but device %s is not on the server", j.Row, j.Error, dev)
			}
			left = append(left, dev)
		default:
			t.Errorf("row %d: %q does not say what became of device %s", j.Row, j.Error, dev)
		}
	}
	if len(left) != 1 {
		t.Fatalf("%d devices left, want the one the server would not delete", len(left))
	}
	if got := deletes.Load(); got != int32(len(taken)) {
		t.Errorf("the server got %d device deletes for %d refused users, want one each", got, len(taken))
	}
	// The users of the jobs that completed are all in the group, added
	// once; the taken ids are still the other group's.
	if got := len(a.sim.UsersInGroup("acme-ent", gid)); got != n-len(taken) {
		t.Errorf("%d users in the group, want %d", got, n-len(taken))
	}
	if got := a.sim.AddCount("UserAddRequest22V2"); got != n {
		t.Errorf("%d user adds applied, want %d (%d by the task, %d before it)", got, n, n-len(taken), len(taken))
	}
	// Undo plans to delete the device left, and nothing of the others.
	plan, err := jobs.PlanUndo(context.Background(), a.store, c, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(plan.Devices, left[0]) || len(plan.Devices) != n-len(taken)+1 {
		t.Errorf("undo deletes devices %v, want the %d of the users created and %s", plan.Devices, n-len(taken), left[0])
	}
	fmt.Printf("wired: %d of %d user ids taken: %d devices removed after their user was refused, %d left and named (the server refused the delete), %d deletes sent\n",
		len(taken), n, len(taken)-len(left), len(left), deletes.Load())
}

// TestWired_TwoProcessesOneDemoServer: two applications on one data
// folder share one demo server. The second runs none of its own while the
// first runs it; when the first ends, the second takes the demo server
// and the runner over, and runs its task on the state the first left.
func TestWired_TwoProcessesOneDemoServer(t *testing.T) {
	dir := t.TempDir()
	first, err := openApp(dir, &ocisim.Options{Latency: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	second := startApp(t, dir, &ocisim.Options{Latency: 2 * time.Millisecond})
	if first.sim == nil || second.sim != nil {
		first.close()
		t.Fatalf("first runs %v, second runs %v: want the first only", first.sim, second.sim)
	}
	second.waitOnline(t)
	const n = 30
	id := newGroupTask(t, first.store, "first", n)
	waitTask(t, first.store, id, time.Minute, finished)
	first.close()

	id2 := newGroupTask(t, second.store, "second", n)
	task := waitTask(t, second.store, id2, time.Minute, finished)
	second.close()
	st, err := jobs.Open(context.Background(), filepath.Join(dir, "bwbulk.db"),
		&jobs.Options{Keyring: &fileSecrets{path: filepath.Join(dir, "keyring.json")}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: filepath.Join(dir, "demo-state.json")})
	defer srv.Close()
	// checkTruth's duplicates count the adds of both groups: the adds are
	// counted here, for both tasks.
	r1, r2 := checkTruth(t, st, srv, id, "first"), checkTruth(t, st, srv, id2, "second")
	adds := srv.AddCount("UserAddRequest22V2")
	msg := fmt.Sprintf("wired: two applications, one demo server: %d user adds for %d users; first task users %d, missing %d, disagree %d; second task, after the takeover, users %d, missing %d, disagree %d",
		adds, 2*n, r1.users, r1.missing, r1.disagree, r2.users, r2.missing, r2.disagree)
	fmt.Println(msg)
	if task.Status != jobs.StatusCompleted || adds != 2*n || r1.users != n || r2.users != n || r1.missing+r1.disagree+r2.missing+r2.disagree != 0 {
		t.Fatalf("%s: %+v", msg, task)
	}
}
