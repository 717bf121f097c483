// The Durable Object of one delivery: one object per `<provider>:<delivery id>`, so there is
// no hot object, and each runs its calls one at a time with storage that is strongly
// consistent. It is the intake's memory and its outbox:
//
//   accept()        the first arrival records the order ("recorded") and arms an alarm
//                   *before* it enqueues, then marks it "queued"; later arrivals are
//                   duplicates and do no work
//   begin()/finish()/fail()   the queue consumer claims the order (a lease), and
//                   reports the outcome of onOrder: "done" forgets the event
//   deadLettered()  the queue gave up on it ("dead")
//   alarm()         enqueues an order whose enqueue was not confirmed, or that nobody
//                   worked on for RESEND_AFTER_SECONDS (a lost message); deletes a done
//                   record once the provider's retry horizon is over
//
// The record is small: key, first-arrival time, the hash of the normalized event, state,
// and the event itself only until onOrder succeeded.

import { DurableObject } from "cloudflare:workers";

const RECORD = "delivery";
const DEFAULT_LEASE_SECONDS = 900; // a queue consumer may run 15 minutes
const DEFAULT_RESEND_AFTER_SECONDS = 3600;
const FIRST_CHECK_MS = 60_000;
// A queue message holds at most 128 KB: a larger event stays here and the consumer reads it.
const MAX_EVENT_IN_MESSAGE = 100_000;

/** A positive number of seconds from a [vars] setting, or the default, in milliseconds. */
function ms(value, fallbackSeconds) {
  const n = Number(value);
  return (value !== undefined && Number.isFinite(n) && n > 0 ? n : fallbackSeconds) * 1000;
}

export class Delivery extends DurableObject {
  /** The enqueue under way in this instance: concurrent arrivals wait for it rather than send again. */
  #sending;

  get #resendMs() {
    return ms(this.env.RESEND_AFTER_SECONDS, DEFAULT_RESEND_AFTER_SECONDS);
  }

  /**
   * A delivery arrived: `{ key, hash, event, horizonHours }`. Resolves once the order is
   * durably accepted — recorded here and handed to the queue — with `{ duplicate, state }`
   * (`conflict: true` when a duplicate's content differs from the first arrival's);
   * rejects when the queue refused it (answer 5xx: the provider retries, and the alarm
   * enqueues it anyway).
   */
  async accept({ key, hash, event, horizonHours }) {
    const storage = this.ctx.storage;
    let rec = await storage.get(RECORD);
    if (rec === undefined) {
      const now = Date.now();
      rec = { key, hash, at: now, expires: now + horizonHours * 3_600_000, state: "recorded", event, attempts: 0, seen: now, sends: 0 };
      // Recorded and the alarm armed before anything leaves this object (the output gate
      // holds the enqueue until these writes are durable): a crash from here on leaves a
      // "recorded" order that the alarm, or the provider's retry, enqueues.
      await storage.put(RECORD, rec);
      // Soon, in case the enqueue below fails and no retry comes; later alarms wait RESEND_AFTER_SECONDS.
      await storage.setAlarm(now + Math.min(FIRST_CHECK_MS, this.#resendMs));
      await this.#enqueue();
      return { duplicate: false, state: "queued" };
    }
    const conflict = rec.hash !== hash;
    if (conflict) console.warn(`delivery ${key}: a duplicate whose order differs from the first arrival's (kept the first)`);
    // Recorded but its enqueue not confirmed (under way, or a crash or error before it):
    // confirm it before answering, so a 2xx always means "in the queue".
    if (rec.state === "recorded") await this.#enqueue();
    return { duplicate: true, state: rec.state === "recorded" ? "queued" : rec.state, ...(conflict ? { conflict } : {}) };
  }

  /** Hand the recorded order to the queue once, whoever asks meanwhile; then it is "queued". */
  #enqueue() {
    this.#sending ??= (async () => {
      try {
        const rec = await this.ctx.storage.get(RECORD);
        if (rec?.event === undefined) return;
        const small = JSON.stringify(rec.event).length <= MAX_EVENT_IN_MESSAGE;
        await this.send({ key: rec.key, hash: rec.hash, event: small ? rec.event : null });
        const sent = await this.ctx.storage.get(RECORD);
        sent.sends += 1;
        sent.seen = Date.now();
        if (sent.state === "recorded") sent.state = "queued";
        await this.ctx.storage.put(RECORD, sent);
      } finally {
        this.#sending = undefined;
      }
    })();
    return this.#sending;
  }

  /** The one place a message is sent (a test can fail it). */
  async send(message) {
    await this.env.ORDERS.send(message, { contentType: "json" });
  }

  /**
   * The consumer asks to run onOrder. `{ run: true, token, attempt, event? }`: go ahead
   * (it holds a lease of LEASE_SECONDS); `{ skip: true }`: done already, dead-lettered or
   * forgotten; `{ busy: true }`: another consumer holds a live lease.
   */
  async begin({ needEvent = false } = {}) {
    const rec = await this.ctx.storage.get(RECORD);
    // No record: its horizon is over, and only done or dead records are ever deleted.
    if (rec === undefined || rec.state === "done" || rec.state === "dead") return { skip: true, state: rec?.state ?? "forgotten" };
    const now = Date.now();
    if (rec.state === "running" && rec.leaseUntil > now) return { busy: true };
    rec.state = "running";
    rec.token = crypto.randomUUID();
    rec.leaseUntil = now + ms(this.env.LEASE_SECONDS, DEFAULT_LEASE_SECONDS);
    rec.attempts += 1;
    rec.seen = now;
    await this.ctx.storage.put(RECORD, rec);
    return { run: true, token: rec.token, attempt: rec.attempts, ...(needEvent ? { event: rec.event } : {}) };
  }

  /** onOrder succeeded: never run it again; forget the event, keep the small record until the horizon. */
  async finish() {
    const rec = await this.ctx.storage.get(RECORD);
    if (rec === undefined || rec.state === "done") return;
    const { event, token, leaseUntil, ...kept } = rec;
    await this.ctx.storage.put(RECORD, { ...kept, state: "done", doneAt: Date.now() });
    await this.ctx.storage.setAlarm(Math.max(rec.expires, Date.now() + 1000));
  }

  /** onOrder threw: release the lease (when still ours) so the queue's retry can claim it. */
  async fail({ token, error }) {
    const rec = await this.ctx.storage.get(RECORD);
    if (rec?.state !== "running" || rec.token !== token) return;
    rec.state = "queued";
    rec.lastError = String(error).slice(0, 200);
    rec.seen = Date.now();
    delete rec.token;
    delete rec.leaseUntil;
    await this.ctx.storage.put(RECORD, rec);
  }

  /** The queue moved the message to the dead-letter queue. `{ dead }`: false when it was done after all. */
  async deadLettered() {
    const rec = await this.ctx.storage.get(RECORD);
    if (rec === undefined || rec.state === "done") return { dead: false };
    const { token, leaseUntil, ...kept } = rec;
    await this.ctx.storage.put(RECORD, { ...kept, state: "dead", deadAt: Date.now() });
    await this.ctx.storage.setAlarm(Math.max(rec.expires, Date.now() + 1000));
    return { dead: true };
  }

  /** What this object holds (for operators and tests). */
  async state() {
    const rec = await this.ctx.storage.get(RECORD);
    if (rec === undefined) return null;
    const { event, ...small } = rec;
    return { ...small, holdsEvent: event !== undefined };
  }

  async alarm() {
    const rec = await this.ctx.storage.get(RECORD);
    if (rec === undefined) return;
    const now = Date.now();
    if (rec.state === "done" || rec.state === "dead") {
      // Past the provider's retry horizon no retry of this delivery will come: forget it.
      if (now >= rec.expires) await this.ctx.storage.deleteAll();
      else await this.ctx.storage.setAlarm(rec.expires);
      return;
    }
    const leased = rec.state === "running" && rec.leaseUntil > now;
    if (rec.state === "recorded" || (!leased && now - rec.seen >= this.#resendMs)) {
      try {
        await this.#enqueue();
      } catch (err) {
        console.error(`delivery ${rec.key}: enqueue from the alarm failed; trying again later:`, err?.message ?? err);
      }
    }
    await this.ctx.storage.setAlarm(Date.now() + this.#resendMs);
  }
}
