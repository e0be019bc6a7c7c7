package ocisim

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// RunCLI runs the simulator as the `bwbulk sim` subcommand: it parses args
// (without the subcommand name), serves until ctx is done, then closes the
// server (saving --state). It returns flag.ErrHelp after printing --help.
func RunCLI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, f := newSimFlags(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sim: unexpected argument %q", fs.Arg(0))
	}
	opts, err := f.options(stdout)
	if err != nil {
		return err
	}
	var s *Server
	if *f.dataset == "demo" {
		s = NewDemo(opts)
	} else {
		s = New(opts)
	}
	errc, err := f.serve(s, opts, stdout)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, ErrServerClosed) {
			s.Close()
			return fmt.Errorf("sim: %w", err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return errors.New("sim: close timed out")
	}
}

// simFlags are the flags of `bwbulk sim`.
type simFlags struct {
	listen, certFile, keyFile, keepCert, soapAddr *string
	user, password, dataset, state, rel, refuse   *string
	scenario                                      *string
	useTLS, loginFail, quiet, soapFault, noCode   *bool
	seed                                          *int64
	latency, loginWait, idle                      *time.Duration
	dropEvery, stall                              *int
	dropRate, transient                           *float64
}

func newSimFlags(stderr io.Writer) (*flag.FlagSet, *simFlags) {
	fs := flag.NewFlagSet("bwbulk sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &simFlags{
		listen:    fs.String("listen", "127.0.0.1:2208", "OCI-P listen address `HOST:PORT` (loopback by default)"),
		useTLS:    fs.Bool("tls", false, "serve OCI-P over TLS (self-signed certificate unless --cert/--key)"),
		certFile:  fs.String("cert", "", "TLS certificate `FILE` (PEM)"),
		keyFile:   fs.String("key", "", "TLS private key `FILE` (PEM)"),
		keepCert:  fs.String("cert-file", "", "with --tls and no --cert: keep the generated certificate and key in `FILE` and reuse them at every start, so a pinned certificate stays right (default: STATE.tls.pem beside --state; bwbulk sim: sim-tls.pem in its data folder)"),
		soapAddr:  fs.String("soap", "", "also serve OCI-P over SOAP/HTTP on `HOST:PORT` (path "+SOAPPath+")"),
		user:      fs.String("user", DefaultAdmin, "system administrator user `ID`"),
		password:  fs.String("password", DefaultPassword, "system administrator `PASSWORD`"),
		dataset:   fs.String("dataset", "demo", "initial data: demo or empty"),
		state:     fs.String("state", "", "persist the state in this JSON `FILE` (loaded at start if present)"),
		seed:      fs.Int64("seed", 1, "seed for nonces, generated passwords and random faults"),
		latency:   fs.Duration("latency", 0, "delay before each response document, e.g. 50ms"),
		dropEvery: fs.Int("drop-every", 0, "execute, then drop the connection instead of answering every `N`th document"),
		dropRate:  fs.Float64("drop-rate", 0, "probability (0..1) of dropping a document's answer"),
		transient: fs.Float64("transient-rate", 0, "probability (0..1) of refusing a command with [Error 5200] (try again later)"),
		loginWait: fs.Duration("login-delay", 0, "delay before each login answer"),
		loginFail: fs.Bool("login-fail", false, "refuse every login with [Error 5201] (temporary)"),
		idle:      fs.Duration("idle-timeout", 0, "close connections idle this long (session expiry); 0 = never"),
		stall:     fs.Int("stall-after", 0, "stop answering mid-response after `N` documents"),
		quiet:     fs.Bool("quiet", false, "do not log connections and commands"),
		rel:       fs.String("release", DefaultRelease, "BroadWorks `RELEASE` to emulate (20 to 25, e.g. 22.0 or 21sp1): command versions its schema set lacks are refused with [Error 6004]"),
		refuse:    fs.String("refuse", "", "comma-separated command `VERSIONS` to refuse as unknown although the release has them (a server patched below its release)"),
		soapFault: fs.Bool("soap-faults", false, "with --soap: refuse a document holding a command the server does not know with a SOAP Fault naming it, instead of [Error 6004]"),
		noCode:    fs.Bool("omit-error-code", false, "leave errorCode out of ErrorResponse (the code is then only in the summary, as real servers often send it)"),
		scenario:  fs.String("scenario", "", "training `SCENARIO` to play: "+scenarioNames()+" (see Scenarios)"),
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: bwbulk sim [flags]\n\nRuns the built-in OCI-P (BroadWorks) simulator.\n")
		fmt.Fprintf(stderr, "Demo administrators (dataset demo): %s (system), %s, %s (service provider), %s (group); password %s.\n\n",
			DefaultAdmin, DemoEnterpriseAdmin, DemoSPAdmin, DemoGroupAdmin, DefaultPassword)
		fs.PrintDefaults()
	}
	return fs, f
}

// options checks the flags and returns the server's options, logging to
// stdout unless --quiet.
func (f *simFlags) options(stdout io.Writer) (*Options, error) {
	if *f.dataset != "demo" && *f.dataset != "empty" {
		return nil, fmt.Errorf("sim: --dataset must be demo or empty, not %q", *f.dataset)
	}
	for name, p := range map[string]float64{"--drop-rate": *f.dropRate, "--transient-rate": *f.transient} {
		if p < 0 || p > 1 {
			return nil, fmt.Errorf("sim: %s must be between 0 and 1", name)
		}
	}
	opts := &Options{
		Seed: *f.seed, Latency: *f.latency, DropEvery: *f.dropEvery, DropRate: *f.dropRate, TransientRate: *f.transient,
		LoginDelay: *f.loginWait, LoginFail: *f.loginFail, IdleTimeout: *f.idle, StallAfter: *f.stall,
		TLS: *f.useTLS, StateFile: *f.state, Admin: *f.user, Password: *f.password,
		Release: *f.rel, OmitErrorCode: *f.noCode, CertFile: *f.keepCert, SOAPFaults: *f.soapFault,
	}
	if opts.CertFile == "" && *f.state != "" {
		opts.CertFile = *f.state + ".tls.pem"
	}
	for _, name := range strings.Split(*f.refuse, ",") {
		if name = strings.TrimSpace(name); name != "" {
			opts.Refuse = append(opts.Refuse, name)
		}
	}
	if err := checkScenario(*f.scenario); err != nil {
		return nil, fmt.Errorf("sim: --scenario: %w", err)
	}
	opts.Scenario = *f.scenario
	if _, ok := parseRelease(*f.rel); !ok {
		return nil, fmt.Errorf("sim: --release %q is not a release (e.g. 22.0)", *f.rel)
	}
	if !*f.quiet {
		opts.Log = stdout
	}
	if (*f.certFile == "") != (*f.keyFile == "") {
		return nil, errors.New("sim: --cert and --key go together")
	}
	if *f.certFile != "" {
		cert, err := tls.LoadX509KeyPair(*f.certFile, *f.keyFile)
		if err != nil {
			return nil, fmt.Errorf("sim: %w", err)
		}
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return opts, nil
}

// serve starts serving s on --listen (and --soap), says where on stdout
// with the TLS certificate's fingerprint, and returns the channel the
// servers' ends arrive on.
func (f *simFlags) serve(s *Server, opts *Options, stdout io.Writer) (<-chan error, error) {
	ln, err := net.Listen("tcp", *f.listen)
	if err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	errc := make(chan error, 2)
	go func() { errc <- s.Serve(ln) }()
	if *f.soapAddr != "" {
		sl, err := net.Listen("tcp", *f.soapAddr)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("sim: %w", err)
		}
		go func() { errc <- s.ServeSOAP(sl) }()
	}
	scheme := "tcp"
	if opts.TLS || opts.TLSConfig != nil {
		scheme = "tls"
	}
	fmt.Fprintf(stdout, "OCI-P simulator on %s://%s (dataset %s, release %s); system admin %q\n", scheme, ln.Addr(), *f.dataset, *f.rel, *f.user)
	if conf, err := s.TLSConfig(); scheme == "tls" && err == nil && len(conf.Certificates) > 0 {
		kept := ""
		if opts.TLSConfig == nil && opts.CertFile != "" {
			kept = " (kept in " + opts.CertFile + ")"
		}
		fmt.Fprintf(stdout, "TLS certificate SHA-256 %x%s\n", sha256.Sum256(conf.Certificates[0].Certificate[0]), kept)
	}
	return errc, nil
}
