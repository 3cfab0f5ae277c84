#pragma once

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "platform/pg/params.hpp"

struct pg_result;  // libpq's PGresult

namespace microstore::pg {

// The outcome of one successful statement: its rows (text format) and command tag.
//
// Get<T>(row, column) converts a value to T:
//   std::string, std::string_view (a view into this Result: valid while it lives),
//   bool, any integer type (not char types), float, double, and std::optional<T> of those.
// NULL yields nullopt for std::optional<T> and throws ConversionError for any other T. A value
// that does not parse as T in full, or does not fit, throws ConversionError naming the column and
// the type (never the value). Rows and columns out of range throw ConversionError too.
class Result {
 public:
  Result() = default;
  // Takes ownership of a libpq result.
  explicit Result(pg_result* result) noexcept;

  int Rows() const;
  int Columns() const;
  bool Empty() const { return Rows() == 0; }
  // Rows inserted, updated, deleted, … by the statement (PQcmdTuples); 0 when not applicable.
  std::int64_t AffectedRows() const;
  // The command tag, e.g. "INSERT 0 1", "COMMIT".
  std::string_view CommandStatus() const;

  // Throws ConversionError when there is no column of that name.
  int ColumnIndex(std::string_view name) const;
  std::string_view ColumnName(int column) const;

  bool IsNull(int row, int column) const;
  bool IsNull(int row, std::string_view column) const { return IsNull(row, ColumnIndex(column)); }

  template <typename T>
  T Get(int row, int column) const;
  template <typename T>
  T Get(int row, std::string_view column) const {
    return Get<T>(row, ColumnIndex(column));
  }

 private:
  struct Deleter {
    void operator()(pg_result* result) const noexcept;
  };

  void CheckColumn(int column) const;
  void CheckBounds(int row, int column) const;
  // The raw text of a non-NULL value.
  std::string_view Text(int row, int column) const;
  [[noreturn]] void ThrowConversion(int column, std::string_view type) const;

  std::unique_ptr<pg_result, Deleter> result_;
};

template <typename T>
T Result::Get(int row, int column) const {
  if constexpr (detail::kIsOptional<T>) {
    if (IsNull(row, column)) return std::nullopt;
    return Get<typename T::value_type>(row, column);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::string(Text(row, column));
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return Text(row, column);
  } else if constexpr (std::is_same_v<T, bool>) {
    const std::string_view text = Text(row, column);
    if (text == "t") return true;
    if (text == "f") return false;
    ThrowConversion(column, "bool");
  } else if constexpr (detail::kIsCharType<T>) {
    static_assert(detail::kUnsupported<T>, "read text columns as std::string");
  } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
    const std::string_view text = Text(row, column);
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      if constexpr (std::is_floating_point_v<T>) {
        ThrowConversion(column, "a floating-point number");
      } else {
        ThrowConversion(column,
                        std::string(std::is_signed_v<T> ? "int" : "uint") + std::to_string(sizeof(T) * 8));
      }
    }
    return value;
  } else {
    static_assert(detail::kUnsupported<T>, "unsupported result column type");
  }
}

}  // namespace microstore::pg
