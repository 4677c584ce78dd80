// RFC 4180 CSV to row objects. Strict where the RFC is (a quote inside an
// unquoted field, text after a closing quote, an unclosed quote, a record with
// the wrong number of fields are errors), because a lenient reader would shift
// cells between columns and hand a bench the wrong answer silently.
#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "data/text_rows.h"
#include "util/utf8.h"

namespace qdrift {

namespace {

using nlohmann::json;
using Record = std::vector<std::string>;

struct ParsedRecord {
  Record fields;
  int line = 0;  // where the record starts
};

Status error_at(const std::string& file, int line, std::string_view what) {
  return Status::BadInput(fmt::format("{}:{}: {}", file, line, what));
}

// The 1-based line of the first byte that is not valid UTF-8, or 0 when all are.
// Cells become JSON strings, which must be UTF-8.
int first_invalid_utf8_line(std::string_view text) {
  const std::size_t bad = first_invalid_utf8(text);
  if (bad == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n'));
}

class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file) : text_(text), file_(file) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a BOM is not part of the first column's name
  }

  // Every record in the file, skipping empty lines.
  Result<std::vector<ParsedRecord>> records() {
    std::vector<ParsedRecord> out;
    while (pos_ < text_.size()) {
      if (at_line_end()) {  // an empty line holds no record
        skip_line_end();
        continue;
      }
      ParsedRecord record;
      record.line = line_;
      QDRIFT_TRY(read_record(record.fields));
      out.push_back(std::move(record));
    }
    return out;
  }

 private:
  bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void skip_line_end() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  Status read_record(Record& fields) {
    for (;;) {
      std::string field;
      const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
      QDRIFT_TRY(quoted ? read_quoted(field) : read_plain(field));
      fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return Status::Ok();  // the last record may lack a line end
      if (text_[pos_] == ',') {
        ++pos_;
        continue;  // after a final comma comes one more (empty) field
      }
      skip_line_end();
      return Status::Ok();
    }
  }

  Status read_plain(std::string& field) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      if (text_[pos_] == '"') return error_at(file_, line_, "a quote inside an unquoted field (quote the whole field)");
      ++pos_;
    }
    field.assign(text_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status read_quoted(std::string& field) {
    const int opened_on = line_;
    ++pos_;  // the opening quote
    for (;;) {
      if (pos_ >= text_.size()) return error_at(file_, opened_on, "a quoted field is never closed");
      const char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {  // "" is one quote
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\n') ++line_;
      field += c;  // line breaks inside quotes are data, kept as written
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
      return error_at(file_, line_, "text after a closing quote (a quote inside a quoted field must be doubled)");
    }
    return Status::Ok();
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

Result<std::vector<json>> parse_csv_rows(std::string_view text, const std::string& file_label) {
  if (int line = first_invalid_utf8_line(text); line != 0) {
    return error_at(file_label, line, "not valid UTF-8");
  }
  CsvReader reader(text, file_label);
  Result<std::vector<ParsedRecord>> records = reader.records();
  if (!records.ok()) return records.status();
  if (records->empty()) return Status::BadInput(fmt::format("{}: empty file (a CSV needs a header row)", file_label));

  const Record& header = records->front().fields;
  std::set<std::string> seen;
  for (const std::string& name : header) {
    if (!seen.insert(name).second) return error_at(file_label, records->front().line, "column '" + name + "' twice");
  }
  std::vector<json> rows;
  rows.reserve(records->size() - 1);
  for (std::size_t r = 1; r < records->size(); ++r) {
    const ParsedRecord& record = (*records)[r];
    if (record.fields.size() != header.size()) {
      return error_at(file_label, record.line,
                      fmt::format("{} fields, but the header has {}", record.fields.size(), header.size()));
    }
    json row = json::object();
    for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = record.fields[c];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace qdrift
