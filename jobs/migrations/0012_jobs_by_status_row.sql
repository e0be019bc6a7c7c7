-- 0012_jobs_by_status_row: a task's jobs of one status in row order come
-- from one index (the Tasks screen's filtered table reads a page of them
-- at a time), which also serves what jobs_task_status served.
DROP INDEX jobs_task_status;
CREATE INDEX jobs_task_status_row ON jobs(task_id, status, row);
