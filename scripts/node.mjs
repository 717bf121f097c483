// The project's scripts run on a maintained Node LTS: importing this module (first, in each
// script) re-runs the process under Node NODE_VERSION when the machine's Node is older than 22.
// That Node comes from the npm registry (the `node-<os>-<arch>` package ships the binary),
// installed once into .tools/node-<version>/; nothing is downloaded from anywhere else.
//   node scripts/node.mjs --which            the Node binary the scripts use (installing it if needed)
//   node scripts/node.mjs --which 22.12.0    that Node version's binary (installing it if needed)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The Node the project develops and tests on when the machine's is older (24 LTS). */
export const NODE_VERSION = "24.22.3";
/** The oldest Node the package admits (`engines`): require(esm) works from 22.12 on. The toolchain test runs on it. */
export const NODE_FLOOR = "22.12.0";
/** Below this major, the scripts re-run under NODE_VERSION. */
export const MIN_MAJOR = 22;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const nodeDir = (version) => path.join(root, ".tools", `node-${version}`);

/** Where `installNode(version)` puts that version's binary. */
export function nodePath(version) {
  return process.platform === "win32" ? path.join(nodeDir(version), "node.exe") : path.join(nodeDir(version), "bin", "node");
}

/**
 * The binary of Node `version`, installed from the npm package `node-<platform>-<arch>`
 * into .tools/ when it is not there yet (synchronously: this runs before anything else).
 * The tarball is unpacked beside its final place and renamed into it, so a run cut off
 * halfway, or two runs at once, never leave a half-written Node behind.
 */
export function installNode(version, log = (m) => console.error(`node: ${m}`)) {
  const bin = nodePath(version);
  if (existsSync(bin)) return bin;
  const name = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
  const tools = path.join(root, ".tools");
  mkdirSync(tools, { recursive: true });
  const tmp = mkdtempSync(path.join(tools, `.node-${version}-`));
  try {
    log(`installing Node ${version} from the npm registry (${name}@${version}) into ${path.relative(root, nodeDir(version))}/ (once)`);
    const packed = spawnSync(npm, ["pack", `${name}@${version}`, "--pack-destination", tmp, "--json", "--loglevel=error"], {
      cwd: tmp,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      shell: process.platform === "win32",
      timeout: 10 * 60_000,
    });
    let tgz;
    try {
      tgz = JSON.parse(packed.stdout)[0].filename;
    } catch {}
    if (packed.status !== 0 || !tgz) throw new Error(`npm pack ${name}@${version} failed (exit ${packed.status ?? packed.signal ?? packed.error?.message})`);
    const unpacked = path.join(tmp, "unpacked");
    mkdirSync(unpacked);
    // Only the binary: the package also carries headers and docs.
    const member = process.platform === "win32" ? "package/node.exe" : "package/bin/node";
    const tar = spawnSync("tar", ["-xzf", path.join(tmp, tgz), "-C", unpacked, member], { stdio: "inherit" });
    if (tar.status !== 0) throw new Error(`unpacking ${tgz} failed (exit ${tar.status ?? tar.signal})`);
    const check = spawnSync(path.join(unpacked, member), ["--version"], { encoding: "utf8" });
    if (check.stdout?.trim() !== `v${version}`) throw new Error(`the unpacked Node says ${JSON.stringify(check.stdout ?? check.error?.message)}, not v${version}`);
    try {
      renameSync(path.join(unpacked, "package"), nodeDir(version));
    } catch (e) {
      if (!existsSync(bin)) throw e; // another run installed it meanwhile
    }
    return bin;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The Node binary the scripts run on: this one when it is maintained, else NODE_VERSION. */
export function projectNode() {
  const major = Number(process.versions.node.split(".")[0]);
  return major >= MIN_MAJOR ? process.execPath : installNode(NODE_VERSION);
}

/** Re-run this process's script under `bin`, with its directory first on PATH (for npm, npx and child `node`s). */
function rerunUnder(bin) {
  const env = { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ""}` };
  const r = spawnSync(bin, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env });
  if (r.error) {
    console.error(`node: could not run ${bin}: ${r.error.message}`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

const major = Number(process.versions.node.split(".")[0]);
const main = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (main && process.argv[2] === "--which" && process.argv[3]) {
  console.log(installNode(process.argv[3]));
} else if (major < MIN_MAJOR) {
  let bin;
  try {
    bin = installNode(NODE_VERSION);
  } catch (e) {
    console.error(`node: Node ${process.versions.node} is older than ${MIN_MAJOR} and Node ${NODE_VERSION} could not be installed: ${e.message}`);
    process.exit(1);
  }
  console.error(`node: Node ${process.versions.node} is older than ${MIN_MAJOR} (past its end of life): running under Node ${NODE_VERSION} (${path.relative(root, bin)})`);
  rerunUnder(bin);
} else if (main && process.argv[2] === "--which") {
  console.log(process.execPath);
}
