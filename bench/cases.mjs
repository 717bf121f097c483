// The loops of the workerd section (10), the same in this Node process (bench/run.mjs)
// and inside workerd (bench/workerd/worker.js, which gets a copy of this file): each case
// reads a payload `{ provider, text, bytes }`.
import { parse } from "orderhook";
import { validators } from "./schemas.mjs";

const decoder = new TextDecoder();

export const cases = {
  "JSON.parse": (p) => JSON.parse(p.text),
  "orderhook parse(string)": (p) => parse(p.text),
  "JSON.parse(decode(bytes))": (p) => JSON.parse(decoder.decode(p.bytes)),
  "orderhook parse(bytes)": (p) => parse(p.bytes),
  zod: (p) => validators[p.provider].zod(p.text),
  valibot: (p) => validators[p.provider].valibot(p.text),
};
