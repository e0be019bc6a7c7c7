package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// taskJSON is the stable --json form of a task.
type taskJSON struct {
	ID          int64     `json:"id"`
	Description string    `json:"description"`
	Name        string    `json:"name,omitempty"`   // typed at submit (--name)
	Ticket      string    `json:"ticket,omitempty"` // typed at submit (--ticket)
	Status      string    `json:"status"`
	Error       string    `json:"error,omitempty"`
	Attention   string    `json:"attention,omitempty"` // a paused task that needs a person: why, what to do
	OSUser      string    `json:"osUser"`
	Admin       string    `json:"admin"`
	Server      string    `json:"server"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	Total       int       `json:"total"`
	Pending     int       `json:"pending"`
	Running     int       `json:"running"`
	Completed   int       `json:"completed"`
	Failed      int       `json:"failed"`
	Cancelled   int       `json:"cancelled"`
	Checking    int       `json:"checking"` // outcome not read from the server yet
}

// StatusInterrupted is how the commands show a task stored as running or
// waiting whose runner has ended (killed, crashed): no process holds the
// runner lock, so nothing runs it until the window opens or bwbulk resume.
const StatusInterrupted = "interrupted"

// liveStatus returns a function giving a task's status as it is now:
// StatusInterrupted for one stored as running or waiting while no process
// holds the runner lock.
func liveStatus(st *jobs.Store) func(jobs.Task) string {
	checked, nobody := false, false
	return func(t jobs.Task) string {
		if t.Status != jobs.StatusRunning && t.Status != jobs.StatusWaiting {
			return t.Status
		}
		if !checked {
			checked = true
			if l, err := st.LockRunner(); err == nil {
				l.Unlock()
				nobody = true
			}
		}
		if nobody {
			return StatusInterrupted
		}
		return t.Status
	}
}

func taskToJSON(t jobs.Task) taskJSON {
	return taskJSON{ID: t.ID, Description: t.Description, Name: t.Name, Ticket: t.Ticket, Status: t.Status, Error: t.Error, Attention: t.Attention, OSUser: t.OSUser,
		Admin: t.Admin, Server: t.Server, Created: t.Created.UTC(), Updated: t.Updated.UTC(),
		Total: t.Total, Pending: t.Pending, Running: t.Running, Completed: t.Completed, Failed: t.Failed, Cancelled: t.Cancelled, Checking: t.Checking}
}

// jobJSON is the stable --json form of a job (never a field's value:
// those may hold passwords; --export writes the created users).
type jobJSON struct {
	Row       int    `json:"row"`
	UserID    string `json:"userId"`
	Status    string `json:"status"`
	Step      int    `json:"step"`
	Commands  int    `json:"commands"`
	Attempts  int    `json:"attempts"`
	ErrorCode int    `json:"errorCode,omitempty"`
	Error     string `json:"error,omitempty"`
}

func runTasks(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "tasks", "[--json]", "Lists the tasks, newest first, as the window's Tasks screen does.")
	asJSON := f.Bool("json", false, "print JSON")
	if code, ok := f.parse(args, 0); !ok {
		return code
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	defer st.Close()
	ts, err := st.ListTasks(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	status := liveStatus(st)
	interrupted := 0
	for i := range ts {
		if ts[i].Status = status(ts[i]); ts[i].Status == StatusInterrupted {
			interrupted++
		}
	}
	if *asJSON {
		out := make([]taskJSON, len(ts))
		for i, t := range ts {
			out[i] = taskToJSON(t)
		}
		if err := writeJSON(e.Stdout, out); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(e.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tDONE\tFAILED\tCREATED\tDESCRIPTION")
	for _, t := range ts {
		id := fmt.Sprint(t.ID)
		if t.Queued {
			// Its number comes when it joins the team's queue.
			id, t.Status = "queued", "waiting for the team database"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d\t%s\t%s\n", id, t.Status, t.Completed, t.Total, t.Failed,
			t.Created.Local().Format("2006-01-02 15:04"), desk.TaskTitle(t))
	}
	tw.Flush()
	if interrupted > 0 {
		fmt.Fprintln(e.Stderr, "interrupted: its process ended while it ran; it goes on when the window opens, or here with bwbulk resume N")
	}
	return ExitOK
}

func taskID(f *flags, arg string) (int64, bool) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		f.fail(ExitUsage, "%q is not a task number (bwbulk tasks lists them)", arg)
		return 0, false
	}
	return id, true
}

// parseTask parses the arguments of a command whose one operand is a task
// number; when they are wrong it has said why, and code is the exit status.
func parseTask(f *flags, args []string) (id int64, code int, ok bool) {
	if code, ok := f.parse(args, 1); !ok {
		return 0, code, false
	}
	if id, ok = taskID(f, f.Arg(0)); !ok {
		return 0, ExitUsage, false
	}
	return id, ExitOK, true
}

// openTask opens the store and reads task id; on failure it has said why
// and returns a nil store and the exit status. The caller closes the store.
func openTask(ctx context.Context, f *flags, id int64) (*jobs.Store, jobs.Task, int) {
	st, err := f.openStore(ctx)
	if err != nil {
		return nil, jobs.Task{}, f.fail(ExitUsage, "%v", err)
	}
	t, err := st.Task(ctx, id)
	if err != nil {
		st.Close()
		return nil, jobs.Task{}, f.fail(ExitUsage, "%v", err)
	}
	return st, t, ExitOK
}

func printTaskJSON(ctx context.Context, f *flags, st *jobs.Store, id int64) int {
	t, err := st.Task(ctx, id)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if err := writeJSON(f.e.Stdout, taskToJSON(t)); err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	return ExitOK
}

func runTask(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "task", "N [--failed] [--json] [--export FILE.xlsx|FILE.csv]", `
Shows task N and its jobs: row, user id, status, attempts, error. With
--export, writes them instead, as the window's Download does (status,
error and the created users with their passwords) to an XLSX or CSV file
named by its extension; --encrypt asks for a password that encrypts the
XLSX.`)
	failed := f.Bool("failed", false, "only the failed jobs")
	asJSON := f.Bool("json", false, "print JSON")
	export := f.String("export", "", "write the jobs to `FILE` (.xlsx or .csv)")
	encrypt := f.Bool("encrypt", false, "with --export to .xlsx: encrypt it with a password read like profile add's")
	id, code, ok := parseTask(f, args)
	if !ok {
		return code
	}
	if ext := strings.ToLower(filepath.Ext(*export)); *export != "" && ext != ".csv" && ext != ".xlsx" {
		return f.fail(ExitUsage, "--export: name a .xlsx or .csv file, not %q", *export)
	}
	st, t, code := openTask(ctx, f, id)
	if st == nil {
		return code
	}
	defer st.Close()
	t.Status = liveStatus(st)(t)
	filter := jobs.Filter{}
	if *failed {
		filter.Status = jobs.StatusFailed
	}
	if *export != "" {
		return exportTask(ctx, f, st, id, *export, *failed, *encrypt)
	}
	js, err := st.Jobs(ctx, id, filter)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if *asJSON {
		v := struct {
			taskJSON
			Jobs []jobJSON `json:"jobs"`
		}{taskToJSON(t), make([]jobJSON, len(js))}
		for i, j := range js {
			v.Jobs[i] = jobJSON{Row: j.Row, UserID: j.UserID, Status: j.Status, Step: j.Step, Commands: j.NCommands,
				Attempts: j.Attempts, ErrorCode: j.ErrorCode, Error: j.Error}
		}
		if err := writeJSON(e.Stdout, v); err != nil {
			return f.fail(ExitUsage, "%v", err)
		}
		return ExitOK
	}
	fmt.Fprintf(e.Stdout, "Task %d: %s\n", t.ID, desk.TaskTitle(t))
	fmt.Fprintf(e.Stdout, "Status: %s; %d of %d completed, %d failed, %d cancelled, %d to be checked, %d pending\n",
		t.Status, t.Completed, t.Total, t.Failed, t.Cancelled, t.Checking, t.Pending+t.Running)
	if t.Error != "" {
		fmt.Fprintf(e.Stdout, "Error: %s\n", t.Error)
	}
	if t.Attention != "" {
		fmt.Fprintf(e.Stdout, "Needs attention: %s\n", t.Attention)
	}
	if t.Status == StatusInterrupted {
		fmt.Fprintf(e.Stdout, "Interrupted: its process ended while it ran; continue with bwbulk resume %d\n", t.ID)
	}
	fmt.Fprintf(e.Stdout, "Submitted %s by %s as %s on %s\n\n", t.Created.Local().Format("2006-01-02 15:04:05"), t.OSUser, t.Admin, t.Server)
	tw := tabwriter.NewWriter(e.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tUSER\tSTATUS\tATTEMPTS\tERROR")
	for _, j := range js {
		msg := desk.JobErrorText(j.Error)
		if j.ErrorCode != 0 && !strings.Contains(msg, "[Error ") {
			msg = fmt.Sprintf("[%d] %s", j.ErrorCode, msg)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\n", j.Row, j.UserID, j.Status, j.Attempts, msg)
	}
	tw.Flush()
	return ExitOK
}

func exportTask(ctx context.Context, f *flags, st *jobs.Store, id int64, file string, failedOnly, encrypt bool) int {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	if format != jobs.FormatCSV && format != jobs.FormatXLSX {
		return f.fail(ExitUsage, "--export: name a .xlsx or .csv file, not %q", file)
	}
	if encrypt && format != jobs.FormatXLSX {
		return f.fail(ExitUsage, "--encrypt needs an .xlsx file")
	}
	password := ""
	if encrypt {
		var err error
		if password, err = readPassword(f.e, "Password for "+filepath.Base(file)+": "); err != nil || password == "" {
			return f.fail(ExitUsage, "no password for --encrypt")
		}
	}
	opts := jobs.ExportOptions{Format: format, Password: password}
	if failedOnly {
		// The file the window's "Failed jobs to fix…" writes.
		opts = desk.FixesExport(opts)
	}
	// The rows stream from the store to the file.
	n, err := desk.ExportTaskFile(ctx, st, id, file, opts)
	if err != nil {
		return f.fail(ExitUsage, "export task %d: %v", id, err)
	}
	fmt.Fprintf(f.e.Stdout, "task %d: %d jobs written to %s\n", id, n, file)
	if failedOnly {
		fmt.Fprintf(f.e.Stderr, "Fix the rows in the file (keep its row column), then: bwbulk retry %d --fixes %s\n", id, file)
	} else {
		fmt.Fprintln(f.e.Stderr, "The file holds the passwords of the created users: keep it safe.")
	}
	if format == jobs.FormatCSV {
		fmt.Fprintln(f.e.Stderr, wizard.CSVWarning)
	}
	return ExitOK
}

func runRetry(ctx context.Context, e *Env, args []string) int {
	f := newFlags(e, "retry", "N [--fixes FILE] [--wait] [--profile NAME]", `
Queues the failed jobs of task N again, as the window's "Retry all
failed" does. With --fixes, only the jobs of the rows of FILE, with the
cells as edited there, as the window's Import fixes does: FILE is the
task's failed jobs written by bwbulk task N --export FILE --failed (or
by the window's Export problems), edited; its "row" column says which
job each line is. They run in the window when it is open, or here with
--wait (or later with bwbulk resume N).`)
	wait := f.Bool("wait", false, "run them here and wait until they are done")
	profile := f.String("profile", "", "with --wait: server profile `NAME` (default: the one with the task's server address)")
	fixes := f.String("fixes", "", "put the edited rows of `FILE` (.xlsx or .csv, from task N --export FILE --failed) back into their jobs and queue only those")
	pwStdin := f.Bool("password-stdin", false, "with --fixes: read the password of an encrypted workbook from the first line of standard input")
	id, code, ok := parseTask(f, args)
	if !ok {
		return code
	}
	var imp *wizard.Import
	if *fixes != "" {
		var err error
		imp, err = readFixes(ctx, f.e, *fixes, *pwStdin)
		if errors.Is(err, wizard.ErrNothingToFix) {
			fmt.Fprintf(e.Stdout, "task %d: %s has no rows, so no jobs were changed\n", id, filepath.Base(*fixes))
			return ExitOK
		}
		if err != nil {
			return f.fail(ExitUsage, "--fixes: %v", err)
		}
	} else if *pwStdin {
		return f.fail(ExitUsage, "--password-stdin goes with --fixes")
	}
	st, err := f.openStore(ctx)
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	var n, left int
	if imp != nil {
		// Only the store and the planning are used: nothing is sent here.
		n, left, err = desk.ApplyFixes(ctx, st, jobs.NewRunner(st, nil, nil), id, imp)
	} else {
		n, err = st.RetryAllFailed(ctx, id)
	}
	st.Close()
	if err != nil {
		return f.fail(ExitUsage, "%v", err)
	}
	if imp != nil {
		fmt.Fprintf(e.Stdout, "task %d: %d failed jobs updated from %s and queued again\n", id, n, filepath.Base(*fixes))
		if left > 0 {
			fmt.Fprintf(e.Stderr, "%d failed jobs of task %d were not in the file and stay failed (bwbulk retry %d queues them as they are)\n", left, id, id)
		}
	} else {
		fmt.Fprintf(e.Stdout, "task %d: %d failed jobs queued again\n", id, n)
	}
	if n == 0 || !*wait {
		if n > 0 {
			fmt.Fprintf(e.Stderr, "They run when the window is open, or here with: bwbulk resume %d\n", id)
		}
		return ExitOK
	}
	return resumeTask(ctx, f, *profile, f.Arg(0), true)
}

// readFixes reads a fixes file as the window's Import fixes does, an
// encrypted workbook opened with the password on standard input.
func readFixes(ctx context.Context, e *Env, name string, pwStdin bool) (*wizard.Import, error) {
	var imp *wizard.Import
	err := openWorkbook(e, name, pwStdin, func(fh *os.File, opts *wizard.ReadOptions) (err error) {
		imp, err = wizard.ReadFixes(ctx, filepath.Base(name), fh, opts)
		return err
	})
	return imp, err
}

// openWorkbook opens the file for read, the password of an encrypted
// workbook first read from standard input with --password-stdin, and
// says what to do when read reports the workbook encrypted.
func openWorkbook(e *Env, name string, pwStdin bool, read func(*os.File, *wizard.ReadOptions) error) error {
	opts := &wizard.ReadOptions{}
	if pwStdin {
		pw, err := readPassword(e, "Password of "+filepath.Base(name)+": ")
		if err != nil || pw == "" {
			return fmt.Errorf("--password-stdin: no password on standard input")
		}
		opts.Password = pw
	}
	fh, err := os.Open(name)
	if err != nil {
		return err
	}
	defer fh.Close()
	err = read(fh, opts)
	var ee *wizard.EncryptedError
	switch {
	case errors.As(err, &ee) && ee.Wrong:
		return fmt.Errorf("%s: the password does not open this workbook", name)
	case errors.As(err, &ee):
		return fmt.Errorf("%s: the workbook is encrypted: give its password with --password-stdin", name)
	}
	return err
}
