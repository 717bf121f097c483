// A consumer of the published types, checked with `tsc --noEmit --strict`.
// The `@ts-expect-error` lines must fail to compile: if a type became too loose
// (or a field were renamed), tsc reports the unused directive.
import { detect, parse, parseRequest, verify, version } from "orderhook";
import type { Code, Issue, Item, Order, OrderEvent, ParseResult, Provider, Status } from "orderhook";

const body: string = '{"type":"order.paid","data":{}}';
const result: ParseResult = parse(body, { provider: "polar", timeZone: "America/New_York", currency: "USD", strict: true });

// @ts-expect-error: `event` exists only once `ok` has been checked
const unchecked: OrderEvent = result.event;

if (result.ok) {
  const event: OrderEvent = result.event;
  const order: Order = event.order;
  const total: number | null = order.total;
  const status: Status = order.status;
  const firstItem: Item | undefined = order.items[0];
  const quantity: number | undefined = firstItem?.quantity;
  const email: string | null | undefined = order.customer?.email;
  const country: string | null | undefined = order.billing_address?.country;
  const provider: Provider = event.provider;
  console.log(total, status, quantity, email, country, provider, event.occurred_at, event.kind);
  // @ts-expect-error: a misspelt field does not compile
  console.log(event.order.totl);
  // @ts-expect-error: money is an integer number of minor units, not a string
  const asText: string = order.subtotal;
  // @ts-expect-error: a successful result has no `errors`
  console.log(result.errors.length);
  // @ts-expect-error: statuses are a closed union
  const wrongStatus: Status = "shipped";
  void asText;
  void wrongStatus;
} else {
  const errors: Issue[] = result.errors;
  const codes: Code[] = errors.map((e) => e.code);
  // @ts-expect-error: issue codes are a closed union of snake_case words
  const wrongCode: Code = "InvalidJson";
  console.log(codes, wrongCode, result.warnings.length);
}

// Bodies are raw text or bytes; options are camelCase and checked.
parse(new Uint8Array([123, 125]));
parse(new ArrayBuffer(2), { maxBytes: 1024, includeSource: true });
const withSource = parse(body, { includeSource: true });
if (withSource.source !== undefined) {
  const from: Provider = withSource.source.provider;
  const sent: unknown = withSource.source.payload["checkout_id"];
  console.log(from, sent);
}
// @ts-expect-error: an already-parsed object is not a body
parse({ type: "order.paid" });
// @ts-expect-error: options are camelCase
parse(body, { time_zone: "UTC" });
// @ts-expect-error: only the registered providers
parse(body, { provider: "square" });

const found = detect(body);
if (found !== null) {
  const p: Provider = found.provider;
  const t: string | null = found.eventType;
  console.log(p, t);
}

const checked = verify("polar", body, { "webhook-id": "msg_1" }, "whsec_x", { toleranceSeconds: 300, now: Date.now() });
if (!checked.ok) console.log(checked.error.code satisfies Code);
verify("voucherify", body, new Headers(), "secret");

async function handle(request: Request): Promise<number> {
  const r = await parseRequest(request, { provider: "polar", secret: "whsec_x", currency: "EUR" });
  return r.ok ? (r.event.order.total ?? 0) : r.errors.length;
}

console.log(unchecked, version.length, handle);

// Every entry has the same loading API and the same declarations.
import { init, initSync, ready } from "orderhook";
import * as inline from "orderhook/inline";
async function load(bytes: Uint8Array, compiled: WebAssembly.Module): Promise<void> {
  await ready;
  await init();
  await init(new URL("https://example.com/orderhook_bg.wasm"));
  await init("/assets/orderhook_bg.wasm");
  await init(fetch("/assets/orderhook_bg.wasm"));
  await init(bytes);
  await init(compiled);
  initSync(bytes);
  initSync(compiled);
  await inline.ready;
  const same: typeof parse = inline.parse;
  void same;
}
void load;

// The delivery id to de-duplicate on, and how long the provider retries.
import { deliveryId, limits } from "orderhook";
async function dedupeKey(request: Request): Promise<string | null> {
  const r = await parseRequest(request, { provider: "polar", secret: "whsec_x" });
  if (!r.ok) return null;
  const id: string | null = deliveryId("polar", request.headers, r.event);
  const spec = limits().providerSpecs.find((s) => s.name === "polar");
  const hours: number | undefined = spec?.retryHorizonHours;
  const header: string | null = spec?.deliveryId.source === "header" ? spec.deliveryId.name : null;
  // @ts-expect-error: the id comes from a registered provider's name
  deliveryId("acme", request.headers, r.event);
  return `${id}:${hours}:${header}`;
}
void dedupeKey;
