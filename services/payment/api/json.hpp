#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "payment/domain/account.hpp"
#include "payment/domain/payment.hpp"
#include "platform/core/field_error.hpp"
#include "platform/messaging/envelope.hpp"

// JSON ↔ domain for payment: the HTTP API's bodies and query, and the payloads of the events
// payment consumes. Pure: no I/O.
namespace microstore::payment::api {

// {customer_id, balance_minor, currency, version, updated_at (string|null)}
nlohmann::json AccountJson(const Account& account);
// {id, kind, amount_minor, currency, order_id (string|null), balance_after_minor, created_at}
nlohmann::json EntryJson(const LedgerEntry& entry);
// A deposit as POST …/deposits answers it: {id, amount_minor, currency, created_at}.
nlohmann::json DepositJson(const LedgerEntry& deposit);
// {deposits_minor, balances_minor, captured_minor, refunded_minor, accounts}
nlohmann::json TotalsJson(const LedgerTotals& totals);
// {payment_id, order_id, status, amount_minor, currency, reason (string|null), version, created_at,
//  updated_at}
nlohmann::json PaymentJson(const Payment& payment);

// POST …/deposits body: {amount_minor (integer 1..10^10), currency (optional: the account's)}.
// Unknown fields are refused; every problem is reported at once, each naming its field ("" for
// a body that is not an object).
std::variant<DepositRequest, core::FieldErrors> ReadDeposit(const nlohmann::json& body);

// GET …/transactions query (http::QueryParameters): ?limit=1..100 (default 20)&cursor=… (a
// next_cursor it returned), through http::QueryReader: any other parameter, or one given twice,
// is refused.
std::variant<PageQuery, core::FieldErrors> ReadPageQuery(
    std::vector<std::pair<std::string, std::string>> parameters);

// The `next_cursor` naming a position in the ledger (wire::EncodeCursor of {"seq": position}).
std::string LedgerCursor(std::int64_t position);
// The position ≥ 1 a LedgerCursor names; nullopt for anything else.
std::optional<std::int64_t> LedgerPosition(std::string_view cursor);

// The payloads payment consumes (schema_version 1), read through messaging::PayloadReader: a
// payload that cannot be read throws messaging::PoisonEvent naming the field (never its value).
// Ids come back canonical (lower-case UUIDs); fields not named here are ignored.
//
// identity UserRegistered {user_id, roles: [string], …}: `customer` when roles include CUSTOMER.
Registration ReadUserRegistered(const messaging::Envelope& event);
// stock StockReserved {order_id, customer_id, order_version (int ≥ 1), items, total_minor
// (0..kMaxOrderTotalMinor), currency}.
ChargeRequest ReadStockReserved(const messaging::Envelope& event);
// order OrderCancelled {order_id, customer_id, reason, previous_status, version, items,
// total_minor (0..kMaxOrderTotalMinor), currency, cancelled_at}.
Cancellation ReadOrderCancelled(const messaging::Envelope& event);

}  // namespace microstore::payment::api
