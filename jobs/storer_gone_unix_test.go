//go:build unix

package jobs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// A process of this desk killed while it stored a task: a restart
// cancels the task as incomplete at once, without waiting storeTTL; a
// storer that still runs, or another desk's, is waited for.
func TestStore_StartTask_StorerKilled(t *testing.T) {
	smallChunks(t, 3)
	st := openTestStore(t, nil)
	ctx := context.Background()
	release := make(chan struct{})
	spec := lazySpec(taskOf(hqUsers("killed", 9), nil), func(i int) error {
		if i == 3 {
			<-release
		}
		return nil
	})
	w, err := st.StartTask(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		close(release)
		w.Wait()
	})
	// A process that has ended: its id is free.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	own := st.owner
	defer func() { st.owner = own }()
	for _, storer := range []string{
		fmt.Sprintf("%s pid %d abcdef", st.desk, os.Getpid()), // alive
		fmt.Sprintf("another desk pid %d abcdef", dead),       // not this desk's to judge
	} {
		if _, err := st.w.ExecContext(ctx, `UPDATE tasks SET storing = ? WHERE id = ?`, storer, w.ID); err != nil {
			t.Fatal(err)
		}
		st.owner = "the restart pid 1 123456"
		if id, err := st.nextTask(ctx); err != nil || id != 0 {
			t.Fatalf("storer %q: nextTask = %d, %v; want none while it may store", storer, id, err)
		}
		if task, _ := st.Task(ctx, w.ID); task.Status != StatusPending {
			t.Fatalf("storer %q: task = %+v, want it pending", storer, task)
		}
	}
	killed := fmt.Sprintf("%s pid %d abcdef", st.desk, dead)
	if _, err := st.w.ExecContext(ctx, `UPDATE tasks SET storing = ? WHERE id = ?`, killed, w.ID); err != nil {
		t.Fatal(err)
	}
	if id, err := st.nextTask(ctx); err != nil || id != 0 {
		t.Fatalf("nextTask after the storer was killed = %d, %v; want none", id, err)
	}
	task, _ := st.Task(ctx, w.ID)
	if task.Status != StatusCancelled || task.Total != 3 || !strings.Contains(task.Error, "only 3 of its 9 jobs were stored") {
		t.Fatalf("task = %+v, want it cancelled as incomplete at once", task)
	}
}
