//go:build keyring

package jobs

// Run alone against a real Secret Service:
//
//	go test -tags keyring -run Keyring ./jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-password/password"
	"github.com/zalando/go-keyring"
)

func TestKeyring_RealRoundTrip(t *testing.T) {
	// A private service name so a developer's own bwbulk key is untouched.
	const service = "bwbulk-test"
	pw := password.MustGenerate(20, 5, 3, false, true)
	if err := keyring.Set(service, "probe", pw); err != nil {
		t.Fatalf("real keyring unavailable: %v", err)
	}
	t.Cleanup(func() { keyring.Delete(service, "probe") })
	got, err := keyring.Get(service, "probe")
	if err != nil || got != pw {
		t.Fatalf("keyring round trip: %v", err)
	}

	// The store against the real keyring: data key created and kept, a
	// sealed draft and an admin password round-trip, nothing in clear.
	keyring.Delete(KeyringService, KeyringDataKey)
	t.Cleanup(func() {
		keyring.Delete(KeyringService, KeyringDataKey)
		keyring.Delete(KeyringService, adminKey(99))
	})
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "real.db")
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.SaveDraft(ctx, Draft{Name: "real", Data: []byte(`{"password":"` + pw + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetAdminPassword(99, pw); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Draft(ctx, id)
	if err != nil || !strings.Contains(string(d.Data), pw) {
		t.Fatalf("draft after reopen: %v", err)
	}
	if a, err := s.AdminPassword(99); err != nil || a != pw {
		t.Fatalf("AdminPassword: %v", err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), pw) {
		t.Fatal("password in clear in the database file")
	}
	fmt.Println("jobs: real keyring round trip ok")
}
