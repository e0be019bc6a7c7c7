package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// dialer returns a connect function for the runner: a pool of sessions
// logged in to addr as the simulator's administrator.
func dialer(addr string, sessions int) func(ctx context.Context) (*broadworks.Pool, error) {
	return dialerWith(addr, sessions, &broadworks.Options{Timeout: 10 * time.Second}, ocisim.DefaultPassword)
}

// dialerWith is dialer with other client options and password.
func dialerWith(addr string, sessions int, opts *broadworks.Options, password string) func(ctx context.Context) (*broadworks.Pool, error) {
	return func(ctx context.Context) (*broadworks.Pool, error) {
		return broadworks.NewPool(sessions, func(ctx context.Context) (*broadworks.Client, error) {
			c, err := broadworks.Dial(ctx, addr, opts)
			if err != nil {
				return nil, err
			}
			if _, err := c.Login(ctx, ocisim.DefaultAdmin, password); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		}), nil
	}
}

// plannedUser is one row of a test task.
type plannedUser struct {
	sp, group, domain string
	userID, device    string
	number, password  string
}

func (u plannedUser) spec(row int) JobSpec {
	cmds := []oci.Request{}
	add := &oci.UserAddRequest22V2{
		ServiceProviderID: u.sp, GroupID: u.group, UserID: u.userID,
		LastName: "User", FirstName: fmt.Sprintf("Row%d", row),
		CallingLineIDLastName: "User", CallingLineIDFirstName: fmt.Sprintf("Row%d", row),
		Password: oci.String(u.password),
	}
	if u.number != "" {
		add.PhoneNumber = oci.String(u.number)
	}
	if u.device != "" {
		cmds = append(cmds, &oci.GroupAccessDeviceAddRequest22V2{
			ServiceProviderID: u.sp, GroupID: u.group, DeviceName: u.device, DeviceType: "Generic SIP Phone"})
		add.AccessDeviceEndpoint = &oci.AccessDeviceMultipleIdentityAndContactEndpointAdd22V2{
			AccessDevice: oci.GroupDevice(u.device), LinePort: "lp-" + u.device + "@" + u.domain}
	}
	cmds = append(cmds, add)
	return JobSpec{Row: row, UserID: u.userID, Commands: cmds, Fields: map[string]string{
		"userId": u.userID, "password": u.password, "phoneNumber": u.number, "deviceName": u.device}}
}

// hqUsers plans n users with a device and a number in the demo group
// acme-ent/acme-hq (numbers 2025550100 and up).
func hqUsers(prefix string, n int) []plannedUser {
	out := make([]plannedUser, n)
	for i := range out {
		out[i] = plannedUser{
			sp: "acme-ent", group: "acme-hq", domain: "acme.example.com",
			userID: fmt.Sprintf("%s%03d@acme.example.com", prefix, i), device: fmt.Sprintf("%s-dev-%03d", prefix, i),
			number: fmt.Sprintf("%d", 2025550100+i), password: fmt.Sprintf("Pw%06d!x", i*7919%1000000),
		}
	}
	return out
}

// bulkSetup creates group acme-ent/acme-bulk with room and numbers for n
// users (numbers 6175550000 and up), as task setup commands.
func bulkSetup(n int) []oci.Request { return bulkSetupAt(oci.Newest, n) }

// bulkSetupAt is bulkSetup in what release rel can carry. Before R22 a
// group is added with GroupAddRequest, which has no place for extension
// lengths or activatable numbers: the group keeps the system's extension
// lengths and its numbers are assigned to it afterwards.
func bulkSetupAt(rel oci.Release, n int) []oci.Request {
	lo, hi := "6175550000", fmt.Sprintf("%d", 6175550000+n-1)
	numbers := []oci.DNRange{{MinPhoneNumber: lo, MaxPhoneNumber: hi}}
	group := &oci.GroupConsolidatedAddRequest{
		ServiceProviderID: "acme-ent", GroupID: oci.String("acme-bulk"), DefaultDomain: "acme.example.com",
		UserLimit: n + 10, GroupName: oci.String("Bulk"),
	}
	setup := []oci.Request{&oci.ServiceProviderDnAddListRequest{ServiceProviderID: "acme-ent", DnRange: numbers}, group}
	if !oci.Exists(rel, "GroupConsolidatedAddRequest") {
		return append(setup, &oci.GroupDnAssignListRequest{ServiceProviderID: "acme-ent", GroupID: "acme-bulk", DnRange: numbers})
	}
	group.MinExtensionLength, group.MaxExtensionLength, group.DefaultExtensionLength = oci.Int(4), oci.Int(4), oci.Int(4)
	group.ActivatableDNRange = []oci.ActivatableDNRange{{MinPhoneNumber: lo, MaxPhoneNumber: hi, Activate: oci.Bool(true)}}
	return setup
}

func bulkUsers(n int) []plannedUser {
	out := make([]plannedUser, n)
	for i := range out {
		out[i] = plannedUser{
			sp: "acme-ent", group: "acme-bulk", domain: "acme.example.com",
			userID: fmt.Sprintf("bulk%04d@acme.example.com", i), device: fmt.Sprintf("bulk-dev-%04d", i),
			number: fmt.Sprintf("%d", 6175550000+i), password: fmt.Sprintf("Bk%06d!q", (i*104729)%1000000),
		}
	}
	return out
}

func taskOf(us []plannedUser, setup []oci.Request) TaskSpec {
	spec := TaskSpec{Description: "test task", OSUser: "tester", Admin: ocisim.DefaultAdmin, Server: "sim", Setup: setup}
	for i, u := range us {
		spec.Jobs = append(spec.Jobs, u.spec(i+1))
	}
	return spec
}

// runnerHarness runs a Runner in the background for a test.
type runnerHarness struct {
	t      testing.TB
	store  *Store
	runner *Runner
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func startRunner(t testing.TB, st *Store, connect func(ctx context.Context) (*broadworks.Pool, error), opts *RunnerOptions) *runnerHarness {
	t.Helper()
	if opts == nil {
		opts = &RunnerOptions{}
	}
	if opts.RetryBase == 0 {
		opts.RetryBase, opts.RetryMax = time.Millisecond, 20*time.Millisecond
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	r := NewRunner(st, connect, opts)
	ctx, cancel := context.WithCancel(context.Background())
	h := &runnerHarness{t: t, store: st, runner: r, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		r.Start(ctx)
	}()
	t.Cleanup(h.stop)
	return h
}

func (h *runnerHarness) stop() {
	h.once.Do(func() {
		h.cancel()
		<-h.done
	})
}

// waitTask waits until the task's status is one of want.
func (h *runnerHarness) waitTask(id int64, timeout time.Duration, want ...string) Task {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		t, err := h.store.Task(context.Background(), id)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, w := range want {
			if t.Status == w {
				return t
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("task %d: status %s after %v, want %v (%+v)", id, t.Status, timeout, want, t)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// openStoreAt opens the store of dir: its bwbulk.db, or with
// BWBULK_TEST_ENGINE=postgres the test PostgreSQL database made for dir
// (the same one each time, so a test can close and open it again).
func openStoreAt(t testing.TB, dir string, sec Secrets) *Store {
	t.Helper()
	if testEngine() == "postgres" {
		return openPGStoreAt(t, dir, sec)
	}
	s, err := Open(context.Background(), filepath.Join(dir, "bwbulk.db"), &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// storeNumberlessTask stores a task of n acme-hq users without phone
// numbers (the demo group has few free ones).
func storeNumberlessTask(t testing.TB, st *Store, prefix string, n int) (int64, []plannedUser) {
	t.Helper()
	us := hqUsers(prefix, n)
	for i := range us {
		us[i].number = ""
	}
	id, err := st.CreateTask(context.Background(), taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	return id, us
}
