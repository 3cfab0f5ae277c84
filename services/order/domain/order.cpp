#include "order/domain/order.hpp"

namespace microstore::order {

std::string_view ToString(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "PENDING";
    case OrderStatus::kReserved:
      return "RESERVED";
    case OrderStatus::kPaid:
      return "PAID";
    case OrderStatus::kCancelled:
      return "CANCELLED";
  }
  return "";
}

std::optional<OrderStatus> ParseStatus(std::string_view text) {
  for (const OrderStatus status : kAllStatuses) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

std::string_view ToString(CancelReason reason) {
  switch (reason) {
    case CancelReason::kOutOfStock:
      return "out_of_stock";
    case CancelReason::kInsufficientFunds:
      return "insufficient_funds";
    case CancelReason::kPaymentFailed:
      return "payment_failed";
    case CancelReason::kCustomerCancelled:
      return "customer_cancelled";
    case CancelReason::kOperatorCancelled:
      return "operator_cancelled";
  }
  return "";
}

std::optional<CancelReason> ParseCancelReason(std::string_view text) {
  for (const CancelReason reason : {CancelReason::kOutOfStock, CancelReason::kInsufficientFunds,
                                    CancelReason::kPaymentFailed, CancelReason::kCustomerCancelled,
                                    CancelReason::kOperatorCancelled}) {
    if (ToString(reason) == text) return reason;
  }
  return std::nullopt;
}

}  // namespace microstore::order
