#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// Query parameters ($1, $2, …), always sent separately from the SQL text, so no value is ever
// spliced into a statement. Values travel in PostgreSQL's text format and the server infers their
// types from the statement; cast in SQL (`$1::bigint`) where inference is ambiguous.
//
// Supported C++ types:
//   bool                         → true / false
//   integers (not char types)    → decimal
//   float, double                → shortest round-trip decimal; NaN / Infinity / -Infinity
//   std::string, std::string_view, const char*, string literals
//   std::optional<T>             → T, or NULL when empty
//   std::nullopt, (const char*)nullptr → NULL
// A text value containing a NUL byte throws std::invalid_argument (PostgreSQL text cannot hold
// one; libpq would silently truncate it).
namespace microstore::pg {

namespace detail {
template <typename T>
inline constexpr bool kIsOptional = false;
template <typename T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

template <typename T>
inline constexpr bool kIsCharType =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;

template <typename T>
inline constexpr bool kUnsupported = false;
}  // namespace detail

class Params {
 public:
  void AddNull() { values_.emplace_back(std::nullopt); }
  void AddText(std::string text);
  void AddDouble(double value);

  template <typename T>
  void Add(const T& value) {
    using U = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_null_pointer_v<U>) {
      AddNull();
    } else if constexpr (detail::kIsOptional<U>) {
      if (value) {
        Add(*value);
      } else {
        AddNull();
      }
    } else if constexpr (std::is_same_v<U, bool>) {
      AddText(value ? "true" : "false");
    } else if constexpr (detail::kIsCharType<U>) {
      static_assert(detail::kUnsupported<U>, "pass a single character as std::string or an integer");
    } else if constexpr (std::is_integral_v<U>) {
      AddText(std::to_string(value));
    } else if constexpr (std::is_floating_point_v<U>) {
      AddDouble(static_cast<double>(value));
    } else if constexpr (std::is_pointer_v<U> && std::is_convertible_v<U, const char*>) {
      if (value == nullptr) {
        AddNull();
      } else {
        AddText(std::string(value));
      }
    } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
      AddText(std::string(std::string_view(value)));
    } else {
      static_assert(detail::kUnsupported<U>, "unsupported query parameter type");
    }
  }

  std::size_t size() const { return values_.size(); }
  // One entry per parameter, in order; nullopt is SQL NULL.
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

template <typename... Args>
Params MakeParams(const Args&... args) {
  Params params;
  (params.Add(args), ...);
  return params;
}

// `name` as a double-quoted SQL identifier (for LISTEN and other statements that take no
// parameters). Throws std::invalid_argument for an empty name or one containing a NUL byte.
std::string QuoteIdentifier(std::string_view name);

}  // namespace microstore::pg
