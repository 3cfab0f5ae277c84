CREATE TABLE visits (
  name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
  count      bigint NOT NULL CHECK (count > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
