// The public JavaScript API of orderhook, shared by every runtime entry
// (node.js, workerd.js, browser.js). The entries only load the .wasm; this
// module turns JS values into the arguments of the wasm exports and their JSON
// answers back into plain objects. Bad payloads never throw; misuse of the API
// throws a TypeError whose message starts with "orderhook:".

import * as glue from "./orderhook.js";

/** The package version (written by scripts/build.mjs from Cargo.toml). */
export const version = "0.0.0-dev";

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TOLERANCE_SECONDS = 300;
const PARSE_OPTIONS = ["provider", "timeZone", "currency", "maxBytes", "includeSource", "strict"];
const VERIFY_OPTIONS = ["toleranceSeconds", "now"];
const REQUEST_OPTIONS = ["secret", ...VERIFY_OPTIONS, ...PARSE_OPTIONS];

let state = "unloaded"; // "loading" | "ready" | "failed"

function misuse(message) {
  return new TypeError(`orderhook: ${message}`);
}

// ---------------------------------------------------------------- loading

/** Instantiate the wasm synchronously (a `WebAssembly.Module` or its bytes). Entries only. */
export function loadSync(module) {
  if (state === "ready") return;
  glue.initSync({ module });
  state = "ready";
}

/** Instantiate the wasm asynchronously from a URL, Response, Module or bytes. Entries only. */
export async function load(source) {
  if (state === "ready") return;
  state = "loading";
  try {
    await glue.default({ module_or_path: source });
    state = "ready";
  } catch (e) {
    state = "failed";
    throw e;
  }
}

function ready() {
  if (state === "ready") return;
  if (state === "loading" || state === "unloaded") {
    throw misuse("the wasm module is still loading; in a browser, `await ready` (exported by orderhook) before calling it");
  }
  throw misuse("the wasm module failed to load; see the rejection of `ready`");
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

function checkOptions(options, allowed, fn) {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw misuse(`${fn} options must be an object, not ${kindOf(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const camel = key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
      const hint = camel !== key && allowed.includes(camel) ? `; options are camelCase: did you mean \`${camel}\`?` : "";
      throw misuse(`unknown ${fn} option \`${key}\`${hint} (known: ${allowed.join(", ")})`);
    }
  }
  return options;
}

// An empty string (an empty form field) means "not given", like undefined.
function optionalString(v, name) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw misuse(`\`${name}\` must be a string, not ${kindOf(v)}`);
  return v.trim() === "" ? undefined : v;
}

function optionalBoolean(v, name) {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw misuse(`\`${name}\` must be a boolean, not ${kindOf(v)}`);
  return v;
}

function maxBytesOf(v) {
  if (v === undefined || v === null) return DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(v) || v < 0) throw misuse(`\`maxBytes\` must be a non-negative integer, not ${String(v)}`);
  return v;
}

// ---------------------------------------------------------------- time zones

// Zone names that the core reads itself: UTC and fixed offsets such as "+02:00".
const FIXED_ZONE = /^(?:utc|gmt|z|etc\/utc|[+-].*)$/i;
const zoneCache = new Map();

/**
 * `(unixSeconds) => offsetSeconds` for an IANA zone, on the host's Intl (which
 * knows DST rules), or a TypeError for a name Intl does not know.
 */
function zoneOffsetAt(timeZone) {
  let offsetAt = zoneCache.get(timeZone);
  if (offsetAt) return offsetAt;
  let format;
  try {
    format = new Intl.DateTimeFormat("en-US", {
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
  } catch {
    throw misuse(
      `unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as "America/New_York", ` +
        `"UTC", or an offset such as "+02:00"`,
    );
  }
  offsetAt = (unixSeconds) => {
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
  if (zoneCache.size > 64) zoneCache.clear();
  zoneCache.set(timeZone, offsetAt);
  return offsetAt;
}

// ---------------------------------------------------------------- parse

function tooLarge(size, max) {
  return {
    ok: false,
    errors: [
      {
        severity: "error",
        code: "too_large",
        path: "",
        message: `body is ${size} bytes, more than the limit of ${max} bytes`,
      },
    ],
    warnings: [],
  };
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

function parseBody(body, options) {
  const provider = optionalString(options.provider, "provider");
  const timeZone = optionalString(options.timeZone, "timeZone");
  const currency = optionalString(options.currency, "currency");
  const maxBytes = maxBytesOf(options.maxBytes);
  const strict = optionalBoolean(options.strict, "strict");
  const includeSource = optionalBoolean(options.includeSource, "includeSource");
  const offsetAt = timeZone === undefined || FIXED_ZONE.test(timeZone) ? undefined : zoneOffsetAt(timeZone);
  // The size limit is checked before the body is copied into wasm memory,
  // which never shrinks: an oversized body must not grow it.
  if (typeof body === "string") {
    if (body.length * 3 > maxBytes) {
      const size = utf8Length(body);
      if (size > maxBytes) return tooLarge(size, maxBytes);
    }
  } else if (body.byteLength > maxBytes) {
    return tooLarge(body.byteLength, maxBytes);
  }
  const bytes = typeof body === "string" ? utf8(body) : body;
  return JSON.parse(glue.parseBytes(bytes, provider, timeZone, offsetAt, currency, maxBytes, strict, includeSource));
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
  ready();
  const b = readBody(body);
  return parseBody(b, checkOptions(options, PARSE_OPTIONS, "parse"));
}

/** Which provider and event a body is: `{ provider, eventType }`, or `null`. */
export function detect(body) {
  ready();
  return JSON.parse(glue.detect(bytesOf(readBody(body))));
}

// ---------------------------------------------------------------- verify

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
  if (secret === "") throw misuse("secret is empty; pass the webhook signing secret of the endpoint");
  const [names, values] = flattenHeaders(headers);
  let tolerance = options.toleranceSeconds;
  if (tolerance === undefined || tolerance === null) tolerance = DEFAULT_TOLERANCE_SECONDS;
  else if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
    throw misuse(`\`toleranceSeconds\` must be a non-negative integer, not ${String(tolerance)}`);
  }
  let now = options.now;
  if (now === undefined || now === null) now = Date.now();
  else if (now instanceof Date) now = now.getTime();
  if (typeof now !== "number" || !Number.isFinite(now)) {
    throw misuse(`\`now\` must be a time in milliseconds (like Date.now()) or a Date, not ${String(options.now)}`);
  }
  return JSON.parse(glue.verify(provider, bytes, names, values, secret, tolerance, now));
}

/**
 * Check a webhook signature over the raw body, synchronously.
 * @returns `{ ok: true }` or `{ ok: false, error }`.
 */
export function verify(provider, body, headers, secret, options) {
  ready();
  const b = readBody(body);
  return verifyBytes(provider, bytesOf(b), headers, secret, checkOptions(options, VERIFY_OPTIONS, "verify"));
}

// ---------------------------------------------------------------- parseRequest

/**
 * Worker helper: reads the body bytes once, verifies them when `secret` is
 * given, then parses the same bytes. A failed check gives
 * `{ ok: false, errors: [issue], warnings: [] }`.
 */
export async function parseRequest(request, options) {
  ready();
  if (request === null || typeof request !== "object" || typeof request.arrayBuffer !== "function") {
    throw misuse(`parseRequest needs a Request (with arrayBuffer()), not ${kindOf(request)}`);
  }
  const opts = checkOptions(options, REQUEST_OPTIONS, "parseRequest");
  const { secret, toleranceSeconds, now, ...parseOptions } = opts;
  if (secret !== undefined && (typeof secret !== "string" || secret === "")) {
    throw misuse("`secret` must be a non-empty string; leave it out to parse without verifying");
  }
  if (secret !== undefined && parseOptions.provider === "vrio") {
    throw misuse(
      "vrio does not sign its webhooks, so `secret` cannot be checked; leave it out and protect the endpoint " +
        "with a secret token in the URL path or an IP allow-list",
    );
  }
  if (request.bodyUsed) {
    throw misuse("the request body was already read; call parseRequest before reading it, or parse() the text you read");
  }
  const maxBytes = maxBytesOf(parseOptions.maxBytes);
  const declared = Number(request.headers?.get?.("content-length"));
  if (Number.isSafeInteger(declared) && declared > maxBytes) return tooLarge(declared, maxBytes);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (secret !== undefined) {
    if (bytes.byteLength > maxBytes) return tooLarge(bytes.byteLength, maxBytes);
    const provider = parseOptions.provider ?? detect(bytes)?.provider;
    if (provider === undefined) {
      // Not a known webhook (or not JSON): parsing reports why, and cannot succeed.
      const result = parseBody(bytes, parseOptions);
      if (!result.ok) return result;
      throw new Error("orderhook: internal error: an undetected body parsed"); // unreachable
    }
    const checked = verifyBytes(provider, bytes, request.headers ?? {}, secret, { toleranceSeconds, now });
    if (!checked.ok) return { ok: false, errors: [checked.error], warnings: [] };
  }
  const result = parseBody(bytes, parseOptions);
  // Polar sends its delivery id only in the signed `webhook-id` header: once the
  // signature holds, it is the event's id (for de-duplication).
  if (secret !== undefined && result.ok && result.event.provider === "polar" && result.event.event_id === null) {
    result.event.event_id = request.headers?.get?.("webhook-id") ?? null;
  }
  return result;
}
