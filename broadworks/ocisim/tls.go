package ocisim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// selfSignedConfig generates a fresh ECDSA P-256 certificate valid for
// localhost, 127.0.0.1 and ::1 for one year.
func selfSignedConfig() (*tls.Config, error) {
	conf, _, err := selfSigned()
	return conf, err
}

// keptConfig loads the certificate and key kept in path (Options.CertFile),
// or generates them and keeps them there.
func keptConfig(path string) (*tls.Config, error) {
	if cert, err := tls.LoadX509KeyPair(path, path); err == nil && cert.Leaf != nil &&
		time.Until(cert.Leaf.NotAfter) > 24*time.Hour {
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
	}
	conf, pemBytes, err := selfSigned()
	if err != nil {
		return nil, err
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, pemBytes, 0o600); err != nil {
		return nil, fmt.Errorf("ocisim: keep the certificate: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("ocisim: keep the certificate: %w", err)
	}
	return conf, nil
}

// selfSigned generates the certificate of selfSignedConfig and returns it
// with the certificate and key in PEM.
func selfSigned() (*tls.Config, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "ocisim", Organization: []string{"bwbulk OCI-P simulator"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	pemBytes = append(pemBytes, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, pemBytes, nil
}

// CertPool returns a pool holding the server certificate, for clients that
// want to verify the self-signed certificate instead of skipping checks.
func (s *Server) CertPool() (*x509.CertPool, error) {
	conf, err := s.TLSConfig()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, c := range conf.Certificates {
		if c.Leaf != nil {
			pool.AddCert(c.Leaf)
			continue
		}
		if len(c.Certificate) > 0 {
			if leaf, err := x509.ParseCertificate(c.Certificate[0]); err == nil {
				pool.AddCert(leaf)
			}
		}
	}
	return pool, nil
}
