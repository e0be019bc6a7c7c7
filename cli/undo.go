package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"bwbulk/jobs"
)

func runUndo(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "undo", "N [--jobs ROWS] [--yes GROUP] [--wait] [--profile NAME]", `
Undoes task N as the window's Undo does: reads from the server what the
task created, shows the plan (the users and devices it deletes, what it
leaves and why, what the deletes take with them), then stores the undo as
a task once confirmed. Confirm with --yes and the group id, as the window
asks to type it; on a terminal without --yes it asks for it. Nothing is
deleted that the task did not create. --jobs undoes some rows only (as
bwbulk task N numbers them, 1 the first user: 2,5-9). Without --wait the undo runs in the
window, or later with bwbulk resume; with --wait it runs here, as
submit --wait does (Ctrl-C pauses; resume after a crash sends nothing
twice). Exit status 0 when done (or nothing is left to undo), 1 when some
jobs failed, 2 when not confirmed.`)
	rows := f.String("jobs", "", "undo only the jobs of these spreadsheet `ROWS` (2,5-9)")
	yes := f.String("yes", "", "confirm: the `GROUP` id the task created its users in")
	wait := f.Bool("wait", false, "run the undo here and wait until it is done")
	profile := f.String("profile", "", "server profile `NAME` (default: the one with the task's server address)")
	id, code, ok := parseTask(f, args)
	if !ok {
		return code
	}
	st, t, code := openTask(ctx, f, id)
	if st == nil {
		return code
	}
	defer st.Close()
	var chosen []int64
	var err error
	if *rows != "" {
		if chosen, err = jobsOfRows(ctx, st, id, *rows); err != nil {
			return f.fail(ExitUsage, "--jobs: %v", err)
		}
	}
	tgt, err := taskTarget(ctx, f, st, t, *profile)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer tgt.close()
	s := f.session(st, tgt)
	defer s.Close()
	fmt.Fprintf(e.Stderr, "Reading from the server what task %d created…\n", id)
	plan, err := s.PlanUndo(ctx, st, id, chosen)
	if errors.Is(err, jobs.ErrNothingToUndo) {
		fmt.Fprintf(e.Stdout, "Nothing of what task %d created is left to undo.\n", id)
		if plan != nil {
			printList(e, "Left on the server", plan.Kept)
		}
		return ExitOK
	}
	if err != nil {
		return f.fail(ExitUsage, "%v", explain(err, tgt.p.Name, false))
	}
	fmt.Fprintln(e.Stdout, plan.Summary())
	printList(e, "Lost with the deletes", plan.Lost)
	printList(e, "Left on the server", plan.Kept)
	fmt.Fprintln(e.Stdout, "Deleted users lose their voice mail, call logs and settings; this cannot be reversed. Nothing has been sent yet.")
	want := plan.Confirmation()
	typed := strings.TrimSpace(*yes)
	if typed == "" {
		if typed, err = askConfirmation(e, want); err != nil {
			return f.fail(ExitUsage, "not confirmed, nothing deleted: %v (confirm with --yes %s)", err, want)
		}
	}
	if typed != want {
		return f.fail(ExitUsage, "%q is not the group id %s: nothing deleted (confirm with --yes %s)", typed, want, want)
	}
	uid, err := st.CreateTask(ctx, plan.Spec)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	fmt.Fprintf(e.Stdout, "task %d stored: %s\n", uid, plan.Spec.Description)
	if !*wait {
		fmt.Fprintf(e.Stderr, "It runs when the window is open, or here with: bwbulk resume %d\n", uid)
		return ExitOK
	}
	return runAndFollow(ctx, f, st, s, uid)
}

func printList(e *Env, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(e.Stdout, "%s:\n", title)
	for _, l := range lines {
		fmt.Fprintf(e.Stdout, "  • %s\n", l)
	}
}

// askConfirmation asks on a terminal for the group id.
func askConfirmation(e *Env, want string) (string, error) {
	fh, ok := e.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(fh.Fd())) {
		return "", errors.New("standard input is not a terminal")
	}
	fmt.Fprintf(e.Stderr, "Type the group id %s to confirm: ", want)
	line, err := bufio.NewReader(fh).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// jobsOfRows returns the jobs of task id on the spreadsheet rows spec
// names ("2,5-9").
func jobsOfRows(ctx context.Context, st *jobs.Store, id int64, spec string) ([]int64, error) {
	want := map[int]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err != nil || a < 1 || b < a || b-a > 1_000_000 {
			return nil, fmt.Errorf("%q is not a row or a range of rows (2,5-9)", part)
		}
		for r := a; r <= b; r++ {
			want[r] = true
		}
	}
	js, err := st.Jobs(ctx, id, jobs.Filter{})
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, j := range js {
		if want[j.Row] {
			out = append(out, j.ID)
			delete(want, j.Row)
		}
	}
	if len(want) > 0 {
		var missing []int
		for r := range want {
			missing = append(missing, r)
		}
		return nil, fmt.Errorf("task %d has no job on row %d (bwbulk task %d lists them)", id, minOf(missing), id)
	}
	return out, nil
}

func minOf(xs []int) int {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}
