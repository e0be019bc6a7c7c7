package jobs

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
)

// The team key. On a team store the key that seals user passwords is one
// key for the whole team: every desk must open what another sealed. It
// never reaches the database in clear: each desk has an X25519 key pair
// (the private half in its OS keyring), and the team key is stored once
// per member, wrapped for that member's public key (ECDH with a fresh key
// pair, HKDF-SHA256, AES-256-GCM). The first desk to need the key makes
// it; a desk that joins later waits until a member admits it
// (`bwbulk team admit DESK`). A desk keeps its unwrapped copy in its
// keyring, as a local store keeps its data key.

// ErrTeamKeyPending means this desk is not admitted to the team key yet.
var ErrTeamKeyPending = errors.New("jobs: this desk cannot read the team's passwords yet: a member must admit it (bwbulk team admit DESK on a desk that is)")

const keyringMemberKey = "member-key"

// memberKey returns this desk's private key, making and storing one (and
// registering its public key) on first use.
func (s *Store) memberKey(ctx context.Context) (*ecdh.PrivateKey, error) {
	name := s.keyName(keyringMemberKey)
	v, err := s.secrets.Get(KeyringService, name)
	var priv *ecdh.PrivateKey
	switch {
	case errors.Is(err, ErrSecretNotFound):
		if priv, err = ecdh.X25519().GenerateKey(rand.Reader); err != nil {
			return nil, err
		}
		if err := s.secrets.Set(KeyringService, name, base64.StdEncoding.EncodeToString(priv.Bytes())); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
		}
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	default:
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("jobs: member key in keyring is malformed: %w", err)
		}
		if priv, err = ecdh.X25519().NewPrivateKey(b); err != nil {
			return nil, err
		}
	}
	// Registered (or its key replaced, which also drops a wrapped copy
	// made for a key this desk no longer has).
	_, err = s.w.ExecContext(ctx, `INSERT INTO members (desk, public_key, wrapped_key, added_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (desk) DO UPDATE SET public_key = excluded.public_key, wrapped_key = excluded.wrapped_key
		WHERE members.public_key <> excluded.public_key`, s.desk, priv.PublicKey().Bytes(), []byte{}, s.ms())
	if err != nil {
		return nil, fmt.Errorf("jobs: team member: %w", err)
	}
	return priv, nil
}

func wrapKey(pub []byte, key []byte) ([]byte, error) {
	to, err := ecdh.X25519().NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(to)
	if err != nil {
		return nil, err
	}
	aead, err := wrapAEAD(shared, eph.PublicKey().Bytes(), pub)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	out := append(eph.PublicKey().Bytes(), nonce...)
	return aead.Seal(out, nonce, key, []byte("bwbulk team key")), nil
}

func unwrapKey(priv *ecdh.PrivateKey, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 32+12+16 {
		return nil, ErrDecrypt
	}
	ephPub, err := ecdh.X25519().NewPublicKey(wrapped[:32])
	if err != nil {
		return nil, ErrDecrypt
	}
	shared, err := priv.ECDH(ephPub)
	if err != nil {
		return nil, ErrDecrypt
	}
	aead, err := wrapAEAD(shared, wrapped[:32], priv.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, wrapped[32:44], wrapped[44:], []byte("bwbulk team key"))
	if err != nil {
		return nil, ErrDecrypt
	}
	return key, nil
}

// wrapAEAD derives the wrapping cipher from an ECDH secret and both
// public keys. Each wrapping has its own ephemeral key, so a zero nonce
// is never reused under one key.
func wrapAEAD(shared, ephPub, toPub []byte) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha256.New, shared, append(append([]byte{}, ephPub...), toPub...), "bwbulk team key wrap", 32)
	if err != nil {
		return nil, err
	}
	blk, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(blk)
}

// teamDataKey returns the team key for this desk: from the keyring, from
// this desk's wrapped copy, or — for the first desk of a new team — made
// here and wrapped for itself.
func (s *Store) teamDataKey(ctx context.Context) ([]byte, error) {
	priv, err := s.memberKey(ctx)
	if err != nil {
		return nil, err
	}
	var key []byte
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		var mine []byte
		if err := tx.QueryRowContext(ctx, `SELECT wrapped_key FROM members WHERE desk = ?`, s.desk).Scan(&mine); err != nil {
			return err
		}
		if len(mine) > 0 {
			key, err = unwrapKey(priv, mine)
			return err
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM members WHERE length(wrapped_key) > 0`).Scan(&others); err != nil {
			return err
		}
		if others > 0 {
			return ErrTeamKeyPending
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		w, err := wrapKey(priv.PublicKey().Bytes(), key)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE members SET wrapped_key = ?, added_by = ?, added_at = ? WHERE desk = ?`, w, s.desk, s.ms(), s.desk)
		return err
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// AdmitMember wraps the team key for desk (a member that connected and is
// waiting), so it can read and seal the team's passwords.
func (s *Store) AdmitMember(ctx context.Context, desk string) error {
	if !s.eng.shared() {
		return errors.New("jobs: team mode is off")
	}
	if _, err := s.dataBox(); err != nil {
		return err
	}
	key, err := s.teamKeyBytes()
	if err != nil {
		return err
	}
	var pub []byte
	if err := s.r.QueryRowContext(ctx, `SELECT public_key FROM members WHERE desk = ?`, desk).Scan(&pub); err != nil {
		return notFound(err, "team member", desk)
	}
	w, err := wrapKey(pub, key)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `UPDATE members SET wrapped_key = ?, added_by = ?, added_at = ? WHERE desk = ?`, w, s.desk, s.ms(), desk)
	return err
}

// teamKeyBytes is the team key as this desk's keyring holds it.
func (s *Store) teamKeyBytes() ([]byte, error) {
	v, err := s.secrets.Get(KeyringService, s.keyName(KeyringDataKey))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	}
	return base64.StdEncoding.DecodeString(v)
}

// Member is a desk of the team, and whether it holds the team key.
type Member struct {
	Desk     string
	Admitted bool
	AddedBy  string
}

// Members lists the team's desks.
func (s *Store) Members(ctx context.Context) ([]Member, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT desk, length(wrapped_key) > 0, added_by FROM members ORDER BY desk`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.Desk, &m.Admitted, &m.AddedBy); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// HasTeamKey reports whether this desk can seal and open the team's
// passwords (making the team key if this is the team's first desk);
// false, nil while it waits to be admitted.
func (s *Store) HasTeamKey() (bool, error) {
	_, err := s.dataBox()
	if errors.Is(err, ErrTeamKeyPending) {
		return false, nil
	}
	return err == nil, err
}
