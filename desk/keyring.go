package desk

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"bwbulk/jobs"
)

// FallbackKeyring is the OS keyring, or — when the OS has none (a desktop
// without a Secret Service) or it does not answer within Timeout (a locked
// keyring whose unlock prompt nobody answers) — an in-memory keyring for
// this run only, so an administrator can still type a password and work.
// Degraded tells the UI to say so.
//
// The key that encrypts drafts and tasks never falls back to memory: data
// sealed with a key that dies with the process could not be read at the
// next start. Without the OS keyring it is refused with
// jobs.ErrKeyringUnavailable, so nothing is sealed and nothing is lost.
// Safe for concurrent use.
type FallbackKeyring struct {
	// OS is the real keyring. Default jobs.OSKeyring{}.
	OS jobs.Secrets
	// Timeout bounds one OS keyring call. Default 45s (time to type the
	// keyring password into an unlock prompt).
	Timeout time.Duration

	mu       sync.Mutex
	mem      map[string]string
	degraded error
}

var _ jobs.Secrets = (*FallbackKeyring)(nil)

func (k *FallbackKeyring) os() jobs.Secrets {
	if k.OS == nil {
		return jobs.OSKeyring{}
	}
	return k.OS
}

// Degraded returns why the OS keyring is not used, or nil when it is.
func (k *FallbackKeyring) Degraded() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.degraded
}

// call runs f against the OS keyring unless degraded, with the timeout.
// It reports false when the memory keyring must answer instead.
func (k *FallbackKeyring) call(f func(jobs.Secrets) error) (bool, error) {
	k.mu.Lock()
	degraded := k.degraded != nil
	k.mu.Unlock()
	if degraded {
		return false, nil
	}
	t := k.Timeout
	if t <= 0 {
		t = 45 * time.Second
	}
	done := make(chan error, 1)
	os := k.os()
	go func() { done <- f(os) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(t):
		err = fmt.Errorf("the system keyring did not answer within %s", t)
	}
	if err == nil || errors.Is(err, jobs.ErrSecretNotFound) {
		return true, err
	}
	k.mu.Lock()
	if k.degraded == nil {
		k.degraded = err
	}
	k.mu.Unlock()
	return false, nil
}

// durable reports whether a secret must outlive the process, so it may
// only be kept by the OS keyring.
func durable(service, key string) bool {
	return service == jobs.KeyringService && key == jobs.KeyringDataKey
}

// refuse is the answer for a durable secret while degraded.
func (k *FallbackKeyring) refuse() error {
	return fmt.Errorf("%w: %v", jobs.ErrKeyringUnavailable, k.Degraded())
}

// Get reads a secret.
func (k *FallbackKeyring) Get(service, key string) (string, error) {
	var v string
	if ok, err := k.call(func(s jobs.Secrets) (err error) { v, err = s.Get(service, key); return err }); ok {
		return v, err
	}
	if durable(service, key) {
		return "", k.refuse()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.mem[service+"\x00"+key]
	if !ok {
		return "", jobs.ErrSecretNotFound
	}
	return v, nil
}

// Set stores a secret.
func (k *FallbackKeyring) Set(service, key, value string) error {
	if ok, err := k.call(func(s jobs.Secrets) error { return s.Set(service, key, value) }); ok {
		return err
	}
	if durable(service, key) {
		return k.refuse()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.mem == nil {
		k.mem = map[string]string{}
	}
	k.mem[service+"\x00"+key] = value
	return nil
}
