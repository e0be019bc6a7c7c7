// Command bwbulk is a desktop app for creating many Cisco BroadWorks users
// at once. main only wires the pieces together: flags, data folder, the
// built-in demo server, the jobs store and runner, and the window.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/app"

	"bwbulk/assets"
	"bwbulk/ui"
)

// version is set by the Makefile from FyneApp.toml (-X main.version=...).
var version = "dev"

// started is taken as early as Go lets us, for --smoke's first-frame time.
var started = time.Now()

func main() {
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

	a := app.NewWithID("net.bwbulk.app")
	a.SetIcon(assets.Icon)
	u := ui.New(a, &ui.Options{Version: version, DataDir: dir})
	defer u.Close()
	if *smoke {
		u.OnFirstFrame(func() {
			fmt.Printf("first-frame-ms: %d\n", time.Since(started).Milliseconds())
			// Exit here rather than a.Quit(): quitting with input events
			// still queued crashes the GLFW driver (v2.7.1) under Xvfb.
			u.Close()
			os.Exit(0)
		})
	}
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
