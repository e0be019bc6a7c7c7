package desk

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"bwbulk/jobs"
)

// TeamReport is what `bwbulk team status` says of a data folder's team
// mode, and what `bwbulk team connect` says of the database it connected.
type TeamReport struct {
	// URL is the team database of team.json, without password; "" when
	// team mode is off.
	URL string
	// Problem says what is wrong with the team database (jobs.Diagnose's
	// words: unreachable, TLS, login refused, missing rights, schema too
	// new…); "" when this desk works on it.
	Problem string
	// Offline is set when the team database is out of reach and this
	// desk's submits wait in its own queue (Queued of them).
	Offline bool
	Queued  int
	// Status, Key and Members are read only when Problem is "".
	Status  jobs.TeamStatus
	HasKey  bool
	KeyErr  error         // the team key could not be read
	Members []jobs.Member // nil when they could not be read
}

// DiagnoseTeam opens the store of data folder dir as every command does
// (jobs.OpenData) and reports on its team mode. The error is non-nil only
// when the folder's team settings cannot be read.
func DiagnoseTeam(ctx context.Context, dir string, opts *jobs.Options) (TeamReport, error) {
	var r TeamReport
	u, err := jobs.TeamURL(dir)
	if err != nil || u == "" {
		return r, err
	}
	r.URL = u
	st, err := jobs.OpenData(ctx, dir, opts)
	if err != nil {
		r.Problem = strings.SplitN(err.Error(), "\n", 2)[0]
		return r, nil
	}
	defer st.Close()
	if why, off := st.TeamOffline(); off {
		r.Problem, r.Offline = why, true
		r.Queued, _ = st.Queued(ctx)
		return r, nil
	}
	r = ReportTeam(ctx, st)
	r.URL = u
	return r, nil
}

// ReportTeam reports on st, a store open on the team database: its
// schema, tasks and the tasks running now, this desk's queue, the team key
// and the team's desks.
func ReportTeam(ctx context.Context, st *jobs.Store) TeamReport {
	var r TeamReport
	ts, err := st.TeamStatus(ctx)
	if err != nil {
		r.Problem = jobs.Diagnose(err)
		return r
	}
	r.Status = ts
	if n, err := st.Queued(ctx); err == nil {
		r.Queued = n
	}
	r.HasKey, r.KeyErr = st.HasTeamKey()
	if ms, err := st.Members(ctx); err == nil {
		r.Members = ms
	}
	return r
}

// LocalTaskCount counts the tasks of data folder dir's own database
// (bwbulk.db, the history from before team mode): through cur when it is
// that database, else opened with opts; 0 when there is none.
func LocalTaskCount(ctx context.Context, cur *jobs.Store, dir string, opts *jobs.Options) int {
	if isLocal(cur, dir) {
		ts, _ := cur.ListTasks(ctx)
		return len(ts)
	}
	l, err := jobs.LocalHistory(ctx, dir, opts)
	if err != nil || l == nil {
		return 0
	}
	defer l.Close()
	ts, _ := l.ListTasks(ctx)
	return len(ts)
}

// isLocal reports whether st is data folder dir's own database.
func isLocal(st *jobs.Store, dir string) bool {
	return st != nil && !st.Shared() && st.Path() == filepath.Join(dir, "bwbulk.db")
}

// ErrNoLocalHistory is CopyHistory's error when the desk has no database
// of its own to copy.
var ErrNoLocalHistory = errors.New("this desk has no history of its own to copy")

// TeamOutOfReach is CopyHistory's error when the team database cannot be
// worked on: nothing is copied.
type TeamOutOfReach struct{ Why string }

func (e *TeamOutOfReach) Error() string {
	return "the team database is out of reach (" + e.Why + "): nothing copied"
}

// CopyStopped is CopyHistory's error when the copy stopped part-way; the
// report says how many tasks it copied before.
type CopyStopped struct{ Err error }

func (e *CopyStopped) Error() string { return e.Err.Error() }
func (e *CopyStopped) Unwrap() error { return e.Err }

// CopyHistory copies the finished tasks of data folder dir's own database
// into the team database (jobs.Store.CopyHistory). team is the store open
// on the folder (jobs.OpenData); local is used when it is the folder's
// own database (it may be nil), else that is opened with opts. The error
// is *TeamOutOfReach when the team database is out of reach,
// ErrNoLocalHistory when there is nothing to copy, *CopyStopped when the
// copy stopped part-way, else the one of opening the desk's database.
func CopyHistory(ctx context.Context, dir string, team, local *jobs.Store, opts *jobs.Options) (jobs.CopyReport, error) {
	if why, off := team.TeamOffline(); off || !team.Shared() {
		return jobs.CopyReport{}, &TeamOutOfReach{Why: why}
	}
	if !isLocal(local, dir) {
		var err error
		if local, err = jobs.LocalHistory(ctx, dir, opts); err != nil {
			return jobs.CopyReport{}, err
		}
		if local == nil {
			return jobs.CopyReport{}, ErrNoLocalHistory
		}
		defer local.Close()
	}
	rep, err := team.CopyHistory(ctx, local)
	if err != nil {
		return rep, &CopyStopped{Err: err}
	}
	return rep, nil
}
