#!/usr/bin/env node
// orderhook command line: parse, detect and verify webhook bodies from a file or stdin.
// Exit codes: 0 ok, 1 invalid payload or failed verification, 2 usage error.
import { readFileSync } from "node:fs";
import { detect, limits, parse, verify, version } from "orderhook";

// Provider names, defaults and limits come from the core, never from a copy here.
const { providers: PROVIDERS, defaultMaxBytes, defaultToleranceSeconds } = limits();
const PROVIDER_LIST = PROVIDERS.join(", ");

const USAGE = `orderhook ${version}: validate and normalize order webhooks (${PROVIDER_LIST})

usage:
  orderhook parse  [file|-] [--provider P] [--event-type T] [--time-zone Z] [--currency C]
                            [--max-bytes N] [--strict] [--include-source] [--json]
  orderhook detect [file|-] [--json]
  orderhook verify [file|-] --provider P --secret-env VAR --header 'name: value' ...
                            [--now MS] [--tolerance S] [--json]

The body is read from the file, or from stdin when the file is "-" or left out.
  --provider P      ${PROVIDER_LIST} (parse: default detected from the body)
  --event-type T    the event type when it travels in a header, not the body (Shopify's
                    X-Shopify-Topic, e.g. orders/paid)
  --time-zone Z     zone of zone-less dates (Vrio): IANA name (America/New_York) or offset (+02:00)
  --currency C      ISO 4217 code for payloads that carry none (Vrio, Voucherify)
  --max-bytes N     larger bodies are rejected with too_large (default ${defaultMaxBytes})
  --strict          unknown enum values and event types are errors
  --include-source  with --json: also print "source": the provider and the body as read
  --secret-env VAR  name of the environment variable holding the signing secret
  --header 'n: v'   a request header (repeatable), e.g. --header 'webhook-id: msg_1'
  --now MS          the time to check the signature timestamp against, in ms (default: now)
  --tolerance S     allowed clock distance in seconds (default ${defaultToleranceSeconds})
  --json            print the result object as JSON instead of a summary

exit status: 0 ok, 1 invalid payload or failed verification, 2 usage error`;

class UsageError extends Error {}
class HelpRequest extends Error {}

const COMMANDS = {
  parse: { values: ["provider", "event-type", "time-zone", "currency", "max-bytes"], flags: ["strict", "include-source", "json"] },
  detect: { values: [], flags: ["json"] },
  verify: { values: ["provider", "secret-env", "header", "now", "tolerance"], flags: ["json"] },
};

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(command ? `unknown command \`${command}\`` : "no command given");
  const opts = { headers: [] };
  let file;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "-" || !arg.startsWith("-")) {
      if (file !== undefined) throw new UsageError(`more than one file given (\`${file}\`, \`${arg}\`)`);
      file = arg;
      continue;
    }
    if (arg === "--help" || arg === "-h") throw new HelpRequest();
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    if (!arg.startsWith("--") || (!spec.values.includes(name) && !spec.flags.includes(name))) {
      throw new UsageError(`unknown option \`${arg}\` for \`orderhook ${command}\``);
    }
    if (spec.flags.includes(name)) {
      if (eq > 0) throw new UsageError(`\`--${name}\` takes no value`);
      opts[name] = true;
      continue;
    }
    let value;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < rest.length) value = rest[++i];
    else throw new UsageError(`\`--${name}\` needs a value`);
    if (name === "header") opts.headers.push(value);
    else opts[name] = value;
  }
  return { command, file, opts };
}

function readInput(file) {
  if (file === undefined || file === "-") {
    if (process.stdin.isTTY) throw new UsageError("no file given and stdin is a terminal; pass a file or pipe the body in");
    return readFileSync(0);
  }
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read \`${file}\`: ${e.code === "ENOENT" ? "no such file" : e.message}`);
  }
}

// The name itself is checked by the core (a misuse TypeError, a usage error here).
function provider(opts, required) {
  const p = opts.provider;
  if (p === undefined && required) throw new UsageError(`\`--provider\` is required (${PROVIDER_LIST})`);
  return p;
}

function integer(opts, name) {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`\`--${name}\` must be a non-negative integer, not \`${v}\``);
  }
  return Number(v);
}

// Misuse of the library (a bad zone name, currency or provider) is a usage error here.
function api(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith("orderhook: ")) throw new UsageError(e.message.slice(11));
    throw e;
  }
}

// ---------------------------------------------------------------- output

const color =
  process.stdout.isTTY && !process.env.NO_COLOR
    ? { bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", reset: "\x1b[0m" }
    : { bold: "", dim: "", red: "", green: "", yellow: "", reset: "" };
const paint = (c, s) => `${color[c]}${s}${color.reset}`;

/**
 * Minor units as a decimal string with integer math only: 123456 with 2 digits → "1234.56".
 * `digits` is the order's `currency_digits`; with no currency the amount is shown in minor units.
 */
function formatMoney(minor, currencyDigits) {
  if (minor === null || minor === undefined) return "—";
  const exp = currencyDigits ?? 0;
  const n = BigInt(minor);
  const digits = (n < 0n ? -n : n).toString().padStart(exp + 1, "0");
  const whole = digits.slice(0, digits.length - exp);
  const frac = exp > 0 ? "." + digits.slice(digits.length - exp) : "";
  return `${n < 0n ? "-" : ""}${whole}${frac}`;
}

function issueLine(issue) {
  const sev = issue.severity === "error" ? paint("red", "error  ") : paint("yellow", "warning");
  return `  ${sev} ${paint("bold", issue.code)} ${issue.path === "" ? "(body)" : issue.path} ${issue.message}`;
}

function summary(event) {
  const o = event.order;
  const cur = o.currency_digits;
  const unit = o.currency ? ` ${o.currency}` : cur === null ? " (minor units; currency unknown)" : " (currency unknown)";
  const lines = [];
  const row = (label, text) => lines.push(`  ${paint("dim", label.padEnd(9))}${text}`);
  row("event", `${event.provider} ${event.event_type ?? "(no event type)"} → ${event.kind}` +
    (event.event_id ? `  id ${event.event_id}` : "") + (event.occurred_at ? `  at ${event.occurred_at}` : ""));
  // A number that already reads as one (Shopify's "#1042") is not given a second "#".
  const number = o.number ? `  ${o.number.startsWith("#") ? "" : "#"}${o.number}` : "";
  row("order", `${o.id}${number}  status ${paint("bold", o.status)}` +
    (o.provider_status && o.provider_status.toLowerCase() !== o.status ? ` (${o.provider_status})` : ""));
  const money = [["subtotal", o.subtotal], ["discount", o.discount], ["tax", o.tax], ["shipping", o.shipping]]
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${formatMoney(v, cur)}`);
  row("totals", `${paint("bold", `total ${formatMoney(o.total, cur)}${unit}`)}` +
    (money.length ? `  (${money.join(", ")})` : "") + (o.refunded ? `  refunded ${formatMoney(o.refunded, cur)}` : ""));
  if (o.items.length === 0) row("items", "none");
  o.items.forEach((it, i) => {
    const what = `${it.quantity} × ${it.name ?? it.sku ?? it.product_id ?? "(unnamed)"}`;
    const sku = it.sku ? `  [${it.sku}]` : "";
    const price = it.unit_price !== null ? `  @ ${formatMoney(it.unit_price, cur)}` : "";
    const total = it.total !== null ? `  = ${formatMoney(it.total, cur)}` : "";
    row(i === 0 ? "items" : "", `${what}${sku}${price}${total}`);
  });
  const c = o.customer;
  if (c) {
    const who = [c.name, c.email && `<${c.email}>`, c.phone].filter(Boolean).join(" ") || "(anonymous)";
    row("customer", `${who}${c.id ? `  id ${c.id}` : ""}${c.external_id ? `  external ${c.external_id}` : ""}`);
  }
  for (const [label, a] of [["billing", o.billing_address], ["shipping", o.shipping_address]]) {
    if (!a) continue;
    row(label, [a.name, a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(" "), a.state, a.country]
      .filter(Boolean).join(", "));
  }
  if (o.created_at || o.updated_at) {
    row("dates", [o.created_at && `created ${o.created_at}`, o.updated_at && `updated ${o.updated_at}`].filter(Boolean).join("  "));
  }
  return lines.join("\n");
}

// A closed pipe (`orderhook parse x | head`) ends the output, not the process with a stack trace.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

function out(text) {
  process.stdout.write(text + "\n");
}

// ---------------------------------------------------------------- commands

function cmdParse(file, opts) {
  const body = readInput(file);
  const result = api(() =>
    parse(body, {
      provider: provider(opts, false),
      eventType: opts["event-type"],
      timeZone: opts["time-zone"],
      currency: opts.currency,
      maxBytes: integer(opts, "max-bytes"),
      strict: opts.strict === true,
      includeSource: opts["include-source"] === true,
    }),
  );
  if (opts.json) {
    out(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  const name = file === undefined || file === "-" ? "(stdin)" : file;
  if (result.ok) {
    out(`${paint("green", "ok")}      ${name}`);
    out(summary(result.event));
  } else {
    out(`${paint("red", "invalid")} ${name}: ${result.errors.length} error${result.errors.length === 1 ? "" : "s"}`);
    for (const e of result.errors) out(issueLine(e));
  }
  for (const w of result.warnings) out(issueLine(w));
  return result.ok ? 0 : 1;
}

function cmdDetect(file, opts) {
  const found = api(() => detect(readInput(file)));
  if (opts.json) out(JSON.stringify(found));
  else if (found) out(`${found.provider} ${found.eventType ?? "(no event type)"}`);
  else out(`not an order webhook of ${PROVIDER_LIST}`);
  return found ? 0 : 1;
}

function cmdVerify(file, opts) {
  const p = provider(opts, true);
  const env = opts["secret-env"];
  if (!env) throw new UsageError("`--secret-env VAR` is required: the name of the variable holding the secret");
  const secret = process.env[env];
  if (secret === undefined || secret === "") throw new UsageError(`environment variable \`${env}\` is not set or empty`);
  const headers = [];
  for (const h of opts.headers) {
    const colon = h.indexOf(":");
    if (colon <= 0) throw new UsageError(`\`--header ${h}\` is not of the form 'name: value'`);
    headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
  }
  const now = integer(opts, "now");
  const toleranceSeconds = integer(opts, "tolerance");
  const body = readInput(file);
  const result = api(() => verify(p, body, headers, secret, { now, toleranceSeconds }));
  if (opts.json) out(JSON.stringify(result, null, 2));
  else if (result.ok) out(`${paint("green", "verified")} ${p} signature`);
  else out(`${paint("red", "not verified")} ${p} signature\n${issueLine(result.error)}`);
  return result.ok ? 0 : 1;
}

function main(argv) {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    out(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version" || argv[0] === "-V") {
    out(version);
    return 0;
  }
  try {
    const { command, file, opts } = parseArgs(argv);
    if (command === "parse") return cmdParse(file, opts);
    if (command === "detect") return cmdDetect(file, opts);
    return cmdVerify(file, opts);
  } catch (e) {
    if (e instanceof HelpRequest) {
      out(USAGE);
      return 0;
    }
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`orderhook: ${e.message}\nrun \`orderhook --help\` for usage\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
