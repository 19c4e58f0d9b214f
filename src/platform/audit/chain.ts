// The hash chain's arithmetic, with no database: what a sealed entry's hash is, and how a seal is authenticated.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/** The `prev_hash` of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** An entry as stored, with its time as an exact UTC string (microseconds). */
export interface StoredEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  requestId: string | null;
  changeDigest: string | null;
}

export interface SealedEntry extends StoredEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Canonical JSON (RFC 8785), so the same value always gives the same digest. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? "null";
}

/** The digest kept in place of a change: SHA-256 of its canonical JSON. */
export function changeDigest(change: unknown): string | null {
  return change === undefined ? null : sha256(canonicalJson(change));
}

/**
 * The hash of an entry at position `seq` following `prevHash`: every stored field is covered, as a JSON
 * array in a fixed order (all strings, numbers or null, so the serialisation is canonical).
 */
export function entryHash(entry: StoredEntry, seq: number, prevHash: string): string {
  return sha256(
    JSON.stringify([
      "motcua-audit-v1",
      seq,
      prevHash,
      Number(entry.id),
      entry.at,
      entry.actor,
      entry.action,
      entry.subjectType,
      entry.subjectId,
      entry.requestId,
      entry.changeDigest,
    ]),
  );
}

/** Authenticates a seal (the chain's head after a sealing run) with a key kept outside the database. */
export function sealMac(key: string, lastSeq: number, lastHash: string): string {
  return createHmac("sha256", key).update(`motcua-audit-seal:${lastSeq}:${lastHash}`).digest("hex");
}

export function sealMacValid(key: string, lastSeq: number, lastHash: string, mac: string): boolean {
  const expected = Buffer.from(sealMac(key, lastSeq, lastHash), "hex");
  const given = Buffer.from(mac, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
