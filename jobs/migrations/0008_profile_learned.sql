-- What the profile's server taught by refusing command versions as
-- unknown: a JSON object from a command family (its newest version) to
-- the version the server took instead ('' = nothing learned yet).
ALTER TABLE profiles ADD COLUMN learned TEXT NOT NULL DEFAULT '';
