// The interagency module's statements (tables.ts).
import { and, count, desc, eq } from "../../platform/db/drizzle.ts";
import type { Db } from "../../platform/db/index.ts";
import { interagencyTransfers } from "./tables.ts";

export type TransferRow = typeof interagencyTransfers.$inferSelect;
export type NewTransfer = typeof interagencyTransfers.$inferInsert;

/** Inserts a passage; null when it is there already (a redelivery, a job run again). */
export async function insertTransfer(tx: Db, row: NewTransfer): Promise<TransferRow | null> {
  const rows = await tx.insert(interagencyTransfers).values(row).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

/** How many times the step of the origin dossier was sent: the next round is one more. */
export async function roundsSent(tx: Db, originCode: string, stepIndex: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(interagencyTransfers)
    .where(and(eq(interagencyTransfers.side, "out"), eq(interagencyTransfers.originCode, originCode), eq(interagencyTransfers.stepIndex, stepIndex)));
  return Number(row?.n ?? 0);
}

export async function findPassage(db: Db, side: "out" | "in", originCode: string, stepIndex: number, round: number): Promise<TransferRow | null> {
  const [row] = await db
    .select()
    .from(interagencyTransfers)
    .where(and(eq(interagencyTransfers.side, side), eq(interagencyTransfers.originCode, originCode), eq(interagencyTransfers.stepIndex, stepIndex), eq(interagencyTransfers.round, round)));
  return row ?? null;
}

/** The passage whose request is the exchange copy `copyId` (sent from here). */
export async function sentAs(db: Db, copyId: string): Promise<TransferRow | null> {
  const [row] = await db
    .select()
    .from(interagencyTransfers)
    .where(and(eq(interagencyTransfers.side, "out"), eq(interagencyTransfers.requestCopyId, copyId)));
  return row ?? null;
}

/** The passage a dossier taken in here came in by. */
export async function takenInBy(db: Db, dossierId: string): Promise<TransferRow | null> {
  const [row] = await db
    .select()
    .from(interagencyTransfers)
    .where(and(eq(interagencyTransfers.side, "in"), eq(interagencyTransfers.dossierId, dossierId)))
    .orderBy(desc(interagencyTransfers.createdAt))
    .limit(1);
  return row ?? null;
}

/** Moves a passage from `from` to `to`; false when it had moved already. */
export async function settleTransfer(tx: Db, id: string, from: string, to: string, at: Date): Promise<boolean> {
  const rows = await tx
    .update(interagencyTransfers)
    .set({ state: to, settledAt: at })
    .where(and(eq(interagencyTransfers.id, id), eq(interagencyTransfers.state, from)))
    .returning({ id: interagencyTransfers.id });
  return rows.length > 0;
}
