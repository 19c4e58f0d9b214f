// Supply chain in CI (issue 13, item 10): `npm run audit` fails on a high or critical advisory of a production
// dependency that .ci/audit-exceptions.json does not explain (or explains past its review date), and says so when
// the registry could not be asked; `npm run licences -- --check` fails when docs/licences.md is not current or a
// licence is not known to be compatible with AGPL-3.0-or-later.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AuditUnavailable, findingsOf, judge, readExceptions } from "../.ci/audit.ts";
import { current, isCompatible, judge as judgeLicences, LIST_FILE, productionDependencies, render } from "../.ci/licences.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** An `npm audit --omit=dev --json` report (version 2) with one advisory of each severity that matters here. */
const REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    tar: {
      name: "tar",
      severity: "high",
      via: [{ source: 1101, name: "tar", title: "Arbitrary file overwrite", url: "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", severity: "high", range: "<7.5.3" }],
      nodes: ["node_modules/tar"],
    },
    "some-wrapper": { name: "some-wrapper", severity: "high", via: ["tar"], nodes: ["node_modules/some-wrapper"] },
    qs: {
      name: "qs",
      severity: "critical",
      via: [{ source: 1102, name: "qs", title: "Prototype pollution", url: "https://github.com/advisories/GHSA-dddd-eeee-ffff", severity: "critical", range: "<6.10.3" }],
      nodes: ["node_modules/qs"],
    },
    ms: {
      name: "ms",
      severity: "moderate",
      via: [{ source: 1103, name: "ms", title: "ReDoS", url: "https://github.com/advisories/GHSA-gggg-hhhh-iiii", severity: "moderate", range: "<2.0.0" }],
      nodes: ["node_modules/ms"],
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 1, high: 2, critical: 1, total: 4 } },
};

function audit(report: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-audit-"));
  const file = path.join(dir, "report.json");
  fs.writeFileSync(file, JSON.stringify(report));
  try {
    const r = spawnSync(process.execPath, ["--import", "tsx", ".ci/audit.ts", "--input", file], { cwd: ROOT, encoding: "utf8" });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("npm run audit", () => {
  it("fails on a high or critical advisory not explained, and lists the lower ones without failing", () => {
    const findings = findingsOf(REPORT);
    assert.deepEqual(findings.map((f) => `${f.package} ${f.id} ${f.severity}`), ["ms GHSA-gggg-hhhh-iiii moderate", "qs GHSA-dddd-eeee-ffff critical", "tar GHSA-aaaa-bbbb-cccc high"]);
    const j = judge(findings, [], "2026-12-05");
    assert.deepEqual(j.failing.map((f) => f.package), ["qs", "tar"]);
    assert.deepEqual(j.lower.map((f) => f.package), ["ms"]);
  });

  it("lets an explained advisory pass until its review date, then fails it again", () => {
    const exception = { id: "GHSA-aaaa-bbbb-cccc", package: "tar", reason: "only our own archives are read, never one from outside", reviewBy: "2027-01-31" };
    const stale = { id: "GHSA-zzzz-zzzz-zzzz", reason: "an advisory that was fixed upstream", reviewBy: "2027-01-31" };
    const before = judge(findingsOf(REPORT), [exception, stale], "2027-01-31");
    assert.deepEqual(before.failing.map((f) => f.package), ["qs"]);
    assert.deepEqual(before.excepted.map((f) => `${f.package}: ${f.reason}`), [`tar: ${exception.reason}`]);
    assert.deepEqual(before.unused, [stale], "an exception no finding needs is reported for removal");
    const after = judge(findingsOf(REPORT), [exception], "2027-02-01");
    assert.deepEqual(after.failing.map((f) => f.package), ["qs", "tar"]);
    assert.deepEqual(after.expired, [exception]);
  });

  it("tells a report from the registry's refusal to audit: no report is no pass", () => {
    assert.throws(() => findingsOf({ message: "405 Method Not Allowed", error: { summary: "" } }), AuditUnavailable);
  });

  it("exits 1 on an unexplained finding, 0 on a clean report, 3 when the registry could not be asked", () => {
    const failing = audit(REPORT);
    assert.equal(failing.status, 1, failing.out);
    assert.match(failing.out, /high or critical, not explained.*\n.*critical\s+qs\s+GHSA-dddd-eeee-ffff/);
    const clean = audit({ auditReportVersion: 2, vulnerabilities: {}, metadata: {} });
    assert.equal(clean.status, 0, clean.out);
    const refused = audit({ message: "405 Method Not Allowed", error: {} });
    assert.equal(refused.status, 3, refused.out);
    assert.match(refused.out, /could not be asked: 405/);
  });

  it("reads the exceptions file CI reads: each entry with its advisory, reason and review date", () => {
    assert.ok(Array.isArray(readExceptions()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-audit-"));
    const file = path.join(dir, "exceptions.json");
    fs.writeFileSync(file, JSON.stringify({ exceptions: [{ id: "GHSA-aaaa-bbbb-cccc", reason: "because" }] }));
    try {
      assert.throws(() => readExceptions(file), /needs a "reason"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run licences", () => {
  it("reads SPDX expressions: OR takes either, AND needs both, WITH is its licence, an unknown id is unknown", () => {
    assert.equal(isCompatible("MIT"), true);
    assert.equal(isCompatible("(MIT OR GPL-2.0-only)"), true);
    assert.equal(isCompatible("MIT AND GPL-2.0-only"), false);
    assert.equal(isCompatible("Apache-2.0 WITH LLVM-exception"), true);
    assert.equal(isCompatible("(BSD-3-Clause AND (MIT OR SSPL-1.0))"), true);
    assert.equal(isCompatible("SSPL-1.0"), false);
    assert.equal(isCompatible("MIT OR"), null);
  });

  it("lists production packages only, and flags one without a licence or with one not known to be compatible", () => {
    const deps = productionDependencies({
      packages: {
        "": { name: "motcua", version: "0.1.0" },
        "node_modules/a": { version: "1.0.0", license: "MIT" },
        "node_modules/@s/b": { version: "2.0.0", license: "GPL-2.0-only" },
        "node_modules/a/node_modules/c": { version: "3.0.0" },
        "node_modules/dev-tool": { version: "4.0.0", license: "MIT", dev: true },
      },
    });
    assert.deepEqual(deps.map((d) => `${d.name}@${d.version}`), ["@s/b@2.0.0", "a@1.0.0", "c@3.0.0"]);
    const verdicts = judgeLicences(deps, {});
    assert.deepEqual(verdicts.filter((v) => v.problem).map((v) => v.dependency.name), ["@s/b", "c"]);
    const reviewed = judgeLicences(deps, { "c@3.0.0": { licence: "MIT", reason: "its LICENSE file" } });
    assert.equal(reviewed.find((v) => v.dependency.name === "c")?.problem, undefined);
    assert.match(render(reviewed), /\| c \| 3\.0\.0 \| MIT \| reviewed: its LICENSE file \|/);
  });

  it("keeps docs/licences.md current, with every production licence compatible with AGPL-3.0-or-later", () => {
    const verdicts = current();
    assert.deepEqual(verdicts.filter((v) => v.problem).map((v) => `${v.dependency.name}: ${v.problem}`), []);
    assert.equal(fs.readFileSync(LIST_FILE, "utf8"), render(verdicts), "run `npm run licences` and commit docs/licences.md");
  });
});
