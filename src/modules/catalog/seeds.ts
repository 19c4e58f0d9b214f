import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { systemActor } from "../../platform/auth/actor.ts";
import type { Seed } from "../../platform/db/seeds.ts";
import type { ProcedureContent } from "./model.ts";
import type { CatalogService } from "./service.ts";

const DIR = fileURLToPath(new URL("../../../data/catalog/", import.meta.url));

/** The demo catalogue's procedures (`data/catalog/procedures*.json`), in file order. */
export function readDemoCatalog(dir = DIR): ProcedureContent[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^procedures.*\.json$/.test(f))
    .sort()
    .flatMap((f) => (JSON.parse(fs.readFileSync(`${dir}${f}`, "utf8")) as { procedures: ProcedureContent[] }).procedures);
}

/**
 * Loads and publishes the demo catalogue (illustrative content, see data/catalog/README.md). Publishing
 * runs every check an administrator's publication runs: a procedure that fails stops the seed.
 */
export function demoCatalogSeed(catalog: CatalogService): Seed {
  return {
    name: "catalog.demo-procedures",
    version: "1",
    demo: true,
    async run(tx) {
      const actor = systemActor("seed");
      for (const content of readDemoCatalog()) {
        await catalog.create(actor, content, {}, tx);
        await catalog.publish(actor, content.code, {}, tx);
      }
    },
  };
}
