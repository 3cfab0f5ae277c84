#include "stock/domain/reservation.hpp"

#include <algorithm>

namespace microstore::stock {

std::string_view ToString(ReservationStatus status) {
  switch (status) {
    case ReservationStatus::kBooked:
      return "BOOKED";
    case ReservationStatus::kFailed:
      return "FAILED";
    case ReservationStatus::kReleased:
      return "RELEASED";
    case ReservationStatus::kCancelled:
      return "CANCELLED";
  }
  return "";
}

std::optional<ReservationStatus> ParseReservationStatus(std::string_view text) {
  for (ReservationStatus status : {ReservationStatus::kBooked, ReservationStatus::kFailed,
                                   ReservationStatus::kReleased, ReservationStatus::kCancelled}) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

const std::string& OrderIdOf(const ReservationEvent& event) {
  return std::visit([](const auto& e) -> const std::string& { return e.order_id; }, event);
}

std::string_view TypeOf(const ReservationEvent& event) {
  if (std::holds_alternative<OrderCreated>(event)) return "OrderCreated";
  if (std::holds_alternative<OrderCancelled>(event)) return "OrderCancelled";
  return "PaymentFailed";
}

std::vector<Line> SumLines(std::vector<Line> lines) {
  std::vector<Line> summed;
  for (auto& line : lines) {
    const auto same = std::find_if(summed.begin(), summed.end(), [&line](const Line& other) {
      return other.product_id == line.product_id;
    });
    if (same == summed.end()) {
      summed.push_back(std::move(line));
    } else {
      same->quantity += line.quantity;
    }
  }
  return summed;
}

bool IsCurrencyCode(std::string_view text) {
  return text.size() == 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace microstore::stock
