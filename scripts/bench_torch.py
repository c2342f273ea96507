#!/usr/bin/env python3
"""PyTorch quantized Linear throughput, the reference the golden model is compared with.

Usage: bench_torch.py K N BATCH [MIN_SECONDS]
Prints one JSON object per quantized engine this torch has (qnnpack, onednn, fbgemm),
single-threaded: {"k":..,"n":..,"batch":..,"engine":"onednn","gmac_per_s":..,"threads":1,
"timer":"cpu"}. Time is the process's CPU time, as in bench_dense, so a neighbour that
takes the core for a while on a shared machine is not counted on either side.
"""
import json
import sys
import time

import torch


def bench(k, n, batch, engine, min_s):
    torch.backends.quantized.engine = engine
    linear = torch.ao.nn.quantized.Linear(k, n, dtype=torch.qint8)
    w = torch.randint(-127, 128, (n, k)).float() * 0.01
    linear.set_weight_bias(torch.quantize_per_tensor(w, 0.01, 0, torch.qint8), torch.zeros(n))
    linear.scale, linear.zero_point = 0.5, 128
    x = torch.quantize_per_tensor(torch.rand(batch, k) * 2 - 1, 2.0 / 255, 128, torch.quint8)
    best = 0.0
    with torch.no_grad():
        linear(x)  # warm up (weight packing, first-call allocation)
        for _ in range(3):
            reps, t0 = 0, time.process_time()
            while True:
                linear(x)
                reps += 1
                t = time.process_time() - t0
                if t >= min_s:
                    break
            best = max(best, reps * k * n * batch / t * 1e-9)
    return best


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    k, n, batch = (int(a) for a in sys.argv[1:4])
    min_s = float(sys.argv[4]) if len(sys.argv) > 4 else 0.3
    torch.set_num_threads(1)
    for engine in torch.backends.quantized.supported_engines:
        if engine == "none":
            continue
        gmacs = bench(k, n, batch, engine, min_s)
        print(json.dumps({"k": k, "n": n, "batch": batch, "engine": engine,
                          "gmac_per_s": round(gmacs, 3), "threads": 1, "timer": "cpu"}),
              flush=True)


if __name__ == "__main__":
    main()
