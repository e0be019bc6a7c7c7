package ocisim_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"bwbulk/broadworks/ocisim"
)

// BenchmarkServeDocuments measures documents served per second over a
// loopback TCP session (write a document, read the two-line answer).
func BenchmarkServeDocuments(b *testing.B) {
	cases := []struct {
		name string
		doc  func(i int) string
	}{
		{"verify-1cmd", func(int) string { return cmd("VerifySessionIsValidRequest", "") }},
		{"userGet-15cmd", func(int) string {
			return strings.Repeat(cmd("UserGetRequest23V2", el("userId", "branch.user07@acme.example.com")), 15)
		}},
		{"userAdd-15cmd", func(i int) string {
			var s strings.Builder
			for j := 0; j < 15; j++ {
				s.WriteString(userAdd("acme-ent", "acme-hq", fmt.Sprintf("b%d-%d@acme.example.com", i, j), ""))
			}
			return s.String()
		}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := ocisim.NewDemo(nil)
			s.SetUserLimit("acme-ent", "acme-hq", 999999)
			if _, err := s.Listen("127.0.0.1:0"); err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			conn, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			r := bufio.NewReaderSize(conn, 64<<10)
			round := func(doc string) {
				if _, err := io.WriteString(conn, doc); err != nil {
					b.Fatal(err)
				}
				for range 2 {
					line, err := r.ReadSlice('\n')
					if err != nil && err != bufio.ErrBufferFull {
						b.Fatal(err)
					}
					for err == bufio.ErrBufferFull {
						line, err = r.ReadSlice('\n')
					}
					_ = line
				}
			}
			round(document("bench", cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))))
			docs := make([]string, 0, 64)
			for i := 0; i < 64 && i < b.N; i++ {
				docs = append(docs, document("bench", bc.doc(i)))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				doc := ""
				if i < len(docs) {
					doc = docs[i]
				} else {
					doc = document("bench", bc.doc(i))
				}
				round(doc)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkStateJournal measures a document of 15 user adds with the state
// file on (every change journalled before it is confirmed, the journal
// folded into the snapshot as it grows), on an empty system and on one that
// already holds 100,000 users, against no state file at 100,000 users. The
// cost per document must not grow with the users.
func BenchmarkStateJournal(b *testing.B) {
	const existing = 100_000
	seeded := filepath.Join(b.TempDir(), "seed.json")
	plain := ocisim.NewDemo(nil) // 100,000 users, no state file
	plain.SetUserLimit("acme-ent", "acme-hq", 100*existing)
	if _, err := plain.Listen("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer plain.Close()
	c := benchConn(b, plain.Addr().String())
	for i := 0; i < existing; i += 15 {
		var d strings.Builder
		for j := i; j < min(i+15, existing); j++ {
			d.WriteString(userAdd("acme-ent", "acme-hq", fmt.Sprintf("seed%06d@acme.example.com", j), ""))
		}
		c.round(document("bench", d.String()))
	}
	if err := plain.SaveState(seeded); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, s *ocisim.Server) {
		c := benchConn(b, s.Addr().String())
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var d strings.Builder
			for j := 0; j < 15; j++ {
				d.WriteString(userAdd("acme-ent", "acme-hq", fmt.Sprintf("j%s-%d-%d@acme.example.com", b.Name(), i, j), ""))
			}
			c.round(document("bench", d.String()))
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	}
	journalled := func(b *testing.B, seed string) {
		path := filepath.Join(b.TempDir(), "state.json")
		if seed != "" {
			blob, err := os.ReadFile(seed)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, blob, 0o600); err != nil {
				b.Fatal(err)
			}
		}
		s := ocisim.NewDemo(&ocisim.Options{StateFile: path})
		s.SetUserLimit("acme-ent", "acme-hq", 100*existing)
		if _, err := s.Listen("127.0.0.1:0"); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	}
	b.Run("users=0/journal", func(b *testing.B) { journalled(b, "") })
	b.Run("users=100000/journal", func(b *testing.B) { journalled(b, seeded) })
	b.Run("users=100000/no-state-file", func(b *testing.B) { run(b, plain) })
}

type benchClient struct {
	b    *testing.B
	conn net.Conn
	r    *bufio.Reader
}

// benchConn dials addr and logs in as the system administrator.
func benchConn(b *testing.B, addr string) *benchClient {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	c := &benchClient{b: b, conn: conn, r: bufio.NewReaderSize(conn, 64<<10)}
	c.round(document("bench", cmd("LoginRequest22V5", el("userId", "admin")+el("password", "welcome1"))))
	return c
}

func (c *benchClient) round(doc string) {
	if _, err := io.WriteString(c.conn, doc); err != nil {
		c.b.Fatal(err)
	}
	for range 2 {
		_, err := c.r.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			_, err = c.r.ReadSlice('\n')
		}
		if err != nil {
			c.b.Fatal(err)
		}
	}
}

// BenchmarkWorldMemory adds n users, each with a Polycom phone on its own
// line/port and MAC (two documents of 15 commands per 15 users, as bwbulk
// sends them), and reports the simulator's live heap per user once they
// are in (heap-B/user) and the cost per document (s/op is per n users).
// The heap per user must not grow with the users.
func BenchmarkWorldMemory(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			var perUser float64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				s := ocisim.NewDemo(nil)
				s.SetUserLimit("acme-ent", "acme-hq", n+10)
				if _, err := s.Listen("127.0.0.1:0"); err != nil {
					b.Fatal(err)
				}
				c := benchConn(b, s.Addr().String())
				b.StartTimer()
				for k := 0; k < n; k += 15 {
					var devs, users strings.Builder
					for j := k; j < min(k+15, n); j++ {
						dev := fmt.Sprintf("m%06d-phone", j)
						devs.WriteString(deviceAdd("acme-hq", dev, "Polycom VVX 450", el("macAddress", fmt.Sprintf("0004F3%06X", j))))
						users.WriteString(userAdd("acme-ent", "acme-hq", fmt.Sprintf("m%06d@acme.example.com", j),
							el("password", "Pw!1xYz9a")+endpoint(dev, fmt.Sprintf("m%06d_lp@acme.example.com", j))))
					}
					c.round(document("bench", devs.String()))
					c.round(document("bench", users.String()))
				}
				b.StopTimer()
				if got := s.AddCount("UserAddRequest22V2"); got != n {
					b.Fatalf("%d users added, want %d", got, n)
				}
				runtime.GC()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				perUser += float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
				runtime.KeepAlive(s)
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(perUser/float64(b.N), "heap-B/user")
		})
	}
}
