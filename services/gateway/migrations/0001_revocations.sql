-- What the gateway learned from identity's events: revoked access tokens and users' enabled or
-- disabled state. Every replica keeps a copy in memory and reloads what changed since its last
-- look, by generation: each transaction that writes here first bumps the single row of
-- revocation_generation (so such transactions take turns and their generations commit in order)
-- and stamps its rows with the new generation.
CREATE TABLE revocation_generation (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  generation bigint NOT NULL
);
INSERT INTO revocation_generation (id, generation) VALUES (true, 0);

CREATE TABLE revoked_tokens (
  token_id text PRIMARY KEY,
  user_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  reason text NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now(),
  generation bigint NOT NULL
);
CREATE INDEX revoked_tokens_by_generation ON revoked_tokens (generation);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);

-- The state of the highest version of each user seen; lower versions arriving later are stale.
CREATE TABLE user_states (
  user_id text PRIMARY KEY,
  version bigint NOT NULL,
  disabled boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  generation bigint NOT NULL
);
CREATE INDEX user_states_by_generation ON user_states (generation);
