#include "platform/pg/result.hpp"

#include <libpq-fe.h>

#include "platform/pg/errors.hpp"

namespace microstore::pg {

void Result::Deleter::operator()(pg_result* result) const noexcept { PQclear(result); }

Result::Result(pg_result* result) noexcept : result_(result) {}

int Result::Rows() const { return result_ ? PQntuples(result_.get()) : 0; }

int Result::Columns() const { return result_ ? PQnfields(result_.get()) : 0; }

std::int64_t Result::AffectedRows() const {
  if (!result_) return 0;
  const std::string_view text = PQcmdTuples(result_.get());
  std::int64_t count = 0;
  std::from_chars(text.data(), text.data() + text.size(), count);
  return count;
}

std::string_view Result::CommandStatus() const { return result_ ? PQcmdStatus(result_.get()) : ""; }

int Result::ColumnIndex(std::string_view name) const {
  for (int column = 0; column < Columns(); ++column) {
    if (PQfname(result_.get(), column) == name) return column;
  }
  throw ConversionError("result has no column \"" + std::string(name) + "\"");
}

std::string_view Result::ColumnName(int column) const {
  CheckColumn(column);
  return PQfname(result_.get(), column);
}

bool Result::IsNull(int row, int column) const {
  CheckBounds(row, column);
  return PQgetisnull(result_.get(), row, column) == 1;
}

void Result::CheckColumn(int column) const {
  if (column < 0 || column >= Columns()) {
    throw ConversionError("column " + std::to_string(column) + " out of range: the result has " +
                          std::to_string(Columns()) + " columns");
  }
}

void Result::CheckBounds(int row, int column) const {
  CheckColumn(column);
  if (row < 0 || row >= Rows()) {
    throw ConversionError("row " + std::to_string(row) + " out of range: the result has " +
                          std::to_string(Rows()) + " rows");
  }
}

std::string_view Result::Text(int row, int column) const {
  if (IsNull(row, column)) {
    throw ConversionError("column \"" + std::string(PQfname(result_.get(), column)) +
                          "\" is NULL; read it as std::optional");
  }
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

void Result::ThrowConversion(int column, std::string_view type) const {
  throw ConversionError("column \"" + std::string(PQfname(result_.get(), column)) + "\" cannot be read as " +
                        std::string(type));
}

}  // namespace microstore::pg
