// Your business logic goes here. index.js calls `onOrder(event, env, ctx)` once per
// new delivery (duplicates are filtered out before), through `ctx.waitUntil`: the
// provider has already been answered 200 when this runs, so a failure here is not
// retried by the provider. For at-least-once processing, enqueue instead
// (`await env.ORDERS.send(event)` to a Cloudflare Queue) — see README.md.
//
// `event` is orderhook's normalized OrderEvent: { provider, event_type, kind,
// event_id, occurred_at, order: { id, status, currency, total (integer minor
// units), items, customer, ... } }.

export async function onOrder(event, env, ctx) {
  const { provider, kind, event_id, order } = event;
  // One short line, no personal data (no email, name or address in logs).
  console.log(
    `order ${provider} ${kind} id=${order.id} event=${event_id ?? "-"} total=${order.total ?? "-"} ${order.currency ?? ""}`.trim(),
  );
}
