package wizard

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"bwbulk/internal/peakheap"
)

// validateSizes are the file sizes of BenchmarkValidateFile.
var validateSizes = []int{1000, 10000, 100000}

// usersCSV is a file of n users in bwbulk's own headers, each with a
// Polycom phone.
func usersCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("userId,firstName,lastName,deviceType,macAddress\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "v%06d@acme.example.com,Val,User%06d,Polycom VVX 450,0004F3%06X\n", i, i, i)
	}
	return b.Bytes()
}

// BenchmarkValidateFile is what `bwbulk validate` does with a file of n
// users once the group's facts are read: import it as it is read, build
// the preview over its rows (every row validated against the group) and
// list its problems. Besides
// B/op it reports peak-MB, the most heap held at once (peakheap), which
// is what the command's resident memory follows.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkValidateFile' -benchtime 1x -benchmem ./wizard
func BenchmarkValidateFile(b *testing.B) {
	for _, n := range validateSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			data := usersCSV(n)
			f := demoFacts(b, "acme-ent", "acme-hq")
			f.Group.UserLimit = n + 10
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			peakheap.Report(b, func() {
				imp, err := ImportFile(context.Background(), "users.csv", bytes.NewReader(data), nil, func(*Table) (Mapping, error) { return nil, nil })
				if err != nil {
					b.Fatal(err)
				}
				PrepareImport(imp, f)
				m := ModelForImportFile("acme-ent", true, f, imp)
				p, err := m.PreviewFinal()
				if err != nil {
					b.Fatal(err)
				}
				if ps := p.Problems(); len(ps) > 0 || len(imp.Problems) > 0 || len(p.Rows) != n {
					b.Fatalf("%d rows, problems %v %v", len(p.Rows), imp.Problems, ps[:min(3, len(ps))])
				}
			})
		})
	}
}

// BenchmarkPlanFile is what `bwbulk plan` adds to validate for a file of
// n users: every row planned into its commands and counted into the
// summary Submit's confirmation shows. peak-MB is the most heap the plan
// held at once, on top of the preview's.
//
//	go test -tags ci -run '^$' -bench 'BenchmarkPlanFile' -benchtime 1x -benchmem ./wizard
func BenchmarkPlanFile(b *testing.B) {
	for _, n := range validateSizes {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			data := usersCSV(n)
			f := demoFacts(b, "acme-ent", "acme-hq")
			f.Group.UserLimit = n + 10
			t, err := ReadFile(context.Background(), "users.csv", bytes.NewReader(data), nil)
			if err != nil {
				b.Fatal(err)
			}
			imp, err := t.Import(context.Background(), nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			PrepareImport(imp, f)
			m := ModelForImportFile("acme-ent", true, f, imp)
			p, err := m.Preview()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			peakheap.Report(b, func() {
				s, err := PlanSummary(m, p)
				if err != nil || s.Users != n || s.Devices != n {
					b.Fatalf("summary %+v, %v", s, err)
				}
			})
		})
	}
}
