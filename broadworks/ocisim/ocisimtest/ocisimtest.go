// Package ocisimtest starts the simulator for tests: a demo server on a
// free loopback port, closed with the test, and a client logged in to it.
// It imports testing, so only tests import it.
package ocisimtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"bwbulk/broadworks"
	"bwbulk/broadworks/ocisim"
)

// Start starts a server with the demo dataset on 127.0.0.1:0 (TLS when
// opts asks for it) and returns it once its address is known; tb.Cleanup
// closes it. For callers that dial themselves.
func Start(tb testing.TB, opts *ocisim.Options) *ocisim.Server {
	tb.Helper()
	srv := ocisim.NewDemo(opts)
	if _, err := srv.Listen("127.0.0.1:0"); err != nil {
		srv.Close()
		tb.Fatalf("ocisim: listen: %v", err)
	}
	tb.Cleanup(func() { srv.Close() })
	return srv
}

// ClientOptions returns client options that reach srv: TLS with the
// server's certificate pinned when the server speaks TLS, a 10 s timeout.
func ClientOptions(tb testing.TB, srv *ocisim.Server) *broadworks.Options {
	tb.Helper()
	o := &broadworks.Options{Timeout: 10 * time.Second}
	if srv.SpeaksTLS() {
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

// NewPair starts a demo server on 127.0.0.1:0 (see Start) and
// returns a client logged in as its system administrator (Options.Admin
// and Password, default admin/welcome1). tb.Cleanup closes both.
func NewPair(tb testing.TB, opts *ocisim.Options) (*broadworks.Client, *ocisim.Server) {
	tb.Helper()
	srv := Start(tb, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := broadworks.Dial(ctx, srv.Addr().String(), ClientOptions(tb, srv))
	if err != nil {
		tb.Fatalf("ocisim: dial: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	admin, password := srv.SystemAdmin()
	if _, err := c.Login(ctx, admin, password); err != nil {
		tb.Fatalf("ocisim: login: %v", err)
	}
	return c, srv
}
