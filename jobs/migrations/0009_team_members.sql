-- Team mode's members: each desk's public key (X25519) and the team key —
-- the key that seals user passwords in the shared database — wrapped for
-- that desk by a member who has it ('' until then). A desk's private key
-- and its unwrapped copy of the team key stay in its OS keyring.
CREATE TABLE members (
	desk        TEXT    PRIMARY KEY,
	public_key  BLOB    NOT NULL,
	wrapped_key BLOB    NOT NULL,
	added_by    TEXT    NOT NULL DEFAULT '',
	added_at    INTEGER NOT NULL DEFAULT 0
);
