// Conformance: Voucherify's published signature test vectors through the npm
// package's verify(), and a few seed documents through its parse(). Runs when the reference documents are present (see
// shared.mjs); otherwise prints one SKIPPED line and defines no test.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse, verify } from "orderhook";
import { firstJsonObject } from "../../scripts/lib.mjs";
import { SKIPPED, sharedDir } from "./shared.mjs";

const dir = sharedDir();
if (dir === null) {
  console.log(SKIPPED);
} else {
  const vectorsFile = path.join(dir, "reference", "voucherify", "signature-test-vectors.json");

  test("Voucherify's published signature test vectors verify or fail as listed", () => {
    const { vectors } = JSON.parse(readFileSync(vectorsFile, "utf8"));
    assert.ok(vectors.length >= 9);
    for (const v of vectors) {
      const body = v.message ?? readFileSync(path.join(path.dirname(vectorsFile), v.message_file));
      const r = verify("voucherify", body, { "x-voucherify-signature": v.signature }, v.secret);
      assert.equal(r.ok, v.expect_valid ?? true, `vector ${v.n}: ${JSON.stringify(r)}`);
    }
  });

  test("the seed documents parse through the package as the Rust conformance suite expects", () => {
    const seeds = path.join(dir, "seeds");
    const json = (prefix) => {
      const text = readFileSync(path.join(seeds, readdirSync(seeds).find((f) => f.startsWith(prefix))), "utf8");
      return firstJsonObject(text);
    };
    const mangled = parse(json("000"));
    assert.equal(mangled.ok, false);
    assert.deepEqual(mangled.errors.map((e) => e.code), ["invalid_json"]);
    const updated = parse(json("001"));
    assert.equal(updated.ok, true, JSON.stringify(updated.errors));
    assert.equal(updated.event.provider, "voucherify");
    assert.deepEqual(updated.warnings.map((w) => `${w.code} ${w.path}`).sort(), [
      "amount_mismatch /order/amount",
      "assumed_currency /order/metadata/currency",
      "inferred_event ",
    ]);
    const polar = parse(json("003"));
    assert.equal(polar.ok, true, JSON.stringify(polar.errors));
    assert.ok(polar.warnings.some((w) => w.code === "invalid_value" && w.path === "/data/currency"));
  });
}
