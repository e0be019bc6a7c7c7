package ocisim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"bwbulk/broadworks"
)

// StartTest starts a server with the demo dataset on 127.0.0.1:0 (TLS when
// opts asks for it) and returns it once its address is known; tb.Cleanup
// closes it. For callers that dial themselves.
func StartTest(tb testing.TB, opts *Options) *Server {
	tb.Helper()
	srv := NewDemo(opts)
	if _, err := srv.Listen("127.0.0.1:0"); err != nil {
		srv.Close()
		tb.Fatalf("ocisim: listen: %v", err)
	}
	tb.Cleanup(func() { srv.Close() })
	return srv
}

// TestClientOptions returns client options that reach srv: TLS with the
// server's certificate pinned when the server speaks TLS, a 10 s timeout.
func TestClientOptions(tb testing.TB, srv *Server) *broadworks.Options {
	tb.Helper()
	o := &broadworks.Options{Timeout: 10 * time.Second}
	if srv.opts.TLS || srv.opts.TLSConfig != nil {
		conf, err := srv.TLSConfig()
		if err != nil || len(conf.Certificates) == 0 || len(conf.Certificates[0].Certificate) == 0 {
			tb.Fatalf("ocisim: no server certificate: %v", err)
		}
		sum := sha256.Sum256(conf.Certificates[0].Certificate[0])
		o.Transport = broadworks.TransportTLS
		o.PinSHA256 = hex.EncodeToString(sum[:])
	}
	return o
}

// NewTestPair starts a demo server on 127.0.0.1:0 (see StartTest) and
// returns a client logged in as its system administrator (Options.Admin
// and Password, default admin/welcome1). tb.Cleanup closes both.
func NewTestPair(tb testing.TB, opts *Options) (*broadworks.Client, *Server) {
	tb.Helper()
	srv := StartTest(tb, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), TestClientOptions(tb, srv))
	if err != nil {
		tb.Fatalf("ocisim: dial: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	if _, err := c.Login(ctx, srv.opts.Admin, srv.opts.Password); err != nil {
		tb.Fatalf("ocisim: login: %v", err)
	}
	return c, srv
}
