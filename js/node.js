// Node.js (and Deno, Bun) entry: read the .wasm from disk, instantiate synchronously.
import { readFileSync } from "node:fs";
import { loadSync } from "./core.js";

loadSync(readFileSync(new URL("./orderhook_bg.wasm", import.meta.url)));

export { parse, detect, verify, parseRequest, limits, version } from "./core.js";
