-- A task of many jobs is stored a chunk of jobs per transaction, and runs
-- from its first chunk on. storing: the runner owner (Store.Owner) of the
-- process storing its jobs, '' once they are all stored; storing_until:
-- when that process is taken for gone unless it stores another chunk
-- first (Unix ms, the database's clock on a team database); planned: the
-- jobs the task was planned with. Until its jobs are all stored the task
-- counts those not stored yet as pending, so no runner finishes it, and
-- only the storing process's own runner runs it. One whose storing
-- stopped (the process ended) is cancelled and says how many of its jobs
-- were stored: those not stored were never sent.
ALTER TABLE tasks ADD COLUMN storing TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN storing_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN planned INTEGER NOT NULL DEFAULT 0;
