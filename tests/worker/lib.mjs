// Shared by the tests of examples/worker: where the example is, the modules an installed
// orderhook gives a Worker, and the modules the example's workerd.capnp lists. workerd
// itself is started by scripts/workerd.mjs; samples and signatures come from
// tests/js/helpers.mjs.
import path from "node:path";
import { moduleGraph, packageWorkerdEntry } from "../../scripts/workerd.mjs";
import { root } from "../js/helpers.mjs";

export const exampleDir = path.join(root, "examples", "worker");

/**
 * The files of an installed orderhook that a Worker loads: the `workerd` export of its
 * package.json and every module that entry reaches, relative to the package.
 */
export function packageWorkerdFiles(packageDir) {
  const entry = packageWorkerdEntry(packageDir);
  const files = moduleGraph([[entry, path.join(packageDir, entry)]]).map((m) => m.name);
  return { entry, files: files.sort() };
}

/** `{ name, kind, file }` of every module in a workerd .capnp config. */
export function capnpModules(configText) {
  return [...configText.matchAll(/\(name = "([^"]+)", (esModule|wasm) = embed "([^"]+)"\)/g)].map((m) => ({
    name: m[1],
    kind: m[2],
    file: m[3],
  }));
}
