// Runs bench/workerd/worker.js in workerd (the npm `workerd` binary, started by
// scripts/workerd.mjs) on 127.0.0.1 and times its loops from outside. The Worker imports "orderhook"
// through the `workerd` condition of pkg/package.json, and zod and valibot from
// node_modules, each listed module by module in the capnp config.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { capnpConfig, compatibilityDate, moduleGraph, packageWorkerdEntry, startWorkerd, workerdBinary } from "../../scripts/workerd.mjs";
import { benchDir, median, pkgDir, root } from "../lib.mjs";

/** The ES module entry of a package in node_modules, by its package.json `exports["."].import`. */
function moduleEntry(name) {
  const dir = path.join(root, "node_modules", name);
  const target = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).exports["."].import;
  return path.join(dir, typeof target === "string" ? target : target.default);
}

function writeConfig(dir, payloads) {
  // The Worker, its cases, schemas and payloads side by side, as the Worker imports them.
  writeFileSync(path.join(dir, "payloads.js"), `export default ${JSON.stringify(payloads)};\n`);
  copyFileSync(path.join(benchDir, "workerd", "worker.js"), path.join(dir, "worker.js"));
  for (const f of ["cases.mjs", "schemas.mjs"]) copyFileSync(path.join(benchDir, f), path.join(dir, f));
  const modules = moduleGraph([
    ["worker.js", path.join(dir, "worker.js")],
    ["orderhook", path.join(pkgDir, packageWorkerdEntry(pkgDir))],
    ["zod", moduleEntry("zod")],
    ["valibot", moduleEntry("valibot")],
  ]);
  const file = path.join(dir, "config.capnp");
  writeFileSync(file, capnpConfig({ dir, modules }));
  return { file, moduleCount: modules.length };
}

/**
 * Start workerd, check the Worker's outputs, then time each case per payload:
 * for N iterations per request (grown until one request takes `targetMs`),
 * the median of `repeats` requests minus the median of empty (N = 0) requests,
 * divided by N. Returns `{ version, evalAllowed, rows, clock }`.
 */
export async function benchWorkerd({ payloads, caseNames, targetMs, repeats, log = () => {} }) {
  const dir = mkdtempSync(path.join(tmpdir(), "orderhook-bench-workerd-"));
  let worker;
  try {
    const { file, moduleCount } = writeConfig(dir, payloads);
    // Ready once /check answers: each case's output on each payload, checked below.
    let check;
    const ready = async (base) => {
      const res = await fetch(`${base}/check`, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`/check: status ${res.status}: ${await res.text()}`);
      check = await res.json();
      return true;
    };
    worker = await startWorkerd({ config: file, ready });
    const { base } = worker;
    for (const [i, row] of check.payloads.entries()) {
      if (!row.ok || !row.okBytes) throw new Error(`workerd: orderhook did not parse ${row.name}: ${JSON.stringify(row)}`);
      const given = payloads[i].options?.eventType;
      if (given !== undefined && row.eventType !== given) throw new Error(`workerd: ${row.name} was given the event type ${given} but reads as ${row.eventType}`);
      if (payloads[i].schema) {
        for (const lib of ["zod", "valibot"]) {
          if (!row[lib] || row[lib].length) throw new Error(`workerd: ${lib} and orderhook disagree on ${row.name}: ${JSON.stringify(row[lib])}`);
        }
      }
    }
    const get = async (query) => {
      const t0 = process.hrtime.bigint();
      const res = await fetch(`${base}/?${query}`, { signal: AbortSignal.timeout(60_000) });
      const body = await res.json();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!res.ok) throw new Error(`workerd: ${query}: ${JSON.stringify(body)}`);
      return { wall, ...body };
    };
    // Request overhead: empty loops.
    const empty = [];
    for (let k = 0; k < Math.max(7, repeats * 2); k++) empty.push((await get("case=JSON.parse&i=0&n=0")).wall);
    const overheadMs = median(empty);
    // Warm-up: every case runs 2,000 times (JIT and wasm tier-up) before anything is timed.
    for (const name of caseNames) {
      const i = payloads.findIndex((p) => p.schema || (name !== "zod" && name !== "valibot"));
      if (i >= 0) await get(`case=${encodeURIComponent(name)}&i=${i}&n=2000`);
    }
    const rows = [];
    const clock = { perfZero: 0, dateZero: 0, samples: 0 };
    for (const [i, p] of payloads.entries()) {
      for (const name of caseNames) {
        if ((name === "zod" || name === "valibot") && !p.schema) continue;
        const q = (n) => `case=${encodeURIComponent(name)}&i=${i}&n=${n}`;
        let n = 16;
        for (;;) {
          const r = await get(q(n));
          if (r.wall - overheadMs >= targetMs || n >= 1 << 22) break;
          n *= 2;
        }
        let walls;
        let perf;
        let date;
        for (;;) {
          walls = [];
          perf = [];
          date = [];
          for (let k = 0; k < repeats; k++) {
            const r = await get(q(n));
            walls.push(r.wall);
            perf.push(r.perf_ms);
            date.push(r.date_ms);
            clock.samples++;
            if (r.perf_ms === 0) clock.perfZero++;
            if (r.date_ms === 0) clock.dateZero++;
          }
          // One request slowed by other work on the machine can stop the doubling while
          // N is still too small to time (the median then lies below the empty request's).
          if (median(walls) - overheadMs >= targetMs / 2 || n >= 1 << 22) break;
          n *= 2;
        }
        const perIterNs = ((median(walls) - overheadMs) / n) * 1e6;
        rows.push({
          payload: p.name,
          case: name,
          n,
          perIterNs,
          spread: (Math.max(...walls) - Math.min(...walls)) / 2 / median(walls),
          perfNs: (median(perf) / n) * 1e6,
          dateNs: (median(date) / n) * 1e6,
        });
        log(`workerd ${p.name} ${name}: n=${n}`);
      }
    }
    return { binary: workerdBinary, compatibilityDate, moduleCount, evalAllowed: check.evalAllowed, overheadMs, rows, clock };
  } finally {
    await worker?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
