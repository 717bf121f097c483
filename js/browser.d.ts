export * from "./index.js";

/** Resolves once the wasm module is loaded; call orderhook only after `await ready`. */
export const ready: Promise<void>;
