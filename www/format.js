// Display helpers of the preview page. Pure functions, no DOM: the browser test
// imports this module in Node to compute the text the page must show.
//
// Money stays integer minor units from end to end: the digits are placed around
// the decimal point by string manipulation, never by dividing a float.

/**
 * Integer minor units as a decimal string, with `digits` decimal places (the order's
 * `currency_digits`, which the core sets): `6125, 2` → `"61.25"`, `-5, 3` → `"−0.005"`,
 * `1234567, 0` → `"1,234,567"`. Unknown digits (`null`) show the minor units as they are.
 * `null` or `undefined` amounts give `"—"`.
 */
export function formatMinor(minor, currencyDigits) {
  if (minor === null || minor === undefined) return "—";
  const raw = typeof minor === "bigint" ? minor.toString() : Number.isSafeInteger(minor) ? String(minor) : null;
  if (raw === null) return String(minor); // not an integer: show it as it came, never round
  const negative = raw.startsWith("-");
  let digits = negative ? raw.slice(1) : raw;
  const exp = Number.isSafeInteger(currencyDigits) && currencyDigits > 0 ? currencyDigits : 0;
  while (digits.length <= exp) digits = "0" + digits;
  const whole = digits.slice(0, digits.length - exp).replace(/\B(?=(\d{3})+$)/g, ",");
  const fraction = exp > 0 ? "." + digits.slice(digits.length - exp) : "";
  return (negative ? "\u2212" : "") + whole + fraction;
}

/** Amount with its currency code: `"61.25 EUR"`; without a currency just the number. */
export function formatMoney(minor, currency, digits) {
  const n = formatMinor(minor, digits);
  if (minor === null || minor === undefined || !currency) return n;
  return `${n} ${currency}`;
}

/** An RFC 3339 UTC timestamp as `2026-10-05 08:15:02.418532 UTC` (precision kept). */
export function formatUtc(ts) {
  if (typeof ts !== "string") return "—";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})$/i.exec(ts);
  if (!m) return ts;
  return `${m[1]} ${m[2]} ${m[3].toUpperCase() === "Z" ? "UTC" : m[3]}`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp (fraction cut to ms), or NaN. */
export function timestampMs(ts) {
  if (typeof ts !== "string") return NaN;
  return Date.parse(ts.replace(/(\.\d{3})\d+/, "$1"));
}

/** The same instant in a time zone (default: the browser's), e.g. `Oct 5, 2026, 10:15:02 AM`. */
export function formatLocal(ts, timeZone, locale) {
  const ms = timestampMs(ts);
  if (Number.isNaN(ms)) return "—";
  const f = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
  return f.format(ms);
}

/** Human label of a normalized status or kind: `partially_refunded` → `partially refunded`. */
export function label(word) {
  return typeof word === "string" ? word.replaceAll("_", " ") : "—";
}

/** A byte count for people: 2.5 KB, 1.0 MB. */
export function formatBytes(n) {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} KB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}
