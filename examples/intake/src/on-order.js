// Your code goes here. The queue consumer in index.js calls
//
//   onOrder(event, { idempotencyKey, attempt }, env)
//
// for each accepted order, and calls it again (same idempotencyKey, next attempt) when it
// throws, up to the queue's max_retries; after that the order goes to the dead-letter
// queue and onDeadLetter(message, env) is called. A call that returned is never made
// again for that delivery, except in one case: the Worker stopped between your call
// returning and the Durable Object recording it (README "At scale"). So make the effect
// idempotent on `idempotencyKey` (`<provider>:<delivery id>`): pass it to your backend or
// payment API as its idempotency key, or store it under a unique constraint.
//
// `event` is orderhook's normalized OrderEvent (event.order.total: integer minor units).

/** Do the work for one order; throw to have it retried. */
export async function onOrder(event, { idempotencyKey, attempt }, env) {
  const { provider, kind, order } = event;
  // One short line, no personal data.
  console.log(`order ${provider} ${kind} id=${order.id} key=${idempotencyKey} attempt=${attempt} total=${order.total ?? "-"} ${order.currency ?? ""}`.trim());
  // An example of real work: hand the order to your own backend, with the key.
  if (env.ORDERS_BACKEND_URL) {
    const res = await fetch(env.ORDERS_BACKEND_URL, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey, "x-attempt": String(attempt) },
      body: JSON.stringify(event),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`backend answered ${res.status} for ${idempotencyKey}`);
  }
}

/** An order onOrder failed on every attempt: alert someone, keep it for a replay. */
export async function onDeadLetter({ key, event }, env) {
  console.error(`order ${key} failed on every attempt; it is in the dead-letter queue`);
  if (env.ORDERS_BACKEND_URL) {
    const res = await fetch(new URL("dead-letter", env.ORDERS_BACKEND_URL), {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(event),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`backend answered ${res.status} for the dead letter ${key}`);
  }
}
