// Endpoint: URLs and the one place the Bearer header is built.
#include "qdrift/endpoint.h"

#include "qdrift/openai.h"

namespace qdrift {

std::string Endpoint::trim_base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string Endpoint::url(std::string_view path) const { return trim_base_url(base_url) + std::string(path); }

std::string Endpoint::root_url() const {
  std::string root = trim_base_url(base_url);
  if (root.size() >= 3 && root.compare(root.size() - 3, 3, "/v1") == 0) root.resize(root.size() - 3);
  return root;
}

std::vector<std::string> Endpoint::auth_headers() const {
  if (api_key.empty()) return {};
  return {"Authorization: Bearer " + api_key};
}

std::string Endpoint::shown_url() const { return redact_url(trim_base_url(base_url)); }

Status require_base_url(const Endpoint& endpoint) {
  if (!endpoint.base_url.empty()) return Status::Ok();
  return Status::Usage("no endpoint: pass --endpoint http://HOST:PORT/v1 or set $OPENAI_BASE_URL");
}

}  // namespace qdrift
