package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/internal/pgtest"
	"bwbulk/jobs"
)

// The Tasks screen of a desk in team mode, live: another desk submits a
// task and its runner runs it, none of it in this window's process; the
// window's list shows the task, its progress and the desk that runs it,
// each state of the team database within the polling bound
// (reloadInterval, plus a flush and a read).
func TestTasks_TeamLive(t *testing.T) {
	const n = 100
	ctx := context.Background()
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	url, err := pgtest.NewDatabase(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	sec := &memKeyring{}
	win, err := jobs.OpenTeam(ctx, jobs.TeamConfig{URL: url, Desk: "ann@desk-a"}, &jobs.Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer win.Close()
	if ok, err := win.HasTeamKey(); !ok || err != nil {
		t.Fatal(ok, err)
	}
	other, err := jobs.OpenTeam(ctx, jobs.TeamConfig{URL: url, Desk: "bob@desk-b"}, &jobs.Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	// Slow enough that the task runs through several polls of the window.
	srv := ocisimtest.Start(t, &ocisim.Options{Latency: 600 * time.Millisecond})
	demo := desk.DemoAt(srv.Addr().String())
	a := test.NewTempApp(t)
	session := desk.NewSession(win, demo)
	defer session.Close()
	// The window's runner is not started: every command is sent by the
	// other desk.
	u := New(a, &Options{Version: "test", DataDir: t.TempDir(), Session: session, Runner: jobs.NewRunner(win, session.Connect, nil)})
	defer u.Close()
	type shown struct {
		at   time.Time
		line string
	}
	lines := make(chan shown, 1000)
	u.tasks.flushed = func() {
		for _, tk := range u.tasks.tasks {
			select {
			case lines <- shown{time.Now(), taskNumber(tk, "#%d ") + desk.TaskTitle(tk) + " · " + u.tasks.taskLine(tk)}:
			default:
			}
		}
	}
	u.tasks.start()

	spec := jobs.TaskSpec{Description: fmt.Sprintf("%d users from desk b", n), OSUser: "bob", Admin: ocisim.DefaultAdmin, Server: demo.Addr}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("live%02d@acme.example.com", i)
		spec.Jobs = append(spec.Jobs, jobs.JobSpec{Row: i, UserID: id, Fields: map[string]string{"password": "Secret#123456"}, Commands: planOne(t, id)})
	}
	id, err := other.CreateTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	runDone := make(chan struct{})
	defer func() { stop(); <-runDone }()
	connect := func(ctx context.Context) (*broadworks.Pool, error) {
		return broadworks.NewPool(1, func(ctx context.Context) (*broadworks.Client, error) {
			c, err := broadworks.Dial(ctx, demo.Addr, &broadworks.Options{Timeout: 10 * time.Second})
			if err != nil {
				return nil, err
			}
			if _, err := c.Login(ctx, demo.Admin, demo.Password); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		}), nil
	}
	runner := jobs.NewRunner(other, connect, &jobs.RunnerOptions{PollInterval: 100 * time.Millisecond, Logf: t.Logf})
	go func() { defer close(runDone); runner.Start(rctx) }()

	// Each time: what the team database says now, then how long until
	// the window shows at least that much.
	bound := reloadInterval + flushInterval + time.Second
	var worst time.Duration
	seenRunBy, seenMid := false, false
	for {
		tk, err := other.Task(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		since := time.Now()
		want := fmt.Sprintf("#%d %d users from desk b", id, n)
		for {
			var s shown
			select {
			case s = <-lines:
			case <-time.After(time.Until(since.Add(bound))):
			}
			if time.Since(since) > bound {
				t.Fatalf("the window did not show %d/%d done (%s) within %v (last: %q)", tk.Completed, n, tk.Status, bound, s.line)
			}
			if !strings.HasPrefix(s.line, want) || s.at.Before(since) {
				continue
			}
			if !doneAtLeast(s.line, tk.Completed) || tk.Status == jobs.StatusCompleted && !strings.Contains(s.line, "completed · ") {
				continue
			}
			if lag := s.at.Sub(since); lag > worst {
				worst = lag
			}
			t.Logf("%s, %d done in the team database: the window shows %q after %v", tk.Status, tk.Completed, s.line, s.at.Sub(since).Round(10*time.Millisecond))
			if strings.Contains(s.line, "runs on bob@desk-b pid ") {
				seenRunBy = true
			}
			if d := doneOf(s.line); d > 0 && d < n {
				seenMid = true
			}
			break
		}
		if tk.Status == jobs.StatusCompleted {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if !seenMid {
		t.Error("the task was never seen part-way")
	}
	if !seenRunBy {
		t.Error("the window never said which desk runs the task")
	}
	if got := len(srv.UsersInGroup("acme-ent", "acme-hq")); got < n {
		t.Errorf("%d users on the server", got)
	}
	t.Logf("team Tasks screen: the window showed each state of the team database within %v (bound %v)", worst.Round(10*time.Millisecond), bound)
}

// doneAtLeast reports whether a task line shows at least k done.
func doneAtLeast(line string, k int) bool { return doneOf(line) >= k }

// doneOf is the number done a task line shows (-1 when none).
func doneOf(line string) int {
	for _, part := range strings.Split(line, " · ") {
		var done, total int
		if n, _ := fmt.Sscanf(part, "%d/%d", &done, &total); n == 2 {
			return done
		}
	}
	return -1
}

// A submit while the team database is stopped: the window's Tasks list
// shows the task first, as queued and waiting for the team database;
// once the database is back it is the team's task number 1.
func TestTasks_TeamQueued(t *testing.T) {
	ctx := context.Background()
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	url, err := pgtest.NewDatabase(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	dir, sec := t.TempDir(), &memKeyring{}
	first, err := jobs.ConnectTeam(ctx, dir, url, "", &jobs.Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	first.HasTeamKey()
	first.Close()
	st, err := jobs.OpenData(ctx, dir, &jobs.Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := test.NewTempApp(t)
	session := desk.NewSession(st, nil)
	defer session.Close()
	u := New(a, &Options{Version: "test", DataDir: dir, Session: session})
	defer u.Close()
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	spec := jobs.TaskSpec{Description: "1 user while the team database is down", Admin: "admin", Server: "sim",
		Jobs: []jobs.JobSpec{{Row: 1, UserID: "q1@acme.example.com", Commands: planOne(t, "q1@acme.example.com")}}}
	if id, err := st.CreateTask(ctx, spec); err != nil || id >= 0 {
		t.Fatalf("CreateTask: %d, %v", id, err)
	}
	line := func() string {
		u.tasks.reloadTasks()
		for _, tk := range u.tasks.tasks {
			if strings.Contains(tk.Description, "while the team database is down") {
				return taskNumber(tk, "#%d ") + u.tasks.taskLine(tk)
			}
		}
		return ""
	}
	if l := line(); !strings.HasPrefix(l, "Queued · waiting for the team database · 0/1") {
		t.Fatalf("Tasks while the team database is stopped: %q", l)
	}
	for _, tk := range u.tasks.tasks {
		if tk.Queued {
			u.tasks.selectTask(tk.ID)
		}
	}
	v := u.tasks
	for name, b := range map[string]*keyButton{"Pause": v.pause, "Cancel": v.cancel, "Retry all failed": v.retryAll, "Download": v.download, "Undo": v.undoBtn} {
		if !b.Disabled() {
			t.Errorf("%s is enabled on a task still kept on this desk", name)
		}
	}
	if got := v.counts.Text; !strings.Contains(got, "joins the team's queue when the team database answers") {
		t.Errorf("the queued task's progress line: %q", got)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.HasPrefix(line(), "#1 pending · 0/1") })
}
