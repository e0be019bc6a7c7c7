package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks/ocisim/ocisimtest"
)

// smallChunks stores tasks n jobs per transaction for the test.
func smallChunks(t *testing.T, n int) {
	old := StoreChunk
	StoreChunk = n
	t.Cleanup(func() { StoreChunk = old })
}

// lazySpec gives spec's jobs one at a time, each through at (nil: as
// they are).
func lazySpec(spec TaskSpec, at func(i int) error) TaskSpec {
	jobs := spec.Jobs
	spec.Jobs, spec.NumJobs = nil, len(jobs)
	spec.JobAt = func(i int) (JobSpec, error) {
		if at != nil {
			if err := at(i); err != nil {
				return JobSpec{}, err
			}
		}
		return jobs[i], nil
	}
	return spec
}

func TestStore_StartTask_ChunksRunFromTheFirst(t *testing.T) {
	smallChunks(t, 4)
	srv := ocisimtest.Start(t, nil)
	st := openTestStore(t, nil)
	ctx := context.Background()
	us := hqUsers("chunk", 18)
	// The jobs after the first chunk wait until the runner completed
	// one of the first: the task runs while it is being stored.
	ran := make(chan struct{})
	spec := lazySpec(taskOf(us, nil), func(i int) error {
		if i == 4 {
			select {
			case <-ran:
			case <-time.After(20 * time.Second):
				return errors.New("the runner did not start on the first chunk")
			}
		}
		return nil
	})
	w, err := st.StartTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	task, err := st.Task(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if task.Total != 18 || task.Stored != 4 || task.Pending != 18 {
		t.Fatalf("while stored: total %d, stored %d, pending %d; want 18, 4, 18", task.Total, task.Stored, task.Pending)
	}
	h := startRunner(t, st, dialer(srv.Addr().String(), 2), nil)
	events, unsub := h.runner.Subscribe()
	go func() {
		defer unsub()
		for e := range events {
			if e.JobID != 0 && e.Status == StatusCompleted {
				close(ran)
				return
			}
		}
	}()
	if err := w.Wait(); err != nil {
		t.Fatal(err)
	}
	task = h.waitTask(w.ID, 30*time.Second, StatusCompleted, StatusFailed, StatusCancelled)
	if task.Status != StatusCompleted || task.Completed != 18 || task.Total != 18 || task.Stored != 0 {
		t.Fatalf("task = %+v", task)
	}
	if n := srv.AddCount("UserAddRequest22V2"); n != 18 {
		t.Errorf("UserAddRequest22V2 accepted %d times, want 18", n)
	}
}

func TestStore_StartTask_StoringStops(t *testing.T) {
	smallChunks(t, 3)
	st := openTestStore(t, nil)
	ctx := context.Background()
	spec := lazySpec(taskOf(hqUsers("stop", 10), nil), func(i int) error {
		if i == 7 {
			return errors.New("disk full")
		}
		return nil
	})
	w, err := st.StartTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Wait(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Wait = %v, want the storing's error", err)
	}
	task, err := st.Task(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != StatusCancelled || task.Total != 6 || task.Cancelled != 6 || task.Stored != 0 ||
		!strings.Contains(task.Error, "only 6 of its 10 jobs were stored") {
		t.Fatalf("task = %+v", task)
	}
	if id, err := st.nextTask(ctx); err != nil || id != 0 {
		t.Fatalf("nextTask = %d, %v; want none", id, err)
	}
	acts, _ := st.actions(ctx, w.ID)
	if len(acts) < 2 || acts[len(acts)-1].Action != "incomplete" {
		t.Errorf("actions = %+v, want incomplete last", acts)
	}
}

func TestStore_StartTask_OneTransactionWhenSmall(t *testing.T) {
	smallChunks(t, 10)
	st := openTestStore(t, nil)
	ctx := context.Background()
	id, err := st.CreateTask(ctx, lazySpec(taskOf(hqUsers("small", 10), nil), nil))
	if err != nil {
		t.Fatal(err)
	}
	var storing string
	var planned int
	if err := st.r.QueryRowContext(ctx, `SELECT storing, planned FROM tasks WHERE id = ?`, id).Scan(&storing, &planned); err != nil {
		t.Fatal(err)
	}
	if storing != "" || planned != 0 {
		t.Fatalf("storing %q, planned %d; want a task stored whole", storing, planned)
	}
}

// A process killed while it stored a task: its runner-less task is not
// run by another process while the storing may go on, and is cancelled as
// incomplete once it stored nothing for storeTTL.
func TestStore_StartTask_StorerGone(t *testing.T) {
	smallChunks(t, 3)
	st := openTestStore(t, nil)
	ctx := context.Background()
	release := make(chan struct{})
	spec := lazySpec(taskOf(hqUsers("gone", 9), nil), func(i int) error {
		if i == 3 {
			<-release
		}
		return nil
	})
	w, err := st.StartTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	// Another process's runner does not take the task being stored.
	own := st.owner
	st.owner = "another desk pid 1 abcdef"
	if id, err := st.nextTask(ctx); err != nil || id != 0 {
		t.Fatalf("another process's nextTask = %d, %v; want none while it is stored", id, err)
	}
	st.owner = own
	if id, err := st.nextTask(ctx); err != nil || id != w.ID {
		t.Fatalf("the storing process's nextTask = %d, %v; want %d", id, err, w.ID)
	}
	// The storer stops for longer than storeTTL.
	if _, err := st.w.ExecContext(ctx, `UPDATE tasks SET storing_until = 1 WHERE id = ?`, w.ID); err != nil {
		t.Fatal(err)
	}
	st.owner = "another desk pid 1 abcdef"
	id, err := st.nextTask(ctx)
	st.owner = own
	if err != nil || id != 0 {
		t.Fatalf("nextTask after the storer stopped = %d, %v; want none", id, err)
	}
	task, _ := st.Task(ctx, w.ID)
	if task.Status != StatusCancelled || task.Total != 3 || !strings.Contains(task.Error, "only 3 of its 9 jobs were stored") {
		t.Fatalf("task = %+v", task)
	}
	close(release)
	if err := w.Wait(); !errors.Is(err, errStoringTaken) {
		t.Fatalf("Wait = %v, want %v", err, errStoringTaken)
	}
	if task, _ = st.Task(ctx, w.ID); task.Total != 3 {
		t.Fatalf("the storer went on storing: %+v", task)
	}
}
