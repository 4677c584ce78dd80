// Which server is behind an endpoint: each answers a distinctive route.
#pragma once

#include <string>

#include "qdrift/endpoint.h"
#include "qdrift/http_pool.h"

namespace qdrift {

// Probes, in order: TGI's GET /info (a "router" naming text-generation), SGLang's
// GET /get_server_info, llama.cpp's GET /props (default_generation_settings),
// vLLM's GET /version; "openai" when none answers. Asks at endpoint.root_url()
// with its auth headers; endpoint.server is not read (this is what fills it).
std::string detect_server_kind(const Endpoint& endpoint, const PoolOptions& pool);

}  // namespace qdrift
