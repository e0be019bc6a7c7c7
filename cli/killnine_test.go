package cli_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
)

// TestCLI_KillNineDuringSubmit: `bwbulk submit --wait` of a large file is
// killed (SIGKILL) at points chosen by what it has done — while the task's
// jobs are still being stored, once they are stored with documents in
// flight, and near the end — while the simulator, a process of its own,
// lives on. The database must pass PRAGMA integrity_check right after the
// kill; `bwbulk resume` then leaves every job in one final state with
// nothing in flight, and the server, read over OCI-P, holds exactly the
// users the task counts as completed, each added once. A task whose
// storing was cut is cancelled as incomplete and says so.
func TestCLI_KillNineDuringSubmit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("kill -9 of a process that holds SQLite open is a Unix test")
	}
	const small = 3000
	// Each row has a device: a job sends the device's add (step 0), then
	// the user's (step 1). A kill with a user add in flight leaves a job
	// whose outcome only the server knows.
	inStorage := func(p progress) bool { return p.storing && p.stored < p.planned && p.userAdds > 0 }
	inFlight := func(p progress) bool {
		return !p.storing && p.stored == p.planned && p.userAdds > 0 && p.completed > 0 && p.completed < p.planned/2
	}
	nearEnd := func(p progress) bool {
		return !p.storing && p.userAdds > 0 && p.completed >= p.planned*9/10 && p.completed < p.planned
	}
	points := []struct {
		name  string
		users int
		// kills are when the submit, then each resume but the last, is
		// killed.
		kills []func(p progress) bool
		// incomplete: the kill lands while the jobs are being stored.
		incomplete bool
	}{
		{"while storing", 12000, []func(progress) bool{inStorage}, true},
		{"stored, user adds in flight", small, []func(progress) bool{inFlight}, false},
		{"near the end", small, []func(progress) bool{nearEnd}, false},
		{"in flight, then its resume near the end", small, []func(progress) bool{inFlight, nearEnd}, false},
	}
	for i, pt := range points {
		t.Run(pt.name, func(t *testing.T) {
			k := newKillRun(t, fmt.Sprintf("k%d", i), pt.users)
			var at []string
			for j, when := range pt.kills {
				args := []string{"submit", k.file, "--profile", "sim", "--group", "acme-ent/acme-hq", "--wait"}
				if j > 0 {
					args = []string{"resume", "1", "--profile", "sim"}
				}
				at = append(at, args[0]+" at "+k.runAndKill(args, when).String())
				k.checkDB("after the kill of "+args[0], false)
			}
			r := k.run("", "resume", "1", "--profile", "sim")
			task := k.checkDB("after the resume", true)
			onServer := k.serverUsers()
			completed := k.completedUsers()
			adds := k.stopSim()

			task.planned = pt.users
			if pt.incomplete {
				if task.status != "cancelled" || !strings.Contains(task.error, "incomplete") || task.stored >= task.planned {
					t.Errorf("task %s %q with %d of %d jobs stored, want cancelled as incomplete", task.status, task.error, task.stored, task.planned)
				}
			} else if task.status != "completed" || len(completed) != pt.users || r.code != 0 {
				t.Errorf("task %s with %d of %d users completed, want all (resume: %v)", task.status, len(completed), pt.users, r)
			}
			missing, extra := 0, 0
			for u := range completed {
				if !onServer[u] {
					missing++
					if missing <= 3 {
						t.Errorf("user %s completed but not on the server", u)
					}
				}
			}
			for u := range onServer {
				if !completed[u] {
					extra++
					if extra <= 3 {
						t.Errorf("user %s on the server but not counted completed", u)
					}
				}
			}
			if adds != len(onServer) {
				t.Errorf("the server applied %d user adds for the task's %d users on it", adds, len(onServer))
			}
			msg := fmt.Sprintf("cli: kill -9 %s (%s): task %s, %d of %d jobs stored, %d users completed; server %d users, %d adds, %d missing, %d not counted",
				pt.name, strings.Join(at, "; "), task.status, task.stored, task.planned, len(completed), len(onServer), adds, missing, extra)
			fmt.Println(msg)
			if t.Failed() {
				t.Logf("%s\nresume: %v", msg, r)
			}
		})
	}
}

// killRun is one data folder, one simulator process and one file of
// users for a kill.
type killRun struct {
	*env
	prefix  string
	n       int
	state   string
	sim     *exec.Cmd
	simAddr string
	adds0   int // user adds the simulator had applied before the task
	file    string
}

var simOn = regexp.MustCompile(`OCI-P simulator on tcp://(\S+) `)

func newKillRun(t *testing.T, prefix string, n int) *killRun {
	t.Helper()
	k := &killRun{env: &env{t: t, dir: t.TempDir()}, prefix: prefix, n: n}
	// The demo state with room for the users in acme-hq.
	k.state = filepath.Join(k.dir, "sim-state.json")
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: k.state})
	k.adds0 = srv.AddCount("UserAddRequest22V2")
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	b, err := os.ReadFile(k.state)
	if err == nil {
		err = json.Unmarshal(b, &w)
	}
	if err != nil {
		t.Fatal(err)
	}
	w["serviceProviders"].(map[string]any)["acme-ent"].(map[string]any)["groups"].(map[string]any)["acme-hq"].(map[string]any)["userLimit"] = n + 500
	if b, err = json.Marshal(w); err == nil {
		err = os.WriteFile(k.state, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(k.state + ".log")
	k.startSim()
	if r := k.run(ocisim.DefaultPassword+"\n", "profile", "add", "sim", "--address", k.simAddr, "--admin", ocisim.DefaultAdmin); r.code != 0 {
		t.Fatalf("profile add: %v", r)
	}
	recs := [][]string{{"userId", "firstName", "lastName", "password", "deviceType", "deviceName", "macAddress", "linePort"}}
	for i := 1; i <= n; i++ {
		recs = append(recs, []string{fmt.Sprintf("%s%06d@acme.example.com", prefix, i), "Test", fmt.Sprintf("User%06d", i),
			fmt.Sprintf("Pw!%06dxYz9", i), "Polycom VVX 450", fmt.Sprintf("%s%06d-phone", prefix, i),
			fmt.Sprintf("0004F3%06X", i), fmt.Sprintf("%s%06d_lp@acme.example.com", prefix, i)})
	}
	k.file = k.env.file("users.csv", recs)
	return k
}

// startSim runs `bwbulk sim` on the state file, a process of its own.
func (k *killRun) startSim() {
	t := k.t
	t.Helper()
	cmd := exec.Command(bin, "sim", "--listen", "127.0.0.1:0", "--state", k.state, "--quiet")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	k.sim = cmd
	t.Cleanup(func() {
		if k.sim != nil {
			k.sim.Process.Kill()
			k.sim.Wait()
		}
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := simOn.FindStringSubmatch(sc.Text()); m != nil {
			k.simAddr = m[1]
			go func() {
				for sc.Scan() {
				}
			}()
			return
		}
	}
	t.Fatal("bwbulk sim printed no address")
}

// stopSim stops the simulator as a person does (Ctrl-C) and returns how
// many user adds it applied for the task, read from its state.
func (k *killRun) stopSim() int {
	t := k.t
	t.Helper()
	k.sim.Process.Signal(os.Interrupt)
	if err := k.sim.Wait(); err != nil {
		t.Errorf("bwbulk sim: %v", err)
	}
	k.sim = nil
	srv := ocisim.NewDemo(&ocisim.Options{StateFile: k.state})
	defer srv.Close()
	return srv.AddCount("UserAddRequest22V2") - k.adds0
}

// progress is what the submitting process has done, read from its
// database.
type progress struct {
	storing                              bool
	planned, stored, completed, inflight int
	userAdds                             int // jobs with their user add in flight
}

func (p progress) String() string {
	s := fmt.Sprintf("%d of %d jobs stored, %d completed, %d in flight (%d user adds)", p.stored, p.planned, p.completed, p.inflight, p.userAdds)
	if p.storing {
		s += ", storing"
	}
	return s
}

func (k *killRun) db() *sql.DB {
	k.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(k.dir, "bwbulk.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		k.t.Fatal(err)
	}
	return db
}

func readProgress(db *sql.DB) (progress, error) {
	var (
		p       progress
		storing sql.NullString
	)
	err := db.QueryRow(`SELECT storing, planned, (SELECT count(*) FROM jobs WHERE task_id = tasks.id),
		(SELECT count(*) FROM jobs WHERE task_id = tasks.id AND status = 'completed'),
		(SELECT count(*) FROM jobs WHERE task_id = tasks.id AND inflight = 1),
		(SELECT count(*) FROM jobs WHERE task_id = tasks.id AND inflight = 1 AND step = 1)
		FROM tasks WHERE id = 1`).Scan(&storing, &p.planned, &p.stored, &p.completed, &p.inflight, &p.userAdds)
	p.storing = storing.String != ""
	return p, err
}

// runAndKill starts bwbulk with args and kills it (SIGKILL) once
// at(progress) is true; it returns what was done at the kill.
func (k *killRun) runAndKill(args []string, at func(progress) bool) progress {
	t := k.t
	t.Helper()
	cmd := k.cmd("", args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	db := k.db()
	defer db.Close()
	var last progress
	for deadline := time.Now().Add(2 * time.Minute); ; {
		select {
		case err := <-exited:
			t.Fatalf("%s ended (%v) before the kill point; last seen %s\n%s", args[0], err, last, out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the kill point was not reached in 2 minutes; last seen %s", last)
		}
		if p, err := readProgress(db); err == nil {
			// A task stored in one transaction has no planned count.
			p.planned = k.n
			last = p
			if at(p) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	return last
}

// taskState is where task 1 rests.
type taskState struct {
	status, error   string
	planned, stored int
}

// checkDB checks the database: integrity, and with final set every job in
// one final state and none in flight. It returns task 1.
func (k *killRun) checkDB(when string, final bool) taskState {
	t := k.t
	t.Helper()
	db := k.db()
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("%s: integrity_check %q, %v", when, ok, err)
	}
	var ts taskState
	if err := db.QueryRow(`SELECT status, error, planned, (SELECT count(*) FROM jobs WHERE task_id = 1) FROM tasks WHERE id = 1`).
		Scan(&ts.status, &ts.error, &ts.planned, &ts.stored); err != nil {
		t.Fatalf("%s: task 1: %v", when, err)
	}
	if !final {
		return ts
	}
	var notFinal, inflight, twice int
	if err := db.QueryRow(`SELECT
		(SELECT count(*) FROM jobs WHERE status NOT IN ('completed', 'failed', 'cancelled')),
		(SELECT count(*) FROM jobs WHERE inflight <> 0 OR unverified <> 0),
		(SELECT count(*) FROM (SELECT user_id FROM jobs GROUP BY task_id, user_id HAVING count(*) > 1))`).
		Scan(&notFinal, &inflight, &twice); err != nil {
		t.Fatal(err)
	}
	if notFinal+inflight+twice != 0 {
		t.Errorf("%s: %d jobs not in a final state, %d in flight or to be checked, %d users with more than one job", when, notFinal, inflight, twice)
	}
	if !jobsTerminal(ts.status) {
		t.Errorf("%s: task 1 is %s", when, ts.status)
	}
	return ts
}

func jobsTerminal(s string) bool { return s == "completed" || s == "failed" || s == "cancelled" }

// completedUsers are the users of the task's completed jobs.
func (k *killRun) completedUsers() map[string]bool {
	db := k.db()
	defer db.Close()
	rows, err := db.Query(`SELECT user_id FROM jobs WHERE task_id = 1 AND status = 'completed'`)
	if err != nil {
		k.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var u string
		rows.Scan(&u)
		out[u] = true
	}
	return out
}

// serverUsers are the file's users in acme-hq, as the simulator lists
// them over OCI-P.
func (k *killRun) serverUsers() map[string]bool {
	t := k.t
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := broadworks.Dial(ctx, k.simAddr, &broadworks.Options{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(ctx, &oci.UserGetListInGroupRequest{ServiceProviderID: "acme-ent", GroupID: "acme-hq"})
	if err != nil {
		t.Fatal(err)
	}
	tb := resp.(*oci.UserGetListInGroupResponse).UserTable
	out := map[string]bool{}
	for r := range tb.Rows {
		if id := tb.Col(r, "User Id"); strings.HasPrefix(id, k.prefix) {
			if out[id] {
				t.Errorf("user %s listed twice by the server", id)
			}
			out[id] = true
		}
	}
	return out
}
