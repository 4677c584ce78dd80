// Preflight: before any sample, GET /models says whether the endpoint is
// reachable, whether the key is accepted, and which model it serves; then the
// server kind is detected (or taken from --server).
#pragma once

#include <string>

#include "qdrift/endpoint.h"
#include "qdrift/http_pool.h"
#include "qdrift/status.h"

namespace qdrift {

// The model to ask: endpoint.model when the server serves it (or lists
// nothing), the only model it serves when endpoint.model is empty; else an
// error naming the URL, the HTTP status and what it serves.
Result<std::string> preflight_model(const Endpoint& endpoint, const PoolOptions& pool);

// endpoint.server unless "auto"; else detected (src/engine/server_kind.h).
std::string resolve_server_kind(const Endpoint& endpoint, const PoolOptions& pool);

}  // namespace qdrift
