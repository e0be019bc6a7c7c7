package desk

import (
	"context"
	"os"
	"path/filepath"

	"bwbulk/jobs"
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
