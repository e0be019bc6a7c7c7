package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"bwbulk/desk"
	"bwbulk/jobs"
)

func runTeam(ctx context.Context, e *Env, args []string) int {
	return subcommand(ctx, e, args, teamUsage, map[string]func(context.Context, *Env, []string) int{
		"connect": teamConnect, "status": teamStatus, "disconnect": teamDisconnect, "admit": teamAdmit,
		"copy-history": teamCopyHistory,
	})
}

const teamUsage = `Usage: bwbulk team connect|status|admit|copy-history|disconnect ...

  bwbulk team connect postgres://USER@HOST:5432/DATABASE?sslmode=verify-full [--password]
  bwbulk team status
  bwbulk team admit DESK
  bwbulk team copy-history
  bwbulk team disconnect

Team mode: the desks of a team share one task history and one queue in a
PostgreSQL database. The password of the URL is kept in the OS keyring,
never in the data folder. bwbulk team COMMAND --help for each.
`

func teamConnect(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "team connect", "postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full", `
Turns team mode on for this data folder: tasks, their jobs, profiles and
the audit are kept in the team's PostgreSQL database from now on. The
database is checked first (reachable, TLS, login, rights, schema) and its
tables created or brought up to date. With --password the role's password
is read from the terminal without echo (or the first line of standard
input); a password in the URL is taken out of it. Either way it is kept in
the OS keyring only.`)
	askPW := f.Bool("password", false, "read the role's password")
	if code, ok := f.parse(args, 1); !ok {
		return code
	}
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	pw := ""
	if *askPW {
		if pw, err = readPassword(e, "Password of the team database role: "); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
	}
	st, err := jobs.ConnectTeam(ctx, dir, f.Arg(0), pw, f.storeOptions())
	if err != nil {
		return f.fail(ExitUsage, "%v (team mode not turned on)", err)
	}
	defer st.Close()
	u, _ := jobs.TeamURL(dir)
	fmt.Fprintf(e.Stderr, "Team mode on: %s works on %s\n", jobs.Desk(), u)
	code := printTeamReport(f, desk.ReportTeam(ctx, st))
	if n := desk.LocalTaskCount(ctx, nil, dir, &jobs.Options{Keyring: jobs.OSKeyring{}}); n > 0 {
		fmt.Fprintf(e.Stderr, "This desk has %d tasks of its own (bwbulk.db): bwbulk team copy-history copies the finished ones into the team database (safe to repeat).\n", n)
	}
	return code
}

func teamCopyHistory(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "team copy-history", "", `
Copies the finished tasks of this desk's own database (bwbulk.db, the
history from before team mode) into the team database: jobs, outcomes,
passwords (sealed again with the team key) and audit. Safe to repeat: a
task copied before is not copied again. Tasks not finished are left in
bwbulk.db (finish them with team mode off). Nothing is sent to a server.`)
	if code, ok := f.parse(args, 0); !ok {
		return code
	}
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if u, err := jobs.TeamURL(dir); err != nil || u == "" {
		return f.fail(ExitUsage, "team mode is off: bwbulk team connect URL first")
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	rep, err := desk.CopyHistory(ctx, dir, st, nil, &jobs.Options{Keyring: jobs.OSKeyring{}})
	var stopped *desk.CopyStopped
	switch {
	case errors.Is(err, desk.ErrNoLocalHistory):
		fmt.Fprintln(e.Stderr, "This desk has no history of its own to copy.")
		return ExitOK
	case errors.As(err, &stopped):
		return f.fail(ExitUsage, "%v (%d tasks copied before it stopped; run it again to go on)", stopped.Err, rep.Copied)
	case err != nil:
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(e.Stdout, "Copied %d tasks into the team database (%d were copied before).\n", rep.Copied, rep.Already)
	if len(rep.Left) > 0 {
		ids := make([]string, len(rep.Left))
		for i, id := range rep.Left {
			ids[i] = fmt.Sprint(id)
		}
		fmt.Fprintf(e.Stdout, "Not finished, left in bwbulk.db: task %s.\n", strings.Join(ids, ", "))
	}
	return ExitOK
}

func teamStatus(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "team status", "", `
Says whether team mode is on for this data folder and, if it is, tests the
team database: reachable, TLS, login, rights and schema, and which tasks
run now on which desk.`)
	if code, ok := f.parse(args, 0); !ok {
		return code
	}
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	r, err := desk.DiagnoseTeam(ctx, dir, f.storeOptions())
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if r.URL == "" {
		fmt.Fprintf(e.Stdout, "Team mode is off: this desk keeps its tasks in %s.\n", dir)
		return ExitOK
	}
	fmt.Fprintf(e.Stdout, "Team database: %s\n", r.URL)
	return printTeamReport(f, r)
}

// printTeamReport prints what team status and team connect say of the
// team database.
func printTeamReport(f *flags, r desk.TeamReport) int {
	w := f.e.Stdout
	if r.Problem != "" {
		fmt.Fprintf(w, "Problem: %s\n", r.Problem)
		if r.Offline {
			fmt.Fprintf(w, "Queued on this desk: %d (they join the team's queue when the database is back)\n", r.Queued)
		}
		return ExitProblems
	}
	ts := r.Status
	fmt.Fprintf(w, "This desk: %s\n", ts.Desk)
	fmt.Fprintf(w, "Schema: %d of %d migrations (up to date)\n", len(ts.Migrations), ts.Known)
	fmt.Fprintf(w, "Tasks: %d\n", ts.Tasks)
	if r.Queued > 0 {
		fmt.Fprintf(w, "Queued on this desk: %d (joining the team's queue)\n", r.Queued)
	}
	if len(ts.Running) == 0 {
		fmt.Fprintln(w, "Running now: none")
	}
	for _, run := range ts.Running {
		fmt.Fprintf(w, "Running now: %s\n", run)
	}
	switch {
	case r.KeyErr != nil:
		fmt.Fprintf(w, "Team key: %v\n", r.KeyErr)
	case r.HasKey:
		fmt.Fprintln(w, "Team key: held (this desk reads and seals the team's passwords)")
	default:
		fmt.Fprintf(w, "Team key: not yet: on a desk that holds it, run: bwbulk team admit %s\n", ts.Desk)
	}
	for _, m := range r.Members {
		state := "waiting to be admitted"
		if m.Admitted {
			state = "admitted by " + m.AddedBy
		}
		fmt.Fprintf(w, "Member: %s (%s)\n", m.Desk, state)
	}
	return ExitOK
}

func teamAdmit(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "team admit", "DESK", `
Gives the team key to DESK (as team status lists it: user@computer), a desk
that connected and waits: the key is wrapped for that desk's public key,
so only that desk can unwrap it. This desk must hold the key.`)
	if code, ok := f.parse(args, 1); !ok {
		return code
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	if err := st.AdmitMember(ctx, f.Arg(0)); err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(e.Stderr, "%s is admitted: it reads and seals the team's passwords from now on.\n", f.Arg(0))
	return ExitOK
}

func teamDisconnect(_ context.Context, e *Env, args []string) int {
	f := newFlags(e, "team disconnect", "", `
Turns team mode off for this data folder: it works on its own database
again. The team database and the tasks in it are left as they are.`)
	if code, ok := f.parse(args, 0); !ok {
		return code
	}
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if err := jobs.DisconnectTeam(dir); err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintln(e.Stderr, "Team mode off.")
	return ExitOK
}
