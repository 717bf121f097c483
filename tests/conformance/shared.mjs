// The one gate of the optional conformance suite on the JavaScript side (the Rust
// side's is shared_dir() in tests/common/mod.rs): the project's reference documents,
// at ../shared beside the repository or wherever ORDERHOOK_SHARED points. Only the
// conformance suite (tests/conformance, and scripts/test.mjs deciding whether to run
// it) may use it; every other test reads tests/fixtures or examples/samples.
// ORDERHOOK_SHARED=/nonexistent hides the folder (CI does, to prove nothing else needs it).
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The line printed, once per suite, when the folder is absent. */
export const SKIPPED = "SKIPPED: ../shared not present";

/** The reference documents' folder, or null when it does not exist. */
export function sharedDir() {
  const dir = process.env.ORDERHOOK_SHARED || path.resolve(root, "..", "shared");
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
}
