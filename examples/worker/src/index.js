// Order webhooks from every provider orderhook knows, in one Cloudflare Worker. The
// routes come from orderhook's registry (limits().providerSpecs), one per provider:
//
//   POST /webhooks/<provider>                    a provider that signs: its signature headers,
//                                                checked with env.<PROVIDER>_WEBHOOK_SECRET
//   POST /webhooks/<provider>/<PATH_TOKEN>       a provider that signs nothing (Vrio): the
//                                                secret is the URL path, env.<PROVIDER>_PATH_TOKEN
//
// e.g. /webhooks/polar with POLAR_WEBHOOK_SECRET, /webhooks/vrio/<VRIO_PATH_TOKEN>.
// env.<PROVIDER>_CURRENCY and env.<PROVIDER>_TIME_ZONE, when set, are passed to parseRequest
// as `currency` and `timeZone` (for payloads that carry no currency or zone-less dates).
//
// Every request goes: route (404) → method (405) → size (413) → signature over the raw
// bytes (401) → parse (400) → de-duplicate → 200 with the normalized event, and your
// onOrder(event, env, ctx) runs after the answer through ctx.waitUntil.
//
// Answers are JSON:
//   200 { ok: true, duplicate: false, id, event, warnings }   a new delivery
//   200 { ok: true, duplicate: true, id }                     a delivery already handled here
//   200 { ok: true, ignored: true, reason }                   a real event, but not an order event
//   400 { ok: false, errors, warnings }                       the payload cannot be trusted
//   401 / 404 / 405 / 413 / 503 { ok: false, error }          one issue: { severity, code, path, message }
// Providers retry every answer that is not 2xx (Voucherify for a day, then it disables
// the endpoint), so a 2xx is the way to say "never send this again".

import { limits, parseRequest } from "orderhook";
import { onOrder as defaultOnOrder } from "./on-order.js";

const DEDUPE_CAPACITY = 10_000; // delivery ids remembered per isolate
const MIN_PATH_TOKEN_LENGTH = 16;

/** One route per registered provider: its secret's env name, or its path token's. */
const ROUTES = Object.fromEntries(
  limits().providerSpecs.map(({ name, signatureHeaders }) => {
    const NAME = name.toUpperCase();
    return [
      name,
      {
        secret: signatureHeaders ? `${NAME}_WEBHOOK_SECRET` : null,
        pathToken: signatureHeaders ? null : `${NAME}_PATH_TOKEN`,
        // Currency and zone for payloads that carry none (Voucherify, Vrio).
        options: (env) => ({ currency: env[`${NAME}_CURRENCY`] || undefined, timeZone: env[`${NAME}_TIME_ZONE`] || undefined }),
      },
    ];
  }),
);

/**
 * The delivery ids seen lately, oldest forgotten first (a Map keeps insertion
 * order; a hit moves the id to the back). Bounded, so memory stays flat however
 * many webhooks arrive. Per isolate: Cloudflare runs many isolates in many data
 * centers and recycles them, so this catches the quick retries that reach the same
 * isolate, not all duplicates. README.md says what to use instead.
 */
export class RecentIds {
  constructor(capacity) {
    this.capacity = capacity;
    this.ids = new Map();
  }

  /** True when `id` was seen before; otherwise remembers it and returns false. */
  seen(id) {
    const known = this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.keys().next().value);
    return known;
  }

  forget(id) {
    this.ids.delete(id);
  }
}

/**
 * Build the Worker. `onOrder(event, env, ctx)` is called once per new, valid,
 * verified delivery; `recent` remembers delivery ids (see RecentIds).
 */
export function createWorker({ onOrder = defaultOnOrder, recent = new RecentIds(DEDUPE_CAPACITY) } = {}) {
  return {
    async fetch(request, env, ctx) {
      try {
        return await handle(request, env, ctx, onOrder, recent);
      } catch (err) {
        // A bug or a misconfiguration (an unknown VRIO_TIME_ZONE, say). 5xx makes the
        // provider retry later, which is what you want while you fix it.
        console.error("webhook handler failed:", err?.stack ?? err);
        return failure(500, "internal_error", "the webhook could not be handled; it will be retried");
      }
    },
  };
}

export default createWorker();

async function handle(request, env, ctx, onOrder, recent) {
  const url = new URL(request.url);
  const provider = routeOf(url.pathname, env);
  if (provider === null) return failure(404, "not_found", "no such endpoint");
  if (provider.unconfigured) {
    return failure(503, "not_configured", `set ${provider.unconfigured} to at least ${MIN_PATH_TOKEN_LENGTH} random characters`);
  }
  if (request.method !== "POST") {
    return failure(405, "method_not_allowed", `use POST, not ${request.method}`, { allow: "POST" });
  }
  const route = ROUTES[provider];
  const secret = route.secret && env[route.secret];
  if (route.secret && !secret) return failure(503, "not_configured", `set the secret ${route.secret}`);

  // 1-3. orderhook's parseRequest reads the raw bytes once and never past the limit
  // (413), checks the signature over exactly those bytes (401; never over re-serialized
  // JSON), then parses them as this endpoint's provider (400).
  const result = await parseRequest(request, {
    provider,
    secret: route.secret ? secret : undefined,
    maxBytes: maxBytesOf(env),
    ...route.options(env),
  });
  if (!result.ok) {
    const [first] = result.errors;
    if (first.code === "too_large") return Response.json({ ok: false, error: first }, { status: 413 });
    if (SIGNATURE_CODES.has(first.code)) return Response.json({ ok: false, error: first }, { status: 401 });
    if (result.errors.length === 1 && first.code === "unsupported_event") {
      // A genuine event of a type this endpoint does not handle (a Polar checkout, a
      // Voucherify voucher event, ...). Acknowledge it, or the provider retries it for
      // days and may disable the endpoint. Better still: subscribe to order events only.
      return Response.json({ ok: true, ignored: true, reason: first });
    }
    return Response.json({ ok: false, errors: result.errors, warnings: result.warnings }, { status: 400 });
  }

  // 4. Duplicates: providers retry, and a retry of a delivery that was handled gets
  // 200 again without being handled twice. This memory lives as long as this isolate
  // and is not shared with other isolates or data centers: README.md says what a real
  // deployment uses (a Queue for the work, a Durable Object per id for exactly-once).
  const { event, warnings } = result;
  // The id the provider keeps across retries: Voucherify's event.id, Vrio's
  // webhook_event_id, and Polar's signed `webhook-id` header, which parseRequest
  // puts in event_id once the signature holds.
  const deliveryId = event.event_id;
  const key = deliveryId ? `${provider}:${deliveryId}` : null;
  if (key !== null && recent.seen(key)) {
    return Response.json({ ok: true, duplicate: true, id: deliveryId });
  }

  // 5. Your code, after the answer: providers wait only seconds (Voucherify 10 s). If
  // onOrder fails, the order is lost unless redelivered: for at-least-once, enqueue
  // instead and answer 200 only once `await env.ORDERS.send(...)` resolved (README.md).
  ctx.waitUntil(
    (async () => {
      try {
        await onOrder(event, env, ctx);
      } catch (err) {
        // Forget the id, so that a redelivery (from the provider's dashboard: it got its
        // 200 and will not retry by itself) is handled again.
        if (key !== null) recent.forget(key);
        console.error(`onOrder failed for ${key ?? provider}:`, err?.stack ?? err);
      }
    })(),
  );
  return Response.json({ ok: true, duplicate: false, id: deliveryId ?? null, event, warnings });
}

/** Which provider a path belongs to, `{ unconfigured: envName }`, or null for no endpoint. */
function routeOf(pathname, env) {
  const [, root, name, token, ...rest] = pathname.split("/");
  const route = root === "webhooks" && Object.hasOwn(ROUTES, name ?? "") ? ROUTES[name] : null;
  if (route === null || rest.length > 0) return null;
  if (route.secret) return token === undefined ? name : null;
  // A provider that signs nothing (Vrio): no shared secret, nothing to check, so anyone
  // who knows the URL can post an order. The URL is the secret: configure it as
  // https://<your worker>/webhooks/<provider>/<TOKEN>, with a long random token
  // (`openssl rand -hex 32`). A wrong or missing token is answered exactly like an
  // unknown path (404), and compared in constant time. If trust matters, also re-read
  // the order from the provider's API before acting on it.
  const expected = env[route.pathToken];
  if (typeof expected !== "string" || expected.length < MIN_PATH_TOKEN_LENGTH) return { unconfigured: route.pathToken };
  return sameText(token ?? "", expected) ? name : null;
}

/** env.MAX_BODY_BYTES, or undefined for orderhook's own default (1 MiB). */
function maxBytesOf(env) {
  const n = Number(env.MAX_BODY_BYTES);
  return env.MAX_BODY_BYTES && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

// Issues of a failed signature check: answered 401, so the provider's dashboard shows it.
const SIGNATURE_CODES = new Set(["missing_signature", "bad_signature", "stale_timestamp", "malformed_header", "invalid_secret"]);

/** An issue in orderhook's shape, for the checks this Worker makes itself. */
function issue(code, message) {
  return { severity: "error", code, path: "", message };
}

function failure(status, code, message, headers) {
  return Response.json({ ok: false, error: issue(code, message) }, { status, headers });
}

const encoder = new TextEncoder();

/** Equal strings, compared in time independent of where they differ. */
function sameText(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i] ?? 0) ^ y[i];
  return diff === 0;
}
