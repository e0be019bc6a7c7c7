package desk

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"bwbulk/jobs"
	"bwbulk/wizard"
)

// ExportTaskFile writes task id to the file named path as o says
// (jobs.Store.ExportTask) and returns how many jobs it wrote. The file is
// written beside path and renamed, so a failed export never leaves half a
// file under the name asked for; it is readable by its owner only, as it
// holds passwords.
func ExportTaskFile(ctx context.Context, st *jobs.Store, id int64, path string, o jobs.ExportOptions) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := st.ExportTask(ctx, id, tmp, o)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ExportFixes writes the failed jobs of task id to w as the file to fix
// them in (FixesExport), in format (jobs.FormatCSV or jobs.FormatXLSX),
// and returns how many it wrote.
func ExportFixes(ctx context.Context, st *jobs.Store, id int64, w io.Writer, format string) (int, error) {
	return st.ExportTask(ctx, id, w, FixesExport(jobs.ExportOptions{Format: format}))
}

// WriteRows writes preview rows as XLSX (the users sheet, a passwords
// sheet with withPasswords, encrypted with password when it is not empty)
// or as CSV (the passwords in the users sheet, in clear, only with
// withPasswords).
func WriteRows(w io.Writer, rows []wizard.Row, xlsx, withPasswords bool, password string) error {
	if !xlsx {
		return wizard.ExportCSV(w, wizard.UsersSheet(rows, withPasswords))
	}
	sheets := []wizard.Sheet{wizard.UsersSheet(rows, false)}
	if withPasswords {
		sheets = append(sheets, wizard.PasswordSheet(rows))
	}
	return wizard.ExportXLSX(w, sheets, password)
}

// WriteProblems writes the preview's rows with problems
// (wizard.ProblemsSheet) as XLSX or CSV; wizard.ReadFixes reads the file
// back.
func WriteProblems(w io.Writer, rows []wizard.ProblemRow, xlsx bool) error {
	s := wizard.ProblemsSheet(rows)
	if xlsx {
		return wizard.ExportXLSX(w, []wizard.Sheet{s}, "")
	}
	return wizard.ExportCSV(w, s)
}
