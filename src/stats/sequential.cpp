// The anytime-valid e-value behind `run --stop-early`.
#include <cmath>

#include <boost/math/special_functions/beta.hpp>

#include "qdrift/stats.h"

namespace qdrift::stats {

double flip_e_value(std::int64_t losses, std::int64_t wins) {
  // E = 2^(n+1) * integral over [1/2, 1] of p^losses (1-p)^wins dp
  //   = 2^(n+1) * B(losses+1, wins+1) * ibetac(losses+1, wins+1, 1/2), in logs.
  const double b = static_cast<double>(losses), c = static_cast<double>(wins);
  const double tail = boost::math::ibetac(b + 1, c + 1, 0.5);
  if (tail <= 0) return 0.0;
  const double log_beta = std::lgamma(b + 1) + std::lgamma(c + 1) - std::lgamma(b + c + 2);
  return std::exp((b + c + 1) * std::log(2.0) + log_beta + std::log(tail));
}

}  // namespace qdrift::stats
