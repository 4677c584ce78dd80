// The chat-completion parser reads whatever a server sends back: vLLM, SGLang,
// TGI, llama.cpp, a proxy's HTML error page, a body cut at the size cap, a reply
// that calls tools with its arguments as a string or an object.
#include "fuzz_target.h"
#include "qdrift/openai.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qdrift::fuzz::storable;
  const auto body = qdrift::fuzz::as_text(data, size);
  const auto parsed = qdrift::parse_chat_response(body);
  if (parsed.ok()) {
    const auto& response = parsed.value();
    // Token counts are summed into run statistics: never negative.
    QDRIFT_REQUIRE(response.prompt_tokens >= 0 && response.completion_tokens >= 0);
    QDRIFT_REQUIRE(response.reasoning_tokens >= 0 && response.reasoning_tokens <= response.completion_tokens);
    // The answer and its finish reason go into the checkpoint as JSON.
    QDRIFT_REQUIRE(storable(response.content) && storable(response.reasoning) && storable(response.finish_reason));
    // Tool calls go into transcripts and back to the server in the next request.
    for (const auto& call : response.tool_calls)
      QDRIFT_REQUIRE(storable(call.id) && storable(call.name) && storable(call.arguments));
    // A parsed reply always holds something: an answer, reasoning, a tool call, or a cap hit.
    QDRIFT_REQUIRE(!response.content.empty() || !response.reasoning.empty() || !response.tool_calls.empty() ||
                   response.finish_reason == "length");
    // Sending the reply back as the next turn's assistant message must not throw.
    qdrift::ChatMessage turn{"assistant", response.content};
    turn.tool_calls = response.tool_calls;
    QDRIFT_REQUIRE(!qdrift::chat_request_body({"m", {turn}, qdrift::sampling_preset(false), 0}).empty());
  } else {
    // A failed parse becomes a failed sample whose reason is stored in the run file.
    QDRIFT_REQUIRE(storable(parsed.status().message()));
  }
  // The server's own words reach error lines and, for failed samples, run files.
  QDRIFT_REQUIRE(storable(qdrift::server_error_message(body)));
  (void)qdrift::redact_url(body);
  return 0;
}
