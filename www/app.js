// orderhook preview: paste or drop a webhook body, see the normalized order and
// every issue. Everything runs in this tab: the package's WebAssembly parses the
// text; nothing is sent anywhere (the page's Content-Security-Policy allows
// fetches only from its own origin, and the only ones it makes are its own
// files and the bundled samples).
import { ready, parse, detect, verify, version, limits } from "../pkg/browser.js";
import { formatMinor, formatLocal, formatUtc, formatBytes, label } from "./format.js";
import { parseTree, locatePointer, locateOffset, indexOfByteOffset, lineOfIndex, reindent } from "./locate.js";

const SAMPLES_URL = "../examples/samples/";
// The sample list: the preview server's index.json, else the one the build wrote
// beside the package (pkg/samples.json) for a plain static server.
const SAMPLES_FALLBACK_URL = "../pkg/samples.json";
// Providers as the core's registry describes them (name → spec), filled once ready.
const PROVIDERS = {};
const titleOf = (name) => PROVIDERS[name]?.title ?? name;
/** "Polar, Voucherify and Vrio": every registered provider, for sentences. */
function listOfTitles(word) {
  const titles = Object.values(PROVIDERS).map((p) => p.title);
  return titles.length > 1 ? `${titles.slice(0, -1).join(", ")} ${word} ${titles.at(-1)}` : (titles[0] ?? "any provider");
}
const EVENT_ORDER = ["created", "paid", "updated", "processing", "fulfilled", "refunded", "canceled", "abandoned"];
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const TYPING_DELAY_MS = 180;
const CODE_LINE_PX = 20; // --code-line in style.css
const CODE_PAD_PX = 10; // vertical padding of the editor text

const $ = (id) => document.getElementById(id);
const el = {
  payload: $("payload"),
  editor: $("editor"),
  gutter: $("gutter-lines"),
  backdrop: $("backdrop"),
  stats: $("stats"),
  locateNote: $("locate-note"),
  samples: $("samples"),
  provider: $("provider"),
  detected: $("detected"),
  timezone: $("timezone"),
  timezoneNote: $("timezone-note"),
  currency: $("currency"),
  currencyNote: $("currency-note"),
  file: $("file"),
  openFile: $("open-file"),
  format: $("format"),
  clear: $("clear"),
  result: $("result"),
  verdict: $("verdict"),
  issuesBlock: $("issues-block"),
  issues: $("issues"),
  issueCount: $("issue-count"),
  order: $("order"),
  json: $("json"),
  copyJson: $("copy-json"),
  tabs: [$("tab-order"), $("tab-json")],
  sig: {
    details: $("signature"),
    providerNote: $("sig-provider"),
    secret: $("sig-secret"),
    fields: $("sig-fields"),
    age: $("sig-age"),
    unsigned: $("sig-unsigned"),
    checkAge: $("sig-check-age"),
    button: $("sig-verify"),
    result: $("sig-result"),
  },
  version: $("version"),
  offline: $("offline"),
};

const state = {
  loaded: false,
  result: null, // what parse returned for the current text
  issues: [],
  tree: null, // position tree of the current text, built when first needed
  text: "",
  lines: 0,
  current: -1, // index of the selected issue
  sample: null, // file name of the loaded sample while unedited
  eventType: null, // the loaded sample's event type, for a provider that sends it in a header
  file: null, // { name, bytes, text } while the editor holds that file unedited
  providerUsed: null, // provider of the current payload (chosen or detected)
  samples: [], // sample file names
  timer: 0,
};

// ------------------------------------------------------------------ small DOM helper

/** h("div", { class: "x", dataset: { a: 1 } }, "text", child) */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
  }
  node.append(...nodes(children));
  return node;
}

/** Children as `h` and `fill` take them: nested lists flattened; null, undefined and false left out. */
function nodes(children) {
  return children.flat().flatMap((c) => (c === null || c === undefined || c === false ? [] : [c instanceof Node ? c : String(c)]));
}

/** `parent.replaceChildren(...children)`, but an absent child (null, a section not shown) adds nothing, as in `h`. */
function fill(parent, ...children) {
  parent.replaceChildren(...nodes(children));
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const nullText = (v) => (v === null || v === undefined || v === "" ? h("span", { class: "null", text: "—" }) : String(v));

// ------------------------------------------------------------------ options

const optionCache = new Map();

/** Whether orderhook accepts an option value; the message when it does not. */
function checkOption(name, value) {
  const key = `${name}\u0000${value}`;
  if (!optionCache.has(key)) {
    let message = null;
    try {
      parse("{}", { [name]: value });
    } catch (e) {
      message = String(e.message).replace(/^orderhook: /, "");
    }
    optionCache.set(key, message);
  }
  return optionCache.get(key);
}

const NOTES = {
  timezone: "IANA name or offset, e.g. America/New_York, +02:00",
  currency: "ISO 4217 code, e.g. USD, EUR, JPY",
};

/** The parse options from the form; invalid fields are marked and left out. */
function readOptions() {
  const options = {};
  const problems = [];
  if (el.provider.value) options.provider = el.provider.value;
  if (state.eventType) options.eventType = state.eventType;
  for (const [name, input, note, key] of [
    ["timeZone", el.timezone, el.timezoneNote, "timezone"],
    ["currency", el.currency, el.currencyNote, "currency"],
  ]) {
    const value = input.value.trim();
    const message = value ? checkOption(name, value) : null;
    if (value && !message) options[name] = value;
    input.setAttribute("aria-invalid", message ? "true" : "false");
    note.textContent = message ? `${message}: ignored until fixed` : NOTES[key];
    note.classList.toggle("is-error", Boolean(message));
    if (message) problems.push(name === "timeZone" ? "time zone" : "currency");
  }
  return { options, problems };
}

// ------------------------------------------------------------------ the editor

function lineCount(text) {
  let n = 1;
  for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", k + 1)) n++;
  return n;
}

function updateGutter(text) {
  const n = lineCount(text);
  if (n !== state.lines) {
    state.lines = n;
    let s = "";
    for (let k = 1; k <= n; k++) s += k === n ? String(k) : k + "\n";
    el.gutter.textContent = s;
    el.gutter.parentElement.style.setProperty("--digits", String(Math.max(2, String(n).length)));
  }
}

function updateStats(text) {
  if (!text) {
    el.stats.textContent = "";
    return;
  }
  const bytes = state.file ? state.file.bytes.byteLength : new TextEncoder().encode(text).byteLength;
  const where = state.file ? ` · exact bytes of ${state.file.name}` : state.sample ? ` · sample ${state.sample}` : "";
  el.stats.textContent = `${formatBytes(bytes)} · ${plural(state.lines, "line")}${where}`;
}

function syncScroll() {
  const { scrollTop, scrollLeft } = el.payload;
  el.gutter.style.transform = `translateY(${-scrollTop}px)`;
  el.backdrop.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
}

/** Markers in the gutter on the lines that issues point at. */
function markGutter(ranges) {
  for (const m of el.gutter.querySelectorAll(".gutter-mark")) m.remove();
  const seen = new Map();
  for (const { range, issue } of ranges) {
    if (!range) continue;
    const line = lineOfIndex(state.text, range.start);
    if (seen.get(line) === "error") continue;
    seen.set(line, issue.severity);
  }
  for (const [line, severity] of seen) {
    const dot = h("span", { class: `gutter-mark${severity === "error" ? " is-error" : ""}` });
    dot.style.top = `${CODE_PAD_PX + (line - 1) * CODE_LINE_PX}px`;
    el.gutter.append(dot);
  }
}

function clearMark() {
  el.backdrop.textContent = "";
  state.current = -1;
  for (const b of el.issues.querySelectorAll("[aria-current]")) b.removeAttribute("aria-current");
}

/** Draw a highlight behind the textarea over [start, end) and scroll it into view. */
function showMark(start, end, severity, flash) {
  const text = state.text;
  const mark = h("mark", { class: `${severity === "error" ? "is-error" : ""}${flash ? " flash" : ""}` }, text.slice(start, end) || " ");
  el.backdrop.replaceChildren(text.slice(0, start), mark, text.slice(end) + "\n");
  const ta = el.payload;
  const top = mark.offsetTop;
  const left = mark.offsetLeft;
  if (top < ta.scrollTop + CODE_LINE_PX || top > ta.scrollTop + ta.clientHeight - 2 * CODE_LINE_PX) {
    ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
  }
  if (left < ta.scrollLeft || left + Math.min(mark.offsetWidth, ta.clientWidth / 2) > ta.scrollLeft + ta.clientWidth) {
    ta.scrollLeft = Math.max(0, left - 48);
  }
  syncScroll();
}

// ------------------------------------------------------------------ locating issues

/** The text range an issue points at: { start, end, exact, found, how } or null. */
function rangeOf(issue) {
  const text = state.text;
  if (!text) return null;
  if (issue.offset === undefined) {
    // No position: located by its JSON Pointer below.
  } else if (issue.code === "invalid_utf8") {
    // The first bad byte: the replacement character shown there.
    const at = indexOfByteOffset(text, issue.offset);
    return { start: at, end: Math.min(at + 1, text.length), exact: true, how: "offset" };
  } else {
    return { ...locateOffset(text, issue.offset), exact: true, how: "position" };
  }
  if (issue.code === "too_large") return null;
  state.tree ??= parseTree(text);
  const r = locatePointer(text, issue.path, state.tree);
  return r && { ...r, how: "pointer" };
}

/** UTF-16 index of a UTF-8 byte offset (exact up to the first invalid byte). */
function code(text) {
  return h("code", { text });
}

function selectIssue(index, { flash = true } = {}) {
  const issue = state.issues[index];
  if (!issue) return;
  state.current = index;
  for (const b of el.issues.querySelectorAll(".issue")) {
    if (Number(b.dataset.index) === index) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
  const r = rangeOf(issue);
  const note = el.locateNote;
  if (!r) {
    el.backdrop.textContent = "";
    note.replaceChildren(code(issue.code), " has no place in the text to point at.");
    return;
  }
  el.payload.setSelectionRange(r.start, r.end, "forward");
  const line = lineOfIndex(state.text, r.start);
  if (r.how === "offset") {
    showMark(r.start, r.end, issue.severity, flash);
    note.replaceChildren(`Selected the first byte that is not UTF-8 (line ${line}); it is shown as \ufffd.`);
  } else if (r.how === "position") {
    showMark(r.start, r.end, issue.severity, flash);
    note.replaceChildren("Selected line ", String(issue.line), ", column ", String(issue.column), ".");
  } else if (issue.path === "") {
    // The whole body: select it, but a full-screen highlight would hide more than it shows.
    el.backdrop.textContent = "";
    note.replaceChildren(code(issue.code), " is about the body as a whole (path ", code('""'), "): selected all of it.");
  } else if (r.exact) {
    showMark(r.start, r.end, issue.severity, flash);
    note.replaceChildren("Selected ", code(issue.path), ` on line ${line}.`);
  } else {
    showMark(r.start, r.end, issue.severity, flash);
    note.replaceChildren(
      code(issue.path),
      " is not in the payload; selected ",
      r.found === "" ? "the start of the body" : code(r.found),
      `, where it belongs (line ${line}).`,
    );
  }
  if (matchMedia("(max-width: 1080px)").matches) el.editor.scrollIntoView({ block: "nearest" });
}

// ------------------------------------------------------------------ rendering

function renderVerdict(result, ms, problems) {
  const v = el.verdict;
  v.className = "verdict";
  if (!result) {
    v.classList.add("verdict-empty");
    v.replaceChildren(h("span", { class: "verdict-text", text: "Waiting for a payload. orderhook is loaded and runs in this tab." }));
    return;
  }
  const errors = result.errors?.length ?? 0;
  const warnings = result.warnings?.length ?? 0;
  let icon;
  let title;
  let sub;
  if (result.ok) {
    const e = result.event;
    const what = `${titleOf(e.provider)} ${e.event_type ?? "event"} → ${e.kind}`;
    icon = warnings ? "!" : "✓";
    v.classList.add(warnings ? "verdict-warn" : "verdict-ok");
    title = warnings ? `Valid order event, with ${plural(warnings, "warning")}` : "Valid order event";
    sub = what;
  } else {
    icon = "✕";
    v.classList.add("verdict-error");
    title = `Not valid: ${plural(errors, "error")}${warnings ? ` and ${plural(warnings, "warning")}` : ""}`;
    sub = "The event cannot be trusted until the errors are fixed.";
  }
  if (problems.length) sub += ` The ${problems.join(" and ")} option is ignored: see the field.`;
  v.replaceChildren(
    h("span", { class: "verdict-icon", "aria-hidden": "true", text: icon }),
    h(
      "span",
      null,
      h("span", { class: "verdict-title", id: "verdict-title", text: title }),
      h("span", { class: "verdict-sub" }, sub, h("span", { class: "timing", text: ` · parsed in ${ms < 1 ? ms.toFixed(2) : ms.toFixed(1)} ms` })),
    ),
  );
}

function renderIssues(issues) {
  el.issuesBlock.hidden = issues.length === 0;
  el.issueCount.textContent = String(issues.length);
  el.issues.replaceChildren(
    ...issues.map((issue, index) =>
      h(
        "li",
        null,
        h(
          "button",
          {
            type: "button",
            class: `issue sev-${issue.severity}`,
            dataset: { index, code: issue.code, path: issue.path, severity: issue.severity },
            onclick: () => selectIssue(index),
          },
          h("span", { class: `pill pill-${issue.severity}`, text: issue.severity }),
          h("span", { class: "issue-code", text: issue.code }),
          h("code", { class: "issue-path", text: issue.path === "" ? '"" (the body)' : issue.path }),
          h("span", { class: "issue-message", text: issue.message }),
        ),
      ),
    ),
  );
}

function moneyCell(minor, digits) {
  return minor === null || minor === undefined ? h("span", { class: "null", text: "—" }) : formatMinor(minor, digits);
}

function addressBox(title, address) {
  if (!address) return h("section", { class: "box" }, h("h4", { text: title }), h("p", { class: "null", text: "Not sent" }));
  // "Austin, TX 78751" where that is the custom, "118 21 Stockholm" elsewhere.
  const stateFirst = ["US", "CA", "AU"].includes(address.country);
  const cityLine = stateFirst
    ? [[address.city, address.state].filter(Boolean).join(", "), address.postal_code].filter(Boolean).join(" ")
    : [address.postal_code, address.city].filter(Boolean).join(" ");
  const region = stateFirst ? address.country : [address.state, address.country].filter(Boolean).join(", ");
  const lines = [address.name, address.line1, address.line2, cityLine, region].filter(Boolean);
  return h(
    "section",
    { class: "box" },
    h("h4", { text: title }),
    lines.length ? h("p", null, ...lines.flatMap((l, k) => (k ? [h("br"), l] : [l]))) : h("p", { class: "null", text: "Empty" }),
  );
}

function customerBox(c) {
  if (!c) return h("section", { class: "box box-customer" }, h("h4", { text: "Customer" }), h("p", { class: "null", text: "Not sent" }));
  const rows = [
    ["Name", c.name],
    ["Email", c.email],
    ["Phone", c.phone],
    ["ID", c.id],
    ["External ID", c.external_id],
  ];
  return h(
    "section",
    { class: "box box-customer" },
    h("h4", { text: "Customer" }),
    h("dl", { class: "kv-grid" }, ...rows.map(([k, v]) => h("div", null, h("dt", { text: k }), h("dd", null, nullText(v))))),
  );
}

function timesSection(event) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "local";
  const rows = [
    ["Event", event.occurred_at],
    ["Created", event.order.created_at],
    ["Updated", event.order.updated_at],
  ];
  return h(
    "section",
    { class: "card-section" },
    h("h4", { text: "Timestamps" }),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "times stack-table" },
        h("thead", null, h("tr", null, h("th", { scope: "col", text: "" }), h("th", { scope: "col", text: "UTC" }), h("th", { scope: "col", text: `Local (${zone})` }))),
        h(
          "tbody",
          null,
          rows.map(([k, ts]) =>
            h(
              "tr",
              null,
              h("th", { scope: "row", text: k }),
              h("td", { "data-label": "UTC" }, ts ? h("code", { text: formatUtc(ts), title: ts }) : nullText(null)),
              h("td", { "data-label": `Local (${zone})` }, ts ? formatLocal(ts) : nullText(null)),
            ),
          ),
        ),
      ),
    ),
  );
}

function itemsSection(order) {
  const digits = order.currency_digits;
  const items = order.items ?? [];
  const body = items.length
    ? items.map((it) => {
        const ids = [it.sku && `SKU ${it.sku}`, it.product_id && `product ${it.product_id}`, it.id && `item ${it.id}`].filter(Boolean).join(" · ");
        return h(
          "tr",
          null,
          h("td", null, h("span", { class: "item-name", text: it.name ?? "(no name)" }), ids ? h("span", { class: "item-ids", text: ids }) : null),
          h("td", { class: "num", "data-label": "Qty" }, nullText(it.quantity)),
          h("td", { class: "num", "data-label": "Unit price" }, moneyCell(it.unit_price, digits)),
          h("td", { class: "num", "data-label": "Discount" }, moneyCell(it.discount, digits)),
          h("td", { class: "num", "data-label": "Tax" }, moneyCell(it.tax, digits)),
          h("td", { class: "num", "data-label": "Total" }, moneyCell(it.total, digits)),
        );
      })
    : [h("tr", null, h("td", { colspan: "6", class: "null", text: "No items in the payload" }))];
  return h(
    "section",
    { class: "card-section" },
    h("h4", { text: `Items (${items.length})` }),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "items", class: "stack-table" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            h("th", { scope: "col", text: "Item" }),
            h("th", { scope: "col", class: "num", text: "Qty" }),
            h("th", { scope: "col", class: "num", text: "Unit price" }),
            h("th", { scope: "col", class: "num", text: "Discount" }),
            h("th", { scope: "col", class: "num", text: "Tax" }),
            h("th", { scope: "col", class: "num", text: "Total" }),
          ),
        ),
        h("tbody", null, body),
      ),
    ),
  );
}

function renderOrder(result) {
  if (!result) {
    el.order.className = "order-empty";
    const first = state.samples.includes("polar.order.paid.json") ? "polar.order.paid.json" : state.samples[0];
    fill(
      el.order,
      h("p", { class: "empty-title", text: "Nothing parsed yet" }),
      h("p", null, "Paste a webhook body on the left, drop a ", h("code", { text: ".json" }), " file onto the editor, or start with a sample."),
      first ? h("button", { type: "button", class: "btn btn-primary", onclick: () => loadSample(first), text: `Load a ${titleOf(sampleParts(first).provider)} ${sampleParts(first).event} sample` }) : null,
      h(
        "ul",
        { class: "empty-points" },
        h("li", null, h("strong", { text: "One order model" }), ` for ${listOfTitles("and")}: status, totals, items, customer, addresses, times.`),
        h("li", null, h("strong", { text: "Every issue" }), " with its severity, code and JSON Pointer; select one to see the exact place in the payload."),
        h("li", null, h("strong", { text: "Exact money" }), ": integer minor units, shown with the currency's own decimals."),
        h("li", null, h("strong", { text: "Signature check" }), " with the secret you type; it stays in this tab like everything else."),
      ),
    );
    return;
  }
  if (!result.ok) {
    el.order.className = "";
    fill(
      el.order,
      h(
        "div",
        { class: "failed-note" },
        h("p", null, h("strong", { text: "No order to show." }), " orderhook returns an event only when there is no error; warnings alone keep it."),
      ),
    );
    return;
  }
  const e = result.event;
  const o = e.order;
  const cur = o.currency;
  const digits = o.currency_digits;
  const provider = titleOf(e.provider);
  const totalParts = o.total === null || o.total === undefined ? [h("span", { class: "total-amount", text: "—" })] : [h("span", { class: "total-amount", text: formatMinor(o.total, digits) }), ...(cur ? [" ", h("span", { class: "total-currency", text: cur })] : [])];
  const money = [
    ["Subtotal", o.subtotal],
    ["Discount", o.discount],
    ["Tax", o.tax],
    ["Shipping", o.shipping],
    ["Refunded", o.refunded],
  ];
  el.order.className = "order-card";
  fill(
    el.order,
    h(
      "header",
      { class: "order-head" },
      h(
        "div",
        { class: "order-head-main" },
        h("p", { class: "eyebrow", text: `${provider} · ${e.event_type ?? "event type not sent"} · ${label(e.kind)}` }),
        h("h3", { class: "order-title" }, "Order ", h("code", { id: "order-id", text: o.id ?? "—" })),
        h(
          "p",
          { class: "order-sub" },
          "Number ",
          o.number ? h("code", { id: "order-number", text: o.number }) : "—",
          " · Event ID ",
          e.event_id ? h("code", { text: e.event_id }) : "—",
        ),
      ),
      h(
        "div",
        { class: "badges" },
        h("span", { id: "order-status", class: `badge status-${o.status}`, dataset: { status: o.status }, text: label(o.status) }),
        h("span", { class: "provider-status" }, `${provider} status: `, o.provider_status ? h("code", { text: o.provider_status }) : "—"),
      ),
    ),
    h(
      "div",
      { class: "totals" },
      h(
        "div",
        { class: "total-main" },
        h("span", { class: "total-label", text: "Total" }),
        h("strong", { id: "order-total", dataset: { minor: o.total ?? "" } }, ...totalParts),
        cur ? null : h("span", { class: "no-currency", text: "Currency unknown: set the Currency option" }),
      ),
      h(
        "dl",
        { class: "money-list" },
        money.map(([k, v]) => h("div", null, h("dt", { text: k }), h("dd", { class: v === null || v === undefined ? "is-null" : "" }, v === null || v === undefined ? "—" : formatMinor(v, digits)))),
      ),
    ),
    itemsSection(o),
    h("div", { class: "people" }, customerBox(o.customer), addressBox("Billing address", o.billing_address), addressBox("Shipping address", o.shipping_address)),
    timesSection(e),
    o.metadata === null || o.metadata === undefined
      ? null
      : h("section", { class: "card-section" }, h("h4", { text: "Metadata (passed through)" }), highlightedJson(o.metadata, "metadata")),
  );
}

const JSON_TOKEN = /("(?:\\u[0-9a-fA-F]{4}|\\[^u]|[^\\"])*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.stringify with spans for keys, strings, numbers and literals (built as DOM, no innerHTML). */
function fillJson(pre, value) {
  const text = JSON.stringify(value, null, 2) ?? "";
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(JSON_TOKEN)) {
    if (m.index > last) frag.append(text.slice(last, m.index));
    let cls = "j-number";
    if (m[1] !== undefined) cls = m[2] ? "j-key" : "j-string";
    else if (m[3] !== undefined) cls = "j-literal";
    if (m[1] !== undefined && m[2]) {
      frag.append(h("span", { class: cls, text: m[1] }), m[2]);
    } else {
      frag.append(h("span", { class: cls, text: m[0] }));
    }
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  pre.replaceChildren(frag);
}

function highlightedJson(value, cls) {
  const pre = h("pre", { class: cls, tabindex: "0" });
  fillJson(pre, value);
  return pre;
}

function renderDetected(detected) {
  const chosen = el.provider.value;
  const d = el.detected;
  const what = detected ? [h("strong", { text: titleOf(detected.provider) }), detected.eventType ? ` · ${detected.eventType}` : " · event type not sent"] : null;
  if (!state.text.trim()) d.replaceChildren("Nothing to detect yet");
  else if (!chosen && !what && state.result?.errors?.some((e) => e.code === "invalid_json")) d.replaceChildren("Not detected yet: the body is not valid JSON");
  else if (!chosen) d.replaceChildren(...(what ? ["Detected: ", ...what] : [`Not recognized as ${listOfTitles("or")}`]));
  else if (detected && detected.provider !== chosen) d.replaceChildren("Forced; the body looks like ", ...what);
  else d.replaceChildren(...(what ? ["Forced; detected too: ", ...what] : ["Forced; detection found nothing"]));
}

// ------------------------------------------------------------------ the main loop

function schedule() {
  el.result.setAttribute("aria-busy", "true");
  clearTimeout(state.timer);
  state.timer = setTimeout(run, TYPING_DELAY_MS);
}

function run() {
  clearTimeout(state.timer);
  if (!state.loaded) return;
  const text = el.payload.value;
  state.text = text;
  state.tree = null;
  if (state.file && state.file.text !== text) state.file = null;
  updateGutter(text);
  updateStats(text);
  clearMark();
  el.locateNote.textContent = "";
  const { options, problems } = readOptions();
  let result = null;
  let detected = null;
  let ms = 0;
  if (text.trim() !== "") {
    // While the editor holds a file unedited, its exact bytes are parsed (a BOM,
    // CRLF line ends or bad UTF-8 stay as they were); otherwise the text.
    const body = state.file ? state.file.bytes : text;
    const t0 = performance.now();
    result = parse(body, options);
    ms = performance.now() - t0;
    detected = detect(body);
  }
  state.result = result;
  state.issues = result ? [...(result.errors ?? []), ...result.warnings] : [];
  state.providerUsed = options.provider ?? detected?.provider ?? null;
  renderDetected(detected);
  renderVerdict(result, ms, problems);
  renderIssues(state.issues);
  renderOrder(result);
  if (result) fillJson(el.json, result);
  else el.json.textContent = "";
  markGutter(state.issues.map((issue) => ({ issue, range: safeRange(issue) })));
  renderSignaturePanel();
  el.result.setAttribute("aria-busy", "false");
}

function safeRange(issue) {
  try {
    return issue.path === "" && issue.offset === undefined ? null : rangeOf(issue);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ signature check

/** The signature fields of the provider in use: one input per header its scheme reads. */
function renderSignaturePanel(autoVerify = true) {
  const s = el.sig;
  const p = state.providerUsed;
  const spec = p ? PROVIDERS[p] : null;
  const headers = spec?.signatureHeaders ?? null;
  if (s.fields.dataset.provider !== (p ?? "")) {
    s.fields.dataset.provider = p ?? "";
    s.fields.replaceChildren(
      ...(headers ?? []).map((name) =>
        h(
          "div",
          { class: "field field-wide" },
          h("label", { for: `sig-h-${name}`, class: "field-label" }, h("code", { text: name }), " header"),
          h("input", { id: `sig-h-${name}`, "data-header": name, autocomplete: "off", spellcheck: "false" }),
        ),
      ),
    );
  }
  s.fields.hidden = !headers;
  s.age.hidden = !headers;
  s.unsigned.hidden = !spec || headers !== null;
  s.unsigned.textContent = spec && !headers ? `${spec.title} signs nothing, so there is nothing to check. Protect its endpoint with a long random token in its URL path.` : "";
  s.secret.disabled = !headers;
  s.secret.placeholder = headers ? "the endpoint's signing secret" : "";
  s.button.disabled = !headers;
  s.providerNote.textContent = spec
    ? `Scheme: ${spec.title}${spec.signatureScheme ? ` (${spec.signatureScheme})` : ""}.${state.file ? ` Checked over the exact bytes of ${state.file.name}.` : " Checked over the text as shown; open the file to check its exact bytes."}`
    : "Load a payload first: the scheme follows the provider.";
  if (autoVerify && s.secret.value && headers) runVerify();
  else if (!s.secret.value || !p) s.result.textContent = "";
}

function runVerify() {
  const s = el.sig;
  const p = state.providerUsed;
  const out = s.result;
  if (!p) {
    out.textContent = "Load a payload first.";
    return;
  }
  if (!PROVIDERS[p]?.signatureHeaders) {
    out.replaceChildren(h("span", { class: "pill pill-warning", text: "nothing to check" }), `${titleOf(p)} signs nothing.`);
    return;
  }
  const body = state.file ? state.file.bytes : el.payload.value;
  const headers = {};
  for (const input of s.fields.querySelectorAll("input[data-header]")) {
    const value = input.value.trim();
    if (value) headers[input.dataset.header] = value;
  }
  // An old delivery: any signed time is accepted (a century either way).
  const options = s.checkAge.checked ? {} : { toleranceSeconds: 100 * 366 * 86_400 };
  let r;
  try {
    r = verify(p, body, headers, s.secret.value, options);
  } catch (e) {
    r = { ok: false, error: { code: "usage", message: String(e.message).replace(/^orderhook: /, "") } };
  }
  out.dataset.ok = String(r.ok);
  if (r.ok) {
    out.replaceChildren(h("span", { class: "pill pill-ok", text: "verified" }), "The signature matches this exact payload and secret.");
  } else {
    out.dataset.code = r.error.code;
    out.replaceChildren(h("span", { class: "pill pill-error", text: "not verified" }), h("code", { text: r.error.code }), ": ", r.error.message);
  }
}

// ------------------------------------------------------------------ loading input

function setText(text, { sample = null, file = null } = {}) {
  state.sample = sample;
  el.payload.value = text;
  // The textarea normalizes line ends: remember the text as it holds it.
  if (file) file.text = el.payload.value;
  state.file = file;
  el.payload.scrollTop = 0;
  el.payload.scrollLeft = 0;
  syncScroll();
  for (const b of el.samples.querySelectorAll(".sample")) b.setAttribute("aria-pressed", String(b.dataset.sample === sample));
  run();
}

async function loadSample(name) {
  el.result.setAttribute("aria-busy", "true");
  try {
    const res = await fetch(SAMPLES_URL + encodeURIComponent(name));
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const text = await res.text();
    el.provider.value = ""; // samples are detected
    // The event type a provider sends in a header (Shopify's topic) comes from the sample's name.
    const { provider, event } = sampleParts(name);
    state.eventType = PROVIDERS[provider]?.eventTypeHeader ? event : null;
    setText(text, { sample: name });
    el.locateNote.replaceChildren("Loaded the sample ", code(name), ".");
  } catch (e) {
    el.result.setAttribute("aria-busy", "false");
    el.locateNote.textContent = `Could not load the sample ${name}: ${e.message}`;
  }
}

async function loadFile(file) {
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    el.locateNote.textContent = `${file.name} is ${formatBytes(file.size)}: too large for a webhook (orderhook's default limit is 1 MiB).`;
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  // ignoreBOM keeps a BOM in the text, so the text and the bytes line up.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  state.eventType = null;
  setText(text, { file: { name: file.name, bytes, text: null } });
  el.locateNote.replaceChildren("Loaded ", code(file.name), ` (${formatBytes(bytes.byteLength)}), read here, not uploaded.`);
}

function sampleParts(name) {
  const base = name.replace(/\.json$/, "");
  const dot = base.indexOf(".");
  const provider = dot > 0 ? base.slice(0, dot) : "other";
  // A `/` in an event name (Shopify's `orders/paid`) is written `~` in the file name.
  const event = (dot > 0 ? base.slice(dot + 1) : base).replaceAll("~", "/");
  const short = event.replace(/^customer\./, "").replace(/^order[._]/, "");
  return { provider, event, short };
}

function renderSamples(names) {
  const groups = new Map();
  for (const name of names) {
    const p = sampleParts(name);
    if (!groups.has(p.provider)) groups.set(p.provider, []);
    groups.get(p.provider).push({ name, ...p });
  }
  const rank = (s) => {
    const k = EVENT_ORDER.indexOf(s.short);
    return k < 0 ? EVENT_ORDER.length : k;
  };
  el.samples.replaceChildren(
    ...[...groups].map(([provider, list]) =>
      h(
        "div",
        { class: "sample-group", dataset: { provider } },
        h("span", { class: "sample-provider", text: titleOf(provider) }),
        ...list
          .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
          .map((s) =>
            h("button", {
              type: "button",
              class: "sample",
              dataset: { sample: s.name },
              "aria-pressed": "false",
              "aria-label": `${titleOf(provider)} ${s.event}`,
              title: `${s.name}${/updated/.test(s.name) && provider === "voucherify" ? " (bare data object, no envelope)" : ""}`,
              text: s.short,
              onclick: () => loadSample(s.name),
            }),
          ),
      ),
    ),
  );
}

async function sampleList() {
  try {
    const res = await fetch(SAMPLES_URL + "index.json");
    if (res.ok) {
      const list = await res.json();
      if (Array.isArray(list) && list.every((n) => typeof n === "string")) return list;
    }
  } catch {}
  try {
    const res = await fetch(SAMPLES_FALLBACK_URL);
    if (res.ok) return await res.json();
  } catch {}
  return [];
}

// ------------------------------------------------------------------ wiring

function wireEditor() {
  const ta = el.payload;
  ta.addEventListener("input", () => {
    state.text = ta.value;
    updateGutter(ta.value);
    clearMark();
    if (state.sample) {
      state.sample = null;
      for (const b of el.samples.querySelectorAll('.sample[aria-pressed="true"]')) b.setAttribute("aria-pressed", "false");
    }
    schedule();
  });
  ta.addEventListener("scroll", syncScroll, { passive: true });

  // Drag and drop a file anywhere on the editor.
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes("Files");
  el.editor.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    el.editor.classList.add("is-dragging");
  });
  el.editor.addEventListener("dragover", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  });
  el.editor.addEventListener("dragleave", (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) el.editor.classList.remove("is-dragging");
  });
  el.editor.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    el.editor.classList.remove("is-dragging");
    loadFile(e.dataTransfer.files[0]);
  });
  // A file dropped next to the editor must not navigate away from the page.
  window.addEventListener("dragover", (e) => hasFiles(e) && e.preventDefault());
  window.addEventListener("drop", (e) => hasFiles(e) && e.preventDefault());

  el.openFile.addEventListener("click", () => el.file.click());
  el.file.addEventListener("change", () => {
    loadFile(el.file.files[0]);
    el.file.value = "";
  });
  el.clear.addEventListener("click", () => {
    setText("");
    ta.focus();
  });
  el.format.addEventListener("click", () => {
    const pretty = reindent(ta.value);
    if (pretty === null) {
      el.locateNote.textContent = "Format needs well-formed JSON: fix the invalid_json error first.";
      return;
    }
    if (pretty === ta.value) return;
    ta.focus();
    ta.select();
    // insertText keeps the change on the undo stack (Ctrl+Z undoes the format).
    const done = document.execCommand?.("insertText", false, pretty);
    if (!done || ta.value !== pretty) ta.value = pretty;
    state.file = null;
    run();
    el.locateNote.textContent = "Re-indented; every value is spelled as before.";
  });
}

function wireOptions() {
  el.provider.addEventListener("change", run);
  for (const input of [el.timezone, el.currency]) {
    input.addEventListener("input", schedule);
    input.addEventListener("change", run);
  }
  el.currency.addEventListener("input", () => {
    const up = el.currency.value.toUpperCase();
    if (up !== el.currency.value) {
      const at = el.currency.selectionStart;
      el.currency.value = up;
      el.currency.setSelectionRange(at, at);
    }
  });
  const zones = Intl.supportedValuesOf?.("timeZone") ?? ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Asia/Tokyo"];
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  $("zones").replaceChildren(...["UTC", here, "+02:00", "-05:00", ...zones].filter((z, k, a) => z && a.indexOf(z) === k).map((z) => h("option", { value: z })));
  const currencies = Intl.supportedValuesOf?.("currency") ?? ["USD", "EUR", "GBP", "JPY", "KWD"];
  $("currencies").replaceChildren(...currencies.map((c) => h("option", { value: c })));
}

function wireSignature() {
  const s = el.sig;
  const onInput = () => (s.secret.value ? runVerify() : (s.result.textContent = ""));
  s.secret.addEventListener("input", onInput);
  s.fields.addEventListener("input", onInput);
  s.checkAge.addEventListener("change", () => s.secret.value && runVerify());
  $("sig-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runVerify();
  });
}

function wireTabs() {
  const select = (tab, focus) => {
    for (const t of el.tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  };
  el.tabs.forEach((tab, k) => {
    tab.addEventListener("click", () => select(tab, false));
    tab.addEventListener("keydown", (e) => {
      const n = el.tabs.length;
      const to = { ArrowRight: (k + 1) % n, ArrowLeft: (k - 1 + n) % n, Home: 0, End: n - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      select(el.tabs[to], true);
    });
  });
  el.copyJson.addEventListener("click", async () => {
    const text = state.result ? JSON.stringify(state.result, null, 2) : "";
    try {
      await navigator.clipboard.writeText(text);
      el.copyJson.textContent = "Copied";
    } catch {
      getSelection().selectAllChildren(el.json);
      el.copyJson.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => (el.copyJson.textContent = "Copy"), 1600);
  });
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker
    .register("./sw.js")
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      el.offline.textContent = "Works offline: this page and orderhook's WebAssembly are kept in this browser's cache.";
      document.documentElement.dataset.offlineReady = "true";
    })
    .catch(() => {});
}

async function main() {
  wireEditor();
  wireOptions();
  wireSignature();
  wireTabs();
  updateGutter("");
  state.samples = await sampleList();
  renderSamples(state.samples);
  try {
    await ready;
  } catch (e) {
    el.verdict.className = "verdict verdict-error";
    el.verdict.replaceChildren(
      h("span", { class: "verdict-icon", "aria-hidden": "true", text: "✕" }),
      h("span", null, h("span", { class: "verdict-title", text: "orderhook's WebAssembly did not load" }), h("span", { class: "verdict-sub", text: `${e.message}. Build it with \`npm run build\` and serve it with \`npm run preview\`.` })),
    );
    return;
  }
  state.loaded = true;
  for (const spec of limits().providerSpecs) PROVIDERS[spec.name] = spec;
  el.provider.append(...Object.values(PROVIDERS).map((spec) => h("option", { value: spec.name, text: spec.title })));
  renderSamples(state.samples);
  $("provider-list").textContent = listOfTitles("or");
  el.version.textContent = `orderhook ${version} · WebAssembly, running in this tab`;
  document.documentElement.dataset.ready = "true";
  run();
  registerServiceWorker();
}

main();
