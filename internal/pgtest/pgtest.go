// Package pgtest starts throw-away PostgreSQL servers for tests: Debian's
// postgresql package (installed by scripts/deps.sh), initdb into a
// temporary folder as an unprivileged user, a free loopback port, no
// fsync. Tests that need PostgreSQL start one; they are never skipped.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the URL of a server already started
// (scripts/pg-test.sh sets it, so one server serves a whole run).
const EnvURL = "BWBULK_TEST_POSTGRES"

// Server is a PostgreSQL server of this test run.
type Server struct {
	Dir  string // data folder and socket folder
	Port int
	bin  string
	run  []string // runuser prefix when the tests run as root
	uid  int      // the server's user when the tests run as root, else -1
	gid  int
	// extra holds more server settings (-c NAME=VALUE), from EnableTLS.
	extra []string
	mu    sync.Mutex
}

// binDir finds Debian's server binaries (the newest version installed).
func binDir() (string, error) {
	if d := os.Getenv("BWBULK_PG_BIN"); d != "" {
		return d, nil
	}
	ms, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(ms) == 0 {
		return "", fmt.Errorf("pgtest: no PostgreSQL server found in /usr/lib/postgresql (run scripts/deps.sh)")
	}
	best, bestV := "", -1
	for _, m := range ms {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(m))))
		if v > bestV {
			best, bestV = filepath.Dir(m), v
		}
	}
	return best, nil
}

// FreePort returns a loopback TCP port nobody listens on now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start creates and starts a new server. initdb refuses to run as root,
// so as root the server runs as the postgres user.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "bwbulk-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, bin: bin, uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root needs the postgres user (Debian's postgresql package): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		s.run = []string{"runuser", "-u", "postgres", "--"}
		s.uid, s.gid = uid, gid
	}
	if out, err := s.cmd("initdb", "-D", s.data(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v: %s", err, out)
	}
	if err := s.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *Server) data() string { return filepath.Join(s.Dir, "data") }

func (s *Server) cmd(name string, args ...string) *exec.Cmd {
	full := append(append([]string{}, s.run...), append([]string{filepath.Join(s.bin, name)}, args...)...)
	c := exec.Command(full[0], full[1:]...)
	ownGroup(c)
	return c
}

// Start starts the (stopped) server, on a new free port the first time
// and on the same port after. fsync is off (the machine does not crash in
// a test) but commits are synchronous: a commit the server confirmed
// survives Stop, as on a real server (with synchronous_commit=off an
// immediate stop loses the last confirmed commits, and with them the
// runner's record of what it sent).
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for try := 0; try < 5; try++ {
		if s.Port == 0 || try > 0 {
			if s.Port, err = FreePort(); err != nil {
				return err
			}
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200",
			s.Port, s.Dir)
		for _, e := range s.extra {
			opts += " -c " + e
		}
		out, err2 := s.cmd("pg_ctl", "-D", s.data(), "-o", opts, "-l", filepath.Join(s.Dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
		if err2 == nil {
			return nil
		}
		err = fmt.Errorf("pgtest: pg_ctl start: %v: %s", err2, out)
	}
	return err
}

// Stop stops the server at once (as a crash would: no checkpoint).
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.cmd("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgtest: pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// Restart stops the server at once and starts it again on the same port.
func (s *Server) Restart() error {
	if err := s.Stop(); err != nil {
		return err
	}
	return s.Start()
}

// EnableTLS restarts the server with ssl=on and the given certificate
// (PEM, its chain) and private key (PEM): connections may then use TLS
// (sslmode=verify-full), and plain ones are still accepted.
func (s *Server) EnableTLS(certPEM, keyPEM []byte) error {
	cert, err := s.writeFile("server.crt", certPEM)
	if err != nil {
		return err
	}
	key, err := s.writeFile("server.key", keyPEM)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.extra = append(s.extra, "ssl=on", "ssl_cert_file="+cert, "ssl_key_file="+key)
	s.mu.Unlock()
	return s.Restart()
}

// writeFile writes a file the server reads into its folder, readable by
// the server's user only (PostgreSQL refuses a key others can read).
func (s *Server) writeFile(name string, b []byte) (string, error) {
	p := filepath.Join(s.Dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		return "", err
	}
	if s.uid >= 0 {
		if err := os.Chown(p, s.uid, s.gid); err != nil {
			return "", err
		}
	}
	return p, nil
}

// Close stops the server and removes its folder.
func (s *Server) Close() error {
	err := s.Stop()
	os.RemoveAll(s.Dir)
	return err
}

// URL is the superuser's URL of database db.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.Port, db)
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedURL  string
	sharedErr  error
)

// Shared returns the URL of the run's server: the one named by
// BWBULK_TEST_POSTGRES, or one started for this test binary (stopped by
// StopShared, from TestMain).
func Shared() (string, error) {
	sharedOnce.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			sharedURL = u
			return
		}
		shared, sharedErr = Start()
		if sharedErr == nil {
			sharedURL = shared.URL("postgres")
		}
	})
	return sharedURL, sharedErr
}

// StopShared stops the server Shared started, if any.
func StopShared() {
	if shared != nil {
		shared.Close()
	}
}

// NewDatabase creates an empty database on the server at base (a URL) and
// returns its URL.
func NewDatabase(ctx context.Context, base string) (string, error) {
	c, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("pgtest: connect: %w", err)
	}
	defer c.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: create database: %w", err)
	}
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		return "", err
	}
	i := strings.LastIndex(base, "/"+cfg.Database)
	if i < 0 {
		return "", fmt.Errorf("pgtest: no database name in %s", base)
	}
	return base[:i] + "/" + name + base[i+1+len(cfg.Database):], nil
}

// WaitReady waits until a server accepts connections at url.
func WaitReady(ctx context.Context, url string) error {
	for {
		c, err := pgx.Connect(ctx, url)
		if err == nil {
			c.Close(ctx)
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}
