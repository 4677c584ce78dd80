// An OpenAI-compatible endpoint as every part of qdrift that talks to one sees it:
// the base URL, the model, the key and the server kind. Chat, preflight, the
// tripwire and the judge all take one, so the Bearer header is built in one place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qdrift/status.h"

namespace qdrift {

struct Endpoint {
  std::string base_url;         // ends in /v1 (a trailing slash is dropped by with_base_url)
  std::string model;            // "" = the only model the server lists (filled by preflight)
  std::string api_key;          // sent as "Authorization: Bearer"; never stored, logged or printed
  std::string server = "auto";  // auto | vllm | sglang | tgi | llamacpp | openai

  // The base URL without trailing slashes.
  static std::string trim_base_url(std::string url);
  // base_url + path ("/chat/completions"); path starts with '/'.
  std::string url(std::string_view path) const;
  // The server's root (base_url without its trailing /v1), for routes such as /generate.
  std::string root_url() const;
  // {"Authorization: Bearer <key>"}, or nothing when there is no key.
  std::vector<std::string> auth_headers() const;
  // The base URL with any user:password@ removed, for files and messages.
  std::string shown_url() const;
};

// A usage error when no base URL was given by flag or environment.
Status require_base_url(const Endpoint& endpoint);

}  // namespace qdrift
