// The loops of the workerd section (10), the same in this Node process (bench/run.mjs)
// and inside workerd (bench/workerd/worker.js, which gets a copy of this file): each case
// reads a payload `{ provider, text, bytes, options }` (`options` carries the event type
// of a provider that sends it in a header, Shopify's topic; undefined for the others).
import { parse } from "orderhook";
import { validators } from "./schemas.mjs";

const decoder = new TextDecoder();

export const cases = {
  "JSON.parse": (p) => JSON.parse(p.text),
  "orderhook parse(string)": (p) => parse(p.text, p.options),
  "JSON.parse(decode(bytes))": (p) => JSON.parse(decoder.decode(p.bytes)),
  "orderhook parse(bytes)": (p) => parse(p.bytes, p.options),
  zod: (p) => validators[p.provider].zod(p.text, p.options),
  valibot: (p) => validators[p.provider].valibot(p.text, p.options),
};
