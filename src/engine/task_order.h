// Which order a run asks for its samples in (engine/schedule.h says why).
#pragma once

namespace qdrift {

enum class TaskOrder {
  kLongestFirst,  // the default: long work first, each item's samples together
  kRunOrder,      // bench by bench, item by item, as the run file lists them (--order run)
};

}  // namespace qdrift
