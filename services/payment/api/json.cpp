#include "payment/api/json.hpp"

#include "payment/domain/ids.hpp"
#include "platform/auth/roles.hpp"
#include "platform/core/text.hpp"
#include "platform/http/query.hpp"
#include "platform/messaging/payload_reader.hpp"
#include "platform/wire/fields.hpp"

namespace microstore::payment::api {
namespace {

using nlohmann::json;

constexpr const char* kCursorField = "seq";

json TextOrNull(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

std::string Currency(const messaging::PayloadReader& payload, std::string_view field) {
  std::string currency = payload.Text(field);
  if (!IsCurrencyCode(currency)) payload.Poison(field, "is not a currency code");
  return currency;
}

}  // namespace

json AccountJson(const Account& account) {
  return {{"customer_id", account.customer_id},
          {"balance_minor", account.balance_minor},
          {"currency", account.currency},
          {"version", account.version},
          {"updated_at", TextOrNull(account.updated_at)}};
}

json EntryJson(const LedgerEntry& entry) {
  return {{"id", entry.id},
          {"kind", ToString(entry.kind)},
          {"amount_minor", entry.amount_minor},
          {"currency", entry.currency},
          {"order_id", TextOrNull(entry.order_id)},
          {"balance_after_minor", entry.balance_after_minor},
          {"created_at", entry.created_at}};
}

json DepositJson(const LedgerEntry& deposit) {
  return {{"id", deposit.id},
          {"amount_minor", deposit.amount_minor},
          {"currency", deposit.currency},
          {"created_at", deposit.created_at}};
}

json TotalsJson(const LedgerTotals& totals) {
  return {{"deposits_minor", totals.deposits_minor},
          {"balances_minor", totals.balances_minor},
          {"captured_minor", totals.captured_minor},
          {"refunded_minor", totals.refunded_minor},
          {"accounts", totals.accounts}};
}

json PaymentJson(const Payment& payment) {
  return {{"payment_id", payment.payment_id},   {"order_id", payment.order_id},
          {"status", ToString(payment.status)}, {"amount_minor", payment.amount_minor},
          {"currency", payment.currency},       {"reason", TextOrNull(payment.reason)},
          {"version", payment.version},         {"created_at", payment.created_at},
          {"updated_at", payment.updated_at}};
}

std::variant<DepositRequest, core::FieldErrors> ReadDeposit(const json& body) {
  if (!body.is_object()) return core::FieldErrors{{"", "must be a JSON object"}};
  core::FieldErrors errors;
  DepositRequest request;
  const auto amount = body.find("amount_minor");
  if (amount == body.end()) {
    errors.push_back({"amount_minor", "is required"});
  } else if (!amount->is_number_integer()) {
    errors.push_back({"amount_minor", "must be an integer number of minor units"});
  } else if (const auto minor = wire::Integer(*amount, kMinDepositMinor, kMaxDepositMinor)) {
    request.amount_minor = *minor;
  } else {
    errors.push_back({"amount_minor", "must be between " + std::to_string(kMinDepositMinor) + " and " +
                                          std::to_string(kMaxDepositMinor)});
  }
  if (const auto currency = body.find("currency"); currency != body.end()) {
    if (!currency->is_string() || !IsCurrencyCode(currency->get_ref<const std::string&>())) {
      errors.push_back({"currency", "must be a currency code of three upper-case letters"});
    } else {
      request.currency = currency->get<std::string>();
    }
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "amount_minor" && key != "currency")
      errors.push_back({core::EchoedName(key), "is not a known field"});
  }
  if (!errors.empty()) return errors;
  return request;
}

std::variant<PageQuery, core::FieldErrors> ReadPageQuery(
    std::vector<std::pair<std::string, std::string>> parameters) {
  http::QueryReader query(std::move(parameters), {"limit", "cursor"});
  PageQuery page{.limit = static_cast<std::int64_t>(query.Limit()), .before = query.Cursor(LedgerPosition)};
  if (!query.errors().empty()) return query.errors();
  return page;
}

std::string LedgerCursor(std::int64_t position) { return wire::EncodeCursor({{kCursorField, position}}); }

std::optional<std::int64_t> LedgerPosition(std::string_view cursor) {
  const std::optional<json> decoded = wire::DecodeCursor(cursor);
  if (!decoded || !decoded->is_object() || decoded->size() != 1 || !decoded->contains(kCursorField)) {
    return std::nullopt;
  }
  return wire::Integer(decoded->at(kCursorField), 1);
}

Registration ReadUserRegistered(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  Registration registration{.user_id = payload.Uuid("user_id")};
  const json& roles = payload.Field("roles");
  if (!roles.is_array()) payload.Poison("roles", "is not an array");
  const std::string_view customer = auth::ToString(auth::Role::kCustomer);
  for (const json& role : roles) {
    if (role.is_string() && role.get_ref<const std::string&>() == customer) registration.customer = true;
  }
  return registration;
}

ChargeRequest ReadStockReserved(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  return {.order_id = payload.Uuid("order_id"),
          .customer_id = payload.Uuid("customer_id"),
          .order_version = payload.Integer("order_version", 1),
          .amount_minor = payload.Integer("total_minor", 0, kMaxOrderTotalMinor),
          .currency = Currency(payload, "currency")};
}

Cancellation ReadOrderCancelled(const messaging::Envelope& event) {
  const messaging::PayloadReader payload(event);
  return {.order_id = payload.Uuid("order_id"),
          .customer_id = payload.Uuid("customer_id"),
          .total_minor = payload.Integer("total_minor", 0, kMaxOrderTotalMinor),
          .currency = Currency(payload, "currency")};
}

}  // namespace microstore::payment::api
