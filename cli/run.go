package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"bwbulk/desk"
	"bwbulk/jobs"
)

// runAndFollow runs task id in this process with the jobs runner, showing
// progress, until it is done or paused by Ctrl-C. When another process
// (the window, another bwbulk) holds the runner lock, that process runs
// the task and this one follows it in the store, saying which process it
// is; when that process ends before the task, the task goes on here.
func runAndFollow(ctx context.Context, f *flags, st *jobs.Store, s *desk.Session, id int64) int {
	return runWhileStoring(ctx, f, st, s, id, nil, nil)
}

// runWhileStoring is runAndFollow for a task whose jobs storing is still
// storing (nil: stored): once every job is stored it calls release, which
// lets go of what they were planned from (a large file's rows), so that
// the collector does not go over them again and again while the task runs.
func runWhileStoring(ctx context.Context, f *flags, st *jobs.Store, s *desk.Session, id int64, storing *jobs.Storing, release func()) int {
	var stored <-chan struct{}
	if storing != nil && release != nil {
		stored = storing.Done()
	}
	e := f.e
	lock, err := st.LockRunner()
	if errors.Is(err, jobs.ErrLocked) {
		holder := runnerName(st)
		fmt.Fprintf(e.Stderr, "Task %d is run by %s, which runs the tasks of this data folder. Following it here, and running it here if that process ends first; Ctrl-C stops following.\n", id, holder)
		var code int
		if lock, code = followStore(ctx, f, st, id, holder); lock == nil {
			return code
		}
		fmt.Fprintf(e.Stderr, "%s has ended: task %d goes on here (what it sent but did not record is read back from the server first).\n", upper(holder), id)
	} else if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer lock.Unlock()
	if os.Getenv("GOGC") == "" {
		// What runs holds little (a document's jobs, not the task's), and
		// the soft limit of the heap still bounds it: the collector runs
		// less often, which is most of what a large task costs beyond its
		// documents.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	_ = st.NoteRunner(fmt.Sprintf("%s --wait (pid %d)", f.Name(), os.Getpid()))
	// Jobs stored before the compact form are rewritten once (see
	// jobs.Store.Compact); a failure leaves them readable as they are.
	_, _ = st.Compact(ctx)
	t, err := st.Task(ctx, id)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	runner := jobs.NewRunner(st, s.Connect, nil)
	events, unsubscribe := runner.Subscribe()
	defer unsubscribe()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx, id) }()
	prog := newProgress(e.Stderr, t)
	pausing := false
	var runErr error
wait:
	for {
		select {
		case ev := <-events:
			if ev.TaskID == id {
				prog.event(ev)
			}
		case <-sigs:
			if pausing {
				prog.note("Stopping at once. bwbulk resume checks with the server what was done before sending again.")
				stop()
				continue
			}
			pausing = true
			if err := runner.Pause(ctx, id); err == nil {
				prog.note(fmt.Sprintf("Pausing task %d after the documents in flight (Ctrl-C again to stop at once)…", id))
			}
		case <-stored:
			stored = nil
			release()
		case runErr = <-done:
			break wait
		}
	}
	prog.finish()
	return report(ctx, f, st, id, t.Completed, time.Since(start), runErr)
}

// report prints where the task rests and returns the exit status; before
// is how many jobs were completed when this run began, took how long it ran.
// It reads where the task rests even when ctx was cancelled to stop the run.
func report(ctx context.Context, f *flags, st *jobs.Store, id int64, before int, took time.Duration, runErr error) int {
	e := f.e
	t, err := st.Task(context.WithoutCancel(ctx), id)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	counts := fmt.Sprintf("%d of %d users created, %d failed", t.Completed, t.Total, t.Failed)
	if t.UndoOf != 0 {
		counts = fmt.Sprintf("%d of %d jobs of the undo of task %d done, %d failed", t.Completed, t.Total, t.UndoOf, t.Failed)
	}
	if t.Cancelled > 0 {
		counts += fmt.Sprintf(", %d cancelled", t.Cancelled)
	}
	if t.Checking > 0 {
		counts += fmt.Sprintf(", %d to be checked with the server", t.Checking)
	}
	switch {
	case errors.Is(runErr, context.Canceled):
		fmt.Fprintf(e.Stderr, "Task %d stopped (%s). Continue with: bwbulk resume %d\n", id, counts, id)
		return ExitInterrupted
	case runErr != nil:
		fmt.Fprintf(e.Stderr, "Task %d: %v (%s). Continue with: bwbulk resume %d\n", id, runErr, counts, id)
		return ExitUsage
	case t.Status == jobs.StatusPaused && t.Attention != "":
		fmt.Fprintf(e.Stderr, "Task %d needs attention (%s): %s\nOnce that is fixed: bwbulk resume %d\n", id, counts, t.Attention, id)
		return ExitUsage
	case t.Status == jobs.StatusPaused:
		fmt.Fprintf(e.Stderr, "Task %d paused (%s). Continue with: bwbulk resume %d\n", id, counts, id)
		return ExitInterrupted
	}
	rate := ""
	if s, n := took.Seconds(), t.Completed-before; s > 0 && n > 0 {
		rate = fmt.Sprintf(", %d of them in %.2fs (%.0f users/s)", n, s, float64(n)/s)
	}
	fmt.Fprintf(e.Stderr, "Task %d %s: %s%s\n", id, t.Status, counts, rate)
	if t.Error != "" {
		fmt.Fprintf(e.Stderr, "  %s\n", t.Error)
	}
	if t.Failed > 0 || t.Checking > 0 || t.Status != jobs.StatusCompleted {
		if t.Failed > 0 {
			fmt.Fprintf(e.Stderr, "Failed jobs: bwbulk task %d --failed; queue them again: bwbulk retry %d\n", id, id)
		}
		return ExitProblems
	}
	return ExitOK
}

// runnerName is who holds the runner lock, for people.
func runnerName(st *jobs.Store) string {
	if n := st.RunnerNote(); n != "" {
		return n
	}
	return "another bwbulk"
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// followStore shows the progress of a task another process (holder) runs,
// read from the store, until it is finished, paused or cancelled; it then
// returns a nil lock and the exit status. When that process ends first
// (the runner lock is free), it returns the lock, taken: the caller runs
// the task.
func followStore(ctx context.Context, f *flags, st *jobs.Store, id int64, holder string) (*jobs.RunnerLock, int) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	t, err := st.Task(ctx, id)
	if err != nil {
		return nil, f.fail(ExitUsage, "%v", err)
	}
	start, before := time.Now(), t.Completed
	prog := newProgress(f.e.Stderr, t)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-sigs:
			prog.finish()
			if l, err := st.LockRunner(); err == nil {
				l.Unlock()
				fmt.Fprintf(f.e.Stderr, "Stopped following task %d; no process runs it now: bwbulk resume %d continues it.\n", id, id)
			} else {
				fmt.Fprintf(f.e.Stderr, "Stopped following task %d; it goes on in %s.\n", id, holder)
			}
			return nil, ExitInterrupted
		case <-ctx.Done():
			prog.finish()
			return nil, ExitInterrupted
		case <-tick.C:
		}
		if t, err = st.Task(ctx, id); err != nil {
			prog.finish()
			return nil, f.fail(ExitUsage, "%v", err)
		}
		prog.event(jobs.Event{TaskID: id, Status: t.Status, Err: t.Error, Done: t.Completed, Failed: t.Failed, Total: t.Total})
		if jobs.Terminal(t.Status) || t.Status == jobs.StatusPaused {
			prog.finish()
			return nil, report(ctx, f, st, id, before, time.Since(start), nil)
		}
		if l, err := st.LockRunner(); err == nil {
			prog.finish()
			return l, ExitOK
		}
	}
}

// progress shows a task's progress on w: a bar on a terminal, else a line
// at every tenth of the way and on every change of the task's status.
type progress struct {
	w                   io.Writer
	id                  int64
	bar                 *progressbar.ProgressBar
	total, done, failed int
	status, msg         string
	tenth               int
	start               time.Time
	// waiting is set while the task waits for its server: the bar is
	// cleared, so that no time left is shown for work that does not move.
	waiting bool
}

func newProgress(w io.Writer, t jobs.Task) *progress {
	fh, ok := w.(*os.File)
	return newProgressBar(w, t, ok && term.IsTerminal(int(fh.Fd())))
}

// newProgressBar is newProgress with the choice of a bar (a terminal) made.
func newProgressBar(w io.Writer, t jobs.Task, bar bool) *progress {
	p := &progress{w: w, id: t.ID, total: t.Total, done: t.Completed, failed: t.Failed, status: t.Status, start: time.Now()}
	p.tenth = p.tenthOf()
	if bar {
		p.bar = progressbar.NewOptions(max(t.Total, 1),
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(p.describe()),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("users"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionFullWidth(),
			progressbar.OptionSetRenderBlankState(true),
		)
		_ = p.bar.Set(p.done + p.failed)
	} else {
		fmt.Fprintf(w, "task %d: %s, %d of %d done\n", t.ID, t.Status, t.Completed+t.Failed, t.Total)
	}
	return p
}

func (p *progress) describe() string {
	d := fmt.Sprintf("task %d", p.id)
	if p.failed > 0 {
		d += fmt.Sprintf(" (%d failed)", p.failed)
	}
	return d
}

func (p *progress) tenthOf() int {
	if p.total == 0 {
		return 10
	}
	return (p.done + p.failed) * 10 / p.total
}

func (p *progress) event(ev jobs.Event) {
	if ev.Total > 0 {
		p.total = ev.Total
	}
	if ev.Done+ev.Failed >= p.done+p.failed {
		p.done, p.failed = ev.Done, ev.Failed
	}
	if ev.JobID == 0 && ev.Status != "" && (ev.Status != p.status || ev.Err != p.msg) {
		p.status, p.msg = ev.Status, ev.Err
		waiting := ev.Status == jobs.StatusWaiting || strings.HasPrefix(ev.Err, "waiting for")
		if p.bar != nil && waiting && !p.waiting {
			_ = p.bar.Clear()
		}
		p.waiting = waiting
		if ev.Status == jobs.StatusWaiting || ev.Err != "" {
			line := ev.Status
			if ev.Err != "" {
				line = ev.Err
			}
			p.note(fmt.Sprintf("task %d: %s", p.id, line))
		}
	}
	if p.bar != nil && p.waiting {
		return // no bar, hence no time left, until the server answers
	}
	if p.bar != nil {
		p.bar.Describe(p.describe())
		_ = p.bar.Set(p.done + p.failed)
		return
	}
	if n := p.tenthOf(); n > p.tenth {
		p.tenth = n
		line := fmt.Sprintf("task %d: %d of %d done, %d failed", p.id, p.done+p.failed, p.total, p.failed)
		if ev.Throughput > 0 {
			line += fmt.Sprintf(", %.0f users/s", ev.Throughput)
		}
		fmt.Fprintln(p.w, line)
	}
}

// note prints a line without breaking the bar.
func (p *progress) note(line string) {
	if p.bar != nil && p.waiting {
		fmt.Fprintln(p.w, line)
		return
	}
	if p.bar != nil {
		_ = p.bar.Clear()
		fmt.Fprintln(p.w, line)
		_ = p.bar.RenderBlank()
		return
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Exit()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}

func runResume(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "resume", "N [--profile NAME]", `
Continues task N here, as submit --wait does: a paused task, one stopped
by a second Ctrl-C, or one whose process was killed. What was sent but
not confirmed is first read back from the server, so every user is
created once. The task's server profile is found by its address unless
--profile names it. Exit status as submit --wait.`)
	profile := f.String("profile", "", "server profile `NAME` (default: the one with the task's server address)")
	if code, ok := f.parse(args, 1); !ok {
		return code
	}
	return resumeTask(ctx, f, *profile, f.Arg(0), false)
}

// resumeTask runs task arg here: paused tasks are resumed first. With
// queued set, a finished task is run too (its jobs were just queued).
func resumeTask(ctx context.Context, f *flags, profile, arg string, queued bool) int {
	id, ok := taskID(f, arg)
	if !ok {
		return ExitUsage
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	// Jobs stored before the compact form are rewritten once (see
	// jobs.Store.Compact), a finished task's too; a failure leaves them
	// readable as they are.
	_, _ = st.Compact(ctx)
	t, err := st.Task(ctx, id)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if jobs.Terminal(t.Status) && !queued {
		fmt.Fprintf(f.e.Stderr, "Task %d is %s: nothing to resume (bwbulk retry %d queues its failed jobs again).\n", id, t.Status, id)
		if t.Status == jobs.StatusCompleted && t.Failed == 0 {
			return ExitOK
		}
		return ExitProblems
	}
	tgt, err := taskTarget(ctx, f, st, t, profile)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer tgt.close()
	if t.Status == jobs.StatusPaused {
		// Resume through a runner that is not started: it changes the
		// stored status only, whichever process then runs the task.
		if err := jobs.NewRunner(st, nil, nil).Resume(ctx, id); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
	}
	s := f.session(st, tgt)
	defer s.Close()
	return runAndFollow(ctx, f, st, s, id)
}

// taskTarget is the profile named name, or the one on the task's server
// (its administrator preferred), or the built-in demo server for a task
// that ran on it.
func taskTarget(ctx context.Context, f *flags, st *jobs.Store, t jobs.Task, name string) (*target, error) {
	if name != "" {
		return f.connect(ctx, st, name, true)
	}
	ps, err := ownProfiles(ctx, st)
	if err != nil {
		return nil, err
	}
	var found []jobs.Profile
	for _, p := range ps {
		if p.Address == t.Server {
			if p.AdminUser == t.Admin {
				found = append([]jobs.Profile{p}, found...)
			} else {
				found = append(found, p)
			}
		}
	}
	if len(found) == 0 {
		if onDemo(t, ps) {
			return f.demoTarget()
		}
		return nil, fmt.Errorf("no profile for the task's server %s: add one with bwbulk profile add, or name one with --profile", t.Server)
	}
	return f.connect(ctx, st, found[0].Name, true)
}
