package jobs

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim/ocisimtest"
)

// Copying a desk's own history into the team database, twice: the first
// run copies the finished task with its jobs, outcomes, passwords (readable
// with the team key) and audit, and leaves the unfinished one; the second
// copies nothing more. No task is stored twice, none is run again.
func TestTeam_CopyHistoryTwice(t *testing.T) {
	ctx := context.Background()
	sec := newMemSecrets()
	local, err := Open(ctx, filepath.Join(t.TempDir(), "bwbulk.db"), &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	srv := ocisimtest.Start(t, nil)
	h := startRunner(t, local, dialer(srv.Addr().String(), 2), nil)
	done, us := storeNumberlessTask(t, local, "ch", 6)
	h.waitTask(done, time.Minute, StatusCompleted)
	h.stop()
	left, _ := storeNumberlessTask(t, local, "cl", 2)
	wantAudit, err := local.Audit(ctx, done)
	if err != nil || len(wantAudit) < 6 {
		t.Fatalf("local audit: %d, %v", len(wantAudit), err)
	}

	team, err := OpenTeam(ctx, TeamConfig{URL: newPGDatabase(t)}, &Options{Keyring: sec})
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	rep, err := team.CopyHistory(ctx, local)
	if err != nil || rep.Copied != 1 || rep.Already != 0 || !slices.Equal(rep.Left, []int64{left}) {
		t.Fatalf("first copy: %+v, %v", rep, err)
	}
	rep, err = team.CopyHistory(ctx, local)
	if err != nil || rep.Copied != 0 || rep.Already != 1 || !slices.Equal(rep.Left, []int64{left}) {
		t.Fatalf("second copy: %+v, %v", rep, err)
	}
	ts, err := team.ListTasks(ctx)
	if err != nil || len(ts) != 1 {
		t.Fatalf("team tasks after two copies: %+v, %v", ts, err)
	}
	got, want := ts[0], mustTask(t, local, done)
	if got.Status != StatusCompleted || got.Completed != 6 || got.Total != 6 || got.Description != want.Description ||
		!got.Created.Equal(want.Created) || got.Desk != Desk() {
		t.Fatalf("copied task %+v, local %+v", got, want)
	}
	js, err := team.JobsWithPayload(ctx, got.ID, Filter{})
	if err != nil || len(js) != 6 {
		t.Fatalf("copied jobs: %d, %v", len(js), err)
	}
	for i, j := range js {
		if j.Status != StatusCompleted || j.UserID != us[i].userID || j.Fields["password"] != us[i].password || len(j.Commands) == 0 {
			t.Errorf("copied job %d: %+v", i, j)
		}
	}
	audit, err := team.Audit(ctx, got.ID)
	if err != nil || len(audit) != len(wantAudit) {
		t.Fatalf("copied audit: %d entries, want %d (%v)", len(audit), len(wantAudit), err)
	}
	for i := range audit {
		if audit[i].Command != wantAudit[i].Command || audit[i].Request != wantAudit[i].Request || audit[i].Outcome != wantAudit[i].Outcome {
			t.Errorf("audit %d: %+v, want %+v", i, audit[i], wantAudit[i])
		}
	}
	acts, _ := team.actions(ctx, got.ID)
	if len(acts) != 1 || acts[0].Action != "copy" {
		t.Errorf("actions of the copy: %+v", acts)
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 6 {
		t.Errorf("%d adds: the copy sent something", n)
	}
}

func mustTask(t *testing.T, st *Store, id int64) Task {
	t.Helper()
	task, err := st.Task(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return task
}
