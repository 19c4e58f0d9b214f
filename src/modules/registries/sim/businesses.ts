// The simulated business register, made lazily like the population: business j is a function of (seed, j),
// found again from its tax code. Its legal representative is one of the simulated citizens (a household head).
import type { Address, Person, Population } from "./people.ts";
import type { Places } from "./places.ts";
import { draws, permutation } from "./random.ts";
import { BUSINESS_FORMS, BUSINESS_TRADES, BUSINESS_WORDS, VSIC_CODES } from "./names.ts";

export type BusinessStatus = "active" | "suspended" | "dissolved";

export interface Business {
  index: number;
  taxCode: string;
  name: string;
  address: Address;
  representative: Person;
  status: BusinessStatus;
  registeredOn: string;
  /** VSIC 2018 codes; the first is the main line of business. */
  industries: ReadonlyArray<readonly [string, string]>;
}

/** A business the simulator must know as given (the demo account). */
export interface FixedBusiness {
  taxCode: string;
  name: string;
}

/** Tax codes open with the issuing tax department's two digits (01 Hà Nội, 03 TP. Hồ Chí Minh…). */
const TAX_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ["01", "01"], ["03", "79"], ["02", "31"], ["04", "48"], ["23", "24"], ["28", "38"], ["29", "40"], ["37", "92"],
];
const SERIALS = 10_000_000;
const TRIES = 8;
const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The check digit of nine digits (DOMAIN.md §6), or null when no digit makes them a valid tax code. */
export function taxCheckDigit(nine: string): string | null {
  const sum = [...nine].reduce((s, c, i) => s + Number(c) * WEIGHTS[i]!, 0);
  const check = 10 - (sum % 11);
  return check === 10 ? null : String(check);
}

export interface Register {
  readonly size: number;
  business(index: number): Business;
  byTaxCode(taxCode: string): Business | null;
}

export function makeRegister(opts: { seed: number; size: number; population: Population; places: Places; fixed?: readonly FixedBusiness[] }): Register {
  const { seed, size, population, places } = opts;
  if (size * TRIES > SERIALS) throw new Error(`at most ${SERIALS / TRIES} businesses`);
  const serials = permutation(seed, "mst", SERIALS);
  const households = Math.floor(population.size / 4);

  const generated = (index: number, taxCode: string, d = draws(seed, "business", index)): Business => {
    const [, province] = d.pick(TAX_PREFIXES);
    const form = d.weighted(BUSINESS_FORMS.map(([f, w]) => [f, w] as const));
    const representative = households > 0 ? population.person(d.int(0, households - 1) * 4) : population.person(0);
    const main = d.pick(VSIC_CODES);
    const others = VSIC_CODES.filter((c) => c !== main && d.chance(0.12));
    const commune = d.pick(places.communesOf(province));
    return {
      index,
      taxCode,
      name: `${form} ${d.pick(BUSINESS_TRADES)} ${d.pick(BUSINESS_WORDS)}`,
      address: { detail: `Số ${d.int(1, 300)}, đường ${d.pick(BUSINESS_WORDS)}`, commune },
      representative,
      status: d.weighted([["active", 85], ["suspended", 8], ["dissolved", 7]] as const),
      registeredOn: `${d.int(2000, 2024)}-${String(d.int(1, 12)).padStart(2, "0")}-${String(d.int(1, 28)).padStart(2, "0")}`,
      industries: [main, ...others.slice(0, 2)],
    };
  };

  const taxCodeOf = (index: number): string => {
    const [prefix] = draws(seed, "business", index).pick(TAX_PREFIXES);
    for (let k = 0; k < TRIES; k++) {
      const nine = `${prefix}${String(serials.forward(index * TRIES + k)).padStart(7, "0")}`;
      const check = taxCheckDigit(nine);
      if (check !== null) return `${nine}${check}`;
    }
    throw new Error(`business ${index}: no valid tax code in ${TRIES} tries`);
  };

  const business = (index: number): Business => {
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`no business ${index}`);
    return generated(index, taxCodeOf(index));
  };

  const fixed = new Map<string, Business>();
  for (const [n, f] of (opts.fixed ?? []).entries()) {
    const b = generated(-1 - n, f.taxCode, draws(seed, "fixed-business", n));
    fixed.set(f.taxCode, { ...b, name: f.name, status: "active" });
  }

  const byTaxCode = (taxCode: string): Business | null => {
    if (!/^\d{10}$/.test(taxCode)) return null;
    const known = fixed.get(taxCode);
    if (known) return known;
    const index = Math.floor(serials.inverse(Number(taxCode.slice(2, 9))) / TRIES);
    if (index >= size) return null;
    const b = business(index);
    return b.taxCode === taxCode ? b : null;
  };

  return { size, business, byTaxCode };
}
