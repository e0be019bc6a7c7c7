package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"bwbulk/desk"
	"bwbulk/jobs"
)

// Exit statuses.
const (
	ExitOK          = 0
	ExitProblems    = 1 // the file has problems, or jobs failed
	ExitUsage       = 2 // bad arguments, unreadable file, no connection
	ExitInterrupted = 130
)

// Env is what a command runs with: its arguments' streams. Stdin is read
// for passwords when it is not a terminal.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e *Env, args []string) int
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"validate": {"check a CSV/XLSX of users against a group", runValidate},
		"plan":     {"show what submitting a file would do", runPlan},
		"submit":   {"store a file's users as a task (--wait: and run it here)", runSubmit},
		"resume":   {"continue a paused or interrupted task here", runResume},
		"tasks":    {"list the tasks", runTasks},
		"task":     {"show a task's jobs, or export them", runTask},
		"retry":    {"queue a task's failed jobs again", runRetry},
		"undo":     {"delete what a task created, as the window's Undo (--wait: here)", runUndo},
		"profile":  {"add, list or remove server profiles", runProfile},
		"team":     {"share tasks with other desks in a PostgreSQL database", runTeam},
		"help":     {"describe the commands", runHelp},
	}
}

// IsCommand reports whether name is one of the commands Main runs.
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok
}

// Main runs the command named by args[0] with the process's standard
// streams and returns the exit status.
func Main(ctx context.Context, args []string) int {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A file of a hundred thousand users is about 110 MB of rows;
		// without a limit the heap grows to twice what is live before the
		// collector runs. This soft limit keeps a command's memory near
		// what it needs (the collector works harder instead; GOMEMLIMIT
		// overrides it).
		debug.SetMemoryLimit(memoryLimit)
		if os.Getenv("GOGC") == "" {
			// Under that limit the collector need not run each time the
			// heap doubles: a task's documents make short-lived garbage
			// at a high rate, and collecting it took a fifth of the CPU.
			debug.SetGCPercent(gcPercent)
		}
	}
	return Run(ctx, &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, args)
}

// memoryLimit is the soft limit of a command's heap (runtime/debug).
const memoryLimit = 176 << 20

// gcPercent is the collector's GOGC under memoryLimit.
const gcPercent = 400

// Run runs the command named by args[0] and returns the exit status.
func Run(ctx context.Context, e *Env, args []string) int {
	if len(args) == 0 {
		usage(e.Stderr)
		return ExitUsage
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "bwbulk: unknown command %q\n", args[0])
		usage(e.Stderr)
		return ExitUsage
	}
	return c.run(ctx, e, args[1:])
}

// Usage lists the commands on w: the tail of `bwbulk --help`.
func Usage(w io.Writer) {
	names := make([]string, 0, len(commands)+1)
	for n := range commands {
		names = append(names, n)
	}
	names = append(names, "sim")
	sort.Strings(names)
	fmt.Fprintln(w, "Commands (bwbulk COMMAND --help for each):")
	for _, n := range names {
		s := "run the OCI-P simulator (a BroadWorks stand-in)"
		if c, ok := commands[n]; ok {
			s = c.summary
		}
		fmt.Fprintf(w, "  %-9s %s\n", n, s)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: bwbulk [flags]            open the window (bwbulk --help for its flags)")
	fmt.Fprintln(w, "       bwbulk COMMAND [flags] ...")
	fmt.Fprintln(w)
	Usage(w)
}

func runHelp(ctx context.Context, e *Env, args []string) int {
	if len(args) == 1 && IsCommand(args[0]) && args[0] != "help" {
		return Run(ctx, e, []string{args[0], "--help"})
	}
	usage(e.Stdout)
	return ExitOK
}

// flags is a command's flag set: --help prints usage (text, then the
// flags) on stdout and exits 0; a bad flag prints it on stderr, exit 2.
type flags struct {
	*flag.FlagSet
	e       *Env
	dataDir *string
	use     string
	about   string
	keyring *desk.FallbackKeyring // the stores' (storeOptions)
}

func newFlags(e *Env, name, use, about string) *flags {
	f := &flags{FlagSet: flag.NewFlagSet("bwbulk "+name, flag.ContinueOnError), e: e, use: use, about: about}
	f.dataDir = f.String("data-dir", "", "the data folder (default: the user config folder + /bwbulk, as the window)")
	f.SetOutput(io.Discard)
	return f
}

func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s %s\n\n%s\n\nFlags:\n", f.Name(), f.use, strings.TrimSpace(f.about))
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

// parse parses args; ok false means return code.
func (f *flags) parse(args []string, nargs int) (code int, ok bool) {
	if err := f.Parse(interleave(f.FlagSet, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.printUsage(f.e.Stdout)
			return ExitOK, false
		}
		fmt.Fprintf(f.e.Stderr, "%s: %v\n", f.Name(), err)
		f.printUsage(f.e.Stderr)
		return ExitUsage, false
	}
	if nargs >= 0 && f.NArg() != nargs {
		if f.NArg() < nargs {
			fmt.Fprintf(f.e.Stderr, "%s: missing argument\n", f.Name())
		} else {
			fmt.Fprintf(f.e.Stderr, "%s: unexpected argument %q\n", f.Name(), f.Arg(nargs))
		}
		f.printUsage(f.e.Stderr)
		return ExitUsage, false
	}
	return 0, true
}

// interleave moves flags written after the positional arguments
// (`validate users.csv --group a/b`) before them, as Go's flag package
// stops at the first non-flag. "--" ends the flags.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flagArgs, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flagArgs = append(flagArgs, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		fl := fs.Lookup(name)
		if fl == nil {
			continue
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flagArgs = append(flagArgs, args[i])
		}
	}
	return append(append(flagArgs, "--"), pos...)
}

func (f *flags) fail(code int, format string, args ...any) int {
	fmt.Fprintf(f.e.Stderr, "%s: %s\n", f.Name(), fmt.Sprintf(format, args...))
	return code
}

// DataDir returns the data folder, created with mode 0700: dir, or the
// user config folder + /bwbulk when dir is empty. The window and the
// commands share it.
func DataDir(dir string) (string, error) {
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("no user config folder (use --data-dir): %w", err)
		}
		dir = filepath.Join(base, "bwbulk")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("data folder: %w", err)
	}
	return dir, nil
}

// DatabaseFile is the task database's name in the data folder.
const DatabaseFile = "bwbulk.db"

// openStore opens the task database of the data folder with the
// window's keyring choice (desk.FallbackKeyring); a password that could
// only be kept in memory is refused where it is saved (savedInKeyring).
func (f *flags) openStore(ctx context.Context) (*jobs.Store, error) {
	dir, err := DataDir(*f.dataDir)
	if err != nil {
		return nil, err
	}
	return jobs.OpenData(ctx, dir, f.storeOptions())
}

// storeOptions are the options every store of a command opens with: its
// keyring.
func (f *flags) storeOptions() *jobs.Options {
	if f.keyring == nil {
		f.keyring = &desk.FallbackKeyring{}
	}
	return &jobs.Options{Keyring: f.keyring}
}

// savedInKeyring says why a secret just saved is not in the system
// keyring (it would die with this command), or nil when it is.
func (f *flags) savedInKeyring() error {
	if f.keyring == nil {
		return nil
	}
	if err := f.keyring.Degraded(); err != nil {
		return fmt.Errorf("the system keyring is not available (%v): the password is not saved", err)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
