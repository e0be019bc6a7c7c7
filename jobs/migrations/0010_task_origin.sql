-- origin names where a task of a team database came from, so that moving
-- it there twice stores it once: 'submit:UUID' for a task submitted on a
-- desk (kept in that desk's queue while the team database was out of
-- reach), 'copy:DESK:FILE#ID' for one copied from a desk's own database
-- ('' for others). At most one task has a given origin.
CREATE UNIQUE INDEX tasks_origin ON tasks(origin) WHERE origin <> '';
