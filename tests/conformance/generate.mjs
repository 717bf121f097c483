// A seeded generator of JSON values from a JSON Schema (2020-12), for the keywords
// the providers' extracted webhook schemas use: type (one or a list), enum, const,
// properties, required, additionalProperties, items, prefixItems, minItems,
// maxItems, minimum, maximum, anyOf, oneOf, allOf, format (date-time, date, time,
// uuid4). It aims at valid values; the caller proves each with ajv, since oneOf
// and merged allOf branches can still miss.

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same bodies. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** A real RFC 3339 instant in 2020–2030, in the shapes senders use. */
export function dateTime(r) {
  const ms = Date.UTC(2020, 0, 1) + Math.floor(r.next() * 11 * 365.25 * 86400e3);
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = r.pick(["", `.${pad(d.getUTCMilliseconds(), 3)}`, `.${pad(r.int(0, 999999), 6)}`]);
  const zone = r.pick(["Z", "Z", "+00:00", `+${pad(r.int(0, 13))}:${r.pick(["00", "30", "45"])}`, `-0${r.int(1, 9)}:00`]);
  return base + frac + zone;
}

function uuid4(r) {
  const hex = (n) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${r.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
}

const words = ["alpha", "Nova", "Köln", "ÉTÉ", "kit", "line", "x", "Pro plan", "東京", "a-b_c", "🙂 gift"];

function string(r, format) {
  switch (format) {
    case "date-time":
      return dateTime(r);
    case "date":
      return dateTime(r).slice(0, 10);
    case "time":
      return dateTime(r).slice(11);
    case "uuid4":
      return uuid4(r);
    default:
      return r.chance(0.2) ? "" : `${r.pick(words)}${r.chance(0.5) ? ` ${r.int(0, 9999)}` : ""}`;
  }
}

/** One schema out of `allOf`: properties and required merged, types intersected. */
export function mergeAllOf(schema) {
  if (!schema.allOf) return schema;
  const parts = [schema, ...schema.allOf.map(mergeAllOf)];
  const out = { ...schema };
  delete out.allOf;
  for (const p of parts) {
    if (p === schema) continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === "properties") out.properties = { ...out.properties, ...v };
      else if (k === "required") out.required = [...new Set([...(out.required ?? []), ...v])];
      else if (k === "additionalProperties") {
        if (v === false || out.additionalProperties === undefined) out.additionalProperties = v;
      } else if (!(k in out)) out[k] = v;
    }
  }
  return out;
}

/**
 * A value for `schema`. `opts.optional` is the chance an optional property is
 * sent; `opts.nullable` the chance a nullable value is null; `opts.extra(path)`
 * may return extra properties for an open object.
 */
export function generate(schema, r, opts = {}, path = "") {
  const optional = opts.optional ?? 0.6;
  schema = mergeAllOf(schema);
  if ("const" in schema) return structuredClone(schema.const);
  if (schema.enum) return structuredClone(r.pick(schema.enum));
  if (schema.anyOf || schema.oneOf) {
    const branches = schema.anyOf ?? schema.oneOf;
    const nonNull = branches.filter((b) => b.type !== "null");
    const nullable = nonNull.length < branches.length;
    if (nullable && (nonNull.length === 0 || r.chance(opts.nullable ?? 0.3))) return null;
    const { anyOf, oneOf, ...rest } = schema;
    return generate({ ...rest, ...r.pick(nonNull) }, r, opts, path);
  }
  let type = schema.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    if (type.includes("null") && (nonNull.length === 0 || r.chance(opts.nullable ?? 0.3))) return null;
    type = r.pick(nonNull);
  }
  if (type === undefined) type = schema.properties ? "object" : schema.items ? "array" : r.pick(["string", "integer", "object"]);
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return r.chance(0.5);
    case "integer": {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 100_000;
      return r.int(Math.ceil(lo), Math.floor(hi));
    }
    case "number": {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 1000;
      return Math.round((lo + r.next() * (hi - lo)) * 100) / 100;
    }
    case "string":
      return string(r, schema.format);
    case "array": {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? Math.max(min, 3);
      if (schema.prefixItems) return schema.prefixItems.map((s, i) => generate(s, r, opts, `${path}/${i}`));
      const n = r.int(min, max);
      return Array.from({ length: n }, (_, i) => generate(schema.items ?? {}, r, opts, `${path}/${i}`));
    }
    case "object": {
      const out = {};
      const required = new Set(schema.required ?? []);
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if (required.has(k) || r.chance(optional)) out[k] = generate(s, r, opts, `${path}/${k}`);
      }
      const ap = schema.additionalProperties;
      // A required key the schema names nowhere else takes what additionalProperties allows.
      for (const k of required) {
        if (!(k in out)) out[k] = ap && typeof ap === "object" ? generate(ap, r, opts, `${path}/${k}`) : string(r);
      }
      if (ap !== false && !schema.properties && r.chance(0.5)) {
        // An open map (metadata and the like): a few entries of what it allows.
        for (let i = r.int(1, 3); i > 0; i--) {
          out[`${r.pick(["k", "ref", "note"])}_${r.int(0, 99)}`] =
            ap && typeof ap === "object" ? generate(ap, r, opts, `${path}/x`) : string(r);
        }
      }
      return out;
    }
    default:
      throw new Error(`generate: unsupported type ${JSON.stringify(type)} at ${path || "/"}`);
  }
}
