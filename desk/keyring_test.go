package desk

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bwbulk/jobs"
)

// TestFallbackKeyring_Degrades falls back to memory when the OS keyring
// fails or does not answer.
func TestFallbackKeyring_Degrades(t *testing.T) {
	k := &FallbackKeyring{OS: failingKeyring{}, Timeout: 50 * time.Millisecond}
	if err := k.Set("bwbulk", "a", "1"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("bwbulk", "a"); err != nil || v != "1" {
		t.Errorf("Get = %q %v", v, err)
	}
	if k.Degraded() == nil {
		t.Error("not degraded")
	}
	slow := &FallbackKeyring{OS: hangingKeyring{}, Timeout: 20 * time.Millisecond}
	if _, err := slow.Get("bwbulk", "b"); err != jobs.ErrSecretNotFound {
		t.Errorf("hanging keyring Get = %v", err)
	}
	if slow.Degraded() == nil || !strings.Contains(slow.Degraded().Error(), "did not answer") {
		t.Errorf("degraded = %v", slow.Degraded())
	}
}

// TestFallbackKeyring_DataKeyNeverVolatile refuses the data key without the
// OS keyring, and the store then refuses to seal rather than lose data.
func TestFallbackKeyring_DataKeyNeverVolatile(t *testing.T) {
	k := &FallbackKeyring{OS: failingKeyring{}, Timeout: 50 * time.Millisecond}
	if err := k.Set(jobs.KeyringService, jobs.KeyringDataKey, "k"); !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("Set data key = %v, want ErrKeyringUnavailable", err)
	}
	if _, err := k.Get(jobs.KeyringService, jobs.KeyringDataKey); !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("Get data key = %v, want ErrKeyringUnavailable", err)
	}
	store, err := jobs.Open(context.Background(), filepath.Join(t.TempDir(), "bwbulk.db"), &jobs.Options{Keyring: k})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, err = store.SaveDraft(context.Background(), jobs.Draft{Name: "d", Data: []byte("secret")})
	if !errors.Is(err, jobs.ErrKeyringUnavailable) {
		t.Errorf("SaveDraft without a keyring = %v, want ErrKeyringUnavailable", err)
	}
}

type failingKeyring struct{}

func (failingKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (failingKeyring) Set(string, string, string) error   { return errNoKeyring }

type hangingKeyring struct{}

func (hangingKeyring) Get(string, string) (string, error) { select {} }
func (hangingKeyring) Set(string, string, string) error   { select {} }

var errNoKeyring = &keyringErr{}

type keyringErr struct{}

func (*keyringErr) Error() string { return "no secret service" }
