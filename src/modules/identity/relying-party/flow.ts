// What a sign-in carries from the redirect to the callback (state, nonce, PKCE verifier, where to come
// back to), in a short-lived cookie sealed with a key of this node: the browser can neither read it nor
// forge one, and any node of the deployment can open it (the key derives from MOTCUA_SECRET).
import { createHash } from "node:crypto";
import { lazy } from "../../../platform/lazy.ts";
import type { RelyingParty } from "../service.ts";

/** As long as the provider keeps an interaction: a sign-in left longer starts again. */
export const FLOW_SECONDS = 600;

/** jose, loaded with the first sign-in through a relying party (as openid-client, routes.tsx). */
const jose = lazy(() => import("jose"));

export interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export interface FlowSealer {
  seal(rp: RelyingParty, flow: Flow, now: Date): Promise<string>;
  /** The flow sealed for `rp`, or null when the value was altered, is another party's or has expired. */
  open(rp: RelyingParty, sealed: string, now: Date): Promise<Flow | null>;
}

export function flowSealer(secret: string): FlowSealer {
  const key = createHash("sha256").update(`motcua-rp-flow:${secret}`).digest();
  return {
    async seal(rp, flow, now) {
      const iat = Math.floor(now.getTime() / 1000);
      const { EncryptJWT } = await jose();
      return new EncryptJWT({ ...flow })
        .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
        .setAudience(rp)
        .setIssuedAt(iat)
        .setExpirationTime(iat + FLOW_SECONDS)
        .encrypt(key);
    },
    async open(rp, sealed, now) {
      try {
        const { jwtDecrypt } = await jose();
        const { payload } = await jwtDecrypt(sealed, key, { audience: rp, currentDate: now, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
        const { state, nonce, verifier, next } = payload;
        if (typeof state !== "string" || typeof nonce !== "string" || typeof verifier !== "string" || typeof next !== "string") return null;
        return { state, nonce, verifier, next };
      } catch {
        return null;
      }
    },
  };
}
