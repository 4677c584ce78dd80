// Linked only into build/qdrift_relay (qdrift's own main plus the relay bench),
// the binary the multi-turn end-to-end tests run and kill.
#include <cstdio>
#include <cstdlib>

#include "relay_bench.h"

namespace {

const bool registered = [] {
  if (qdrift::Status s = qdrift::register_bench(qdrift::testing::make_relay_bench()); !s.ok()) {
    std::fprintf(stderr, "qdrift_relay: %s\n", s.message().c_str());
    std::abort();
  }
  return true;
}();

}  // namespace
