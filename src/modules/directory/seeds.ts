import fs from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as CsvParse from "csv-parse/sync";
import { Type, Value } from "../../platform/typebox.ts";
import { systemActor } from "../../platform/auth/actor.ts";
import { lazy } from "../../platform/lazy.ts";
import type { Seed } from "../../platform/db/seeds.ts";
import { agencyLevel, isAgencyCode } from "./codes.ts";
import * as repo from "./repo.ts";
import { NewAgencyInput } from "./schema.ts";
import type { DirectoryService } from "./service.ts";

const DATA = fileURLToPath(new URL("../../../data/", import.meta.url));

/**
 * csv-parse's CommonJS build, required with the first file read: only the seeds read CSV, and its ten ES modules
 * cost every process that runs none (each test file loads its reference data from the template).
 */
const csvParse = lazy(() => createRequire(import.meta.url)("csv-parse/sync") as typeof CsvParse);

/** Reads a CSV file with a header row into records keyed by the header, checking the header. */
export function readCsv(file: string, columns: string[]): Record<string, string>[] {
  const records = csvParse().parse(fs.readFileSync(file, "utf8"), {
    bom: true,
    columns: (header: string[]) => {
      if (header.join(",") !== columns.join(",")) {
        throw new Error(`${file}: expected the columns ${columns.join(",")}, found ${header.join(",")}`);
      }
      return header;
    },
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return records;
}

/** The provinces and communes of `data/admin-units`, checked. */
export function readAdminUnits(dir = `${DATA}admin-units/`): { provinces: repo.ProvinceRow[]; communes: repo.CommuneRow[] } {
  const provinces = readCsv(`${dir}provinces.csv`, ["code", "name"]).map((r, i) => {
    if (!/^[0-9]{2}$/.test(r.code ?? "") || !r.name) throw new Error(`provinces.csv line ${i + 2}: bad row`);
    return { code: r.code!, name: r.name.normalize("NFC") };
  });
  const known = new Set(provinces.map((p) => p.code));
  const communes = readCsv(`${dir}communes.csv`, ["code", "name", "province_code"]).map((r, i) => {
    if (!/^[0-9]{5}$/.test(r.code ?? "") || !r.name || !known.has(r.province_code ?? "")) {
      throw new Error(`communes.csv line ${i + 2}: bad row`);
    }
    return { code: r.code!, name: r.name.normalize("NFC"), provinceCode: r.province_code! };
  });
  return { provinces, communes };
}

/** The 34 provinces and 3,321 communes in force since 1 July 2025 (Công văn 915 and 1027/CTK-CSCL). */
export function adminUnitsSeed(dir?: string): Seed {
  return {
    name: "directory.admin-units",
    version: "2025-07-01",
    async run(tx) {
      const { provinces, communes } = readAdminUnits(dir);
      await repo.upsertProvinces(tx, provinces);
      await repo.upsertCommunes(tx, communes);
    },
  };
}

const DemoFile = Type.Object({ about: Type.String(), agencies: Type.Array(NewAgencyInput) });

/** The demo agencies of `data/demo/agencies.json`, parents before children. */
export function readDemoAgencies(file = `${DATA}demo/agencies.json`): NewAgencyInput[] {
  const data: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Value.Check(DemoFile, data)) {
    const first = Value.Errors(DemoFile, data).First();
    throw new Error(`${file}: ${first?.path ?? ""} ${first?.message ?? "is not valid"}`);
  }
  const bad = data.agencies.find((a) => !isAgencyCode(a.code));
  if (bad) throw new Error(`${file}: ${bad.code} is not a QCVN 102 identifier`);
  return [...data.agencies].sort((a, b) => agencyLevel(a.code) - agencyLevel(b.code));
}

/** One province's People's Committee, its service centre, three departments and two communes (demo only). */
export function demoAgenciesSeed(directory: DirectoryService, file?: string): Seed {
  return {
    name: "directory.demo-agencies",
    version: "1",
    demo: true,
    async run(tx) {
      const actor = systemActor("seed");
      for (const agency of readDemoAgencies(file)) await directory.createAgency(actor, agency, tx);
    },
  };
}
