// `npm run audit`: the production dependencies' known vulnerabilities (`npm audit --omit=dev`). A high or critical
// finding fails, unless `.ci/audit-exceptions.json` explains it: the advisory, why it does not reach motcua or what
// is done about it, and a date by which it is reviewed again (past that date it fails again).
//
//   node --import tsx .ci/audit.ts                      ask the registry (exit 1 on a finding not explained)
//   node --import tsx .ci/audit.ts --input report.json  judge a saved `npm audit --json` report
//   --unreachable=warn                                  when the registry's audit service cannot be asked, say so
//                                                       loudly and pass (exit 3 without it)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const EXCEPTIONS_FILE = path.join(ROOT, ".ci", "audit-exceptions.json");

/** The severities that fail. */
const FAILING = ["high", "critical"];

/** One advisory affecting one installed package. */
export interface Finding {
  /** The GitHub advisory id (GHSA-…), else the registry's advisory number. */
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
}

/** An advisory known and explained. */
export interface AuditException {
  id: string;
  package?: string;
  reason: string;
  /** YYYY-MM-DD: after this day the exception no longer holds, and the finding fails until it is reviewed. */
  reviewBy: string;
}

/** What an `npm audit --json` report (report version 2, npm 7 and later) says. */
interface Report {
  vulnerabilities?: Record<string, { name: string; via: Array<string | { source: number; name: string; title: string; url: string; severity: string }> }>;
  error?: unknown;
  message?: string;
}

/** The advisories of a report, one per advisory and package (a package reached through others is listed once). */
export function findingsOf(report: Report): Finding[] {
  if (!report.vulnerabilities) throw new AuditUnavailable(report.message ?? JSON.stringify(report.error ?? report).slice(0, 300));
  const seen = new Map<string, Finding>();
  for (const v of Object.values(report.vulnerabilities)) {
    for (const via of v.via) {
      // A name is the package through which another one's advisory reaches this one: listed under that one.
      if (typeof via === "string") continue;
      const ghsa = /GHSA(-[0-9a-z]{4}){3}/i.exec(via.url)?.[0];
      const id = ghsa ?? String(via.source);
      seen.set(`${id} ${via.name}`, { id, package: via.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  return [...seen.values()].sort((a, b) => a.package.localeCompare(b.package) || a.id.localeCompare(b.id));
}

/** The registry's audit service could not be asked (no report). */
export class AuditUnavailable extends Error {
  override name = "AuditUnavailable";
}

export interface Judgement {
  /** High and critical findings not explained: each fails. */
  failing: Finding[];
  /** Explained findings, with the reason. */
  excepted: Array<Finding & { reason: string; reviewBy: string }>;
  /** Exceptions whose review date has passed, while their finding is still there: each fails. */
  expired: AuditException[];
  /** Exceptions no finding needs any more: remove them. */
  unused: AuditException[];
  /** Findings below high, for the record. */
  lower: Finding[];
}

/** Sorts the findings against the exceptions, as of `today` (YYYY-MM-DD). */
export function judge(findings: Finding[], exceptions: AuditException[], today: string): Judgement {
  const out: Judgement = { failing: [], excepted: [], expired: [], unused: [], lower: [] };
  const used = new Set<AuditException>();
  for (const f of findings) {
    if (!FAILING.includes(f.severity)) {
      out.lower.push(f);
      continue;
    }
    const e = exceptions.find((x) => x.id.toLowerCase() === f.id.toLowerCase() && (!x.package || x.package === f.package));
    if (!e) {
      out.failing.push(f);
      continue;
    }
    used.add(e);
    if (e.reviewBy < today) {
      if (!out.expired.includes(e)) out.expired.push(e);
      out.failing.push(f);
    } else {
      out.excepted.push({ ...f, reason: e.reason, reviewBy: e.reviewBy });
    }
  }
  out.unused = exceptions.filter((e) => !used.has(e));
  return out;
}

/** Reads and checks the exceptions file: every entry names its advisory, a reason and a review date. */
export function readExceptions(file = EXCEPTIONS_FILE): AuditException[] {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { exceptions?: unknown };
  if (!Array.isArray(parsed.exceptions)) throw new Error(`${file}: "exceptions" must be an array`);
  return parsed.exceptions.map((e: Partial<AuditException>, i: number) => {
    if (typeof e.id !== "string" || !e.id) throw new Error(`${file}: exception ${i} needs its advisory "id"`);
    if (typeof e.reason !== "string" || e.reason.trim().length < 10) throw new Error(`${file}: exception ${e.id} needs a "reason"`);
    if (typeof e.reviewBy !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(e.reviewBy)) throw new Error(`${file}: exception ${e.id} needs "reviewBy" as YYYY-MM-DD`);
    return { id: e.id, reason: e.reason, reviewBy: e.reviewBy, ...(e.package ? { package: e.package } : {}) };
  });
}

/** The report as text for the log. */
export function describe(j: Judgement): string {
  const line = (f: Finding) => `  ${f.severity.padEnd(8)} ${f.package}  ${f.id}  ${f.title}  ${f.url}`;
  const parts: string[] = [];
  if (j.failing.length) parts.push(`high or critical, not explained in .ci/audit-exceptions.json:\n${j.failing.map(line).join("\n")}`);
  for (const e of j.expired) parts.push(`exception ${e.id} was to be reviewed by ${e.reviewBy}: review it (and move the date) or fix the dependency`);
  if (j.excepted.length) parts.push(`explained:\n${j.excepted.map((f) => `${line(f)}\n           ${f.reason} (review by ${f.reviewBy})`).join("\n")}`);
  for (const e of j.unused) parts.push(`exception ${e.id} matches no finding any more: remove it`);
  if (j.lower.length) parts.push(`below high (not failing):\n${j.lower.map(line).join("\n")}`);
  if (!j.failing.length) parts.push("no high or critical finding unexplained in the production dependencies");
  return `${parts.join("\n")}\n`;
}

function runNpmAudit(): Report {
  // npm exits non-zero when it finds anything, and when it cannot ask: the report says which.
  const r = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new AuditUnavailable(`npm audit printed no report (exit ${r.status}): ${r.stderr.trim().slice(0, 300)}`);
  }
}

function main(args: string[]): number {
  const input = args.find((a) => a.startsWith("--input="))?.slice("--input=".length) ?? (args.includes("--input") ? args[args.indexOf("--input") + 1] : undefined);
  const warnIfUnreachable = args.includes("--unreachable=warn");
  let findings: Finding[];
  try {
    findings = findingsOf(input ? (JSON.parse(fs.readFileSync(input, "utf8")) as Report) : runNpmAudit());
  } catch (err) {
    if (!(err instanceof AuditUnavailable)) throw err;
    process.stdout.write(`!! the registry's audit service could not be asked: ${err.message}\n`);
    if (warnIfUnreachable) {
      process.stdout.write("!! NO VULNERABILITY AUDIT WAS MADE (--unreachable=warn): run `npm run audit` where the registry answers\n");
      return 0;
    }
    return 3;
  }
  const j = judge(findings, readExceptions(), new Date().toISOString().slice(0, 10));
  process.stdout.write(describe(j));
  return j.failing.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
