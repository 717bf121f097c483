#!/usr/bin/env node
// `npm run bench`: every benchmark of issue 8 in one run, written to bench/RESULTS.md.
// `npm run bench -- --quick`: a smoke run (< 60 s) with short timings, fewer
//   payloads, no native/twiggy/scratch builds; written to a temp file, not RESULTS.md.
// Options: --only=parse,polar,... (sections), --out=FILE, --no-build (use pkg/ as is).
// Sections: parse zones polar schemas verify native size coldstart memory workerd boundary browser.
import "../scripts/node.mjs"; // first: re-runs this script on a maintained Node when the machine's is older
import { execFileSync, spawnSync } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import {
  benchDir,
  fmtBytes,
  fmtMs,
  fmtNs,
  fmtOps,
  fmtRatio,
  fmtStat,
  geomean,
  loadPayloads,
  median,
  pkgDir,
  quantile,
  root,
  table,
  timeIt,
  verdict,
} from "./lib.mjs";
import { WASM_BINDGEN, WASM_BINDGEN_FLAGS, WASM_FEATURES, WASM_OPT } from "../scripts/build.mjs";
import { polarKey, samplesDir, standardWebhooksHeaders } from "../scripts/lib.mjs";

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const SECTIONS = ["parse", "zones", "polar", "schemas", "verify", "native", "size", "coldstart", "memory", "workerd", "boundary", "browser"];
const onlyArg = argv.find((a) => a.startsWith("--only="));
const only = onlyArg ? onlyArg.slice(7).split(",") : SECTIONS;
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; known: ${SECTIONS.join(", ")}`);
const outArg = argv.find((a) => a.startsWith("--out="));
const OUT = outArg
  ? path.resolve(outArg.slice(6))
  : QUICK
    ? path.join(os.tmpdir(), "orderhook-bench-quick.md")
    : path.join(benchDir, "RESULTS.md");

// mitata needs a real gc(); without --expose-gc it falls back to allocating 1 GiB.
if (typeof globalThis.gc !== "function") {
  const r = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, process.argv[1], ...argv], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const CFG = QUICK
  ? { cpuTimeMs: 30, coldRuns: 5, memoryParses: 10_000, workerdTargetMs: 15, workerdRepeats: 3 }
  : { cpuTimeMs: 400, coldRuns: 25, memoryParses: 100_000, workerdTargetMs: 60, workerdRepeats: 5 };
const started = Date.now();
const log = (msg) => process.stderr.write(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

// ---------------------------------------------------------------- build, payloads

if (!argv.includes("--no-build") && (!QUICK || !existsSync(path.join(pkgDir, "orderhook_bg.wasm")))) {
  log("npm run build (incremental) so pkg/ matches the sources");
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("bench: the build failed");
}
if (!existsSync(path.join(pkgDir, "orderhook_bg.wasm"))) throw new Error("bench: pkg/ is missing; run `npm run build` first");

const { parse, verify, detect, version, limits } = await import("orderhook");
// Shopify's and WooCommerce's samples carry their topic as the `eventType` option (p.options).
const { payloads: allPayloads, skipped } = loadPayloads(limits().providerSpecs);
for (const p of allPayloads) {
  const r = parse(p.text, p.options);
  p.result = r;
  if (p.provider === null) p.provider = detect(p.bytes)?.provider ?? "unknown";
}
/** Why a payload's result is not what the bench needs (`ok`, and the event type it was given), or null. */
function notUsable(p, r) {
  if (!r.ok) return `does not parse: ${JSON.stringify(r.errors)}`;
  if (p.options?.eventType !== undefined && r.event.event_type !== p.options.eventType) {
    return `was given the event type ${p.options.eventType} but reads as ${r.event.event_type} (${r.event.kind})`;
  }
  return null;
}
// A provider with its event type in a header (the `eventType` option) is in the quick run too.
const quickPick = ["polar.order.paid", "voucherify.bare-data.paid.amount-mismatch", "shopify.orders~paid"];
const quickSchemas = ["polar.order.paid", "stripe.checkout.session.completed", "shopify.orders~paid"];
const parsePayloads = QUICK ? allPayloads.filter((p) => quickPick.includes(p.name)) : allPayloads;
const byName = (n) => {
  const p = allPayloads.find((x) => x.name === n);
  if (!p) throw new Error(`bench: no payload ${n}`);
  return p;
};

const sections = []; // markdown, in order
const failures = [];
const headline = {}; // numbers for the summary at the top
const decoder = new TextDecoder();

/**
 * Other work in the same checkout may reinstall node_modules (`npm ci` drops the
 * node_modules/orderhook link) while this runs: wait for the dev dependencies to
 * come back (bounded) and relink the package before a section starts.
 */
async function ensurePackages() {
  const needed = ["mitata", "standardwebhooks", "polar-sdk-049", "polar-sdk-101", "zod", "valibot", "workerd"];
  const deadline = Date.now() + 180_000;
  for (;;) {
    const missing = needed.filter((d) => !existsSync(path.join(root, "node_modules", d, "package.json")));
    if (missing.length === 0) break;
    if (Date.now() > deadline) throw new Error(`node_modules lacks ${missing.join(", ")}; run \`npm ci\``);
    log(`waiting for node_modules (${missing.join(", ")} missing: another npm install running?)`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
  if (!existsSync(path.join(root, "node_modules", "orderhook", "orderhook_bg.wasm"))) {
    log("node_modules/orderhook is missing: npm run build relinks it");
    spawnSync(process.execPath, [path.join(root, "scripts", "build.mjs")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  }
}

async function section(id, title, fn) {
  if (!only.includes(id)) return;
  await ensurePackages();
  log(`section ${id}: ${title}`);
  const t0 = Date.now();
  try {
    const md = await fn();
    sections.push(`## ${title}\n\n${md}\n\n<sub>section time ${((Date.now() - t0) / 1000).toFixed(0)} s</sub>`);
  } catch (e) {
    failures.push(`${id}: ${e.message}`);
    log(`section ${id} FAILED: ${e.stack ?? e}`);
    sections.push(`## ${title}\n\n**This section failed:** \`${String(e.message).slice(0, 2000)}\``);
  }
}

function sh(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], ...opts }).trim();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- signing helpers

/** Standard Webhooks headers over `body` with HMAC key bytes `key`, now, under a fresh message id. */
const sign = (key, body) => standardWebhooksHeaders(body, key, { id: `msg_${randomBytes(8).toString("hex")}` });

/** A straightforward correct Standard Webhooks check with node:crypto (the comparison baseline). */
function verifyNodeCrypto(body, headers, key, toleranceSeconds = 300) {
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const sigs = headers["webhook-signature"];
  if (!id || !ts || !sigs) return false;
  const seconds = Number(ts);
  if (!Number.isInteger(seconds) || Math.abs(Date.now() / 1000 - seconds) > toleranceSeconds) return false;
  const expected = createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest();
  for (const entry of sigs.split(" ")) {
    const [v, sig] = entry.split(",");
    if (v !== "v1" || !sig) continue;
    const given = Buffer.from(sig, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

// ---------------------------------------------------------------- 1 + 2: parse vs JSON.parse

await section("parse", "1–2. Parse: orderhook vs JSON.parse (Node)", async () => {
  const rows = [];
  const ratios = { string: [], bytes: [], seedString: [], seedBytes: [] };
  for (const p of parsePayloads) {
    const why = notUsable(p, p.result) ?? notUsable(p, parse(p.bytes, p.options));
    if (why) throw new Error(`${p.name} ${why}`);
    const js = await timeIt(() => JSON.parse(p.text), CFG);
    const ohs = await timeIt(() => parse(p.text, p.options), CFG);
    const jb = await timeIt(() => JSON.parse(decoder.decode(p.bytes)), CFG);
    const ohb = await timeIt(() => parse(p.bytes, p.options), CFG);
    const rs = ohs.p50 / js.p50;
    const rb = ohb.p50 / jb.p50;
    ratios.string.push(rs);
    ratios.bytes.push(rb);
    if (p.kind === "seed") (ratios.seedString.push(rs), ratios.seedBytes.push(rb));
    rows.push([
      p.name,
      p.provider,
      p.result.event.kind,
      p.bytes.length,
      p.result.warnings.length,
      fmtStat(js),
      fmtStat(ohs),
      fmtOps(ohs.p50),
      `**${fmtRatio(rs)}**`,
      fmtStat(jb),
      fmtStat(ohb),
      fmtOps(ohb.p50),
      `**${fmtRatio(rb)}**`,
    ]);
    log(`parse ${p.name}: string ${fmtRatio(rs)}, bytes ${fmtRatio(rb)}`);
  }
  const gs = geomean(ratios.string);
  const gb = geomean(ratios.bytes);
  const seedS = ratios.seedString.length ? Math.max(...ratios.seedString) : NaN;
  const seedB = ratios.seedBytes.length ? Math.max(...ratios.seedBytes) : NaN;
  headline.parse = { gs, gb, seedS, seedB, maxS: Math.max(...ratios.string), maxB: Math.max(...ratios.bytes) };
  return [
    "Medians with the interquartile spread (±half the IQR, relative); ops/s from the median. " +
      "String in: `parse(text)` vs `JSON.parse(text)`. Bytes in: `parse(bytes)` vs `JSON.parse(new TextDecoder().decode(bytes))`. " +
      "Every payload is checked to parse `ok` first; `warnings` is how many warnings orderhook reports on it. " +
      "Shopify and WooCommerce send the topic in a header: their samples are parsed with it as `{ eventType }` (the sample's event), as a receiver does.",
    "",
    table(
      ["payload", "provider", "kind", "bytes", "warnings", "JSON.parse", "orderhook (string)", "ops/s", "ratio", "JSON.parse(decode)", "orderhook (bytes)", "ops/s", "ratio"],
      rows,
    ),
    "",
    `- Geometric mean ratio over all ${rows.length} payloads: string **${fmtRatio(gs)}**, bytes **${fmtRatio(gb)}** (worst: ${fmtRatio(headline.parse.maxS)} / ${fmtRatio(headline.parse.maxB)}).`,
    `- Target ≤ 2.0× as geometric mean: string ${verdict(gs, 2)}; bytes ${verdict(gb, 2)}.`,
    skipped.length ? `- Skipped: ${skipped.join("; ")}.` : "",
  ].join("\n");
});

// ---------------------------------------------------------------- 2b: IANA zone vs fixed offset

await section("zones", "2b. Vrio dates in an IANA zone vs a fixed offset (Node)", async () => {
  const p = byName("vrio.order_updated");
  const dates = (p.text.match(/"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"/g) ?? []).length;
  const fixed = { timeZone: "+02:00", currency: "USD" };
  const rows = [];
  const ratios = [];
  const base = await timeIt(() => parse(p.text, fixed), CFG);
  for (const timeZone of ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]) {
    const o = { timeZone, currency: "USD" };
    if (!parse(p.text, o).ok) throw new Error(`${p.name} in ${timeZone} does not parse`);
    const f = await timeIt(() => parse(p.text, fixed), CFG);
    const z = await timeIt(() => parse(p.text, o), CFG);
    ratios.push(z.p50 / f.p50);
    rows.push([timeZone, fmtStat(f), fmtStat(z), `**${fmtRatio(z.p50 / f.p50)}**`]);
  }
  headline.zones = { worst: Math.max(...ratios) };
  return [
    `\`parse(text, { timeZone, currency: "USD" })\` on ${p.name} (${p.bytes.length} B, ${dates} zone-less dates), each IANA zone timed right after the fixed offset "+02:00" (first fixed run: ${fmtStat(base)}). ` +
      "IANA offsets come from the host's Intl through a callback (cached per zone and hour in JS; the core asks once per local hour far from a transition).",
    "",
    table(["zone", "parse, \"+02:00\"", "parse, IANA zone", "IANA ÷ fixed"], rows),
    "",
    `- Target ≤ 1.2× (worst zone): ${verdict(headline.zones.worst, 1.2)}.`,
  ].join("\n");
});

// ---------------------------------------------------------------- 3: Polar verify + parse vs the SDKs

await section("polar", "3. Polar: orderhook verify + parse vs @polar-sh/sdk 0.49.0 and 1.0.1", async () => {
  const { validateEvent: validate049 } = await import("polar-sdk-049/webhooks");
  const { webhooks: webhooks101 } = await import("polar-sdk-101/2026-10");
  // The original key scheme (HMAC key = UTF-8 bytes of the secret) is the one all three accept.
  const secret = `polar_whs_${randomBytes(16).toString("hex")}`;
  const standardKey = randomBytes(32);
  const standardSecret = `whsec_${standardKey.toString("base64")}`;
  const polar = allPayloads.filter((p) => p.provider === "polar");
  const chosen = QUICK ? polar.filter((p) => p.name === "polar.order.refunded") : polar;
  const rows = [];
  const notes = [];
  const okRatios = { r049: [], r101: [] };
  const cases = [];
  for (const p of chosen) cases.push({ p, secret, key: polarKey(secret), scheme: "original key" });
  const std = chosen.find((p) => p.name === "polar.order.refunded") ?? chosen[0];
  cases.push({ p: std, secret: standardSecret, key: standardKey, scheme: "whsec_ base64 key" });
  for (const { p, secret: s, key, scheme } of cases) {
    const headers = sign(key, p.bytes); // fresh timestamp for each payload: the SDKs check it against Date.now()
    const ohText = () => {
      const v = verify("polar", p.text, headers, s);
      if (!v.ok) throw new Error(`orderhook verify failed: ${JSON.stringify(v)}`);
      return parse(p.text);
    };
    const ohBytes = () => {
      const v = verify("polar", p.bytes, headers, s);
      if (!v.ok) throw new Error(`orderhook verify failed: ${JSON.stringify(v)}`);
      return parse(p.bytes);
    };
    if (!ohText().ok || !ohBytes().ok) throw new Error(`${p.name}: orderhook verify+parse failed`);
    const e101 = await webhooks101.validateEvent(p.text, headers, s);
    if (e101.type !== JSON.parse(p.text).type) throw new Error(`${p.name}: 1.0.1 returned ${e101.type}`);
    let can049 = scheme === "original key";
    let why049 = can049 ? "" : "0.49 only keys on the UTF-8 bytes of the secret";
    if (can049) {
      try {
        const e = validate049(p.text, headers, s);
        if (e.data.id !== JSON.parse(p.text).data.id) throw new Error("0.49 returned another event");
      } catch (e) {
        if (e.name !== "SDKValidationError") throw e;
        can049 = false;
        const paths = [...new Set((e.cause?.issues ?? []).map((i) => i.path.slice(0, 2).join(".")))];
        why049 = `0.49 verifies the signature, then its zod schema rejects the payload (${paths.join(", ")})`;
      }
    }
    const json = await timeIt(() => JSON.parse(p.text), CFG);
    const oht = await timeIt(ohText, CFG);
    const ohb = await timeIt(ohBytes, CFG);
    const t049 = can049 ? await timeIt(() => validate049(p.text, headers, s), CFG) : null;
    const t101 = await timeIt(async () => await webhooks101.validateEvent(p.text, headers, s), CFG);
    const best = Math.min(oht.p50, ohb.p50);
    const r049 = t049 ? oht.p50 / t049.p50 : NaN;
    const r101 = oht.p50 / t101.p50;
    if (scheme === "original key") {
      if (t049) okRatios.r049.push(r049);
      okRatios.r101.push(r101);
    }
    if (why049) notes.push(`- ${p.name} (${scheme}): no 0.49 figure: ${why049}.`);
    rows.push([
      `${p.name} (${scheme})`,
      p.bytes.length,
      fmtStat(json),
      fmtStat(oht),
      fmtStat(ohb),
      t049 ? fmtStat(t049) : "n/a",
      fmtStat(t101),
      `**${fmtRatio(r049)}**`,
      `**${fmtRatio(r101)}**`,
      fmtRatio(oht.p50 / json.p50),
      t049 ? fmtRatio(t049.p50 / json.p50) : "–",
      fmtRatio(t101.p50 / json.p50),
    ]);
    log(`polar ${p.name} ${scheme}: vs 0.49 ${fmtRatio(r049)}, vs 1.0.1 ${fmtRatio(r101)} (best ${fmtNs(best)})`);
  }
  const w049 = okRatios.r049.length ? Math.max(...okRatios.r049) : NaN;
  const w101 = Math.max(...okRatios.r101);
  headline.polar = { w049, w101 };
  return [
    "Each call verifies a fresh Standard Webhooks signature (timestamp = now; both SDKs check it against `Date.now()`) and parses. " +
      "orderhook: `verify(\"polar\", body, headers, secret)` then `parse(body)` (string or bytes). " +
      "0.49: `validateEvent(text, headers, secret)` from `@polar-sh/sdk/webhooks` (standardwebhooks + zod, sync). " +
      "1.0.1: `await webhooks.validateEvent(text, headers, secret)` from `@polar-sh/sdk/2026-10` (WebCrypto, `JSON.parse`, event-type check; async). " +
      "Ratios use orderhook with the string body (what both SDKs are given).",
    "",
    table(
      ["payload (key scheme)", "bytes", "JSON.parse", "orderhook v+p (string)", "orderhook v+p (bytes)", "sdk 0.49", "sdk 1.0.1", "orderhook / 0.49", "orderhook / 1.0.1", "orderhook / JSON.parse", "0.49 / JSON.parse", "1.0.1 / JSON.parse"],
      rows,
    ),
    "",
    ...notes,
    `- Target orderhook ≤ 0.2× the 0.49 time (worst payload): ${verdict(w049, 0.2)}.`,
    `- Target orderhook ≤ 0.15× the 1.0.1 time (worst payload, original key): ${verdict(w101, 0.15)}.`,
  ].join("\n");
});

// ---------------------------------------------------------------- 4: zod and valibot

await section("schemas", "4. Hand-written zod v4 and valibot schemas vs orderhook (Node)", async () => {
  const { validators, SCHEMA_PAYLOADS, differences } = await import("./schemas.mjs");
  const { z } = await import("zod");
  const rows = [];
  const ratios = [];
  const valibotRatios = [];
  // Every schema is checked against orderhook, also in --quick mode (where only a few are timed).
  for (const name of SCHEMA_PAYLOADS) {
    const p = byName(name);
    const why = notUsable(p, p.result);
    if (why) throw new Error(`${name} ${why}`);
    for (const l of ["zod", "valibot"]) {
      const diff = differences(validators[p.provider][l](p.text, p.options), p.result.event);
      if (diff.length) throw new Error(`${l} and orderhook disagree on ${name}: ${diff.join("; ")}`);
    }
  }
  const timed = QUICK ? SCHEMA_PAYLOADS.filter((n) => quickSchemas.includes(n)) : SCHEMA_PAYLOADS;
  for (const name of timed) {
    const p = byName(name);
    const lib = validators[p.provider];
    const json = await timeIt(() => JSON.parse(p.text), CFG);
    const oh = await timeIt(() => parse(p.text, p.options), CFG);
    const zt = await timeIt(() => lib.zod(p.text, p.options), CFG);
    const vt = await timeIt(() => lib.valibot(p.text, p.options), CFG);
    ratios.push(oh.p50 / zt.p50, oh.p50 / vt.p50);
    valibotRatios.push(oh.p50 / vt.p50);
    rows.push([name, p.bytes.length, fmtStat(json), fmtStat(oh), fmtStat(zt), fmtStat(vt), `**${fmtRatio(oh.p50 / zt.p50)}**`, `**${fmtRatio(oh.p50 / vt.p50)}**`, fmtRatio(zt.p50 / json.p50), fmtRatio(vt.p50 / json.p50)]);
    log(`schemas ${name}: orderhook / zod ${fmtRatio(oh.p50 / zt.p50)}, orderhook / valibot ${fmtRatio(oh.p50 / vt.p50)}`);
  }
  headline.schemas = { worst: Math.max(...ratios), best: Math.min(...ratios), valibot: Math.max(...valibotRatios) };
  return [
    "The schemas (bench/schemas.mjs) validate the fields orderhook's normalized order reads and transform them to the same shape " +
      "(string ids, exact integer minor units, RFC 3339 UTC times, each module's status and kind tables); each is `schema.parse(JSON.parse(text))` " +
      "(Shopify and WooCommerce: `schema.parse({ topic, body: JSON.parse(text) })`, the topic being the header orderhook gets as `eventType`). " +
      "They do not reproduce orderhook's warnings (sum cross-checks, unknown values reported), which favours them. Before timing, every field a schema produces is checked " +
      `to equal orderhook's (value and type). zod ${z.config ? "4" : "?"} runs with its JIT fast path here (Node allows \`new Function\`); see section 10 for workerd, where it cannot.`,
    "",
    table(["payload", "bytes", "JSON.parse", "orderhook parse", "zod", "valibot", "orderhook / zod", "orderhook / valibot", "zod / JSON.parse", "valibot / JSON.parse"], rows),
    timed.length < SCHEMA_PAYLOADS.length
      ? `\n- \`--quick\`: all ${SCHEMA_PAYLOADS.length} schemas checked against orderhook, only these ${timed.length} timed (not: ${SCHEMA_PAYLOADS.filter((n) => !timed.includes(n)).join(", ")}).`
      : "",
  ].join("\n");
});

// ---------------------------------------------------------------- 5: signature verification

await section("verify", "5. Signature verification: orderhook vs standardwebhooks vs node:crypto", async () => {
  const { Webhook } = await import("standardwebhooks");
  const key = randomBytes(32);
  const secret = `whsec_${key.toString("base64")}`;
  const wh = new Webhook(secret);
  const seeds = allPayloads.filter((p) => p.kind === "seed");
  const chosen = QUICK ? seeds.slice(0, 1) : seeds;
  const rows = [];
  const ratios = [];
  for (const p of chosen) {
    const headers = sign(key, p.bytes);
    if (!verify("polar", p.bytes, headers, secret).ok) throw new Error(`${p.name}: orderhook rejects its signature`);
    if (!verify("polar", p.text, headers, secret).ok) throw new Error(`${p.name}: orderhook rejects its signature (string)`);
    wh.verify(p.text, headers, { jsonParse: false }); // throws if wrong
    if (!verifyNodeCrypto(p.bytes, headers, key)) throw new Error(`${p.name}: node:crypto check fails`);
    const ohb = await timeIt(() => verify("polar", p.bytes, headers, secret), CFG);
    const ohs = await timeIt(() => verify("polar", p.text, headers, secret), CFG);
    const swh = await timeIt(() => wh.verify(p.text, headers, { jsonParse: false }), CFG);
    const nc = await timeIt(() => verifyNodeCrypto(p.bytes, headers, key), CFG);
    const r = ohb.p50 / swh.p50;
    ratios.push(r);
    rows.push([p.name, p.bytes.length, fmtStat(ohb), fmtStat(ohs), fmtStat(swh), fmtStat(nc), `**${fmtRatio(r)}**`, fmtRatio(ohs.p50 / swh.p50), fmtRatio(ohb.p50 / nc.p50)]);
  }
  headline.verify = { worst: Math.max(...ratios) };
  return [
    "A `whsec_` secret; signatures made with node:crypto at the current time. orderhook: `verify(\"polar\", body, headers, secret)` " +
      "(it tries Polar's likelier key first, the base64 key of a `whsec_` secret, and the secret's UTF-8 bytes only when that one does not match, so a valid delivery costs one HMAC, computed by node:crypto through a callback; comparisons in constant time). " +
      "standardwebhooks: `new Webhook(secret)` once, then `verify(text, headers, { jsonParse: false })` (pure-JS SHA-256, one key). " +
      "node:crypto: header split, timestamp check, `createHmac` (OpenSSL) and `timingSafeEqual`, one key.",
    "",
    table(["payload", "bytes", "orderhook (bytes)", "orderhook (string)", "standardwebhooks", "node:crypto", "orderhook / standardwebhooks", "(string) / standardwebhooks", "orderhook / node:crypto"], rows),
    "",
    `- Target orderhook ≤ 0.5× standardwebhooks (worst seed, bytes): ${verdict(headline.verify.worst, 0.5)}.`,
  ].join("\n");
});

// ---------------------------------------------------------------- 6: native

await section("native", "6. Native (cargo bench --bench parse): parse+validate+normalize vs serde_json::Value", async () => {
  if (QUICK) return "Skipped in `--quick` mode (it compiles the bench profile; run `npm run bench` or `cargo bench --bench parse`).";
  const r = spawnSync("cargo", ["bench", "--bench", "parse"], { cwd: root, encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`cargo bench failed (${r.status ?? r.signal}): ${(r.stderr || "").slice(-2000)}`);
  const unit = { ps: 1e-3, ns: 1, "\u00b5s": 1e3, "\u03bcs": 1e3, us: 1e3, ms: 1e6, s: 1e9 };
  const tp = { "B/s": 1e-6, "KiB/s": 1024e-6, "MiB/s": 1.048576, "GiB/s": 1073.741824 };
  const re = /^(\S+)\/(\S+)\s+time:\s+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]\s+thrpt:\s+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]/gm;
  const groups = new Map();
  for (const m of r.stdout.matchAll(re)) {
    const [, group, fn] = m;
    const t = (v, u) => Number(v) * unit[u];
    const entry = { lo: t(m[3], m[4]), mid: t(m[5], m[6]), hi: t(m[7], m[8]), mbps: Number(m[11]) * tp[m[12]] };
    if (!groups.has(group)) groups.set(group, {});
    groups.get(group)[fn] = entry;
  }
  if (groups.size === 0) throw new Error(`no criterion results in the output:\n${r.stdout.slice(-1500)}`);
  const rows = [];
  const ratios = [];
  for (const [group, fns] of groups) {
    const oh = fns["orderhook::parse"];
    const val = fns["serde_json::Value"];
    if (!oh || !val) continue;
    const bytes = Math.round((oh.mbps * 1e6 * oh.mid) / 1e9);
    ratios.push(oh.mid / val.mid);
    rows.push([group, `≈${bytes}`, `${fmtNs(oh.mid)} [${fmtNs(oh.lo)} – ${fmtNs(oh.hi)}]`, `${oh.mbps.toFixed(0)} MB/s`, `${fmtNs(val.mid)} [${fmtNs(val.lo)} – ${fmtNs(val.hi)}]`, `${val.mbps.toFixed(0)} MB/s`, fmtRatio(oh.mid / val.mid)]);
  }
  headline.native = { geo: geomean(ratios), mbps: median(rows.map((r) => Number.parseFloat(r[3]))) };
  return [
    "criterion's point estimate with its confidence interval, and throughput in MB/s (10^6 bytes/s), from `cargo bench --bench parse` " +
      "(profile `bench`: opt-level 3, thin LTO; payloads chosen by benches/parse.rs: fixtures reproducing the seed documents and two reference examples).",
    "",
    table(["payload", "bytes", "orderhook::parse", "MB/s", "serde_json::Value", "MB/s", "orderhook / Value"], rows),
    "",
    `- orderhook::parse costs ${fmtRatio(headline.native.geo)} a plain \`serde_json::Value\` parse (geometric mean); median throughput ${headline.native.mbps.toFixed(0)} MB/s natively.`,
  ].join("\n");
});

// ---------------------------------------------------------------- 7: size

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function findTwiggy() {
  for (const c of ["/tmp/twiggy/bin/twiggy", path.join(root, ".tools", "bin", "twiggy")]) if (existsSync(c)) return c;
  return sh("sh", ["-c", "command -v twiggy"]) || null;
}

/** twiggy top of a names-keeping build of the same wasm (wasm-opt -Oz with -g), and the bytes per crate. */
function twiggyBreakdown() {
  let twiggy = findTwiggy();
  if (!twiggy) {
    log("twiggy not found: cargo install twiggy --root .tools");
    const r = spawnSync("cargo", ["install", "twiggy", "--root", path.join(root, ".tools")], { cwd: root, stdio: ["ignore", "ignore", "inherit"], timeout: 15 * 60_000 });
    if (r.status !== 0) throw new Error("cargo install twiggy failed");
    twiggy = path.join(root, ".tools", "bin", "twiggy");
  }
  log("names-keeping wasm for twiggy (target/twiggy)");
  const r = spawnSync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--target-dir", "target/twiggy"], {
    cwd: root,
    env: { ...process.env, CARGO_PROFILE_RELEASE_STRIP: "false" },
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 15 * 60_000,
  });
  if (r.status !== 0) throw new Error("cargo build for twiggy failed");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "orderhook-twiggy-"));
  try {
    const cargoWasm = path.join(root, "target", "twiggy", "wasm32-unknown-unknown", "release", "orderhook.wasm");
    execFileSync(WASM_BINDGEN, [cargoWasm, "--out-dir", tmp, ...WASM_BINDGEN_FLAGS, "--keep-debug"]);
    const named = path.join(tmp, "named.wasm");
    execFileSync(process.execPath, [WASM_OPT, "-Oz", "-g", "--strip-dwarf", "--strip-producers", ...WASM_FEATURES, path.join(tmp, "orderhook_bg.wasm"), "-o", named]);
    const items = JSON.parse(execFileSync(twiggy, ["top", "-n", "100000", "--format", "json", named], { encoding: "utf8", maxBuffer: 64 << 20 }));
    const total = items.reduce((a, i) => a + i.shallow_size, 0);
    const names = items.find((i) => /function names/.test(i.name))?.shallow_size ?? 0;
    const code = total - names;
    const crateOf = (name) => {
      if (/^data segment/.test(name)) return "data segments (strings, tables)";
      if (/^(?:"|custom section|type\[|import |export |elem|table|memory|global|code\[|.*shim$)/.test(name) || name.includes("section")) return "wasm structure, shims, unnamed code";
      const m = name.match(/^<?(?:&|\*const |\*mut |dyn )?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
      if (m) return m[1];
      // `<f64 as core::fmt::Display>::fmt`: a primitive's impl counts for the trait's crate.
      const t = name.match(/^<[^ ]+ as ([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
      return t ? t[1] : "other";
    };
    const perCrate = new Map();
    for (const i of items) {
      if (/function names/.test(i.name)) continue;
      const c = crateOf(i.name);
      perCrate.set(c, (perCrate.get(c) ?? 0) + i.shallow_size);
    }
    const top = items.filter((i) => !/function names/.test(i.name)).slice(0, 25);
    return { total, names, code, perCrate: [...perCrate].sort((a, b) => b[1] - a[1]), top };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await section("size", "7. Size of the package", async () => {
  const wasm = sizes(readFileSync(path.join(pkgDir, "orderhook_bg.wasm")));
  headline.size = wasm;
  const jsFiles = readdirSync(pkgDir).filter((f) => f.endsWith(".js")).sort();
  const rows = [["orderhook_bg.wasm (after wasm-opt -Oz)", wasm.raw.toLocaleString("en-US"), wasm.gzip.toLocaleString("en-US"), wasm.brotli.toLocaleString("en-US")]];
  let glue = { raw: 0, gzip: 0, brotli: 0 };
  const inline = "inline-wasm.js"; // the .wasm again, as base64: only the inline entry loads it
  for (const f of jsFiles.filter((f) => f !== inline)) {
    const s = sizes(readFileSync(path.join(pkgDir, f)));
    glue = { raw: glue.raw + s.raw, gzip: glue.gzip + s.gzip, brotli: glue.brotli + s.brotli };
    rows.push([f, s.raw.toLocaleString("en-US"), s.gzip.toLocaleString("en-US"), s.brotli.toLocaleString("en-US")]);
  }
  rows.push(["all JS (each compressed alone)", glue.raw.toLocaleString("en-US"), glue.gzip.toLocaleString("en-US"), glue.brotli.toLocaleString("en-US")]);
  if (existsSync(path.join(pkgDir, inline))) {
    const s = sizes(readFileSync(path.join(pkgDir, inline)));
    rows.push([`${inline} (the inline entry's .wasm as base64; instead of the .wasm)`, s.raw.toLocaleString("en-US"), s.gzip.toLocaleString("en-US"), s.brotli.toLocaleString("en-US")]);
  }
  const md = [
    "Bytes. gzip -9 and brotli -q 11 (node:zlib). The JS files are the wasm-bindgen glue (orderhook.js), the API layer (core.js) and the runtime entries.",
    "",
    table(["file", "raw", "gzip", "brotli"], rows),
    "",
    `- Target ≤ 240 KB raw: ${verdict(wasm.raw, 240 * 1000, fmtBytes)} (${(wasm.raw / 1024).toFixed(1)} KiB; webpack warns above 244 KiB = 249,856 B).`,
    `- Target ≤ 90 KB gzip: ${verdict(wasm.gzip, 90 * 1000, fmtBytes)}.`,
  ];
  // The per-provider entries (orderhook/<provider>): the same API over a .wasm built with
  // that provider's cargo feature only.
  const entries = readdirSync(pkgDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(pkgDir, d.name, "orderhook_bg.wasm")))
    .map((d) => ({ name: d.name, ...sizes(readFileSync(path.join(pkgDir, d.name, "orderhook_bg.wasm"))) }))
    .sort((a, b) => a.raw - b.raw);
  if (entries.length) {
    headline.entries = entries;
    const webpackHint = 244 * 1024;
    md.push(
      "",
      "### Per-provider entries",
      "",
      "`orderhook/<provider>`: the same API over a .wasm built with only that provider's cargo feature (`cargo build --no-default-features --features <provider>`, then the same wasm-bindgen and wasm-opt -Oz), for a Worker or page that takes one platform's webhooks.",
      "",
      table(
        ["entry", ".wasm raw", "gzip", "brotli", "÷ every-provider raw", "under webpack's 244 KiB hint", "≤ 240 KB raw and ≤ 90 KB gzip"],
        entries.map((e) => [
          `orderhook/${e.name}`,
          e.raw.toLocaleString("en-US"),
          e.gzip.toLocaleString("en-US"),
          e.brotli.toLocaleString("en-US"),
          fmtRatio(e.raw / wasm.raw),
          e.raw <= webpackHint ? "yes" : "no",
          e.raw <= 240_000 && e.gzip <= 90_000 ? "met" : "missed",
        ]),
      ),
    );
  }
  if (QUICK) {
    md.push("", "The twiggy breakdown is skipped in `--quick` mode.");
    return md.join("\n");
  }
  const tw = twiggyBreakdown();
  md.push(
    "",
    "### Biggest contributors (twiggy top)",
    "",
    `On a names-keeping build of the same code (\`CARGO_PROFILE_RELEASE_STRIP=false\`, \`wasm-bindgen --keep-debug\`, \`wasm-opt -Oz -g\`): ` +
      `${tw.code.toLocaleString("en-US")} B without the ${tw.names.toLocaleString("en-US")} B name section (shipped: ${wasm.raw.toLocaleString("en-US")} B). ` +
      "Inlining makes an exported function carry the code inlined into it (`maybe_catch_unwind` is an export's whole body).",
    "",
    table(
      ["item", "bytes", "%"],
      tw.top.map((i) => [i.name.length > 110 ? `${i.name.slice(0, 107)}...` : i.name, i.shallow_size.toLocaleString("en-US"), ((i.shallow_size / tw.code) * 100).toFixed(1)]),
    ),
    "",
    "By crate (first path segment of each item's name; generic code counts for the crate that defines it):",
    "",
    table(["crate", "bytes", "%"], tw.perCrate.slice(0, 16).map(([c, b]) => [c, b.toLocaleString("en-US"), ((b / tw.code) * 100).toFixed(1)])),
  );
  return md.join("\n");
});

// ---------------------------------------------------------------- 8: cold start

await section("coldstart", "8. Cold start (fresh Node processes)", async () => {
  const p = byName("polar.order.refunded"); // a payload @polar-sh/sdk 0.49's schema accepts
  const secret = `polar_whs_${randomBytes(16).toString("hex")}`;
  const file = path.join(samplesDir, `${p.name}.json`);
  const modes = ["noop", "instantiate", "instantiate-polar", "orderhook-parse", "orderhook-polar-parse", "orderhook-inline-parse", "orderhook-verify-parse", "polar049", "polar101"];
  const results = Object.fromEntries(modes.map((m) => [m, []]));
  const env = { ...process.env, ORDERHOOK_BENCH_SECRET: secret };
  for (let k = 0; k < CFG.coldRuns; k++) {
    env.ORDERHOOK_BENCH_HEADERS = JSON.stringify(sign(polarKey(secret), p.bytes));
    for (const mode of modes) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [path.join(benchDir, "child", "cold.mjs"), mode, file], { env, encoding: "utf8", timeout: 60_000 });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`cold ${mode}: ${r.stderr.slice(-1500)}`);
      results[mode].push({ wall, ...JSON.parse(r.stdout) });
    }
  }
  const med = (mode, key) => median(results[mode].map((x) => x[key]));
  const spread = (mode, key) => {
    const xs = results[mode].map((x) => x[key]);
    return `${fmtMs(quantile(xs, 0.25))} – ${fmtMs(quantile(xs, 0.75))}`;
  };
  const noop = med("noop", "wall");
  const label = {
    "orderhook-parse": "orderhook: import + parse",
    "orderhook-polar-parse": "orderhook/polar (Polar's code only): import + parse",
    "orderhook-inline-parse": "orderhook/inline (.wasm as base64 in the JS): import + parse",
    "orderhook-verify-parse": "orderhook: import + verify + parse",
    polar049: "@polar-sh/sdk 0.49: import + validateEvent",
    polar101: "@polar-sh/sdk 1.0.1: import + await validateEvent",
  };
  const rows = Object.entries(label).map(([m, l]) => [
    l,
    fmtMs(med(m, "import_ms")),
    fmtMs(med(m, "first_ms")),
    `**${fmtMs(med(m, "total_ms"))}**`,
    spread(m, "total_ms"),
    fmtMs(med(m, "wall")),
    fmtMs(med(m, "wall") - noop),
  ]);
  const phases = (mode) =>
    ["glue_ms", "read_ms", "compile_ms", "instantiate_ms", "first_ms", "second_ms"].map((k) => [k.replace(/_ms$/, ""), fmtMs(med(mode, k)), spread(mode, k)]);
  const startCost = (mode) => median(results[mode].map((x) => x.compile_ms + x.instantiate_ms + x.first_ms));
  const cif = startCost("instantiate");
  const cifPolar = startCost("instantiate-polar");
  headline.cold = {
    cif,
    cifPolar,
    oh: med("orderhook-parse", "total_ms"),
    ohv: med("orderhook-verify-parse", "total_ms"),
    p049: med("polar049", "total_ms"),
    p101: med("polar101", "total_ms"),
  };
  return [
    `${CFG.coldRuns} runs of each, interleaved; medians (and the interquartile range). Payload: ${p.name} (${p.bytes.length} B), signed with the original key scheme so 0.49 accepts it. ` +
      "In-process times are from the top of bench/child/cold.mjs (after Node's bootstrap) with dynamic `import()`, so loading the library is inside; " +
      `process wall time is spawn to exit; an empty process (\`noop\`) takes ${fmtMs(noop)}.`,
    "",
    table(["what", "import", "first call", "import + first call", "IQR", "process wall", "wall − empty process"], rows),
    "",
    "The phases of orderhook's start, one by one (`instantiate` mode: the JS glue, reading the .wasm, `new WebAssembly.Module`, `initSync`, first and second parse):",
    "",
    table(["phase", "median", "IQR"], phases("instantiate")),
    "",
    "The same phases for the orderhook/polar entry's .wasm (Polar's code only):",
    "",
    table(["phase", "median", "IQR"], phases("instantiate-polar")),
    "",
    `- Target ≤ 6 ms for compile + instantiate + first parse: ${verdict(cif, 6, fmtMs)}; orderhook/polar: ${verdict(cifPolar, 6, fmtMs)}.`,
    "- Node 20 compiles wasm lazily: `new WebAssembly.Module` validates the module, and each function is compiled (Liftoff) on its first call, " +
      "so the first parse pays for compiling every function it touches; later calls tier up to TurboFan in the background.",
  ].join("\n");
});

// ---------------------------------------------------------------- 9: memory

await section("memory", "9. Memory over many parses", async () => {
  const r = spawnSync(process.execPath, ["--expose-gc", path.join(benchDir, "child", "memory.mjs"), String(CFG.memoryParses)], { cwd: root, encoding: "utf8", timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`memory child: ${r.stderr.slice(-1500)}`);
  const m = JSON.parse(r.stdout);
  if (m.ok !== m.total) throw new Error(`only ${m.ok} of ${m.total} parses were ok`);
  const warm = m.points.find((x) => x.parses >= 1_000) ?? m.points[0];
  const last = m.points[m.points.length - 1];
  const wasmFlat = last.wasm === warm.wasm;
  const heapGrowth = last.heapUsed - warm.heapUsed;
  headline.memory = { wasm: last.wasm, wasmFlat, heapGrowth };
  const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
  return [
    `${m.total.toLocaleString("en-US")} parses (${m.seconds.toFixed(1)} s) cycling over the ${m.bodies} bodies (each payload as string and as bytes), all \`ok\`. ` +
      "After each checkpoint: two full GCs (`--expose-gc`), then the wasm linear memory (`memory.buffer.byteLength`, the wasm-bindgen `memory` export, reached through `initSync()` of pkg/orderhook.js, which returns the live instance's exports) and `process.memoryUsage()`.",
    "",
    table(
      ["parses", "wasm memory", "JS heap used", "JS heap total", "external", "rss"],
      m.points.map((x) => [x.parses.toLocaleString("en-US"), mib(x.wasm), mib(x.heapUsed), mib(x.heapTotal), mib(x.external), mib(x.rss)]),
    ),
    "",
    `- wasm memory ${wasmFlat ? "**flat**" : "**grew**"} from ${warm.parses.toLocaleString("en-US")} parses on (${mib(warm.wasm)} → ${mib(last.wasm)}); ` +
      `JS heap after GC changed by ${(heapGrowth / 1024).toFixed(0)} KiB over the same span (${Math.abs(heapGrowth) < 1048576 ? "**flat**" : "**not flat**"}).`,
  ].join("\n");
});

// ---------------------------------------------------------------- 10: workerd

await section("workerd", "10. The parse benchmark inside workerd", async () => {
  const { benchWorkerd } = await import("./workerd/runner.mjs");
  const { SCHEMA_PAYLOADS: schemaNames } = await import("./schemas.mjs");
  const { cases: node } = await import("./cases.mjs"); // the same loops in this Node process
  const chosen = QUICK ? allPayloads.filter((p) => ["polar.order.paid", "voucherify.customer.order.paid", "shopify.orders~paid"].includes(p.name)) : allPayloads;
  for (const p of chosen) {
    const why = notUsable(p, p.result);
    if (why) throw new Error(`${p.name} ${why}`);
  }
  const wp = chosen.map((p) => ({ name: p.name, provider: p.provider, text: p.text, options: p.options, schema: schemaNames.includes(p.name) }));
  const caseNames = Object.keys(node);
  const w = await benchWorkerd({ payloads: wp, caseNames, targetMs: CFG.workerdTargetMs, repeats: CFG.workerdRepeats, log });
  // The same loops in this Node process, same iteration counts, timed the same way (total / N).
  let s;
  const nodeLoop = (fn, p, n) => {
    for (let k = 0; k < Math.min(n, 200); k++) s = fn(p); // warm-up
    const times = [];
    for (let r = 0; r < CFG.workerdRepeats; r++) {
      const t0 = performance.now();
      for (let k = 0; k < n; k++) s = fn(p);
      times.push(performance.now() - t0);
    }
    return (median(times) / n) * 1e6;
  };
  const get = (payload, c) => w.rows.find((r) => r.payload === payload && r.case === c);
  const rows = [];
  const ratios = { wS: [], wB: [], nS: [], nB: [] };
  for (const p of chosen) {
    const jw = get(p.name, "JSON.parse");
    const jbw = get(p.name, "JSON.parse(decode(bytes))");
    const jn = nodeLoop(node["JSON.parse"], p, jw.n);
    const jbn = nodeLoop(node["JSON.parse(decode(bytes))"], p, jbw.n);
    for (const c of caseNames) {
      const r = get(p.name, c);
      if (!r) continue;
      const n = nodeLoop(node[c], p, r.n);
      const base = c.includes("bytes") ? [jbw.perIterNs, jbn] : [jw.perIterNs, jn];
      if (c === "orderhook parse(string)") (ratios.wS.push(r.perIterNs / base[0]), ratios.nS.push(n / base[1]));
      if (c === "orderhook parse(bytes)") (ratios.wB.push(r.perIterNs / base[0]), ratios.nB.push(n / base[1]));
      rows.push([p.name, c, r.n.toLocaleString("en-US"), fmtNs(n), fmtRatio(n / base[1]), fmtNs(r.perIterNs), `±${(r.spread * 100).toFixed(1)}%`, fmtRatio(r.perIterNs / base[0]), fmtNs(r.perfNs), fmtRatio(r.perIterNs / n)]);
    }
  }
  const valibotW = schemaNames.map((n) => get(n, "orderhook parse(string)") && get(n, "valibot") && get(n, "orderhook parse(string)").perIterNs / get(n, "valibot").perIterNs).filter(Boolean);
  headline.workerd = { wS: geomean(ratios.wS), wB: geomean(ratios.wB), nS: geomean(ratios.nS), nB: geomean(ratios.nB), evalAllowed: w.evalAllowed, valibot: valibotW.length ? Math.max(...valibotW) : undefined };
  const zodRows = rows.filter((r) => r[1] === "zod" || r[1] === "valibot" || (schemaNames.includes(r[0]) && r[1] === "orderhook parse(string)"));
  return [
    `workerd ${path.basename(path.dirname(path.dirname(w.binary)))} (compatibility date ${w.compatibilityDate}), ${w.moduleCount} modules: the Worker (bench/workerd/worker.js) imports orderhook through the package's \`workerd\` export and zod and valibot from node_modules. ` +
      `\`new Function\` allowed in the Worker: **${w.evalAllowed}** (so zod runs without its JIT fast path there). ` +
      "Each request runs one case N times in a synchronous loop; N doubles until a request takes " +
      `${CFG.workerdTargetMs} ms, then ${CFG.workerdRepeats} requests are timed from outside (wall clock in the runner), minus the median empty request (${fmtMs(w.overheadMs)}), divided by N. ` +
      `The Worker's own \`performance.now()\` delta is shown too: here it advanced in whole milliseconds (workerd coarsens timers; it read 0 in ${w.clock.perfZero} of ${w.clock.samples} requests), so it is only usable over long loops. ` +
      "The Node column runs the same functions in this process with the same N, timed the same way.",
    "",
    table(["payload", "case", "N", "Node (loop)", "Node ratio to JSON.parse", "workerd (loop)", "spread", "workerd ratio to JSON.parse", "workerd performance.now()", "workerd / Node"], rows),
    "",
    `- orderhook / JSON.parse, geometric mean: workerd string ${fmtRatio(headline.workerd.wS)}, bytes ${fmtRatio(headline.workerd.wB)}; Node (same loop) string ${fmtRatio(headline.workerd.nS)}, bytes ${fmtRatio(headline.workerd.nB)}.`,
    zodRows.length
      ? `- zod and valibot vs orderhook in workerd: ${schemaNames
          .map((n) => {
            const oh = get(n, "orderhook parse(string)");
            const z = get(n, "zod");
            const v = get(n, "valibot");
            return oh && z && v ? `${n}: orderhook / zod ${fmtRatio(oh.perIterNs / z.perIterNs)}, orderhook / valibot ${fmtRatio(oh.perIterNs / v.perIterNs)}` : null;
          })
          .filter(Boolean)
          .join("; ")}.`
      : "",
  ].join("\n");
});

// ---------------------------------------------------------------- boundary + opt-level (scratch builds)

await section("boundary", "11. Boundary and build experiments (scratch copies of the crate)", async () => {
  if (QUICK) return "Skipped in `--quick` mode (it builds three scratch copies of the crate).";
  const { buildVariants, SCRATCH } = await import("./boundary.mjs");
  const variants = buildVariants({ log });
  const names = ["polar.order.paid", "voucherify.customer.order.paid", "vrio.order_updated", "voucherify.bare-data.paid.amount-mismatch"];
  const child = (mode, dir) => {
    const r = spawnSync(process.execPath, ["--expose-gc", path.join(benchDir, "child", "boundary.mjs"), mode, dir, String(CFG.cpuTimeMs), ...names], { cwd: root, encoding: "utf8", timeout: 15 * 60_000, maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`boundary child ${mode} ${dir}: ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout);
  };
  const pathTables = [];
  const gmByBuild = {};
  for (const [key, label] of [["swb", "opt-level \"s\" (as shipped)"], ["swb-z", "opt-level \"z\""]]) {
    log(`boundary: paths, ${label}`);
    const paths = child("paths", variants[key].dir);
    const pathNames = Object.keys(paths.payloads[0].paths);
    const partNames = Object.keys(paths.payloads[0].parts);
    const floor = (row) => row.parts["JSON.parse(body), the floor"].p50;
    const gm = Object.fromEntries(pathNames.map((pn) => [pn, geomean(paths.payloads.map((row) => row.paths[pn].p50 / floor(row)))]));
    gmByBuild[label] = gm;
    const rowsPaths = pathNames.map((pn) => [
      pn,
      ...paths.payloads.map((row) => `${fmtStat(row.paths[pn])} (${fmtRatio(row.paths[pn].p50 / floor(row))})`),
      `**${fmtRatio(gm[pn])}**`,
      paths.payloads.every((row) => row.paths[pn].same) ? "yes" : "all but `metadata`",
    ]);
    const rowsParts = partNames.map((pn) => [pn, ...paths.payloads.map((row) => fmtStat(row.parts[pn]))]);
    const fastest = Object.entries(gm).sort((a, b) => a[1] - b[1])[0];
    pathTables.push(
      `#### ${label}`,
      "",
      table(["path", ...paths.payloads.map((r) => `${r.name} (${r.bytes} B → ${r.resultBytes} B)`), "geomean ratio", "same result"], rowsPaths),
      "",
      "Where the time goes (same build; the input and output rows isolate the boundary copies):",
      "",
      table(["part", ...paths.payloads.map((r) => r.name)], rowsParts),
      "",
      `- Fastest path here (geometric mean): **${fastest[0]}** at ${fmtRatio(fastest[1])} JSON.parse.`,
      "",
    );
  }
  headline.boundary = gmByBuild;

  log("boundary: opt-levels");
  const builds = [
    ["opt-level \"z\"", variants["opt-z"].dir],
    ["opt-level \"s\" (as shipped, pkg/)", pkgDir],
    ["opt-level 3", variants["opt-3"].dir],
  ];
  const rowsOpt = [];
  const optResults = {};
  for (const [label, dir] of builds) {
    const e = child("e2e", dir);
    const sz = sizes(readFileSync(path.join(dir, "orderhook_bg.wasm")));
    const rs = geomean(e.payloads.map((x) => x.string.p50 / x.json.p50));
    const rb = geomean(e.payloads.map((x) => x.bytes.p50 / x.jsonBytes.p50));
    const cold = [];
    for (let k = 0; k < 9; k++) {
      const r = spawnSync(process.execPath, [path.join(benchDir, "child", "cold.mjs"), "instantiate", path.join(samplesDir, "polar.order.paid.json")], {
        env: { ...process.env, ORDERHOOK_BENCH_PKG: dir },
        encoding: "utf8",
        timeout: 60_000,
      });
      if (r.status !== 0) throw new Error(`cold ${label}: ${r.stderr.slice(-1000)}`);
      const j = JSON.parse(r.stdout);
      cold.push(j.compile_ms + j.instantiate_ms + j.first_ms);
    }
    optResults[label] = { rs, rb, sz, cold: median(cold) };
    rowsOpt.push([
      label,
      sz.raw.toLocaleString("en-US"),
      sz.gzip.toLocaleString("en-US"),
      sz.brotli.toLocaleString("en-US"),
      ...e.payloads.map((x) => `${fmtNs(x.string.p50)} / ${fmtNs(x.bytes.p50)}`),
      `**${fmtRatio(rs)}** / **${fmtRatio(rb)}**`,
      fmtMs(median(cold)),
    ]);
  }
  headline.opt = optResults;
  return [
    `Built in ${SCRATCH} (never in the repository) with the same wasm-bindgen CLI (.tools/bin/wasm-bindgen) and wasm-opt flags as \`npm run build\`; ` +
      `build times ${Object.entries(variants).map(([k, v]) => `${k} ${v.buildSeconds.toFixed(0)} s`).join(", ")}.`,
    "",
    "### Which way across the boundary",
    "",
    "The `swb` copies add to src/wasm.rs: `parseBytesObject`/`parseStringObject` (the same verdict serialized by `serde_wasm_bindgen::Serializer::json_compatible()` into a JS object), " +
      "`parseOnly` (the core with no result encoding) and `detectOnly`; built at the shipped opt-level (\"s\") and at \"z\". Each path's result is compared with the current one first. Median per call (±half IQR), and its ratio to `JSON.parse(body)`:",
    "",
    ...pathTables,
    "- serde-wasm-bindgen cannot carry `serde_json::value::RawValue` (the `metadata` pass-through): it yields `{\"$serde_json::private::RawValue\": \"...\"}` instead of the object, so that path would need metadata re-parsed in JS or a different metadata type. It also adds about 30 KB to the raw .wasm.",
    "",
    "### Release opt-level (size against speed)",
    "",
    "The crate unchanged, built with `CARGO_PROFILE_RELEASE_OPT_LEVEL`; sizes after wasm-opt -Oz; public `parse()` medians (string / bytes) and the geometric-mean ratio to JSON.parse; compile + instantiate + first parse in a fresh process (median of 9).",
    "",
    table(["build", "raw", "gzip", "brotli", ...names.map((n) => `${n} string / bytes`), "ratio string / bytes", "cold compile+inst+first"], rowsOpt),
  ].join("\n");
});

// ---------------------------------------------------------------- 12: start-up in Chromium

await section("browser", "12. Start-up in Chromium: orderhook/inline against the fetched .wasm", async () => {
  const CHROMIUM = "/usr/bin/chromium";
  if (!existsSync(CHROMIUM)) return `Skipped: ${CHROMIUM} is missing.`;
  const esbuild = await import("esbuild");
  const { chromium } = await import("playwright-core");
  const { createServer } = await import("node:http");
  const dir = mkdtempSync(path.join(os.tmpdir(), "orderhook-bench-browser-"));
  const text = readFileSync(path.join(samplesDir, "polar.order.paid.json"), "utf8");
  // Three esbuild ESM bundles of one page each: nothing (the page's own cost), the browser
  // entry with orderhook_bg.wasm beside it, and the inline entry. Each records, in ms from
  // navigation start, when `ready` resolved and how long the first parse took.
  const pages = {
    empty: "globalThis.__bench = { ready: performance.now(), first: 0, ok: true };",
    fetched: `import { ready, parse } from "orderhook";`,
    inline: `import { ready, parse } from "orderhook/inline";`,
  };
  const measure = `await ready; const t1 = performance.now(); const r = parse(${JSON.stringify(text)}); globalThis.__bench = { ready: t1, first: performance.now() - t1, ok: r.ok };`;
  const sizes = {};
  for (const [name, head] of Object.entries(pages)) {
    const entry = path.join(dir, `${name}-src.js`);
    writeFileSync(entry, name === "empty" ? head : `${head}\n${measure}\n`);
    const outfile = path.join(dir, `${name}.js`);
    await esbuild.build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", outfile, absWorkingDir: root, nodePaths: [path.join(root, "node_modules")], logLevel: "silent" });
    writeFileSync(path.join(dir, `${name}.html`), `<!doctype html><meta charset="utf-8"><script type="module" src="./${name}.js"></script>`);
    sizes[name] = readFileSync(outfile).length;
  }
  writeFileSync(path.join(dir, "orderhook_bg.wasm"), readFileSync(path.join(pkgDir, "orderhook_bg.wasm")));
  const server = createServer((req, res) => {
    const file = path.join(dir, path.basename(new URL(req.url, "http://x").pathname));
    if (!existsSync(file)) return res.writeHead(404).end();
    const type = file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".html") ? "text/html" : "text/javascript";
    res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args, timeout: 30_000 });
  const runs = QUICK ? 3 : 15;
  const results = Object.fromEntries(Object.keys(pages).map((n) => [n, []]));
  try {
    for (let k = 0; k < runs; k++) {
      for (const name of Object.keys(pages)) {
        const context = await browser.newContext(); // a fresh profile: no HTTP or code cache
        const page = await context.newPage();
        await page.goto(`${base}/${name}.html`, { timeout: 15_000 });
        await page.waitForFunction(() => globalThis.__bench !== undefined, null, { timeout: 15_000 });
        const r = await page.evaluate(() => globalThis.__bench);
        if (!r.ok) throw new Error(`${name}: the first parse failed`);
        results[name].push(r);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const med = (name, key) => median(results[name].map((r) => r[key]));
  const empty = med("empty", "ready");
  const label = { empty: "empty page (the same bundle without orderhook)", fetched: '"orderhook" + orderhook_bg.wasm beside it (fetched, compiled streaming)', inline: '"orderhook/inline" (base64 in the bundle, compiled synchronously)' };
  const rows = Object.keys(pages).map((name) => [
    label[name],
    `${sizes[name].toLocaleString("en-US")}${name === "fetched" ? ` + ${readFileSync(path.join(pkgDir, "orderhook_bg.wasm")).length.toLocaleString("en-US")} (.wasm)` : ""}`,
    fmtMs(med(name, "ready")),
    name === "empty" ? "" : fmtMs(med(name, "ready") - empty),
    name === "empty" ? "" : fmtMs(med(name, "first")),
  ]);
  return [
    `Chromium ${browser.version()}, headless, a fresh browser context per load (no HTTP or code cache), served from 127.0.0.1; ${runs} loads of each page, interleaved; medians. ` +
      "Times are from navigation start (`performance.now()`).",
    "",
    table(["page (esbuild ESM bundle)", "bytes", "`ready` resolved", "− empty page", "first parse"], rows),
  ].join("\n");
});

// ---------------------------------------------------------------- RESULTS.md

function machine() {
  const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const lscpu = sh("lscpu") ?? "";
  const family = lscpu.match(/^CPU family:\s*(.+)$/m)?.[1];
  const model = lscpu.match(/^Model:\s*(.+)$/m)?.[1];
  return {
    cpu: `${cpu}${family ? ` (family ${family}, model ${model})` : ""}`,
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node: process.version,
    v8: process.versions.v8,
    rustc: sh("rustc", ["--version"]) ?? "not found",
    cargo: sh("cargo", ["--version"]) ?? "not found",
    bindgen: sh(WASM_BINDGEN, ["--version"]) ?? "not found",
    os: `${os.type()} ${os.release()}`,
  };
}

const m = machine();
const deps = Object.fromEntries(
  ["mitata", "standardwebhooks", "polar-sdk-049", "polar-sdk-101", "zod", "valibot", "workerd", "binaryen"].map((d) => {
    try {
      return [d, JSON.parse(readFileSync(path.join(root, "node_modules", d, "package.json"), "utf8")).version];
    } catch {
      return [d, "?"];
    }
  }),
);
const h = headline;
const summary = [];
const row = (what, goal, measured, met) => summary.push(`| ${what} | ${goal} | ${measured} | ${met ? "met" : "**missed**"} |`);
if (h.schemas) row("parse ÷ hand-written valibot schema, Node (worst payload)", "≤ 1.0×", fmtRatio(h.schemas.valibot), h.schemas.valibot <= 1);
if (h.workerd?.valibot) row("parse ÷ hand-written valibot schema, workerd (worst payload)", "≤ 1.0×", fmtRatio(h.workerd.valibot), h.workerd.valibot <= 1);
if (h.parse) {
  row("parse ÷ JSON.parse, string in, Node (geomean)", "≤ 2.0×", fmtRatio(h.parse.gs), h.parse.gs <= 2);
  row("parse ÷ JSON.parse(decode), bytes in, Node (geomean)", "≤ 2.0×", fmtRatio(h.parse.gb), h.parse.gb <= 2);
}
if (h.workerd) {
  row("parse ÷ JSON.parse, string in, workerd (geomean)", "≤ 2.0×", fmtRatio(h.workerd.wS), h.workerd.wS <= 2);
  row("parse ÷ JSON.parse(decode), bytes in, workerd (geomean)", "≤ 2.0×", fmtRatio(h.workerd.wB), h.workerd.wB <= 2);
}
if (h.zones) row("Vrio parse, IANA zone ÷ fixed offset (worst zone)", "≤ 1.2×", fmtRatio(h.zones.worst), h.zones.worst <= 1.2);
if (h.size) {
  row(".wasm raw (after wasm-opt)", "≤ 240 KB", `${h.size.raw.toLocaleString("en-US")} B`, h.size.raw <= 240_000);
  row(".wasm gzip", "≤ 90 KB", `${h.size.gzip.toLocaleString("en-US")} B`, h.size.gzip <= 90_000);
}
if (h.entries) {
  const big = h.entries.at(-1);
  const small = h.entries[0];
  const met = h.entries.filter((e) => e.raw <= 240_000 && e.gzip <= 90_000).length;
  row(
    "per-provider entry .wasm, raw / gzip (largest; smallest)",
    "≤ 240 KB / ≤ 90 KB",
    `${big.name} ${big.raw.toLocaleString("en-US")} B / ${big.gzip.toLocaleString("en-US")} B; ${small.name} ${small.raw.toLocaleString("en-US")} B / ${small.gzip.toLocaleString("en-US")} B (${met} of ${h.entries.length} met)`,
    big.raw <= 240_000 && big.gzip <= 90_000,
  );
}
if (h.cold) row("compile + instantiate + first parse, fresh Node process", "≤ 6 ms", fmtMs(h.cold.cif), h.cold.cif <= 6);
if (h.cold) row("the same, orderhook/polar entry (Polar's code only)", "≤ 6 ms", fmtMs(h.cold.cifPolar), h.cold.cifPolar <= 6);
if (h.verify) row("Polar verify ÷ standardwebhooks (worst seed)", "≤ 0.5×", fmtRatio(h.verify.worst), h.verify.worst <= 0.5);
if (h.polar) {
  row("Polar verify + parse ÷ sdk 0.49 validateEvent (worst)", "≤ 0.2×", fmtRatio(h.polar.w049), h.polar.w049 <= 0.2);
  row("Polar verify + parse ÷ sdk 1.0.1 validateEvent (worst)", "≤ 0.15×", fmtRatio(h.polar.w101), h.polar.w101 <= 0.15);
}
if (h.memory) row(`memory over ${CFG.memoryParses.toLocaleString("en-US")} parses`, "flat", `wasm ${h.memory.wasmFlat ? "flat" : "grew"}, heap ${(h.memory.heapGrowth / 1024).toFixed(0)} KiB`, h.memory.wasmFlat && Math.abs(h.memory.heapGrowth) < 1048576);
const extra = [];
if (h.schemas) extra.push(`orderhook / hand-written schema: ${fmtRatio(h.schemas.best)} – ${fmtRatio(h.schemas.worst)} (Node)`);
if (h.cold) extra.push(`cold start import + first call: orderhook ${fmtMs(h.cold.oh)} (with verify ${fmtMs(h.cold.ohv)}), sdk 0.49 ${fmtMs(h.cold.p049)}, sdk 1.0.1 ${fmtMs(h.cold.p101)}`);
if (h.workerd) extra.push(`workerd parse / JSON.parse: string ${fmtRatio(h.workerd.wS)}, bytes ${fmtRatio(h.workerd.wB)}`);
if (h.native) extra.push(`native parse / serde_json::Value ${fmtRatio(h.native.geo)}, ${h.native.mbps.toFixed(0)} MB/s median`);
if (h.boundary) {
  for (const [build, gm] of Object.entries(h.boundary)) {
    const [best, ratio] = Object.entries(gm).sort((a, b) => a[1] - b[1])[0];
    extra.push(`boundary, ${build}: fastest path ${best} (${fmtRatio(ratio)} JSON.parse; current string path ${fmtRatio(Object.values(gm)[0])}, bytes path ${fmtRatio(Object.values(gm)[1])})`);
  }
}
if (h.opt) extra.push(`opt-level: ${Object.entries(h.opt).map(([k, o]) => `${k} ${o.sz.raw.toLocaleString("en-US")} B raw / ${o.sz.gzip.toLocaleString("en-US")} B gzip, parse ${fmtRatio(o.rs)} / ${fmtRatio(o.rb)} JSON.parse`).join("; ")}`);

const command = `npm run bench${QUICK ? " -- --quick" : ""}${onlyArg ? ` ${onlyArg}` : ""}`;
const doc = [
  `# orderhook benchmarks${QUICK ? " (quick smoke run: short timings, few payloads — not for quoting)" : ""}`,
  "",
  `Written by \`${command}\` (bench/run.mjs) on ${new Date(started).toISOString().replace(/\.\d+Z$/, "Z")}, in ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
    `orderhook ${version}. Payloads: the ${allPayloads.filter((p) => p.kind === "sample").length} bundled samples (examples/samples) and the fixtures that reproduce the seed documents (tests/fixtures: ${allPayloads.filter((p) => p.kind === "seed").map((p) => p.name).join(", ")}), read at run time.`,
  "",
  "| machine | |",
  "| --- | --- |",
  `| CPU | ${m.cpu} |`,
  `| cores / memory | ${m.cores} / ${m.memory} (shared: load average ${os.loadavg().map((x) => x.toFixed(2)).join(", ")} at the end) |`,
  `| OS | ${m.os} |`,
  `| Node / V8 | ${m.node} / ${m.v8} |`,
  `| Rust | ${m.rustc}; ${m.cargo} |`,
  `| wasm-bindgen CLI | ${m.bindgen} |`,
  `| harness and peers | ${Object.entries(deps).map(([k, v]) => `${k} ${v}`).join(", ")} |`,
  "",
  "Timings are medians from mitata (`measure`, ≥ " + `${CFG.cpuTimeMs} ms of samples per case, warm-up included) unless a section says otherwise. ` +
    "This machine is shared with other work, so absolute times move between runs; ratios measured back to back are steadier.",
  "",
  "## Summary",
  "",
  "| target (issue 14) | goal | measured | |",
  "| --- | ---: | ---: | --- |",
  ...summary,
  "",
  ...extra.map((e) => `- ${e}`),
  failures.length ? `\n**Failed sections:** ${failures.join("; ")}` : "",
  "",
  ...sections.flatMap((s) => [s, ""]),
].join("\n");

// Hand-written sections below this marker (size per provider, measured with `npm run build`
// before and after each provider's module) are kept across runs.
const KEPT = "<!-- kept by npm run bench: hand-written measurements below -->";
const previous = existsSync(OUT) ? readFileSync(OUT, "utf8") : "";
const kept = previous.includes(KEPT) ? previous.slice(previous.indexOf(KEPT)) : "";
writeFileSync(OUT, kept ? `${doc.trimEnd()}\n\n${kept}` : doc);
log(`wrote ${path.relative(process.cwd(), OUT) || OUT}${failures.length ? ` (${failures.length} section(s) failed)` : ""}`);
if (QUICK) process.stdout.write(doc);
process.exit(failures.length ? 1 : 0);
