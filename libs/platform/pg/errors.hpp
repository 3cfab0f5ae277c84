#pragma once

#include <stdexcept>
#include <string>

// Typed failures of PostgreSQL I/O. Callers catch the specific type they can act on
// (UniqueViolation → 409, TransactionRollback → retry the whole transaction, ConnectionLost /
// PoolTimeout → 503) and let the rest reach the boundary as pg::Error.
//
// Messages carry the server's primary message, the SQLSTATE and, when the server names one, the
// constraint. They never carry query parameters, and DETAIL (where the server echoes key values)
// is left out, so a message is safe to log.
namespace microstore::pg {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, std::string sqlstate = {}, std::string constraint = {});

  // Five-character SQLSTATE, empty when the failure did not come from the server.
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // The violated constraint's name for integrity errors, otherwise empty.
  const std::string& constraint() const noexcept { return constraint_; }

 private:
  std::string sqlstate_;
  std::string constraint_;
};

// Class 23: the statement broke a constraint; the transaction is aborted.
class IntegrityViolation : public Error {
 public:
  using Error::Error;
};
class UniqueViolation : public IntegrityViolation {  // 23505
 public:
  using IntegrityViolation::IntegrityViolation;
};
class ForeignKeyViolation : public IntegrityViolation {  // 23503
 public:
  using IntegrityViolation::IntegrityViolation;
};
class CheckViolation : public IntegrityViolation {  // 23514
 public:
  using IntegrityViolation::IntegrityViolation;
};
class NotNullViolation : public IntegrityViolation {  // 23502
 public:
  using IntegrityViolation::IntegrityViolation;
};

// Class 40: the server rolled the transaction back. Serialization failures and deadlocks are
// expected under concurrency: re-run the whole transaction (not just the statement).
class TransactionRollback : public Error {
 public:
  using Error::Error;
};
class SerializationFailure : public TransactionRollback {  // 40001
 public:
  using TransactionRollback::TransactionRollback;
};
class DeadlockDetected : public TransactionRollback {  // 40P01
 public:
  using TransactionRollback::TransactionRollback;
};

// 57014: statement_timeout or an explicit cancel.
class QueryCanceled : public Error {
 public:
  using Error::Error;
};

// The connection broke before or during a statement (class 08, or the server shutting down or
// terminating the backend: 57P01/57P02/57P03). Whether a statement in flight was executed is
// unknown. The pool discards such a connection.
class ConnectionLost : public Error {
 public:
  using Error::Error;
};

// The pool could not hand out a connection within its acquire_timeout.
class PoolTimeout : public Error {
 public:
  using Error::Error;
};

// A new connection could not be established (refused, authentication, timeout, bad host).
class ConnectionFailed : public Error {
 public:
  using Error::Error;
};

// A Result value could not be converted to the requested C++ type (wrong type, NULL into a
// non-optional, out of range, no such column). A programming or schema error, not I/O.
class ConversionError : public Error {
 public:
  using Error::Error;
};

// Throws the Error subclass that matches `sqlstate` (plain Error when none does).
[[noreturn]] void ThrowForSqlState(const std::string& sqlstate, const std::string& message,
                                   const std::string& constraint = {});

}  // namespace microstore::pg
