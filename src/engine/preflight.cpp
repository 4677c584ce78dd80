// GET /models with a short timeout and few retries: a wrong URL or key should
// fail in seconds, not after the pool's long generation timeout.
#include "engine/preflight.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/server_kind.h"
#include "qdrift/openai.h"

namespace qdrift {

namespace {

std::vector<std::string> served_models(const std::string& body) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  std::vector<std::string> served;
  if (!doc.is_discarded() && doc.is_object() && doc.contains("data") && doc["data"].is_array())
    for (const nlohmann::json& m : doc["data"])
      if (m.is_object() && m.contains("id") && m["id"].is_string()) served.push_back(m["id"]);
  return served;
}

}  // namespace

Result<std::string> preflight_model(const Endpoint& endpoint, const PoolOptions& pool) {
  PoolOptions probe = pool;
  probe.retry.max_attempts = std::min(probe.retry.max_attempts, 3);
  probe.request_timeout_s = std::min(probe.request_timeout_s, 30.0);
  const HttpResponse response = http_fetch({"GET", endpoint.url("/models"), "", endpoint.auth_headers(), 0}, probe);
  const std::string shown = endpoint.shown_url();
  if (response.status == 0)
    return Status::Endpoint(fmt::format("cannot reach {}: {}", shown, response.transport_error));
  if (response.status == 401 || response.status == 403)
    return Status::Endpoint(fmt::format("{}/models: HTTP {}: {} (check --api-key or $OPENAI_API_KEY)", shown,
                                        response.status, server_error_message(response.body)));
  if (!response.ok())
    return Status::Endpoint(fmt::format("{}/models: HTTP {}: {} (is --endpoint the base URL ending in /v1?)",
                                        shown, response.status, server_error_message(response.body)));
  const std::vector<std::string> served = served_models(response.body);
  std::string list;
  for (const std::string& s : served) list += (list.empty() ? "" : ", ") + s;
  if (endpoint.model.empty()) {
    if (served.size() == 1) return served[0];
    return Status::Usage(
        fmt::format("--model is required: {} serves {}", shown, list.empty() ? "no listed models" : list));
  }
  if (!served.empty() && std::find(served.begin(), served.end(), endpoint.model) == served.end())
    return Status::Endpoint(fmt::format("model '{}' is not served at {} (it serves: {})", endpoint.model, shown, list));
  return endpoint.model;
}

std::string resolve_server_kind(const Endpoint& endpoint, const PoolOptions& pool) {
  if (endpoint.server != "auto") return endpoint.server;
  return detect_server_kind(endpoint, pool);
}

}  // namespace qdrift
