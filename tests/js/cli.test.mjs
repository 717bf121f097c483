// The `orderhook` command line: output, exit codes (0 ok, 1 invalid, 2 usage).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { detect, limits, parse } from "orderhook";
import { root, sample, samples, voucherifySignature } from "./helpers.mjs";

const bin = path.join(root, "bin", "orderhook.js");
const tmp = mkdtempSync(path.join(tmpdir(), "orderhook-cli-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args, { input, env } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const samplePath = (f) => path.join("examples", "samples", f);

describe("orderhook parse", () => {
  test("prints a normalized summary and exits 0 for every sample", () => {
    for (const s of samples) {
      const r = cli(["parse", samplePath(s.file)]);
      assert.equal(r.code, 0, `${s.file}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^ok +${samplePath(s.file).replaceAll(".", "\\.")}\\n`));
      assert.match(r.stdout, new RegExp(`event +${s.provider} `));
      assert.equal(r.stderr, "");
    }
  });

  test("totals are formatted with the currency's exponent", () => {
    const r = cli(["parse", samplePath("polar.order.paid.json")]);
    assert.match(r.stdout, /total 61\.25 EUR +\(subtotal 49\.00, discount 0\.00, tax 12\.25\)/);
    assert.match(r.stdout, /1 × Studio \(monthly\) +@ 49\.00 += 49\.00/);
    assert.match(r.stdout, /customer Karin Lindqvist <karin@lindqvist-design\.se>/);
    assert.match(r.stdout, /status paid\n/);
    const kwd = cli(["parse", samplePath("vrio.order_updated.json"), "--currency", "KWD", "--time-zone", "America/Chicago"]);
    assert.equal(kwd.code, 0);
    assert.match(kwd.stdout, /total 63\.950 KWD/);
    assert.match(kwd.stdout, /2 × Single-Origin Beans Subscription \(2 bags\) +\[SOB-340\] +@ 14\.500 += 29\.000/);
    assert.match(kwd.stdout, /at 2026-07-14T14:32:17Z/); // 09:32:17 CDT
    const jpy = cli(["parse", samplePath("voucherify.customer.order.canceled.json"), "--currency", "JPY"]);
    assert.match(jpy.stdout, /total 2400 JPY/);
  });

  test("without a currency, amounts read with assumed places show them; unknown places show minor units", () => {
    const vrio = cli(["parse", samplePath("vrio.order_updated.json")]);
    assert.match(vrio.stdout, /total 63\.95 \(currency unknown\)/);
    const voucherify = cli(["parse", samplePath("voucherify.customer.order.canceled.json")]);
    assert.match(voucherify.stdout, /total 2400 \(minor units; currency unknown\)/);
  });

  test("prints each issue as severity, code, path and message", () => {
    const r = cli(["parse", samplePath("vrio.order_abandoned.json")]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ {2}warning assumed_currency \(body\) Vrio sends no currency/m);
    assert.match(r.stdout, /^ {2}warning assumed_time_zone \(body\) /m);
  });

  test("--json prints the result object", () => {
    const s = sample("voucherify.customer.order.created.json");
    const r = cli(["parse", samplePath(s.file), "--json"]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), parse(s.bytes));
    const withOptions = cli(["parse", samplePath(s.file), "--json", "--currency=USD", "--strict", "--include-source"]);
    const expected = parse(s.bytes, { currency: "USD", strict: true, includeSource: true });
    assert.deepEqual(JSON.parse(withOptions.stdout), expected);
    assert.equal(expected.event.order.currency, "USD");
  });

  test("reads stdin for - or no file", () => {
    const s = sample("polar.order.created.json");
    for (const args of [["parse", "-", "--json"], ["parse", "--json"]]) {
      const r = cli(args, { input: s.text });
      assert.equal(r.code, 0);
      assert.deepEqual(JSON.parse(r.stdout), parse(s.text));
    }
    assert.match(cli(["parse"], { input: s.text }).stdout, /^ok +\(stdin\)/);
  });

  test("an invalid payload exits 1 and lists the errors", () => {
    const bad = path.join(tmp, "bad.json");
    writeFileSync(bad, '{"type":"order.paid",\n "data": }');
    const r = cli(["parse", bad]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^invalid .*bad\.json: 1 error\n/);
    assert.match(r.stdout, /error +invalid_json \(body\) body is not valid JSON: .* \(line 2 column \d+\)\n/);
    const json = cli(["parse", bad, "--json"]);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).ok, false);
    assert.equal(cli(["parse", "-", "--max-bytes", "10"], { input: sample("polar.order.paid.json").text }).code, 1);
  });

  test("usage errors exit 2 with a message on stderr", () => {
    const cases = [
      [["parse", samplePath("polar.order.paid.json"), "--frobnicate"], /unknown option `--frobnicate`/],
      [["parse", "no/such/file.json"], /cannot read `no\/such\/file\.json`: no such file/],
      [["parse", samplePath("polar.order.paid.json"), "--provider", "acme"], /unknown provider "acme"; expected one of "polar", "voucherify", "vrio"/],
      [["parse", samplePath("vrio.order_updated.json"), "--time-zone", "Mars/Olympus_Mons"], /unknown time zone/],
      [["parse", samplePath("vrio.order_updated.json"), "--currency", "EURO"], /ISO 4217/],
      [["parse", samplePath("polar.order.paid.json"), "--max-bytes", "lots"], /--max-bytes/],
      [["parse", "a.json", "b.json"], /more than one file/],
      [["parse", "--provider"], /`--provider` needs a value/],
      [["frob"], /unknown command `frob`/],
      [["detect", "--strict"], /unknown option `--strict` for `orderhook detect`/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /^orderhook: /);
      assert.equal(r.stdout, "");
    }
  });

  test("--help exits 0; no arguments print usage and exit 2", () => {
    const help = cli(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage:\n {2}orderhook parse/);
    assert.equal(cli(["parse", "--help"]).code, 0);
    assert.equal(cli([]).code, 2);
    assert.match(cli(["--version"]).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
  test("colours on a terminal, unless NO_COLOR is set", { skip: !hasScript && "util-linux `script` is not installed" }, () => {
    const onTty = (env) =>
      spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} parse examples/samples/vrio.order_updated.json`, "/dev/null"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env },
        timeout: 30_000,
      });
    const coloured = onTty({ NO_COLOR: "" });
    assert.equal(coloured.status, 0, coloured.stderr);
    assert.match(coloured.stdout, /\x1b\[32mok\x1b\[0m/);
    const plain = onTty({ NO_COLOR: "1" });
    assert.equal(plain.status, 0);
    assert.match(plain.stdout, /^ok +examples/);
    assert.equal(plain.stdout.includes("\x1b["), false);
  });

  test("`npx orderhook` runs the built package's bin", () => {
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const r = spawnSync(npx, ["--no-install", "orderhook", "detect", samplePath("vrio.order_updated.json")], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "vrio order_updated\n");
  });

  test("no colours when stdout is not a terminal", () => {
    const r = cli(["parse", samplePath("vrio.order_updated.json")], { env: { NO_COLOR: undefined } });
    assert.equal(r.code, 0);
    assert.equal(r.stdout.includes("\x1b["), false);
  });
});

describe("orderhook detect", () => {
  test("prints provider and event type", () => {
    for (const s of samples) {
      const r = cli(["detect", samplePath(s.file)]);
      assert.equal(r.code, 0);
      const d = detect(s.bytes);
      assert.equal(r.stdout, `${d.provider} ${d.eventType ?? "(no event type)"}\n`);
      assert.deepEqual(JSON.parse(cli(["detect", samplePath(s.file), "--json"]).stdout), d);
    }
  });

  test("exits 1 for a body that is no known webhook", () => {
    const r = cli(["detect", "-"], { input: '{"hello":"world"}' });
    assert.equal(r.code, 1);
    // The registered providers, in registry order.
    assert.equal(r.stdout, `not an order webhook of ${limits().providers.join(", ")}\n`);
    assert.equal(cli(["detect", "--json"], { input: "[]" }).stdout, "null\n");
  });
});

describe("orderhook verify", () => {
  const s = sample("voucherify.customer.order.paid.json");
  const secret = "cli-test-secret";
  const sig = voucherifySignature(s.bytes, secret);
  const env = { ORDERHOOK_TEST_SECRET: secret };

  test("a good signature exits 0", () => {
    const r = cli(["verify", samplePath(s.file), "--provider", "voucherify", "--secret-env", "ORDERHOOK_TEST_SECRET",
      "--header", `X-Voucherify-Signature: ${sig}`], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "verified voucherify signature\n");
    const json = cli(["verify", samplePath(s.file), "--provider", "voucherify", "--secret-env", "ORDERHOOK_TEST_SECRET",
      "--header", `x-voucherify-signature: ${sig}`, "--json"], { env });
    assert.deepEqual(JSON.parse(json.stdout), { ok: true });
  });

  test("a bad signature exits 1 and shows the issue", () => {
    const r = cli(["verify", samplePath(s.file), "--provider", "voucherify", "--secret-env", "ORDERHOOK_TEST_SECRET",
      "--header", `x-voucherify-signature: ${sig}`], { env: { ORDERHOOK_TEST_SECRET: "other" } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^not verified voucherify signature\n {2}error +bad_signature \(body\) /);
    assert.equal(r.stdout.includes("other"), false);
  });

  test("Polar with --now and --tolerance", async () => {
    const { standardWebhooksHeaders } = await import("./helpers.mjs");
    const p = sample("polar.order.paid.json");
    const headers = standardWebhooksHeaders(p.bytes, Buffer.from(secret), { timestamp: 1_800_000_000 });
    const args = ["verify", samplePath(p.file), "--provider", "polar", "--secret-env", "ORDERHOOK_TEST_SECRET",
      ...Object.entries(headers).flatMap(([k, v]) => ["--header", `${k}: ${v}`])];
    assert.equal(cli([...args, "--now", "1800000100000"], { env }).code, 0);
    const stale = cli([...args, "--now", "1800001000000"], { env });
    assert.equal(stale.code, 1);
    assert.match(stale.stdout, /stale_timestamp/);
    assert.equal(cli([...args, "--now", "1800001000000", "--tolerance", "1000"], { env }).code, 0);
  });

  test("vrio is unsupported: exit 1", () => {
    const r = cli(["verify", samplePath("vrio.order_updated.json"), "--provider", "vrio", "--secret-env", "ORDERHOOK_TEST_SECRET"], { env });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /unsupported/);
  });

  test("usage errors exit 2", () => {
    const base = ["verify", samplePath(s.file)];
    const cases = [
      [[...base, "--secret-env", "ORDERHOOK_TEST_SECRET"], /`--provider` is required/],
      [[...base, "--provider", "voucherify"], /`--secret-env VAR` is required/],
      [[...base, "--provider", "voucherify", "--secret-env", "ORDERHOOK_UNSET_VAR"], /ORDERHOOK_UNSET_VAR` is not set/],
      [[...base, "--provider", "voucherify", "--secret-env", "ORDERHOOK_TEST_SECRET", "--header", "nocolon"], /name: value/],
      [[...base, "--provider", "voucherify", "--secret-env", "ORDERHOOK_TEST_SECRET", "--now", "soon"], /--now/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, { env });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
