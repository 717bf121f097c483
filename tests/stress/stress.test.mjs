// The quick wasm stress run of `npm test`: ≥ 5,000 mutated payloads through the
// built package: no throw, no trap, every issue well-formed, memory flat.
// The long run is `node tests/stress/run.mjs --count 100000`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stress } from "./run.mjs";

test("5,000 mutated payloads: no throw, no trap, well-formed issues, wasm memory flat after warm-up", () => {
  const r = stress({ count: 5_000, seed: 20261126 });
  console.log(`stress: ${r.count} inputs, ${r.ok} ok, ${r.invalid} invalid, ${r.verifies} verifies; ` +
    `wasm memory ${r.memoryAfterWarmup} → ${r.memoryAtEnd} bytes; ${r.seconds.toFixed(1)} s`);
  assert.equal(r.count, 5_000);
  assert.deepEqual(r.failures, []);
  assert.ok(r.ok > 0 && r.invalid > 0, "the corpus exercises both verdicts");
  assert.ok(r.memoryAtEnd - r.memoryAfterWarmup <= 65_536, "wasm memory grows by at most one page after warm-up");
});
