package ocirelease_test

import (
	"slices"
	"testing"

	"bwbulk/broadworks/ocirelease"
	"bwbulk/internal/ocinames"
)

// The table says of each release with a schema set at hand exactly what
// the set's XSD files define: no request more, none less.
func TestTable_matchesSchemas(t *testing.T) {
	checked := 0
	srcs, _ := ocirelease.Sources()
	for _, s := range srcs {
		if s.Kind != "schema" {
			continue
		}
		dir, ok := ocinames.SchemaDir(s.Release.Major)
		if !ok {
			t.Logf("R%s: no schema set in %s", s.Release, dir)
			continue
		}
		names, err := ocinames.SchemaRequests(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != s.Count {
			t.Errorf("R%s: the schema defines %d requests, the table's source line says %d", s.Release, len(names), s.Count)
		}
		var missing []string
		for _, n := range names {
			if has, sure := ocirelease.Has(s.Release, n); !has || !sure {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			t.Errorf("R%s: %d requests of the schema the table does not give it surely: %v", s.Release, len(missing), missing[:min(10, len(missing))])
		}
		for _, n := range ocirelease.Names() {
			if _, sure := ocirelease.Has(s.Release, n); sure && !slices.Contains(names, n) {
				t.Errorf("R%s: the table lists %s, the schema has no such request", s.Release, n)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Skip("no schema set at hand")
	}
}

// The facts the field found (and the suffix rule missed): a name carries
// where its family began, not the release that added it.
func TestHas_fieldFacts(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		name string
		has  bool
	}{
		{"21", "UserAddRequest21", false},
		{"21", "UserAddRequest17sp4", true},
		{"21", "UserModifyRequest21", false},
		{"22", "UserGetRequest22V9", false},
		{"22", "SystemDeviceTypeGetAvailableListRequest22V2", false},
		{"22", "SystemDeviceTypeGetAvailableListRequest22", true},
		{"23", "UserGetRequest23V2", false},
		{"24", "UserGetRequest23V2", false},
		{"24", "SystemPasswordRulesGetRequest24", false},
		{"24", "UserGetRequest22V8", true},
		{"25", "UserGetRequest23V2", true},
		{"26", "UserGetRequest23V2", true},
		// No source of R20: the oldest set (R21) less what its name puts later.
		{"20", "UserGetRequest20", true},
		{"20", "UserGetRequest21", false},
		// Between two sources: what the older has.
		{"21sp1", "UserGetRequest21", true},
		{"21sp1", "UserGetRequest22", false},
	} {
		r, _ := ocirelease.Parse(tc.rel)
		if has, _ := ocirelease.Has(r, tc.name); has != tc.has {
			t.Errorf("Has(R%s, %s) = %v, want %v", tc.rel, tc.name, has, tc.has)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"25", "22.0", "21sp1", "R24", "Release 17sp4", "22.0_1.1123", "", "sp", "r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ocirelease.Parse(s)
		if !ok {
			return
		}
		back, ok := ocirelease.Parse(r.String())
		if !ok || back != r {
			t.Fatalf("Parse(%q) = %v; its form %q reads %v, %v", s, r, r.String(), back, ok)
		}
	})
}
