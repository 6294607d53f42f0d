#include "zoo/src/workers.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hallmark::zoo {

void run_in_workers(size_t count, int workers, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    // With libtorch's OpenMP backend the intra-op thread count is per calling thread, and CPU
    // autograd runs backward in the thread that calls it, so this covers the whole step.
    at::set_num_threads(1);
    for (size_t i = next++; i < count && !failed; i = next++) {
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  size_t n = std::min(count, static_cast<size_t>(std::max(1, workers)));
  std::vector<std::thread> threads;
  for (size_t t = 0; t < n; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace hallmark::zoo
