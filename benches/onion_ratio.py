#!/usr/bin/env python3
"""Prints the onion benchmark ratios (mean times) from the last `cargo bench --bench onion` run.

With `--runs FILE...`: summarises the paired ratios printed by several runs of the bench (each
run's output saved to a file), giving the minimum and the median over the runs of each run's
median ratio, e.g. the ratios to libsodium:

    cargo bench -p session-benches --bench onion --features compare-libsodium --no-run
    for i in 1 2 3 4 5; do target/release/deps/onion-<hash> --bench ratio > run-$i.txt; done
    python3 benches/onion_ratio.py --runs run-*.txt

build / primitives: the whole 3-hop + destination onion vs. the sum of its per-layer primitives
(X25519 key generation + shared secret + KDF + AEAD seal over the layer); target <= 1.10.
open_request / primitives: peeling one layer vs. parse + shared secret + KDF + AEAD open;
target <= 1.10.
"""
import json, os, re, statistics, sys

if len(sys.argv) > 1 and sys.argv[1] == "--runs":
    medians, backends = {}, set()
    for path in sys.argv[2:]:
        with open(path) as f:
            for line in f:
                m = re.match(r"ratio (.+): median ([0-9.]+)", line)
                if m:
                    medians.setdefault(m.group(1), []).append(float(m.group(2)))
                elif line.startswith("x25519 backend:"):
                    backends.add(line.split(":", 1)[1].strip())
    print(f"x25519 backend: {', '.join(sorted(backends))}; {len(sys.argv) - 2} runs")
    print("| ratio | min | median |")
    print("|---|---|---|")
    for name, values in medians.items():
        print(f"| {name} | {min(values):.3f} | {statistics.median(values):.3f} |")
    sys.exit(0)

root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"

def mean(group, fn, size):
    path = os.path.join(root, group, fn, str(size), "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["mean"]["point_estimate"]

print("| operation | cipher | payload | ours (µs) | primitives (µs) | ratio | target |")
print("|---|---|---|---|---|---|---|")
for op, fn in (("build", "build"), ("peel", "open_request")):
    for enc in ("xchacha20", "aes-gcm"):
        for size in (1024, 65536):
            g = f"onion_{op}_{enc}"
            ours, prim = mean(g, fn, size), mean(g, "primitives", size)
            print(f"| {op} | {enc} | {size // 1024} KiB | {ours / 1000:.1f} | {prim / 1000:.1f} | {ours / prim:.3f} | ≤ 1.10 |")
for enc in ("xchacha20", "aes-gcm"):
    for size in (1024, 65536):
        g = f"onion_reply_{enc}"
        e, d = mean(g, "encrypt", size), mean(g, "decrypt", size)
        print(f"| reply encrypt / decrypt | {enc} | {size // 1024} KiB | {e / 1000:.2f} / {d / 1000:.2f} | | | |")
