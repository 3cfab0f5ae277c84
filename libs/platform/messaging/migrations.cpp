#include "platform/messaging/migrations.hpp"

namespace microstore::messaging {
namespace {

constexpr const char* kOutbox = R"sql(CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  exchange text NOT NULL,
  routing_key text NOT NULL,
  type text NOT NULL,
  correlation_id text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  sent_at timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;
ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
)sql";

constexpr const char* kInbox = R"sql(CREATE TABLE inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX inbox_processed_at ON inbox (processed_at);
)sql";

}  // namespace

const std::vector<migrations::Migration>& Migrations() {
  static const std::vector<migrations::Migration> kMigrations = migrations::FromFiles({
      {"0001_messaging_outbox.sql", kOutbox},
      {"0002_messaging_inbox.sql", kInbox},
  });
  return kMigrations;
}

}  // namespace microstore::messaging
