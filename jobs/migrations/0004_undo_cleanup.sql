-- Cleanup commands a task sends after every one of its jobs completed (an
-- undo deletes the department and the group it emptied), with their own
-- progress like setup; and the task an undo reverses (0 for none).
ALTER TABLE tasks ADD COLUMN teardown BLOB;
ALTER TABLE tasks ADD COLUMN teardown_n INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN teardown_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN teardown_inflight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN undo_of INTEGER NOT NULL DEFAULT 0;
