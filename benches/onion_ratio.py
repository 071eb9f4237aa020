#!/usr/bin/env python3
"""Prints the onion benchmark ratios (mean times) from the last `cargo bench --bench onion` run.

build / primitives: the whole 3-hop + destination onion vs. the sum of its per-layer primitives
(X25519 key generation + shared secret + KDF + AEAD seal over the layer); target <= 1.10.
open_request / primitives: peeling one layer vs. parse + shared secret + KDF + AEAD open;
target <= 1.10.
"""
import json, os, sys

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
