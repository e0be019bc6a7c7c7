-- A task's name and its ticket or reference, typed at Submit ('' = none),
-- shown and searched in Tasks and written into exports.
ALTER TABLE tasks ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN ticket TEXT NOT NULL DEFAULT '';
