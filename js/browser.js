// Browser (and default) entry: fetch and instantiate the .wasm; `await ready` before the first call.
import { load } from "./core.js";

/** Resolves once the wasm module is instantiated; rejects if it cannot be loaded. */
export const ready = load(new URL("./orderhook_bg.wasm", import.meta.url));

export { parse, detect, verify, parseRequest, limits, version } from "./core.js";
