import fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { Seed } from "../../platform/db/seeds.ts";
import { type FormulaVersion, formulaProblems } from "./formulas.ts";
import * as repo from "./repo.ts";

const FILE = fileURLToPath(new URL("../../../data/kpi/index766-formulas.json", import.meta.url));

/** The shipped formula versions (data/kpi/index766-formulas.json), each checked as `addFormulaVersion` checks one. */
export function shippedFormulas(file = FILE): FormulaVersion[] {
  const { versions } = JSON.parse(fs.readFileSync(file, "utf8")) as { versions: unknown[] };
  return versions.map((v, i) => {
    const problems = formulaProblems(v);
    if (problems.length) throw new Error(`${file}: version ${i}: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
    return v as FormulaVersion;
  });
}

/** Loads the shipped versions; one already there (by name or first day) is kept as it is. */
export function formulasSeed(): Seed {
  return {
    name: "kpi.index766-formulas",
    version: "1",
    async run(tx) {
      for (const { version, validFrom, ...body } of shippedFormulas()) {
        await repo.insertFormulaVersion(tx, { version, validFrom, body, addedBy: "seed:kpi", addedAt: new Date(`${validFrom}T00:00:00+07:00`) });
      }
    },
  };
}

/**
 * The monthly rollups (migration 0034) made from the daily ones, once per deployment at its start: a deployment
 * that had daily rows before then gets its monthly ones without anyone running `motcua kpi rebuild` (a fresh one
 * makes none). Safe with several nodes starting together: the seed's record lets one run it, under the fold's lock.
 */
export function monthlyRollupsSeed(): Seed {
  return {
    name: "kpi.monthly-rollups",
    version: "1",
    async run(tx) {
      await repo.remakeMonthly(tx);
    },
  };
}
