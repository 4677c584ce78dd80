// Stable hashing and sha256 (OpenSSL EVP).
#include "util/hash.h"

#include <algorithm>
#include <cmath>

#include <openssl/evp.h>

#include <array>
#include <string>

namespace qdrift {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

namespace {
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}
}  // namespace

std::uint64_t hash64(std::string_view bytes) { return mix64(fnv1a(kFnvOffset, bytes)); }

std::uint64_t hash_parts(std::initializer_list<std::string_view> parts) {
  std::uint64_t h = kFnvOffset;
  for (std::string_view part : parts) {
    const std::string length = std::to_string(part.size()) + ":";
    h = fnv1a(h, length);
    h = fnv1a(h, part);
  }
  return mix64(h);
}

double unit_interval(std::uint64_t h) {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);  // 53 bits
}

double normal_from_hash(std::uint64_t h) {
  const double u1 = std::max(unit_interval(h), 1e-12);
  const double u2 = unit_interval(mix64(h));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace qdrift
