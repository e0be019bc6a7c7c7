package jobs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bwbulk/internal/pgtest"
)

// testCA is a certificate authority made for a test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// serverCert issues a server certificate for 127.0.0.1 and localhost.
func (ca *testCA) serverCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

// sslmode=verify-full against a real PostgreSQL with ssl=on: a server
// without TLS, and a certificate signed by another authority, are refused
// with a sentence that says so; the right authority connects, over TLS.
func TestTeam_VerifyFull(t *testing.T) {
	ctx := context.Background()
	pg, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	plain, err := pgtest.NewDatabase(ctx, pg.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ca, other := newTestCA(t, "bwbulk test team CA"), newTestCA(t, "someone else's CA")
	caFile, otherFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "other.pem")
	if err := os.WriteFile(caFile, ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(otherFile, other.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	verify := func(root string) string {
		return strings.Replace(plain, "sslmode=disable", "sslmode=verify-full&sslrootcert="+root, 1)
	}
	sec := newMemSecrets()

	_, err = ConnectTeam(ctx, dir, verify(caFile), "", &Options{Keyring: sec})
	if err == nil || !strings.HasPrefix(err.Error(), "TLS: the database does not accept TLS connections") {
		t.Fatalf("verify-full, server without TLS: %v", err)
	}

	certPEM, keyPEM := ca.serverCert(t)
	if err := pg.EnableTLS(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	if err := pgtest.WaitReady(ctx, plain); err != nil {
		t.Fatal(err)
	}
	_, err = ConnectTeam(ctx, dir, verify(otherFile), "", &Options{Keyring: sec})
	if err == nil || !strings.HasPrefix(err.Error(), "TLS: the database's certificate is not signed by a trusted authority") {
		t.Fatalf("verify-full, another CA: %v", err)
	}
	if u, _ := TeamURL(dir); u != "" {
		t.Fatalf("a refused connect turned team mode on (%s)", u)
	}

	st, err := ConnectTeam(ctx, dir, verify(caFile), "", &Options{Keyring: sec})
	if err != nil {
		t.Fatalf("verify-full, the right CA: %v", err)
	}
	defer st.Close()
	var ssl bool
	if err := st.r.QueryRowContext(ctx, `SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).Scan(&ssl); err != nil || !ssl {
		t.Fatalf("connection over TLS: %v, %v", ssl, err)
	}
	if u, _ := TeamURL(dir); !strings.Contains(u, "sslmode=verify-full") {
		t.Fatalf("team.json URL %q", u)
	}
}
