package cli

import (
	"context"
	"fmt"
	"strings"

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
	code := printTeamStatus(ctx, f, st)
	if n := localTasks(ctx, dir); n > 0 {
		fmt.Fprintf(e.Stderr, "This desk has %d tasks of its own (bwbulk.db): bwbulk team copy-history copies the finished ones into the team database (safe to repeat).\n", n)
	}
	return code
}

// localTasks counts the tasks of dir's own database (0 when none).
func localTasks(ctx context.Context, dir string) int {
	l, err := jobs.LocalHistory(ctx, dir, &jobs.Options{Keyring: jobs.OSKeyring{}})
	if err != nil || l == nil {
		return 0
	}
	defer l.Close()
	ts, _ := l.ListTasks(ctx)
	return len(ts)
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
	if why, off := st.TeamOffline(); off {
		return f.fail(ExitUsage, "the team database is out of reach (%s): nothing copied", why)
	}
	local, err := jobs.LocalHistory(ctx, dir, &jobs.Options{Keyring: jobs.OSKeyring{}})
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if local == nil {
		fmt.Fprintln(e.Stderr, "This desk has no history of its own to copy.")
		return ExitOK
	}
	defer local.Close()
	rep, err := st.CopyHistory(ctx, local)
	if err != nil {
		return f.fail(ExitUsage, "%v (%d tasks copied before it stopped; run it again to go on)", err, rep.Copied)
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
	u, err := jobs.TeamURL(dir)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if u == "" {
		fmt.Fprintf(e.Stdout, "Team mode is off: this desk keeps its tasks in %s.\n", dir)
		return ExitOK
	}
	fmt.Fprintf(e.Stdout, "Team database: %s\n", u)
	st, err := jobs.OpenData(ctx, dir, f.storeOptions())
	if err != nil {
		fmt.Fprintf(e.Stdout, "Problem: %s\n", strings.SplitN(err.Error(), "\n", 2)[0])
		return ExitProblems
	}
	defer st.Close()
	if why, off := st.TeamOffline(); off {
		fmt.Fprintf(e.Stdout, "Problem: %s\n", why)
		n, _ := st.Queued(ctx)
		fmt.Fprintf(e.Stdout, "Queued on this desk: %d (they join the team's queue when the database is back)\n", n)
		return ExitProblems
	}
	return printTeamStatus(ctx, f, st)
}

func printTeamStatus(ctx context.Context, f *flags, st *jobs.Store) int {
	ts, err := st.TeamStatus(ctx)
	if err != nil {
		fmt.Fprintf(f.e.Stdout, "Problem: %s\n", jobs.Diagnose(err))
		return ExitProblems
	}
	fmt.Fprintf(f.e.Stdout, "This desk: %s\n", ts.Desk)
	fmt.Fprintf(f.e.Stdout, "Schema: %d of %d migrations (up to date)\n", len(ts.Migrations), ts.Known)
	fmt.Fprintf(f.e.Stdout, "Tasks: %d\n", ts.Tasks)
	if n, err := st.Queued(ctx); err == nil && n > 0 {
		fmt.Fprintf(f.e.Stdout, "Queued on this desk: %d (joining the team's queue)\n", n)
	}
	if len(ts.Running) == 0 {
		fmt.Fprintln(f.e.Stdout, "Running now: none")
	}
	for _, r := range ts.Running {
		fmt.Fprintf(f.e.Stdout, "Running now: %s\n", r)
	}
	has, err := st.HasTeamKey()
	switch {
	case err != nil:
		fmt.Fprintf(f.e.Stdout, "Team key: %v\n", err)
	case has:
		fmt.Fprintln(f.e.Stdout, "Team key: held (this desk reads and seals the team's passwords)")
	default:
		fmt.Fprintf(f.e.Stdout, "Team key: not yet: on a desk that holds it, run: bwbulk team admit %s\n", ts.Desk)
	}
	ms, err := st.Members(ctx)
	if err == nil {
		for _, m := range ms {
			state := "waiting to be admitted"
			if m.Admitted {
				state = "admitted by " + m.AddedBy
			}
			fmt.Fprintf(f.e.Stdout, "Member: %s (%s)\n", m.Desk, state)
		}
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
