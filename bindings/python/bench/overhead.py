"""Per-call overhead of the Python module: each operation called from Python and the same
operation looped in Rust (one call of session_infra._rust_loop), interleaved in one process.
Prints, per operation, the time per call of both and their ratio (min and median over the
rounds).

    pip install ./bindings/python && python bindings/python/bench/overhead.py
"""

import statistics
import time

import session_infra as si

ROUNDS = 15
ACCOUNT = "0577cb6c50ed49a2c45e383ac3ca855375c68300f7ff0c803ea93cb18437d61f46"
NODES = [si.Identity.from_seed(bytes([i]) * 32).ed25519_public for i in range(1, 5)]
SEED = bytes([7]) * 16
DATA = bytes(100)


def session_id(n):
    for _ in range(n):
        si.Identity.from_seed(SEED).session_id


def message_hash(n):
    for _ in range(n):
        si.message_hash(ACCOUNT, 0, DATA)


def onion_build(n):
    hops, node = NODES[:3], NODES[3]
    for _ in range(n):
        si.build_onion_to_node(hops, node, DATA)


CASES = [
    ("session_id_from_seed", 2_000, session_id),
    ("message_hash_100", 20_000, message_hash),
    ("onion_build", 300, onion_build),
]


def timed(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def main():
    print("operation             rust ns/call   Python ns/call   ratio min   ratio median")
    for op, n, call in CASES:
        rust, py, ratio = [], [], []
        for _ in range(ROUNDS):
            r = timed(lambda: si._rust_loop(op, n)) / n * 1e9
            p = timed(lambda: call(n)) / n * 1e9
            rust.append(r)
            py.append(p)
            ratio.append(p / r)
        print(
            f"{op:<21} {statistics.median(rust):>12.0f} {statistics.median(py):>16.0f}"
            f" {min(ratio):>11.3f} {statistics.median(ratio):>14.3f}"
        )


if __name__ == "__main__":
    main()
