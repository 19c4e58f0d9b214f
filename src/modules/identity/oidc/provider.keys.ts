// The provider's signing keys: made, rotated and retired; the provider rebuilt when the set changes (here or on
// another node); the published keys with the tokens already verified against them.
import type { createLocalJWKSet, JWK, JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
import type Provider from "oidc-provider";
import type { Clock } from "../../../platform/clock.ts";
import type { Database } from "../../../platform/db/index.ts";
import { lazy } from "../../../platform/lazy.ts";
import type { Signals } from "../../../platform/signals.ts";
import * as repo from "./repo.ts";

/** jose (~45 ES modules), loaded with the first key made or token checked: most test files check none. */
export const jose = lazy(() => import("jose"));

/** The longest a JWT signed with our keys lives: `motcua token` up to 30 days (ID tokens live an hour). */
export const MAX_JWT_TTL_SECONDS = 30 * 86400;
/** A superseded signing key stays published this long after its successor took over. */
export const KEY_RETENTION_SECONDS = MAX_JWT_TTL_SECONDS + 3600;
/**
 * How often a node looks for keys another node added, should it have missed that node's signal (a rotation is
 * signalled, and every node takes it up at once).
 */
const KEY_RECHECK_MS = 30_000;

/** The provider's keys as the Oidc service offers them. */
export interface OidcKeys {
  /**
   * Adds a new signing key, which signs from now on; superseded keys stay published (tokens they signed
   * still verify) until KEY_RETENTION_SECONDS after their successor took over, then they are retired.
   */
  rotateKeys(): Promise<string>;
  /** Daily: removes expired provider records (codes, tokens, sessions, interactions), retires old keys. */
  housekeeping(): Promise<{ expired: number; retired: number }>;
}

/** The published keys, and the tokens already verified against them. */
export interface PublishedKeys {
  at: number;
  jwks: ReturnType<typeof createLocalJWKSet>;
  verified: LRUCache<string, JWTPayload>;
}

/** The keys of one provider: made once per provider, its state shared by the tokens (provider.tokens.ts). */
export interface KeyRing extends OidcKeys {
  /** The provider on the live signing keys (the first one is made when there is none). */
  provider(): Promise<Provider>;
  /** The live signing keys, newest first, without building the provider (the first one is made when there is none). */
  signingKeys(): Promise<Awaited<ReturnType<typeof repo.activeKeys>>>;
  /** The published keys, re-read at most every KEY_RECHECK_MS. */
  currentKeys(): Promise<PublishedKeys>;
}

async function newSigningKey(database: Database, now: Date): Promise<string> {
  const { calculateJwkThumbprint, exportJWK, generateKeyPair } = await jose();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  await repo.insertKey(database.db, kid, { ...jwk, kid, alg: "RS256", use: "sig" }, now);
  return kid;
}

export function makeKeyRing(
  { database, clock, signals }: { database: Database; clock: Clock; signals: Signals },
  build: (keys: Array<{ jwk: Record<string, unknown> }>) => Promise<Provider>,
): KeyRing {
  /** The provider, built on the signing keys `kids`; re-checked against the database every KEY_RECHECK_MS. */
  let state: { provider: Provider; kids: string; checkedAt: number } | null = null;
  let refreshing: Promise<Provider> | null = null;

  async function signingKeys() {
    const keys = await repo.activeKeys(database.db);
    if (keys.length > 0) return keys;
    await newSigningKey(database, clock.now());
    return repo.activeKeys(database.db);
  }

  async function refresh(): Promise<Provider> {
    const keys = await signingKeys();
    const kids = keys.map((k) => k.kid).join(" ");
    const checkedAt = clock.now().getTime();
    if (state?.kids === kids) state.checkedAt = checkedAt;
    else state = { provider: await build(keys), kids, checkedAt };
    return state.provider;
  }

  // Another node's rotation (or retirement) is seen here within KEY_RECHECK_MS: the provider is rebuilt on
  // the new key set, so this node signs with the newest key and publishes every live one.
  const provider = (): Promise<Provider> => {
    if (state && clock.now().getTime() - state.checkedAt < KEY_RECHECK_MS) return Promise.resolve(state.provider);
    return (refreshing ??= refresh().finally(() => {
      refreshing = null;
    }));
  };

  // The published keys, re-read at most every KEY_RECHECK_MS (and at once after a rotation here), with the
  // tokens already verified against them: a bearer token is sent with every call of an API client, and its
  // RSA signature need not be checked again until the keys are re-read (its expiry is, on every call).
  let keyCache: PublishedKeys | null = null;
  async function currentKeys() {
    const now = clock.now().getTime();
    if (keyCache && now - keyCache.at < KEY_RECHECK_MS) return keyCache;
    const keys = await repo.activeKeys(database.db);
    const publicKeys = keys.map(({ jwk }) => {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
      return pub as JWK;
    });
    const { createLocalJWKSet } = await jose();
    keyCache = { at: now, jwks: createLocalJWKSet({ keys: publicKeys }), verified: new LRUCache({ max: 10_000 }) };
    return keyCache;
  }

  // A key added or retired on any node: this node re-reads the set before its next token, so a token signed with a
  // key made a moment ago on another node verifies here at once.
  const forget = () => {
    state = null;
    keyCache = null;
  };
  signals.on("oidc.keys_changed", forget);

  return {
    provider,
    signingKeys,
    currentKeys,

    async rotateKeys() {
      const now = clock.now();
      const kid = await newSigningKey(database, now);
      await repo.retireSupersededKeys(database.db, new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000), now);
      forget();
      await signals.send(database.db, "oidc.keys_changed", kid);
      return kid;
    },

    async housekeeping() {
      const now = clock.now();
      const expired = await repo.deleteExpired(database.db, now);
      const retired = await repo.retireSupersededKeys(database.db, new Date(now.getTime() - KEY_RETENTION_SECONDS * 1000), now);
      if (retired) {
        forget();
        await signals.send(database.db, "oidc.keys_changed", "retired");
      }
      return { expired, retired };
    },
  };
}
