package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"bwbulk/broadworks/ocisim"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// releaseCommands is, per field release, the command each step of the
// wizard flow sends (a look-up, a planned add, the read-back) where
// releases differ: the newest version that release has, the suffix naming
// the release that introduced it. Written by hand from the R25 schema's
// current and deprecated files, not from the release table it checks.
var releaseCommands = map[string]map[string]string{
	"20.0": {
		"group look-up": "GroupGetRequest14sp7", "extension lengths": "GroupExtensionLengthGetRequest17",
		"password rules": "GroupPasswordRulesGetRequest16", "device types": "SystemDeviceTypeGetAvailableListRequest19",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest14", "user add": "UserAddRequest17sp4", "read-back": "UserGetRequest20",
	},
	"21.0": {
		"group look-up": "GroupGetRequest14sp7", "extension lengths": "GroupExtensionLengthGetRequest17",
		"password rules": "GroupPasswordRulesGetRequest16", "device types": "SystemDeviceTypeGetAvailableListRequest19",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest14", "user add": "UserAddRequest21", "read-back": "UserGetRequest21",
	},
	"22.0": {
		"group look-up": "GroupGetRequest22V5", "extension lengths": "GroupExtensionLengthGetRequest22",
		"password rules": "GroupPasswordRulesGetRequest22", "device types": "SystemDeviceTypeGetAvailableListRequest22V2",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest22V2", "user add": "UserAddRequest22V2", "read-back": "UserGetRequest22V9",
	},
	"23.0": {
		"group look-up": "GroupGetRequest22V5", "extension lengths": "GroupExtensionLengthGetRequest22",
		"password rules": "GroupPasswordRulesGetRequest22", "device types": "SystemDeviceTypeGetAvailableListRequest22V2",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest22V2", "user add": "UserAddRequest22V2", "read-back": "UserGetRequest23V2",
	},
	"24.0": {
		"group look-up": "GroupGetRequest22V5", "extension lengths": "GroupExtensionLengthGetRequest22",
		"password rules": "GroupPasswordRulesGetRequest22", "device types": "SystemDeviceTypeGetAvailableListRequest22V2",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest22V2", "user add": "UserAddRequest22V2", "read-back": "UserGetRequest23V2",
	},
	"25.0": {
		"group look-up": "GroupGetRequest22V5", "extension lengths": "GroupExtensionLengthGetRequest22",
		"password rules": "GroupPasswordRulesGetRequestRI", "device types": "SystemDeviceTypeGetAvailableListRequest22V2",
		"departments": "GroupDepartmentGetListRequest18",
		"device add":  "GroupAccessDeviceAddRequest22V2", "user add": "UserAddRequest22V2", "read-back": "UserGetRequest23V2",
	},
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
// the way. Each step sends the version its release has (releaseCommands)
// and nothing is refused as unknown.
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
			want := releaseCommands[rel]
			if got := h.srv.AddCount(want["user add"]); got != n {
				t.Errorf("%s accepted %d times, want %d", want["user add"], got, n)
			}
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
			for step, cmd := range want {
				if len(seen[step]) != 1 || !seen[step][cmd] {
					t.Errorf("R%s %s sent %v, want %s", rel, step, seen[step], cmd)
				}
			}
			if t.Failed() || testing.Verbose() {
				t.Logf("R%s: %d users in %v; commands: %s", rel, n, time.Since(start).Round(time.Millisecond), log)
			}
		})
	}
}
