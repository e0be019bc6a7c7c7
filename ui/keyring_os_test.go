//go:build keyring

package ui_test

// Against the operating system's keyring (Credential Manager on Windows,
// the Secret Service on Linux): run it alone, as the keyring is shared.
//
//	go test -tags 'ci keyring' -run Keyring ./ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"bwbulk/broadworks/oci"
	"bwbulk/broadworks/ocisim"
	"bwbulk/broadworks/ocisim/ocisimtest"
	"bwbulk/desk"
	"bwbulk/jobs"
)

// TestKeyring_ProfilePasswordThroughOSKeyring: a profile's administrator
// password saved as the Connections screen saves it lands in the OS
// keyring, and a later start (new store, new session) logs in with it.
// Without the stored password the same profile cannot log in, so the
// login proves the password came back from the keyring.
func TestKeyring_ProfilePasswordThroughOSKeyring(t *testing.T) {
	ctx := context.Background()
	srv := ocisimtest.Start(t, nil)
	dir := filepath.Join(t.TempDir(), "data folder é")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "bwbulk.db")

	// Given a profile saved with its password, as the Connections screen does.
	st, err := jobs.Open(ctx, path, &jobs.Options{Keyring: &desk.FallbackKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	p := jobs.Profile{Name: "Acme lab", Address: srv.Addr().String(), AdminUser: "acme-admin"}
	if p.ID, err = st.SaveProfile(ctx, p); err != nil {
		t.Fatal(err)
	}
	bare := jobs.Profile{Name: "Acme lab, no password", Address: p.Address, AdminUser: p.AdminUser}
	if bare.ID, err = st.SaveProfile(ctx, bare); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		jobs.OSKeyring{}.Delete(jobs.KeyringService, "admin/"+strconv.FormatInt(p.ID, 10))
	})
	if err := st.SetAdminPassword(p.ID, ocisim.DefaultPassword); err != nil {
		t.Fatalf("SetAdminPassword: %v", err)
	}
	st.Close()

	// When bwbulk starts again and uses the profile.
	k := &desk.FallbackKeyring{}
	st, err = jobs.Open(ctx, path, &jobs.Options{Keyring: k})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, err := keyring.Get(jobs.KeyringService, "admin/"+strconv.FormatInt(p.ID, 10)); err != nil || got != ocisim.DefaultPassword {
		t.Fatalf("OS keyring holds %q, %v", got, err)
	}
	s := desk.NewSession(st, nil)
	defer s.Close()
	s.Use(p)
	if err := listGroups(ctx, s); err != nil {
		t.Fatalf("log in with the password from the keyring: %v", err)
	}
	if err := k.Degraded(); err != nil {
		t.Fatalf("the OS keyring was not used: %v", err)
	}

	// Then the profile without a stored password is refused.
	s2 := desk.NewSession(st, nil)
	defer s2.Close()
	s2.Use(bare)
	if err := listGroups(ctx, s2); err == nil {
		t.Fatal("a profile without a stored password logged in")
	}
	if _, err := st.AdminPassword(bare.ID); !errors.Is(err, jobs.ErrNotFound) {
		t.Fatalf("AdminPassword of the bare profile: %v", err)
	}
}

// listGroups asks the server for acme-ent's groups through the session's
// pool, which logs in with the profile's password on first use.
func listGroups(ctx context.Context, s *desk.Session) error {
	pool, err := s.Connect(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = pool.Do(ctx, &oci.GroupGetListInServiceProviderRequest{ServiceProviderID: "acme-ent"})
	return err
}
