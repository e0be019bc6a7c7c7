package jobs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/wizard"
)

// scaleSizes are the task sizes of the scale benchmarks; benchstat shows
// the growth from one step to the next (linear: ×10 each).
var scaleSizes = []int{1000, 10000, 100000}

// scaleSpec plans n users of the bulk group, each with a Polycom phone
// (two commands, then the read-back), as an import of n rows does.
func scaleSpec(n int) TaskSpec {
	spec := TaskSpec{Description: "scale", OSUser: "bench", Admin: ocisim.DefaultAdmin, Server: "sim",
		Jobs: make([]JobSpec, 0, n)}
	for i, u := range bulkUsers(n) {
		u.number = ""
		js := u.spec(i + 1)
		mac := fmt.Sprintf("0004F2%06X", i+1)
		dev := js.Commands[0].(*oci.GroupAccessDeviceAddRequest22V2)
		dev.DeviceType, dev.MacAddress = "Polycom VVX 450", oci.String(mac)
		js.Fields["firstName"], js.Fields["lastName"] = fmt.Sprintf("Row%d", i+1), "User"
		js.Fields["deviceType"], js.Fields["linePort"] = dev.DeviceType, "lp-"+u.device+"@"+u.domain
		js.Fields["macAddress"] = mac
		spec.Jobs = append(spec.Jobs, js)
	}
	return spec
}

// scaleServer starts a simulator (no latency) whose bulk group takes n
// users.
func scaleServer(b *testing.B, n int) *ocisim.Server {
	srv := ocisimtest.Start(b, nil)
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		b.Fatal(err)
	}
	group := &oci.GroupConsolidatedAddRequest{ServiceProviderID: "acme-ent", GroupID: oci.String("acme-bulk"),
		DefaultDomain: "acme.example.com", UserLimit: n + 10, GroupName: oci.String("Bulk")}
	if _, err := c.Do(ctx, group); err != nil {
		b.Fatal(err)
	}
	return srv
}

func dbSize(b *testing.B, path string) int64 {
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			total += fi.Size()
		}
	}
	return total
}

// BenchmarkSubmit stores a task of n users and runs it against the
// simulator with no latency, as `bwbulk submit --wait` does: s/op is file
// to done; first-job-s is from the start to the first job completed;
// B/user is the database's size per user once the task is done;
// cpu-us/user is the process's CPU time (runner, store and the simulator
// in it) per user, which the machine's other load does not change.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkSubmit' -benchtime 1x ./jobs
func BenchmarkSubmit(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			var first, cpu time.Duration
			var size int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				srv := scaleServer(b, n)
				spec := scaleSpec(n)
				path := filepath.Join(b.TempDir(), "bench.db")
				ctx := context.Background()
				st, err := Open(ctx, path, &Options{Keyring: newMemSecrets()})
				if err != nil {
					b.Fatal(err)
				}
				r := NewRunner(st, dialer(srv.Addr().String(), 4), &RunnerOptions{PollInterval: time.Millisecond})
				events, unsub := r.Subscribe()
				rctx, cancel := context.WithCancel(ctx)
				done := make(chan struct{})
				b.StartTimer()
				start, cpu0 := time.Now(), processCPU()
				id, err := st.CreateTask(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				spec = TaskSpec{}
				go func() { defer close(done); r.Start(rctx) }()
				gotFirst := false
				for e := range events {
					if !gotFirst && e.JobID != 0 && e.Status == StatusCompleted {
						first += time.Since(start)
						gotFirst = true
					}
					if e.TaskID == id && e.JobID == 0 && Terminal(e.Status) {
						if e.Status != StatusCompleted {
							b.Fatalf("task %s: %s", e.Status, e.Err)
						}
						break
					}
				}
				b.StopTimer()
				cpu += processCPU() - cpu0
				unsub()
				cancel()
				<-done
				if got := srv.AddCount("UserAddRequest22V2"); got != n {
					b.Fatalf("%d users added, want %d", got, n)
				}
				st.Close()
				size += dbSize(b, path)
				b.StartTimer()
			}
			b.ReportMetric(first.Seconds()/float64(b.N), "first-job-s")
			b.ReportMetric(float64(size)/float64(b.N)/float64(n), "B/user")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(n), "cpu-us/user")
			}
		})
	}
}

// BenchmarkCreateTask stores a task of n users (sealing every job) and
// nothing else.
func BenchmarkCreateTask(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			spec := scaleSpec(n)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), &Options{Keyring: newMemSecrets()})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := st.CreateTask(context.Background(), spec); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
		})
	}
}

// importCSV is a file of n users in bwbulk's own headers, each with a
// Polycom phone, for the demo group acme-ent/acme-hq.
func importCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("userId,firstName,lastName,password,deviceType,deviceName,macAddress,linePort\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "bulk%06d@acme.example.com,Test,User%06d,Pw!%06dxYz9,Polycom VVX 450,bulk%06d-phone,0004F2%06X,bulk%06d_lp@acme.example.com\n",
			i, i, i, i, i, i)
	}
	return b.Bytes()
}

// bigDemo is the demo server with a group that takes n users.
func bigDemo(b *testing.B, n int) *ocisim.Server {
	srv := ocisimtest.Start(b, nil)
	if !srv.SetUserLimit("acme-ent", "acme-hq", n+10) {
		b.Fatal("no group acme-ent/acme-hq")
	}
	return srv
}

// BenchmarkFileToTask is what `bwbulk submit` does before the first job
// is sent: read the file, check it as the preview does (against the
// group and the server's users, devices and numbers), plan it and store
// the task.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkFileToTask' -benchtime 1x ./jobs
func BenchmarkFileToTask(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			srv := bigDemo(b, n)
			file := importCSV(n)
			ctx := context.Background()
			c, err := broadworks.Dial(ctx, srv.Addr().String(), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), &Options{Keyring: newMemSecrets()})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				imp, err := importUsers(context.Background(), "users.csv", bytes.NewReader(file))
				if err != nil {
					b.Fatal(err)
				}
				facts, err := wizard.LoadFacts(ctx, LiveCatalogue{D: c}, "acme-ent", "acme-hq")
				if err != nil {
					b.Fatal(err)
				}
				wizard.PrepareImport(imp, facts)
				m := wizard.ModelForImport("acme-ent", true, facts, imp.Rows)
				p, err := m.Preview()
				if err != nil {
					b.Fatal(err)
				}
				if ps := p.Problems(); len(ps) > 0 || len(imp.Problems) > 0 {
					b.Fatalf("problems: %v %v", imp.Problems, ps)
				}
				rep, err := Check(ctx, c, CheckSpecFor(m, p), nil)
				if err != nil || len(rep.Problems) > 0 {
					b.Fatalf("check: %v %v", err, rep)
				}
				spec, _, err := PlanTask(m, p, ocisim.DefaultAdmin, "sim", "bench")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.CreateTask(ctx, spec); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
		})
	}
}

// benchTask opens a store in b's temporary folder holding a task of n
// users, its jobs then changed by the statement update; the store closes
// with b.
func benchTask(b *testing.B, n int, update string) (*Store, int64) {
	b.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), &Options{Keyring: newMemSecrets()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	id, err := st.CreateTask(ctx, scaleSpec(n))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.w.ExecContext(ctx, update); err != nil {
		b.Fatal(err)
	}
	return st, id
}

// taskViews are what the Tasks screen asks of a task's jobs: all of them
// (opening it), the failed ones, and a search.
var taskViews = []struct {
	name string
	f    Filter
}{{"open", Filter{}}, {"failed", Filter{Status: StatusFailed}}, {"search", Filter{Search: "bulk0042"}}}

// BenchmarkTaskJobs is what the Tasks screen asks the store when it opens
// a task of n users (its counts and every job) and when it filters by
// status or searches.
func BenchmarkTaskJobs(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			ctx := context.Background()
			// One job in a hundred failed.
			st, id := benchTask(b, n, `UPDATE jobs SET status = 'failed', error_text = 'User already exists' WHERE row % 100 = 0`)
			for _, c := range taskViews {
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						if _, err := st.Task(ctx, id); err != nil {
							b.Fatal(err)
						}
						if _, err := st.Jobs(ctx, id, c.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
