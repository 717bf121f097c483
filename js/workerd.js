// Cloudflare Workers (workerd) entry: the .wasm arrives as a compiled module; no fetch, no eval.
import wasmModule from "./orderhook_bg.wasm";
import { loadSync } from "./core.js";

loadSync(wasmModule);

export { parse, detect, verify, parseRequest, limits, version } from "./core.js";
