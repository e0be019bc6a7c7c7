package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"bwbulk/jobs"
)

// While a task waits for its server the terminal's bar is cleared (no
// time left is shown for work that does not move) and the waiting line
// stands; when the server answers again the bar comes back.
func TestProgress_barStopsWhileWaiting(t *testing.T) {
	var out bytes.Buffer
	p := newProgressBar(&out, jobs.Task{ID: 7, Total: 100, Status: jobs.StatusRunning}, true)
	pause := func() { time.Sleep(150 * time.Millisecond) } // the bar draws at most every 100 ms
	pause()
	p.event(jobs.Event{TaskID: 7, Status: jobs.StatusRunning, Done: 10, Total: 100})
	if !strings.Contains(out.String(), "/100") || p.bar.State().CurrentNum != 10 {
		t.Fatalf("no bar while running:\n%q", out.String())
	}
	out.Reset()
	p.event(jobs.Event{TaskID: 7, Status: jobs.StatusRunning, Err: "waiting for the server since 14:05 (no answer for 6 s)", Done: 10, Total: 100})
	for i := 0; i < 5; i++ {
		pause()
		p.event(jobs.Event{TaskID: 7, Status: jobs.StatusRunning, Err: "waiting for the server since 14:05 (no answer for 6 s)", Done: 10, Total: 100})
	}
	got := out.String()
	_, after, _ := strings.Cut(got, "task 7: waiting for the server since 14:05")
	if !strings.Contains(got, "task 7: waiting for the server since 14:05") || strings.Contains(after, "/100") {
		t.Errorf("while waiting:\n%q", got)
	}
	out.Reset()
	pause()
	p.event(jobs.Event{TaskID: 7, Status: jobs.StatusRunning, Done: 20, Total: 100})
	if !strings.Contains(out.String(), "/100") || p.bar.State().CurrentNum != 20 {
		t.Errorf("the bar did not come back:\n%q", out.String())
	}
	if p.waiting {
		t.Error("still waiting after the server answered")
	}
}
