package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/internal/pgtest"
)

// A desk offline during a submit, on a real PostgreSQL stopped and started
// again. The window's store is open when the database goes away: its
// submit waits in the desk's queue (a negative id, listed as queued). A
// second process starts while the database is out of reach (the command
// line): it opens the desk database, its submit waits too and cannot be
// run from there. A move that stopped half-way is played: the first task
// is in the team database already and still queued. When the database is
// back both join the team's queue once, the runner creates every user on
// the simulator once and none twice.
func TestTeamQueue_OfflineSubmit(t *testing.T) {
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
	dir, sec := t.TempDir(), newMemSecrets()
	opts := &Options{Keyring: sec}
	first, err := ConnectTeam(ctx, dir, url, "", opts)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := first.HasTeamKey(); !ok || err != nil {
		t.Fatalf("team key: %v %v", ok, err)
	}
	if _, err := first.SaveProfile(ctx, Profile{Name: "sim", Address: "sim"}); err != nil {
		t.Fatal(err)
	}
	first.Close()

	win, err := OpenData(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer win.Close()
	if _, off := win.TeamOffline(); off || !win.Shared() {
		t.Fatal("the window's store is not the team's")
	}
	srv := ocisimtest.Start(t, nil)
	h := startRunner(t, win, dialer(srv.Addr().String(), 4), &RunnerOptions{PollInterval: 100 * time.Millisecond})
	defer h.stop()
	us := hqUsers("oq", 20)
	for i := range us {
		us[i].number = ""
	}

	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	qid, err := win.CreateTask(ctx, taskOf(us[:12], nil))
	if err != nil || qid >= 0 {
		t.Fatalf("submit while the team database is stopped: id %d, %v (want a queued task)", qid, err)
	}
	ts, err := win.ListTasks(ctx)
	if err != nil || len(ts) != 1 || ts[0].ID != qid || !ts[0].Queued || ts[0].Total != 12 || ts[0].Error != waitingTeam {
		t.Fatalf("tasks while the team database is stopped: %+v, %v", ts, err)
	}
	if js, err := win.Jobs(ctx, qid, Filter{}); err != nil || len(js) != 12 {
		t.Fatalf("queued task's jobs: %d, %v", len(js), err)
	}

	// Another process, started while the database is out of reach.
	cli, err := OpenData(ctx, dir, opts)
	if err != nil {
		t.Fatalf("open while the team database is stopped: %v", err)
	}
	why, off := cli.TeamOffline()
	if !off || why == "" {
		t.Fatalf("TeamOffline = %q, %v", why, off)
	}
	if ps, err := cli.Profiles(ctx); err != nil || len(ps) != 1 || ps[0].Name != "sim" {
		t.Fatalf("profiles offline: %+v, %v", ps, err)
	}
	cid, err := cli.CreateTask(ctx, taskOf(us[12:], nil))
	if err != nil {
		t.Fatal(err)
	}
	if task, err := cli.Task(ctx, cid); err != nil || !task.Queued || task.Status != StatusWaiting {
		t.Fatalf("the second submit: %+v, %v", task, err)
	}
	if err := NewRunner(cli, dialer(srv.Addr().String(), 1), nil).Run(ctx, cid); !errors.Is(err, ErrQueuedTask) {
		t.Fatalf("running a queued task: %v", err)
	}
	cli.Close()
	time.Sleep(3 * moveEvery) // the movers try meanwhile
	if n := srv.AddCount("UserAddRequest22V2"); n != 0 {
		t.Fatalf("%d users added while the tasks were queued", n)
	}

	// The first task's move stopped after its commit.
	spec, err := win.local.queuedSpec(ctx, -qid)
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.Start(); err != nil {
		t.Fatal(err)
	}
	if err := pgtest.WaitReady(ctx, url); err != nil {
		t.Fatal(err)
	}
	other, err := OpenTeam(ctx, TeamConfig{URL: url}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.createTask(ctx, spec); err != nil && !errors.Is(err, ErrOriginExists) {
		t.Fatal(err)
	}

	deadline := time.Now().Add(time.Minute)
	for {
		n, err := win.Queued(ctx)
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d tasks still queued a minute after the database is back (%v)", n, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts, err = other.ListTasks(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("the team's tasks: %+v, %v (want the 2 submitted offline, once each)", ts, err)
	}
	for _, task := range ts {
		h.waitTask(task.ID, time.Minute, StatusCompleted)
	}
	for _, u := range us {
		if _, ok := srv.User(u.userID); !ok {
			t.Errorf("user %s missing on the server", u.userID)
		}
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != len(us) {
		t.Errorf("%d adds accepted for %d users", n, len(us))
	}
	if _, err := os.Stat(filepath.Join(dir, DeskFile)); err != nil {
		t.Error(err)
	}
}
