package jobs

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"bwbulk/wizard"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// SheetOptions select what a task's sheet holds. A nil *SheetOptions is
// the zero value: every job, passwords of the created users included.
type SheetOptions struct {
	// Status keeps only the jobs in this status ("" = all).
	Status string
	// NoPasswords leaves the password column out.
	NoPasswords bool
}

// TaskSheet lays a task's jobs out as one sheet: row, status, errorCode
// and error, then the preview columns (wizard order). Passwords are
// included for created (completed) users only: a failed row's password
// opens nothing. A task with a name or ticket has them in two columns
// after error, on every row, so a filtered or merged file still says
// which task and ticket each user came from. It holds the whole sheet in
// memory; TaskStream does not.
func (s *Store) TaskSheet(ctx context.Context, taskID int64) (wizard.Sheet, error) {
	ss, err := s.TaskStream(ctx, taskID, nil)
	if err != nil {
		return wizard.Sheet{}, err
	}
	sheet := wizard.Sheet{Name: ss.Name, Header: ss.Header}
	err = ss.Each(func(r []string) error {
		sheet.Rows = append(sheet.Rows, append([]string(nil), r...))
		return nil
	})
	return sheet, err
}

// TaskStream is TaskSheet as a stream: it reads the task's jobs once to
// find the columns they use, and its Each reads them again, one at a
// time, so a task of a hundred thousand users exports in bounded memory.
func (s *Store) TaskStream(ctx context.Context, taskID int64, opts *SheetOptions) (wizard.StreamSheet, error) {
	var o SheetOptions
	if opts != nil {
		o = *opts
	}
	task, err := s.Task(ctx, taskID)
	if err != nil {
		return wizard.StreamSheet{}, err
	}
	named := task.Name != "" || task.Ticket != ""
	filter := Filter{Status: o.Status}
	var use wizard.ColumnUse
	err = s.eachJob(ctx, taskID, filter, readFields, func(j Job) error {
		r := sheetRow(j)
		use.Add(&r)
		return nil
	})
	if err != nil {
		return wizard.StreamSheet{}, err
	}
	cols := use.Columns(!o.NoPasswords)
	header := []string{"row", "status", "errorCode", "error"}
	if named {
		header = append(header, "taskName", "ticket")
	}
	for _, c := range cols {
		header = append(header, c.String())
	}
	each := func(fn func([]string) error) error {
		rec := make([]string, 0, len(header))
		return s.eachJob(ctx, taskID, filter, readFields, func(j Job) error {
			code := ""
			if j.ErrorCode != 0 {
				code = strconv.Itoa(j.ErrorCode)
			}
			r := sheetRow(j)
			rec = append(rec[:0], strconv.Itoa(j.Row), j.Status, code, j.Error)
			if named {
				rec = append(rec, task.Name, task.Ticket)
			}
			return fn(r.Values(rec, cols))
		})
	}
	return wizard.StreamSheet{Name: fmt.Sprintf("Task %d", taskID), Header: header, Each: each}, nil
}

// sheetRow is a job's fields as a sheet shows them: the password of a
// user not created is left out.
func sheetRow(j Job) wizard.Row {
	if j.Status != StatusCompleted {
		for k := range j.Fields {
			if isSecretField(k) {
				delete(j.Fields, k)
			}
		}
	}
	return wizard.RowFromFields(j.Fields)
}

// ExportTask writes a task's jobs (status, error, and the created users
// with their passwords) as CSV or XLSX through the wizard's exporters; an
// XLSX file is encrypted with password when it is not empty.
func (s *Store) ExportTask(ctx context.Context, taskID int64, w io.Writer, format, password string) error {
	_, err := s.ExportTaskWith(ctx, taskID, w, format, password, nil)
	return err
}

// ExportTaskWith is ExportTask with the jobs and columns opts select; it
// returns how many jobs it wrote. Rows are streamed from the store to the
// file.
func (s *Store) ExportTaskWith(ctx context.Context, taskID int64, w io.Writer, format, password string, opts *SheetOptions) (int, error) {
	if format != FormatCSV && format != FormatXLSX {
		return 0, fmt.Errorf("jobs: export task %d: unknown format %q (want csv or xlsx)", taskID, format)
	}
	ss, err := s.TaskStream(ctx, taskID, opts)
	if err != nil {
		return 0, err
	}
	n := 0
	each := ss.Each
	ss.Each = func(fn func([]string) error) error {
		return each(func(r []string) error { n++; return fn(r) })
	}
	if format == FormatCSV {
		err = wizard.ExportCSVStream(w, ss)
	} else {
		err = wizard.ExportXLSXStream(w, []wizard.StreamSheet{ss}, password)
	}
	if err != nil {
		return 0, fmt.Errorf("jobs: export task %d: %w", taskID, err)
	}
	return n, nil
}
