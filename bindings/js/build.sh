#!/bin/sh
# Builds the WebAssembly module and its JavaScript glue: pkg/node (CommonJS, for Node.js) and
# pkg/web (an ES module, for browsers and bundlers). Needs the wasm32-unknown-unknown target
# and wasm-bindgen-cli of exactly the version in Cargo.toml:
#   rustup target add wasm32-unknown-unknown
#   cargo install wasm-bindgen-cli --version 0.2.130
set -eu
cd "$(dirname "$0")"
version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    echo "wasm-bindgen-cli $version is needed: cargo install wasm-bindgen-cli --version $version" >&2
    exit 1
fi
cargo build --release --target wasm32-unknown-unknown
target=$(cargo metadata --format-version 1 --no-deps |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
wasm="$target/wasm32-unknown-unknown/release/session_infra.wasm"
rm -rf pkg
wasm-bindgen --target nodejs --out-dir pkg/node "$wasm"
wasm-bindgen --target web --out-dir pkg/web "$wasm"
echo "built pkg/node and pkg/web ($(wc -c < pkg/web/session_infra_bg.wasm) bytes of wasm)"
