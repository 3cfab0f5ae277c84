#include "platform/pg/errors.hpp"

namespace microstore::pg {

Error::Error(const std::string& message, std::string sqlstate, std::string constraint)
    : std::runtime_error(message), sqlstate_(std::move(sqlstate)), constraint_(std::move(constraint)) {}

void ThrowForSqlState(const std::string& sqlstate, const std::string& message,
                      const std::string& constraint) {
  const auto is = [&](const char* code) { return sqlstate == code; };
  const auto in_class = [&](const char* prefix) { return sqlstate.rfind(prefix, 0) == 0; };

  if (is("23505")) throw UniqueViolation(message, sqlstate, constraint);
  if (is("23503")) throw ForeignKeyViolation(message, sqlstate, constraint);
  if (is("23514")) throw CheckViolation(message, sqlstate, constraint);
  if (is("23502")) throw NotNullViolation(message, sqlstate, constraint);
  if (in_class("23")) throw IntegrityViolation(message, sqlstate, constraint);
  if (is("40001")) throw SerializationFailure(message, sqlstate, constraint);
  if (is("40P01")) throw DeadlockDetected(message, sqlstate, constraint);
  if (in_class("40")) throw TransactionRollback(message, sqlstate, constraint);
  if (is("57014")) throw QueryCanceled(message, sqlstate, constraint);
  if (in_class("08") || is("57P01") || is("57P02") || is("57P03")) {
    throw ConnectionLost(message, sqlstate, constraint);
  }
  throw Error(message, sqlstate, constraint);
}

}  // namespace microstore::pg
