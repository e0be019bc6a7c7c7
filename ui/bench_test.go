package ui

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	_ "github.com/mattn/go-sqlite3"

	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/jobs"
	"bwbulk/wizard"
)

// benchSizes are the sizes of the window's benchmarks: benchstat shows
// the growth from one to the next.
var benchSizes = []int{1000, 10000, 100000}

// benchModel is a valid n-user model on a group with room for them.
func benchModel(n int) *wizard.Model {
	facts := &wizard.GroupFacts{
		Group: wizard.GroupInfo{ServiceProviderID: "acme-ent", GroupID: "big", DefaultDomain: "acme.example.com",
			UserLimit: n + 100, MinExtensionLength: 2, MaxExtensionLength: 6, DefaultExtensionLength: 5},
		Domains:     []string{"acme.example.com"},
		DeviceTypes: []string{"Generic SIP Phone"},
		Rules:       wizard.PasswordRules{MinLength: 8, MinDigits: 1},
	}
	m := wizard.NewModelForGroup("acme-ent", true, facts)
	m.UserCount = n
	m.UserID.Template = "u{{ index | pad 6 }}"
	m.Device = wizard.DeviceStep{Mode: wizard.DeviceHosted, DeviceType: "Generic SIP Phone", DeviceName: "{{ user name }}-p", LinePort: "{{ user name }}@{{ domain }}"}
	return m
}

func benchUI(b *testing.B) *UI {
	a := test.NewApp()
	b.Cleanup(a.Quit)
	u := New(a, nil)
	u.win.Resize(fyne.NewSize(1366, 768))
	return u
}

// benchPreview is a UI showing the built preview of n users.
func benchPreview(b *testing.B, n int) (*UI, *previewView) {
	u := benchUI(b)
	u.Show(ScreenNewUsers)
	u.wizard.reset(benchModel(n), wizard.StepPreview, 0)
	v := u.wizard.preview
	if v.p == nil || len(v.p.Rows) != n || !v.p.Valid() {
		b.Fatalf("preview not built or invalid")
	}
	return u, v
}

// BenchmarkPreview_Build builds the preview of n users and lays out and
// renders its table (what opening the Preview step costs).
func BenchmarkPreview_Build(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			u := benchUI(b)
			u.Show(ScreenNewUsers)
			b.ReportAllocs()
			for b.Loop() {
				u.wizard.reset(benchModel(n), wizard.StepPreview, 0)
				test.WidgetRenderer(u.wizard.preview.table).Layout(u.wizard.preview.table.Size())
			}
			if v := u.wizard.preview; v.p == nil || len(v.p.Rows) != n || !v.p.Valid() {
				b.Fatalf("preview not built or invalid: %v", v.p.Problems())
			}
		})
	}
}

// BenchmarkPreview_Edit edits one cell of an n-row preview: re-validation,
// counts, filter and table refresh, as Enter in the cell editor does. What
// an edit starts off the UI goroutine (the marks of the steps before the
// preview) is run after the loop, untimed: the figure is the wait of the
// UI goroutine.
func BenchmarkPreview_Edit(b *testing.B) {
	benchEdit(b, 1, func(i int) string { return "Name" + fmtInt(i) })
}

// BenchmarkPreview_EditUserID edits a user id, which the checks between
// rows read: the duplicates are looked up in their indexes.
func BenchmarkPreview_EditUserID(b *testing.B) {
	benchEdit(b, 0, func(i int) string { return "edited" + fmtInt(i) + "@acme.example.com" })
}

func benchEdit(b *testing.B, col int, value func(i int) string) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			u, v := benchPreview(b, n)
			var later []func()
			u.spawn = func(f func()) { later = append(later, f) }
			v.table.Select(widget.TableCellID{Row: n / 2, Col: col})
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				v.applyEdit(value(i))
			}
			for len(later) > 0 {
				f := later[0]
				later = later[1:]
				f()
			}
			if got := v.p.Rows[n/2].Get(v.cols[col]); got != value(i) {
				b.Fatalf("edited cell reads %q", got)
			}
			if !v.p.Valid() || len(v.bad) != 0 {
				b.Fatalf("edited preview has problems: %v", v.p.Problems())
			}
		})
	}
}

// BenchmarkPreview_Scroll scrolls the table and refreshes its visible
// cells (what the painter does on each frame while scrolling).
func BenchmarkPreview_Scroll(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			_, v := benchPreview(b, n)
			b.ReportAllocs()
			row := 0
			for b.Loop() {
				row = (row + 137) % (n - 100)
				v.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
				v.table.Refresh()
			}
		})
	}
}

// benchTaskSpec is a task of n planned users, jobs made one at a time.
func benchTaskSpec(b *testing.B, n int) jobs.TaskSpec {
	cmds := planOne(&testing.T{}, "bench@acme.example.com")
	return jobs.TaskSpec{Description: fmt.Sprintf("%d users in acme-ent/acme-hq", n), OSUser: "bench", Admin: "admin", Server: "demo",
		NumJobs: n, JobAt: func(i int) (jobs.JobSpec, error) {
			id := fmt.Sprintf("bulk%06d@acme.example.com", i)
			return jobs.JobSpec{Row: i + 1, UserID: id, Fields: map[string]string{"userId": id, "firstName": "Row", "lastName": fmtInt(i + 1)}, Commands: cmds}, nil
		}}
}

// benchTasks is a Tasks screen on a store holding a finished task of n
// jobs, one in a hundred failed, each sent three commands (the audit rows
// the Attempts column counts). It returns the task's id.
func benchTasks(b *testing.B, n int) (*UI, int64) {
	a := test.NewApp()
	b.Cleanup(a.Quit)
	srv := ocisimtest.Start(b, nil)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bwbulk.db")
	st, err := jobs.Open(ctx, path, &jobs.Options{Keyring: &desk.FallbackKeyring{OS: &memKeyring{}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	id, err := st.CreateTask(ctx, benchTaskSpec(b, n))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE jobs SET status = 'completed', step = ncommands, attempts = 1 WHERE task_id = ?`,
		`UPDATE jobs SET status = 'failed', error_code = 4000, error_text = 'User already exists' WHERE task_id = ? AND row % 100 = 0`,
		`INSERT INTO audit (at, task_id, job_id, command, request, outcome)
			SELECT 1, task_id, id, c.command, '', 'success' FROM jobs,
			(SELECT 'UserConsolidatedAddRequest' AS command UNION ALL SELECT 'GroupAccessDeviceAddRequest' UNION ALL SELECT 'UserGetRequest') AS c
			WHERE task_id = ?`,
		`UPDATE tasks SET status = 'failed' WHERE id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	demo := desk.DemoAt(srv.Addr().String())
	session := desk.NewSession(st, demo)
	b.Cleanup(session.Close)
	u := New(a, &Options{Version: "bench", DataDir: "/data", Session: session})
	b.Cleanup(u.Close)
	u.win.Resize(fyne.NewSize(1366, 768))
	u.Show(ScreenTasks)
	return u, id
}

// drawJobs lays out the jobs table and draws its visible cells.
func drawJobs(tv *tasksView) {
	test.WidgetRenderer(tv.table).Layout(tv.table.Size())
	tv.table.Refresh()
}

// BenchmarkTasks opens a task of n jobs in the Tasks screen (its jobs
// read and the table drawn), filters it to the failed jobs, and searches
// it for a user id. filter alternates between the failed jobs (one in a
// hundred) and the completed ones (the rest).
func BenchmarkTasks(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			u, id := benchTasks(b, n)
			tv := u.tasks
			open := func() {
				tv.list.UnselectAll()
				tv.selected, tv.listSel = 0, -1
				tv.filter.SetSelected("All")
				tv.search.SetText("")
				tv.list.Select(0)
				drawJobs(tv)
			}
			open()
			if tv.selected != id {
				b.Fatalf("task %d not selected (%d)", id, tv.selected)
			}
			b.Run("open", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					open()
				}
				if rows, _ := tv.table.Length(); rows != n {
					b.Fatalf("%d rows shown, want %d", rows, n)
				}
			})
			b.Run("filter", func(b *testing.B) {
				open()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					tv.filter.SetSelected([]string{jobs.StatusFailed, jobs.StatusCompleted}[i%2])
					drawJobs(tv)
				}
			})
			b.Run("search", func(b *testing.B) {
				open()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					i++
					tv.search.SetText(fmt.Sprintf("bulk%04d", i%(n/100)))
					drawJobs(tv)
				}
				if rows, _ := tv.table.Length(); rows != 100 {
					b.Fatalf("search shows %d rows, want 100", rows)
				}
			})
		})
	}
}
