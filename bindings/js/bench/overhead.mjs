// Per-call overhead of the npm package in Node.js: each operation called from JavaScript and
// the same operation looped inside the WebAssembly module (one call of _rustLoop),
// interleaved in one process. Prints, per operation, the time per call of both and their
// ratio (min and median over the rounds).
//
//   cd bindings/js && npm run build && node bench/overhead.mjs
import { performance } from "node:perf_hooks";

import { Identity, _rustLoop, buildOnionToNode, messageHash } from "session-infra";

const ROUNDS = 15;
const ACCOUNT = "0577cb6c50ed49a2c45e383ac3ca855375c68300f7ff0c803ea93cb18437d61f46";
const NODES = [1, 2, 3, 4].map((i) => Identity.fromSeed(new Uint8Array(32).fill(i)).ed25519Public);
const SEED = new Uint8Array(16).fill(7);
const DATA = new Uint8Array(100);

const cases = [
  ["session_id_from_seed", 2000, (n) => {
    for (let i = 0; i < n; i++) {
      const id = Identity.fromSeed(SEED);
      id.sessionId;
      id.free();
    }
  }],
  ["message_hash_100", 20000, (n) => {
    for (let i = 0; i < n; i++) messageHash(ACCOUNT, 0, DATA);
  }],
  ["onion_build", 300, (n) => {
    for (let i = 0; i < n; i++) buildOnionToNode(NODES.slice(0, 3), NODES[3], DATA).free();
  }],
];

const timed = (f) => {
  const start = performance.now();
  f();
  return (performance.now() - start) / 1000;
};
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

console.log("operation             wasm ns/call   JS ns/call   ratio min   ratio median");
for (const [op, n, call] of cases) {
  const rust = [], js = [], ratio = [];
  for (let r = 0; r < ROUNDS; r++) {
    const a = (timed(() => _rustLoop(op, n)) / n) * 1e9;
    const b = (timed(() => call(n)) / n) * 1e9;
    rust.push(a);
    js.push(b);
    ratio.push(b / a);
  }
  console.log(
    `${op.padEnd(21)} ${median(rust).toFixed(0).padStart(12)} ${median(js).toFixed(0).padStart(12)}` +
      ` ${Math.min(...ratio).toFixed(3).padStart(11)} ${median(ratio).toFixed(3).padStart(14)}`,
  );
}
