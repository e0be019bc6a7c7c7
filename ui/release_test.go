package ui

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/internal/ocinames"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// releaseHas tells the requests a release has from facts that are not
// ours (ocinames.ReleaseHas).
func releaseHas(t *testing.T, rel string) func(string) bool {
	t.Helper()
	r, _ := oci.ParseRelease(rel)
	has, _, err := ocinames.ReleaseHas(r)
	if err != nil {
		t.Fatal(err)
	}
	return has
}

// family is the command family a version belongs to, as the step table
// names it.
func family(cmd string) string {
	for prefix, step := range map[string]string{
		"GroupGetRequest": "group look-up", "GroupExtensionLengthGetRequest": "extension lengths",
		"GroupPasswordRulesGetRequest": "password rules", "SystemDeviceTypeGetAvailableListRequest": "device types",
		"GroupDepartmentGetListRequest": "departments",
		"GroupAccessDeviceAddRequest":   "device add", "UserAddRequest": "user add", "UserGetRequest": "read-back",
	} {
		if strings.HasPrefix(cmd, prefix) {
			return step
		}
	}
	return ""
}

// commandLog counts the commands a simulator received, by xsi:type.
type commandLog struct {
	mu sync.Mutex
	n  map[string]int
}

func (l *commandLog) add(cmd string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n[cmd]++
}

func (l *commandLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k, v := range l.n {
		out = append(out, fmt.Sprintf("%s×%d", k, v))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// The whole wizard flow against the simulator emulating each field
// release: the look-ups, the preview, a 200-user task with a device and a
// number each, the read-back of every user, and a transient refusal on
// the way. Each step sends one version, one its release has (by the
// release's schema set where one is at hand), and nothing is refused as
// unknown.
func TestFlow_fieldReleases(t *testing.T) {
	const n = 200
	for _, rel := range []string{"20.0", "21.0", "22.0", "23.0", "24.0", "25.0"} {
		t.Run("R"+rel, func(t *testing.T) {
			log := &commandLog{n: map[string]int{}}
			h := newHarness(t, harnessOpts{runner: true, server: &ocisim.Options{
				Release: rel, OmitErrorCode: true,
				Intercept: func(cmd string, k int) *ocisim.Fault {
					log.add(cmd)
					if strings.HasPrefix(cmd, "UserAddRequest") && k == 17 {
						return &ocisim.Fault{Code: 5200, Message: "System busy, try again later"}
					}
					return nil
				},
			}})
			start := time.Now()
			h.toStep(wizard.StepNumbers, n)
			num := h.w.views[wizard.StepNumbers].(*numbersStep)
			num.mode.SetSelected(numList)
			num.add.SetText("2025550200-2025550399")
			num.add.OnSubmitted(num.add.Text)
			h.next()
			dev := h.w.views[wizard.StepDevice].(*deviceStep)
			dev.mode.SetSelected(devHosted)
			dev.devType.set("Generic SIP Phone")
			for h.w.cur < wizard.StepPreview {
				h.next()
			}
			if h.w.m.Release != rel {
				t.Errorf("wizard plans for release %q, want %q", h.w.m.Release, rel)
			}
			if !h.w.preview.p.Valid() {
				t.Fatalf("preview invalid: %v", h.w.preview.p.Problems())
			}
			h.next()
			top := h.u.win.Canvas().Overlays().Top()
			if top == nil {
				t.Fatal("Submit showed no dialog")
			}
			test.Tap(button(t, top, "Submit"))
			task := waitTask(t, h.store, h.u.tasks.selected, 2*time.Minute)
			if task.Status != jobs.StatusCompleted || task.Completed != n {
				js, _ := h.store.Jobs(context.Background(), task.ID, jobs.Filter{Status: jobs.StatusFailed})
				t.Fatalf("task = %+v; failed %+v", task, js[:min(3, len(js))])
			}
			for i := range n {
				id := fmt.Sprintf("user.%03d@acme.example.com", i+1)
				u, ok := h.srv.User(id)
				if !ok || u.PhoneNumber != fmt.Sprint(2025550200+i) || u.DeviceName == "" {
					t.Fatalf("%s: %+v (found %v)", id, u, ok)
				}
			}
			has := releaseHas(t, rel)
			seen := map[string]map[string]bool{}
			log.mu.Lock()
			for cmd := range log.n {
				if f := family(cmd); f != "" {
					if seen[f] == nil {
						seen[f] = map[string]bool{}
					}
					seen[f][cmd] = true
				}
			}
			log.mu.Unlock()
			for _, step := range []string{"group look-up", "extension lengths", "password rules", "device types", "departments", "device add", "user add", "read-back"} {
				if len(seen[step]) != 1 {
					t.Errorf("R%s %s sent in %d versions, want 1: %v", rel, step, len(seen[step]), seen[step])
				}
				for cmd := range seen[step] {
					if step == "user add" {
						if got := h.srv.AddCount(cmd); got != n {
							t.Errorf("%s accepted %d times, want %d", cmd, got, n)
						}
					}
				}
			}
			log.mu.Lock()
			for cmd := range log.n {
				if !has(cmd) {
					t.Errorf("R%s received %s, which that release does not have", rel, cmd)
				}
			}
			log.mu.Unlock()
			if t.Failed() || testing.Verbose() {
				t.Logf("R%s: %d users in %v; commands: %s", rel, n, time.Since(start).Round(time.Millisecond), log)
			}
		})
	}
}

// The rest of the help desk's loop in the window against each field
// release: a task with a service pack, a department it creates, a time
// zone, a language, contact and address (the Services step and the others),
// then Reuse → Start from this task, checked against the server and
// submitted, then Undo of the first task. Every command the server
// receives is one that release has, and none is refused as unknown.
func TestFlow_fieldReleasesReuseUndo(t *testing.T) {
	for _, rel := range []string{"20.0", "21.0", "22.0", "23.0", "24.0", "25.0"} {
		t.Run("R"+rel, func(t *testing.T) {
			log := &commandLog{n: map[string]int{}}
			refused := &commandLog{n: map[string]int{}}
			h := newHarness(t, harnessOpts{runner: true, server: &ocisim.Options{
				Release: rel, OmitErrorCode: true,
				Log:       refusalWriter{refused},
				Intercept: func(cmd string, k int) *ocisim.Fault { log.add(cmd); return nil },
			}})
			first, _, _ := earlierTask(t, h, true)

			// Reuse → Start from this task; the check against the server;
			// submitted.
			tapMenuItem(t, h.u.win.Canvas(), h.u.tasks.reuseBtn, reuseTask)
			w := h.w
			for w.cur < wizard.StepPreview {
				h.next()
			}
			if w.m.Release != rel {
				t.Errorf("the copy plans for release %q, want %q", w.m.Release, rel)
			}
			done := make(chan checkResult, 1)
			w.preview.runCheck(func(r checkResult) { done <- r })
			var res checkResult
			waitFor(t, func() bool {
				select {
				case res = <-done:
					return true
				default:
					return false
				}
			})
			if res.err != nil || res.rep == nil {
				t.Fatalf("check against the server: %+v", res)
			}
			if !w.preview.p.Valid() {
				t.Fatalf("the copy's preview is invalid after the check: %v", w.preview.p.Problems())
			}
			plan, err := buildPlan(w.m, w.preview.p, "admin", "demo")
			if err != nil {
				t.Fatal(err)
			}
			w.preview.createTask(plan)
			if task := waitTask(t, h.store, h.u.tasks.selected, time.Minute); task.ID == first || task.Status != jobs.StatusCompleted || task.Completed != 3 {
				t.Fatalf("the copy's task %+v", task)
			}

			// Undo of the first task.
			v := h.u.tasks
			v.reload()
			v.selectTask(first)
			waitFor(t, func() bool { cur, ok := v.current(); return ok && cur.ID == first && !v.undoBtn.Disabled() })
			v.undoItems[0].Action()
			waitFor(t, func() bool { return v.undoDialog != nil })
			test.Type(v.undoTyped, "acme-hq")
			test.Tap(v.undoConfirm)
			var undo jobs.Task
			waitFor(t, func() bool {
				ts, _ := h.store.ListTasks(context.Background())
				for _, t := range ts {
					if t.UndoOf == first {
						undo = t
						return true
					}
				}
				return false
			})
			if undo = waitTask(t, h.store, undo.ID, time.Minute); undo.Status != jobs.StatusCompleted || undo.Completed < 3 {
				t.Fatalf("undo task %+v", undo)
			}
			if n := len(h.srv.UsersInGroup("acme-ent", "acme-hq")); n != 3 {
				t.Errorf("%d users in acme-hq after the undo, want the copy's 3", n)
			}

			has := releaseHas(t, rel)
			log.mu.Lock()
			for cmd := range log.n {
				if !has(cmd) {
					t.Errorf("R%s received %s, which that release does not have", rel, cmd)
				}
			}
			log.mu.Unlock()
			if s := refused.String(); s != "" {
				t.Errorf("R%s refused as unknown: %s", rel, s)
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("R%s: commands: %s", rel, log)
			}
		})
	}
}

// refusalWriter counts, from a simulator's log, the commands refused as
// unknown ("NAME: [Error 6004]").
type refusalWriter struct{ l *commandLog }

var refusalLine = regexp.MustCompile(`(?m) (\w+): \[Error 6004\]`)

func (w refusalWriter) Write(p []byte) (int, error) {
	for _, m := range refusalLine.FindAllSubmatch(p, -1) {
		w.l.add(string(m[1]))
	}
	return len(p), nil
}
