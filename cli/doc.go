// Package cli is bwbulk on the command line: validate, plan and submit a
// CSV/XLSX of users, follow, resume and retry tasks, and keep server
// profiles, with the window's data folder, profiles, keyring and task
// history. It drives the same code as the window (the wizard's import,
// preview and plan; the jobs store, catalogue and runner) and imports no
// Fyne package, so it prints nothing but its own output.
//
// Conventions: every command has --help; results go to standard output,
// errors and progress to standard error; --json output is stable (fields
// are only ever added). Exit status 0 is success, 1 means problems were
// found or jobs failed, 2 a usage, file or connection error, 130 a task
// paused by Ctrl-C.
package cli
