#!/usr/bin/python3
"""Times the Python reference (tests/merge/reference_merge.py) per method on n x n fp32
tensors, with the same parameters as merge_bench.cc. Prints one line per method:
NAME MEDIAN_SECONDS."""
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "merge"))
import reference_merge as ref  # noqa: E402


def main():
    n, threads, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    methods = sys.argv[4:]
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    base, a, b = (torch.randn(n, n, generator=g) for _ in range(3))
    p = lambda w, d: {"weight": w, "density": d, "gamma": 0.01, "epsilon": 0.1, "scale": 1.0}
    models = [("a", a, p(0.6, 0.5)), ("b", b, p(0.4, 0.5))]
    for method in methods:
        def run():
            if method in ref.GTA:
                _, _, normalize, rescale = ref.GTA[method]
                g2 = {"normalize": normalize, "rescale": rescale, "lambda": 1.0, "rescale_mode": "l1"}
                return ref.gta(method, base, models, g2, "w", 1)
            if method == "linear":
                return (0.6 * a + 0.4 * b) / 1.0
            if method == "slerp":
                return ref.slerp(0.3, base, a)
            if method == "nuslerp":
                return base + ref.nuslerp(0.4, a - base, b - base, False, True)
            if method == "model_stock":
                return ref.model_stock(base, [a, b], False)
            raise SystemExit("unknown " + method)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        print(method, statistics.median(times), flush=True)


if __name__ == "__main__":
    main()
