// Cloudflare Workers (workerd) entry: the .wasm arrives as a compiled module; no fetch, no eval.
import wasmModule from "./orderhook_bg.wasm";
import { start } from "./core.js";

start(() => wasmModule, { sync: true });

export { parse, detect, verify, parseRequest, deliveryId, limits, version, ready, init, initSync } from "./core.js";
