// Agreement between two raters (a judge and human labels, or a judge and itself).
#include <cmath>
#include <limits>

#include "qdrift/stats.h"

namespace qdrift::stats {

double cohen_kappa(const RaterCounts& c) {
  const double n = static_cast<double>(c.n());
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double first_pass = static_cast<double>(c.both_pass + c.first_pass_only) / n;
  const double second_pass = static_cast<double>(c.both_pass + c.second_pass_only) / n;
  const double chance = first_pass * second_pass + (1 - first_pass) * (1 - second_pass);
  if (chance >= 1) return std::numeric_limits<double>::quiet_NaN();
  return (c.agreement() - chance) / (1 - chance);
}

}  // namespace qdrift::stats
