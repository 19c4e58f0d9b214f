// The reference data every deployment's database is given (the seeds that are not demo data), loaded into the
// test template once so a test file finds it loaded instead of spending a second on 3,321 communes.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Seed } from "../../src/platform/db/seeds.ts";
import { holidaysSeed, officeHoursSeed } from "../../src/modules/calendar/index.ts";
import { adminUnitsSeed } from "../../src/modules/directory/index.ts";
import { formulasSeed, monthlyRollupsSeed } from "../../src/modules/kpi/index.ts";

/**
 * The reference seeds, in the order the app runs them: the one list the tests keep. `test/template.test.ts`
 * fails when the app runs a non-demo seed that is not here.
 */
export function referenceSeeds(): Seed[] {
  return [adminUnitsSeed(), officeHoursSeed(), holidaysSeed(), formulasSeed(), monthlyRollupsSeed()];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * What the reference seeds' rows are made from: the files they read, the code that reads, computes and writes
 * them (the holidays of years not announced are computed by rule, with date-holidays), and that library's
 * version. A change of any of them costs one new template; a file moved or renamed fails every test file here.
 */
const SOURCES = [
  "data/admin-units",
  "data/holidays",
  "src/modules/directory/seeds.ts",
  "src/modules/directory/repo.ts",
  "src/modules/calendar/seeds.ts",
  "src/modules/calendar/holidays.ts",
  "src/modules/calendar/office-hours.ts",
  "src/modules/calendar/engine.ts",
  "src/modules/calendar/time.ts",
  "src/modules/calendar/repo.ts",
  "node_modules/date-holidays/package.json",
  "data/kpi",
  "src/modules/kpi/seeds.ts",
  "src/modules/kpi/formulas.ts",
  "src/modules/kpi/repo.ts",
];

function files(p: string): string[] {
  const full = path.join(ROOT, p);
  if (!fs.statSync(full).isDirectory()) return [p];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => files(path.join(p, name)));
}

/**
 * A digest of the reference seeds (names, versions) and of what their data is made from: a change of either
 * names a new test template, as `migrationsDigest` does for the schema.
 */
export function referenceDigest(): string {
  const h = createHash("sha256");
  for (const seed of referenceSeeds()) h.update(`seed ${seed.name} ${seed.version}\n`);
  for (const file of SOURCES.flatMap(files)) {
    h.update(`file ${file}\n`);
    h.update(fs.readFileSync(path.join(ROOT, file)));
  }
  return h.digest("hex").slice(0, 16);
}
