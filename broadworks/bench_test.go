package broadworks_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
)

// BenchmarkClientThroughput measures commands per second against the
// simulator on loopback: one read command per document, through one
// session and through a pool of four; batch15 puts 15 commands in each
// document.
func BenchmarkClientThroughput(b *testing.B) {
	srv := ocisimtest.Start(b, nil)
	dial := func(ctx context.Context) (*broadworks.Client, error) {
		c, err := broadworks.Dial(ctx, srv.Addr().String(), nil)
		if err != nil {
			return nil, err
		}
		if _, err := c.Login(ctx, ocisim.DefaultAdmin, ocisim.DefaultPassword); err != nil {
			c.Close()
			return nil, err
		}
		return c, nil
	}
	req := &oci.UserGetRequest23V2{UserID: "branch.user01@acme.example.com"}
	ctx := context.Background()
	run := func(b *testing.B, sessions, perDoc int) {
		p := broadworks.NewPool(sessions, dial)
		defer p.Close()
		reqs := make([]oci.Request, perDoc)
		for i := range reqs {
			reqs[i] = req
		}
		// Log the sessions in before timing.
		var wg sync.WaitGroup
		for range sessions {
			wg.Add(1)
			go func() { defer wg.Done(); p.Do(ctx, req) }()
		}
		wg.Wait()
		b.ReportAllocs()
		b.ResetTimer()
		start := time.Now()
		docs := (b.N + perDoc - 1) / perDoc
		var next sync.Mutex
		left := docs
		for range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					next.Lock()
					if left == 0 {
						next.Unlock()
						return
					}
					left--
					next.Unlock()
					rs, err := p.Batch(ctx, reqs...)
					if err != nil || rs[0].Err != nil {
						b.Error(err, rs[0].Err)
						return
					}
				}
			}()
		}
		wg.Wait()
		b.ReportMetric(float64(docs*perDoc)/time.Since(start).Seconds(), "commands/s")
	}
	for _, tc := range []struct {
		name             string
		sessions, perDoc int
	}{
		{"1session", 1, 1},
		{"4sessions", 4, 1},
		{"1session_batch15", 1, 15},
		{"4sessions_batch15", 4, 15},
	} {
		b.Run(tc.name, func(b *testing.B) { run(b, tc.sessions, tc.perDoc) })
	}
}

// BenchmarkMaskSecrets measures the debug log's masking of a login
// document.
func BenchmarkMaskSecrets(b *testing.B) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">abc</sessionId><command xsi:type="LoginRequest22V5" xmlns=""><userId>admin</userId><password>S3cret!pass</password></command></BroadsoftDocument>`
	b.ReportAllocs()
	for b.Loop() {
		if broadworks.MaskSecrets(doc) == doc {
			b.Fatal("not masked")
		}
	}
}
