// Package wizard is the pure model of bulk user creation in bwbulk: the
// thirteen wizard steps and their validation, the tag templates that expand
// into one value per user, generated passwords that satisfy a group's
// password rules, phone-number ranges and extensions, the editable preview
// table, the explicit mapping from a preview row to the OCI-P commands it will
// send (the plan), CSV/XLSX import and export, and versioned drafts.
//
// The package does no I/O of its own apart from the io.Reader/io.Writer
// handed to the import and export functions: look-ups come through the
// Catalogue interface, which the live client adapter and the offline cache
// satisfy. It imports no Fyne, no net and no database/sql (TestDeps enforces
// it), so every rule here is testable without a server or a display.
//
// A Model is not safe for concurrent use; the UI owns it on one goroutine.
// Pure functions (ParseTemplate, ParseNumberRange, CheckPassword, PlanRow,
// ValidateRow, ImportCSV, ExportCSV, ...) are safe to call concurrently.
package wizard
