package ui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// StallReport is how long the UI goroutine was unavailable while a task
// ran: each sample is the time a no-op fyne.DoAndWait took, one every
// 5 ms.
type StallReport struct {
	Users         int
	TaskTime      time.Duration
	Samples       int
	Max, P99, P50 time.Duration
	Over50ms      int
	// PreviewBuild is how long the preview took to appear.
	PreviewBuild time.Duration
	// PreviewStall is the longest wait for the UI goroutine while the
	// preview was built and first drawn, before Submit.
	PreviewStall time.Duration
	// SubmitStall is the longest wait between Submit and the task being
	// stored (the Tasks screen is drawn meanwhile); Stored is when that
	// was, since Submit. The figures above are from then until the task
	// ended.
	SubmitStall, Stored time.Duration
	FinalStatus         string
	Completed, Bad      int
	// Worst lists the stalls over 50 ms while the task ran: how long, and
	// when (since Submit).
	Worst []string
}

func (r StallReport) String() string {
	return fmt.Sprintf("ui-stall: users=%d status=%s completed=%d failed=%d task=%s preview-build=%s preview-draw-stall=%s submit-stall=%s stored-after=%s samples=%d max=%s p99=%s p50=%s over50ms=%d %v",
		r.Users, r.FinalStatus, r.Completed, r.Bad, r.TaskTime.Round(time.Millisecond), r.PreviewBuild.Round(time.Millisecond), r.PreviewStall.Round(time.Millisecond),
		r.SubmitStall.Round(time.Millisecond), r.Stored.Round(time.Millisecond),
		r.Samples, r.Max.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.P50.Round(time.Microsecond), r.Over50ms, r.Worst)
}

// MeasureStall submits a task of n users (in a new group of the demo
// enterprise) through the preview, shows the Tasks screen, and samples the
// UI goroutine's latency every 5 ms until the task ends. Run it from a
// goroutine of a running application with a runner.
func (u *UI) MeasureStall(n int, log io.Writer) (StallReport, error) {
	rep := StallReport{Users: n}
	start := time.Now()
	plan, err := u.stallPreview(n, &rep)
	if err != nil {
		return rep, err
	}
	fmt.Fprintf(log, "preview of %d users built in %s, drawn and settled after %s; submitting\n", n, rep.PreviewBuild, time.Since(start).Round(time.Millisecond))

	if u.runner == nil {
		return rep, fmt.Errorf("no runner")
	}
	ctx, cancel := context.WithCancel(u.ctx)
	// The end of the task is an event: reading the task's counts while it
	// runs would compete for the processor with what is measured.
	events, unsubscribe := u.runner.Subscribe()
	defer unsubscribe()
	type sample struct{ at, d time.Duration }
	var samples []sample
	sampled := make(chan struct{})
	start = time.Now()
	go func() {
		defer close(sampled)
		for ctx.Err() == nil {
			t0 := time.Now()
			fyne.DoAndWait(func() {})
			samples = append(samples, sample{t0.Sub(start), time.Since(t0)})
			time.Sleep(5 * time.Millisecond)
		}
	}()
	fyne.DoAndWait(func() { u.wizard.preview.createTask(plan) })
	var id int64
	for wait := time.Now().Add(time.Minute); id == 0; {
		if time.Now().After(wait) {
			cancel()
			<-sampled
			return rep, fmt.Errorf("the task did not appear within a minute of Submit")
		}
		time.Sleep(10 * time.Millisecond)
		fyne.DoAndWait(func() { id = u.tasks.selected })
	}
	// The task runs from when it is stored; the poll sees that up to a
	// poll (10 ms and a DoAndWait) late, so samples from 20 ms earlier on
	// count as the task's.
	rep.Stored = time.Since(start) - 20*time.Millisecond
	var task jobs.Task
	for ended := false; !ended; {
		select {
		case ev := <-events:
			ended = ev.TaskID == id && ev.JobID == 0 && jobs.Terminal(ev.Status)
		case <-time.After(10 * time.Second): // an end before the subscription, say
			task, err = u.store().Task(ctx, id)
			ended = err != nil || jobs.Terminal(task.Status)
		}
	}
	if err == nil {
		task, err = u.store().Task(ctx, id)
	}
	rep.TaskTime = time.Since(start) - rep.Stored
	time.Sleep(500 * time.Millisecond) // the last flushes
	cancel()
	<-sampled
	if err != nil {
		return rep, err
	}
	rep.FinalStatus, rep.Completed, rep.Bad = task.Status, task.Completed, task.Failed
	var during []time.Duration
	for _, s := range samples {
		if s.at < rep.Stored {
			rep.SubmitStall = max(rep.SubmitStall, s.d)
			continue
		}
		during = append(during, s.d)
		if s.d > 50*time.Millisecond {
			rep.Worst = append(rep.Worst, fmt.Sprintf("%s@%s", s.d.Round(time.Millisecond), s.at.Round(time.Millisecond)))
			rep.Over50ms++
		}
	}
	slices.Sort(during)
	rep.Samples = len(during)
	if len(during) > 0 {
		rep.Max = during[len(during)-1]
		rep.P99 = during[len(during)*99/100]
		rep.P50 = during[len(during)/2]
	}
	return rep, nil
}

// stallPreview opens a preview of n users in a new group of the demo
// enterprise, waits until it is built, drawn and the window settles, and
// plans its task; rep gets the preview's own costs.
func (u *UI) stallPreview(n int, rep *StallReport) (*submitPlan, error) {
	for i := 0; i < 400; i++ {
		var st Connectivity
		fyne.DoAndWait(func() { st = u.status.conn })
		if st == Online {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	m := wizard.NewModel()
	m.Enterprise = wizard.EnterpriseStep{Mode: wizard.ModeSelect, ID: "acme-ent", IsEnterprise: true}
	gid := fmt.Sprintf("load-%d", time.Now().Unix()%100000)
	m.Group = wizard.GroupStep{Mode: wizard.ModeCreate, ID: gid, Domain: "acme.example.com", UserLimit: n + 10}
	m.UserCount = n
	m.UserID = wizard.UserIDStep{Template: "load{{ index | pad 5 }}-" + gid, Domain: "acme.example.com"}
	var plan *submitPlan
	var err error
	start := time.Now()
	fyne.DoAndWait(func() {
		u.Show(ScreenNewUsers)
		u.wizard.reset(m, wizard.StepPreview, 0)
	})
	// The preview is built (off the UI goroutine), drawn, and the window
	// settles before Submit, as when someone reads it first: the longest
	// wait till then is the preview's own cost, reported apart from the
	// task's.
	settle := time.Now().Add(20 * time.Second)
	for quiet := 0; quiet < 20 && time.Now().Before(settle); {
		t0 := time.Now()
		building := true
		fyne.DoAndWait(func() { building = u.wizard.preview.building })
		d := time.Since(t0)
		rep.PreviewStall = max(rep.PreviewStall, d)
		switch {
		case building:
		case rep.PreviewBuild == 0:
			rep.PreviewBuild = time.Since(start)
		case d < 5*time.Millisecond:
			quiet++
		default:
			quiet = 0
		}
		time.Sleep(10 * time.Millisecond)
	}
	fyne.DoAndWait(func() {
		if u.wizard.preview.p == nil {
			err = fmt.Errorf("preview not built")
			return
		}
		prof := u.session.Profile()
		plan, err = buildPlan(u.wizard.m, u.wizard.preview.p, prof.AdminUser, prof.Address)
	})
	return plan, err
}
