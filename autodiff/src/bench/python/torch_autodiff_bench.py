#!/usr/bin/python3
"""PyTorch (CPU) counterparts of l2l's autodiff benchmarks (MlpBench, LstmStepBench).

Cases, each timed in float64 (like-for-like: l2l computes in double) and float32:

  mlp.value_and_grad   784-20-10 sigmoid MLP, softmax cross-entropy averaged over a
                       batch of 128 random inputs in [0, 1) with random labels; loss and
                       gradient w.r.t. W1 (784x20), b1, W2 (20x10), b2.
  mlp.forward          the same loss under torch.no_grad().
  lstm.forward         one step of a two-layer coordinatewise LSTM of 20 units over
                       --rows rows (coordinates; input width 1 for layer 1), then a linear
                       20->1 output, under torch.no_grad().  Cell as in the reference
                       (torch_l2l.py / Sonnet v1 snt.LSTM): gates = [x, h] W + b, split
                       (i, j, f, o); c' = sig(f + 1) c + sig(i) tanh(j); h' = tanh(c') sig(o).
  lstm.forward_backward the same step and the gradient of sum(outputs) w.r.t. all six
                       weights (W_0, b_0, W_1, b_1, w_out, b_out); inputs and states are
                       constants (no gradient).

GFLOPS counts matrix-multiply FLOPs only (2*m*n*k per product; element-wise work,
sigmoid/tanh/softmax/log and bias adds are not counted), with B = batch, N = rows:
  mlp.forward          2*B*(784*20 + 20*10)
  mlp.value_and_grad   forward + dW1 2*B*784*20 + dW2 2*B*20*10 + dh 2*B*10*20
                       (no gradient for the input, so no dX of the first layer)
  lstm.forward         2*N*((1+20)*80 + (20+20)*80 + 20*1)
  lstm.forward_backward forward + weight grads (same as forward)
                       + grad of layer 2's input [h1, h_prev] 2*N*80*40 + grad of the
                       output layer's input 2*N*20
                       (layer 1's input [g, h_prev] needs no gradient)
For the defaults (B = 128, N = 10,000): 4.07, 8.18, 98.0 and 260.4 MFLOP.

Timing: per case, warm-up (at least --warmup calls and --warmup-s seconds), then
--reps repetitions, each timing --inner back-to-back calls (auto-chosen so one
repetition lasts >= --min-rep-ms); the median (and min, p10, p90) over the
repetitions of the per-call wall time is reported, plus the median process CPU
time per call ("cpu µs", all threads summed; at 1 thread it estimates the
uncontended time when other jobs share the cores, at 2 threads it also counts
OpenMP spin-waiting).

Memory: by default glibc hands out blocks above its (dynamic) mmap threshold as
fresh mappings, so the float64 LSTM tensors (6.4 MB) page-fault on every call;
--malloc-tune removes that (measured at 1 thread: float64 LSTM forward about 2x,
forward+backward 3-4x faster; the default runs are bimodal).  Report both.

Run with Debian's interpreter (python3-torch, libopenblas0-openmp):
    /usr/bin/python3 torch_autodiff_bench.py --threads 1 --json t1.json
    /usr/bin/python3 torch_autodiff_bench.py --threads 2 --json t2.json
    /usr/bin/python3 torch_autodiff_bench.py --threads 1 --malloc-tune --json t1m.json
"""

import argparse
import ctypes
import ctypes.util
import json
import math
import os
import platform
import statistics
import time

import torch
from torch.nn import functional as F

H = 20  # LSTM units per layer
IN, HID, OUT = 784, 20, 10  # MLP sizes


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------

def make_mlp(dtype, batch, gen):
    x = torch.rand(batch, IN, generator=gen, dtype=torch.float64).to(dtype)
    labels = torch.randint(0, OUT, (batch,), generator=gen)
    params = [torch.randn(s, generator=gen, dtype=torch.float64).mul_(0.01).to(dtype).requires_grad_(True)
              for s in ((IN, HID), (HID,), (HID, OUT), (OUT,))]

    def loss(p):
        w1, b1, w2, b2 = p
        h = torch.sigmoid(torch.addmm(b1, x, w1))
        return F.cross_entropy(torch.addmm(b2, h, w2), labels)  # mean over the batch

    def value_and_grad():
        v = loss(params)
        g = torch.autograd.grad(v, params)
        return v, g

    def forward():
        with torch.no_grad():
            return loss(params)

    fwd = 2 * batch * (IN * HID + HID * OUT)
    vg = fwd + 2 * batch * IN * HID + 2 * batch * HID * OUT + 2 * batch * OUT * HID
    return [("mlp.value_and_grad", value_and_grad, vg), ("mlp.forward", forward, fwd)]


def make_lstm(dtype, rows, gen):
    def normal(shape, std):
        return torch.randn(shape, generator=gen, dtype=torch.float64).mul_(std).to(dtype)

    def uniform(shape):
        return (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).to(dtype)

    g = normal((rows, 1), 1.0)
    state = [(uniform((rows, H)), uniform((rows, H))) for _ in range(2)]  # (h, c) per layer
    s0, s1 = 1 / math.sqrt(1 + H), 1 / math.sqrt(2 * H)
    params = [normal((1 + H, 4 * H), s0), normal((4 * H,), s0),
              normal((2 * H, 4 * H), s1), normal((4 * H,), s1),
              normal((H, 1), 1 / math.sqrt(H)), torch.zeros(1, dtype=dtype)]
    for p in params:
        p.requires_grad_(True)

    def cell(x, h, c, w, b):
        gates = torch.addmm(b, torch.cat([x, h], dim=1), w)
        i, j, f, o = gates.chunk(4, dim=1)
        c2 = torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)
        return torch.tanh(c2) * torch.sigmoid(o), c2

    def step(p):
        w0, b0, w1, b1, wo, bo = p
        h0, _ = cell(g, state[0][0], state[0][1], w0, b0)
        h1, _ = cell(h0, state[1][0], state[1][1], w1, b1)
        return torch.addmm(bo, h1, wo)

    def forward():
        with torch.no_grad():
            return step(params)

    def forward_backward():
        out = step(params)
        return torch.autograd.grad(out.sum(), params)

    fwd = 2 * rows * ((1 + H) * 4 * H + (2 * H) * 4 * H + H * 1)
    fb = 2 * fwd + 2 * rows * 4 * H * 2 * H + 2 * rows * H
    return [("lstm.forward", forward, fwd), ("lstm.forward_backward", forward_backward, fb)]


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------

def time_case(fn, warmup, warmup_s, reps, min_rep_ms):
    t_end = time.perf_counter() + warmup_s
    n = 0
    while n < warmup or time.perf_counter() < t_end:
        fn()
        n += 1
    # calibrate inner loop so one repetition lasts >= min_rep_ms
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    inner = max(1, int(math.ceil(min_rep_ms / 1e3 / max(one, 1e-9))))
    per_call, cpu_per_call = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        per_call.append((time.perf_counter() - t0) / inner)
        cpu_per_call.append((time.process_time() - c0) / inner)
    per_call.sort()
    q = statistics.quantiles(per_call, n=10) if len(per_call) >= 2 else per_call * 9
    return {"warmup_calls": n, "reps": reps, "inner": inner,
            "median_us": statistics.median(per_call) * 1e6, "min_us": per_call[0] * 1e6,
            "p10_us": q[0] * 1e6, "p90_us": q[-1] * 1e6,
            # CPU time of the whole process (all threads) per call: on a shared,
            # oversubscribed machine this is the better 1-thread estimate.
            "cpu_median_us": statistics.median(cpu_per_call) * 1e6}


def tune_malloc():
    """glibc: serve large blocks from the heap instead of fresh mmap()s, and never
    trim it, so steady-state calls do not page-fault on new tensors.  Without this,
    float64 LSTM tensors (10,000 x 80 x 8 B = 6.4 MB) are mmap'd and unmapped on
    every call and the page faults roughly double the float64 times."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    m_trim_threshold, m_mmap_threshold = -1, -3
    ok = libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024)  # glibc's maximum on 64-bit
    ok &= libc.mallopt(m_trim_threshold, 1 << 30)
    return bool(ok)


def loaded_blas():
    libs = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                path = line.split()[-1]
                if any(k in os.path.basename(path) for k in ("blas", "lapack", "mkl", "gomp")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op)")
    p.add_argument("--json", type=str, default=None, help="write results JSON here")
    p.add_argument("--dtypes", type=str, default="float64,float32")
    p.add_argument("--cases", type=str, default="mlp,lstm", help="comma list of mlp, lstm")
    p.add_argument("--batch", type=int, default=128, help="MLP batch")
    p.add_argument("--rows", type=int, default=10000, help="LSTM rows (coordinates)")
    p.add_argument("--warmup", type=int, default=20, help="minimum warm-up calls per case")
    p.add_argument("--warmup-s", type=float, default=1.0, help="minimum warm-up seconds per case")
    p.add_argument("--reps", type=int, default=51, help="timed repetitions per case")
    p.add_argument("--min-rep-ms", type=float, default=20.0, help="minimum duration of one repetition")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--malloc-tune", action="store_true",
                   help="mallopt: no mmap for blocks < 32 MB, no heap trimming (see tune_malloc)")
    args = p.parse_args()
    if args.malloc_tune and not tune_malloc():
        p.error("mallopt failed")

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    load0 = os.getloadavg()
    env = {"torch": torch.__version__, "python": platform.python_version(),
           "cpu_count": os.cpu_count(), "threads": torch.get_num_threads(),
           "blas_libs": None, "loadavg_start": load0,
           "date": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    env["malloc_tune"] = args.malloc_tune
    print(f"torch {torch.__version__} | python {platform.python_version()} | {os.cpu_count()} cpus | "
          f"threads {torch.get_num_threads()} | malloc-tune {args.malloc_tune} | loadavg {load0[0]:.2f}",
          flush=True)

    results = []
    wanted = set(args.cases.split(","))
    for dname in args.dtypes.split(","):
        dtype = getattr(torch, dname)
        gen = torch.Generator().manual_seed(args.seed)
        cases = []
        if "mlp" in wanted:
            cases += make_mlp(dtype, args.batch, gen)
        if "lstm" in wanted:
            cases += make_lstm(dtype, args.rows, gen)
        for name, fn, flops in cases:
            r = time_case(fn, args.warmup, args.warmup_s, args.reps, args.min_rep_ms)
            r.update({"case": name, "dtype": dname, "threads": args.threads, "flops": flops,
                      "gflops_median": flops / (r["median_us"] * 1e3)})
            results.append(r)
            print(f"  {name:<22}{dname:<8} {r['median_us']:10.1f} us  (min {r['min_us']:.1f}, "
                  f"p10 {r['p10_us']:.1f}, p90 {r['p90_us']:.1f}; {r['reps']}x{r['inner']})", flush=True)
    env["blas_libs"] = loaded_blas()
    env["loadavg_end"] = os.getloadavg()

    print()
    print(f"{'case':<23}{'dtype':<9}{'threads':>7}{'median µs':>12}{'min µs':>11}{'cpu µs':>11}"
          f"{'MFLOP':>9}{'GFLOPS':>8}")
    for r in results:
        print(f"{r['case']:<23}{r['dtype']:<9}{r['threads']:>7}{r['median_us']:>12.1f}{r['min_us']:>11.1f}"
              f"{r['cpu_median_us']:>11.1f}{r['flops'] / 1e6:>9.2f}{r['gflops_median']:>8.2f}")
    print("GFLOPS = matmul FLOPs (see --help for the formulas) / median time; "
          f"BLAS: {', '.join(env['blas_libs']) or '?'}; loadavg {env['loadavg_start'][0]:.2f} -> "
          f"{env['loadavg_end'][0]:.2f}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"env": env, "settings": vars(args), "results": results}, fh, indent=1)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
