#!/usr/bin/env node
// `npm run preview [-- --port N]`: serve the browser preview page on 127.0.0.1.
//
//   /                    www/               the page (index.html, ES modules, service worker)
//   /pkg/                pkg/               the built npm package (browser.js, orderhook_bg.wasm, …)
//   /examples/samples/   examples/samples/  the bundled sample payloads, plus a generated index.json
//
// The page imports "../pkg/browser.js" and fetches "../examples/samples/…", so the
// same files also work when the repository root is served by any static server
// (the page is then at /www/). No dependency: node:http only. Builds pkg/ first
// when it is missing. The port is --port N, or $PORT, or a free one.
//
// Also a module: `startPreviewServer({ port, host })` → { url, port, close() },
// used by the browser test.
import "./node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const S = "preview";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

// The page needs nothing from elsewhere; the policy makes that a promise the
// browser keeps: scripts, styles and fetches only from this origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** URL prefix → directory, first match wins. */
function mounts(rootDir) {
  return [
    ["/pkg/", path.join(rootDir, "pkg")],
    ["/examples/samples/", path.join(rootDir, "examples", "samples")],
    ["/", path.join(rootDir, "www")],
  ];
}

/** The sample files, for the page's sample buttons: ["polar.order.paid.json", …]. */
export function sampleNames(rootDir = root) {
  const dir = path.join(rootDir, "examples", "samples");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "index.json" && !f.startsWith("."))
    .sort();
}

function send(res, status, type, body, head = false) {
  res.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  res.end(head ? undefined : body);
}

function handler(rootDir) {
  const table = mounts(rootDir);
  return (req, res) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.setHeader("allow", "GET, HEAD");
      return send(res, 405, "text/plain; charset=utf-8", "method not allowed\n");
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "bad request\n");
    }
    if (pathname.includes("\0")) return send(res, 400, "text/plain; charset=utf-8", "bad request\n");
    if (pathname === "/examples/samples/index.json") {
      return send(res, 200, MIME[".json"], JSON.stringify(sampleNames(rootDir)) + "\n", head);
    }
    const [prefix, dir] = table.find(([p]) => pathname.startsWith(p));
    let rel = pathname.slice(prefix.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(dir, rel);
    // No way out of the mounted folder, and no dotfiles (pkg/.wasm-stamp).
    if (!file.startsWith(dir + path.sep) || rel.split("/").some((s) => s.startsWith("."))) {
      return send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
    }
    let stat;
    try {
      stat = statSync(file);
    } catch {
      stat = null;
    }
    if (!stat || !stat.isFile()) {
      const hint = prefix === "/pkg/" ? " (run `npm run build` to create pkg/)" : "";
      return send(res, 404, "text/plain; charset=utf-8", `not found: ${pathname}${hint}\n`, head);
    }
    const headers = {
      "content-type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": stat.size,
      // Always revalidate: edits show on reload; the service worker keeps a copy for offline use.
      "cache-control": "no-cache",
      "last-modified": stat.mtime.toUTCString(),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    };
    if (headers["content-type"].startsWith("text/html")) headers["content-security-policy"] = CSP;
    const since = Date.parse(req.headers["if-modified-since"] ?? "");
    if (!Number.isNaN(since) && Math.floor(stat.mtimeMs / 1000) * 1000 <= since) {
      res.writeHead(304, { "cache-control": "no-cache", "last-modified": headers["last-modified"] });
      return res.end();
    }
    res.writeHead(200, headers);
    if (head) return res.end();
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  };
}

/**
 * Start the static server. Resolves once it listens.
 * @returns {Promise<{ url: string, port: number, server: http.Server, close: () => Promise<void> }>}
 */
export function startPreviewServer({ port = 0, host = "127.0.0.1", rootDir = root } = {}) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler(rootDir));
    server.keepAliveTimeout = 2000;
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        server,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

function portFromArgs(argv) {
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === "--port" || a === "-p") return argv[k + 1];
    if (a.startsWith("--port=")) return a.slice("--port=".length);
    if (a === "--help" || a === "-h") {
      console.log("usage: npm run preview [-- --port N]   (default: $PORT, or a free port)");
      process.exit(0);
    }
  }
  return process.env.PORT;
}

async function main() {
  const given = portFromArgs(process.argv.slice(2));
  const port = given === undefined || given === "" ? 0 : Number(given);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${S}: bad port ${JSON.stringify(given)}; give a number from 1 to 65535 (or 0 for a free one)`);
    process.exit(2);
  }
  if (!existsSync(path.join(root, "pkg", "browser.js")) || !existsSync(path.join(root, "pkg", "orderhook_bg.wasm"))) {
    console.log(`${S}: pkg/ is missing or incomplete: building it first ($ node scripts/build.mjs)`);
    const r = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`${S}: the build failed (exit ${r.status ?? r.signal}); run \`npm run setup\` if tools are missing`);
      process.exit(1);
    }
  }
  let running;
  try {
    running = await startPreviewServer({ port });
  } catch (e) {
    const why = e.code === "EADDRINUSE" ? `port ${port} is in use; pick another with --port, or leave it out for a free one` : e.message;
    console.error(`${S}: cannot listen on 127.0.0.1:${port}: ${why}`);
    process.exit(1);
  }
  console.log(`${S}: serving www/ (with /pkg/ and /examples/samples/) on 127.0.0.1 only`);
  console.log(`${S}: open ${running.url}`);
  console.log(`${S}: press Ctrl-C to stop`);
  const stop = () => {
    console.log(`\n${S}: stopped`);
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
