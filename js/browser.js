// Browser (and default) entry: fetch the .wasm next to this file; `await ready` before the first call.
import { start } from "./core.js";

start(() => new URL("./orderhook_bg.wasm", import.meta.url));

export { parse, detect, verify, parseRequest, deliveryId, limits, version, ready, init, initSync } from "./core.js";
