#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "identity/app/sessions.hpp"
#include "identity/domain/refusals.hpp"
#include "identity/domain/user.hpp"
#include "identity/domain/validation.hpp"
#include "platform/messaging/envelope.hpp"

namespace microstore::messaging {
class Outbox;
}
namespace microstore::pg {
class Pool;
}

// A user's own account: registering, reading it, changing the contact profile. Database failures
// propagate as pg::Error.
namespace microstore::identity {

class Authority;

// A new user with role CUSTOMER; emits UserRegistered. kEmailTaken when the e-mail exists.
boost::asio::awaitable<Outcome<User>> Register(pg::Pool& db, const messaging::Outbox& outbox,
                                               const Authority& authority, Registration registration,
                                               messaging::EventContext context);

// ADMIN: any user; others only themselves (kForbidden). Unknown or malformed id: kUserNotFound.
boost::asio::awaitable<Outcome<User>> GetUser(pg::Pool& db, Caller caller, std::string id);

// Applies the patch to the caller's profile; emits CustomerProfileUpdated unless nothing changed.
// kValidation names every problem of the patch.
boost::asio::awaitable<Outcome<User>> UpdateProfile(pg::Pool& db, const messaging::Outbox& outbox,
                                                    const Authority& authority, Caller caller,
                                                    ProfilePatch patch, messaging::EventContext context);

}  // namespace microstore::identity
