// Scenarios: generation once per process, files once per process.
#include "grounded/scenarios.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "grounded/grounded_episode.h"

namespace qdrift::grounded {

namespace {
std::mutex files_mutex;
}

const Scenarios::Generated& Scenarios::generated() const {
  std::call_once(generated_once_, [this] {
    for (int scenario = 1; scenario <= kScenarios; ++scenario) {
      generated_.markets.push_back(generate_market(scenario));
      for (Question& question : make_questions(generated_.markets.back()))
        generated_.questions.push_back(std::move(question));
    }
  });
  return generated_;
}

Scenarios::~Scenarios() {
  if (root_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

const Scenarios& Scenarios::get() {
  static const Scenarios scenarios;
  return scenarios;
}

const Question* QuestionBank::find(std::string_view id) const {
  for (const Question& question : questions())
    if (question.id == id) return &question;
  return nullptr;
}

std::vector<const Question*> QuestionBank::smoke_questions() const {
  std::vector<const Question*> smoke;
  for (const Question& question : questions())
    if (smoke.size() < 10) smoke.push_back(&question);
  return smoke;
}

std::vector<const Question*> Scenarios::smoke_questions() const {
  constexpr int kSmoke[kScenarios] = {4, 3, 3};
  int taken[kScenarios] = {0, 0, 0};
  std::vector<const Question*> smoke;
  for (const Question& question : questions())
    if (taken[question.scenario - 1]++ < kSmoke[question.scenario - 1]) smoke.push_back(&question);
  return smoke;
}

namespace {
// `text` inside double quotes for bash.
std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '$' || c == '`') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

std::string Scenarios::reference_command(const Question& question) const {
  return "sqlite3 /data/market.db " + double_quoted(question.sql);
}

std::string Scenarios::data_description() const {
  return "- prices.csv: date,ticker,open,high,low,close,volume - one row per trading day (every weekday) and ticker; "
         "prices are as traded, NOT adjusted for splits or dividends.\n"
         "- splits.csv: date,ticker,numerator,denominator - a numerator-for-denominator split effective from that "
         "date's open (2,1 means each share became 2 and the price halved).\n"
         "- dividends.csv: ex_date,ticker,amount - cash paid per share, as of the ex-date.\n"
         "- market.db: an SQLite database with tables prices, splits and dividends holding the same rows.";
}

Result<std::string> Scenarios::data_dir(int scenario) const {
  if (scenario < 1 || scenario > kScenarios) return Status::Internal(fmt::format("grounded: no scenario {}", scenario));
  std::lock_guard lock(files_mutex);
  if (root_.empty()) {
    std::string dir = (std::filesystem::temp_directory_path() / "qdrift-grounded-XXXXXX").string();
    if (!mkdtemp(dir.data()))
      return Status::Io("grounded: cannot make a directory for the scenario files in " +
                        std::filesystem::temp_directory_path().string());
    for (int s = 1; s <= kScenarios; ++s) {
      const std::string path = fmt::format("{}/scenario-{}", dir, s);
      std::filesystem::create_directory(path);
      if (Status written = write_market_files(generated().markets[s - 1], path); !written.ok()) {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
        return written;
      }
      // The sandbox runs commands as another uid: the files must be readable by all.
      std::filesystem::permissions(path, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                             std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                             std::filesystem::perms::others_exec);
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec |
                                          std::filesystem::perms::group_exec);
    root_ = dir;
  }
  return fmt::format("{}/scenario-{}", root_, scenario);
}

std::string system_prompt(const std::string& data_description, bool native_tools, const std::vector<std::string>& tools) {
  std::string tool_list;
  for (const std::string& tool : tools) tool_list += (tool_list.empty() ? "" : ", ") + tool;
  std::string text = fmt::format(
      "You answer a question about data by running commands in a Linux sandbox.\n\n"
      "The data is read-only in /data:\n{}\n\n"
      "Tools: {}. There is no network. /scratch is your working directory: it is writable and keeps its files "
      "between commands; shell variables and the current directory do not carry over. Each command may run for "
      "30 seconds; its output is cut to 10 KiB.\n\n",
      data_description, tool_list);
  if (native_tools) {
    text += fmt::format(
        "Use the bash tool to run a command and see its output. When you know the answer, call the submit tool "
        "with the value only, in the unit the question asks for. You have at most {} turns.",
        kTurnCap);
  } else {
    text += fmt::format(
        "To run a command, reply with exactly one fenced block:\n```bash\n<command>\n```\nand you will see its "
        "output. When you know the answer, end your reply with a line\nFINAL ANSWER: <value>\nwith the value only, "
        "in the unit the question asks for. You have at most {} turns.",
        kTurnCap);
  }
  return text;
}

}  // namespace qdrift::grounded
