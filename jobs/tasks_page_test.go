package jobs

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
)

// pagedTask stores a task of n jobs, every tenth failed, each job but the
// failed ones sent its command twice; it returns the task's id.
func pagedTask(t testing.TB, s *Store, n int) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := s.CreateTask(ctx, sampleSpec(n, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE jobs SET status = 'completed' WHERE task_id = ?`,
		`UPDATE jobs SET status = 'failed', error_text = 'User already exists' WHERE task_id = ? AND row % 10 = 0`,
		`INSERT INTO audit (at, task_id, job_id, command, request, outcome)
			SELECT 1, task_id, id, 'UserAddRequest17sp4', '', 'success' FROM jobs WHERE task_id = ? AND status = 'completed'`,
		`INSERT INTO audit (at, task_id, job_id, command, request, outcome)
			SELECT 2, task_id, id, 'UserAddRequest17sp4', '', 'error' FROM jobs WHERE task_id = ?`,
	} {
		if _, err := s.w.ExecContext(ctx, q, id); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func rowsOf(js []Job) []int {
	var out []int
	for _, j := range js {
		out = append(out, j.Row)
	}
	return out
}

// TestStore_JobsPage: a page is the window of what Jobs returns for the
// same filter, its total what Jobs counts (a first page that is not full
// is counted by its jobs), its attempts what Attempts says of its jobs; an
// offset past the end reads the last page.
func TestStore_JobsPage(t *testing.T) {
	s := openTestStore(t, nil)
	ctx := context.Background()
	id := pagedTask(t, s, 95)
	all, err := s.Attempts(ctx, id)
	if err != nil || len(all) != 95 {
		t.Fatalf("Attempts: %d jobs, %v", len(all), err)
	}
	for _, tc := range []struct {
		name          string
		f             Filter
		offset, limit int
		total, from   int // from: the offset read
	}{
		{"first page", Filter{}, 0, 20, 95, 0},
		{"middle", Filter{}, 40, 20, 95, 40},
		{"past the end", Filter{}, 90, 20, 95, 75},
		{"more than all", Filter{}, 0, 500, 95, 0},
		{"failed", Filter{Status: StatusFailed}, 3, 4, 9, 3},
		{"failed, one page of them", Filter{Status: StatusFailed}, 0, 9, 9, 0},
		{"failed, less than a page", Filter{Status: StatusFailed}, 0, 10, 9, 0},
		{"completed", Filter{Status: StatusCompleted}, 80, 10, 86, 76},
		{"search user id", Filter{Search: "u004"}, 0, 5, 10, 0},
		{"search error", Filter{Search: "already"}, 0, 50, 9, 0},
		{"search row", Filter{Search: "42"}, 0, 5, 2, 0}, // row 42 and u0042 (row 43)
		{"none", Filter{Status: StatusPending}, 0, 5, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := s.Jobs(ctx, id, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := s.JobsPage(ctx, id, tc.f, tc.offset, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tc.total || p.Total != len(want) || p.Offset != tc.from {
				t.Fatalf("total %d offset %d, want %d (Jobs: %d) and %d", p.Total, p.Offset, tc.total, len(want), tc.from)
			}
			end := min(p.Offset+tc.limit, len(want))
			if got, exp := rowsOf(p.Jobs), rowsOf(want[p.Offset:end]); !slices.Equal(got, exp) {
				t.Fatalf("rows %v, want %v", got, exp)
			}
			for i, j := range p.Jobs {
				if !reflect.DeepEqual(j, want[p.Offset+i]) {
					t.Fatalf("job %+v, Jobs has %+v", j, want[p.Offset+i])
				}
			}
			exp := map[int64]int{}
			for _, j := range p.Jobs {
				if n, ok := all[j.ID]; ok {
					exp[j.ID] = n
				}
			}
			if !maps.Equal(p.Attempts, exp) {
				t.Fatalf("attempts %v, want %v", p.Attempts, exp)
			}
			ids, err := s.JobIDs(ctx, id, tc.f)
			if err != nil || len(ids) != len(want) {
				t.Fatalf("JobIDs: %d ids, %v; want %d", len(ids), err, len(want))
			}
			for i, j := range want {
				if ids[i] != j.ID {
					t.Fatalf("JobIDs[%d] = %d, want %d", i, ids[i], j.ID)
				}
			}
		})
	}
}

// BenchmarkJobsPage is what the Tasks screen asks the store when it opens
// a task of n users (the first page of its jobs, their count and their
// attempts) and when it filters by status or searches.
func BenchmarkJobsPage(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			ctx := context.Background()
			// One job in a hundred failed.
			st, id := benchTask(b, n, `UPDATE jobs SET status = 'failed', error_text = 'User already exists' WHERE row % 100 = 0`)
			for _, c := range taskViews {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if _, err := st.Task(ctx, id); err != nil {
							b.Fatal(err)
						}
						if _, err := st.JobsPage(ctx, id, c.f, 0, 200); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
