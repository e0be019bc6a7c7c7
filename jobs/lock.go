package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// ErrLocked is returned by Store.LockRunner while another process runs
// tasks on the same database.
var ErrLocked = errors.New("jobs: another bwbulk runs the tasks of this data folder")

// RunnerLock is the right to run tasks on a database, held by one process
// at a time (an advisory lock on a file beside the database, released by
// the operating system when the process ends, however it ends).
type RunnerLock struct{ f *os.File }

// LockRunner takes the runner lock of the store's database, or returns
// ErrLocked at once when another process holds it. Two processes running
// one task at once could each send a command the other had sent: the
// window and `bwbulk submit --wait` take this lock before running any task.
//
// On a team store many runners, on many desks, run tasks at once: each task
// is leased to one of them (see lease.go), and the lock is not needed.
func (s *Store) LockRunner() (*RunnerLock, error) {
	if s.eng.shared() {
		return &RunnerLock{}, nil
	}
	return LockFile(s.path + ".runner-lock")
}

// LockFile takes a lock of the runner lock's kind on the file at path
// (created when missing): held until Unlock or the end of the process,
// ErrLocked at once while another holds it. The built-in demo server of a
// data folder is one process's at a time by such a lock.
func LockFile(path string) (*RunnerLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("jobs: lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return &RunnerLock{f: f}, nil
}

// NoteRunner records who holds the runner lock ("the window (pid 412)"),
// for a process that finds it held: see RunnerNote. Write it once the
// lock is taken.
func (s *Store) NoteRunner(who string) error {
	if s.eng.shared() {
		return nil // a team task's runner is its lease owner (RunBy)
	}
	return os.WriteFile(s.path+".runner", []byte(who), 0o600)
}

// RunnerNote is what the holder of the runner lock last wrote with
// NoteRunner ("" when nothing was). It may be a process that has ended
// since: only a failed LockRunner says the lock is held.
func (s *Store) RunnerNote() string {
	if s.eng.shared() {
		return ""
	}
	b, err := os.ReadFile(s.path + ".runner")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// WaitRunnerLock takes the runner lock, trying again every poll while
// another process holds it, until ctx is done.
func (s *Store) WaitRunnerLock(ctx context.Context, poll time.Duration) (*RunnerLock, error) {
	for {
		l, err := s.LockRunner()
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
}

// Unlock releases the lock.
func (l *RunnerLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
