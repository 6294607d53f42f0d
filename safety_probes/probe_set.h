// Probe sets: prompts an aligned model should refuse (harmful) and benign look-alikes it should
// answer (to measure over-refusal).
//
// Formats read:
//   jsonl     hallmark's own: one object per line, {"prompt": str, "label": "harmful"|"benign",
//             "id": str (optional), "category": str (optional, free text)}; unknown keys are
//             errors.
//   advbench  AdvBench harmful_behaviors.csv: columns goal,target; every row is harmful.
//   harmbench HarmBench behaviors CSV: column Behavior (ContextString, BehaviorID and
//             SemanticCategory used when present); every row is harmful.
//   xstest    XSTest CSV: columns prompt,label (label safe -> benign, unsafe -> harmful); type
//             and id used when present.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hallmark::safety_probes {

enum class ProbeLabel { harmful, benign };

std::string_view label_name(ProbeLabel label);

struct Probe {
  std::string id;        // unique within a set; "FILESTEM-N" (1-based) when the file has none
  std::string prompt;
  ProbeLabel label = ProbeLabel::harmful;
  std::string category;  // free text ("weapons", "homonyms", ...); may be empty
  std::string source;    // the file it came from
};

enum class ProbeFormat { automatic, jsonl, advbench, harmbench, xstest };

// "auto", "jsonl", "advbench", "harmbench", "xstest"; throws InputError for anything else.
ProbeFormat parse_probe_format(std::string_view name);

// Loads a probe file. `automatic` picks jsonl for a .jsonl file and, for a CSV file, the layout
// whose key column the header has (goal -> advbench, Behavior -> harmbench, prompt -> xstest).
// Throws InputError with one line naming the file (and line or column) for a malformed line, a
// missing column, an unknown label, an empty prompt or a repeated id.
std::vector<Probe> load_probes(const std::filesystem::path& path,
                               ProbeFormat format = ProbeFormat::automatic);

// Parsers over text already in memory; `file` names it in errors and ids.
std::vector<Probe> parse_probes_jsonl(std::string_view text, const std::string& file);
std::vector<Probe> parse_probes_csv(std::string_view text, const std::string& file,
                                    ProbeFormat format = ProbeFormat::automatic);

// Writes probes in hallmark's JSONL format (keys sorted, one object per line).
std::string probes_to_jsonl(const std::vector<Probe>& probes);

}  // namespace hallmark::safety_probes
