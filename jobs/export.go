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

// ExportOptions say how a task is exported and what its sheet holds. The
// zero value is a CSV of every job, passwords of the created users
// included.
type ExportOptions struct {
	// Format is FormatCSV or FormatXLSX. Default FormatCSV.
	Format string
	// Password encrypts an XLSX file when it is not empty.
	Password string
	// Status keeps only the jobs in this status ("" = all).
	Status string
	// NoPasswords leaves the password column out.
	NoPasswords bool
}

// TaskSheet lays a task's jobs out as one sheet: Row, Status, Error code
// and Error, then the preview columns (wizard order), headed as the import
// template is (Column.FileHeader), so the file reads back. Passwords are
// included for created (completed) users only: a failed row's password
// opens nothing. A task with a name or ticket has them in two columns
// after error, on every row, so a filtered or merged file still says
// which task and ticket each user came from. It holds the whole sheet in
// memory; taskStream does not.
func (s *Store) TaskSheet(ctx context.Context, taskID int64) (wizard.Sheet, error) {
	ss, err := s.taskStream(ctx, taskID, ExportOptions{})
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

// taskStream is TaskSheet as a stream, with the jobs and columns o
// selects: it reads the task's jobs once to find the columns they use,
// and its Each reads them again, one at a time, so a task of a hundred
// thousand users exports in bounded memory.
func (s *Store) taskStream(ctx context.Context, taskID int64, o ExportOptions) (wizard.StreamSheet, error) {
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
	header := []string{wizard.HeaderTaskRow, wizard.HeaderStatus, wizard.HeaderErrorCode, wizard.HeaderErrorName}
	if named {
		header = append(header, wizard.HeaderTaskName, wizard.HeaderTicket)
	}
	for _, c := range cols {
		header = append(header, c.FileHeader())
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
// with their passwords) as CSV or XLSX through the wizard's exporters,
// with the jobs and columns o selects; it returns how many jobs it wrote.
// Rows are streamed from the store to the file.
func (s *Store) ExportTask(ctx context.Context, taskID int64, w io.Writer, o ExportOptions) (int, error) {
	if o.Format == "" {
		o.Format = FormatCSV
	}
	if o.Format != FormatCSV && o.Format != FormatXLSX {
		return 0, fmt.Errorf("jobs: export task %d: unknown format %q (want csv or xlsx)", taskID, o.Format)
	}
	ss, err := s.taskStream(ctx, taskID, o)
	if err != nil {
		return 0, err
	}
	n := 0
	each := ss.Each
	ss.Each = func(fn func([]string) error) error {
		return each(func(r []string) error { n++; return fn(r) })
	}
	if o.Format == FormatCSV {
		err = wizard.ExportCSVStream(w, ss)
	} else {
		err = wizard.ExportXLSXStream(w, []wizard.StreamSheet{ss}, o.Password)
	}
	if err != nil {
		return 0, fmt.Errorf("jobs: export task %d: %w", taskID, err)
	}
	return n, nil
}
