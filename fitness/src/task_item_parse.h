#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "fitness/task.h"

namespace hallmark::fitness {

// One item from its JSON object; errors are InputError("WHERE: REASON").
TaskItem parse_task_item(const nlohmann::json& j, const std::string& where, int64_t line);

}  // namespace hallmark::fitness
