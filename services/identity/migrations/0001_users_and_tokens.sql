-- Users and the tokens issued to them. Every transaction that changes a user's row or any of
-- their tokens first locks the user's row (FOR NO KEY UPDATE), so those changes are serialised
-- per user (see infra/user_store.hpp).

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  first_name    text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
  last_name     text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
  phone         text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  channels      text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['EMAIL', 'SMS']),
  roles         text[] NOT NULL
                CHECK (roles <@ ARRAY['CUSTOMER', 'OPERATOR', 'STOCK_OPERATOR', 'SHIPPING_OPERATOR', 'ADMIN']),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  version       bigint NOT NULL CHECK (version >= 1)
);
-- Keyset pagination of GET /users.
CREATE INDEX users_created_at_id ON users (created_at, id);

-- One family per sign-in: the chain of refresh tokens rotated from it and the access tokens
-- issued along the way. Revoking the family ends them all.
CREATE TABLE token_families (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'user_disabled'))
);
CREATE INDEX token_families_user_live ON token_families (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are stored only as the SHA-256 of the token (hex): a leaked table grants nothing.
CREATE TABLE refresh_tokens (
  token_hash text PRIMARY KEY,
  family_id  uuid NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz  -- rotated: presenting it again is reuse
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

-- Issued access tokens by jti, so a family's live access tokens can be revoked (and announced
-- with TokenRevoked) and identity can refuse revoked ones on its own routes.
CREATE TABLE access_tokens (
  jti            text PRIMARY KEY,
  family_id      uuid NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
  user_id        uuid NOT NULL,
  issued_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_reuse', 'user_disabled'))
);
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE INDEX access_tokens_user_live ON access_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX access_tokens_expires_at ON access_tokens (expires_at);
