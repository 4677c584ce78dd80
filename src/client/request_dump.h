// The -v request dump, shared by every request qdrift makes (chat, preflight,
// server detection, tripwire logprobs, the dataset viewer): what was sent and what
// came back, with credentials redacted. HttpPool calls it when PoolOptions::verbose
// is set, so no caller prints requests itself.
//
//   -> #12 POST http://127.0.0.1:8000/v1/chat/completions arith/a-7#0
//      Authorization: Bearer <redacted>
//      {"model":"m","messages":[…]}
//   <- #12 HTTP 200 after 1 try, 0.41 s
//      {"choices":[…]} [cut: first 4096 of 183442 bytes shown]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "qdrift/http_pool.h"

namespace qdrift {

// Bodies longer than this are cut in a dump (at a UTF-8 boundary), saying so.
inline constexpr std::size_t kDumpBodyBytes = 4096;

// "Name: value" with the value hidden when the name suggests a credential
// (authorization, cookie, *key*, *token*, *secret*, *password*); an
// Authorization header keeps its scheme: "Authorization: Bearer <redacted>".
std::string redact_header(std::string_view header);

// The request's first lines and its answer's. Every credential found in the
// request's headers is also replaced wherever it appears in the URL, the bodies
// or a transport error (a server may echo a key back); control characters are
// escaped, so a body cannot drive the terminal and each dump keeps its lines.
std::string dump_request(const HttpRequest& request, std::uint64_t number, std::string_view label = "");
std::string dump_response(const HttpRequest& request, const HttpResponse& response, std::uint64_t number);

// A process-wide request number, pairing a request with its answer in the dump.
std::uint64_t next_dump_number();

// Writes one dump to stderr in one piece (pools and threads never interleave lines).
void write_dump(const std::string& text);

}  // namespace qdrift
