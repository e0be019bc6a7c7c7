-- A team database holds no audit text from before 0006 (it began with the
-- compact form), so its audit stays append-only without exception: this
-- migration changes nothing here.
SELECT 1;
