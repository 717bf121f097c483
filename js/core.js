// The public JavaScript API of orderhook, shared by every runtime entry
// (node.js, workerd.js, browser.js, inline.js). The entries only name their .wasm; this
// module turns JS values into the arguments of the wasm exports and their JSON
// answers back into plain objects. Bad payloads never throw; misuse of the API
// throws a TypeError whose message starts with "orderhook:".

import * as glue from "./orderhook.js";

/** The package version (written by scripts/build.mjs from Cargo.toml). */
export const version = "0.0.0-dev";

// Limits, defaults and option names come from the Rust core (read once, after
// the wasm is instantiated); this file keeps no copy of them.
let coreLimits;
/** `{ defaultMaxBytes, defaultToleranceSeconds, maxDepth, maxIssues, providers, parseOptions, verifyOptions }` */
export function limits() {
  checkReady();
  return (coreLimits ??= Object.freeze(JSON.parse(glue.limits())));
}

function misuse(message) {
  return new TypeError(`orderhook: ${message}`);
}

// ---------------------------------------------------------------- loading
// Every entry exports the same `ready`, `init` and `initSync`. An entry names its own
// source of the .wasm (`start`): node, workerd and inline instantiate it synchronously on
// import; the browser entry fetches it. `init(source)` / `initSync(moduleOrBytes)` hand
// one over instead (a bundle that did not copy the .wasm); the first instance wins.

let state = "unloaded"; // "loading" | "ready" | "failed"
let failure; // why the last load failed
let loading; // the load under way
let entrySource; // () => the entry's own source (a URL, the bytes or a Module)

/**
 * Resolves once the wasm is instantiated: at once in the node, workerd and inline entries,
 * after the fetch in the browser entry. A live binding: after `init(source)` it is that load.
 */
export let ready;

const BUNDLE_HINT =
  "hand it over with `initSync(bytes or WebAssembly.Module)` or `await init(url, Response, bytes or Module)`, " +
  'or import "orderhook/inline", which carries the .wasm inside its JavaScript';

/** The entry's own .wasm could not be had (a bundle that did not copy it): say what to do. */
function ownWasmFailed(e) {
  return new Error(`orderhook: could not load its .wasm (${e?.message ?? e}); ${BUNDLE_HINT}`, { cause: e });
}

function loaded() {
  state = "ready";
  failure = undefined;
}

function failed(error) {
  state = "failed";
  failure = error;
}

/** A promise the caller may ignore: a failed load is reported by `ready`, `init()` and every call. */
function quiet(promise) {
  promise.catch(() => {});
  return promise;
}

function isBytes(v) {
  return ArrayBuffer.isView(v) || Object.prototype.toString.call(v) === "[object ArrayBuffer]";
}

/**
 * Instantiate synchronously from a compiled `WebAssembly.Module` or the .wasm bytes
 * (ArrayBuffer, Uint8Array, Buffer). Does nothing once an instance exists.
 */
export function initSync(moduleOrBytes) {
  if (state === "ready") return;
  if (!(moduleOrBytes instanceof WebAssembly.Module) && !isBytes(moduleOrBytes)) {
    throw misuse(
      `initSync takes a WebAssembly.Module or the .wasm bytes, not ${kindOf(moduleOrBytes)}; ` +
        "for a URL or a Response, use `await init(source)`",
    );
  }
  glue.initSync({ module: moduleOrBytes });
  loaded();
  ready = Promise.resolve();
}

/**
 * Instantiate from a URL (or its string), a Request, a Response (or a promise of one), the
 * bytes or a `WebAssembly.Module`; without a source, from the entry's own. Resolves once
 * instantiated (at once when it already is). A load already under way is waited for first.
 */
export function init(source) {
  if (state === "ready") return Promise.resolve();
  if (source === null || (source !== undefined && typeof source !== "string" && typeof source !== "object")) {
    throw misuse(`init takes a URL, a Request, a Response, the .wasm bytes or a WebAssembly.Module, not ${kindOf(source)}`);
  }
  const before = loading;
  const attempt = (async () => {
    if (before) {
      try {
        await before;
        return; // the load under way succeeded: one instance is enough
      } catch {}
    }
    if (state === "ready") return;
    state = "loading";
    try {
      const from = source === undefined ? entrySource?.() : source;
      if (from === undefined) throw misuse("this entry has no .wasm of its own to load; pass init a source");
      await glue.default({ module_or_path: from });
      loaded();
    } catch (e) {
      const error = source === undefined ? ownWasmFailed(e) : e;
      if (state !== "ready") failed(error);
      throw error;
    }
  })();
  loading = attempt;
  const settled = () => {
    if (loading === attempt) loading = undefined;
  };
  attempt.then(settled, settled); // no derived promise left rejected: the caller sees the failure
  ready = attempt;
  return attempt;
}

/**
 * Called once by each entry with its own source of the .wasm. `sync`: instantiate now
 * (node, workerd, inline); a source that cannot be had (a bundle without the .wasm file)
 * leaves `ready` rejected until `init`/`initSync` is given one. Otherwise the load starts
 * after the importing code's first synchronous run, so an `init(source)` there comes first.
 */
export function start(source, { sync = false } = {}) {
  entrySource = source;
  if (!sync) {
    ready = quiet(Promise.resolve().then(() => init()));
    return;
  }
  let from;
  try {
    from = source();
  } catch (e) {
    failed(ownWasmFailed(e));
    ready = quiet(Promise.reject(failure));
    return;
  }
  try {
    initSync(from);
  } catch {
    // A host that compiles only asynchronously (a browser's main thread, past its size limit).
    quiet(init(from));
  }
}

function checkReady() {
  if (state === "ready") return;
  if (state === "loading" || state === "unloaded") {
    throw misuse("the wasm module is still loading; `await ready` (exported by orderhook) before calling it");
  }
  const why = String(failure?.message ?? failure).replace(/^orderhook: /, "");
  throw misuse(why.includes(BUNDLE_HINT) ? why : `the wasm module could not be loaded (${why}); ${BUNDLE_HINT}`);
}

// ---------------------------------------------------------------- arguments

const encoder = new TextEncoder();

function kindOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}

/** A body as a string or a Uint8Array view (no copy); anything else is misuse. */
function readBody(body, what = "body") {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  const tag = Object.prototype.toString.call(body);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") return new Uint8Array(body);
  if (body !== null && typeof body === "object" && !(typeof body.arrayBuffer === "function")) {
    throw misuse(
      `${what} is an already-parsed object; pass the raw request text or bytes ` +
        "(`await request.text()` or `await request.arrayBuffer()`), because signatures are computed over the raw bytes " +
        "and re-serializing changes them",
    );
  }
  if (body !== null && typeof body === "object") {
    throw misuse(`${what} is a ${kindOf(body)}; pass its text or bytes, or use parseRequest(request) for a Request`);
  }
  throw misuse(`${what} must be a string, Uint8Array or ArrayBuffer, not ${kindOf(body)}`);
}

function bytesOf(body) {
  return typeof body === "string" ? encoder.encode(body) : body;
}

function checkOptions(options, fn) {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw misuse(`${fn} options must be an object, not ${kindOf(options)}`);
  }
  return options;
}

/** Options as JSON text for the core, which reads and checks them; `undefined` for none. */
function optionsJson(options) {
  let any = false;
  for (const key in options) {
    if (options[key] !== undefined) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  return JSON.stringify(options, (key, value) => {
    if (value instanceof Date) return value.getTime();
    if (typeof value === "bigint" || typeof value === "function" || typeof value === "symbol") {
      throw misuse(`\`${key}\` must not be a ${typeof value}`);
    }
    return value;
  });
}

/** The size limit for refusing a body before it is copied into wasm memory; the core checks it again. */
function maxBytesFor(options) {
  const v = options.maxBytes;
  if (v === undefined || v === null) return limits().defaultMaxBytes;
  return Number.isSafeInteger(v) && v >= 0 ? v : undefined; // anything else: the core says what is wrong
}

// ---------------------------------------------------------------- time zones

const zoneCache = new Map();

/** `(unixSeconds) => offsetSeconds` from one formatter that writes only the offset ("GMT-04:56:02"). */
function longOffsetReader(timeZone) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  return (unixSeconds) => {
    const text = format.format(unixSeconds * 1000);
    const m = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text);
    if (m === null) return NaN;
    if (m[1] === undefined) return 0;
    const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
    return m[1] === "-" ? -seconds : seconds;
  };
}

/** The same from the wall-clock fields (for hosts whose Intl lacks "longOffset"). */
function wallClockReader(timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  return (unixSeconds) => {
    const f = { era: "AD", year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    for (const part of format.formatToParts(unixSeconds * 1000)) {
      if (part.type === "era") f.era = part.value;
      else if (part.type in f) f[part.type] = Number(part.value);
    }
    const year = f.era === "BC" || f.era === "B" ? 1 - f.year : f.year;
    const wall = new Date(0);
    wall.setUTCFullYear(year, f.month - 1, f.day);
    wall.setUTCHours(f.hour, f.minute, f.second, 0);
    return wall.getTime() / 1000 - unixSeconds;
  };
}

/**
 * `(unixSeconds) => offsetSeconds` for an IANA zone, on the host's Intl (which
 * knows DST rules), or `undefined` for a name Intl does not know. The core asks
 * for it only for names that are not UTC or a fixed offset, and words the error.
 * Offsets are cached per hour: an hour whose first and last second have the same
 * offset has it throughout (zones change offset at most once in an hour).
 */
function zoneOffsetAt(timeZone) {
  let offsetAt = zoneCache.get(timeZone);
  if (offsetAt) return offsetAt;
  let read;
  try {
    read = longOffsetReader(timeZone);
  } catch {
    try {
      read = wallClockReader(timeZone);
    } catch {
      return undefined;
    }
  }
  const hours = new Map();
  offsetAt = (unixSeconds) => {
    const hour = Math.floor(unixSeconds / 3600);
    let offset = hours.get(hour);
    if (offset !== undefined) return offset;
    offset = read(hour * 3600);
    if (read(hour * 3600 + 3599) !== offset) return read(unixSeconds);
    if (hours.size >= 4096) hours.clear();
    hours.set(hour, offset);
    return offset;
  };
  if (zoneCache.size > 64) zoneCache.clear();
  zoneCache.set(timeZone, offsetAt);
  return offsetAt;
}

// ---------------------------------------------------------------- parse

function tooLarge(size, max) {
  return JSON.parse(glue.tooLarge(size, max));
}

// UTF-8 length of a string without encoding it (only used for oversized strings).
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The body's size in bytes when it is over `maxBytes`, else undefined (also when
 * `maxBytes` is undefined: the core then says what is wrong with it). Checked before
 * a body is copied into wasm memory, which never shrinks.
 */
function sizeOver(body, maxBytes) {
  if (maxBytes === undefined) return undefined;
  if (typeof body !== "string") return body.byteLength > maxBytes ? body.byteLength : undefined;
  if (body.length * 3 <= maxBytes) return undefined; // UTF-8 needs at most 3 bytes per UTF-16 unit
  const size = utf8Length(body);
  return size > maxBytes ? size : undefined;
}

function parseBody(body, options) {
  const json = optionsJson(options);
  const maxBytes = maxBytesFor(options);
  const size = sizeOver(body, maxBytes);
  if (size !== undefined) return tooLarge(size, maxBytes);
  const bytes = typeof body === "string" ? utf8(body) : body;
  return JSON.parse(glue.parse(bytes, json, zoneOffsetAt));
}

// Strings are UTF-8 encoded into one reused buffer and passed as bytes: in Node 20
// that beat wasm-bindgen's own string passing by about a third (bench/RESULTS.md).
// Bodies of more than 4 MiB (only with a raised maxBytes) get a buffer of their own.
let scratch = new Uint8Array(64 * 1024);
function utf8(text) {
  const bound = text.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
  let target = scratch;
  if (bound > scratch.length) {
    target = new Uint8Array(bound);
    if (bound <= 4 * 1024 * 1024) scratch = target;
  }
  const { written } = encoder.encodeInto(text, target);
  return target.subarray(0, written);
}

/**
 * Validate and normalize one webhook body.
 * @returns `{ ok: true, event, warnings, source? }` or `{ ok: false, errors, warnings }`.
 */
export function parse(body, options) {
  checkReady();
  const b = readBody(body);
  return parseBody(b, checkOptions(options, "parse"));
}

/**
 * Which provider and event a body is: `{ provider, eventType }`, or `null`
 * (also for a body over `maxBytes`, default 1 MiB, which is not read).
 */
export function detect(body, options) {
  checkReady();
  const b = readBody(body);
  const opts = checkOptions(options, "detect");
  if (sizeOver(b, maxBytesFor(opts)) !== undefined) return null;
  return JSON.parse(glue.detect(bytesOf(b), optionsJson(opts)));
}

// ---------------------------------------------------------------- verify

// A synchronous native HMAC-SHA256 where the host has one: node:crypto in Node (and
// Deno, Bun, and workerd with nodejs_compat, where process.getBuiltinModule exists).
// The core decides everything else (keys, signed bytes, constant-time comparison);
// elsewhere, as in browsers, it hashes in wasm.
const hostHmac = (() => {
  try {
    const crypto = globalThis.process?.getBuiltinModule?.("node:crypto");
    if (typeof crypto?.createHmac !== "function") return undefined;
    return (key, prefix, body) => crypto.createHmac("sha256", key).update(prefix).update(body).digest();
  } catch {
    return undefined;
  }
})();

function flattenHeaders(headers) {
  const names = [];
  const values = [];
  const add = (name, value) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const v of value) add(name, v);
      return;
    }
    names.push(String(name).toLowerCase());
    values.push(String(value));
  };
  if (headers === null || typeof headers !== "object") {
    throw misuse(`headers must be a Headers object or a plain object, not ${kindOf(headers)}`);
  }
  if (typeof headers.forEach === "function" && typeof headers.get === "function") {
    headers.forEach((value, name) => add(name, value)); // Headers, Map
  } else if (Array.isArray(headers)) {
    for (const pair of headers) {
      if (!Array.isArray(pair) || pair.length !== 2) throw misuse("headers given as an array must hold [name, value] pairs");
      add(pair[0], pair[1]);
    }
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value);
  }
  return [names, values];
}

function verifyBytes(provider, bytes, headers, secret, options) {
  if (typeof provider !== "string") throw misuse(`provider must be a string, not ${kindOf(provider)}`);
  if (typeof secret !== "string") throw misuse(`secret must be a string, not ${kindOf(secret)}`);
  const [names, values] = flattenHeaders(headers);
  // The clock is read here: the core never reads one.
  let now = options.now;
  if (now === undefined || now === null) now = Date.now();
  else if (now instanceof Date) now = now.getTime();
  if (typeof now !== "number" || !Number.isFinite(now)) {
    throw misuse(`\`now\` must be a time in milliseconds (like Date.now()) or a Date, not ${String(options.now)}`);
  }
  const json = optionsJson({ ...options, now: undefined });
  return JSON.parse(glue.verify(provider, bytes, names, values, secret, json, now, hostHmac));
}

/**
 * Check a webhook signature over the raw body, synchronously.
 * @returns `{ ok: true, id? }` (the delivery id the signature vouches for) or `{ ok: false, error }`.
 */
export function verify(provider, body, headers, secret, options) {
  checkReady();
  const b = readBody(body);
  return verifyBytes(provider, bytesOf(b), headers, secret, checkOptions(options, "verify"));
}

// ---------------------------------------------------------------- deliveryId

/**
 * The id `provider` keeps across retries of one delivery, to de-duplicate on: a request
 * header (Polar's `webhook-id`) or the parsed event's `event_id` (Voucherify, Vrio), as
 * the provider's registry entry says (`limits().providerSpecs[i].deliveryId`). `null`
 * when the request lacks it.
 */
export function deliveryId(provider, headers, event) {
  checkReady();
  if (typeof provider !== "string") throw misuse(`provider must be a string, not ${kindOf(provider)}`);
  if (event !== undefined && event !== null && (typeof event !== "object" || Array.isArray(event))) {
    throw misuse(`event must be the parsed event (result.event), not ${kindOf(event)}`);
  }
  const eventId = event?.event_id ?? undefined;
  if (eventId !== undefined && typeof eventId !== "string") throw misuse(`event.event_id must be a string, not ${kindOf(eventId)}`);
  const [names, values] = flattenHeaders(headers ?? {});
  return glue.deliveryId(provider, names, values, eventId) ?? null;
}

// ---------------------------------------------------------------- parseRequest

/**
 * The body bytes, read once and never more than `maxBytes`: refused by a
 * declared Content-Length before reading anything, then by the bytes actually
 * received (a chunked upload declares no length), cancelling the stream there.
 * @returns `{ bytes }`, or `{ result }` with the `too_large` or `incomplete_body` verdict.
 */
async function readCapped(request, maxBytes) {
  const declared = request.headers?.get?.("content-length");
  if (maxBytes !== undefined && typeof declared === "string" && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return { result: tooLarge(Number(declared), maxBytes) };
  }
  const stream = request.body;
  if (stream === null || stream === undefined || typeof stream.getReader !== "function") {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const size = sizeOver(bytes, maxBytes);
    if (size !== undefined) return { result: tooLarge(size, maxBytes) };
    return { bytes };
  }
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      // The connection ended before the body did (fewer bytes than Content-Length).
      return { result: JSON.parse(glue.incompleteBody()) };
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (maxBytes !== undefined && size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { result: tooLarge(-1, maxBytes) };
    }
    chunks.push(chunk.value);
  }
  if (chunks.length === 1) return { bytes: chunks[0] };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes };
}

/**
 * Worker helper: reads the body once (capped at `maxBytes`), verifies it when
 * `secret` is given, then parses the same bytes; the delivery id the signature
 * vouches for becomes the event's `event_id` when the body has none. A refused
 * body or a failed check gives `{ ok: false, errors: [issue], warnings: [] }`.
 */
export async function parseRequest(request, options) {
  checkReady();
  if (request === null || typeof request !== "object" || typeof request.arrayBuffer !== "function") {
    throw misuse(`parseRequest needs a Request (with arrayBuffer()), not ${kindOf(request)}`);
  }
  const opts = checkOptions(options, "parseRequest");
  // Names and values are checked by the core before the body is read; the secret
  // and the clock stay here (only whether they were given is passed).
  const json = optionsJson({
    ...opts,
    secret: opts.secret === undefined ? undefined : "",
    now: opts.now === undefined ? undefined : 0,
  });
  if (json !== undefined) glue.checkRequestOptions(json, zoneOffsetAt);
  const { verifyOptions } = limits();
  const verifyOpts = {};
  const parseOptions = {};
  for (const [key, value] of Object.entries(opts)) {
    if (key === "secret") continue;
    (verifyOptions.includes(key) ? verifyOpts : parseOptions)[key] = value;
  }
  const secret = opts.secret;
  if (secret !== undefined && typeof secret !== "string") {
    throw misuse(`\`secret\` must be a string, not ${kindOf(secret)}; leave it out to parse without verifying`);
  }
  if (request.bodyUsed) {
    throw misuse("the request body was already read; call parseRequest before reading it, or parse() the text you read");
  }
  const read = await readCapped(request, maxBytesFor(parseOptions));
  if (read.result) return read.result;
  const { bytes } = read;
  // The provider is needed to verify, or to read an event type sent in a header.
  const needed = secret !== undefined || limits().providerSpecs.some((s) => s.eventTypeHeader);
  const provider = needed && (parseOptions.provider || detect(bytes, { maxBytes: parseOptions.maxBytes })?.provider);
  // Not a known webhook (or not JSON): parsing reports why.
  if (!provider) return parseBody(bytes, parseOptions);
  if (secret !== undefined) {
    const checked = verifyBytes(provider, bytes, request.headers ?? {}, secret, verifyOpts);
    if (!checked.ok) return { ok: false, errors: [checked.error], warnings: [] };
    if (checked.id !== undefined && parseOptions.eventId === undefined) parseOptions.eventId = checked.id;
  }
  // A provider whose event type travels in a header (its spec names the header).
  const typeHeader = specOf(provider)?.eventTypeHeader;
  if (typeHeader && parseOptions.eventType === undefined) {
    const sent = headerOf(request.headers, typeHeader);
    if (sent !== undefined) parseOptions.eventType = sent;
  }
  return parseBody(bytes, parseOptions);
}

/** The registry's description of `provider` (limits().providerSpecs), case-insensitive. */
function specOf(provider) {
  const name = String(provider).toLowerCase();
  return limits().providerSpecs.find((s) => s.name === name);
}

/** One header's value from a Headers object or a plain object, by case-insensitive name. */
function headerOf(headers, name) {
  if (!headers) return undefined;
  if (typeof headers.get === "function") return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : String(headers[key]);
}
