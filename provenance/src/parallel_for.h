// A small work-sharing loop: `threads` workers take indices from a shared counter. The first
// exception thrown by any task is rethrown on the calling thread after all workers stop.
#pragma once

#include <cstddef>
#include <functional>

namespace hallmark::provenance::detail {

void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& task);

}  // namespace hallmark::provenance::detail
