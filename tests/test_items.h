// Test helper: an Item with only the fields a test sets (the rest keep their
// defaults), without a positional initializer that breaks when Item grows.
#pragma once

#include <string>
#include <utility>

#include "qdrift/bench.h"

namespace qdrift::testing {

inline Item item_of(std::string id, std::string prompt, std::string answer) {
  Item item;
  item.id = std::move(id);
  item.prompt = std::move(prompt);
  item.answer = std::move(answer);
  return item;
}

}  // namespace qdrift::testing
