// The places the simulated people live in: the 34 provinces and 3,321 communes of data/admin-units (2025 codes),
// and which new province each of the 63 old ones (the first digits of a CCCD) became part of.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { readAdminUnits } from "../../directory/index.ts";
import { CCCD_PROVINCES } from "../../identity/index.ts";

const MERGES = fileURLToPath(new URL("../../../../data/admin-units/merges-2025.json", import.meta.url));

export interface Commune {
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string;
}

export interface Places {
  /** The old province codes that open a CCCD (`001`…`096`). */
  cccdProvinces: readonly string[];
  /** The new (2025) province a CCCD's old province is now part of. */
  newProvinceOf(cccdProvince: string): string;
  /** The CCCD province codes of the old provinces a new province was made of. */
  cccdProvincesOf(newProvince: string): readonly string[];
  communesOf(newProvince: string): readonly Commune[];
  commune(code: string): Commune | undefined;
}

export function loadPlaces(): Places {
  const { provinces, communes } = readAdminUnits();
  const provinceName = new Map(provinces.map((p) => [p.code, p.name]));
  const byProvince = new Map<string, Commune[]>();
  const byCode = new Map<string, Commune>();
  for (const c of communes) {
    const commune = { code: c.code, name: c.name, provinceCode: c.provinceCode, provinceName: provinceName.get(c.provinceCode)! };
    byCode.set(c.code, commune);
    const list = byProvince.get(c.provinceCode) ?? [];
    list.push(commune);
    byProvince.set(c.provinceCode, list);
  }
  const merges = JSON.parse(fs.readFileSync(MERGES, "utf8")) as Array<{ code: string; merged_from: Array<{ old_code: string }> }>;
  const toNew = new Map<string, string>();
  const toOld = new Map<string, string[]>();
  for (const p of merges) {
    for (const old of p.merged_from) {
      const cccd = `0${old.old_code}`;
      if (!CCCD_PROVINCES[cccd]) continue;
      toNew.set(cccd, p.code);
      toOld.set(p.code, [...(toOld.get(p.code) ?? []), cccd]);
    }
  }
  const cccdProvinces = Object.keys(CCCD_PROVINCES).filter((code) => toNew.has(code));
  return {
    cccdProvinces,
    newProvinceOf: (code) => toNew.get(code)!,
    cccdProvincesOf: (code) => toOld.get(code) ?? [],
    communesOf: (code) => byProvince.get(code) ?? [],
    commune: (code) => byCode.get(code),
  };
}
