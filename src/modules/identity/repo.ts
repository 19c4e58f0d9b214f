// SQL of accounts, roles, sessions and sign-in throttling.
import { and, eq, gt, inArray, isNull, sql } from "../../platform/db/drizzle.ts";
import { type Db, execRows, prepared } from "../../platform/db/index.ts";
import { businessRepresentatives, emailTokens, federatedIdentities, sessions, signInThrottle, totpFactors, userRoles, users } from "./tables.ts";

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type SessionRow = typeof sessions.$inferSelect;

/** Inserts an account; null when the username is taken. */
export async function insertUser(tx: Db, user: NewUser): Promise<UserRow | null> {
  const rows = await tx.insert(users).values(user).onConflictDoNothing({ target: users.username }).returning();
  return rows[0] ?? null;
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | null> {
  const rows = await db.select().from(users).where(eq(users.username, username));
  return rows[0] ?? null;
}

export async function findUser(db: Db, id: string): Promise<UserRow | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const rows = await db.select().from(users).where(eq(users.id, id));
  return rows[0] ?? null;
}

/** An account's roles as one JSON array, in a select of `users`. */
const rolesOfRow = sql<Array<{ role: string; agencyCode: string }>>`coalesce((
  SELECT json_agg(json_build_object('role', r.role, 'agencyCode', r.agency_code) ORDER BY r.role, r.agency_code)
  FROM ${userRoles} r WHERE r.user_id = ${users.id}), '[]'::json)`;

const userWithRolesById = prepared("identity_user_with_roles", (db, name) =>
  db
    .select({
      user: users,
      roles: rolesOfRow,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare(name),
);

/**
 * An account with its roles in one prepared statement: read on every request that carries a token or a
 * session, to see a disabled account or a revoked role at once.
 */
export async function findUserWithRoles(db: Db, id: string): Promise<{ user: UserRow; roles: Array<{ role: string; agencyCode: string }> } | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const rows = await userWithRolesById(db).execute({ id });
  return rows[0] ?? null;
}

export async function addRole(tx: Db, userId: string, role: string, agencyCode: string): Promise<void> {
  await tx.insert(userRoles).values({ userId, role, agencyCode }).onConflictDoNothing();
}

export async function rolesOf(db: Db, userId: string): Promise<Array<{ role: string; agencyCode: string }>> {
  return db
    .select({ role: userRoles.role, agencyCode: userRoles.agencyCode })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(userRoles.role, userRoles.agencyCode);
}

export async function insertSession(tx: Db, row: typeof sessions.$inferInsert): Promise<void> {
  await tx.insert(sessions).values(row);
}

/** A live session (not revoked, not expired) and its account. */
export async function liveSession(db: Db, id: string, now: Date): Promise<{ session: SessionRow; user: UserRow } | null> {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return rows[0] ?? null;
}

export async function touchSession(db: Db, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
}

export async function revokeSession(tx: Db, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function revokeUserSessions(tx: Db, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function setUserStatus(tx: Db, userId: string, status: "active" | "disabled", now: Date): Promise<boolean> {
  const rows = await tx.update(users).set({ status, updatedAt: now }).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}

export interface ThrottleState {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

/** The throttle counters of `keys` (those that have failed), by key. */
export async function throttleStates(db: Db, keys: string[]): Promise<Map<string, ThrottleState>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select({ key: signInThrottle.key, failures: signInThrottle.failures, windowStart: signInThrottle.windowStart, lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, keys));
  return new Map(rows.map(({ key, ...state }) => [key, state]));
}

export async function throttleState(db: Db, key: string): Promise<ThrottleState | null> {
  return (await throttleStates(db, [key])).get(key) ?? null;
}

/**
 * Counts a failure for `key` in a window of `windowSeconds`; with a `limit`, at `limit` failures the key is locked
 * for `lockSeconds`. One statement, so concurrent failures on any node all count. Returns the state after.
 */
export async function recordFailure(
  tx: Db,
  key: string,
  now: Date,
  opts: { windowSeconds: number; limit?: number; lockSeconds?: number },
): Promise<ThrottleState> {
  const nowIso = now.toISOString();
  const rows = await execRows<{ failures: number; windowStart: string | Date; lockedUntil: string | Date | null }>(
    tx,
    sql`INSERT INTO sign_in_throttle AS t (key, failures, window_start) VALUES (${key}, 1, ${nowIso}::timestamptz)
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN t.window_start < ${nowIso}::timestamptz - make_interval(secs => ${opts.windowSeconds})
                          THEN 1 ELSE t.failures + 1 END,
          window_start = CASE WHEN t.window_start < ${nowIso}::timestamptz - make_interval(secs => ${opts.windowSeconds})
                          THEN ${nowIso}::timestamptz ELSE t.window_start END
        RETURNING failures, window_start AS "windowStart", locked_until AS "lockedUntil"`,
  );
  const row = rows[0]!;
  if (opts.limit !== undefined && row.failures >= opts.limit) {
    const lockedUntil = new Date(now.getTime() + (opts.lockSeconds ?? opts.windowSeconds) * 1000);
    await tx
      .update(signInThrottle)
      .set({ lockedUntil, failures: 0, windowStart: now })
      .where(eq(signInThrottle.key, key));
    return { failures: row.failures, windowStart: now, lockedUntil };
  }
  return { failures: row.failures, windowStart: new Date(row.windowStart), lockedUntil: row.lockedUntil ? new Date(row.lockedUntil) : null };
}

export async function clearFailures(tx: Db, key: string): Promise<void> {
  await tx.delete(signInThrottle).where(eq(signInThrottle.key, key));
}

/**
 * Forgets the counts whose window began before `before` and that lock nothing at `now` (their next failure would
 * start a new window anyway); returns how many. Without it every address that ever mistyped a password stays.
 */
export async function forgetSignInFailures(db: Db, before: Date, now: Date): Promise<number> {
  const rows = await execRows<{ n: number }>(
    db,
    sql`WITH gone AS (
          DELETE FROM ${signInThrottle}
           WHERE ${signInThrottle.windowStart} < ${before.toISOString()}::timestamptz
             AND (${signInThrottle.lockedUntil} IS NULL OR ${signInThrottle.lockedUntil} <= ${now.toISOString()}::timestamptz)
          RETURNING 1)
        SELECT count(*)::int AS n FROM gone`,
  );
  return rows[0]?.n ?? 0;
}

export async function setSessionMfa(db: Db, sessionId: string): Promise<void> {
  await db.update(sessions).set({ mfa: true }).where(eq(sessions.id, sessionId));
}

export type TotpRow = typeof totpFactors.$inferSelect;

export async function findTotp(db: Db, userId: string): Promise<TotpRow | null> {
  const rows = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId));
  return rows[0] ?? null;
}

/** Starts (or restarts) an enrolment: a new secret, not enabled until a code confirms it. */
export async function putPendingTotp(db: Db, userId: string, secretEnc: string): Promise<void> {
  await db
    .insert(totpFactors)
    .values({ userId, secretEnc })
    .onConflictDoUpdate({ target: totpFactors.userId, set: { secretEnc, enabledAt: null, lastStep: 0, recoveryCodes: [] }, where: isNull(totpFactors.enabledAt) });
}

export async function enableTotp(tx: Db, userId: string, now: Date, step: number, recoveryHashes: string[]): Promise<boolean> {
  const rows = await tx
    .update(totpFactors)
    .set({ enabledAt: now, lastStep: step, recoveryCodes: recoveryHashes })
    .where(and(eq(totpFactors.userId, userId), isNull(totpFactors.enabledAt)))
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

/** Records the time step of an accepted code; false when that step (or a later one) was used already. */
export async function useTotpStep(tx: Db, userId: string, step: number): Promise<boolean> {
  const rows = await tx
    .update(totpFactors)
    .set({ lastStep: step })
    .where(and(eq(totpFactors.userId, userId), sql`${totpFactors.lastStep} < ${step}`))
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

/** Consumes one recovery code (by digest); false when it is not (or no longer) there. */
export async function useRecoveryCode(tx: Db, userId: string, digest: string): Promise<boolean> {
  const rows = await tx
    .update(totpFactors)
    .set({ recoveryCodes: sql`array_remove(${totpFactors.recoveryCodes}, ${digest})` })
    .where(and(eq(totpFactors.userId, userId), sql`${digest} = ANY(${totpFactors.recoveryCodes})`))
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

export async function findFederated(db: Db, issuer: string, subject: string): Promise<string | null> {
  const rows = await db
    .select({ userId: federatedIdentities.userId })
    .from(federatedIdentities)
    .where(and(eq(federatedIdentities.issuer, issuer), eq(federatedIdentities.subject, subject)));
  return rows[0]?.userId ?? null;
}

export async function linkFederated(tx: Db, issuer: string, subject: string, userId: string): Promise<void> {
  await tx.insert(federatedIdentities).values({ issuer, subject, userId }).onConflictDoNothing();
}

export async function liveSessionsOf(db: Db, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(sql`${sessions.lastSeenAt} DESC`);
}

/** Revokes one of the user's own sessions; false when it is not theirs or already ended. */
export async function revokeOwnSession(tx: Db, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

export async function setPasswordHash(tx: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

/** Ends every session of the user but `keepId`. */
export async function revokeOtherSessions(tx: Db, userId: string, keepId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.id} <> ${keepId}`))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function replaceRoles(tx: Db, userId: string, grants: Array<{ role: string; agencyCode: string }>): Promise<void> {
  await tx.delete(userRoles).where(eq(userRoles.userId, userId));
  for (const g of grants) await addRole(tx, userId, g.role, g.agencyCode);
}

/** Officers and administrators of the given agencies, by username. */
export async function officersOf(db: Db, agencyCodes: string[], limit: number): Promise<UserRow[]> {
  if (!agencyCodes.length) return [];
  return db
    .select()
    .from(users)
    .where(and(sql`${users.kind} IN ('officer', 'admin')`, inArray(users.agencyCode, agencyCodes)))
    .orderBy(users.username)
    .limit(limit);
}

/**
 * Active officers whose home agency ends with `suffix` (an agency and its subtree, see `subtreeSuffix`) and who
 * hold one of `roles` granted at one of `grantedAt`, each with all its roles, in one query (by name).
 */
export async function officersHolding(
  db: Db,
  q: { suffix: string; roles: string[]; grantedAt: string[]; limit: number },
): Promise<Array<{ user: UserRow; roles: Array<{ role: string; agencyCode: string }> }>> {
  if (!q.roles.length || !q.grantedAt.length) return [];
  return db
    .select({ user: users, roles: rolesOfRow })
    .from(users)
    .where(
      and(
        sql`${users.kind} IN ('officer', 'admin')`,
        eq(users.status, "active"),
        sql`right(${users.agencyCode}, ${q.suffix.length}) = ${q.suffix}`,
        sql`EXISTS (SELECT 1 FROM ${userRoles} g WHERE g.user_id = ${users.id} AND g.role IN ${q.roles} AND g.agency_code IN ${q.grantedAt})`,
      ),
    )
    .orderBy(users.fullName, users.username)
    .limit(q.limit);
}

export async function insertEmailToken(tx: Db, row: typeof emailTokens.$inferInsert): Promise<void> {
  await tx.insert(emailTokens).values(row);
}

/** Uses a link once: returns its account when it is unused, unexpired and for `purpose`. */
export async function useEmailToken(tx: Db, id: string, purpose: string, now: Date): Promise<string | null> {
  const rows = await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.id, id), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ userId: emailTokens.userId });
  return rows[0]?.userId ?? null;
}

/** Whether a link is usable now (without using it): the reset page checks before showing its form. */
export async function emailTokenUsable(db: Db, id: string, purpose: string, now: Date): Promise<boolean> {
  const rows = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.id, id), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)));
  return rows.length > 0;
}

export async function markEmailVerified(tx: Db, userId: string, now: Date): Promise<void> {
  await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, userId));
}

export async function addRepresentative(tx: Db, businessId: string, citizenId: string): Promise<boolean> {
  const rows = await tx.insert(businessRepresentatives).values({ businessId, citizenId }).onConflictDoNothing().returning({ id: businessRepresentatives.citizenId });
  return rows.length > 0;
}

export async function representativesOf(db: Db, businessId: string): Promise<UserRow[]> {
  const rows = await db
    .select({ user: users })
    .from(businessRepresentatives)
    .innerJoin(users, eq(users.id, businessRepresentatives.citizenId))
    .where(eq(businessRepresentatives.businessId, businessId))
    .orderBy(users.username);
  return rows.map((r) => r.user);
}

/** The businesses a citizen represents. */
export async function businessesOf(db: Db, citizenId: string): Promise<UserRow[]> {
  const rows = await db
    .select({ user: users })
    .from(businessRepresentatives)
    .innerJoin(users, eq(users.id, businessRepresentatives.businessId))
    .where(eq(businessRepresentatives.citizenId, citizenId))
    .orderBy(users.username);
  return rows.map((r) => r.user);
}

export async function setDepartment(tx: Db, userId: string, departmentCode: string | null, now: Date): Promise<void> {
  await tx.update(users).set({ departmentCode, updatedAt: now }).where(eq(users.id, userId));
}

/** Sets a new address, not yet verified (or none). */
export async function setEmail(tx: Db, userId: string, email: string | null, now: Date): Promise<void> {
  await tx.update(users).set({ email, emailVerifiedAt: null, updatedAt: now }).where(eq(users.id, userId));
}

export async function setAddress(tx: Db, userId: string, address: string | null, now: Date): Promise<void> {
  await tx.update(users).set({ address, updatedAt: now }).where(eq(users.id, userId));
}

/** What an identity provider says of a person it signed in: their date of birth and where they live. */
export async function setProvidedFacts(tx: Db, userId: string, facts: { birthDate?: string; address?: string }, now: Date): Promise<void> {
  await tx.update(users).set({ ...facts, updatedAt: now }).where(eq(users.id, userId));
}

/** Links for `purpose` still unused that expire after `after` (that is, sent recently). */
export async function countEmailTokensExpiringAfter(db: Db, userId: string, purpose: string, after: Date): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), gt(emailTokens.expiresAt, after)));
  return rows[0]?.n ?? 0;
}

/** Every link of `purpose` of the user stops working (a newer address or password replaces them). */
export async function expireEmailTokens(tx: Db, userId: string, purpose: string, now: Date): Promise<void> {
  await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

/** Removes the second factor; false when there was none. */
export async function deleteTotp(tx: Db, userId: string): Promise<boolean> {
  const rows = await tx.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

/** Replaces the recovery codes of an enabled second factor. */
export async function replaceRecoveryCodes(tx: Db, userId: string, digests: string[]): Promise<boolean> {
  const rows = await tx
    .update(totpFactors)
    .set({ recoveryCodes: digests })
    .where(and(eq(totpFactors.userId, userId), sql`${totpFactors.enabledAt} IS NOT NULL`))
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}
