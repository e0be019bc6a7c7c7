package jobs

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zalando/go-keyring"
)

// Keyring names: the data key and the administrator passwords are stored
// under service KeyringService.
const (
	KeyringService = "bwbulk"
	KeyringDataKey = "data-key"
)

var (
	// ErrKeyringUnavailable means the OS keyring could not be used, so no
	// secret can be sealed or unsealed. bwbulk never falls back to clear
	// text.
	ErrKeyringUnavailable = errors.New("jobs: OS keyring unavailable: secrets cannot be stored or read (is a Secret Service such as gnome-keyring running?)")
	// ErrSecretNotFound is returned by a Secrets implementation when the
	// key is absent.
	ErrSecretNotFound = errors.New("jobs: secret not found in keyring")
	// ErrDecrypt means a sealed value could not be opened: the data key in
	// the keyring is not the one it was sealed with, or the value is
	// corrupt.
	ErrDecrypt = errors.New("jobs: cannot decrypt stored secret (data key changed or data corrupt)")
)

// Secrets is a small keyring: Get returns ErrSecretNotFound (errors.Is) for
// an absent key. Implementations must be safe for concurrent use.
type Secrets interface {
	Get(service, key string) (string, error)
	Set(service, key, value string) error
}

// OSKeyring is the Secrets of the operating system (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows), through
// github.com/zalando/go-keyring. keyring.MockInit() turns it into an
// in-memory store for tests.
type OSKeyring struct{}

var _ Secrets = OSKeyring{}

// Get reads a secret.
func (OSKeyring) Get(service, key string) (string, error) {
	v, err := keyring.Get(service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrSecretNotFound
	}
	return v, err
}

// Set stores a secret.
func (OSKeyring) Set(service, key, value string) error { return keyring.Set(service, key, value) }

// Delete removes a secret; absent keys are not an error.
func (OSKeyring) Delete(service, key string) error {
	err := keyring.Delete(service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return err
}

// box seals and opens values with AES-256-GCM. A sealed value is
// version(1) || nonce(12) || ciphertext+tag; the purpose string is the
// additional data, so a value cannot be moved to another column.
type box struct{ aead cipher.AEAD }

const sealVersion = 1

func newBox(key []byte) (*box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("jobs: data key has %d bytes, want 32", len(key))
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	return &box{aead: aead}, nil
}

func (b *box) seal(purpose string, plain []byte) ([]byte, error) {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return b.aead.Seal(out, out[1:], plain, []byte(purpose)), nil
}

func (b *box) open(purpose string, sealed []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrDecrypt
	}
	p, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(purpose))
	if err != nil {
		return nil, ErrDecrypt
	}
	return p, nil
}

// dataBox returns the cipher, loading the data key from the keyring (or
// creating and storing one) on first use.
func (s *Store) dataBox() (*box, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.box != nil {
		return s.box, nil
	}
	v, err := s.secrets.Get(KeyringService, s.keyName(KeyringDataKey))
	switch {
	case errors.Is(err, ErrSecretNotFound):
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if s.eng != nil && s.eng.shared() {
			// The team's key, not one of this desk's own (teamkey.go).
			ctx, cancel := context.WithTimeout(s.life(), 30*time.Second)
			key, err = s.teamDataKey(ctx)
			cancel()
			if err != nil {
				return nil, err
			}
		}
		v = base64.StdEncoding.EncodeToString(key)
		if err := s.secrets.Set(KeyringService, s.keyName(KeyringDataKey), v); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
		}
		// Read it back: a keyring that accepts but does not keep values
		// would otherwise lose every sealed value at the next start.
		got, err := s.secrets.Get(KeyringService, s.keyName(KeyringDataKey))
		if err != nil || got != v {
			return nil, fmt.Errorf("%w: data key not kept", ErrKeyringUnavailable)
		}
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("jobs: data key in keyring is malformed: %w", err)
	}
	b, err := newBox(key)
	if err != nil {
		return nil, err
	}
	s.box = b
	return b, nil
}

func (s *Store) seal(purpose string, plain []byte) ([]byte, error) {
	b, err := s.dataBox()
	if err != nil {
		return nil, err
	}
	return b.seal(purpose, plain)
}

func (s *Store) open(purpose string, sealed []byte) ([]byte, error) {
	b, err := s.dataBox()
	if err != nil {
		return nil, err
	}
	return b.open(purpose, sealed)
}

// keyName is the keyring key of a local store's key k; a team store's
// keys are apart, under the team database's name.
func (s *Store) keyName(k string) string {
	if s.team == "" {
		return k
	}
	return "team/" + s.team + "/" + k
}

func adminKey(profileID int64) string { return "admin/" + strconv.FormatInt(profileID, 10) }

// adminKeyName is the keyring key of a profile's administrator password:
// a desk database holds copies of its team's profiles, whose passwords
// are kept under the team's name.
func (s *Store) adminKeyName(profileID int64) string {
	if s.adminNS != "" {
		return "team/" + s.adminNS + "/" + adminKey(profileID)
	}
	return s.keyName(adminKey(profileID))
}

// SetAdminPassword stores the BroadWorks administrator password of a
// profile in the OS keyring (never in the database).
func (s *Store) SetAdminPassword(profileID int64, password string) error {
	if err := s.secrets.Set(KeyringService, s.adminKeyName(profileID), password); err != nil {
		return fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	}
	return nil
}

// AdminPassword reads the administrator password of a profile from the
// keyring; ErrNotFound when none is stored.
func (s *Store) AdminPassword(profileID int64) (string, error) {
	v, err := s.secrets.Get(KeyringService, s.adminKeyName(profileID))
	if errors.Is(err, ErrSecretNotFound) {
		return "", fmt.Errorf("jobs: admin password of profile %d: %w", profileID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	}
	return v, nil
}
