// Loads the package in headless Chromium and computes a Session ID from a phrase in the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { extname, normalize, join } from "node:path";
import { fileURLToPath } from "node:url";

import { Identity } from "session-infra";

const root = fileURLToPath(new URL("..", import.meta.url));
const vectors = JSON.parse(
  readFileSync(new URL("../../testdata/vectors.json", import.meta.url), "utf8"),
);
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

function chromium() {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    if (spawnSync(name, ["--version"]).status === 0) return name;
  }
  return null;
}

/** Serves the package directory on 127.0.0.1 (an ephemeral port). */
async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** The DOM of `url` once the page's module has run. */
function dumpDom(browser, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(browser, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--virtual-time-budget=20000",
      "--dump-dom",
      url,
    ]);
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("chromium timed out:\n" + err));
    }, 90_000);
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", () => {
      clearTimeout(timer);
      resolve({ out, err });
    });
  });
}

const browser = chromium();

test("headless Chromium computes a Session ID from a phrase", { skip: !browser && "chromium is not installed" }, async () => {
  const server = await serve();
  try {
    const { port } = server.address();
    const phrase = vectors.phrase.phrase;
    const url = `http://127.0.0.1:${port}/tests/browser.html?phrase=${encodeURIComponent(phrase)}`;
    const { out, err } = await dumpDom(browser, url);
    const match = out.match(/<pre id="out">([^<]*)<\/pre>/);
    assert.ok(match, "no result in the page:\n" + out + "\n" + err);
    const text = match[1].replaceAll("&quot;", '"');
    assert.ok(!text.startsWith("error") && text !== "pending", text + "\n" + err);
    const result = JSON.parse(text);
    assert.equal(result.sessionId, Identity.fromPhrase(phrase).sessionId);
    assert.equal(result.sessionId, Identity.fromSeed(Buffer.from(vectors.phrase.seed16, "hex")).sessionId);
    assert.match(result.generated, /^05[0-9a-f]{64}$/);
    assert.equal(result.generatedAgain, result.generated);
  } finally {
    server.close();
  }
});
