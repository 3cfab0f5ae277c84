-- Stock levels, reservations per order and the audit log of every change of free stock.
-- The service decides everything in domain/; the checks below are the last line of defence.

-- One row per product stock has heard of (catalog ProductCreated).
-- Everything received = free + reserved + shipped (R16); free never goes below zero, so no
-- concurrent reservation can oversell (reservations lock these rows, FOR UPDATE).
CREATE TABLE stock_items (
  product_id uuid PRIMARY KEY,
  free       bigint NOT NULL DEFAULT 0 CONSTRAINT stock_items_free_not_negative CHECK (free >= 0),
  reserved   bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  shipped    bigint NOT NULL DEFAULT 0 CHECK (shipped >= 0),
  version    bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per order stock has heard of. A handler first inserts a placeholder (status NONE,
-- version 0) or finds the row, and locks it, so that events of one order are applied one at a
-- time; the placeholder is replaced by the real state or deleted in the same transaction, so it
-- is never visible to others.
CREATE TABLE reservations (
  order_id      uuid PRIMARY KEY,
  customer_id   text NOT NULL DEFAULT '',
  status        text NOT NULL CHECK (status IN ('NONE', 'BOOKED', 'FAILED', 'RELEASED', 'CANCELLED')),
  version       bigint NOT NULL CHECK (version >= 0),
  order_version bigint,
  -- [{product_id, quantity}]: the order's lines, never changed after creation.
  lines         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(lines) = 'array'),
  total_minor   bigint,
  currency      text CHECK (currency ~ '^[A-Z]{3}$'),
  reason        text,
  -- [{product_id, requested, available}] of a FAILED reservation.
  missing       jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(missing) = 'array'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'NONE') = (version = 0))
);

-- The audit log: every change of free stock, with who (an operator's JWT sub; NULL for changes
-- caused by events) and why. Received stock = the sum of delta over restocks and adjustments,
-- counted independently of stock_items (GET /totals).
CREATE TABLE stock_movements (
  id             bigserial PRIMARY KEY,
  product_id     uuid NOT NULL REFERENCES stock_items (product_id),
  kind           text NOT NULL CHECK (kind IN ('restock', 'adjustment', 'reservation', 'release')),
  delta          bigint NOT NULL CHECK (delta <> 0),
  free_after     bigint NOT NULL CHECK (free_after >= 0),
  reserved_after bigint NOT NULL CHECK (reserved_after >= 0),
  reason         text CHECK (char_length(reason) BETWEEN 1 AND 500),
  order_id       uuid,
  actor          text,
  occurred_at    timestamptz NOT NULL DEFAULT now()
);
-- A product's movements, newest first (keyset on id).
CREATE INDEX stock_movements_product_idx ON stock_movements (product_id, id DESC);
