#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace microstore::http {

// The body of one page of a keyset-paginated list: {"items": [...], "next_cursor": "..."}, with
// next_cursor absent on the last page (docs/api-conventions.md).
//
// `rows` is what the query returned when asked for up to limit + 1 rows: the first `limit` become
// items (item_json(row)); a row beyond them only says that a next page exists, and that page
// starts after the last item shown, whose cursor_of(row) is the next_cursor. `limit` ≥ 1.
template <typename Row, typename ItemJson, typename CursorOf>
nlohmann::json PageBody(const std::vector<Row>& rows, std::size_t limit, ItemJson item_json,
                        CursorOf cursor_of) {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) items.push_back(item_json(rows[i]));
  nlohmann::json body = {{"items", std::move(items)}};
  if (rows.size() > limit) body["next_cursor"] = cursor_of(rows[limit - 1]);
  return body;
}

}  // namespace microstore::http
