// Runs independent jobs in worker threads, each with one ATen intra-op thread. Training a model
// on one intra-op thread gives the same bytes whichever worker runs it and however many run at
// once; parallelism comes from training several models at the same time instead.
#pragma once

#include <cstddef>
#include <functional>

namespace hallmark::zoo {

// Calls job(0) .. job(count - 1), at most `workers` at a time (at least one), in worker
// threads that take the next index as they finish. Rethrows the first exception after every
// worker has stopped; jobs not yet started when one throws are skipped.
void run_in_workers(size_t count, int workers, const std::function<void(size_t)>& job);

}  // namespace hallmark::zoo
