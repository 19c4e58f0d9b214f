// How long a test file takes to be ready (issue 12, item 10): from its process's start to its first test's start
// — loading the program through tsx, the migrated PGlite template, the app and the file's `before` — the median of
// `--runs=N` (5) runs of each file given (default: a dossier scenario file), and the median CPU time the process had
// used by the end of its first test (all its threads: less stretched than the wall time on a busy machine, though
// it counts the first test too). Run on a quiet machine:
//   node --import tsx bench/test-ready.ts [--runs=5] [file.test.ts …]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const runs = Number(argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 5);
const files = argv.filter((a) => !a.startsWith("--"));
const reporter = fileURLToPath(new URL("./lib/ready-reporter.mjs", import.meta.url));
// The same flags as test/run.mjs gives a test process.
const flags = ["--import", new URL("../test/helpers/bundle.mjs", import.meta.url).href, "--liftoff-only", "--test-reporter", reporter];
for (const file of files.length ? files : ["src/modules/dossiers/lifecycle.test.ts"]) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [...flags, file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const m = /READY (\d+) CPU (\d+)/.exec(out);
    if (!m) throw new Error(`${file}: no test ran`);
    times.push(Number(m[1]));
    cpu.push(Number(m[2]));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(runs / 2)];
  console.log(`${file}: ready in ${median(times)} ms (median of ${runs}: ${times.join(", ")}); CPU ${median(cpu)} ms (${cpu.join(", ")})`);
}
