package jobs

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkRecordDocuments is what the store does for the documents of a
// task of n users, without a server: for each document of 15 jobs, the
// intent (markSent) and then the outcomes and their audit (record), for
// the device, the user and the read-back of each job, as the runner
// stores them. s/op is the whole task; us/user and cpu-us/user are per
// user, flat from 1k to 100k when a document's cost does not grow with
// the task.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkRecordDocuments' -benchtime 1x -count 6 ./jobs
func BenchmarkRecordDocuments(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, id := benchTask(b, n, `SELECT 1`)
				js, err := st.loadRun(ctx, id, false)
				if err != nil {
					b.Fatal(err)
				}
				for _, j := range js {
					if err := st.openJob(j); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				cpu0 := processCPU()
				if err := recordTask(ctx, st, id, js); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - cpu0
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "us/user")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N)/float64(n), "cpu-us/user")
			}
		})
	}
}

// recordTask stores what the runner stores for each document of task
// taskID's jobs js: their commands, then their read-back, 15 jobs a
// document.
func recordTask(ctx context.Context, st *Store, taskID int64, js []*runJob) error {
	for lo := 0; lo < len(js); lo += 15 {
		doc := js[lo:min(lo+15, len(js))]
		for phase := 0; phase <= doc[0].ncmds; phase++ {
			sends := doc
			if phase == doc[0].ncmds {
				sends = nil // the read-back sends nothing
			}
			if err := st.markSent(ctx, sends); err != nil {
				return err
			}
			ups := make([]jobUpdate, 0, len(doc))
			audit := make([]AuditEntry, 0, len(doc))
			for _, j := range doc {
				status, cmd := StatusRunning, "UserGetRequest23V2"
				if phase < j.ncmds {
					cmd = j.raw[phase].Type
					j.step++
				} else {
					status = StatusCompleted
				}
				ups = append(ups, jobUpdate{id: j.id, status: status, step: j.step, attempts: 1})
				audit = append(audit, AuditEntry{TaskID: taskID, JobID: j.id, Command: cmd, Request: j.rendered(min(phase, j.ncmds-1)), Outcome: OutcomeSuccess})
			}
			if err := st.record(ctx, ups, audit); err != nil {
				return err
			}
		}
	}
	return nil
}
