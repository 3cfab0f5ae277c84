// Availability from stock's StockLevelChanged, handled through the real inbox, and the in_stock
// filter of the listing.
#include <gtest/gtest.h>

#include "catalog/api/events.hpp"
#include "harness.hpp"
#include "platform/core/ids.hpp"
#include "platform/testing/inbox.hpp"

namespace microstore::catalog::testing {
namespace {

using nlohmann::json;
using Kind = amqp::Outcome::Kind;

messaging::Envelope StockLevelChanged(const std::string& product_id, bool in_stock, std::int64_t version) {
  return messaging::MakeEvent("StockLevelChanged", 1,
                              {"stock_item", product_id, version, in_stock ? "IN_STOCK" : "OUT_OF_STOCK"},
                              {{"product_id", product_id},
                               {"free", in_stock ? 5 : 0},
                               {"reserved", 0},
                               {"shipped", 0},
                               {"in_stock", in_stock},
                               {"version", version},
                               {"cause", "restock"}},
                              {}, "stock", "stock-1", core::NewUuid(), std::chrono::system_clock::now());
}

class Availability : public ::testing::Test {
 protected:
  std::vector<Kind> Deliver(const std::vector<messaging::Envelope>& events) {
    return microstore::testing::DeliverThroughInbox(server_.DatabaseUrl(), "catalog", api::EventHandlers(), events);
  }
  std::vector<std::string> InStockNames(const std::string& filter) {
    std::vector<std::string> names;
    const Reply reply = server_.Get("/api/v1/products?sort=name&in_stock=" + filter);
    EXPECT_EQ(reply.status, 200) << reply.text;
    for (const auto& item : reply.body["items"]) names.push_back(item["name"]);
    return names;
  }

  CatalogServer server_;
};

TEST_F(Availability, ProductsStartOutOfStockAndFollowTheNewestStockLevel) {
  const json chair = server_.Create(ProductBody("CHAIR-1", "Chair"));
  const json table = server_.Create(ProductBody("TABLE-1", "Table"));
  EXPECT_EQ(chair["in_stock"], false);
  const std::string chair_id = chair["id"];

  EXPECT_EQ(Deliver({StockLevelChanged(chair_id, true, 2)}), std::vector<Kind>{Kind::kAck});
  EXPECT_EQ(InStockNames("true"), std::vector<std::string>{"Chair"});
  EXPECT_EQ(InStockNames("false"), std::vector<std::string>{"Table"});
  const Reply read = server_.Get("/api/v1/products/" + chair_id);
  EXPECT_EQ(read.body["in_stock"], true);
  EXPECT_EQ(read.body["version"], 1) << "availability is not an admin's change";

  // A late event of an older stock version changes nothing; a newer one does.
  Deliver({StockLevelChanged(chair_id, false, 1)});
  EXPECT_EQ(InStockNames("true"), std::vector<std::string>{"Chair"});
  Deliver({StockLevelChanged(chair_id, false, 3)});
  EXPECT_TRUE(InStockNames("true").empty());
  (void)table;
}

TEST_F(Availability, AnUnusableEventIsDeadLetteredAndABadFilterIs422) {
  const json chair = server_.Create(ProductBody("CHAIR-2", "Chair"));
  auto event = StockLevelChanged(chair["id"], true, 2);
  event.payload.erase("in_stock");
  EXPECT_EQ(Deliver({event}), std::vector<Kind>{Kind::kDeadLetter});
  EXPECT_EQ(server_.Get("/api/v1/products/" + chair["id"].get<std::string>()).body["in_stock"], false);

  const Reply bad = server_.Get("/api/v1/products?in_stock=maybe");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["errors"][0]["field"], "in_stock");
}

}  // namespace
}  // namespace microstore::catalog::testing
