-- unverified = 1: the job's last outcome could not be read from the server
-- yet (it is shown as "to be checked" and read again when the server
-- answers). reconcile = 1: the job was queued again after a failure; each of
-- its commands is checked on the server before it is sent, so only what is
-- missing there is sent.
ALTER TABLE jobs ADD COLUMN unverified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN reconcile INTEGER NOT NULL DEFAULT 0;
-- attention: why a paused task needs a person before it can go on (an
-- untrusted certificate, a refused login); '' when it was paused by hand.
ALTER TABLE tasks ADD COLUMN attention TEXT NOT NULL DEFAULT '';
