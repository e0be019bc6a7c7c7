// Package desk is what the window and the command line do alike with the
// store and the server, with no Fyne code: the session that owns the
// connection to the current profile (Session), the keyring choice
// (FallbackKeyring), the built-in demo server's profile, planning a task
// with what Fix in preview needs (PlanTask, AddFixInfo), a task's export
// to a file (ExportTaskFile) and its title (TaskTitle), and team mode's
// report and history copy (DiagnoseTeam, ReportTeam, CopyHistory).
//
// It sits below ui and cli and above jobs: ui holds screens and widgets,
// cli the commands and their output, and neither keeps a copy of this.
package desk
