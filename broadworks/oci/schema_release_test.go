package oci_test

import (
	"fmt"
	"strings"
	"testing"

	"bwbulk/broadworks/oci"
	"bwbulk/internal/ocinames"
)

// For every release whose schema set is at hand, every request bwbulk can
// build, sent to a server of that release, goes in a version that
// release's XSD files define: the facts come from the schema, not from
// the release table nor from the simulator.
func TestForRelease_onlyWhatTheSchemaHas(t *testing.T) {
	checked := 0
	for _, major := range []int{20, 21, 22, 23, 24, 25} {
		dir, ok := ocinames.SchemaDir(major)
		if !ok {
			continue
		}
		names, err := ocinames.SchemaRequests(dir)
		if err != nil {
			t.Fatal(err)
		}
		has := map[string]bool{}
		for _, n := range names {
			has[n] = true
		}
		rel := fmt.Sprintf("%d.0", major)
		sent := 0
		for _, name := range oci.Names() {
			if !strings.Contains(name, "Request") {
				continue
			}
			c, _ := oci.New(name)
			req, ok := c.(oci.Request)
			if !ok {
				continue
			}
			w, ok := oci.VersionFor(rel, name)
			if !ok {
				continue // the release has no version of it: never sent
			}
			sent++
			if !has[w] {
				t.Errorf("R%d: %s would go as %s, which the R%d schema does not define", major, name, w, major)
			}
			if got, err := oci.ForRelease(rel, req); err == nil && !has[got.OCIName()] {
				t.Errorf("R%d: ForRelease(%s) = %s, which the R%d schema does not define", major, name, got.OCIName(), major)
			}
		}
		t.Logf("R%d: %d request types, each in a version of the R%d schema", major, sent, major)
		checked++
	}
	if checked == 0 {
		t.Skip("no schema set at hand")
	}
}
