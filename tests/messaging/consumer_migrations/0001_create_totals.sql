-- The effect of "Counted" events. Deliberately not idempotent on its own (a counter and a sum):
-- only the inbox stands between a duplicate delivery and a wrong total.
-- (Non-ASCII text such as «итог» must survive embedding: migrations may hold any UTF-8.)
CREATE TABLE totals (
  id     integer PRIMARY KEY CHECK (id = 1),
  events bigint NOT NULL,
  amount bigint NOT NULL
);
INSERT INTO totals VALUES (1, 0, 0);

-- One row per applied event, to name the duplicates if a total is ever wrong.
CREATE TABLE effects (
  event_id uuid NOT NULL,
  n        bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
