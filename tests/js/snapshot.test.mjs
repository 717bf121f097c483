// Every result the package gives on the repository's payloads, compared as JSON text (key
// order included) with a committed snapshot, so refactoring the core, its result encoding or
// the time-zone callback cannot change a verdict unnoticed. After an intended change:
//   ORDERHOOK_UPDATE_SNAPSHOT=1 node --test tests/js/snapshot.test.mjs
// and review the diff of tests/js/snapshots/results.ndjson.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { detect, parse } from "orderhook";
import { root, samplesDir } from "./helpers.mjs";

const snapshotFile = path.join(root, "tests", "js", "snapshots", "results.ndjson");

const OPTION_SETS = [
  undefined,
  { includeSource: true },
  { timeZone: "America/New_York", currency: "USD" },
  { timeZone: "+02:00", currency: "JPY", strict: true },
  { timeZone: "Australia/Lord_Howe", eventId: "evt_1", currency: "KWD" },
];

function bodies() {
  const out = [];
  for (const dir of [samplesDir, path.join(root, "tests", "fixtures")]) {
    for (const f of readdirSync(dir).sort()) {
      if (/\.(json|txt)$/.test(f)) out.push({ name: path.relative(root, path.join(dir, f)), text: readFileSync(path.join(dir, f), "utf8") });
    }
  }
  return out;
}

// Vrio dates (zone-less) around daylight-saving transitions, read in zones with unusual
// rules: gaps, folds, half-hour and negative DST, a skipped calendar day.
const TRANSITIONS = {
  "America/New_York": ["2024-03-10 02:00", "2024-11-03 01:00"],
  "Europe/London": ["2024-03-31 01:00", "2024-10-27 01:00"],
  "Australia/Lord_Howe": ["2024-04-07 01:30", "2024-10-06 02:00"],
  "America/St_Johns": ["2024-03-10 02:00", "2024-11-03 01:00"],
  "Europe/Dublin": ["2024-03-31 01:00", "2024-10-27 01:00"],
  "Pacific/Apia": ["2011-12-29 23:00", "2011-12-31 00:30"],
  "Asia/Kolkata": ["2024-06-01 12:00"],
  "America/Sao_Paulo": ["2018-11-04 00:00", "2019-02-16 23:00"],
};

function shifted(start, minutes) {
  const t = new Date(`${start.replace(" ", "T")}:00Z`).getTime() + minutes * 60_000;
  return new Date(t).toISOString().slice(0, 19).replace("T", " ");
}

function vrioBody(dates) {
  return JSON.stringify({
    webhook_type: "order",
    webhook_event: "order_updated",
    webhook_event_id: 1,
    webhook_event_date: dates[0],
    webhook_data: {
      order: {
        id: "1",
        date_created: dates[1],
        date_modified: dates[2],
        status_type_id: "Complete",
        order_offers: [{ id: "1", offer_id: "7", offer_name: "Kit", order_offer_quantity: "1", order_offer_price: "1.00" }],
      },
    },
  });
}

function cases() {
  const out = [];
  for (const b of bodies()) {
    out.push([`detect ${b.name}`, () => detect(b.text)]);
    for (const o of OPTION_SETS) out.push([`parse ${b.name} ${JSON.stringify(o ?? {})}`, () => parse(b.text, o)]);
  }
  for (const [zone, starts] of Object.entries(TRANSITIONS)) {
    for (const start of starts) {
      for (let k = -4; k <= 4; k++) {
        const dates = [0, 20, 40].map((m) => shifted(start, k * 60 + m));
        out.push([`zone ${zone} ${dates.join(", ")}`, () => {
          const { event, errors } = parse(vrioBody(dates), { timeZone: zone });
          return event ? [event.occurred_at, event.order.created_at, event.order.updated_at] : errors;
        }]);
      }
    }
  }
  return out;
}

test("every result on the repository's payloads equals the committed snapshot, key order included", () => {
  const lines = cases().map(([name, run]) => JSON.stringify({ case: name, result: run() ?? null }));
  if (process.env.ORDERHOOK_UPDATE_SNAPSHOT) {
    mkdirSync(path.dirname(snapshotFile), { recursive: true });
    writeFileSync(snapshotFile, lines.join("\n") + "\n");
  }
  assert.ok(existsSync(snapshotFile), "no snapshot: run with ORDERHOOK_UPDATE_SNAPSHOT=1 once");
  const expected = readFileSync(snapshotFile, "utf8").trimEnd().split("\n");
  const caseOf = (line) => JSON.parse(line).case;
  assert.deepEqual(lines.map(caseOf), expected.map(caseOf), "the set of cases changed");
  for (let i = 0; i < lines.length; i++) assert.equal(lines[i], expected[i], `result of ${caseOf(lines[i])}`);
});
