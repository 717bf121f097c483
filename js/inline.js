// Entry for bundles with no asset pipeline (esbuild, Rollup, iife/CJS, one-file scripts):
// the .wasm travels inside inline-wasm.js as base64, decoded and instantiated on import.
import { start } from "./core.js";
import { wasmBase64 } from "./inline-wasm.js";

start(() => base64Bytes(wasmBase64), { sync: true });

function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export { parse, detect, verify, parseRequest, deliveryId, limits, version, ready, init, initSync } from "./core.js";
