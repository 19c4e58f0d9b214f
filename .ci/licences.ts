// `npm run licences`: the licences of the production dependencies, from package-lock.json, written to
// docs/licences.md; `--check` (CI) fails when that file is not current or when a licence is not known to be
// compatible with motcua's AGPL-3.0-or-later. A licence outside the list below, or a package that names none,
// needs a reviewed entry in .ci/licences.json (the licence as read, and why it may be used).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const LIST_FILE = path.join(ROOT, "docs", "licences.md");
export const REVIEWED_FILE = path.join(ROOT, ".ci", "licences.json");

/**
 * Licences (SPDX ids) a library may have in an AGPL-3.0-or-later program: permissive ones, and the copyleft ones
 * whose terms GPLv3 can meet (the FSF's list of GPL-compatible licences).
 */
export const COMPATIBLE = new Set([
  "0BSD", "MIT", "MIT-0", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "BlueOak-1.0.0", "Unlicense", "CC0-1.0",
  "Zlib", "BSL-1.0", "X11", "WTFPL", "Python-2.0", "PSF-2.0", "Artistic-2.0", "CC-BY-4.0", "MPL-2.0",
  "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later",
  "AGPL-3.0-only", "AGPL-3.0-or-later",
]);

export interface Dependency {
  name: string;
  version: string;
  /** As the package states it (an SPDX expression), or null when it states none. */
  licence: string | null;
}

/** A package whose licence was read and judged by a person: `name@version` → what was found. */
export interface Reviewed {
  licence: string;
  reason: string;
}

interface Lock {
  packages: Record<string, { version?: string; license?: string; dev?: boolean; link?: boolean; name?: string }>;
}

/** The production dependencies of a lockfile (v2/v3): every installed package not marked dev, one line per version. */
export function productionDependencies(lock: Lock): Dependency[] {
  const found = new Map<string, Dependency>();
  for (const [where, p] of Object.entries(lock.packages)) {
    if (where === "" || p.dev || p.link || !p.version) continue;
    const name = p.name ?? where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length);
    found.set(`${name}@${p.version}`, { name, version: p.version, licence: p.license ?? null });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, undefined, { numeric: true }));
}

/**
 * Whether an SPDX expression allows use under AGPL-3.0-or-later: `A OR B` when either does, `A AND B` when both,
 * `A WITH exception` as `A`. Null when it cannot be read.
 */
export function isCompatible(expression: string): boolean | null {
  const tokens = expression.replace(/[()]/g, (p) => ` ${p} `).trim().split(/\s+/);
  let i = 0;
  const primary = (): boolean | null => {
    const t = tokens[i++];
    if (t === undefined) return null;
    if (t === "(") {
      const v = or();
      if (tokens[i++] !== ")") return null;
      return v;
    }
    if (tokens[i] === "WITH") i += 2;
    return COMPATIBLE.has(t.replace(/\+$/, ""));
  };
  const and = (): boolean | null => {
    let v = primary();
    while (tokens[i] === "AND") {
      i++;
      const w = primary();
      v = v === null || w === null ? null : v && w;
    }
    return v;
  };
  const or = (): boolean | null => {
    let v = and();
    while (tokens[i] === "OR") {
      i++;
      const w = and();
      v = v === null || w === null ? null : v || w;
    }
    return v;
  };
  const v = or();
  return i === tokens.length ? v : null;
}

export interface Verdict {
  dependency: Dependency;
  /** The licence the list shows: the package's, or the reviewed one. */
  licence: string;
  /** Why a reviewed one may be used; absent for a licence on the list. */
  reviewed?: string;
  /** What is wrong: no licence, one not known to be compatible, one known not to be. */
  problem?: string;
}

export function judge(deps: Dependency[], reviewed: Record<string, Reviewed>): Verdict[] {
  return deps.map((dependency) => {
    const review = reviewed[`${dependency.name}@${dependency.version}`];
    if (review) return { dependency, licence: review.licence, reviewed: review.reason };
    const licence = dependency.licence ?? "(none stated)";
    if (!dependency.licence) return { dependency, licence, problem: "states no licence: read it and review it in .ci/licences.json" };
    const ok = isCompatible(dependency.licence);
    if (ok === true) return { dependency, licence };
    return {
      dependency,
      licence,
      problem: ok === null ? `licence "${licence}" is unknown here: review it in .ci/licences.json` : `licence "${licence}" is not known to be compatible with AGPL-3.0-or-later`,
    };
  });
}

/** docs/licences.md. */
export function render(verdicts: Verdict[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v.licence, (counts.get(v.licence) ?? 0) + 1);
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "# Licences of the production dependencies",
    "",
    "Generated from `package-lock.json` by `npm run licences` (`.ci/licences.ts`); CI fails when it is not current, when a",
    "dependency states no licence, or when its licence is not known to be compatible with motcua's AGPL-3.0-or-later",
    "(a licence read and judged by a person is in `.ci/licences.json`, with the reason). Development tools are not listed:",
    "they are not part of the program that is run or distributed.",
    "",
    `${verdicts.length} packages: ${[...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l, n]) => `${l} ${n}`).join(", ")}.`,
    "",
    "| package | version | licence | note |",
    "|---|---|---|---|",
    ...verdicts.map((v) => `| ${cell(v.dependency.name)} | ${v.dependency.version} | ${cell(v.licence)} | ${v.reviewed ? cell(`reviewed: ${v.reviewed}`) : ""} |`),
    "",
  ].join("\n");
}

export function readReviewed(file = REVIEWED_FILE): Record<string, Reviewed> {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { reviewed?: Record<string, Reviewed> };
  for (const [key, r] of Object.entries(parsed.reviewed ?? {})) {
    if (!/^(@[^/]+\/)?[^@]+@\d[^@]*$/.test(key) || !r.licence || !r.reason) throw new Error(`${file}: "${key}" needs name@version, "licence" and "reason"`);
  }
  return parsed.reviewed ?? {};
}

/** The verdicts for this repository's lockfile. */
export function current(): Verdict[] {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lock;
  return judge(productionDependencies(lock), readReviewed());
}

function main(args: string[]): number {
  const verdicts = current();
  const text = render(verdicts);
  const problems = verdicts.filter((v) => v.problem).map((v) => `  ${v.dependency.name}@${v.dependency.version}: ${v.problem}`);
  for (const p of problems) process.stdout.write(`${p}\n`);
  if (args.includes("--check")) {
    const written = fs.existsSync(LIST_FILE) ? fs.readFileSync(LIST_FILE, "utf8") : "";
    if (written !== text) {
      process.stdout.write("docs/licences.md is not current: run `npm run licences` and commit it\n");
      return 1;
    }
    if (!problems.length) process.stdout.write(`licences: ${verdicts.length} production packages, each compatible with AGPL-3.0-or-later\n`);
    return problems.length ? 1 : 0;
  }
  fs.writeFileSync(LIST_FILE, text);
  process.stdout.write(`wrote docs/licences.md (${verdicts.length} packages)\n`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
