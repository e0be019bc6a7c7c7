-- 0001_init: the first schema of the bwbulk store.
-- Times are Unix milliseconds (UTC). Columns holding secrets (job fields and
-- commands, drafts, task setup commands) are AES-GCM sealed blobs; see
-- jobs/secrets.go. Never edit this file once shipped: add 0002_….sql.

-- Server profiles. No passwords here: admin passwords live in the OS keyring.
CREATE TABLE profiles (
	id          INTEGER PRIMARY KEY,
	name        TEXT    NOT NULL UNIQUE,
	address     TEXT    NOT NULL,
	transport   TEXT    NOT NULL DEFAULT 'tcp',
	admin_user  TEXT    NOT NULL DEFAULT '',
	insecure    INTEGER NOT NULL DEFAULT 0,
	ca_pin      TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

-- Autosaved wizard state (sealed).
CREATE TABLE drafts (
	id          INTEGER PRIMARY KEY,
	profile_id  INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
	name        TEXT    NOT NULL DEFAULT '',
	data        BLOB    NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

-- Catalogue look-ups cached for offline drafting: one JSON blob per key.
CREATE TABLE catalogue_cache (
	server      TEXT    NOT NULL,
	key         TEXT    NOT NULL,
	data        BLOB    NOT NULL,
	fetched_at  INTEGER NOT NULL,
	PRIMARY KEY (server, key)
);

CREATE TABLE tasks (
	id             INTEGER PRIMARY KEY,
	description    TEXT    NOT NULL,
	os_user        TEXT    NOT NULL,
	admin          TEXT    NOT NULL,
	server         TEXT    NOT NULL,
	status         TEXT    NOT NULL CHECK (status IN
	                 ('pending','waiting','running','paused','completed','failed','cancelled')),
	error          TEXT    NOT NULL DEFAULT '',
	setup          BLOB,
	setup_step     INTEGER NOT NULL DEFAULT 0,
	setup_inflight INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);
CREATE INDEX tasks_status ON tasks(status);

-- One job per preview row. step counts the commands known to be applied;
-- inflight = 1 while commands[step] has been sent and its outcome is not
-- recorded yet (after a crash it is resolved by reading the server).
CREATE TABLE jobs (
	id          INTEGER PRIMARY KEY,
	task_id     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
	row         INTEGER NOT NULL,
	user_id     TEXT    NOT NULL,
	fields      BLOB    NOT NULL,
	commands    BLOB    NOT NULL,
	ncommands   INTEGER NOT NULL,
	status      TEXT    NOT NULL CHECK (status IN
	              ('pending','running','completed','failed','cancelled')),
	step        INTEGER NOT NULL DEFAULT 0,
	inflight    INTEGER NOT NULL DEFAULT 0,
	attempts    INTEGER NOT NULL DEFAULT 0,
	error_code  INTEGER NOT NULL DEFAULT 0,
	error_text  TEXT    NOT NULL DEFAULT '',
	not_before  INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL,
	UNIQUE (task_id, row)
);
CREATE INDEX jobs_task_status ON jobs(task_id, status);

-- Every command sent and its outcome, secrets masked. Append-only.
CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          INTEGER NOT NULL,
	task_id     INTEGER NOT NULL DEFAULT 0,
	job_id      INTEGER NOT NULL DEFAULT 0,
	command     TEXT    NOT NULL,
	request     TEXT    NOT NULL,
	outcome     TEXT    NOT NULL,
	error_code  INTEGER NOT NULL DEFAULT 0,
	error_text  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_task ON audit(task_id, job_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
