// Command bwbulk is a desktop app for creating many Cisco BroadWorks users
// at once. main only wires the pieces together: flags, data folder, the
// built-in demo server, the jobs store and runner, and the window.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"bwbulk/assets"
	"bwbulk/broadworks/ocisim"
	"bwbulk/jobs"
	"bwbulk/ui"
)

// version is set by the Makefile from FyneApp.toml (-X main.version=...).
var version = "dev"

// started is taken as early as Go lets us, for --smoke's first-frame time.
var started = time.Now()

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sim" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := ocisim.RunCLI(ctx, os.Args[2:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bwbulk sim:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bwbulk:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("bwbulk", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "folder for the task database and demo server state (default: the user config folder + /bwbulk)")
	smoke := fs.Bool("smoke", false, "draw the first frame, print first-frame-ms: N and exit")
	showVersion := fs.Bool("version", false, "print the version and exit")
	server := fs.String("server", "", "use this OCI-P server `HOST:PORT` instead of the built-in demo server")
	scripted := fs.String("scripted-demo", "", "walk through every screen, saving screenshots in `DIR`, then exit")
	stallUsers := fs.Int("measure-stall", 0, "submit `N` demo users, report the longest UI-goroutine stall while they are created, then exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *showVersion {
		fmt.Println("bwbulk", version)
		return nil
	}
	dir, err := prepareDataDir(*dataDir)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	keyring := &ui.FallbackKeyring{}
	store, err := jobs.Open(ctx, filepath.Join(dir, "bwbulk.db"), &jobs.Options{Keyring: keyring})
	if err != nil {
		return err
	}
	defer store.Close()

	var demo *ui.Demo
	if *server == "" {
		opts := &ocisim.Options{StateFile: filepath.Join(dir, "demo-state.json")}
		if *scripted != "" {
			// As slow as a server across a WAN, so the tour catches a
			// task part-way.
			opts.Latency = 60 * time.Millisecond
		}
		sim := ocisim.NewDemo(opts)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("demo server: %w", err)
		}
		go sim.Serve(ln)
		defer sim.Close()
		demo = &ui.Demo{Addr: ln.Addr().String(), Admin: ocisim.DefaultAdmin, Password: ocisim.DefaultPassword}
	}
	session := ui.NewSession(store, demo)
	defer session.Close()
	runner := jobs.NewRunner(store, session.Connect, &jobs.RunnerOptions{Replan: ui.Replan})
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		_ = runner.Start(ctx)
	}()
	// Stop the runner before the store and the demo server close.
	defer func() { cancel(); <-runDone }()

	a := app.NewWithID("net.bwbulk.app")
	a.SetIcon(assets.Icon)
	u := ui.New(a, &ui.Options{
		Version: version, DataDir: dir, Session: session, Runner: runner, Keyring: keyring, Server: *server,
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

// prepareDataDir returns the data folder, created with mode 0700.
func prepareDataDir(dir string) (string, error) {
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
