package ui

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/jobs"
)

// TestTasks_noTimeLeftWhileWaiting: the time left and the rate show while
// a task runs, and not once it waits for its server (the last estimate no
// longer holds); the task's words say since when it waits.
func TestTasks_noTimeLeftWhileWaiting(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	v := h.u.tasks
	msg := jobs.WaitingText(time.Now().Add(-23*time.Second), time.Now())
	v.tasks = []jobs.Task{{ID: 7, Description: "10 users", Status: jobs.StatusRunning, Total: 10}}
	v.selected = 7
	v.progress = map[int64]taskProgress{7: {Done: 3, Total: 10, ETA: 7 * time.Second, Throughput: 1.5, Status: jobs.StatusRunning}}
	v.showTask()
	if !strings.Contains(v.counts.Text, "about 7s left · 1.5 users/s") {
		t.Errorf("running: %q", v.counts.Text)
	}
	v.tasks[0].Status, v.tasks[0].Error = jobs.StatusWaiting, msg
	v.progress[7] = taskProgress{Done: 3, Total: 10, ETA: 7 * time.Second, Throughput: 1.5, Status: jobs.StatusWaiting}
	v.showTask()
	if strings.Contains(v.counts.Text, "left") || strings.Contains(v.counts.Text, "users/s") {
		t.Errorf("waiting: %q still estimates", v.counts.Text)
	}
	if !strings.Contains(v.detail.Text, "waiting for the server since ") || !strings.Contains(v.detail.Text, "(no answer for 23 s)") {
		t.Errorf("waiting: detail %q", v.detail.Text)
	}
}

// TestOfflineText: the status bar says why the server cannot be reached
// in a sentence, from the errors a real dial gives.
func TestOfflineText(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	<-ctx.Done()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, refused := broadworks.Dial(context.Background(), closed, &broadworks.Options{Timeout: time.Second})
	_, unknown := broadworks.Dial(context.Background(), "no-such-host.invalid:2208", &broadworks.Options{Timeout: 2 * time.Second})
	last := time.Date(2026, 12, 7, 14, 5, 0, 0, time.Local)
	now := last.Add(23 * time.Second)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"no answer", fmt.Errorf("broadworks: login: %w", ctx.Err()), "waiting for the server since 14:05 (no answer for 23 s)"},
		{"refused", refused, "refused the connection"},
		{"unknown host", unknown, "no-such-host.invalid is not known"},
	}
	for _, tc := range cases {
		got := offlineText(tc.err, last, now)
		if !strings.Contains(got, tc.want) || strings.Contains(got, "broadworks:") || strings.Contains(got, "dial tcp") ||
			strings.Contains(got, "context deadline") {
			t.Errorf("%s: %q (from %v), want a sentence with %q", tc.name, got, tc.err, tc.want)
		}
	}
}
