// The Resolution 17/NQ-CP targets, as data (data/kpi/targets.json): editions in force from a day, each a target
// ratio per indicator of the summary.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Type, Value } from "../../platform/typebox.ts";

const TargetsFile = Type.Object({
  source: Type.String(),
  editions: Type.Array(
    Type.Object({
      validFrom: Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }),
      label: Type.String(),
      targets: Type.Record(Type.String(), Type.Number({ minimum: 0, maximum: 1 })),
    }),
  ),
});

export interface Targets {
  source: string;
  /** The edition in force on a day, or null before the first. */
  editionFor(day: string): { label: string; targets: Record<string, number> } | null;
}

const FILE = fileURLToPath(new URL("../../../data/kpi/targets.json", import.meta.url));

/** Reads the targets' file (checked against its schema). */
export function readTargets(file = FILE): Targets {
  const data: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Value.Check(TargetsFile, data)) throw new Error(`${file}: ${Value.Errors(TargetsFile, data).First()?.message ?? "invalid"}`);
  const editions = [...data.editions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  return { source: data.source, editionFor: (day) => editions.filter((e) => e.validFrom <= day).at(-1) ?? null };
}
