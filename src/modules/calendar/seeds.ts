import type { Seed } from "../../platform/db/seeds.ts";
import { readAnnounced, seedYear } from "./holidays.ts";
import { defaultSpec } from "./office-hours.ts";
import * as repo from "./repo.ts";

export const SEED_FIRST_YEAR = 2024;
export const SEED_LAST_YEAR = 2032;

/**
 * The days off and make-up days of 2024–2032: announced years as announced, the others by rule
 * (`holidays.ts`). Dates already in the calendar, also ones an administrator removed, are left alone.
 */
export function holidaysSeed(first = SEED_FIRST_YEAR, last = SEED_LAST_YEAR): Seed {
  return {
    name: "calendar.holidays-vn",
    version: `${first}-${last}.1`,
    async run(tx) {
      const announced = readAnnounced();
      for (let year = first; year <= last; year++) {
        await repo.insertSeedDays(
          tx,
          seedYear(year, announced).map((d) => ({ ...d, source: "seed" })),
        );
      }
    },
  };
}

/** The default office hours of DOMAIN.md §4, so that an administrator sees and edits them. */
export function officeHoursSeed(): Seed {
  return {
    name: "calendar.office-hours",
    version: "1",
    async run(tx) {
      const spec = defaultSpec();
      await repo.insertOfficeHours(tx, {
        agencyCode: null,
        validFrom: spec.validFrom,
        week: spec.week,
        makeUpDay: spec.makeUpDay,
        dayMinutes: spec.dayMinutes,
        receiptCutoff: spec.receiptCutoff,
        basis: spec.basis,
      });
    },
  };
}
