// Browser test of the preview page (www/), in Debian's Chromium driven by
// playwright-core. The page is served in-process by scripts/preview.mjs on
// 127.0.0.1; what it renders is compared with what the package's own `parse`
// returns in Node for the same payload.
//
// Skipped, with a SKIPPED line, when /usr/bin/chromium or playwright-core is
// missing (scripts/setup.mjs installs Chromium with apt-get when it runs as root).
// Screenshots go to test-output/ (git-ignored); docs/preview.png is the README's.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { limits } from "orderhook";
import { polarKey, root, sample, standardWebhooksHeaders, voucherifySignature } from "../js/helpers.mjs";

const at = (...p) => path.join(root, ...p);
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const OUT = at("test-output");
const DESKTOP = { width: 1440, height: 1000 };
const PHONE = { width: 375, height: 812 };
const WAIT_MS = 15_000;

const missing = [];
if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian package chromium; \`npm test\` installs it when run as root)`);
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  missing.push("the npm package playwright-core (npm ci)");
}
let oh;
try {
  oh = await import("orderhook");
} catch {
  missing.push("the built package orderhook (npm run build)");
}
if (missing.length) console.log(`SKIPPED: browser test of the preview page: ${missing.join(", ")} missing`);

const { startPreviewServer, sampleNames } = await import("../../scripts/preview.mjs");
const { formatMoney, formatUtc } = await import("../../www/format.js");

const sampleText = (name) => sample(name).text.replace(/\r\n?/g, "\n");
/** The page passes a sample's event type when its provider sends it in a header (Shopify's topic). */
function sampleOptions(name) {
  const s = sample(name);
  return limits().providerSpecs.find((p) => p.name === s.provider)?.eventTypeHeader ? { eventType: s.event } : undefined;
}
const issuesOf = (r) => [...(r.errors ?? []), ...r.warnings].map(({ severity, code, path, message }) => ({ severity, code, path, message }));

async function launch(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    timeout: 30_000,
    timezoneId: "Europe/Stockholm",
    locale: "en-US",
  });
}

/** Everything the page rendered that the test compares. */
function readRendered(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id)?.textContent ?? null;
    return {
      verdict: text("verdict-title"),
      id: text("order-id"),
      status: document.getElementById("order-status")?.dataset.status ?? null,
      statusText: text("order-status"),
      total: text("order-total"),
      // The rows of items; an order without any shows one "No items" row across the table.
      items: [...document.querySelectorAll("#items tbody tr")].filter((tr) => !tr.querySelector("td[colspan]")).length,
      detected: text("detected"),
      issues: [...document.querySelectorAll("#issues .issue")].map((b) => ({
        severity: b.dataset.severity,
        code: b.dataset.code,
        path: b.dataset.path,
        message: b.querySelector(".issue-message").textContent,
      })),
    };
  });
}

/**
 * Text in the order card that reads `null`, `undefined` or `NaN`: a missing value turned
 * into text (as `replaceChildren(null)` does) instead of left out or shown as "—". The
 * highlighted JSON (the metadata, passed through) is not looked at: `null` is a value there.
 */
function strayText(page) {
  return page.evaluate(() => {
    const found = [];
    const card = document.getElementById("order");
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("pre")) continue;
      if (/(?:^|[^\w$])(?:null|undefined|NaN)(?:[^\w$]|$)/.test(node.data)) {
        const where = node.parentElement === card ? "#order" : `#order ${node.parentElement.tagName.toLowerCase()}${node.parentElement.className ? "." + node.parentElement.className.split(" ").join(".") : ""}`;
        found.push(`${where}: ${JSON.stringify(node.data)}`);
      }
    }
    return found;
  });
}

/** Wait until the page has parsed exactly `text`. */
async function settled(page, text) {
  await page.waitForFunction(
    (t) => document.getElementById("payload").value === t && document.getElementById("result").getAttribute("aria-busy") === "false",
    text,
    { timeout: WAIT_MS },
  );
}

async function loadSample(page, name) {
  await page.click(`[data-sample="${name}"]`);
  await settled(page, sampleText(name));
}

async function selection(page) {
  return page.evaluate(() => {
    const ta = document.getElementById("payload");
    return { start: ta.selectionStart, end: ta.selectionEnd, text: ta.value.slice(ta.selectionStart, ta.selectionEnd), mark: document.querySelector("#backdrop mark")?.textContent ?? null };
  });
}

async function clickIssue(page, code, pathValue) {
  const sel = `#issues .issue[data-code="${code}"]${pathValue === undefined ? "" : `[data-path="${pathValue}"]`}`;
  await page.click(sel, { timeout: WAIT_MS });
}

describe("preview page in Chromium", { skip: missing.length ? `${missing.join(", ")} missing` : false, timeout: 240_000 }, () => {
  let server;
  let context;
  let page;
  let profile;
  const requests = [];
  const problems = [];

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    server = await startPreviewServer({ port: 0 });
    profile = mkdtempSync(path.join(os.tmpdir(), "orderhook-chromium-"));
    context = await launch(profile);
    context.setDefaultTimeout(WAIT_MS);
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    await page.goto(server.url, { timeout: WAIT_MS });
    await page.waitForSelector("html[data-ready=true]", { timeout: WAIT_MS });
  });

  after(async () => {
    await context?.close().catch(() => {});
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("loads from the local server alone, with no error", async () => {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:"));
    assert.deepEqual(foreign, [], "every request goes to the local server");
    assert.ok(requests.some((u) => u.endsWith("/pkg/orderhook_bg.wasm")), "the wasm comes from /pkg/");
    assert.match(await page.textContent("#privacy"), /never leave this browser/);
    assert.deepEqual(problems, []);
  });

  it("renders every bundled sample exactly as parse() returns it", async () => {
    const names = sampleNames();
    assert.ok(names.length >= 10, `samples found: ${names.join(", ")}`);
    for (const name of names) {
      await loadSample(page, name);
      const body = sampleText(name);
      const expected = oh.parse(body, sampleOptions(name));
      const got = await readRendered(page);
      assert.ok(expected.ok, `${name}: the package parses it`);
      const o = expected.event.order;
      assert.equal(got.id, o.id, `${name}: order id`);
      assert.equal(got.status, o.status, `${name}: status`);
      assert.equal(got.statusText, o.status.replaceAll("_", " "), `${name}: status badge`);
      assert.equal(got.total, formatMoney(o.total, o.currency, o.currency_digits), `${name}: total`);
      assert.equal(got.items, o.items.length, `${name}: item rows`);
      assert.deepEqual(got.issues, issuesOf(expected), `${name}: issues`);
      assert.match(got.verdict, /^Valid order event/, `${name}: verdict`);
      const provider = limits().providerSpecs.find((p) => p.name === expected.event.provider).title;
      assert.ok(got.detected.startsWith(`Detected: ${provider}`), `${name}: detected line "${got.detected}"`);
      assert.equal(await page.getAttribute(`[data-sample="${name}"]`, "aria-pressed"), "true");
      assert.deepEqual(await strayText(page), [], `${name}: no text in the order card reads null, undefined or NaN`);
    }
    // Two totals spelled out, so the formatting is checked independently of format.js.
    await loadSample(page, "polar.order.created.json");
    assert.equal((await readRendered(page)).total, "61.25 EUR");
    await loadSample(page, "vrio.order_updated.json");
    assert.equal((await readRendered(page)).total, "63.95");
    assert.deepEqual(problems, []);
  });

  it("passes the time zone and currency options to parse", async () => {
    const name = "vrio.order_updated.json";
    const body = sampleText(name);
    await loadSample(page, name);
    await page.fill("#timezone", "America/New_York");
    await page.fill("#currency", "usd");
    await page.locator("#currency").press("Enter");
    const expected = oh.parse(body, { timeZone: "America/New_York", currency: "USD" });
    await page.waitForFunction((t) => document.getElementById("order-total")?.textContent === t, formatMoney(expected.event.order.total, "USD", expected.event.order.currency_digits), { timeout: WAIT_MS });
    const got = await readRendered(page);
    assert.equal(got.total, "63.95 USD");
    assert.deepEqual(got.issues, issuesOf(expected), "no assumed_* warnings once both are given");
    const created = await page.textContent('.times tbody tr:nth-child(2) td[data-label="UTC"]');
    assert.equal(created, formatUtc(expected.event.order.created_at));
    assert.equal(created, "2026-07-14 13:28:51 UTC", "09:28:51 in New York (EDT) is 13:28:51 UTC");

    // A zone orderhook refuses is flagged on the field and left out.
    await page.fill("#timezone", "Mars/Olympus_Mons");
    await page.locator("#timezone").press("Enter");
    await page.waitForSelector('#timezone[aria-invalid="true"]', { timeout: WAIT_MS });
    assert.match(await page.textContent("#timezone-note"), /unknown time zone/);
    await page.waitForFunction(() => document.getElementById("result").getAttribute("aria-busy") === "false", null, { timeout: WAIT_MS });
    assert.deepEqual((await readRendered(page)).issues, issuesOf(oh.parse(body, { currency: "USD" })));
    await page.fill("#timezone", "");
    await page.fill("#currency", "");
    await page.locator("#currency").press("Enter");
  });

  it("lists a JSON syntax error as it is typed, and selects the place it names", async () => {
    await page.fill("#payload", "");
    await page.focus("#payload");
    const typed = '{"type": "order.paid", "data": {"billing_name": "Åsa Öberg" oops}}';
    await page.keyboard.type(typed, { delay: 2 });
    await settled(page, typed);
    const expected = oh.parse(typed);
    const got = await readRendered(page);
    assert.equal(got.id, null, "no order card for an invalid body");
    assert.match(got.verdict, /^Not valid: 1 error/);
    assert.deepEqual(got.issues, issuesOf(expected));
    assert.equal(got.issues[0].code, "invalid_json");
    assert.match(got.issues[0].message, /line 1 column 63/, "serde counts UTF-8 bytes: Å and Ö take two each");
    await clickIssue(page, "invalid_json");
    const start = typed.indexOf("oops");
    assert.deepEqual(await selection(page), { start, end: start + 4, text: "oops", mark: "oops" });

    // Pasted, several lines: the missing comma after "status" is reported at the next key.
    const pasted = sampleText("polar.order.paid.json").replace('"status": "paid",', '"status": "paid"');
    await page.fill("#payload", pasted);
    await settled(page, pasted);
    const e2 = oh.parse(pasted);
    assert.deepEqual((await readRendered(page)).issues, issuesOf(e2));
    await clickIssue(page, "invalid_json");
    const next = pasted.indexOf('"paid": true');
    assert.deepEqual(await selection(page), { start: next, end: next + '"paid"'.length, text: '"paid"', mark: '"paid"' });
    assert.match(await page.textContent("#locate-note"), /line 9, column 5/);
    await page.screenshot({ path: path.join(OUT, "preview-invalid-json.png") });
  });

  it("selects exactly the value a JSON Pointer names (wrong type, missing field)", async () => {
    const original = sampleText("polar.order.created.json");
    // The first item's amount becomes a string.
    const itemsAt = original.indexOf('"items": [');
    const amountAt = original.indexOf('"amount": 4900', itemsAt);
    assert.ok(itemsAt > 0 && amountAt > itemsAt, "the sample has an item amount of 4900");
    const valueAt = amountAt + '"amount": '.length;
    const wrong = original.slice(0, valueAt) + '"49.00"' + original.slice(valueAt + "4900".length);
    await page.fill("#payload", wrong);
    await settled(page, wrong);
    const expected = oh.parse(wrong);
    const got = await readRendered(page);
    assert.deepEqual(got.issues, issuesOf(expected));
    assert.deepEqual(
      got.issues.map((i) => [i.code, i.path]),
      [["invalid_type", "/data/items/0/amount"]],
    );
    await clickIssue(page, "invalid_type", "/data/items/0/amount");
    assert.deepEqual(await selection(page), { start: valueAt, end: valueAt + '"49.00"'.length, text: '"49.00"', mark: '"49.00"' });
    assert.match(await page.textContent("#locate-note"), /Selected \/data\/items\/0\/amount on line \d+/);
    await page.screenshot({ path: path.join(OUT, "preview-wrong-type.png") });

    // A missing field is not in the text: its parent's key is selected instead.
    const noId = original.replace(/\n {4}"id": "7c1e9a52-[^"]*",/, "");
    assert.notEqual(noId, original);
    await page.fill("#payload", noId);
    await settled(page, noId);
    assert.deepEqual((await readRendered(page)).issues, issuesOf(oh.parse(noId)));
    await clickIssue(page, "missing_field", "/data/id");
    const dataAt = noId.indexOf('"data": {');
    assert.deepEqual(await selection(page), { start: dataAt, end: dataAt + '"data": {'.length, text: '"data": {', mark: '"data": {' });
    assert.match(await page.textContent("#locate-note"), /\/data\/id is not in the payload/);

    // Keyboard: issues are buttons; Enter on a focused one selects too.
    await page.fill("#payload", wrong);
    await settled(page, wrong);
    await page.focus("#issues .issue");
    await page.keyboard.press("Enter");
    assert.equal((await selection(page)).text, '"49.00"');
  });

  it("checks a Polar signature: verified, then not verified with the reason", async () => {
    const name = "polar.order.paid.json";
    await loadSample(page, name);
    const body = sampleText(name);
    const secret = "polar_whs_preview-test-secret";
    const id = "msg_preview_1";
    const ts = String(Math.floor(Date.now() / 1000));
    // Polar's first key scheme: the UTF-8 bytes of the whole secret string.
    const headers = standardWebhooksHeaders(body, polarKey(secret), { id, timestamp: ts });
    const sig = headers["webhook-signature"];
    assert.deepEqual(oh.verify("polar", body, headers, secret), { ok: true, id }, "the test's signature is right");

    await page.click("#signature summary");
    await page.fill("#sig-secret", secret);
    await page.fill("#sig-h-webhook-id", id);
    await page.fill("#sig-h-webhook-timestamp", ts);
    await page.fill("#sig-h-webhook-signature", sig);
    await page.click("#sig-verify");
    await page.waitForSelector('#sig-result[data-ok="true"]', { timeout: WAIT_MS });
    assert.match(await page.textContent("#sig-result"), /^verified/);
    await page.screenshot({ path: path.join(OUT, "preview-signature.png"), fullPage: true });

    await page.fill("#sig-secret", secret + "-wrong");
    await page.waitForSelector('#sig-result[data-ok="false"]', { timeout: WAIT_MS });
    const wrong = oh.verify("polar", body, headers, secret + "-wrong");
    assert.equal(wrong.ok, false);
    assert.equal(await page.getAttribute("#sig-result", "data-code"), wrong.error.code);
    assert.equal(await page.textContent("#sig-result"), `not verified${wrong.error.code}: ${wrong.error.message}`);
    await page.fill("#sig-secret", "");
    await page.click("#signature summary");
  });

  it("opens and drops files, parsing and verifying their exact bytes", async () => {
    // A BOM and CRLF line ends: the textarea shows LF, but parse and verify get the file's bytes.
    const text = sampleText("voucherify.customer.order.paid.json").replace(/\n/g, "\r\n");
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    const secret = "voucherify-preview-secret";
    const signature = voucherifySignature(bytes, secret);
    assert.deepEqual(oh.verify("voucherify", bytes, { "x-voucherify-signature": signature }, secret), { ok: true });
    const expected = oh.parse(bytes);
    assert.ok(issuesOf(expected).some((i) => i.code === "byte_order_mark"), "the package reports the BOM");

    await page.setInputFiles("#file", { name: "delivery.json", mimeType: "application/json", buffer: bytes });
    await page.waitForFunction(() => document.getElementById("stats").textContent.includes("exact bytes of delivery.json"), null, { timeout: WAIT_MS });
    const got = await readRendered(page);
    assert.deepEqual(got.issues, issuesOf(expected));
    assert.equal(got.id, expected.event.order.id);
    await page.click("#signature summary");
    await page.fill("#sig-secret", secret);
    await page.fill("#sig-h-x-voucherify-signature", signature);
    await page.waitForSelector('#sig-result[data-ok="true"]', { timeout: WAIT_MS });
    // Once edited, the text is what counts: the signature no longer matches.
    await page.focus("#payload");
    await page.keyboard.press("End");
    await page.keyboard.type(" ");
    await page.waitForSelector('#sig-result[data-ok="false"]', { timeout: WAIT_MS });
    assert.equal(await page.getAttribute("#sig-result", "data-code"), "bad_signature");
    await page.fill("#sig-secret", "");
    await page.click("#signature summary");

    // Drag and drop onto the editor.
    const dropped = sampleText("vrio.order_abandoned.json");
    const dataTransfer = await page.evaluateHandle((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], "abandoned.json", { type: "application/json" }));
      return dt;
    }, dropped);
    await page.dispatchEvent("#editor", "dragenter", { dataTransfer });
    assert.equal(await page.evaluate(() => document.getElementById("editor").classList.contains("is-dragging")), true);
    await page.dispatchEvent("#editor", "drop", { dataTransfer });
    await settled(page, dropped);
    const d = await readRendered(page);
    assert.equal(d.id, oh.parse(dropped).event.order.id);
    assert.equal(d.status, "abandoned");
    assert.equal(await page.evaluate(() => document.getElementById("editor").classList.contains("is-dragging")), false);
  });

  it("formats without changing a value, and points at the first bad UTF-8 byte of a file", async () => {
    const { reindent } = await import("../../www/locate.js");
    const minified = JSON.stringify(JSON.parse(sampleText("vrio.order_updated.json"))).replace('"39.95"', '"39.950"');
    await page.fill("#payload", minified);
    await settled(page, minified);
    await page.click("#format");
    const pretty = reindent(minified);
    await settled(page, pretty);
    assert.match(pretty, /"39\.950"/);
    assert.deepEqual((await readRendered(page)).issues, issuesOf(oh.parse(pretty)));

    const bytes = Buffer.concat([Buffer.from('{"type": "order.paid", "data": {"billing_name": "Caf'), Buffer.from([0xe9]), Buffer.from('"}}')]);
    const expected = oh.parse(bytes);
    assert.equal(expected.errors[0].code, "invalid_utf8");
    await page.setInputFiles("#file", { name: "latin1.json", mimeType: "application/json", buffer: bytes });
    await page.waitForFunction(() => document.getElementById("stats").textContent.includes("latin1.json"), null, { timeout: WAIT_MS });
    assert.deepEqual((await readRendered(page)).issues, issuesOf(expected));
    await clickIssue(page, "invalid_utf8");
    const sel = await selection(page);
    assert.equal(sel.text, "\ufffd", "the undecodable byte, shown as U+FFFD");
    assert.equal(sel.start, '{"type": "order.paid", "data": {"billing_name": "Caf'.length);
  });

  it("labels every control", async () => {
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea, button")]
        .filter((e) => !e.hidden && e.type !== "hidden" && e.offsetParent !== null)
        .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || (e.tagName === "BUTTON" && e.textContent.trim())))
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabeled, []);
  });

  it("renders in light, dark and on a phone, and writes the screenshots", async () => {
    await loadSample(page, "polar.order.refunded.json");
    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // docs/preview.png is committed: keep it free of what changes from run to run
    // (the parse time; the offline note once the service worker is ready), and
    // rewrite it only when its pixels changed.
    await page.waitForSelector("html[data-offline-ready=true]", { timeout: WAIT_MS });
    await page.evaluate(() => {
      for (const e of document.querySelectorAll(".timing")) e.hidden = true;
    });
    const png = await page.screenshot({ fullPage: true });
    mkdirSync(at("docs"), { recursive: true });
    const docs = at("docs", "preview.png");
    if (!existsSync(docs) || !png.equals(readFileSync(docs))) writeFileSync(docs, png);
    await page.screenshot({ path: path.join(OUT, "preview-desktop-light.png"), fullPage: true });

    await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const luminance = (css) => {
      const [r, g, b] = css.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    assert.ok(luminance(light) > 0.8, `light background ${light}`);
    assert.ok(luminance(dark) < 0.2, `dark background ${dark}`);
    const darkText = await page.evaluate(() => getComputedStyle(document.getElementById("order-id")).color);
    assert.ok(luminance(darkText) > 0.6, `text stays readable in dark mode (${darkText})`);
    await page.screenshot({ path: path.join(OUT, "preview-desktop-dark.png"), fullPage: true });

    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    await page.setViewportSize(PHONE);
    await loadSample(page, "vrio.order_updated.json");
    await clickIssue(page, "assumed_currency");
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(widths[0] <= widths[1], `no horizontal scroll at 375 px: scrollWidth ${widths[0]} > ${widths[1]}`);
    const got = await readRendered(page);
    assert.equal(got.id, "204518");
    await page.screenshot({ path: path.join(OUT, "preview-phone.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
    await page.screenshot({ path: path.join(OUT, "preview-phone-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
    await page.setViewportSize(DESKTOP);
    assert.deepEqual(problems, []);
  });

  it("works offline once loaded (service worker)", async () => {
    // A server and a browser profile of its own: the test stops this server.
    const own = await startPreviewServer({ port: 0 });
    const dir = mkdtempSync(path.join(os.tmpdir(), "orderhook-chromium-"));
    let ctx;
    try {
      ctx = await launch(dir);
      ctx.setDefaultTimeout(WAIT_MS);
      const p = ctx.pages()[0] ?? (await ctx.newPage());
      await p.goto(own.url, { timeout: WAIT_MS });
      await p.waitForSelector("html[data-offline-ready=true]", { timeout: WAIT_MS });
      await own.close();
      await p.reload({ timeout: WAIT_MS });
      await p.waitForSelector("html[data-ready=true]", { timeout: WAIT_MS });
      await loadSample(p, "voucherify.customer.order.paid.json");
      const got = await readRendered(p);
      assert.equal(got.id, oh.parse(sampleText("voucherify.customer.order.paid.json")).event.order.id);
      await p.screenshot({ path: path.join(OUT, "preview-offline.png") });
    } finally {
      await ctx?.close().catch(() => {});
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
