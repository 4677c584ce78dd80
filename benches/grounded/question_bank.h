// Where an agent bench's questions and data come from: the three built-in
// generated markets (scenarios.h), or a user's scenario spec (user_scenario.h).
// The bench, its episodes and its simulator read only this.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "grounded/questions.h"
#include "qdrift/bash_session.h"
#include "qdrift/status.h"

namespace qdrift::grounded {

class QuestionBank {
 public:
  virtual ~QuestionBank() = default;

  // Every question, in the order items are run.
  virtual const std::vector<Question>& questions() const = 0;
  // The smoke tier's share of them.
  virtual std::vector<const Question*> smoke_questions() const;
  const Question* find(std::string_view id) const;

  // The host directory bound read-only at /data for `question` (made on first use).
  virtual Result<std::string> data_dir(const Question& question) const = 0;
  // What the system prompt says /data holds.
  virtual std::string data_description() const = 0;
  // More read-only binds and PATH entries for the sandbox (a user's own tools).
  virtual std::vector<ReadOnlyBind> extra_binds() const { return {}; }
  virtual std::vector<std::string> extra_path() const { return {}; }

  // The command that answers `question`, which the simulator sends; "" when
  // there is none (then the simulated agent answers without a command).
  virtual std::string reference_command(const Question& question) const = 0;
};

}  // namespace qdrift::grounded
