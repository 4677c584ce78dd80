#include <catch2/catch.hpp>
#include <map>

#include "qdrift/bench.h"

using namespace qdrift;

TEST_CASE("stratified slices draw per stratum deterministically and carry weights", "[bench]") {
  std::vector<Item> population;
  const std::map<std::string, int> sizes = {{"law", 100}, {"math", 37}, {"tiny", 2}};
  for (const auto& [stratum, size] : sizes)
    for (int i = 0; i < size; ++i) population.push_back({stratum + std::to_string(i), "p", "a", stratum, 1, ""});
  std::vector<Item> slice = stratified_slice(population, 0.3, 7);
  std::map<std::string, int> taken;
  std::map<std::string, double> represented;
  for (const Item& item : slice) {
    ++taken[item.stratum];
    represented[item.stratum] += item.weight;
  }
  CHECK(taken["law"] == 30);
  CHECK(taken["math"] == 11);  // round(0.3 * 37)
  CHECK(taken["tiny"] == 1);   // round(0.6) = 1, and never fewer than one
  for (const auto& [stratum, size] : sizes) CHECK(represented[stratum] == Approx(size));  // sums back to N_h
  CHECK(items_sha256(slice) == items_sha256(stratified_slice(population, 0.3, 7)));
  CHECK(items_sha256(slice) != items_sha256(stratified_slice(population, 0.3, 8)));
  // Original order is kept.
  for (std::size_t i = 1; i < slice.size(); ++i)
    if (slice[i].stratum == slice[i - 1].stratum)
      CHECK(std::stoi(slice[i].id.substr(slice[i].stratum.size())) >
            std::stoi(slice[i - 1].id.substr(slice[i - 1].stratum.size())));
}
