// Command bwbulk is a desktop app for creating many Cisco BroadWorks users
// at once, with a command line for the same work (bwbulk help). main only
// wires the pieces together: the subcommands, flags, data folder, the
// built-in demo server, the jobs store and runner, and the window.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"bwbulk/assets"
	"bwbulk/broadworks/ocisim"
	"bwbulk/cli"
	"bwbulk/desk"
	"bwbulk/internal/demo"
	"bwbulk/internal/initlog"
	"bwbulk/jobs"
	"bwbulk/ui"
)

// version is set by the Makefile from FyneApp.toml (-X main.version=...).
var version = "dev"

// started is taken as early as Go lets us, for --smoke's first-frame time.
var started = time.Now()

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sim" {
		initlog.Discard()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := ocisim.RunCLI(ctx, simArgs(os.Args[2:]), os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bwbulk sim:", err)
			os.Exit(1)
		}
		return
	}
	// A first argument that is not a flag names a command: an unknown one
	// is an error, not a window.
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		initlog.Discard()
		os.Exit(cli.Main(context.Background(), os.Args[1:]))
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bwbulk:", err)
		os.Exit(1)
	}
}

// simArgs are the arguments of `bwbulk sim`: without --state or
// --cert-file, a --tls certificate is kept in the data folder, so that a
// profile that pinned it works after a restart.
func simArgs(args []string) []string {
	tls := false
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		if name == "state" || name == "cert-file" {
			return args
		}
		tls = tls || name == "tls"
	}
	if !tls {
		return args
	}
	dir, err := cli.DataDir("")
	if err != nil {
		return args
	}
	return append([]string{"--cert-file", filepath.Join(dir, "sim-tls.pem")}, args...)
}

func run(args []string) error {
	fs := flag.NewFlagSet("bwbulk", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "folder for the task database and demo server state (default: the user config folder + /bwbulk)")
	smoke := fs.Bool("smoke", false, "draw the first frame, print first-frame-ms: N and exit")
	showVersion := fs.Bool("version", false, "print the version and exit")
	server := fs.String("server", "", "use this OCI-P server `HOST:PORT` instead of the built-in demo server")
	scripted := fs.String("scripted-demo", "", "walk through every screen, saving screenshots in `DIR`, then exit")
	stallUsers := fs.Int("measure-stall", 0, "submit `N` demo users, report the longest UI-goroutine stall while they are created, then exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: bwbulk [flags]            open the window")
		fmt.Fprintln(fs.Output(), "       bwbulk COMMAND [flags] ...")
		fmt.Fprintln(fs.Output())
		fmt.Fprintln(fs.Output(), "Flags of the window:")
		fs.PrintDefaults()
		fmt.Fprintln(fs.Output())
		cli.Usage(fs.Output())
	}
	if err := fs.Parse(args); err != nil {
		initlog.Discard()
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *showVersion {
		initlog.Discard()
		fmt.Println("bwbulk", version)
		return nil
	}
	// The window is opening: what Fyne logged while initialising is its.
	initlog.Release(os.Stderr)
	dir, err := cli.DataDir(*dataDir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	simOpts := &ocisim.Options{}
	if *scripted != "" {
		// As slow as a server across a WAN, so the tour catches a task
		// part-way.
		simOpts.Latency = 60 * time.Millisecond
	}
	keyring := &desk.FallbackKeyring{}
	w, err := assemble(ctx, wiring{DataDir: dir, Server: *server, Keyring: keyring, Sim: simOpts})
	if err != nil {
		return err
	}
	defer w.close()

	a := app.NewWithID("net.bwbulk.app")
	a.SetIcon(assets.Icon)
	u := ui.New(a, &ui.Options{
		Version: version, DataDir: dir, Session: w.session, Runner: w.runner, Keyring: keyring, Server: *server,
	})
	defer u.Close()
	if *smoke {
		u.OnFirstFrame(func() {
			fmt.Printf("first-frame-ms: %d\n", time.Since(started).Milliseconds())
			// Exit here rather than a.Quit(): quitting with input events
			// still queued crashes the GLFW driver (v2.7.1) under Xvfb.
			os.Exit(0)
		})
	}
	if *scripted != "" {
		u.OnFirstFrame(func() {
			go func() {
				if err := u.ScriptedDemo(*scripted, os.Stderr); err != nil {
					fmt.Fprintln(os.Stderr, "bwbulk: scripted demo:", err)
				}
				fyne.Do(a.Quit)
			}()
		})
	}
	if *stallUsers > 0 {
		u.OnFirstFrame(func() {
			go func() {
				rep, err := u.MeasureStall(*stallUsers, os.Stderr)
				if err != nil {
					fmt.Fprintln(os.Stderr, "bwbulk: measure stall:", err)
				}
				fmt.Println(rep)
				fyne.Do(a.Quit)
			}()
		})
	}
	u.Start()
	u.ShowAndRun()
	return nil
}

// wiring is what assemble needs.
type wiring struct {
	DataDir string
	Server  string // a real server's HOST:PORT; "" runs the built-in demo server
	Keyring jobs.Secrets
	Sim     *ocisim.Options // the demo server's options (its state file is set here)
	// Front, when set, is given the demo server's address and returns the
	// address the session dials instead (a test's network in between).
	Front func(addr string) string
	// Runner overrides the runner's options.
	Runner *jobs.RunnerOptions
}

// wired is bwbulk without its window: the store, the built-in demo
// server, the session that owns the connection, and the runner.
type wired struct {
	store   *jobs.Store
	sim     *ocisim.Server // the demo server when this process runs it
	demo    *desk.Demo
	session *desk.Session
	runner  *jobs.Runner
	close   func() // stops the runner, then closes the session, demo server and store
}

// assemble opens the store, starts the demo server (unless w.Server is
// set), and starts the runner on the session's connection.
func assemble(ctx context.Context, w wiring) (*wired, error) {
	store, err := jobs.OpenData(ctx, w.DataDir, &jobs.Options{Keyring: w.Keyring})
	if err != nil {
		return nil, err
	}
	out := &wired{store: store}
	var closers []func()
	if w.Server == "" {
		// The data folder's demo server: run here, or reached in the
		// process that runs it (the command line uses the same one).
		host, err := demo.Start(w.DataDir, w.Sim)
		if err != nil {
			store.Close()
			return nil, err
		}
		closers = append(closers, func() { host.Close() })
		addr := host.Addr()
		if w.Front != nil {
			addr = w.Front(addr)
		}
		out.sim = host.Server()
		out.demo = desk.DemoAt(addr)
		out.demo.Scenarios = host
	}
	out.session = desk.NewSession(store, out.demo)
	out.runner = jobs.NewRunner(store, out.session.Connect, w.Runner)
	rctx, stop := context.WithCancel(ctx)
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		// One process runs tasks at a time: while `bwbulk submit --wait`
		// runs one, the window's runner waits for its turn.
		lock, err := store.WaitRunnerLock(rctx, 2*time.Second)
		if err != nil {
			return
		}
		defer lock.Unlock()
		_ = store.NoteRunner(fmt.Sprintf("the window (pid %d)", os.Getpid()))
		// Jobs stored before the compact form are rewritten once, by the
		// process that holds the runner lock.
		_, _ = store.Compact(rctx)
		_ = out.runner.Start(rctx)
	}()
	out.close = func() {
		// The runner stops first: it uses the session, which uses the
		// demo server, and all of them the store.
		stop()
		<-runDone
		out.session.Close()
		for _, c := range closers {
			c()
		}
		store.Close()
	}
	return out, nil
}
