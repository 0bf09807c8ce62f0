#!/usr/bin/python3
"""PyTorch timing reference for `l2l bench`: seconds per meta-training epoch of
"Learning to learn by gradient descent by gradient descent" (Andrychowicz et al. 2016).

One epoch: a fresh optimizee task, horizon 100 in 5 truncations of 20 steps. In each
truncation the optimizee's gradient g_t at theta_t is computed and detached (first order),
the coordinatewise two-layer LSTM (20 units each) proposes delta_t, theta_{t+1} = theta_t +
delta_t, and the meta-loss sum_{t=0..20} f(theta_t) is backpropagated to the LSTM's weights
for one Adam step (lr 1e-3). theta and the LSTM state carry over between truncations, detached.
float32 on CPU; every coordinate of theta is one row of the LSTM's batch. --bench-threads sets
torch's thread count; OpenBLAS, which torch.set_num_threads does not reach, is kept at one.

  quadratic  mean over 128 functions of ||W_b x_b - y_b||^2, x_b in R^10 (1280 coordinates)
  mnist      784-20-10 sigmoid MLP, softmax cross-entropy, minibatches of 128 (15910 coordinates)
  lstm       raw gradient (quadratic, scale 1) or log-and-sign k=5 (mnist, scale 0.01)
  rnnprop    Adam's normalised gradient and momentum (beta 0.95), delta = 0.1 tanh(w.h + b)

Run with Debian's interpreter (torch 1.13; standard library, torch only):
  /usr/bin/python3 torch_meta_epoch.py --bench-epochs 20 --bench-warmup 5 --bench-threads 1,2 \
      --architecture lstm,rnnprop --json out.json
  /usr/bin/python3 torch_meta_epoch.py --problem mnist --mnist-dir DIR   # DIR: raw IDX files, .gz or not
  /usr/bin/python3 torch_meta_epoch.py --check   # trains 50 epochs, prints the first and last meta-losses
The timings go to stdout, one line per architecture and thread count, and with --json FILE to
{"torch_version", "blas_libs", "blas_threads", "problem", "bench": [{"architecture", "threads", "median_s_per_epoch",
"mean_s_per_epoch", "min_s_per_epoch", "timed_epochs", "warmup_epochs"}, ...]}. --bench-only is ignored.
"""
import argparse, ctypes, gzip, json, math, os, statistics, struct, sys, time

import torch
import torch.nn.functional as F

HORIZON, UNROLL, HIDDEN, META_LR = 100, 20, 20, 1e-3


class Quadratic:
    """A task: f(x) = mean_b ||W_b x_b - y_b||^2, W, y ~ U[0,1), x0 ~ N(0, 0.01^2)."""
    size = 128 * 10

    def __init__(self, gen):
        self.w = torch.rand(128, 10, 10, generator=gen)
        self.y = torch.rand(128, 10, generator=gen)
        self.theta0 = 0.01 * torch.randn(self.size, generator=gen)

    def loss(self, theta):
        r = torch.bmm(self.w, theta.view(128, 10, 1)).squeeze(2) - self.y
        return r.square().sum(1).mean()


class Mnist:
    """A task: the 784-20-10 sigmoid MLP from N(0, 0.01^2), a new minibatch at every call of f."""
    shapes = [(784, 20), (20,), (20, 10), (10,)]
    size = sum(math.prod(s) for s in shapes)

    def __init__(self, gen, images, labels):
        self.gen, self.images, self.labels = gen, images, labels
        self.theta0 = 0.01 * torch.randn(self.size, generator=gen)

    def loss(self, theta):
        sizes = [math.prod(s) for s in self.shapes]
        w1, b1, w2, b2 = (p.view(s) for p, s in zip(theta.split(sizes), self.shapes))
        idx = torch.randint(len(self.labels), (128,), generator=self.gen)
        x = self.images[idx].float() / 255.0
        return F.cross_entropy(torch.sigmoid(x @ w1 + b1) @ w2 + b2, self.labels[idx])


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def load_mnist(folder):
    """Training images (N, 784) uint8 and labels (N,) int64 from raw IDX files, gzipped or not."""
    if not folder:
        fail("mnist: no folder given (--mnist-dir DIR, DIR holding train-images-idx3-ubyte, train-labels-idx1-ubyte)")
    if not os.path.isdir(folder):
        fail(f"mnist: folder {folder} does not exist")
    tensors, missing = [], []
    for stem in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
        paths = [os.path.join(folder, stem + suffix) for suffix in ("", ".gz")]
        path = next((p for p in paths if os.path.isfile(p)), None)
        if path is None:
            missing.append(stem + "[.gz]")
            continue
        with open(path, "rb") as fh:
            data = fh.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        ndim = data[3]
        dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
        tensors.append(torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).view(dims))
    if missing:
        fail(f"mnist: folder {folder} lacks {' and '.join(missing)}")
    images, labels = tensors
    return images.reshape(len(images), 784), labels.long()


class CoordinatewiseLSTM(torch.nn.Module):
    """Two LSTM layers over all coordinates at once (shared weights), then Δ = scale·head(w·h + b)."""

    def __init__(self, features, scale, head):
        super().__init__()
        self.features, self.scale, self.head = features, scale, head
        n_in = {"raw": 1, "log-sign": 2, "adam": 2}[features]
        self.w, self.b = torch.nn.ParameterList(), torch.nn.ParameterList()
        # Sonnet's initialisation: normal truncated at 2 std, std 1/sqrt(fan-in), gate biases too
        normal = lambda fan_in, *shape: torch.nn.Parameter(torch.nn.init.trunc_normal_(
            torch.empty(shape), 0, fan_in ** -0.5, -2 * fan_in ** -0.5, 2 * fan_in ** -0.5))
        for _ in range(2):
            self.w.append(normal(n_in + HIDDEN, n_in + HIDDEN, 4 * HIDDEN))
            self.b.append(normal(n_in + HIDDEN, 4 * HIDDEN))
            n_in = HIDDEN
        self.w_out, self.b_out = normal(HIDDEN, HIDDEN, 1), torch.nn.Parameter(torch.zeros(1))

    def initial_state(self, n):
        zeros = lambda: torch.zeros(n, HIDDEN)
        return {"lstm": [(zeros(), zeros()) for _ in self.w], "m": torch.zeros(n), "v": torch.zeros(n), "t": 0}

    def inputs(self, g, s):
        if self.features == "raw":
            return g.unsqueeze(1), s
        if self.features == "log-sign":  # k = 5
            eps = torch.finfo(g.dtype).eps
            return torch.stack([(torch.log(g.abs() + eps) / 5).clamp(min=-1), (g * math.exp(5)).clamp(-1, 1)], 1), s
        m, v, t = 0.95 * s["m"] + 0.05 * g, 0.95 * s["v"] + 0.05 * g * g, s["t"] + 1
        denominator = (v / (1 - 0.95 ** t)).sqrt() + 1e-8
        return torch.stack([g / denominator, m / (1 - 0.95 ** t) / denominator], 1), dict(s, m=m, v=v, t=t)

    def forward(self, g, s):
        x, s = self.inputs(g, s)
        layers = []
        for w, b, (h, c) in zip(self.w, self.b, s["lstm"]):
            i, j, f, o = torch.addmm(b, torch.cat([x, h], 1), w).chunk(4, 1)
            c = torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)
            x = h = torch.sigmoid(o) * torch.tanh(c)
            layers.append((h, c))
        out = torch.addmm(self.b_out, x, self.w_out).squeeze(1)
        return self.scale * (torch.tanh(out) if self.head == "tanh" else out), dict(s, lstm=layers)


def make_net(architecture, problem):
    if architecture == "rnnprop":
        return CoordinatewiseLSTM("adam", 0.1, "tanh")
    if problem == "quadratic":
        return CoordinatewiseLSTM("raw", 1.0, "linear")
    return CoordinatewiseLSTM("log-sign", 0.01, "linear")


def meta_epoch(net, meta_opt, task):
    """One meta-training epoch on a task; returns the mean f(theta_t) over its truncations."""
    theta, state, total = task.theta0, net.initial_state(task.size), 0.0
    params = list(net.parameters())
    for _ in range(HORIZON // UNROLL):
        theta = theta.detach().requires_grad_()
        state = {k: [(h.detach(), c.detach()) for h, c in v] if k == "lstm" else v for k, v in state.items()}
        meta_loss = 0.0
        for _ in range(UNROLL):
            f = task.loss(theta)
            g, = torch.autograd.grad(f, theta, retain_graph=True)  # detached: first order
            delta, state = net(g, state)
            meta_loss, theta = meta_loss + f, theta + delta
        meta_loss = meta_loss + task.loss(theta)
        meta_opt.zero_grad(set_to_none=True)
        meta_loss.backward(inputs=params)
        meta_opt.step()
        total += meta_loss.item()
    return total / (HORIZON // UNROLL * (UNROLL + 1))


def setup(args, architecture, seed):
    torch.manual_seed(seed)
    net = make_net(architecture, args.problem)
    gen = torch.Generator().manual_seed(seed)
    new_task = (lambda: Quadratic(gen)) if args.problem == "quadratic" else (lambda: Mnist(gen, *args.data))
    return net, torch.optim.Adam(net.parameters(), lr=META_LR), new_task


def bench(args, architecture, threads):
    set_threads(threads)
    net, opt, new_task = setup(args, architecture, 10_000 + threads)
    for _ in range(args.bench_warmup):
        meta_epoch(net, opt, new_task())
    times = []
    for _ in range(args.bench_epochs):
        t0 = time.perf_counter()
        meta_epoch(net, opt, new_task())  # sampling the task is part of the epoch, as in l2l
        times.append(time.perf_counter() - t0)
    return {"architecture": architecture, "threads": threads, "median_s_per_epoch": statistics.median(times),
            "mean_s_per_epoch": statistics.mean(times), "min_s_per_epoch": min(times),
            "timed_epochs": len(times), "warmup_epochs": args.bench_warmup}


def mapped_libs(keys):
    """The shared objects mapped into this process whose names contain one of keys."""
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "/" in line}
    except OSError:
        return []
    return sorted({os.path.realpath(p) for p in paths if any(k in os.path.basename(p) for k in keys)})


def set_threads(t):
    """t threads for torch's own (OpenMP) pool, one for Debian's OpenBLAS behind libblas.so.3, which
    torch.set_num_threads does not reach: at its default (all cores) it ran every product on two
    cores at "one thread", and at two its threads and torch's fought over the two cores, 3-4 times
    slower than torch 2 + OpenBLAS 1; the products here are too small to gain from threads."""
    torch.set_num_threads(t)
    for path in mapped_libs(["openblas"]):
        try:
            ctypes.CDLL(path).openblas_set_num_threads(1)
        except (OSError, AttributeError):
            pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--problem", choices=["quadratic", "mnist"], default="quadratic")
    p.add_argument("--architecture", default="lstm", help="lstm, rnnprop or a comma list of both")
    p.add_argument("--mnist-dir", help="folder with train-images-idx3-ubyte and train-labels-idx1-ubyte (.gz or not)")
    p.add_argument("--bench-epochs", type=int, default=20)
    p.add_argument("--bench-warmup", type=int, default=5)
    p.add_argument("--bench-threads", default="1,2")
    p.add_argument("--json", help="write the timings to this file")
    p.add_argument("--check", action="store_true", help="train 50 epochs at the first thread count instead of timing")
    p.add_argument("--bench-only", action="store_true", help="accepted and ignored (compatibility)")
    args = p.parse_args()
    architectures = args.architecture.split(",")
    if any(a not in ("lstm", "rnnprop") for a in architectures):
        p.error(f"--architecture: expected lstm, rnnprop or a comma list of them, got {args.architecture!r}")
    threads = [int(t) for t in args.bench_threads.split(",")]
    args.data = load_mnist(args.mnist_dir) if args.problem == "mnist" else None

    if args.check:
        set_threads(threads[0])
        falls = True
        for a in architectures:
            net, opt, new_task = setup(args, a, 1)
            losses = [meta_epoch(net, opt, new_task()) for _ in range(50)]
            first, last = statistics.mean(losses[:5]), statistics.mean(losses[-5:])
            print(f"{args.problem} {a}: mean f over an epoch: epoch 1 {losses[0]:.4g}, epoch 50 {losses[-1]:.4g}; "
                  f"epochs 1-5 {first:.4g}, epochs 46-50 {last:.4g} ({'falls' if last < first else 'DOES NOT FALL'})")
            falls = falls and last < first
        return 0 if falls else 1

    results = []
    for a in architectures:
        for t in threads:
            r = bench(args, a, t)
            results.append(r)
            print(f"torch {args.problem} {a} threads={t}: {r['median_s_per_epoch']:.4f} s/epoch median, "
                  f"{r['mean_s_per_epoch']:.4f} mean, {r['min_s_per_epoch']:.4f} min ({r['timed_epochs']} epochs)",
                  flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            libs = mapped_libs(["blas", "lapack", "mkl", "dnnl"])
            json.dump({"torch_version": torch.__version__, "blas_libs": libs, "blas_threads": 1,
                       "problem": args.problem, "bench": results}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
