// The intake Worker (examples/intake) on the Workers runtime (miniflare: workerd with the
// Durable Object and both queues), under concurrent duplicates, thousands of distinct
// deliveries and faults: onOrder failing once or always, the queue refusing a recorded
// order, a provider giving up on an attempt and retrying, and the Worker stopped and
// restarted mid-run with its storage kept (miniflare keeps queue messages in memory, so the
// restart also loses whatever was in the queue). Bounded: a fixed plan of about 1,070
// distinct deliveries (and 320 concurrent copies), each retried at most 40 times, and every wait has a deadline.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { MAX_RETRIES, bundle, delivery, post, startBackend, startIntake } from "./lib.mjs";

// Distinct deliveries per phase, spread over the three providers (ORDERHOOK_INTAKE_DISTINCT to change).
const DISTINCT = Number(process.env.ORDERHOOK_INTAKE_DISTINCT ?? 500);
const CONCURRENCY = 16;
const PROVIDERS = ["polar", "voucherify", "vrio"];
const DRAIN_DEADLINE_MS = 180_000;
// The alarm re-sends an order nobody touched for this long: longer than the queue's backlog gets
// here (tens of seconds on a loaded machine), or a retrying order would run on two copies.
const RESEND_AFTER_SECONDS = 45;

const dir = mkdtempSync(path.join(tmpdir(), "orderhook-intake-"));
const persistDir = path.join(dir, "state");
let modules;
let backend;
let worker; // the running Worker; replaced by the restart
const logs = [];
let n = 0;
const make = (prefix, i) => delivery(PROVIDERS[i % 3], `${prefix}-${i}`, ++n);

// Groups of the plan, and what each delivery was answered.
const plan = {
  distinctA: Array.from({ length: DISTINCT }, (_, i) => make("a", i)),
  hot: make("hot", 0), // sent 50 times at once
  warm: Array.from({ length: 20 }, (_, i) => make("warm", i)), // each sent 5 times at once
  flaky: Array.from({ length: 20 }, (_, i) => make("flaky", i)), // onOrder throws once
  poison: Array.from({ length: 5 }, (_, i) => make("poison", i)), // onOrder always throws
  sendfail: Array.from({ length: 10 }, (_, i) => make("sendfail", i)), // the first enqueue fails
  timedOut: Array.from({ length: 10 }, (_, i) => make("timeout", i)), // the provider gives up on the first attempt
  distinctB: Array.from({ length: DISTINCT }, (_, i) => make("b", i)), // the restart happens among these
};
const answers = new Map(); // key → [{ status, duplicate }]
const facts = {};

function note(d, r) {
  if (!answers.has(d.key)) answers.set(d.key, []);
  answers.get(d.key).push({ status: r.status, duplicate: r.body?.duplicate });
}

/** Like a provider: POST until a 2xx, pausing between tries; at most 40 tries. */
async function deliver(d, { firstTimeoutMs } = {}) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const r = await post(worker.url, d, attempt === 0 && firstTimeoutMs ? { timeoutMs: firstTimeoutMs } : {});
    note(d, r);
    if (r.status === 200) return r;
    await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
  }
  throw new Error(`${d.key} was never accepted`);
}

/** Run `fn` over `items` with `CONCURRENCY` at once. */
async function pool(items, fn) {
  let next = 0;
  const runners = Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(runners);
}

/** Wait until `ready()` or the deadline; true when ready. */
async function until(ready, deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (!ready()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

const working = (ds) => ds.filter((d) => !d.orderId.startsWith("poison"));
const allDone = (ds) => () => working(ds).every((d) => backend.state.done.has(d.key));

before(async () => {
  // ORDERHOOK_INTAKE_PROGRESS=1 prints what has happened every 5 s.
  const progress = process.env.ORDERHOOK_INTAKE_PROGRESS
    ? setInterval(() => {
        const s = backend.state;
        const statuses = {};
        for (const a of [...answers.values()].flat()) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
        console.log(`progress: answers ${JSON.stringify(statuses)} done ${s.done.size} calls ${s.calls.length} dead ${s.deadLetters.length} logs: ${logs.slice(-3).map((l) => JSON.stringify(l).slice(0, 300)).join(" | ")}`);
      }, 5000)
    : undefined;
  modules = await bundle(path.join(dir, "dist"));
  backend = await startBackend();
  for (const d of plan.flaky) backend.state.failing.set(d.key, 1);
  for (const d of plan.poison) backend.state.failing.set(d.key, Number.POSITIVE_INFINITY);
  worker = await startIntake({ modules, persistDir, backendUrl: backend.url, logs, resendAfterSeconds: RESEND_AFTER_SECONDS });

  // Phase A: everything but the restart, all at once.
  const phaseA = [...plan.distinctA, ...plan.flaky, ...plan.poison, ...plan.sendfail];
  let started = Date.now();
  await Promise.all([
    pool(phaseA, (d) => deliver(d)),
    Promise.all(Array.from({ length: 50 }, () => post(worker.url, plan.hot).then((r) => note(plan.hot, r)))),
    ...plan.warm.map((d) => Promise.all(Array.from({ length: 5 }, () => post(worker.url, d).then((r) => note(d, r))))),
    pool(plan.timedOut, (d) => deliver(d, { firstTimeoutMs: 1 + (d.orderId.length % 4) * 15 })),
  ]);
  facts.acceptSeconds = (Date.now() - started) / 1000;
  facts.acceptedA = phaseA.length + 1 + plan.warm.length + plan.timedOut.length;
  const everyA = [...phaseA, plan.hot, ...plan.warm, ...plan.timedOut];
  facts.drainedA = await until(
    () => allDone(everyA)() && plan.poison.every((d) => backend.state.deadLetters.some((x) => x.key === d.key)),
    DRAIN_DEADLINE_MS,
  );
  facts.endToEndSeconds = (Date.now() - started) / 1000;
  facts.repeatsA = backend.state.repeats.length;

  // Phase B: distinct deliveries, and the Worker stopped once a third of them are accepted.
  started = Date.now();
  let accepted = 0;
  let restart;
  await pool(plan.distinctB, async (d) => {
    await deliver(d);
    if (++accepted === Math.floor(DISTINCT / 3)) {
      restart = (async () => {
        facts.stoppedAt = Date.now();
        await worker.stop(); // workerd exits: in-flight requests fail, the in-memory queue is gone
        worker = { url: "http://127.0.0.1:9" }; // refused until the new Worker listens
        worker = await startIntake({ modules, persistDir, backendUrl: backend.url, logs, resendAfterSeconds: RESEND_AFTER_SECONDS });
        facts.restartedAt = Date.now();
      })();
    }
  });
  await restart;
  facts.drainedB = await until(allDone(plan.distinctB), DRAIN_DEADLINE_MS);
  facts.phaseBSeconds = (Date.now() - started) / 1000;

  clearInterval(progress);
  const orders = facts.acceptedA + plan.distinctB.length;
  console.log(
    `intake: ${facts.acceptedA} deliveries (+ ${50 + plan.warm.length * 5 - 1 - plan.warm.length} concurrent duplicates) accepted in ` +
      `${facts.acceptSeconds.toFixed(1)} s (${(facts.acceptedA / facts.acceptSeconds).toFixed(0)}/s); every onOrder done or ` +
      `dead-lettered ${facts.endToEndSeconds.toFixed(1)} s after the first (${(facts.acceptedA / facts.endToEndSeconds).toFixed(0)} orders/s ` +
      `end to end); phase with the restart: ${plan.distinctB.length} in ${facts.phaseBSeconds.toFixed(1)} s ` +
      `(restart took ${((facts.restartedAt - facts.stoppedAt) / 1000).toFixed(1)} s); ${orders} distinct orders in all`,
  );
});

after(async () => {
  await worker?.stop?.();
  await backend?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const callsOf = (key) => backend.state.calls.filter((c) => c.key === key);

describe("intake on the Workers runtime", () => {
  test("every distinct order reaches onOrder, with its own order", () => {
    assert.ok(facts.drainedA, "phase A drained before its deadline");
    assert.ok(facts.drainedB, "the phase with the restart drained before its deadline");
    const all = [...plan.distinctA, plan.hot, ...plan.warm, ...plan.flaky, ...plan.sendfail, ...plan.timedOut, ...plan.distinctB];
    for (const d of all) assert.equal(backend.state.done.get(d.key)?.order, d.orderId, d.key);
  });

  test("a successful onOrder call is never repeated without a restart", () => {
    assert.equal(facts.repeatsA, 0, JSON.stringify(backend.state.repeats.slice(0, 5)));
  });

  test("across the restart, a success is repeated only if the Worker stopped before recording it", () => {
    // The one window where onOrder is at-least-once: its call returned, but the Worker
    // stopped before the Durable Object recorded "done". The retry has the same key.
    const window = [facts.stoppedAt - 2_000, facts.restartedAt];
    for (const r of backend.state.repeats) {
      assert.ok(r.first.at >= window[0] && r.first.at <= window[1], `${r.key} first succeeded at ${r.first.at}, outside ${window}`);
    }
    console.log(`intake: ${backend.state.repeats.length} onOrder call(s) repeated across the restart (same idempotency key)`);
  });

  test("concurrent duplicates are answered 200 and do no work", () => {
    for (const d of [plan.hot, ...plan.warm]) {
      const got = answers.get(d.key);
      assert.ok(got.every((a) => a.status === 200), `${d.key}: ${JSON.stringify(got)}`);
      assert.equal(got.filter((a) => a.duplicate === false).length, 1, d.key);
      assert.equal(callsOf(d.key).length, 1, d.key);
    }
    assert.equal(answers.get(plan.hot.key).length, 50);
  });

  test("a call that threw is retried with the same idempotency key, and succeeds once", () => {
    for (const d of plan.flaky) {
      const calls = callsOf(d.key);
      assert.deepEqual(calls.map((c) => [c.ok, c.attempt]), [[false, 1], [true, 2]], d.key);
    }
  });

  test(`a call that keeps throwing is tried ${MAX_RETRIES + 1} times, then lands in the dead-letter queue once`, () => {
    for (const d of plan.poison) {
      const calls = callsOf(d.key);
      assert.deepEqual(calls.map((c) => c.attempt), Array.from({ length: MAX_RETRIES + 1 }, (_, i) => i + 1), d.key);
      assert.ok(calls.every((c) => !c.ok && c.key === d.key));
      assert.equal(backend.state.deadLetters.filter((x) => x.key === d.key).length, 1, d.key);
    }
  });

  test("a recorded delivery whose enqueue failed is answered 503, and its retry books it once", () => {
    for (const d of plan.sendfail) {
      const got = answers.get(d.key);
      assert.equal(got[0].status, 503, d.key);
      assert.equal(got.at(-1).status, 200, d.key);
      assert.equal(callsOf(d.key).length, 1, d.key);
    }
  });

  test("a delivery retried after its first attempt timed out is booked once", () => {
    for (const d of plan.timedOut) {
      assert.equal(answers.get(d.key)[0].status, 0, `${d.key}: the first attempt was given up`);
      assert.equal(callsOf(d.key).length, 1, d.key);
    }
  });

  test("nothing accepted before the restart is lost", () => {
    for (const d of plan.distinctB) assert.ok(backend.state.done.has(d.key), d.key);
    const refused = plan.distinctB.filter((d) => answers.get(d.key).some((a) => a.status !== 200)).length;
    console.log(`intake: ${refused} deliveries were refused or cut off by the restart and retried by the "provider"`);
  });
});
