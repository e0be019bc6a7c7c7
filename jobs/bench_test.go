package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// benchLatency is the simulator's delay per document: the protocol's
// ceiling is 15 commands × 4 sessions per benchLatency.
const benchLatency = 20 * time.Millisecond

// provisionOnce creates 1,000 users (device + user + number: three
// commands each) in a fresh simulator and returns the time from task
// submission to its completion. Read-back is off so both variants send the
// same 3,000 commands.
func provisionOnce(b *testing.B, sessions, batch int) time.Duration {
	b.StopTimer()
	const n = 1000
	srv := ocisimtest.Start(b, &ocisim.Options{Latency: benchLatency})
	ctx := context.Background()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		b.Fatal(err)
	}
	for _, cmd := range bulkSetup(n) {
		if _, err := c.Do(ctx, cmd); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	us := bulkUsers(n)
	spec := TaskSpec{Description: "benchmark", OSUser: "bench", Admin: ocisim.DefaultAdmin, Server: "sim"}
	for i, u := range us {
		number := u.number
		u.number = ""
		js := u.spec(i + 1)
		js.Commands = append(js.Commands, &oci.UserModifyRequest22{UserID: u.userID, PhoneNumber: oci.Set(number)})
		spec.Jobs = append(spec.Jobs, js)
	}
	st, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"), &Options{Keyring: newMemSecrets()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := NewRunner(st, dialer(srv.Addr().String(), sessions), &RunnerOptions{
		Sessions: sessions, BatchSize: batch, DisableReadBack: true, PollInterval: time.Millisecond})
	events, unsub := r.Subscribe()
	defer unsub()
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})

	b.StartTimer()
	start := time.Now()
	id, err := st.CreateTask(ctx, spec)
	if err != nil {
		b.Fatal(err)
	}
	go func() { defer close(done); r.Start(rctx) }()
	for e := range events {
		if e.TaskID == id && e.JobID == 0 && Terminal(e.Status) {
			if e.Status != StatusCompleted {
				b.Fatalf("task %s: %s", e.Status, e.Err)
			}
			break
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	if got := srv.AddCount("UserAddRequest22V2"); got != n {
		b.Fatalf("%d users added, want %d", got, n)
	}
	if got := len(srv.FreeNumbers("acme-ent", "acme-bulk")); got != 0 {
		b.Fatalf("%d numbers left unassigned", got)
	}
	b.StartTimer()
	return elapsed
}

// BenchmarkProvision1000Users measures 1,000 users (device + user +
// number) against the simulator at 20 ms per document: pool4-batched
// (4 sessions, 15 commands per document) and sequential (one command per
// round trip on one session). Run both, once each:
//
//	go test -run='^$' -bench=BenchmarkProvision1000Users -benchtime=1x ./jobs
func BenchmarkProvision1000Users(b *testing.B) {
	ceiling := time.Duration(float64(3000) / (15 * 4) * float64(benchLatency)) // 1 s
	var batched, sequential time.Duration
	run := func(sessions, batch int, out *time.Duration) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			var total time.Duration
			for i := 0; i < b.N; i++ {
				total += provisionOnce(b, sessions, batch)
			}
			*out = total / time.Duration(b.N)
			b.ReportMetric(out.Seconds(), "s/1000users")
			b.ReportMetric(out.Seconds()/ceiling.Seconds(), "x-ceiling")
			if batched > 0 && sequential > 0 {
				b.ReportMetric(sequential.Seconds()/batched.Seconds(), "speedup")
			}
		}
	}
	b.Run("pool4-batched", run(4, 15, &batched))
	b.Run("sequential", run(1, 1, &sequential))
	if batched > 0 && sequential > 0 {
		fmt.Printf("jobs: BenchmarkProvision1000Users: pool4-batched %v, sequential %v, speedup %.1fx, pool4-batched/ceiling(%v) %.2f\n",
			batched.Round(time.Millisecond), sequential.Round(time.Millisecond), sequential.Seconds()/batched.Seconds(),
			ceiling, batched.Seconds()/ceiling.Seconds())
	}
}
