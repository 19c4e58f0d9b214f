// Factories for the listeners' tests (not used by the running program): dossier rows and the
// "dossiers.transition" events the dossier service publishes, built directly.
import type { Actor } from "../../platform/auth/actor.ts";
import type { Db } from "../../platform/db/index.ts";
import type { EventListener } from "../../platform/events.ts";
import type { DossierTransition } from "./events.ts";
import type { DossierRow } from "./hooks.ts";
import { type DossierStatus, NATIONAL_STATUS } from "./model.ts";
import { newDossierRow } from "./repo.ts";
import { dossiers } from "./tables.ts";
import { factsOf } from "./transitions.ts";

let seq = 0;

/** A received dossier of a citizen, filed online; every field can be overridden. */
export function buildDossier(overrides: Partial<DossierRow> = {}): DossierRow {
  seq++;
  const at = new Date("2026-03-02T02:00:00Z");
  return {
    ...newDossierRow({
      procedureCode: "1.001193",
      procedureVersion: 1,
      agencyCode: "000.00.11.H06",
      provinceCode: "06",
      processingAgencyCode: "000.00.11.H06",
      channel: "online",
      status: "processing",
      nationalStatus: 4,
      applicant: {
        type: "citizen",
        name: "Nguyễn Thị Mai",
        idNumber: "001199000001",
        phone: "0912345678",
        email: "mai.nguyen@example.vn",
        address: "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
      },
      ownerUserId: null,
      formData: {},
      createdBy: "user:test",
      requestId: null,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
    }),
    code: `000.00.11.H06-260302-${String(seq).padStart(4, "0")}`,
    lookupKey: `K${seq}X7Q2`,
    receivedAt: new Date("2026-03-02T03:15:00Z"),
    dueAt: new Date("2026-03-06T09:30:00Z"),
    originalDueAt: new Date("2026-03-06T09:30:00Z"),
    stepIndex: 0,
    stepDueAt: new Date("2026-03-03T09:30:00Z"),
    ...overrides,
  };
}

/** Writes the row, for listeners that read the dossier's other tables (files, pauses). */
export async function insertDossier(tx: Db, row: DossierRow): Promise<void> {
  await tx.insert(dossiers).values(row);
}

export const officerActor: Extract<Actor, { type: "user" }> = {
  type: "user",
  userId: "officer-1",
  username: "chuyenvien.tuphap",
  fullName: "Trần Văn Chuyên",
  email: null,
  roles: [{ role: "specialist", agencyCode: "000.00.11.H06" }],
  agencyCode: "000.00.11.H06",
  loa: 0,
};

export const step = (index: number, name: string, dueAt = new Date("2026-03-04T09:30:00Z"), assigneeUserId: string | null = null) => ({
  index,
  key: `s${index}`,
  name,
  agencyCode: "000.00.11.H06",
  department: "hanh-chinh-tu-phap",
  assigneeUserId,
  dueAt,
});

/** A change as a test plays it: the dossier's row as the change left it, and the event published. */
export interface PlayedChange {
  row: DossierRow;
  event: DossierTransition;
}

/** The event of a change that took `dossier` (already in its new state) from `fromStatus`. */
export function buildEvent(dossier: DossierRow, e: Partial<DossierTransition> & Pick<DossierTransition, "action">): PlayedChange {
  const fromStatus = e.fromStatus === undefined ? "processing" : e.fromStatus;
  const event: DossierTransition = {
    dossier: factsOf(dossier),
    toStatus: dossier.status as DossierStatus,
    fromStatus,
    fromNationalStatus: fromStatus === null ? null : NATIONAL_STATUS[fromStatus],
    nationalStatus: e.action === "received" ? 2 : NATIONAL_STATUS[dossier.status as DossierStatus],
    at: new Date("2026-03-02T04:00:00Z"),
    actor: officerActor,
    actorName: "Lê Thị Chuyên",
    step: null,
    endedStep: null,
    note: null,
    details: null,
    ...e,
  };
  return { row: dossier, event };
}

/** Writes the row as the change left it (a listener reads the dossier in the change's transaction). */
export async function putDossier(tx: Db, row: DossierRow): Promise<void> {
  await tx.insert(dossiers).values(row).onConflictDoUpdate({ target: dossiers.id, set: row });
}

/** Plays changes to a listener, each one's row written first, in the caller's transaction. */
export async function play(tx: Db, listener: EventListener<"dossiers.transition">, ...changes: PlayedChange[]): Promise<void> {
  for (const c of changes) {
    await putDossier(tx, c.row);
    await listener(tx, c.event);
  }
}
