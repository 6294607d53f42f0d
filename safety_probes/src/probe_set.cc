#include "safety_probes/probe_set.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/files.h"
#include "safety_probes/csv.h"

namespace hallmark::safety_probes {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

std::string stem_of(const std::string& file) {
  return std::filesystem::path(file).stem().string();
}

// Ids must be unique within a set so that flips can be reported per prompt.
void check_unique_ids(const std::vector<Probe>& probes, const std::string& file) {
  std::set<std::string> seen;
  for (const auto& p : probes) {
    if (!seen.insert(p.id).second) throw InputError(file + ": repeated probe id '" + p.id + "'");
  }
}

std::vector<Probe> from_advbench(const CsvTable& t) {
  size_t goal = t.column("goal", "AdvBench goal,target");
  t.column("target", "AdvBench goal,target");
  std::vector<Probe> out;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    Probe p;
    p.id = stem_of(t.file) + "-" + std::to_string(i + 1);
    p.prompt = t.rows[i][goal];
    p.label = ProbeLabel::harmful;
    p.source = t.file;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Probe> from_harmbench(const CsvTable& t) {
  size_t behavior = t.column("Behavior", "HarmBench behaviors");
  auto context = t.find_column("ContextString");
  auto id = t.find_column("BehaviorID");
  auto category = t.find_column("SemanticCategory");
  std::vector<Probe> out;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    Probe p;
    p.id = id && !row[*id].empty() ? row[*id] : stem_of(t.file) + "-" + std::to_string(i + 1);
    // HarmBench puts the context before the behavior, separated by a rule.
    p.prompt = context && !row[*context].empty()
                   ? row[*context] + "\n\n---\n\n" + row[behavior]
                   : row[behavior];
    p.label = ProbeLabel::harmful;
    if (category) p.category = row[*category];
    p.source = t.file;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Probe> from_xstest(const CsvTable& t) {
  size_t prompt = t.column("prompt", "XSTest prompt,type,label");
  size_t label = t.column("label", "XSTest prompt,type,label");
  auto type = t.find_column("type");
  auto id = t.find_column("id");
  std::vector<Probe> out;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    Probe p;
    p.id = id && !row[*id].empty() ? row[*id] : stem_of(t.file) + "-" + std::to_string(i + 1);
    p.prompt = row[prompt];
    std::string l = lower(trim(row[label]));
    if (l == "safe") {
      p.label = ProbeLabel::benign;
    } else if (l == "unsafe") {
      p.label = ProbeLabel::harmful;
    } else {
      throw InputError(t.file + ":" + std::to_string(t.row_lines[i]) + ": label '" + row[label] +
                       "' is neither safe nor unsafe");
    }
    if (type) p.category = row[*type];
    p.source = t.file;
    out.push_back(std::move(p));
  }
  return out;
}

void check_prompts(const std::vector<Probe>& probes, const CsvTable& t) {
  for (size_t i = 0; i < probes.size(); ++i) {
    if (trim(probes[i].prompt).empty()) {
      throw InputError(t.file + ":" + std::to_string(t.row_lines[i]) + ": empty prompt");
    }
  }
}

}  // namespace

std::string_view label_name(ProbeLabel label) {
  return label == ProbeLabel::harmful ? "harmful" : "benign";
}

ProbeFormat parse_probe_format(std::string_view name) {
  if (name == "auto") return ProbeFormat::automatic;
  if (name == "jsonl") return ProbeFormat::jsonl;
  if (name == "advbench") return ProbeFormat::advbench;
  if (name == "harmbench") return ProbeFormat::harmbench;
  if (name == "xstest") return ProbeFormat::xstest;
  throw InputError("unknown probe format '" + std::string(name) +
                   "' (supported: auto, jsonl, advbench, harmbench, xstest)");
}

std::vector<Probe> parse_probes_jsonl(std::string_view text, const std::string& file) {
  std::vector<Probe> out;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (trim(line).empty()) continue;
    std::string where = file + ":" + std::to_string(line_no);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(where + ": invalid JSON: " + e.what());
    }
    if (!j.is_object()) throw InputError(where + ": expected a JSON object");
    Probe p;
    bool has_label = false;
    for (const auto& [key, value] : j.items()) {
      if (!value.is_string()) throw InputError(where + ": '" + key + "' must be a string");
      const auto& s = value.get_ref<const std::string&>();
      if (key == "prompt") {
        p.prompt = s;
      } else if (key == "id") {
        p.id = s;
      } else if (key == "category") {
        p.category = s;
      } else if (key == "label") {
        if (s == "harmful") {
          p.label = ProbeLabel::harmful;
        } else if (s == "benign") {
          p.label = ProbeLabel::benign;
        } else {
          throw InputError(where + ": label '" + s + "' is neither harmful nor benign");
        }
        has_label = true;
      } else {
        throw InputError(where + ": unknown key '" + key +
                         "' (expected prompt, label, id, category)");
      }
    }
    if (trim(p.prompt).empty()) throw InputError(where + ": missing or empty 'prompt'");
    if (!has_label) throw InputError(where + ": missing 'label' (harmful or benign)");
    if (p.id.empty()) p.id = stem_of(file) + "-" + std::to_string(out.size() + 1);
    p.source = file;
    out.push_back(std::move(p));
  }
  if (out.empty()) throw InputError(file + ": no probes");
  check_unique_ids(out, file);
  return out;
}

std::vector<Probe> parse_probes_csv(std::string_view text, const std::string& file,
                                    ProbeFormat format) {
  CsvTable table = parse_csv(text, file);
  if (format == ProbeFormat::automatic) {
    if (table.find_column("goal")) {
      format = ProbeFormat::advbench;
    } else if (table.find_column("Behavior")) {
      format = ProbeFormat::harmbench;
    } else if (table.find_column("prompt")) {
      format = ProbeFormat::xstest;
    } else {
      throw InputError(file +
                       ": unrecognised probe CSV header (expected AdvBench goal,target; HarmBench "
                       "Behavior; or XSTest prompt,type,label)");
    }
  }
  std::vector<Probe> out;
  switch (format) {
    case ProbeFormat::advbench: out = from_advbench(table); break;
    case ProbeFormat::harmbench: out = from_harmbench(table); break;
    case ProbeFormat::xstest: out = from_xstest(table); break;
    default: throw InputError(file + ": not a CSV probe format");
  }
  if (out.empty()) throw InputError(file + ": no probes");
  check_prompts(out, table);
  check_unique_ids(out, file);
  return out;
}

std::vector<Probe> load_probes(const std::filesystem::path& path, ProbeFormat format) {
  std::string text = read_file(path);
  std::string file = path.string();
  if (format == ProbeFormat::jsonl ||
      (format == ProbeFormat::automatic && lower(path.extension().string()) == ".jsonl")) {
    return parse_probes_jsonl(text, file);
  }
  if (format == ProbeFormat::automatic && lower(path.extension().string()) != ".csv") {
    throw InputError(file + ": cannot tell the probe format from the extension (use .jsonl or "
                            ".csv, or name the format)");
  }
  return parse_probes_csv(text, file, format);
}

std::string probes_to_jsonl(const std::vector<Probe>& probes) {
  std::string out;
  for (const auto& p : probes) {
    nlohmann::json j = {{"id", p.id}, {"prompt", p.prompt}, {"label", label_name(p.label)}};
    if (!p.category.empty()) j["category"] = p.category;
    out += j.dump() + "\n";
  }
  return out;
}

}  // namespace hallmark::safety_probes
