// Load and fault test of examples/worker in workerd, on 127.0.0.1 only.
//
// Starts the example exactly as its README does (examples/worker/workerd.capnp, the
// built package found through --import-path), then sends a fixed plan of requests
// from Node with bounded concurrency over keep-alive connections: valid deliveries
// of every provider (each with its own id), deliberate duplicates of deliveries that
// were answered, and faults: invalid JSON, wrong types, oversize and exact-limit
// bodies (with and without Content-Length), bad, malformed, missing and stale
// signatures, empty and truncated bodies, wrong methods, unknown paths and wrong Vrio
// tokens, events that are not orders. Every answer is checked against what the
// package itself says in Node (the same parse and verify), down to the body.
// Throughput is printed, never asserted. workerd is always stopped.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { parse, verify } from "orderhook";
import { startWorkerd } from "../../scripts/workerd.mjs";
import { polarKey, root, samples, standardWebhooksHeaders, voucherifySignature } from "../js/helpers.mjs";
import { capnpModules, exampleDir, packageWorkerdFiles } from "./lib.mjs";

const CONCURRENCY = 32;
const LIMIT = 64 * 1024; // MAX_BODY_BYTES of the Worker under test
const REQUEST_TIMEOUT_MS = 10_000;
const SEED = Number(process.env.ORDERHOOK_LOAD_SEED ?? 0x5eed);

// Fixed counts: 21,050 requests in the load phase.
const PLAN = {
  polar_valid: 3500,
  polar_valid_raw_key: 500, // Polar's original key scheme: the secret's own UTF-8 bytes
  voucherify_valid: 3500,
  voucherify_valid_bare: 500, // the bare `data` object: no event id, so never de-duplicated
  vrio_valid: 3000,
  valid_chunked: 400, // valid, sent without Content-Length
  exact_limit: 50, // valid, exactly MAX_BODY_BYTES long
  duplicate: 1500,
  invalid_json: 1000,
  wrong_types: 1000,
  oversize: 600,
  oversize_chunked: 300,
  bad_signature: 1000,
  missing_signature: 600,
  stale_timestamp: 600,
  empty_body: 600,
  truncated: 800,
  wrong_method: 700,
  unknown_path: 400,
  wrong_vrio_token: 300,
  not_an_order: 200,
};

const POLAR_SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const VOUCHERIFY_SECRET = randomBytes(24).toString("hex");
const VRIO_TOKEN = randomBytes(32).toString("hex");
const VRIO_PATH = `/webhooks/vrio/${VRIO_TOKEN}`;
const ENV = {
  POLAR_WEBHOOK_SECRET: POLAR_SECRET,
  VOUCHERIFY_WEBHOOK_SECRET: VOUCHERIFY_SECRET,
  VRIO_PATH_TOKEN: VRIO_TOKEN,
  VRIO_TIME_ZONE: "America/New_York",
  VRIO_CURRENCY: "USD",
  VOUCHERIFY_CURRENCY: "EUR",
  MAX_BODY_BYTES: String(LIMIT),
};
// What the Worker passes to parse() for each provider, given ENV.
const OPTIONS = {
  polar: { provider: "polar", maxBytes: LIMIT },
  voucherify: { provider: "voucherify", maxBytes: LIMIT, currency: "EUR" },
  vrio: { provider: "vrio", maxBytes: LIMIT, timeZone: "America/New_York", currency: "USD" },
};
const PATHS = { polar: "/webhooks/polar", voucherify: "/webhooks/voucherify", vrio: VRIO_PATH };

// ---------------------------------------------------------------- randomness (seeded)

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];

// ---------------------------------------------------------------- bodies

// Bodies as Buffers (views of the sample bytes), for their string-aware indexOf and lastIndexOf.
const of = (provider) => samples.filter((s) => s.provider === provider).map((s) => ({ ...s, bytes: Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.length) }));
const polarSamples = of("polar");
const voucherifyEnvelopes = of("voucherify").filter((s) => JSON.parse(s.text).event?.id);
const voucherifyBare = of("voucherify").filter((s) => !JSON.parse(s.text).event?.id);
const vrioSamples = of("vrio");
assert.ok(polarSamples.length && voucherifyEnvelopes.length && voucherifyBare.length && vrioSamples.length);

let serial = 0;
const nextId = () => ++serial;

/** A Voucherify envelope with its own `event.id`, byte-for-byte otherwise. */
function voucherifyWithId(sample, id) {
  const old = JSON.parse(sample.text).event.id;
  assert.equal(sample.text.split(`"${old}"`).length, 2, `${sample.file}: event id occurs once`);
  return Buffer.from(sample.text.replace(`"${old}"`, `"${id}"`));
}

/** A Vrio body with its own `webhook_event_id`. */
function vrioWithId(sample, id) {
  const text = sample.text.replace(/("webhook_event_id":\s*)("?)[^",\n]*\2/, `$1$2${id}$2`);
  assert.equal(String(JSON.parse(text).webhook_event_id), String(id));
  return Buffer.from(text);
}

/** `bytes` followed by spaces up to exactly `size` bytes (still the same JSON). */
const padTo = (bytes, size) => Buffer.concat([bytes, Buffer.alloc(size - bytes.length, 0x20)]);

// One signed, valid delivery of a provider: `{ provider, body, headers, id }`.
function validDelivery(provider, { rawKey = false, bare = false } = {}) {
  const n = nextId();
  if (provider === "polar") {
    const body = pick(polarSamples).bytes;
    const id = `msg_load_${SEED}_${n}`;
    return { provider, body, id, headers: standardWebhooksHeaders(body, rawKey ? POLAR_SECRET : polarKey(POLAR_SECRET), { id }) };
  }
  if (provider === "voucherify") {
    const body = bare ? pick(voucherifyBare).bytes : voucherifyWithId(pick(voucherifyEnvelopes), `evcus_load_${n}`);
    return { provider, body, id: bare ? null : `evcus_load_${n}`, headers: { "x-voucherify-signature": voucherifySignature(body, VOUCHERIFY_SECRET) } };
  }
  const id = String(10_000_000 + n);
  return { provider, body: vrioWithId(pick(vrioSamples), id), id, headers: {} };
}

/** Sign `body` correctly for `provider` (a fresh Polar id), so that it reaches parse(). */
function signedFor(provider, body) {
  if (provider === "polar") return standardWebhooksHeaders(body, polarKey(POLAR_SECRET), { id: `msg_fault_${nextId()}` });
  if (provider === "voucherify") return { "x-voucherify-signature": voucherifySignature(body, VOUCHERIFY_SECRET) };
  return {};
}

const PROVIDERS = ["polar", "voucherify", "vrio"];

// ---------------------------------------------------------------- expectations

const issue = (code, message) => ({ severity: "error", code, path: "", message });

function expectParsed(provider, body, headers, id) {
  // Polar's delivery id is its signed `webhook-id` header, which becomes the event's id.
  const result = parse(body, provider === "polar" && id ? { ...OPTIONS[provider], eventId: id } : OPTIONS[provider]);
  if (result.ok) return { status: 200, json: { ok: true, duplicate: false, id, event: result.event, warnings: result.warnings } };
  if (result.errors.length === 1 && result.errors[0].code === "unsupported_event") {
    return { status: 200, json: { ok: true, ignored: true, reason: result.errors[0] } };
  }
  return { status: 400, json: { ok: false, errors: result.errors, warnings: result.warnings } };
}

/** 401 with the issue the package's own verify() gives for the same bytes and headers. */
function expectRejected(provider, body, headers, code) {
  const secret = provider === "polar" ? POLAR_SECRET : VOUCHERIFY_SECRET;
  const checked = verify(provider, body, headers, secret);
  assert.equal(checked.ok, false, "the test built a signature failure");
  assert.equal(checked.error.code, code, "the test built the failure it meant");
  // A stale timestamp's message counts seconds, which may tick between here and the Worker.
  const { message, ...rest } = checked.error;
  return { status: 401, json: { ok: false, error: code === "stale_timestamp" ? rest : checked.error }, looseMessage: code === "stale_timestamp" };
}

const notFound = { status: 404, json: { ok: false, error: issue("not_found", "no such endpoint") } };

// ---------------------------------------------------------------- the plan

// Each entry builds its request when it is sent: `{ kind, method, path, headers, body, chunked, expect }`.
// `expect`: `{ status, json?, allow?, looseMessage? }`; valid ones also say `delivery` for duplicates.
const done = []; // deliveries answered `duplicate: false` that have an id, newest last

const build = {
  valid(provider, opts, kind) {
    const d = validDelivery(provider, opts);
    const expect = expectParsed(provider, d.body, d.headers, d.id);
    assert.equal(expect.status, 200, `${kind} is valid`);
    return { kind, method: "POST", path: PATHS[provider], headers: d.headers, body: d.body, expect, delivery: d };
  },
  polar_valid: () => build.valid("polar", {}, "polar_valid"),
  polar_valid_raw_key: () => build.valid("polar", { rawKey: true }, "polar_valid_raw_key"),
  voucherify_valid: () => build.valid("voucherify", {}, "voucherify_valid"),
  voucherify_valid_bare: () => build.valid("voucherify", { bare: true }, "voucherify_valid_bare"),
  vrio_valid: () => build.valid("vrio", {}, "vrio_valid"),
  valid_chunked: () => ({ ...build.valid(pick(PROVIDERS), {}, "valid_chunked"), chunked: true }),
  exact_limit() {
    const provider = pick(PROVIDERS);
    const d = validDelivery(provider);
    const body = padTo(d.body, LIMIT);
    const headers = provider === "vrio" ? {} : provider === "polar" ? standardWebhooksHeaders(body, polarKey(POLAR_SECRET), { id: d.id }) : signedFor(provider, body);
    const delivery = { ...d, body, headers };
    return { kind: "exact_limit", method: "POST", path: PATHS[provider], headers, body, expect: expectParsed(provider, body, headers, d.id), delivery, chunked: random() < 0.5 };
  },
  duplicate() {
    // A retry of a delivery that was answered recently (so it is still remembered).
    assert.ok(done.length > 0, "duplicates come after answered deliveries");
    const d = done[done.length - 1 - int(Math.min(done.length, 2000))];
    const headers = d.provider === "polar" ? standardWebhooksHeaders(d.body, polarKey(POLAR_SECRET), { id: d.id }) : d.headers;
    return { kind: "duplicate", method: "POST", path: PATHS[d.provider], headers, body: d.body, expect: { status: 200, json: { ok: true, duplicate: true, id: d.id } } };
  },
  invalid_json() {
    const provider = pick(PROVIDERS);
    const text = pick([
      '{"type":"order.paid",\n "data": }',
      "{'type': 'order.paid'}",
      '{"webhook_event": "order_updated"}}',
      "nul",
      "<html>502</html>",
      '{"data": {"id": "x"',
      "\u00ff\u00fe{}",
    ]);
    const body = text.startsWith("\u00ff") ? Buffer.from([0xff, 0xfe, 0x7b, 0x7d]) : Buffer.from(text);
    const headers = signedFor(provider, body);
    return { kind: "invalid_json", method: "POST", path: PATHS[provider], headers, body, expect: expectParsed(provider, body, headers) };
  },
  wrong_types() {
    const provider = pick(PROVIDERS);
    const sample = pick(provider === "voucherify" ? voucherifyEnvelopes : of(provider));
    const v = JSON.parse(sample.text);
    const mutate = {
      polar: [(x) => (x.data.total_amount = "6125"), (x) => (x.data.status = 42), (x) => (x.data = []), (x) => (x.data.items = {}), (x) => (x.data.currency = null)],
      voucherify: [(x) => (x.data.order.amount = "x"), (x) => (x.data.order.items = "none"), (x) => (x.data = 5)],
      vrio: [(x) => (x.webhook_data = "x"), (x) => (x.webhook_data.order.order_offers = {}), (x) => (x.webhook_event_date = 20260714)],
    }[provider];
    pick(mutate)(v);
    const body = Buffer.from(JSON.stringify(v));
    const headers = signedFor(provider, body);
    const expect = expectParsed(provider, body, headers);
    assert.equal(expect.status, 400, "a wrong type is an error");
    return { kind: "wrong_types", method: "POST", path: PATHS[provider], headers, body, expect };
  },
  oversize(chunked = false) {
    const provider = pick(PROVIDERS);
    const size = pick([LIMIT + 1, LIMIT + 1000, 2 * LIMIT, 5 * LIMIT]);
    const body = padTo(validDelivery(provider).body, size);
    const headers = signedFor(provider, body);
    const message = chunked ? `body is more than the limit of ${LIMIT} bytes; reading stopped there` : `body is ${size} bytes, more than the limit of ${LIMIT} bytes`;
    return { kind: chunked ? "oversize_chunked" : "oversize", method: "POST", path: PATHS[provider], headers, body, chunked, expect: { status: 413, json: { ok: false, error: issue("too_large", message) } } };
  },
  oversize_chunked: () => build.oversize(true),
  bad_signature() {
    const provider = pick(["polar", "voucherify"]);
    const d = validDelivery(provider);
    let { body, headers } = d;
    const how = int(4);
    let code = "bad_signature";
    if (how === 0) {
      // Signed with another secret.
      headers = provider === "polar" ? standardWebhooksHeaders(body, randomBytes(32), { id: d.id }) : { "x-voucherify-signature": voucherifySignature(body, "not-the-secret") };
    } else if (how === 1) {
      // The body was changed after signing: one byte inside a string value.
      body = Buffer.from(body);
      const at = body.indexOf('"', body.length >> 1) + 1;
      body[at] = body[at] === 0x41 ? 0x42 : 0x41;
    } else if (how === 2) {
      // The signature of another delivery.
      headers = { ...headers, ...(provider === "polar" ? { "webhook-signature": validDelivery("polar").headers["webhook-signature"] } : { "x-voucherify-signature": voucherifySignature("{}", VOUCHERIFY_SECRET) }) };
    } else {
      // A header that is not a signature at all.
      code = "malformed_header";
      headers = provider === "polar" ? { ...headers, "webhook-timestamp": "yesterday" } : { "x-voucherify-signature": "sha256=deadbeef" };
    }
    return { kind: "bad_signature", method: "POST", path: PATHS[provider], headers, body, expect: expectRejected(provider, body, headers, code) };
  },
  missing_signature() {
    const provider = pick(["polar", "voucherify"]);
    const d = validDelivery(provider);
    const headers = provider === "polar" && random() < 0.5 ? { "webhook-id": d.id, "webhook-timestamp": d.headers["webhook-timestamp"] } : {};
    return { kind: "missing_signature", method: "POST", path: PATHS[provider], headers, body: d.body, expect: expectRejected(provider, d.body, headers, "missing_signature") };
  },
  stale_timestamp() {
    const body = pick(polarSamples).bytes;
    const now = Math.floor(Date.now() / 1000);
    const timestamp = random() < 0.5 ? now - 400 - int(86_400) : now + 400 + int(86_400);
    const headers = standardWebhooksHeaders(body, polarKey(POLAR_SECRET), { id: `msg_stale_${nextId()}`, timestamp });
    return { kind: "stale_timestamp", method: "POST", path: PATHS.polar, headers, body, expect: expectRejected("polar", body, headers, "stale_timestamp") };
  },
  empty_body() {
    const provider = pick(PROVIDERS);
    const body = Buffer.alloc(0);
    if (provider !== "vrio" && random() < 0.3) {
      return { kind: "empty_body", method: "POST", path: PATHS[provider], headers: {}, body, expect: expectRejected(provider, body, {}, "missing_signature") };
    }
    const headers = signedFor(provider, body);
    return { kind: "empty_body", method: "POST", path: PATHS[provider], headers, body, expect: expectParsed(provider, body, headers) };
  },
  truncated() {
    const provider = pick(PROVIDERS);
    const d = validDelivery(provider);
    const body = d.body.subarray(0, 1 + int(d.body.lastIndexOf("}") - 1));
    if (provider !== "vrio" && random() < 0.5) {
      // Cut after signing: the signature no longer matches.
      return { kind: "truncated", method: "POST", path: PATHS[provider], headers: d.headers, body, expect: expectRejected(provider, body, d.headers, "bad_signature") };
    }
    const headers = signedFor(provider, body);
    const expect = expectParsed(provider, body, headers);
    assert.equal(expect.status, 400, "a truncated body is invalid");
    return { kind: "truncated", method: "POST", path: PATHS[provider], headers, body, expect };
  },
  wrong_method() {
    const provider = pick(PROVIDERS);
    const method = pick(["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
    const body = method === "PUT" || method === "PATCH" ? validDelivery(provider).body : undefined;
    const json = method === "HEAD" ? undefined : { ok: false, error: issue("method_not_allowed", `use POST, not ${method}`) };
    return { kind: "wrong_method", method, path: PATHS[provider], headers: {}, body, expect: { status: 405, allow: "POST", json } };
  },
  unknown_path() {
    const p = pick(["/", "/webhooks", "/webhooks/", "/webhooks/polar/", "/webhooks/POLAR", "/webhooks/square", "/favicon.ico", "/webhooks/voucherify/x"]);
    const method = pick(["GET", "POST"]);
    return { kind: "unknown_path", method, path: p, headers: {}, body: method === "POST" ? Buffer.from("{}") : undefined, expect: notFound };
  },
  wrong_vrio_token() {
    const p = pick(["/webhooks/vrio", "/webhooks/vrio/", `/webhooks/vrio/${VRIO_TOKEN.slice(0, -1)}`, `${VRIO_PATH}x`, `${VRIO_PATH}/`, `/webhooks/vrio/${randomBytes(32).toString("hex")}`]);
    const method = pick(["POST", "GET"]);
    return { kind: "wrong_vrio_token", method, path: p, headers: {}, body: method === "POST" ? vrioSamples[0].bytes : undefined, expect: notFound };
  },
  not_an_order() {
    const provider = pick(["polar", "vrio"]);
    const body = Buffer.from(
      provider === "polar"
        ? JSON.stringify({ type: pick(["checkout.created", "subscription.active", "customer.updated"]), timestamp: "2026-10-05T08:15:09Z", data: { id: "x" } })
        : JSON.stringify({ webhook_type: "shipment", webhook_event: "shipment_created", webhook_event_id: nextId(), webhook_event_date: "2026-07-14 09:32:17", webhook_data: {} }),
    );
    const headers = signedFor(provider, body);
    const expect = expectParsed(provider, body, headers);
    return { kind: "not_an_order", method: "POST", path: PATHS[provider], headers, body, expect };
  },
};

// The plan: every kind its fixed number of times, shuffled; duplicates only after the
// first 1,000 requests, when there are answered deliveries to repeat.
function makePlan() {
  const rest = [];
  for (const [kind, count] of Object.entries(PLAN)) if (kind !== "duplicate") for (let i = 0; i < count; i++) rest.push(kind);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const head = rest.slice(0, 1000);
  const tail = rest.slice(1000);
  for (let i = 0; i < PLAN.duplicate; i++) tail.splice(int(tail.length + 1), 0, "duplicate");
  return [...head, ...tail];
}

// ---------------------------------------------------------------- sending

let worker;
let agent;

function send({ method, path: p, headers, body, chunked }) {
  return new Promise((resolve) => {
    const h = { ...headers };
    if (body !== undefined && !chunked) h["content-length"] = String(body.length);
    const req = http.request({ host: "127.0.0.1", port: worker.port, method, path: p, agent, headers: h }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (error) => resolve({ error }));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", (error) => resolve({ error }));
    if (body === undefined) req.end();
    else if (chunked) {
      // Transfer-Encoding: chunked, in three pieces.
      const a = body.length / 3;
      req.write(body.subarray(0, a));
      req.write(body.subarray(a, 2 * a));
      req.end(body.subarray(2 * a));
    } else req.end(body);
  });
}

/** Problems with one answer, as strings (none when it is exactly as expected). */
function check(request, res) {
  const { expect } = request;
  if (res.error) return [`dropped: ${res.error.code ?? ""} ${res.error.message}`];
  const problems = [];
  if (res.status !== expect.status) problems.push(`status ${res.status}, expected ${expect.status}: ${res.text.slice(0, 300)}`);
  if (expect.allow !== undefined && res.headers.allow !== expect.allow) problems.push(`Allow: ${res.headers.allow}`);
  if (expect.json !== undefined) {
    if (!/^application\/json/.test(res.headers["content-type"] ?? "")) problems.push(`content-type ${res.headers["content-type"]}`);
    // Fast path: byte-for-byte the JSON the package gives in Node (same key order).
    if (!expect.looseMessage && res.text === (expect.text ??= JSON.stringify(expect.json))) return problems;
    let got;
    try {
      got = JSON.parse(res.text);
    } catch {
      return [...problems, `not JSON: ${res.text.slice(0, 200)}`];
    }
    if (expect.looseMessage && typeof got?.error?.message === "string" && got.error.message.length > 0) delete got.error.message;
    try {
      assert.deepStrictEqual(got, expect.json);
    } catch (e) {
      problems.push(`body differs: ${e.message.slice(0, 1500)}`);
    }
  }
  return problems;
}

/** CPU time (user + system) a process used so far, from /proc; NaN where there is none. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- the tests

before(async () => {
  worker = await startWorkerd({
    config: path.join(exampleDir, "workerd.capnp"),
    cwd: exampleDir,
    importPath: path.join(root, "node_modules"), // node_modules/orderhook → pkg/ (npm run build)
    env: ENV,
  });
  agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
});

// Always stop workerd, also when a test fails.
after(async () => {
  agent?.destroy();
  await worker?.stop();
});

// Bounded in count (see the loops) and in time: 180 s leaves room for a loaded 2-core machine,
// where the suite has taken 30-55 s alone and over 60 s beside other builds.
describe("examples/worker in workerd", { timeout: 180_000 }, () => {
  test("workerd.capnp lists exactly the modules of the package's workerd entry", () => {
    const modules = capnpModules(readFileSync(path.join(exampleDir, "workerd.capnp"), "utf8"));
    const listed = modules.filter((m) => m.file.startsWith("/orderhook/"));
    const { entry, files } = packageWorkerdFiles(path.join(root, "node_modules", "orderhook"));
    assert.deepEqual(listed.map((m) => m.file.slice("/orderhook/".length)).sort(), files);
    for (const m of listed) {
      const file = m.file.slice("/orderhook/".length);
      assert.equal(m.name, file === entry ? "orderhook" : file, `module name of ${file}`);
      assert.equal(m.kind, file.endsWith(".wasm") ? "wasm" : "esModule", `module kind of ${file}`);
    }
  });

  test(`${Object.values(PLAN).reduce((a, b) => a + b, 0)} requests, ${CONCURRENCY} at a time: each gets exactly its answer`, async () => {
    const plan = makePlan();
    const counts = {}; // kind → { sent, ok }
    const statuses = {};
    const failures = [];
    let dropped = 0;
    let serverErrors = 0;
    let newDeliveries = 0;
    let next = 0;
    const cpuBefore = cpuSeconds(worker.child.pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < plan.length) {
          const kind = plan[next++];
          const request = build[kind]();
          const res = await send(request);
          const c = (counts[kind] ??= { sent: 0, ok: 0 });
          c.sent++;
          if (res.error) dropped++;
          else {
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status >= 500) serverErrors++;
          }
          const problems = check(request, res);
          if (problems.length === 0) {
            c.ok++;
            if (request.expect.json?.duplicate === false) {
              newDeliveries++;
              if (request.delivery.id !== null) done.push(request.delivery);
            }
          } else if (failures.length < 20) failures.push(`${kind} ${request.method} ${request.path}: ${problems.join("; ")}`);
          else failures.length++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(worker.child.pid) - cpuBefore;
    const client = process.cpuUsage(clientBefore);
    const clientCpu = (client.user + client.system) / 1e6;

    const total = plan.length;
    console.log(`\nload: ${total} requests in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} requests/s (concurrency ${CONCURRENCY}, keep-alive, seed ${SEED})`);
    if (!Number.isNaN(cpu)) {
      console.log(`load: workerd used ${cpu.toFixed(2)} CPU-seconds (${Math.round((cpu / total) * 1e6)} µs a request); this Node client ${clientCpu.toFixed(2)} (building, signing and checking every answer against the package)`);
    }
    console.log(`load: answers by status ${JSON.stringify(statuses)}; dropped connections ${dropped}; 5xx ${serverErrors}`);
    for (const [kind, c] of Object.entries(counts)) console.log(`load:   ${kind.padEnd(22)} ${String(c.sent).padStart(5)} sent ${String(c.ok).padStart(5)} exact`);

    assert.equal(dropped, 0, "no dropped connections");
    assert.equal(serverErrors, 0, "no 5xx");
    assert.deepEqual(failures, [], "every answer is exactly the expected one");
    for (const [kind, count] of Object.entries(PLAN)) assert.equal(counts[kind]?.ok, count, `${kind}: all ${count} answered as expected`);

    // onOrder (examples/worker/src/on-order.js) logs one line per new delivery, and
    // only for new ones: duplicates never reach it. waitUntil work may trail the answers.
    const lines = () => worker.stdout().split("\n").filter((l) => l.startsWith("order ")).length;
    const deadline = Date.now() + 10_000;
    while (lines() < newDeliveries && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(lines(), newDeliveries, "onOrder ran once per new delivery");
    console.log(`load: onOrder ran ${newDeliveries} times (${PLAN.duplicate} duplicates answered without it)`);
    assert.equal(worker.stderr().trim(), "", "the Worker logged no error");
  });

  test("uploads cut off mid-body: answered 400 when the client waits, and nothing breaks", async () => {
    const body = '{"webhook_type":"order","webhook_event":';
    const head = (extra) => `POST ${VRIO_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n\r\n`;
    const raw = (payload, { halfClose }) =>
      new Promise((resolve) => {
        const socket = net.connect(worker.port, "127.0.0.1");
        let got = "";
        const timer = setTimeout(() => socket.destroy(), 5000);
        socket.on("data", (d) => (got += d));
        socket.on("error", () => {});
        socket.on("close", () => {
          clearTimeout(timer);
          resolve(got);
        });
        socket.write(payload, () => (halfClose ? socket.end() : setTimeout(() => socket.destroy(), 20)));
      });
    const incomplete = JSON.stringify({ ok: false, errors: [issue("incomplete_body", "the request body ended before its declared length")], warnings: [] });
    for (let i = 0; i < 20; i++) {
      // Content-Length promises more than arrives, then the client stops sending.
      const a = await raw(head("Content-Length: 5000") + body, { halfClose: true });
      assert.match(a, /^HTTP\/1\.1 400 /);
      assert.ok(a.endsWith(incomplete), a);
      // The same, chunked.
      const b = await raw(head("Transfer-Encoding: chunked") + `${body.length.toString(16)}\r\n${body}\r\n`, { halfClose: true });
      assert.match(b, /^HTTP\/1\.1 400 /);
      // The client vanishes.
      await raw(head("Content-Length: 5000") + body, { halfClose: false });
    }
  });

  test("afterwards the Worker still answers a valid delivery, then its retry", async () => {
    for (const provider of PROVIDERS) {
      const d = validDelivery(provider);
      const first = await send({ method: "POST", path: PATHS[provider], headers: d.headers, body: d.body });
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(JSON.parse(first.text), expectParsed(provider, d.body, d.headers, d.id).json);
      const again = await send({ method: "POST", path: PATHS[provider], headers: d.headers, body: d.body });
      assert.equal(again.status, 200);
      assert.deepEqual(JSON.parse(again.text), { ok: true, duplicate: true, id: d.id });
    }
    assert.equal(worker.child.exitCode, null, "workerd is still running");
  });
});

describe("examples/worker without its secrets", { timeout: 30_000 }, () => {
  test("answers 503 not_configured, never 200, and 404 stays 404", async () => {
    const bare = await startWorkerd({
      config: path.join(exampleDir, "workerd.capnp"),
      cwd: exampleDir,
      importPath: path.join(root, "node_modules"),
      env: { VRIO_PATH_TOKEN: "short" },
    });
    try {
      const post = (p, body) => fetch(bare.base + p, { method: "POST", body, signal: AbortSignal.timeout(5000) });
      const polar = await post("/webhooks/polar", polarSamples[0].bytes);
      assert.equal(polar.status, 503);
      assert.equal((await polar.json()).error.code, "not_configured");
      const vrio = await post("/webhooks/vrio/short", vrioSamples[0].bytes);
      assert.equal(vrio.status, 503, "a token shorter than 16 characters is refused");
      assert.match((await vrio.json()).error.message, /VRIO_PATH_TOKEN/);
      const other = await post("/nope", "{}");
      assert.equal(other.status, 404);
      await other.arrayBuffer();
    } finally {
      await bare.stop();
    }
  });
});
