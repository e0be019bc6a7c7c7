package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

func checkRow(cells map[wizard.Column]string) wizard.Row {
	var r wizard.Row
	for c, v := range cells {
		r.Set(c, v)
	}
	return r
}

// problemsByCell indexes a report's problems by "row/column".
func problemsByCell(rep *jobs.CheckReport) map[string]string {
	out := map[string]string{}
	for _, p := range rep.Problems {
		out[strings.Join([]string{itoa(p.Row), p.Column.String()}, "/")] = p.Msg
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCheck_marksEveryCollidingCell(t *testing.T) {
	c, srv := ocisimtest.NewPair(t, nil)
	target := wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-branch", Domain: "acme.example.com", IsEnterprise: true}
	rows := []wizard.Row{
		// Row 1 reuses the seeded user 01: its user id, device and MAC.
		checkRow(map[wizard.Column]string{
			wizard.ColUserID: "branch.user01@acme.example.com", wizard.ColDeviceName: "branch-phone-01",
			wizard.ColMACAddress: "00:04:F2:B1:00:01", wizard.ColLinePort: "3125550101@acme.example.com",
		}),
		// Row 2 is a new user on user 02's line/port, number and extension,
		// in a department that does not exist.
		checkRow(map[wizard.Column]string{
			wizard.ColUserID: "new.user@acme.example.com", wizard.ColPhoneNumber: "3125550102", wizard.ColExtension: "102",
			wizard.ColLinePort: "3125550102@acme.example.com", wizard.ColDepartment: "Nowhere",
			wizard.ColDeviceName: "new-phone",
		}),
		// Row 3 collides with nothing.
		checkRow(map[wizard.Column]string{
			wizard.ColUserID: "fresh@acme.example.com", wizard.ColPhoneNumber: "+1-3125550130", wizard.ColExtension: "130",
			wizard.ColDeviceName: "fresh-phone", wizard.ColMACAddress: "0004F2FFFFFF",
			wizard.ColLinePort: "3125550130@acme.example.com", wizard.ColDepartment: "Warehouse",
		}),
		// Row 4: a department the task's setup creates, a number that is
		// not the group's.
		checkRow(map[wizard.Column]string{
			wizard.ColUserID: "other@acme.example.com", wizard.ColDepartment: "Night shift", wizard.ColPhoneNumber: "2025550100",
		}),
	}
	var mu sync.Mutex
	var calls, lastDone, lastTotal int
	before := srv.Documents()
	rep, err := jobs.Check(context.Background(), c, jobs.CheckSpec{Target: target, Rows: rows, NewDepartments: []string{"Night shift"}},
		&jobs.CheckOptions{Progress: func(done, total int) {
			mu.Lock()
			calls++
			lastDone, lastTotal = done, total
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	got := problemsByCell(rep)
	want := map[string]string{
		"1/userId":      "user branch.user01@acme.example.com already exists on the server (in acme-ent/acme-branch)",
		"1/deviceName":  "device branch-phone-01 already exists in group acme-branch",
		"1/macAddress":  "MAC address 0004F2B10001 is already used by device branch-phone-01 in group acme-branch",
		"1/linePort":    "line/port 3125550101@acme.example.com is already used by user branch.user01@acme.example.com",
		"2/linePort":    "line/port 3125550102@acme.example.com is already used by user branch.user02@acme.example.com",
		"2/phoneNumber": "phone number 3125550102 is already assigned to user branch.user02@acme.example.com",
		"2/extension":   "extension 102 is already assigned to user branch.user02@acme.example.com",
		"2/department":  "department Nowhere does not exist in group acme-branch",
		"4/phoneNumber": "phone number 2025550100 is not available in group acme-branch",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected problem %s: %s", k, got[k])
		}
	}
	for _, p := range rep.Problems {
		if !errors.Is(p, wizard.ErrUnavailable) {
			t.Errorf("%v: not ErrUnavailable", p)
		}
	}
	if rep.Rows() != 3 {
		t.Errorf("Rows() = %d, want 3", rep.Rows())
	}
	if len(rep.Notes) != 0 {
		t.Errorf("notes: %v", rep.Notes)
	}
	// 5 group reads, 4 rows + 20 users of the group + 1 other group: 30
	// requests in 1 + ceil(25/15) = 3 documents.
	if rep.Requests != 30 {
		t.Errorf("Requests = %d, want 30", rep.Requests)
	}
	if docs := srv.Documents() - before; docs != 3 {
		t.Errorf("documents = %d, want 3 (15 requests per document)", docs)
	}
	if calls < 3 || lastDone != lastTotal || lastTotal != 30 {
		t.Errorf("progress: %d calls, last %d/%d", calls, lastDone, lastTotal)
	}
	if n := len(srv.Users()); n != 20 {
		t.Errorf("the check changed the server: %d users", n)
	}
}

func TestCheck_macInAnotherGroupAndExistingDeviceReused(t *testing.T) {
	c, _ := ocisimtest.NewPair(t, nil)
	target := wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", Domain: "acme.example.com", IsEnterprise: true,
		ExistingDevices: []string{"acme-hq-pbx"}}
	rows := []wizard.Row{
		checkRow(map[wizard.Column]string{wizard.ColUserID: "a@acme.example.com", wizard.ColDeviceName: "a-phone", wizard.ColMACAddress: "0004F2B10003"}),
		// A device the row reuses is not created: its name is no problem.
		checkRow(map[wizard.Column]string{wizard.ColUserID: "b@acme.example.com", wizard.ColDeviceName: "acme-hq-pbx", wizard.ColPhoneNumber: "2025550100"}),
	}
	rep, err := jobs.Check(context.Background(), c, jobs.CheckSpec{Target: target, Rows: rows}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := problemsByCell(rep)
	if len(got) != 1 || got["1/macAddress"] != "MAC address 0004F2B10003 is already used by device branch-phone-03 in group acme-branch" {
		t.Errorf("problems = %v", got)
	}
}

func TestCheck_newGroupHasNothingToCollideWith(t *testing.T) {
	c, _ := ocisimtest.NewPair(t, nil)
	target := wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-new", Domain: "acme.example.com", IsEnterprise: true}
	rows := []wizard.Row{checkRow(map[wizard.Column]string{wizard.ColUserID: "branch.user05@acme.example.com", wizard.ColPhoneNumber: "2025550100", wizard.ColDepartment: "X"})}
	rep, err := jobs.Check(context.Background(), c, jobs.CheckSpec{Target: target, Rows: rows}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := problemsByCell(rep)
	// User ids are system-wide: the existing one still collides.
	if len(got) != 1 || !strings.Contains(got["1/userId"], "already exists") {
		t.Errorf("problems = %v", got)
	}
	if len(rep.Notes) != 0 {
		t.Errorf("notes = %v", rep.Notes)
	}
}

func TestCheck_offline(t *testing.T) {
	dialErr := errors.New("dial tcp 127.0.0.1:1: connection refused")
	pool := broadworks.NewPool(2, func(ctx context.Context) (*broadworks.Client, error) { return nil, dialErr })
	defer pool.Close()
	rows := []wizard.Row{checkRow(map[wizard.Column]string{wizard.ColUserID: "a@acme.example.com"})}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := jobs.Check(ctx, pool, jobs.CheckSpec{Target: wizard.Target{ServiceProviderID: "s", GroupID: "g"}, Rows: rows}, nil)
	if !errors.Is(err, jobs.ErrCheckOffline) || !errors.Is(err, dialErr) {
		t.Fatalf("err = %v, want ErrCheckOffline wrapping the dial error", err)
	}
}

// BenchmarkCheck checks 1,000 and 10,000 new users of acme-hq against
// the demo server over loopback, through a pool of 4 sessions.
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n)+"Rows", func(b *testing.B) { benchCheck(b, n) })
	}
}

func benchCheck(b *testing.B, n int) {
	srv := ocisimtest.Start(b, nil)
	pool := broadworks.NewPool(4, func(ctx context.Context) (*broadworks.Client, error) {
		c, err := broadworks.Dial(ctx, srv.Addr().String(), ocisimtest.ClientOptions(b, srv))
		if err != nil {
			return nil, err
		}
		if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	})
	defer pool.Close()
	rows := make([]wizard.Row, n)
	for i := range rows {
		rows[i] = checkRow(map[wizard.Column]string{
			wizard.ColUserID:     "bench" + strconv.Itoa(i) + "@acme.example.com",
			wizard.ColDeviceName: "bench-" + strconv.Itoa(i), wizard.ColLinePort: "bench" + strconv.Itoa(i) + "@acme.example.com",
			wizard.ColMACAddress: "0004F2" + strconv.FormatInt(int64(0x100000+i), 16),
		})
	}
	spec := jobs.CheckSpec{Target: wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", IsEnterprise: true}, Rows: rows}
	b.ResetTimer()
	for b.Loop() {
		rep, err := jobs.Check(context.Background(), pool, spec, &jobs.CheckOptions{Parallel: 4})
		if err != nil || len(rep.Problems) != 0 {
			b.Fatalf("%v %v", err, rep)
		}
	}
}

// TestCheck_groupAdmin: a group administrator cannot read users of other
// groups; a user id the server refuses to show is taken all the same, and
// what the scope does not allow to read is said, not guessed.
func TestCheck_groupAdmin(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), ocisimtest.ClientOptions(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DemoGroupAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	rows := []wizard.Row{
		checkRow(map[wizard.Column]string{wizard.ColUserID: "branch.user07@acme.example.com"}),
		checkRow(map[wizard.Column]string{wizard.ColUserID: "nobody@acme.example.com", wizard.ColMACAddress: "0004F2B10001", wizard.ColDeviceName: "x"}),
	}
	rep, err := jobs.Check(ctx, c, jobs.CheckSpec{Target: wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-hq", IsEnterprise: true}, Rows: rows}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := problemsByCell(rep)
	if got["1/userId"] != "user branch.user07@acme.example.com already exists on the server, outside what you administer" || len(got) != 1 {
		t.Errorf("problems = %v", got)
	}
	if len(rep.Notes) != 1 || rep.Notes[0] != "groups of the service provider (MAC addresses in other groups not checked): your administrator may not read them" {
		t.Errorf("notes = %q", rep.Notes)
	}
}

// Check reads the rows' user ids a chunk at a time (so the answers about
// a large file are not held at once) and finds what it finds in one go,
// with the rows past the first chunk numbered as theirs.
func TestCheck_chunked(t *testing.T) {
	c, _ := ocisimtest.NewPair(t, nil)
	target := wizard.Target{ServiceProviderID: "acme-ent", GroupID: "acme-branch", Domain: "acme.example.com", IsEnterprise: true}
	var rows []wizard.Row
	for i := range 7 {
		id := fmt.Sprintf("fresh%d@acme.example.com", i)
		if i == 5 {
			id = "branch.user01@acme.example.com" // in the third chunk of two
		}
		rows = append(rows, checkRow(map[wizard.Column]string{wizard.ColUserID: id, wizard.ColDeviceName: fmt.Sprintf("fresh-phone-%d", i)}))
	}
	rows[6].Set(wizard.ColLinePort, "3125550102@acme.example.com")
	spec := jobs.CheckSpec{Target: target, Rows: rows}
	whole, err := jobs.Check(context.Background(), c, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer jobs.SetCheckChunk(2)()
	chunked, err := jobs.Check(context.Background(), c, spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := problemsByCell(chunked), problemsByCell(whole)
	if !reflect.DeepEqual(got, want) || got["6/userId"] == "" || got["7/linePort"] == "" || len(got) != 2 {
		t.Errorf("chunked %v, in one go %v", got, want)
	}
	if chunked.Requests != whole.Requests || len(chunked.Notes) != 0 {
		t.Errorf("chunked: %d requests, notes %v; in one go %d", chunked.Requests, chunked.Notes, whole.Requests)
	}
}
