-- A compact store. A job's fields and commands are kept once, together, in
-- payload: one sealed value (purpose "jobs.payload") holding them deflated
-- with the task's dictionary. Rows written before this migration keep
-- payload NULL and their sealed fields and commands until Store.Compact
-- rewrites them (it needs the data key); rows written after it keep
-- fields and commands empty.
--
-- dicts holds the deflate dictionaries: a sample of a task's first job
-- with its secrets masked, so it is stored in clear. Like the audit that
-- refers to them, they are never changed or deleted.
CREATE TABLE dicts (
	id    INTEGER PRIMARY KEY,
	data  BLOB NOT NULL
);
CREATE TRIGGER dicts_no_update BEFORE UPDATE ON dicts
BEGIN SELECT RAISE(ABORT, 'dicts are append-only'); END;
CREATE TRIGGER dicts_no_delete BEFORE DELETE ON dicts
BEGIN SELECT RAISE(ABORT, 'dicts are append-only'); END;
ALTER TABLE tasks ADD COLUMN dict_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN payload BLOB;
-- An audit entry's masked request, deflated with dicts(dict_id), when
-- request is ''. dict_id 0: request holds the text.
ALTER TABLE audit ADD COLUMN dict_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit ADD COLUMN request_z BLOB;
