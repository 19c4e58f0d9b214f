// Checks every log line the suite wrote (test/run.mjs gives each test process MOTCUA_TEST_LOG_DIR, where the tests'
// logger writes at debug level: src/platform/log/testing.ts) for a secret or a demo person's data: the demo and test
// passwords, the demo CCCDs and phone numbers (the demo accounts, the demo catalogue's examples, the forms' examples,
// the factories' citizens) and any argon2 hash. Run by test/run.mjs after the suite:
//   node --import tsx test/check-logs.ts DIR     exits 1 naming each offending file:line
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RECEIPT } from "../src/modules/dossiers/forms/examples.ts";
import { readDemoAccounts } from "../src/modules/identity/seeds.ts";
import { TEST_PASSWORD } from "../src/modules/identity/testing.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface Needle {
  what: string;
  pattern: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A number standing alone (not inside a longer number, a hex string or a UUID's last group); after a JSON escape
// (`\n001…`) too.
const alone = (digits: string) => new RegExp(`(?:(?<![0-9A-Za-z-])|(?<=\\\\[nrt]))${digits}(?![0-9A-Za-z])`);

/** What no log line may contain. */
export function needles(): Needle[] {
  const demo = readDemoAccounts();
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, "data/catalog/procedures.json"), "utf8")) as unknown;
  const placeholders = new Set<string>();
  (function walk(v: unknown): void {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "placeholder" && typeof x === "string" && /^\d{10,12}$/.test(x)) placeholders.add(x);
        else walk(x);
      }
    }
  })(catalog);
  const numbers = new Set([
    ...demo.accounts.filter((a) => a.kind === "citizen").map((a) => a.username),
    ...placeholders,
    RECEIPT.applicant.idNumber,
    RECEIPT.applicant.phone,
  ]);
  return [
    { what: "the demo password", pattern: new RegExp(escape(demo.password)) },
    { what: "the test password", pattern: new RegExp(escape(TEST_PASSWORD)) },
    { what: "an argon2 hash", pattern: /\$argon2/ },
    ...[...numbers]
      .filter((n): n is string => Boolean(n))
      .map((n) => ({ what: `the demo number ${n.slice(0, 3)}…`, pattern: alone(escape(n)) })),
    // buildCitizen's CCCDs: province 001, sex digit, year 90, a serial.
    { what: "a test citizen's CCCD", pattern: alone("001[01]90\\d{6}") },
  ];
}

/** Each line of `text` that holds a needle, with the needle's name. */
export function findLeaks(text: string, list: Needle[] = needles()): Array<{ line: number; what: string }> {
  const found: Array<{ line: number; what: string }> = [];
  text.split("\n").forEach((line, i) => {
    for (const n of list) if (n.pattern.test(line)) found.push({ line: i + 1, what: n.what });
  });
  return found;
}

function main(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  const list = needles();
  let leaks = 0;
  let lines = 0;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".log"));
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    lines += text.split("\n").filter(Boolean).length;
    for (const leak of findLeaks(text, list)) {
      leaks++;
      if (leaks <= 50) console.error(`${path.join(dir, f)}:${leak.line}: ${leak.what}`);
    }
  }
  if (leaks) {
    console.error(`\nlog check: ${leaks} log line(s) hold a secret or a demo person's data (the files are kept in ${dir})`);
    return 1;
  }
  console.log(`log check: ${lines} log lines of ${files.length} test processes, none holds a secret or a demo person's data`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv[2] ?? "");
}
