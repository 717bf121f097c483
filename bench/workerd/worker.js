// The parse benchmark inside workerd (bench/run.mjs serves it on 127.0.0.1).
// GET /?case=C&i=I&n=N runs case C on payload I N times in one synchronous loop
// and answers with the Worker's own clock readings; the runner times the
// request from outside, because workerd may coarsen or freeze timers while
// JavaScript runs (Spectre mitigation). GET /check returns, for each payload, whether
// orderhook parses it (and the event type it reads), and where zod's and valibot's
// results differ from orderhook's, for the runner to check before it measures.
import { parse } from "orderhook";
import { cases } from "./cases.mjs";
import payloads from "./payloads.js";
import { differences } from "./schemas.mjs";

const encoder = new TextEncoder();
const bodies = payloads.map((p) => ({ ...p, bytes: encoder.encode(p.text) }));

function evalAllowed() {
  try {
    return typeof new Function("return 1") === "function";
  } catch {
    return false;
  }
}

let sink;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/check") {
      const out = bodies.map((p) => {
        const r = parse(p.text, p.options);
        const rb = parse(p.bytes, p.options);
        const row = { name: p.name, ok: r.ok, okBytes: rb.ok, provider: r.ok ? r.event.provider : null, eventType: r.ok ? r.event.event_type : null };
        if (p.schema && r.ok) {
          row.zod = differences(cases.zod(p), r.event);
          row.valibot = differences(cases.valibot(p), r.event);
        }
        return row;
      });
      return Response.json({ evalAllowed: evalAllowed(), payloads: out });
    }
    const fn = cases[url.searchParams.get("case")];
    const p = bodies[Number(url.searchParams.get("i"))];
    const n = Number(url.searchParams.get("n"));
    if (!fn || !p || !Number.isSafeInteger(n)) return new Response("bad request", { status: 400 });
    const t0 = performance.now();
    const d0 = Date.now();
    for (let k = 0; k < n; k++) sink = fn(p);
    const t1 = performance.now();
    const d1 = Date.now();
    return Response.json({ n, perf_ms: t1 - t0, date_ms: d1 - d0, last: typeof sink });
  },
};
