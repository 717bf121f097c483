#!/usr/bin/env node
// The README's provider tables, generated from the core's registry (limits().providerSpecs),
// so they list exactly the providers the build knows. `npm run docs` rewrites the parts of
// README.md between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`, and the example
// Worker's secret bindings in examples/worker/workerd.capnp between `# generated:secrets` and
// `# /generated:secrets`; tests/js/docs.test.mjs fails when they are stale.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./lib.mjs";

const STATUSES = ["pending", "processing", "paid", "fulfilled", "partially_refunded", "refunded", "canceled", "abandoned", "unknown"];
const KINDS = ["created", "updated", "paid", "refunded", "canceled", "abandoned", "unknown"];

const code = (words) => words.map((w) => `\`${w}\``).join(", ");

/** The generated sections, by name, from the providers' specs. */
export function sections(specs) {
  const header = `| normalized | ${specs.map((s) => `${s.title} status`).join(" | ")} |`;
  const rule = `|---|${specs.map(() => "---").join("|")}|`;
  const rows = STATUSES.map((status) => {
    const cells = specs.map((s) => {
      const words = s.statuses.filter(([, to]) => to === status).map(([w]) => w);
      const cell = code(words);
      return status === "unknown" ? [cell, "anything else (+ `unknown_enum` warning)"].filter(Boolean).join("; ") : cell;
    });
    return `| \`${status}\` | ${cells.join(" | ")} |`;
  });
  const kinds = [
    `| provider | ${KINDS.map((k) => `\`${k}\``).join(" | ")} |`,
    `|---|${KINDS.map(() => "---").join("|")}|`,
    ...specs.map((s) => `| ${s.title} | ${KINDS.map((k) => code(s.events.filter(([, kind]) => kind === k).map(([e]) => e))).join(" | ")} |`),
  ];
  const signatures = [
    "| provider | signature | headers |",
    "|---|---|---|",
    ...specs.map((s) => `| ${s.title} | ${s.signatureScheme ?? "none: it signs nothing"} | ${s.signatureHeaders ? code(s.signatureHeaders) : "—"} |`),
  ];
  const hours = (h) => (h === 0 ? "— (it does not retry)" : h % 24 === 0 && h >= 48 ? `${h} h (${h / 24} days)` : `${h} h`);
  const deliveryIds = [
    "| provider | delivery id (the same on every retry) | remembered for (retry horizon) |",
    "|---|---|---|",
    ...specs.map((s) => {
      const id = {
        header: `header \`${s.deliveryId.name}\``,
        event_id: "the body's event id (`event.event_id`)",
        none: "none: no id is kept across deliveries",
      }[s.deliveryId.source];
      return `| ${s.title} | ${id} | ${hours(s.retryHorizonHours)} |`;
    }),
  ];
  const titles = specs.map((s) => `**${s.title}**`);
  const list = titles.length > 1 ? `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}` : titles.join("");
  return {
    providers: `Supported platforms: ${list}.`,
    "status-table": [header, rule, ...rows].join("\n"),
    "event-kinds": kinds.join("\n"),
    signatures: signatures.join("\n"),
    "delivery-ids": deliveryIds.join("\n"),
  };
}

/** `text` with every section of `bodies` replaced between `open(name)` and `close(name)`; throws on a missing marker. */
function replaceSections(text, bodies, open, close, file) {
  for (const [name, body] of Object.entries(bodies)) {
    const a = text.indexOf(open(name));
    const b = text.indexOf(close(name));
    if (a < 0 || b < a) throw new Error(`${file} has no ${open(name)} … ${close(name)} section`);
    text = `${text.slice(0, a + open(name).length)}\n${body}\n${text.slice(b)}`;
  }
  return text;
}

/** README.md `text` with every generated section replaced; throws on a missing marker. */
export function regenerate(text, specs) {
  return replaceSections(text, sections(specs), (n) => `<!-- generated:${n} -->`, (n) => `<!-- /generated:${n} -->`, "README.md");
}

/** The example Worker's workerd.capnp: one binding per provider for the secret its route reads
 * (examples/worker/src/index.js: <NAME>_WEBHOOK_SECRET, or <NAME>_PATH_TOKEN when it signs nothing). */
export function regenerateCapnp(text, specs) {
  const lines = specs.map(({ name, signatureHeaders }) => {
    const env = `${name.toUpperCase()}_${signatureHeaders ? "WEBHOOK_SECRET" : "PATH_TOKEN"}`;
    return `    (name = "${env}", fromEnvironment = "${env}"),`;
  });
  return replaceSections(text, { secrets: lines.join("\n") }, (n) => `    # generated:${n} (npm run docs)`, (n) => `    # /generated:${n}`, "workerd.capnp");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { limits } = await import("orderhook");
  const specs = limits().providerSpecs;
  for (const [rel, regen] of [["README.md", regenerate], ["examples/worker/workerd.capnp", regenerateCapnp]]) {
    const file = path.join(root, rel);
    const before = readFileSync(file, "utf8");
    const after = regen(before, specs);
    if (after !== before) writeFileSync(file, after);
    console.log(`docs: ${rel} ${after === before ? "is up to date" : "regenerated"}`);
  }
}
