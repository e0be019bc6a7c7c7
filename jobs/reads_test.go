package jobs

import (
	"context"
	"strings"
	"sync"
	"testing"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// TestReadRetry_busyServer: reads the simulator refuses as busy are sent
// again, only those, until answered, and each wait is told.
func TestReadRetry_busyServer(t *testing.T) {
	srv := ocisimtest.Start(t, &ocisim.Options{TransientRate: 0.4, Seed: 3})
	pool := dialer(srv.Addr().String(), 2)
	p, err := pool(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var mu sync.Mutex
	var notes []string
	rr := &ReadRetry{D: p, MaxAttempts: 20, Base: 1, Max: 5, Notice: func(m string) { mu.Lock(); notes = append(notes, m); mu.Unlock() }}
	reqs := make([]oci.Request, 15)
	for i := range reqs {
		reqs[i] = &oci.GroupGetRequest22V5{ServiceProviderID: "acme-ent", GroupID: "acme-hq"}
	}
	rs, err := rr.Batch(context.Background(), reqs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if r.Err != nil {
			t.Errorf("read %d: %v", i, r.Err)
		}
	}
	if len(notes) == 0 || !strings.Contains(notes[0], "the server is busy ([Error 5200] System busy, try again later): reading") {
		t.Errorf("notes %q", notes)
	}
}
