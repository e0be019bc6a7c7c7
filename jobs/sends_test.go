package jobs

import (
	"context"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim/ocisimtest"
)

// TestStore_Sends counts every send of a job, across a retry: a user the
// server refuses twice has been sent twice, while Job.Attempts says how
// often its current command went out (once, in the last run).
func TestStore_Sends(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openStoreAt(t, t.TempDir(), newMemSecrets())
	us := hqUsers("sends", 2)
	us[1].userID = "branch.user01@acme.example.com" // exists: refused
	us[0].device, us[1].device = "", ""
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	ctx := context.Background()
	id, err := st.CreateTask(ctx, taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if _, err := st.RetryAllFailed(ctx, id); err != nil {
		t.Fatal(err)
	}
	h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	js, err := st.Jobs(ctx, id, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sends, err := st.sends(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if js[0].Status != StatusCompleted || sends[js[0].ID] != 1 {
		t.Errorf("row 1: %s, %d sends, want completed after 1", js[0].Status, sends[js[0].ID])
	}
	if js[1].Status != StatusFailed || sends[js[1].ID] != 2 || js[1].Attempts != 1 {
		t.Errorf("row 2: %s, %d sends, attempts %d; want failed, 2 sends, attempts 1", js[1].Status, sends[js[1].ID], js[1].Attempts)
	}
}

// TestStore_Attempts: a user added with its device and services at once
// was attempted once, though three commands went out; a refused user
// retried was attempted twice.
func TestStore_Attempts(t *testing.T) {
	srv := ocisimtest.Start(t, nil)
	st := openStoreAt(t, t.TempDir(), newMemSecrets())
	us := hqUsers("attempts", 2)
	us[1].userID = "branch.user01@acme.example.com" // exists: refused
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	ctx := context.Background()
	id, err := st.CreateTask(ctx, taskOf(us, nil))
	if err != nil {
		t.Fatal(err)
	}
	h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	if _, err := st.RetryAllFailed(ctx, id); err != nil {
		t.Fatal(err)
	}
	h.waitTask(id, 30*time.Second, StatusCompleted, StatusFailed)
	js, err := st.Jobs(ctx, id, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sends, _ := st.sends(ctx, id)
	att, err := st.Attempts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if js[0].Status != StatusCompleted || sends[js[0].ID] < 2 || att[js[0].ID] != 1 {
		t.Errorf("row 1: %s, %d sends, %d attempts; want completed, several sends, 1 attempt", js[0].Status, sends[js[0].ID], att[js[0].ID])
	}
	if js[1].Status != StatusFailed || att[js[1].ID] != 2 {
		t.Errorf("row 2: %s, %d attempts; want failed after 2", js[1].Status, att[js[1].ID])
	}
}
