-- Orders and the order service's copy of the catalogue. (ASCII only.) The service validates
-- everything before it gets here; the checks are the last line of defence.

-- Products as the catalogue's events describe them, for pricing new orders. Two versions, because
-- ProductPriceChanged carries only the price and may overtake the ProductUpdated of the same
-- version: `version` guards sku, name and archived (0 = no full snapshot yet: not orderable),
-- `price_version` guards price_minor and currency. Each is applied only from a newer version.
CREATE TABLE product_copies (
  product_id    uuid PRIMARY KEY,
  sku           text NOT NULL DEFAULT '',
  name          text NOT NULL DEFAULT '',
  archived      boolean NOT NULL DEFAULT false,
  version       bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
  price_minor   bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  currency      text NOT NULL DEFAULT '',
  price_version bigint NOT NULL DEFAULT 0 CHECK (price_version >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id                  uuid PRIMARY KEY,
  customer_id         text NOT NULL CHECK (customer_id <> ''),
  status              text NOT NULL CHECK (status IN ('PENDING', 'RESERVED', 'PAID', 'CANCELLED')),
  cancel_reason       text CHECK (cancel_reason IN ('out_of_stock', 'insufficient_funds', 'payment_failed',
                                                    'customer_cancelled')),
  version             bigint NOT NULL CHECK (version >= 1),
  -- Highest reservation / payment versions applied (see domain/saga.hpp).
  reservation_version bigint NOT NULL DEFAULT 0,
  payment_version     bigint NOT NULL DEFAULT 0,
  stock_released      boolean NOT NULL DEFAULT false,
  refunded            boolean NOT NULL DEFAULT false,
  -- The priced lines, fixed at creation and never changed: [{product_id, sku, name, quantity,
  -- unit_price_minor, line_total_minor}].
  items               jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) >= 1),
  total_minor         bigint NOT NULL CHECK (total_minor >= 0),
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  idempotency_key     text NOT NULL CHECK (octet_length(idempotency_key) BETWEEN 1 AND 200),
  request_fingerprint text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL))
);

-- Idempotency-Key: one order per customer and key. A second request with the key finds the first
-- order (also when both race: the loser's insert fails on this index).
CREATE UNIQUE INDEX orders_idempotency_key ON orders (customer_id, idempotency_key);

-- R14: a customer holds at most one unpaid order. Enforced here and only here, so that it holds
-- across every replica and every race: the service inserts and maps a violation of this index to
-- 409 (it never checks beforehand).
CREATE UNIQUE INDEX orders_one_unpaid_per_customer ON orders (customer_id)
  WHERE status IN ('PENDING', 'RESERVED');

-- Listings, newest first: everybody's (operators) and one customer's.
CREATE INDEX orders_newest ON orders (created_at DESC, id DESC);
CREATE INDEX orders_customer_newest ON orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_status_newest ON orders (status, created_at DESC, id DESC);
