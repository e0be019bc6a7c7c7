package jobs

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TeamFile is the file of a data folder that turns team mode on: the team
// database's URL, without its password (that is in the OS keyring).
const TeamFile = "team.json"

type teamFile struct {
	URL string `json:"url"`
}

// TeamURL returns the team database URL of data folder dir, "" when team
// mode is off.
func TeamURL(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, TeamFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("jobs: team settings: %w", err)
	}
	var tf teamFile
	if err := json.Unmarshal(b, &tf); err != nil || tf.URL == "" {
		return "", fmt.Errorf("jobs: team settings %s: not a team file (remove it to work alone)", filepath.Join(dir, TeamFile))
	}
	return tf.URL, nil
}

// passwordKey is the keyring key of a team URL's password: its role,
// host, port and database.
func passwordKey(u string) string {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return "team-password/" + u
	}
	return "team-password/" + cfg.User + "@" + teamIdent(cfg)
}

// TeamPasswordKey is the keyring key (service KeyringService) of the
// password of team URL u's role.
func TeamPasswordKey(u string) string { return passwordKey(u) }

// SplitPassword returns u without its password, and the password.
func SplitPassword(u string) (clean, password string, err error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "postgres" && p.Scheme != "postgresql") || p.Host == "" {
		return "", "", fmt.Errorf("jobs: team database URL: want postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full")
	}
	if p.User != nil {
		password, _ = p.User.Password()
		p.User = url.User(p.User.Username())
	}
	return p.String(), password, nil
}

// OpenData opens the store of data folder dir: its bwbulk.db, or when
// team mode is on (dir/team.json) the team's database, with the password
// of its URL from the keyring.
func OpenData(ctx context.Context, dir string, opts *Options) (*Store, error) {
	u, err := TeamURL(dir)
	if err != nil {
		return nil, err
	}
	if u == "" {
		return Open(ctx, filepath.Join(dir, "bwbulk.db"), opts)
	}
	tc, err := teamConfig(u, opts)
	if err != nil {
		return nil, err
	}
	desk, err := openDesk(ctx, dir, tc, opts)
	if err != nil {
		return nil, err
	}
	s, err := OpenTeam(ctx, tc, opts)
	if teamDown(err) {
		// Out of reach: the desk works on, its submits wait in its queue.
		desk.offlineWhy = Diagnose(err)
		desk.startMover()
		return desk, nil
	}
	if err != nil {
		desk.Close()
		return nil, fmt.Errorf("%s\n(team mode is on in %s; bwbulk team status says more)", Diagnose(err), dir)
	}
	s.local = desk
	_, _ = s.Profiles(ctx) // refreshes the desk's copy, for offline work
	if n, err := s.Queued(ctx); err == nil && n > 0 {
		_, _ = desk.moveQueued(ctx, s) // what is left is moved by the mover
	}
	s.startMover()
	return s, nil
}

func teamConfig(u string, opts *Options) (TeamConfig, error) {
	var sec Secrets = OSKeyring{}
	if opts != nil && opts.Keyring != nil {
		sec = opts.Keyring
	}
	pw, err := sec.Get(KeyringService, passwordKey(u))
	if err != nil && !errors.Is(err, ErrSecretNotFound) {
		return TeamConfig{}, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
	}
	return TeamConfig{URL: u, Password: pw}, nil
}

// ConnectTeam turns team mode on for data folder dir: it opens the team
// database at u (the password in u or given apart, kept in the keyring
// and never written to the folder), applies the migrations, and writes
// dir/team.json. It returns the opened store.
func ConnectTeam(ctx context.Context, dir, u, password string, opts *Options) (*Store, error) {
	clean, inURL, err := SplitPassword(u)
	if err != nil {
		return nil, err
	}
	if password == "" {
		password = inURL
	}
	s, err := OpenTeam(ctx, TeamConfig{URL: clean, Password: password}, opts)
	if err != nil {
		return nil, errors.New(Diagnose(err))
	}
	var sec Secrets = OSKeyring{}
	if opts != nil && opts.Keyring != nil {
		sec = opts.Keyring
	}
	if password != "" {
		if err := sec.Set(KeyringService, passwordKey(clean), password); err != nil {
			s.Close()
			return nil, fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
		}
	}
	b, _ := json.MarshalIndent(teamFile{URL: clean}, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, TeamFile), append(b, '\n'), 0o600); err != nil {
		s.Close()
		return nil, fmt.Errorf("jobs: team settings: %w", err)
	}
	return s, nil
}

// DisconnectTeam turns team mode off for dir: the desk works on its own
// bwbulk.db again. The team database is not touched.
func DisconnectTeam(dir string) error {
	err := os.Remove(filepath.Join(dir, TeamFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Diagnose says in a sentence what is wrong with a team database
// connection: unreachable, TLS, login refused, missing rights, schema
// newer than this bwbulk. It never includes a password.
func Diagnose(err error) string {
	if err == nil {
		return ""
	}
	var pe *pgconn.PgError
	var ue x509.UnknownAuthorityError
	var he x509.HostnameError
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.Is(err, ErrSchemaNewer):
		return "schema too new: " + err.Error()
	case errors.As(err, &pe):
		switch {
		case pe.Code == "28P01" || pe.Code == "28000":
			return fmt.Sprintf("login refused: the database refused the role (%s): check the user and the password", pe.Message)
		case pe.Code == "3D000":
			return fmt.Sprintf("no such database: %s", pe.Message)
		case pe.Code == "42501":
			return fmt.Sprintf("missing rights: %s (the role needs to create and change tables in the database the first time, and to read and write them after: GRANT ALL ON SCHEMA public, or a role that owns it)", pe.Message)
		case strings.HasPrefix(pe.Code, "53"):
			return fmt.Sprintf("the server is out of resources: %s", pe.Message)
		}
		return fmt.Sprintf("the database said: %s (%s)", pe.Message, pe.Code)
	case errors.As(err, &ue):
		return "TLS: the database's certificate is not signed by a trusted authority (give the CA with sslrootcert=FILE in the URL)"
	case errors.As(err, &he):
		return "TLS: the database's certificate is for another name: " + he.Error()
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "TLS: " + lastPart(err.Error())
	case strings.Contains(err.Error(), "server refused TLS connection"):
		return "TLS: the database does not accept TLS connections (sslmode=verify-full needs ssl=on on the server)"
	case errors.As(err, &oe), errors.As(err, &ne), strings.Contains(err.Error(), "connection refused"), strings.Contains(err.Error(), "dial"):
		return "unreachable: " + lastPart(err.Error())
	}
	return err.Error()
}

// lastPart keeps the end of a chain of wrapped error messages.
func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}

// TeamStatus is what `bwbulk team status` and Settings → Team show.
type TeamStatus struct {
	URL        string   // without password
	Desk       string   // this desk
	Migrations []string // applied in the team database
	Known      int      // migrations this bwbulk knows
	Tasks      int
	Running    []string // tasks run now, "task N on RUNNER"
}

// Team reports on a team store.
func (s *Store) TeamStatus(ctx context.Context) (TeamStatus, error) {
	st := TeamStatus{Desk: Desk()}
	var err error
	if st.Migrations, err = s.Migrations(ctx); err != nil {
		return st, err
	}
	names, _ := migrationNames()
	st.Known = len(names)
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM tasks`).Scan(&st.Tasks); err != nil {
		return st, err
	}
	if !s.eng.shared() {
		return st, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, lease_owner FROM tasks WHERE lease_owner <> '' AND lease_until > `+dbNowMS+` ORDER BY id`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o string
		if err := rows.Scan(&id, &o); err != nil {
			return st, err
		}
		st.Running = append(st.Running, fmt.Sprintf("task %d on %s", id, o))
	}
	return st, rows.Err()
}

// TeamCheck is what a test of a team database found (Settings → Team's
// Test): Problem is "" when this desk can work on it.
type TeamCheck struct {
	Problem string // Diagnose's words: unreachable, TLS, login refused, missing rights, schema too new…
	Applied int    // migrations applied in the database
	Known   int    // migrations this bwbulk knows
	Note    string // what connecting will do, when Problem is ""
}

// CheckTeam tests the team database at u (its password in u or given
// apart) without changing anything in it: reachable, TLS, login, the
// schema (too old is brought up to date on connect; too new needs a newer
// bwbulk) and the role's rights. It never says the password.
func CheckTeam(ctx context.Context, u, password string) TeamCheck {
	var c TeamCheck
	names, _ := migrationNames()
	c.Known = len(names)
	clean, inURL, err := SplitPassword(u)
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	if password == "" {
		password = inURL
	}
	cfg, err := pgx.ParseConfig(clean)
	if err != nil {
		c.Problem = "jobs: team database URL: " + redactParseError(err)
		return c
	}
	if password != "" {
		cfg.Password = password
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		c.Problem = Diagnose(err)
		return c
	}
	defer conn.Close(ctx)
	var hasSchema, canCreate bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('migrations') IS NOT NULL, has_schema_privilege(current_schema(), 'CREATE')`).
		Scan(&hasSchema, &canCreate); err != nil {
		c.Problem = Diagnose(err)
		return c
	}
	if !hasSchema {
		if !canCreate {
			c.Problem = fmt.Sprintf("missing rights: the database is empty and role %s may not create tables in it (the first desk connects with a role that may: GRANT CREATE ON SCHEMA public TO %s)", cfg.User, cfg.User)
			return c
		}
		c.Note = "a new team database: Connect creates its tables"
		return c
	}
	rows, err := conn.Query(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		c.Problem = Diagnose(err)
		return c
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		c.Problem = Diagnose(err)
		return c
	}
	c.Applied = len(have)
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	var unknown []string
	for _, n := range have {
		if !known[n] {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		c.Problem = fmt.Sprintf("schema too new: a newer bwbulk changed the team database (it has %s): update this bwbulk first", strings.Join(unknown, ", "))
		return c
	}
	var canUse bool
	if err := conn.QueryRow(ctx, `SELECT has_table_privilege('tasks', 'SELECT, INSERT, UPDATE, DELETE')`).Scan(&canUse); err != nil {
		c.Problem = Diagnose(err)
		return c
	}
	if !canUse {
		c.Problem = fmt.Sprintf("missing rights: role %s may not read and write the team's tables (GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s, and USAGE ON ALL SEQUENCES)", cfg.User, cfg.User)
		return c
	}
	if c.Applied < c.Known {
		if !canCreate {
			c.Problem = fmt.Sprintf("schema too old (%d of %d migrations) and role %s may not change the tables: connect once with the role that owns them, which brings it up to date", c.Applied, c.Known, cfg.User)
			return c
		}
		c.Note = fmt.Sprintf("schema too old (%d of %d migrations): Connect brings it up to date", c.Applied, c.Known)
		return c
	}
	c.Note = fmt.Sprintf("schema up to date (%d migrations)", c.Applied)
	return c
}
