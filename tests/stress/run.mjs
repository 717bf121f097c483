// The wasm stress run: mutated payloads through the public API of the built
// package. `node tests/stress/run.mjs [--count N] [--seed S]` prints figures;
// tests/stress/stress.test.mjs runs a quick version in `npm test`.
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { parse, verify } from "orderhook";
import { corpus, mutate, rng } from "./mutate.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The same module instance the package uses: initSync() returns its exports.
const glue = await import(pathToFileURL(path.join(realpathSync(path.join(root, "node_modules/orderhook")), "orderhook.js")).href);
const wasmMemory = () => glue.initSync().memory.buffer.byteLength;

const CODES = new Set([
  "invalid_json", "too_large", "invalid_utf8", "byte_order_mark", "unknown_provider", "unsupported_event",
  "inferred_event", "missing_field", "invalid_type", "invalid_value", "unknown_enum", "amount_mismatch",
  "assumed_time_zone", "assumed_currency", "missing_signature", "bad_signature", "stale_timestamp",
  "malformed_header", "unsupported", "invalid_secret", "too_many_issues",
]);

function badIssue(i) {
  return !i || !["error", "warning"].includes(i.severity) || !CODES.has(i.code) || typeof i.path !== "string" ||
    (i.path !== "" && !i.path.startsWith("/")) || typeof i.message !== "string" || i.message.length === 0;
}

function check(result) {
  if (typeof result?.ok !== "boolean") return "result has no boolean `ok`";
  if (result.ok && !result.event) return "ok without event";
  if (!result.ok && !(result.errors?.length > 0)) return "not ok without errors";
  for (const i of [...(result.errors ?? []), ...result.warnings]) if (badIssue(i)) return `bad issue ${JSON.stringify(i)}`;
  return null;
}

function heapAfterGc() {
  v8.setFlagsFromString("--expose-gc");
  vm.runInNewContext("gc")();
  return process.memoryUsage().heapUsed;
}

export function stress({ count, seed }) {
  const bases = corpus();
  const r = rng(seed);
  const failures = [];
  let ok = 0, invalid = 0, verifies = 0;
  let memoryAfterWarmup = 0, heapAfterWarmup = 0;
  const started = performance.now();
  const warmup = Math.min(1_000, Math.floor(count / 5));
  for (let n = 0; n < count; n++) {
    if (n === warmup) {
      memoryAfterWarmup = wasmMemory();
      heapAfterWarmup = heapAfterGc();
    }
    const body = mutate(r.pick(bases), r);
    try {
      const options = r.int(4) === 0 ? { timeZone: "America/New_York", currency: "EUR", strict: r.int(2) === 0 } : {};
      const result = parse(body, options);
      const problem = check(result);
      if (problem) failures.push({ n, problem });
      else if (result.ok) ok++;
      else invalid++;
      if (n % 10 === 0) {
        const provider = r.pick(["polar", "voucherify"]);
        const headers = { "webhook-id": "msg_" + n, "webhook-timestamp": String(1_700_000_000 + r.int(1000)),
          "webhook-signature": "v1," + "A".repeat(r.int(60)), "x-voucherify-signature": "ab".repeat(r.int(40)) };
        const v = verify(provider, body, headers, "whsec_dGVzdA==", { now: 1_700_000_000_000 });
        if (typeof v.ok !== "boolean" || (!v.ok && badIssue(v.error))) failures.push({ n, problem: `bad verify result ${JSON.stringify(v)}` });
        verifies++;
      }
    } catch (e) {
      failures.push({ n, problem: `threw ${e?.name}: ${e?.message}` });
    }
    if (failures.length > 20) break;
  }
  return {
    count, ok, invalid, verifies, failures,
    memoryAfterWarmup, memoryAtEnd: wasmMemory(),
    heapAfterWarmup, heapAtEnd: heapAfterGc(),
    seconds: (performance.now() - started) / 1000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const result = stress({ count: arg("--count", 100_000), seed: arg("--seed", 1) });
  console.log(JSON.stringify({ ...result, failures: result.failures.slice(0, 5) }, null, 2));
  process.exitCode = result.failures.length ? 1 : 0;
}
