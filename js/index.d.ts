// Types of the orderhook API. The data model (OrderEvent, Order, Issue, ...) is
// generated from the Rust types into ./types.d.ts; this file adds the function
// signatures, the options and the results, discriminated on `ok`.

import type { Detected, Issue, Kind, OrderEvent, Provider, Status } from "./types.js";

export type {
  Address,
  Code,
  Customer,
  Detected,
  Issue,
  Item,
  Kind,
  MinorUnits,
  Order,
  OrderEvent,
  Provider,
  Severity,
  Status,
} from "./types.js";

/** A raw webhook body: the text or the bytes as received, never a parsed object. */
export type Body = string | Uint8Array | ArrayBuffer;

export interface ParseOptions {
  /** Who sent the body; detected from the body when left out. */
  provider?: Provider;
  /** Zone of zone-less dates (Vrio): an IANA name (`"America/New_York"`), `"UTC"` or an offset (`"+02:00"`). Default UTC, with an `assumed_time_zone` warning. */
  timeZone?: string;
  /** ISO 4217 code for payloads that carry none (Vrio, Voucherify). */
  currency?: string;
  /** Larger bodies get one `too_large` error and are not decoded. Default 1 MiB. */
  maxBytes?: number;
  /** Also return the body as read, with the provider that read it, as `source`. */
  includeSource?: boolean;
  /** Unknown enum values and unsupported event types become errors. */
  strict?: boolean;
  /** The delivery id a verified signature vouched for (`verify(...).id`): the event's `event_id` when the body has none (Polar). */
  eventId?: string;
  /** The event type, for a provider that sends it in a request header rather than the body (`parseRequest` reads that header itself). Ignored where the body carries its own. */
  eventType?: string;
}

export interface DetectOptions {
  /** Larger bodies are not read: `detect` returns `null`. Default 1 MiB. */
  maxBytes?: number;
}

/** The core's limits and names, the ones `parse` and `verify` apply. */
export interface Limits {
  readonly defaultMaxBytes: number;
  readonly defaultToleranceSeconds: number;
  /** Arrays and objects nested deeper than this anywhere in a body are an `invalid_value` error. */
  readonly maxDepth: number;
  /** At most this many issues are listed, then one `too_many_issues`. */
  readonly maxIssues: number;
  readonly providers: readonly Provider[];
  /** What orderhook knows of each provider, from its registry entry in the core. */
  readonly providerSpecs: readonly ProviderSpec[];
  readonly parseOptions: readonly string[];
  readonly verifyOptions: readonly string[];
}

/** One provider as the core describes it. */
export interface ProviderSpec {
  readonly name: Provider;
  /** The provider's own spelling of its name, e.g. `"Polar"`. */
  readonly title: string;
  /** Its order event names and the kind each becomes. */
  readonly events: readonly (readonly [string, Kind])[];
  /** Its order status words and the normalized status each becomes. */
  readonly statuses: readonly (readonly [string, Status])[];
  /** The headers its signature scheme reads (lower case); `null` when it signs nothing. */
  readonly signatureHeaders: readonly string[] | null;
  /** Its signature scheme in a few words; `null` when it signs nothing. */
  readonly signatureScheme: string | null;
  /** The request header carrying the event type, when the body does not. */
  readonly eventTypeHeader: string | null;
  /** Where the id it keeps across retries of one delivery is: a request header, the body's event id (the event's `event_id`), or none (it does not retry). */
  readonly deliveryId:
    | { readonly source: "header"; readonly name: string }
    | { readonly source: "event_id" }
    | { readonly source: "none" };
  /** How long, in hours, it may retry a delivery by itself: how long to remember the delivery id. */
  readonly retryHorizonHours: number;
}

/** The event can be trusted; `warnings` may still say something is off. */
export interface ParseOk {
  ok: true;
  event: OrderEvent;
  warnings: Issue[];
  /** The body as read, when `includeSource` was set. */
  source?: Source;
}

/** The event cannot be trusted; every error is listed. */
export interface ParseFailed {
  ok: false;
  errors: Issue[];
  warnings: Issue[];
  /** The body as read, when `includeSource` was set and a provider could read it (the errors point into it). */
  source?: Source;
}

/**
 * `includeSource`: the body as the provider sent it, for a field the normalized model does not carry.
 * Every field as sent (unknown ones included, in the body's key order), except values orderhook could
 * not take (nesting deeper than `maxDepth`; a number beyond a double or a lone surrogate in a field it
 * reads): `null` there, each with an `invalid_value` issue. Typed by nothing but the provider's own
 * documentation: narrow it yourself.
 */
export interface Source {
  /** The provider whose payload it is (the one that read it). */
  provider: Provider;
  /** The body's JSON object. */
  payload: Record<string, unknown>;
}

export type ParseResult = ParseOk | ParseFailed;

/** Request headers: a `Headers` object (or anything with `forEach` and `get`), a plain object, or `[name, value]` pairs. */
export type HeadersLike =
  | { forEach(callback: (value: string, name: string) => void): void; get(name: string): string | null }
  | Record<string, string | readonly string[] | undefined>
  | ReadonlyArray<readonly [string, string]>;

export interface VerifyOptions {
  /** How far, in seconds, a signed timestamp may be from `now` (Polar, Stripe, Paddle). Default 300. */
  toleranceSeconds?: number;
  /** The current time in milliseconds (or a Date). Default `Date.now()`. */
  now?: number | Date;
}

/** `id`: the delivery id the signature vouches for, when the provider sends one outside the body (Polar's `webhook-id`). */
export type VerifyResult = { ok: true; id?: string } | { ok: false; error: Issue };

export interface ParseRequestOptions extends ParseOptions, VerifyOptions {
  /**
   * The webhook signing secret: when given, the body is verified before it is
   * parsed, with the scheme of `provider` (or of the provider detected from the
   * body; pass `provider` so that a body cannot choose the scheme). Vrio signs
   * nothing: a Vrio body with a `secret` gives `{ ok: false, errors: [unsupported] }`.
   * An empty secret gives `{ ok: false, errors: [invalid_secret] }`.
   */
  secret?: string;
}

/** Anything with a one-shot body, like the Fetch API `Request`. */
export interface RequestLike {
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Read with a cap when present (a chunked body is never read past `maxBytes`). */
  readonly body?: ReadableStream<Uint8Array> | null;
  readonly headers?: HeadersLike;
  readonly bodyUsed?: boolean;
}

/** Validate and normalize one webhook body. Never throws on bad input; throws a TypeError on misuse. */
export function parse(body: Body, options?: ParseOptions): ParseResult;

/** Which provider and event a body is, without a full parse; `null` if none or larger than `maxBytes`. */
export function detect(body: Body, options?: DetectOptions): Detected | null;

/** The core's limits, defaults and option names. */
export function limits(): Limits;

/** Check the signature of a webhook over its raw body, synchronously. */
export function verify(
  provider: Provider,
  body: Body,
  headers: HeadersLike,
  secret: string,
  options?: VerifyOptions,
): VerifyResult;

/**
 * Read a request's body once, never past `maxBytes` (a `Content-Length` over it is refused
 * unread; a chunked stream is cancelled there), verify it when `secret` is given, and parse
 * the same bytes. A refused body or a failed check gives `{ ok: false, errors: [issue], warnings: [] }`
 * (`too_large`, `incomplete_body`, or the signature's issue).
 */
export function parseRequest(request: RequestLike, options?: ParseRequestOptions): Promise<ParseResult>;

/**
 * The id `provider` keeps across retries of one delivery, to de-duplicate on: the request
 * header its registry entry names (Polar's `webhook-id`, Shopify's `X-Shopify-Webhook-Id`) or
 * the parsed event's `event_id` (the others; WooCommerce sends none: `limits().providerSpecs`
 * says which); `null` when the request lacks it. Key on it together with the provider.
 */
export function deliveryId(provider: Provider, headers: HeadersLike, event?: OrderEvent | null): string | null;

/** The package version. */
export const version: string;

/**
 * Resolves once the wasm module is instantiated: already resolved in the node, workerd and
 * inline entries (they instantiate on import), after the fetch in the browser entry.
 * Rejects when the entry's own .wasm cannot be had (a bundle that did not copy it) until
 * `init` or `initSync` is given one. `await ready` before the first call in code that may
 * run in a browser; it is the same in every entry.
 */
export let ready: Promise<void>;

/** What `init` instantiates: where the .wasm is, its bytes, or the compiled module. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | PromiseLike<Response>
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

/**
 * Instantiate the wasm from `source` (without one, from the entry's own .wasm), for a bundle
 * that did not ship the .wasm next to the script. Resolves at once when an instance exists:
 * the first instance wins.
 */
export function init(source?: WasmSource): Promise<void>;

/** Instantiate the wasm synchronously from its bytes or a compiled `WebAssembly.Module`; does nothing once an instance exists. */
export function initSync(moduleOrBytes: ArrayBuffer | ArrayBufferView | WebAssembly.Module): void;
