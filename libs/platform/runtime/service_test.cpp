// What a Service hands out depends on what its spec declares: asking a service for a part it did
// not declare is a programming error, caught when main() wires the service, not at the first event.
#include "platform/runtime/service.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "platform/messaging/outbox.hpp"

namespace {

namespace runtime = microstore::runtime;

char kProgram[] = "service_test";
char* kArgv[] = {kProgram, nullptr};

TEST(Service, OnlyAPublishingServiceHasAnOutbox) {
  runtime::Service quiet({.name = "quiet"}, 1, kArgv);
  EXPECT_THROW(quiet.Outbox(), std::logic_error);

  runtime::Service publisher({.name = "publisher", .publishes = true}, 1, kArgv);
  EXPECT_EQ(publisher.Outbox().producer(), "publisher");
  EXPECT_EQ(publisher.Outbox().node_id(), publisher.NodeId());
}

TEST(Service, OnlyAConsumingServiceTakesEventHandlers) {
  runtime::Service quiet({.name = "quiet"}, 1, kArgv);
  EXPECT_THROW(quiet.Consume("catalog", "ProductCreated", {}), std::logic_error);
  EXPECT_THROW(quiet.Database(), std::logic_error);
}

}  // namespace
