// Which server is behind an endpoint: each answers a distinctive route.
#pragma once

#include <string>
#include <vector>

#include "qdrift/http_pool.h"

namespace qdrift {

// Probes, in order: TGI's GET /info (a "router" naming text-generation), SGLang's
// GET /get_server_info, llama.cpp's GET /props (default_generation_settings),
// vLLM's GET /version; "openai" when none answers. `base` is the URL ending in /v1.
std::string detect_server_kind(const std::string& base, const std::vector<std::string>& headers,
                               const PoolOptions& pool);

}  // namespace qdrift
