// Exactly-once order intake across Cloudflare's network. One Worker with three parts:
//
//   fetch   POST /webhooks/<provider>[/<PATH_TOKEN>]: verify and parse with orderhook,
//           then hand the order to the Durable Object of its delivery id (delivery.js),
//           which records the first arrival and enqueues it; answer 2xx only once that
//           is done, so the provider stops retrying only when the order is safe
//   queue   the consumer of ORDERS: claims each order from its Durable Object and runs
//           your onOrder (on-order.js); a throw is retried by the queue, and after
//           max_retries the message goes to the dead-letter queue
//   queue   the consumer of the dead-letter queue (DEAD_LETTER_QUEUE): marks the order
//           dead and calls onDeadLetter
//
// Answers: 200 { ok, duplicate, id, key, state } for an accepted delivery (duplicate: true
// for a retry, which does no work); 200 { ok, ignored } for a non-order event; 400 / 401 /
// 404 / 405 / 413 / 503 { ok: false, error(s) } as in examples/worker; 503 when the
// Durable Object or the queue could not be reached (the provider retries).

import { deliveryId, limits, parseRequest } from "orderhook";
import { Delivery } from "./delivery.js";
import { onDeadLetter, onOrder } from "./on-order.js";

export { Delivery };

const MIN_PATH_TOKEN_LENGTH = 16;
const SPECS = new Map(limits().providerSpecs.map((spec) => [spec.name, spec]));

export default {
  async fetch(request, env) {
    try {
      return await intake(request, env);
    } catch (err) {
      // The Durable Object's location is unreachable, the queue refused the order, or a
      // bug: 5xx, and the provider retries later.
      console.error("intake failed:", err?.stack ?? err);
      return failure(503, "unavailable", "the delivery could not be accepted now; retry later");
    }
  },

  async queue(batch, env) {
    if (batch.queue === env.DEAD_LETTER_QUEUE) await Promise.all(batch.messages.map((m) => deadLetter(m, env)));
    else await Promise.all(batch.messages.map((m) => work(m, env)));
  },
};

// ---------------------------------------------------------------- intake

async function intake(request, env) {
  const provider = routeOf(new URL(request.url).pathname, env);
  if (provider === null) return failure(404, "not_found", "no such endpoint");
  if (provider.unconfigured) return failure(503, "not_configured", `set ${provider.unconfigured}`);
  if (request.method !== "POST") return failure(405, "method_not_allowed", `use POST, not ${request.method}`, { allow: "POST" });
  const spec = SPECS.get(provider);
  const NAME = provider.toUpperCase();
  const secret = spec.signatureHeaders ? env[`${NAME}_WEBHOOK_SECRET`] : undefined;
  if (spec.signatureHeaders && !secret) return failure(503, "not_configured", `set the secret ${NAME}_WEBHOOK_SECRET`);

  // Size, signature over the raw bytes, parse: as in examples/worker.
  const result = await parseRequest(request, {
    provider,
    secret,
    maxBytes: positive(env.MAX_BODY_BYTES),
    currency: env[`${NAME}_CURRENCY`] || undefined,
    timeZone: env[`${NAME}_TIME_ZONE`] || undefined,
  });
  if (!result.ok) {
    const [first] = result.errors;
    if (first.code === "too_large") return Response.json({ ok: false, error: first }, { status: 413 });
    if (SIGNATURE_CODES.has(first.code)) return Response.json({ ok: false, error: first }, { status: 401 });
    if (result.errors.length === 1 && first.code === "unsupported_event") return Response.json({ ok: true, ignored: true, reason: first });
    return Response.json({ ok: false, errors: result.errors, warnings: result.warnings }, { status: 400 });
  }

  // The id the provider keeps across retries (orderhook knows where each provider puts
  // it). A delivery without one (a Voucherify custom payload has no envelope) is keyed
  // by its content: an identical retry is still a duplicate.
  const { event } = result;
  const hash = await sha256(JSON.stringify(event));
  const id = deliveryId(provider, request.headers, event);
  const key = `${provider}:${id ?? `sha256-${hash}`}`;

  const stub = env.DELIVERIES.get(env.DELIVERIES.idFromName(key));
  const accepted = await stub.accept({ key, hash, event, horizonHours: spec.retryHorizonHours });
  return Response.json({ ok: true, id, key, warnings: result.warnings, ...accepted });
}

// ---------------------------------------------------------------- consumer

/** One message of ORDERS: claim it, run onOrder, report. Never throws: each message is acked or retried. */
async function work(message, env) {
  const { key, event } = message.body;
  const stub = env.DELIVERIES.get(env.DELIVERIES.idFromName(key));
  let claim;
  try {
    claim = await stub.begin({ needEvent: !event });
  } catch (err) {
    console.error(`consumer: ${key}: its Durable Object is unreachable; retrying:`, err?.message ?? err);
    return message.retry();
  }
  // Done already, or being done by another consumer now (a second copy of the message):
  // this copy has nothing to do. A copy that is lost with a crashed consumer is sent
  // again by the Durable Object's alarm.
  if (!claim.run) return message.ack();
  try {
    await onOrder(event ?? claim.event, { idempotencyKey: key, attempt: claim.attempt }, env);
  } catch (err) {
    console.error(`onOrder failed for ${key} (attempt ${claim.attempt}):`, err?.message ?? err);
    await stub.fail({ token: claim.token, error: err?.message ?? err }).catch(() => {});
    return message.retry();
  }
  try {
    await stub.finish();
    message.ack();
  } catch (err) {
    // onOrder succeeded but could not be recorded: the retry finds the lease and waits for
    // it to run out, then calls onOrder again with the same idempotency key.
    console.error(`consumer: ${key}: done but not recorded; retrying:`, err?.message ?? err);
    message.retry();
  }
}

/** One message of the dead-letter queue. */
async function deadLetter(message, env) {
  const { key } = message.body;
  try {
    const stub = env.DELIVERIES.get(env.DELIVERIES.idFromName(key));
    const { dead } = await stub.deadLettered();
    // A copy of an order that was done after all (see work()) is not dead.
    if (dead) await onDeadLetter(message.body, env);
    message.ack();
  } catch (err) {
    console.error(`dead letter ${key}: not recorded; retrying:`, err?.message ?? err);
    message.retry();
  }
}

// ---------------------------------------------------------------- helpers

/** The provider a path is for, `{ unconfigured: envName }`, or null (as in examples/worker). */
function routeOf(pathname, env) {
  const [, root, name, token, ...rest] = pathname.split("/");
  const spec = root === "webhooks" && rest.length === 0 ? SPECS.get(name ?? "") : undefined;
  if (spec === undefined) return null;
  if (spec.signatureHeaders) return token === undefined ? name : null;
  // A provider that signs nothing (Vrio): the long random token in the path is the secret.
  const envName = `${name.toUpperCase()}_PATH_TOKEN`;
  const expected = env[envName];
  if (typeof expected !== "string" || expected.length < MIN_PATH_TOKEN_LENGTH) return { unconfigured: envName };
  return sameText(token ?? "", expected) ? name : null;
}

const SIGNATURE_CODES = new Set(["missing_signature", "bad_signature", "stale_timestamp", "malformed_header", "invalid_secret"]);

function failure(status, code, message, headers) {
  return Response.json({ ok: false, error: { severity: "error", code, path: "", message } }, { status, headers });
}

function positive(value) {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const encoder = new TextEncoder();

async function sha256(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal strings, compared in time independent of where they differ. */
function sameText(a, b) {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i] ?? 0) ^ y[i];
  return diff === 0;
}
