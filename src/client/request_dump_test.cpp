#include "client/request_dump.h"

#include <catch2/catch.hpp>
#include <string>

using namespace qdrift;

namespace {
const std::string kKey = "sk-dump-test-0123456789";
}

TEST_CASE("a request dump shows method URL headers and body with the credential redacted", "[request_dump][secrets]") {
  HttpRequest request{"POST",
                      "http://user:pw@127.0.0.1:8000/v1/chat/completions",
                      R"({"model":"m"})",
                      {"Authorization: Bearer " + kKey, "Accept: application/json"},
                      7};
  const std::string text = dump_request(request, 12, "arith/a-1#0");
  CHECK(text ==
        "-> #12 POST http://127.0.0.1:8000/v1/chat/completions arith/a-1#0\n"
        "   Authorization: Bearer <redacted>\n"
        "   Accept: application/json\n"
        "   {\"model\":\"m\"}\n");
  HttpRequest get{"GET", "http://127.0.0.1:8000/v1/models", "", {}, 0};
  CHECK(dump_request(get, 1) == "-> #1 GET http://127.0.0.1:8000/v1/models\n");
}

TEST_CASE("credential headers are redacted by name - other headers are shown", "[request_dump][secrets]") {
  CHECK(redact_header("authorization: Bearer " + kKey) == "authorization: Bearer <redacted>");
  CHECK(redact_header("Authorization: " + kKey) == "Authorization: <redacted>");
  CHECK(redact_header("X-Api-Key: " + kKey) == "X-Api-Key: <redacted>");
  CHECK(redact_header("Proxy-Authorization: Basic " + kKey) == "Proxy-Authorization: Basic <redacted>");
  CHECK(redact_header("Cookie: session=" + kKey) == "Cookie: <redacted>");
  CHECK(redact_header("X-HF-Token: " + kKey) == "X-HF-Token: <redacted>");
  CHECK(redact_header("Content-Type: application/json") == "Content-Type: application/json");
}

TEST_CASE("a credential echoed anywhere in a request or answer is redacted", "[request_dump][secrets]") {
  HttpRequest request{"POST",
                      "http://127.0.0.1:1/v1/x?token=" + kKey,
                      "{\"key\":\"" + kKey + "\"}",
                      {"Authorization: Bearer " + kKey},
                      0};
  HttpResponse answer;
  answer.status = 401;
  answer.attempts = 1;
  answer.body = "{\"error\":\"Incorrect API key provided: " + kKey + "\"}";
  const std::string text = dump_request(request, 3) + dump_response(request, answer, 3);
  CHECK(text.find(kKey) == std::string::npos);
  CHECK(text.find("Incorrect API key provided: <redacted>") != std::string::npos);
  CHECK(text.find("<- #3 HTTP 401 after 1 try") != std::string::npos);
  HttpResponse failed;
  failed.attempts = 2;
  failed.transport_error = "could not connect with " + kKey;
  CHECK(dump_response(request, failed, 3).find(kKey) == std::string::npos);
  CHECK(dump_response(request, failed, 3).rfind("<- #3 no HTTP answer after 2 tries", 0) == 0);
}

TEST_CASE("long bodies are cut on a character boundary and say so - control characters escaped", "[request_dump]") {
  // 4095 ASCII bytes then a three-byte character straddling the limit.
  std::string body(kDumpBodyBytes - 1, 'a');
  body += "\xE2\x82\xAC";  // €
  body += std::string(1000, 'b');
  HttpRequest request{"GET", "http://127.0.0.1:1/x", "", {}, 0};
  HttpResponse answer;
  answer.status = 200;
  answer.attempts = 1;
  answer.body = body;
  const std::string text = dump_response(request, answer, 5);
  CHECK(text.find("[cut: first 4095 of 5098 bytes shown]") != std::string::npos);
  CHECK(text.find('\xE2') == std::string::npos);  // no half character
  CHECK(text.find("bb") == std::string::npos);    // nothing past the cut
  answer.body = "<html>\n\x1b]0;pwned\x07\n</html>";
  const std::string escaped = dump_response(request, answer, 6);
  CHECK(escaped == "<- #6 HTTP 200 after 1 try, 0.00 s\n   <html>\\n\\x1b]0;pwned\\x07\\n</html>\n");
}
