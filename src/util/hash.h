// Stable hashing: the same bytes give the same number on every machine and in
// every version, because seeds and simulated outcomes are derived from these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qdrift {

// SplitMix64 finaliser: spreads the bits of x.
std::uint64_t mix64(std::uint64_t x);

// FNV-1a over the bytes, finished with mix64.
std::uint64_t hash64(std::string_view bytes);

// Hash of several parts; the parts are length-prefixed so ("ab","c") != ("a","bc").
std::uint64_t hash_parts(std::initializer_list<std::string_view> parts);

// A uniform double in [0, 1) from a hash value.
double unit_interval(std::uint64_t h);

// A standard normal draw from a hash value (Box-Muller over two uniforms).
double normal_from_hash(std::uint64_t h);

// Lower-case hex sha256 of the bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace qdrift
