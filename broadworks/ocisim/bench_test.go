package ocisim_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
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
