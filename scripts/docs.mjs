#!/usr/bin/env node
// The README's provider tables, generated from the core's registry (limits().providerSpecs),
// so they list exactly the providers the build knows. `npm run docs` rewrites the parts of
// README.md between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`;
// tests/js/docs.test.mjs fails when they are stale.
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

/** `text` with every generated section replaced; throws on a missing marker. */
export function regenerate(text, specs) {
  for (const [name, body] of Object.entries(sections(specs))) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const a = text.indexOf(open);
    const b = text.indexOf(close);
    if (a < 0 || b < a) throw new Error(`README.md has no ${open} … ${close} section`);
    text = `${text.slice(0, a + open.length)}\n${body}\n${text.slice(b)}`;
  }
  return text;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { limits } = await import("orderhook");
  const file = path.join(root, "README.md");
  const before = readFileSync(file, "utf8");
  const after = regenerate(before, limits().providerSpecs);
  if (after !== before) writeFileSync(file, after);
  console.log(`docs: README.md ${after === before ? "is up to date" : "regenerated"}`);
}
