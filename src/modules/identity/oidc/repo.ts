// SQL of the OIDC provider's storage and keys.
import { and, desc, eq, inArray, isNull, sql } from "../../../platform/db/drizzle.ts";
import type { Db } from "../../../platform/db/index.ts";
import { oidcKeys, oidcPayloads } from "./tables.ts";

export async function upsertPayload(
  db: Db,
  row: { model: string; id: string; payload: unknown; grantId: string | null; userCode: string | null; uid: string | null; expiresAt: Date | null },
): Promise<void> {
  await db
    .insert(oidcPayloads)
    .values(row)
    .onConflictDoUpdate({
      target: [oidcPayloads.model, oidcPayloads.id],
      set: { payload: row.payload, grantId: row.grantId, userCode: row.userCode, uid: row.uid, expiresAt: row.expiresAt },
    });
}

/** A live payload (not expired) by id, uid or user code; `consumed` tells whether it was consumed. */
export async function findPayload(
  db: Db,
  model: string,
  by: { id: string } | { uid: string } | { userCode: string },
  now: Date,
): Promise<{ payload: Record<string, unknown>; consumedAt: Date | null } | null> {
  const where =
    "id" in by ? eq(oidcPayloads.id, by.id) : "uid" in by ? eq(oidcPayloads.uid, by.uid) : eq(oidcPayloads.userCode, by.userCode);
  const rows = await db
    .select({ payload: oidcPayloads.payload, consumedAt: oidcPayloads.consumedAt })
    .from(oidcPayloads)
    .where(and(eq(oidcPayloads.model, model), where, sql`(${oidcPayloads.expiresAt} IS NULL OR ${oidcPayloads.expiresAt} > ${now.toISOString()}::timestamptz)`))
    .limit(1);
  const row = rows[0];
  return row ? { payload: row.payload as Record<string, unknown>, consumedAt: row.consumedAt } : null;
}

/** Marks a code or refresh token used; false when it was already (another request, on any node, used it first). */
export async function consumePayload(db: Db, model: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(oidcPayloads)
    .set({ consumedAt: now })
    .where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.id, id), isNull(oidcPayloads.consumedAt)))
    .returning({ id: oidcPayloads.id });
  return rows.length > 0;
}

export async function destroyPayload(db: Db, model: string, id: string): Promise<void> {
  await db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.id, id)));
}

/** Removes the instances of one model (tokens, codes) issued under a grant; other models keep theirs. */
export async function revokeGrant(db: Db, model: string, grantId: string): Promise<void> {
  await db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.grantId, grantId)));
}

export async function deleteExpired(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(oidcPayloads)
    .where(sql`${oidcPayloads.expiresAt} < ${now.toISOString()}::timestamptz`)
    .returning({ id: oidcPayloads.id });
  return rows.length;
}

/** The keys in use, newest first (the first signs). */
export async function activeKeys(db: Db): Promise<Array<{ kid: string; jwk: Record<string, unknown>; createdAt: Date }>> {
  const rows = await db
    .select({ kid: oidcKeys.kid, jwk: oidcKeys.jwk, createdAt: oidcKeys.createdAt })
    .from(oidcKeys)
    .where(isNull(oidcKeys.retiredAt))
    .orderBy(desc(oidcKeys.createdAt), desc(oidcKeys.kid));
  return rows.map((r) => ({ kid: r.kid, jwk: r.jwk as Record<string, unknown>, createdAt: r.createdAt }));
}

export async function insertKey(db: Db, kid: string, jwk: Record<string, unknown>, createdAt: Date): Promise<void> {
  await db.insert(oidcKeys).values({ kid, jwk, createdAt });
}

/** Retires the keys whose successor took over before `supersededBefore`; returns how many. */
export async function retireSupersededKeys(db: Db, supersededBefore: Date, now: Date): Promise<number> {
  const keys = await activeKeys(db);
  const old = keys.filter((_key, i) => i > 0 && keys[i - 1]!.createdAt < supersededBefore).map((k) => k.kid);
  if (old.length === 0) return 0;
  await db.update(oidcKeys).set({ retiredAt: now }).where(inArray(oidcKeys.kid, old));
  return old.length;
}
