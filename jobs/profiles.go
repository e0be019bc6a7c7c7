package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"bwbulk/broadworks"
)

// Profile is a saved BroadWorks server. It holds no password: see
// SetAdminPassword.
type Profile struct {
	ID        int64
	Name      string
	Address   string // host:port or SOAP URL
	Transport string // "tcp", "tls" or "soap"
	AdminUser string
	Insecure  bool   // skip TLS verification
	CAPin     string // pinned CA (SHA-256 hex), optional
	// Release is the server release learned at the last login ("" until
	// then); SaveProfile stores it for a new profile, SetProfileRelease
	// afterwards.
	Release string
	// Learned is what the server taught by refusing command versions as
	// unknown (broadworks.Learned): the version it takes for a command
	// family. SetProfileLearned stores it.
	Learned map[string]string
	// learning is the shared, live form of Learned for a profile read
	// from a Store (nil otherwise): DialProfile's clients add to it and it
	// saves itself.
	learning *broadworks.Learned
	Created  time.Time
	Updated  time.Time
}

// SaveProfile inserts (ID 0) or updates a profile and returns its id.
func (s *Store) SaveProfile(ctx context.Context, p Profile) (int64, error) {
	if p.Name == "" || p.Address == "" {
		return 0, errors.New("jobs: profile: name and address are required")
	}
	if p.Transport == "" {
		p.Transport = "tcp"
	}
	now := s.ms()
	id := p.ID
	err := s.InTx(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			return tx.QueryRowContext(ctx, `INSERT INTO profiles
				(name, address, transport, admin_user, insecure, ca_pin, release, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Name, p.Address, p.Transport, p.AdminUser, p.Insecure, p.CAPin, p.Release, now, now).Scan(&id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE profiles SET name = ?, address = ?, transport = ?, admin_user = ?,
			insecure = ?, ca_pin = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Address, p.Transport, p.AdminUser, p.Insecure, p.CAPin, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(sql.ErrNoRows, "profile", id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: save profile %q: %w", p.Name, err)
	}
	if s.local != nil {
		_, _ = s.Profiles(ctx) // refreshes the desk's copy, for offline work
	}
	return id, nil
}

const profileCols = `id, name, address, transport, admin_user, insecure, ca_pin, release, learned, created_at, updated_at`

func scanProfile(sc interface{ Scan(...any) error }) (Profile, error) {
	var p Profile
	var c, u int64
	var learned string
	err := sc.Scan(&p.ID, &p.Name, &p.Address, &p.Transport, &p.AdminUser, &p.Insecure, &p.CAPin, &p.Release, &learned, &c, &u)
	p.Created, p.Updated = fromMS(c), fromMS(u)
	if err == nil && learned != "" {
		// An unreadable value is forgotten: the server teaches it again.
		_ = json.Unmarshal([]byte(learned), &p.Learned)
	}
	return p, err
}

// LearnedCommands returns what p's server taught so far: the version it
// takes for each command family whose newer versions it refused.
func (p Profile) LearnedCommands() map[string]string {
	if p.learning != nil {
		return p.learning.Map()
	}
	return p.Learned
}

// DescribeLearned says, for people, what a server taught by refusing
// command versions: "UserGetRequest22V7 for UserGetRequest23V2, …",
// sorted; "" when nothing was learned.
func DescribeLearned(m map[string]string) string {
	var parts []string
	for fam, v := range m {
		parts = append(parts, v+" for "+fam)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// learnedFor returns the live Learned of profile p, made from p.Learned
// the first time and saved to the profile whenever it learns more.
func (s *Store) learnedFor(p Profile) *broadworks.Learned {
	s.learnedMu.Lock()
	defer s.learnedMu.Unlock()
	if l, ok := s.learned[p.ID]; ok {
		return l
	}
	if s.learned == nil {
		s.learned = map[int64]*broadworks.Learned{}
	}
	id := p.ID
	l := broadworks.NewLearned(p.Learned, func(m map[string]string) {
		ctx, cancel := context.WithTimeout(s.life(), 5*time.Second)
		defer cancel()
		_ = s.SetProfileLearned(ctx, id, m) // lost only if the disk fails: the server teaches it again
	})
	s.learned[p.ID] = l
	return l
}

// SetProfileLearned records what the profile's server taught by refusing
// command versions (broadworks.Learned.Map).
func (s *Store) SetProfileLearned(ctx context.Context, id int64, learned map[string]string) error {
	b, err := json.Marshal(learned)
	if err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE profiles SET learned = ? WHERE id = ?`, string(b), id)
	if err != nil {
		return fmt.Errorf("jobs: profile %d learned commands: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(sql.ErrNoRows, "profile", id)
	}
	return nil
}

// SetProfileRelease records the release the profile's server reported at
// login, so that work done offline knows it.
func (s *Store) SetProfileRelease(ctx context.Context, id int64, release string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE profiles SET release = ? WHERE id = ?`, release, id)
	if err != nil {
		return fmt.Errorf("jobs: profile %d release: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(sql.ErrNoRows, "profile", id)
	}
	return nil
}

// Profile returns one profile.
func (s *Store) Profile(ctx context.Context, id int64) (Profile, error) {
	if s.local != nil {
		return s.teamProfile(ctx, id)
	}
	p, err := scanProfile(s.r.QueryRowContext(ctx, `SELECT `+profileCols+` FROM profiles WHERE id = ?`, id))
	if err == nil {
		p.learning = s.learnedFor(p)
	}
	return p, notFound(err, "profile", id)
}

// Profiles lists profiles by name.
func (s *Store) Profiles(ctx context.Context) ([]Profile, error) {
	if s.local != nil {
		return s.teamProfiles(ctx)
	}
	return s.profiles(ctx)
}

func (s *Store) profiles(ctx context.Context) ([]Profile, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+profileCols+` FROM profiles ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("jobs: profiles: %w", err)
	}
	defer rows.Close()
	var out []Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, err
		}
		p.learning = s.learnedFor(p)
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeleteProfile removes a profile (its drafts keep their data) and its
// administrator password from the keyring when the keyring supports
// deletion.
func (s *Store) DeleteProfile(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM profiles WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("jobs: delete profile %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(sql.ErrNoRows, "profile", id)
	}
	if d, ok := s.secrets.(interface {
		Delete(service, key string) error
	}); ok {
		if err := d.Delete(KeyringService, adminKey(id)); err != nil {
			return fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
		}
	}
	return nil
}

// Draft is autosaved wizard state. Data (the wizard's MarshalDraft output,
// passwords included) is sealed at rest.
type Draft struct {
	ID        int64
	ProfileID int64 // 0 = none
	Name      string
	Data      []byte
	Created   time.Time
	Updated   time.Time
}

const purposeDraft = "drafts.data"

// SaveDraft inserts (ID 0) or updates a draft and returns its id.
func (s *Store) SaveDraft(ctx context.Context, d Draft) (int64, error) {
	sealed, err := s.seal(purposeDraft, d.Data)
	if err != nil {
		return 0, fmt.Errorf("jobs: save draft: %w", err)
	}
	var prof any
	if d.ProfileID != 0 {
		prof = d.ProfileID
	}
	now := s.ms()
	id := d.ID
	err = s.InTx(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			return tx.QueryRowContext(ctx, `INSERT INTO drafts (profile_id, name, data, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`, prof, d.Name, sealed, now, now).Scan(&id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE drafts SET profile_id = ?, name = ?, data = ?, updated_at = ?
			WHERE id = ?`, prof, d.Name, sealed, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(sql.ErrNoRows, "draft", id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: save draft: %w", err)
	}
	return id, nil
}

// Draft returns one draft, unsealed.
func (s *Store) Draft(ctx context.Context, id int64) (Draft, error) {
	var d Draft
	var prof sql.NullInt64
	var sealed []byte
	var c, u int64
	err := s.r.QueryRowContext(ctx, `SELECT id, profile_id, name, data, created_at, updated_at FROM drafts WHERE id = ?`, id).
		Scan(&d.ID, &prof, &d.Name, &sealed, &c, &u)
	if err != nil {
		return Draft{}, notFound(err, "draft", id)
	}
	d.ProfileID, d.Created, d.Updated = prof.Int64, fromMS(c), fromMS(u)
	if d.Data, err = s.open(purposeDraft, sealed); err != nil {
		return Draft{}, fmt.Errorf("jobs: draft %d: %w", id, err)
	}
	return d, nil
}

// Drafts lists drafts, newest first, without their data.
func (s *Store) Drafts(ctx context.Context) ([]Draft, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, profile_id, name, created_at, updated_at FROM drafts ORDER BY updated_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("jobs: drafts: %w", err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var prof sql.NullInt64
		var c, u int64
		if err := rows.Scan(&d.ID, &prof, &d.Name, &c, &u); err != nil {
			return nil, err
		}
		d.ProfileID, d.Created, d.Updated = prof.Int64, fromMS(c), fromMS(u)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteDraft removes a draft.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM drafts WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("jobs: delete draft %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(sql.ErrNoRows, "draft", id)
	}
	return nil
}

// PutCatalogue caches a catalogue look-up (any JSON-serialisable value)
// for a server under key, stamped with the current time.
func (s *Store) PutCatalogue(ctx context.Context, server, key string, v any) error {
	if s.local != nil {
		return s.local.PutCatalogue(ctx, server, key, v) // a desk's own cache, there offline too
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("jobs: cache %s %s: %w", server, key, err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO catalogue_cache (server, key, data, fetched_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (server, key) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at`,
		server, key, b, s.ms())
	if err != nil {
		return fmt.Errorf("jobs: cache %s %s: %w", server, key, err)
	}
	return nil
}

// Catalogue decodes a cached look-up into v and returns when it was
// fetched; ErrNotFound when nothing is cached.
func (s *Store) Catalogue(ctx context.Context, server, key string, v any) (time.Time, error) {
	if s.local != nil {
		return s.local.Catalogue(ctx, server, key, v)
	}
	var b []byte
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT data, fetched_at FROM catalogue_cache WHERE server = ? AND key = ?`, server, key).Scan(&b, &at)
	if err != nil {
		return time.Time{}, notFound(err, "catalogue "+server, key)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return time.Time{}, fmt.Errorf("jobs: catalogue %s %s: %w", server, key, err)
	}
	return fromMS(at), nil
}
