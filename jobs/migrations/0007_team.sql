-- Team mode. lease_owner: the runner (desk and process) sending the task's
-- commands, '' for none; lease_until: when its lease runs out (Unix ms on
-- the database's clock). A runner renews its lease while it runs the task;
-- another takes over a task whose lease ran out, resolving what was in
-- flight by reading the server first. desk: the user and computer a task
-- was submitted from, and, in the audit, that each command was sent from.
ALTER TABLE tasks ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN desk TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN desk TEXT NOT NULL DEFAULT '';
-- origin: for a task copied from a desk's own database into the team's,
-- that database and the task's id there ('' for others): copying again
-- skips it.
ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT '';
-- Who did what to a task, from which desk: submit, undo, retry, run (a
-- runner took the task) and takeover (from a runner whose lease ran out).
-- Append-only, like the audit of commands.
CREATE TABLE actions (
	id       INTEGER PRIMARY KEY,
	at       INTEGER NOT NULL,
	task_id  INTEGER NOT NULL,
	job_id   INTEGER NOT NULL DEFAULT 0,
	action   TEXT    NOT NULL,
	desk     TEXT    NOT NULL,
	detail   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX actions_task ON actions(task_id);
