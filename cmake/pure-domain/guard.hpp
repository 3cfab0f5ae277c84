// Force-included into every file of a service's domain/ target (microstore_domain() in
// cmake/Microstore.cmake). domain/ holds types and pure decisions only: no JSON, no I/O, no
// logging, no metrics. Using one of these names there means the code belongs in api/ (JSON in and
// out) or infra/ (SQL, the outbox's payloads): see docs/architecture.md, "One shape".
#pragma once
#pragma GCC poison boost nlohmann spdlog prometheus amqp_connection_state_t PGconn PGresult
