-- The BroadWorks release the profile's server reported at its last login
-- ("22.0", "21sp1"; '' = not known yet), so drafting offline plans the
-- command versions that server accepts.
ALTER TABLE profiles ADD COLUMN release TEXT NOT NULL DEFAULT '';
