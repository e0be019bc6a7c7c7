package jobs

import (
	"sync"
	"testing"
	"time"
)

// memSecrets is an in-memory Secrets for tests.
type memSecrets struct {
	mu  sync.Mutex
	m   map[string]string
	err error // returned by every call when set
}

func newMemSecrets() *memSecrets { return &memSecrets{m: map[string]string{}} }

func (s *memSecrets) Get(service, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	v, ok := s.m[service+"\x00"+key]
	if !ok {
		return "", ErrSecretNotFound
	}
	return v, nil
}

func (s *memSecrets) Set(service, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.m[service+"\x00"+key] = value
	return nil
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openTestStore opens a store on disk in t.TempDir() (WAL and several
// connections are exercised) with in-memory secrets; with
// BWBULK_TEST_ENGINE=postgres, a new database on the test PostgreSQL.
func openTestStore(t testing.TB, sec Secrets) *Store {
	t.Helper()
	if sec == nil {
		sec = newMemSecrets()
	}
	return openStoreAt(t, t.TempDir(), sec)
}
