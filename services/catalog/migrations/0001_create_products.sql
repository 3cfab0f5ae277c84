-- The catalogue. (ASCII only: the build embeds this file as char bytes.) The service validates everything before it gets here; the checks below are the
-- last line of defence, not the user-facing rules.
CREATE TABLE products (
  id           uuid PRIMARY KEY,
  sku          text NOT NULL CONSTRAINT products_sku_key UNIQUE CHECK (sku ~ '^[A-Za-z0-9._-]{1,64}$'),
  name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
  photo_url    text CHECK (octet_length(photo_url) <= 2048),
  price_minor  bigint NOT NULL CHECK (price_minor BETWEEN 0 AND 1000000000000),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  weight_grams integer NOT NULL DEFAULT 0 CHECK (weight_grams BETWEEN 0 AND 10000000),
  length_mm    integer NOT NULL DEFAULT 0 CHECK (length_mm BETWEEN 0 AND 10000000),
  width_mm     integer NOT NULL DEFAULT 0 CHECK (width_mm BETWEEN 0 AND 10000000),
  height_mm    integer NOT NULL DEFAULT 0 CHECK (height_mm BETWEEN 0 AND 10000000),
  tags         text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
  on_promotion boolean NOT NULL DEFAULT false,
  archived     boolean NOT NULL DEFAULT false,
  version      bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- Full-text document: the name weighs A and the description B, and the service ranks with
  -- weights {D 0.1, C 0.2, B 0.4, A 1.0}, so a hit in the name counts 2.5 times one in the
  -- description. Each text is indexed in three configurations: 'english' and 'russian' stem
  -- (English "chairs" and the Russian plural of "chair" find the singular), 'simple' keeps every
  -- word as written, so SKU-like tokens, stop words and words of other languages still match.
  -- The two-argument to_tsvector is immutable, as a stored generated column requires.
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') ||
    setweight(to_tsvector('russian', name), 'A') ||
    setweight(to_tsvector('simple', name), 'A') ||
    setweight(to_tsvector('english', description), 'B') ||
    setweight(to_tsvector('russian', description), 'B') ||
    setweight(to_tsvector('simple', description), 'B')
  ) STORED
);

-- Listing indexes. Archived products are never listed, so every index is partial on NOT archived:
-- smaller, and each listing query repeats that predicate so the planner can use them.
--
-- Each sort is a keyset "(key, id) > (last key, last id) ORDER BY key, id LIMIT n": with a btree on
-- exactly (key, id) the row comparison is an index condition, so a page is an index range scan
-- that reads about n entries wherever it starts (no OFFSET, no sort), for a few hundred rows or a
-- few hundred thousand. Descending sorts (newest, price_desc) scan the same index backwards.
-- Filters that the sort index does not cover (tag, on_promotion, the other price bound) are
-- checked on the rows the scan visits; a selective tag can instead use the GIN index below.
CREATE INDEX products_newest_idx ON products (created_at, id) WHERE NOT archived;
-- Also serves min_price/max_price as an index range with the price sorts.
CREATE INDEX products_price_idx ON products (price_minor, id) WHERE NOT archived;
-- sort=name orders by the lower-cased name in byte order (COLLATE "C"): the same order whatever
-- locale a database was created with, and the keyset comparison is a plain index condition.
CREATE INDEX products_name_idx ON products ((lower(name) COLLATE "C"), id) WHERE NOT archived;
-- Search (search @@ query) and tag (tags @> ARRAY[tag]) filters. A search reads its matches from
-- the GIN index and orders them (the service fences it so): its cost grows with the number of
-- matches, whatever the sort, as ranking by relevance requires anyway.
CREATE INDEX products_search_idx ON products USING gin (search) WHERE NOT archived;
CREATE INDEX products_tags_idx ON products USING gin (tags) WHERE NOT archived;

-- AND of tsqueries, to combine one query per search word.
CREATE AGGREGATE product_tsquery_and(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- The search query for sanitised words (letters and digits only, made by the service): each word is
-- a prefix term in every configuration of the document, any of which may match (so "chairs" finds
-- "chair" by its English stem, a Russian prefix finds the whole word), and every word must match.
-- The words arrive as a text[] parameter: user text never becomes SQL.
-- IMMUTABLE like the to_tsquery(regconfig, text) it is built of: with the words bound, the planner
-- folds the call into a constant tsquery, evaluated once and visible to its estimates.
CREATE FUNCTION product_search_query(words text[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT product_tsquery_and(
           to_tsquery('english', word || ':*') ||
           to_tsquery('russian', word || ':*') ||
           to_tsquery('simple', word || ':*'))
  FROM unnest(words) AS word
$$;
