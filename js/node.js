// Node.js (and Deno, Bun) entry: read the .wasm beside this file, instantiate synchronously.
import { readFileSync } from "node:fs";
import { start } from "./core.js";

start(() => readFileSync(new URL("./orderhook_bg.wasm", import.meta.url)), { sync: true });

export { parse, detect, verify, parseRequest, deliveryId, limits, version, ready, init, initSync } from "./core.js";
