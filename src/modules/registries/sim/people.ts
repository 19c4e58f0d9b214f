// The simulated population, made lazily: person i is a function of (seed, i), found again from their CCCD
// without a table. People live in households of up to four (a couple and their children, or three
// generations); births and marriages of a household are its civil-status events.
import type { Commune, Places } from "./places.ts";
import { draws, permutation } from "./random.ts";
import { FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES } from "./names.ts";

export type Sex = "male" | "female";
export type Relation = "head" | "spouse" | "child" | "parent";
export type MaritalStatus = "single" | "married" | "divorced" | "widowed";

export interface Address {
  detail: string;
  commune: Commune;
}

export interface Person {
  index: number;
  cccd: string;
  fullName: string;
  birthDate: string;
  sex: Sex;
  permanent: Address;
  current: Address;
  maritalStatus: MaritalStatus;
  householdId: string;
  relation: Relation;
}

export interface CivilEvent {
  kind: "birth" | "marriage";
  registrationNumber: string;
  registeredOn: string;
  commune: Commune;
  /** Birth: child, father, mother; marriage: husband, wife. */
  people: Array<{ role: "child" | "father" | "mother" | "husband" | "wife"; cccd: string; fullName: string; birthDate: string }>;
}

/** A citizen the simulator must know as given (the demo accounts). */
export interface FixedCitizen {
  cccd: string;
  fullName: string;
  birthDate: string;
  sex: Sex;
}

const SLOTS = 4;
const SERIALS = 1_000_000;
/** The year the simulated world stands in: nobody is born after it. */
const LAST_YEAR = 2024;

interface Household {
  id: string;
  type: "family" | "three_generations";
  headSex: Sex;
  headYear: number;
  spouseYear: number;
  childYears: [number, number];
  parentYear: number;
  cccdProvince: string;
  permanent: Address;
  marriedYear: number;
}

export interface Population {
  readonly size: number;
  person(index: number): Person;
  /** The person with this CCCD, or null: none of the generated, nor a fixed one. */
  byCccd(cccd: string): Person | null;
  /** The members of a person's household, the head first. */
  household(person: Person): Person[];
  civilEvents(person: Person): CivilEvent[];
}

export function makePopulation(opts: { seed: number; size: number; places: Places; fixed?: readonly FixedCitizen[] }): Population {
  const { seed, size, places } = opts;
  if (size > SERIALS) throw new Error(`at most ${SERIALS} citizens`);
  const serials = permutation(seed, "cccd", SERIALS);
  const provinceWeights = places.cccdProvinces.map((code) => [code, code === "001" || code === "079" ? 12 : 1] as const);

  const address = (seedKey: string, index: number, commune: Commune): Address => {
    const d = draws(seed, seedKey, index);
    const detail = commune.name.startsWith("Phường") ? `Số ${d.int(1, 199)}, ngõ ${d.int(1, 99)}, tổ ${d.int(1, 30)}` : `Thôn ${d.int(1, 15)}`;
    return { detail, commune };
  };

  const household = (block: number): Household => {
    const d = draws(seed, "household", block);
    const type = d.chance(0.75) ? "family" : "three_generations";
    const headYear = d.int(1955, 1988);
    const spouseYear = Math.min(LAST_YEAR - 18, headYear + d.int(-5, 5));
    const first = Math.min(LAST_YEAR, Math.max(headYear, spouseYear) + d.int(22, 34));
    const childYears: [number, number] = [first, Math.min(LAST_YEAR, first + d.int(1, 8))];
    const cccdProvince = d.weighted(provinceWeights);
    const newProvince = places.newProvinceOf(cccdProvince);
    const commune = d.pick(places.communesOf(newProvince));
    return {
      id: `HGD${String(block).padStart(7, "0")}`,
      type,
      headSex: d.chance(0.8) ? "male" : "female",
      headYear,
      spouseYear,
      childYears,
      parentYear: Math.max(1925, headYear - d.int(20, 32)),
      cccdProvince,
      permanent: address("home", block, commune),
      marriedYear: Math.max(headYear, spouseYear) + d.int(20, Math.max(20, first - Math.max(headYear, spouseYear))),
    };
  };

  const generated = (index: number): Person => {
    const block = Math.floor(index / SLOTS);
    const slot = index % SLOTS;
    const h = household(block);
    const d = draws(seed, "person", index);
    const other = h.headSex === "male" ? "female" : "male";
    const relation: Relation = slot === 0 ? "head" : slot === 1 ? "spouse" : slot === 3 && h.type === "three_generations" ? "parent" : "child";
    const sex: Sex = relation === "head" ? h.headSex : relation === "spouse" ? other : d.chance(0.5) ? "male" : "female";
    const year = relation === "head" ? h.headYear : relation === "spouse" ? h.spouseYear : relation === "parent" ? h.parentYear : h.childYears[slot - 2]!;
    // Children carry their father's family name; a wife keeps her own.
    const fatherIndex = block * SLOTS + (h.headSex === "male" ? 0 : 1);
    const familyName =
      relation === "child" ? familyNameOf(seed, fatherIndex) : relation === "parent" ? familyNameOf(seed, block * SLOTS) : familyNameOf(seed, index);
    const fullName = `${familyName} ${d.pick(MIDDLE_NAMES[sex])} ${d.pick(GIVEN_NAMES[sex])}`;
    const birthDate = `${year}-${pad(d.int(1, 12))}-${pad(d.int(1, 28))}`;
    const born = relation === "child" ? d.pick(places.cccdProvincesOf(h.permanent.commune.provinceCode)) : relation === "head" ? h.cccdProvince : d.weighted(provinceWeights);
    const centurySex = (year >= 2000 ? 2 : 0) + (sex === "female" ? 1 : 0);
    const cccd = `${born}${centurySex}${String(year % 100).padStart(2, "0")}${String(serials.forward(index)).padStart(6, "0")}`;
    const movedAway = LAST_YEAR - year >= 18 && d.chance(0.15);
    const current = movedAway ? address("away", index, d.pick(places.communesOf(d.chance(0.5) ? "01" : "79"))) : h.permanent;
    const maritalStatus: MaritalStatus = relation === "head" || relation === "spouse" ? "married" : relation === "parent" ? "widowed" : "single";
    return { index, cccd, fullName, birthDate, sex, permanent: h.permanent, current, maritalStatus, householdId: h.id, relation };
  };

  const fixed = new Map<string, Person>();
  for (const [n, f] of (opts.fixed ?? []).entries()) {
    const commune = draws(seed, "fixed", n).pick(places.communesOf(places.newProvinceOf(f.cccd.slice(0, 3))));
    const home = address("fixed-home", n, commune);
    const householdId = `HGD-DEMO-${n + 1}`;
    fixed.set(f.cccd, { index: -1 - n, ...f, permanent: home, current: home, maritalStatus: "single", householdId, relation: "head" });
  }

  const person = (index: number): Person => {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`no citizen ${index}`);
    return generated(index);
  };

  const byCccd = (cccd: string): Person | null => {
    if (!/^\d{12}$/.test(cccd)) return null;
    const known = fixed.get(cccd);
    if (known) return known;
    const index = serials.inverse(Number(cccd.slice(6)));
    if (index >= size) return null;
    const p = generated(index);
    return p.cccd === cccd ? p : null;
  };

  const householdOf = (p: Person): Person[] => {
    if (p.index < 0) return [p];
    const start = Math.floor(p.index / SLOTS) * SLOTS;
    const members: Person[] = [];
    for (let i = start; i < Math.min(start + SLOTS, size); i++) members.push(generated(i));
    return members;
  };

  const civilEvents = (p: Person): CivilEvent[] => {
    if (p.index < 0) return [];
    const block = Math.floor(p.index / SLOTS);
    const h = household(block);
    const members = householdOf(p);
    const head = members.find((m) => m.relation === "head");
    const spouse = members.find((m) => m.relation === "spouse");
    const husband = [head, spouse].find((m) => m?.sex === "male");
    const wife = [head, spouse].find((m) => m?.sex === "female");
    const events: CivilEvent[] = [];
    const who = (role: CivilEvent["people"][number]["role"], m: Person) => ({ role, cccd: m.cccd, fullName: m.fullName, birthDate: m.birthDate });
    if (husband && wife && (p.relation === "head" || p.relation === "spouse")) {
      const d = draws(seed, "marriage", block);
      events.push({
        kind: "marriage",
        registrationNumber: `${d.int(1, 350)}/${h.marriedYear}`,
        registeredOn: `${h.marriedYear}-${pad(d.int(1, 12))}-${pad(d.int(1, 28))}`,
        commune: h.permanent.commune,
        people: [who("husband", husband), who("wife", wife)],
      });
    }
    for (const child of members.filter((m) => m.relation === "child")) {
      if (p.relation === "parent" || (p.relation === "child" && p.index !== child.index)) continue;
      const d = draws(seed, "birth", child.index);
      const registeredOn = addDays(child.birthDate, d.int(3, 55));
      events.push({
        kind: "birth",
        registrationNumber: `${d.int(1, 900)}/${registeredOn.slice(0, 4)}`,
        registeredOn,
        commune: h.permanent.commune,
        people: [who("child", child), ...(husband ? [who("father", husband)] : []), ...(wife ? [who("mother", wife)] : [])],
      });
    }
    return events;
  };

  return { size, person, byCccd, household: householdOf, civilEvents };
}

function familyNameOf(seed: number, index: number): string {
  return draws(seed, "family-name", index).weighted(FAMILY_NAMES);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
