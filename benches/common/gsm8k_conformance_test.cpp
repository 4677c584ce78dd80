// Conformance of the final-number rules with every gsm8k test answer: each gold
// number, written in every form the extractor claims to read, must score correct,
// and the number plus one must score wrong. Reads ../shared/data at run time
// (dataset text is never copied into the project) and skips when it is absent.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/final_number.h"

using namespace qdrift::scoring;

namespace {

// "-1450000" -> "-1,450,000".
std::string with_thousands_separators(const std::string& number) {
  const bool negative = number[0] == '-';
  const std::string digits = number.substr(negative ? 1 : 0);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

struct Form {
  std::string name;
  NumberRule rule;
  std::function<std::string(const std::string&)> write;
};

// Each response carries distracting numbers before the answer, as real ones do.
std::vector<Form> forms_for(const std::string& gold) {
  std::vector<Form> forms = {
      {"final-answer line", NumberRule::kFinalAnswerPhrase,
       [](const std::string& v) { return "First 3 + 4 = 7, then 7 * 12 = 84.\nThe final answer is " + v + "."; }},
      {"bold final answer", NumberRule::kFinalAnswerPhrase,
       [](const std::string& v) { return "Adding 15 and 20 gives 35.\n\nThe final answer is: **" + v + "**"; }},
      {"hashes", NumberRule::kHashes, [](const std::string& v) { return "So 2 groups of 5 make 10.\n#### " + v; }},
      {"last number in prose", NumberRule::kLastNumber,
       [](const std::string& v) {
         return "She starts with 5 and buys 17 more, so the total is " + v + " in the end.";
       }},
      {"currency final answer", NumberRule::kFinalAnswerPhrase,
       [](const std::string& v) { return "Each of the 4 items costs 3 dollars.\nThe final answer is $" + v + "."; }},
      {"currency in prose", NumberRule::kLastNumber,
       [](const std::string& v) { return "After 2 weeks at 9 dollars a week, she has $" + v + "."; }},
      {"decimal zeros", NumberRule::kFinalAnswerPhrase,
       [](const std::string& v) { return "The final answer is " + v + ".00"; }},
  };
  if (gold.size() > (gold[0] == '-' ? 4u : 3u)) {
    forms.push_back({"separators final answer", NumberRule::kFinalAnswerPhrase, [](const std::string& v) {
                       return "It took 12 steps.\nThe final answer is " + with_thousands_separators(v) + ".";
                     }});
    forms.push_back({"separators hashes", NumberRule::kHashes,
                     [](const std::string& v) { return "#### " + with_thousands_separators(v); }});
    forms.push_back({"separators currency prose", NumberRule::kLastNumber, [](const std::string& v) {
                       return "In 3 years the fund reaches $" + with_thousands_separators(v) + ".";
                     }});
  }
  return forms;
}

}  // namespace

TEST_CASE("gsm8k gold answers score correct in every accepted form", "[extract][conformance]") {
  const std::filesystem::path path = std::filesystem::path(QDRIFT_SHARED_DATA) / "gsm8k" / "test.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  std::ifstream in(path);
  std::string line;
  int items = 0, checks = 0, ungradable = 0, with_separators = 0, negative = 0;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    const auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("answer")) {
      WARN("gsm8k line " << line_number << " cannot be graded: not a JSON record with an answer");
      ++ungradable;
      continue;
    }
    const auto gold = parse_gsm8k_gold(record["answer"].get<std::string>());
    if (!gold || gold->find('.') != std::string::npos) {
      WARN("gsm8k line " << line_number << " cannot be graded: no integer after ####");
      ++ungradable;
      continue;
    }
    ++items;
    if (gold->size() > (gold->front() == '-' ? 4u : 3u)) ++with_separators;
    if (gold->front() == '-') ++negative;
    const std::string wrong = std::to_string(std::stoll(*gold) + 1);
    for (const Form& form : forms_for(*gold)) {
      INFO("line " << line_number << ", form " << form.name << ", gold " << *gold);
      const auto right = find_final_number(form.write(*gold));
      REQUIRE(right);
      CHECK(numbers_equal(right->number, *gold));
      CHECK(right->rule == form.rule);
      const auto perturbed = extract_final_number(form.write(wrong));
      REQUIRE(perturbed);
      CHECK_FALSE(numbers_equal(*perturbed, *gold));
      checks += 2;
    }
  }
  CHECK(items == 1319);
  CHECK(ungradable == 0);
  WARN(fmt::format("gsm8k conformance: {} items ({} negative, {} with thousands separators), {} checks, {} ungradable",
                   items, negative, with_separators, checks, ungradable));
}
