import { and, asc, eq, isNull, sql } from "../../../platform/db/drizzle.ts";
import type { Db } from "../../../platform/db/index.ts";
import { exchangeAgencyKeys, exchangeSigningCa, exchangeTrustedCertificates } from "./tables.ts";

export type CaRow = typeof exchangeSigningCa.$inferSelect;
export type KeyRow = typeof exchangeAgencyKeys.$inferSelect;
export type NewKeyRow = Omit<typeof exchangeAgencyKeys.$inferInsert, "id" | "createdAt" | "retiredAt" | "state">;
export type TrustedRow = typeof exchangeTrustedCertificates.$inferSelect;
export type NewTrustedRow = Omit<typeof exchangeTrustedCertificates.$inferInsert, "id" | "createdAt" | "revokedAt">;

const DEV_CA = "dev";

export async function findCa(db: Db): Promise<CaRow | null> {
  const rows = await db.select().from(exchangeSigningCa).where(eq(exchangeSigningCa.id, DEV_CA));
  return rows[0] ?? null;
}

/** Inserts the development CA unless another node made it first; returns the one in place. */
export async function insertCa(tx: Db, row: Omit<CaRow, "id" | "createdAt">): Promise<{ row: CaRow; created: boolean }> {
  const inserted = await tx.insert(exchangeSigningCa).values({ ...row, id: DEV_CA }).onConflictDoNothing().returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  return { row: (await findCa(tx))!, created: false };
}

export function keysOf(db: Db, agencyCode: string): Promise<KeyRow[]> {
  return db.select().from(exchangeAgencyKeys).where(eq(exchangeAgencyKeys.agencyCode, agencyCode)).orderBy(asc(exchangeAgencyKeys.id));
}

export async function activeKey(db: Db, agencyCode: string, lock = false): Promise<KeyRow | null> {
  const q = db
    .select()
    .from(exchangeAgencyKeys)
    .where(and(eq(exchangeAgencyKeys.agencyCode, agencyCode), eq(exchangeAgencyKeys.state, "active")));
  const rows = lock ? await q.for("update") : await q;
  return rows[0] ?? null;
}

/**
 * Whether an agency signs on another node: a certificate is registered for it (not revoked) and this node holds no
 * active key of its own for it (routing through a hub, support.ts `routeOf`).
 */
export async function signsElsewhere(db: Db, agencyCode: string): Promise<boolean> {
  const rows = await db
    .select({ id: exchangeTrustedCertificates.id })
    .from(exchangeTrustedCertificates)
    .where(
      and(
        eq(exchangeTrustedCertificates.agencyCode, agencyCode),
        isNull(exchangeTrustedCertificates.revokedAt),
        sql`NOT EXISTS (SELECT 1 FROM ${exchangeAgencyKeys} k WHERE k.agency_code = ${agencyCode} AND k.state = 'active')`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function findKeyByFingerprint(db: Db, fingerprint: string): Promise<KeyRow | null> {
  const rows = await db.select().from(exchangeAgencyKeys).where(eq(exchangeAgencyKeys.fingerprint, fingerprint));
  return rows[0] ?? null;
}

export async function retireKey(tx: Db, id: number, at: Date): Promise<void> {
  await tx.update(exchangeAgencyKeys).set({ state: "retired", retiredAt: at }).where(eq(exchangeAgencyKeys.id, id));
}

export async function insertKey(tx: Db, row: NewKeyRow): Promise<KeyRow> {
  const rows = await tx
    .insert(exchangeAgencyKeys)
    .values({ ...row, state: "active" })
    .returning();
  return rows[0]!;
}

/** The certificates registered for an agency (all agencies when null), the revoked ones too when asked. */
export function trustedOf(db: Db, agencyCode: string | null, withRevoked = false): Promise<TrustedRow[]> {
  const conditions = [
    ...(agencyCode === null ? [] : [eq(exchangeTrustedCertificates.agencyCode, agencyCode)]),
    ...(withRevoked ? [] : [isNull(exchangeTrustedCertificates.revokedAt)]),
  ];
  return db
    .select()
    .from(exchangeTrustedCertificates)
    .where(and(...conditions))
    .orderBy(asc(exchangeTrustedCertificates.agencyCode), asc(exchangeTrustedCertificates.id));
}

/** Registers a certificate for an agency; one registered already (also revoked) is registered again. */
export async function upsertTrusted(tx: Db, row: NewTrustedRow): Promise<TrustedRow> {
  const rows = await tx
    .insert(exchangeTrustedCertificates)
    .values(row)
    .onConflictDoUpdate({
      target: [exchangeTrustedCertificates.agencyCode, exchangeTrustedCertificates.fingerprint],
      set: { revokedAt: null },
    })
    .returning();
  return rows[0]!;
}

export async function revokeTrusted(tx: Db, id: number, at: Date): Promise<TrustedRow | null> {
  const rows = await tx
    .update(exchangeTrustedCertificates)
    .set({ revokedAt: at })
    .where(and(eq(exchangeTrustedCertificates.id, id), isNull(exchangeTrustedCertificates.revokedAt)))
    .returning();
  return rows[0] ?? null;
}
