// -v dumps: header redaction, secret scrubbing, body cutting and escaping.
#include "client/request_dump.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <vector>

#include "qdrift/openai.h"
#include "util/utf8.h"

namespace qdrift {

namespace {

constexpr std::string_view kRedacted = "<redacted>";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool secret_header_name(std::string_view name) {
  const std::string n = lower(trim(name));
  for (std::string_view word : {"auth", "cookie", "key", "token", "secret", "password"})
    if (n.find(word) != std::string::npos) return true;
  return false;
}

// The credentials a request carries: each secret header's whole value, and for
// "Scheme credential" values the credential alone.
std::vector<std::string> secrets_of(const HttpRequest& request) {
  std::vector<std::string> secrets;
  for (const std::string& header : request.headers) {
    const std::size_t colon = header.find(':');
    if (colon == std::string::npos || !secret_header_name(std::string_view(header).substr(0, colon))) continue;
    const std::string_view value = trim(std::string_view(header).substr(colon + 1));
    if (value.empty()) continue;
    secrets.emplace_back(value);
    if (const std::size_t space = value.find(' '); space != std::string_view::npos) {
      const std::string_view credential = trim(value.substr(space + 1));
      if (!credential.empty()) secrets.emplace_back(credential);
    }
  }
  // Longest first, so a whole "Bearer x" goes before its "x".
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return secrets;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets)
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size()))
      text.replace(at, secret.size(), kRedacted);
  return text;
}

// Control characters as escapes: a dump is one line per field, and a server's
// body must not be able to move the cursor or retitle the terminal.
std::string escape_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

// The body as shown: scrubbed, cut at kDumpBodyBytes on a UTF-8 boundary, escaped.
std::string shown_body(const std::string& body, const std::vector<std::string>& secrets) {
  std::string text = scrub(body, secrets);
  if (text.empty()) return "   (empty body)\n";
  std::string note;
  if (text.size() > kDumpBodyBytes) {
    const std::size_t cut = utf8_prefix(text, kDumpBodyBytes).size();  // not inside a character
    note = fmt::format(" [cut: first {} of {} bytes shown]", cut, text.size());
    text.resize(cut);
  }
  return "   " + escape_controls(text) + note + "\n";
}

}  // namespace

std::string redact_header(std::string_view header) {
  const std::size_t colon = header.find(':');
  if (colon == std::string_view::npos) return escape_controls(header);
  const std::string_view name = trim(header.substr(0, colon));
  if (!secret_header_name(name)) return escape_controls(header);
  const std::string_view value = trim(header.substr(colon + 1));
  const std::size_t space = value.find(' ');
  // Keep a short scheme word ("Bearer", "Basic"): it helps and reveals nothing.
  if (space != std::string_view::npos && space <= 16)
    return fmt::format("{}: {} {}", escape_controls(name), escape_controls(value.substr(0, space)), kRedacted);
  return fmt::format("{}: {}", escape_controls(name), kRedacted);
}

std::string dump_request(const HttpRequest& request, std::uint64_t number, std::string_view label) {
  const std::vector<std::string> secrets = secrets_of(request);
  std::string text =
      fmt::format("-> #{} {} {}", number, request.method, escape_controls(scrub(redact_url(request.url), secrets)));
  if (!label.empty()) text += " " + escape_controls(scrub(std::string(label), secrets));
  text += "\n";
  for (const std::string& header : request.headers) text += "   " + redact_header(header) + "\n";
  if (!request.body.empty() || request.method != "GET") text += shown_body(request.body, secrets);
  return text;
}

std::string dump_response(const HttpRequest& request, const HttpResponse& response, std::uint64_t number) {
  const std::vector<std::string> secrets = secrets_of(request);
  const std::string tries = fmt::format("after {} {}, {:.2f} s", response.attempts,
                                        response.attempts == 1 ? "try" : "tries", response.seconds);
  if (response.status == 0)
    return fmt::format("<- #{} no HTTP answer {}: {}\n", number, tries,
                       escape_controls(scrub(response.transport_error, secrets)));
  std::string text = fmt::format("<- #{} HTTP {} {}", number, response.status, tries);
  if (!response.transport_error.empty()) text += " (" + escape_controls(scrub(response.transport_error, secrets)) + ")";
  return text + "\n" + shown_body(response.body, secrets);
}

std::uint64_t next_dump_number() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

void write_dump(const std::string& text) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace qdrift
