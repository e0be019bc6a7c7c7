-- The audit stays append-only, with one exception: Store.Compact may move
-- the text of a request written before 0006 into request_z, deflated with
-- its task's dictionary. Nothing else of the entry may change, and only
-- that once (from text to deflated, never back or again).
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (OLD.dict_id = 0 AND OLD.request_z IS NULL AND OLD.request <> ''
	AND NEW.dict_id <> 0 AND NEW.request_z IS NOT NULL AND NEW.request = ''
	AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.task_id = OLD.task_id
	AND NEW.job_id = OLD.job_id AND NEW.command = OLD.command AND NEW.outcome = OLD.outcome
	AND NEW.error_code = OLD.error_code AND NEW.error_text = OLD.error_text AND NEW.desk = OLD.desk)
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
