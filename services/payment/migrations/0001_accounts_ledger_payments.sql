-- Billing accounts, their append-only ledger, and one payment per order.
-- The service validates everything before it gets here; the checks below are the last line of
-- defence. Money is bigint minor units.

-- One account per customer (customer_id = the identity user id, the JWT subject).
CREATE TABLE accounts (
  customer_id   uuid PRIMARY KEY,
  balance_minor bigint NOT NULL DEFAULT 0 CONSTRAINT accounts_balance_not_negative CHECK (balance_minor >= 0),
  currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  version       bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Every balance change, written in the transaction that changes the balance, so that
-- sum(deposits) = sum(balances) + sum(charges) - sum(refunds) always holds (R16).
-- `seq` orders the entries (keyset pagination, newest first); `id` is the public id.
CREATE TABLE ledger_entries (
  seq                 bigserial PRIMARY KEY,
  id                  uuid NOT NULL UNIQUE,
  customer_id         uuid NOT NULL REFERENCES accounts (customer_id),
  kind                text NOT NULL CHECK (kind IN ('deposit', 'charge', 'refund')),
  amount_minor        bigint NOT NULL CHECK (amount_minor >= 0),
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  order_id            uuid,
  idempotency_key     text CHECK (octet_length(idempotency_key) BETWEEN 1 AND 200),
  balance_after_minor bigint NOT NULL CHECK (balance_after_minor >= 0),
  created_at          timestamptz NOT NULL DEFAULT now(),
  -- A deposit carries its idempotency key and no order; a charge or refund its order and no key.
  CHECK (CASE WHEN kind = 'deposit' THEN idempotency_key IS NOT NULL AND order_id IS NULL AND amount_minor > 0
              ELSE order_id IS NOT NULL AND idempotency_key IS NULL END)
);

-- A repeated deposit request (same customer, same key) credits once, even when the copies race.
CREATE UNIQUE INDEX ledger_entries_deposit_key ON ledger_entries (customer_id, idempotency_key)
  WHERE kind = 'deposit';
-- An order is charged at most once and refunded at most once.
CREATE UNIQUE INDEX ledger_entries_order_kind ON ledger_entries (order_id, kind) WHERE kind <> 'deposit';
-- A customer's history, newest first.
CREATE INDEX ledger_entries_customer_seq ON ledger_entries (customer_id, seq);

-- The ledger is append-only: a correction is a new entry, never an edit.
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

-- The payment of an order (aggregate id = order_id, hence the primary key: one payment per order,
-- an order is never charged twice). VOIDED is the tombstone of an order cancelled before any
-- charge: a StockReserved arriving after it charges nothing.
CREATE TABLE payments (
  order_id      uuid PRIMARY KEY,
  payment_id    uuid NOT NULL UNIQUE,
  customer_id   uuid NOT NULL,
  status        text NOT NULL CHECK (status IN ('CAPTURED', 'FAILED', 'REFUNDED', 'VOIDED')),
  amount_minor  bigint NOT NULL CHECK (amount_minor >= 0),
  currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason        text,
  order_version bigint CHECK (order_version >= 1),
  version       bigint NOT NULL CHECK (version >= 1),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_customer ON payments (customer_id);
