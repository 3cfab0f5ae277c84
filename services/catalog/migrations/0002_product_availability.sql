-- Availability as the stock service reports it (StockLevelChanged). stock_version is the stock
-- item's version of the last applied event: an older one arriving late is stale and ignored.
-- Neither column is the admin's: changing them leaves version and updated_at alone.
ALTER TABLE products
  ADD COLUMN in_stock boolean NOT NULL DEFAULT false,
  ADD COLUMN stock_version bigint NOT NULL DEFAULT 0 CHECK (stock_version >= 0);
