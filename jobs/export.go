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

// TaskSheet lays a task's jobs out as one sheet: row, status, errorCode
// and error, then the preview columns (wizard order). Passwords are
// included for created (completed) users only: a failed row's password
// opens nothing.
func (s *Store) TaskSheet(ctx context.Context, taskID int64) (wizard.Sheet, error) {
	js, err := s.JobsWithPayload(ctx, taskID, Filter{})
	if err != nil {
		return wizard.Sheet{}, err
	}
	rows := make([]wizard.Row, len(js))
	for i, j := range js {
		f := make(map[string]string, len(j.Fields))
		for k, v := range j.Fields {
			if isSecretField(k) && j.Status != StatusCompleted {
				continue
			}
			f[k] = v
		}
		rows[i] = wizard.RowFromFields(f)
	}
	users := wizard.UsersSheet(rows, true)
	sheet := wizard.Sheet{
		Name:   fmt.Sprintf("Task %d", taskID),
		Header: append([]string{"row", "status", "errorCode", "error"}, users.Header...),
		Rows:   make([][]string, len(js)),
	}
	for i, j := range js {
		code := ""
		if j.ErrorCode != 0 {
			code = strconv.Itoa(j.ErrorCode)
		}
		sheet.Rows[i] = append([]string{strconv.Itoa(j.Row), j.Status, code, j.Error}, users.Rows[i]...)
	}
	return sheet, nil
}

// ExportTask writes a task's jobs (status, error, and the created users
// with their passwords) as CSV or XLSX through the wizard's exporters; an
// XLSX file is encrypted with password when it is not empty.
func (s *Store) ExportTask(ctx context.Context, taskID int64, w io.Writer, format, password string) error {
	sheet, err := s.TaskSheet(ctx, taskID)
	if err != nil {
		return err
	}
	switch format {
	case FormatCSV:
		err = wizard.ExportCSV(w, sheet)
	case FormatXLSX:
		err = wizard.ExportXLSX(w, []wizard.Sheet{sheet}, password)
	default:
		return fmt.Errorf("jobs: export task %d: unknown format %q (want csv or xlsx)", taskID, format)
	}
	if err != nil {
		return fmt.Errorf("jobs: export task %d: %w", taskID, err)
	}
	return nil
}
