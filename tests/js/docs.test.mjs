// The README's provider tables are generated from the core's registry: they list
// exactly the providers, events, statuses and signature schemes the build knows.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { limits } from "orderhook";
import { regenerate, regenerateCapnp, sections } from "../../scripts/docs.mjs";
import { root } from "./helpers.mjs";

const specs = limits().providerSpecs;

test("the README's generated provider sections are up to date (npm run docs)", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  assert.equal(regenerate(readme, specs), readme);
});

test("the example Worker's workerd.capnp binds every provider's secret (npm run docs)", () => {
  const capnp = readFileSync(path.join(root, "examples", "worker", "workerd.capnp"), "utf8");
  assert.equal(regenerateCapnp(capnp, specs), capnp);
  for (const spec of specs) assert.match(capnp, new RegExp(`name = "${spec.name.toUpperCase()}_(WEBHOOK_SECRET|PATH_TOKEN)"`), spec.name);
});

test("every registered provider has a column of statuses and a row of events", () => {
  const s = sections(specs);
  for (const spec of specs) {
    assert.ok(s["status-table"].split("\n")[0].includes(`${spec.title} status`), spec.name);
    assert.ok(s["event-kinds"].includes(`| ${spec.title} |`), spec.name);
    for (const [event] of spec.events) assert.ok(s["event-kinds"].includes(`\`${event}\``), `${spec.name} ${event}`);
    for (const [word] of spec.statuses) assert.ok(s["status-table"].includes(`\`${word}\``), `${spec.name} ${word}`);
  }
});

test("the registry describes each provider: events, statuses, signature or none", () => {
  assert.deepEqual(specs.map((s) => s.name), limits().providers);
  for (const spec of specs) {
    assert.ok(spec.title && spec.events.length > 0 && spec.statuses.length > 0, spec.name);
    assert.equal(spec.signatureHeaders === null, spec.signatureScheme === null, spec.name);
  }
  const vrio = specs.find((s) => s.name === "vrio");
  assert.equal(vrio.signatureHeaders, null);
  assert.deepEqual(specs.find((s) => s.name === "polar").signatureHeaders, ["webhook-id", "webhook-timestamp", "webhook-signature"]);
});
