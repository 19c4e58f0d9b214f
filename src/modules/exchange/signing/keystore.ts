// Private keys at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the node secret `exchange-signing`, the
// ciphertext bound to its row by associated data (the agency code and the certificate's fingerprint), so that a
// ciphertext copied onto another row does not open. Every node of a PostgreSQL deployment shares MOTCUA_SECRET,
// so every node derives the same key; losing the secret loses the keys (generate or import them again).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "motcua exchange signing keys v1";

export interface KeyStore {
  seal(privateKeyPem: string, binding: string): string;
  open(sealed: string, binding: string): string;
}

/** Seals and opens private keys with a key derived from `secret` (the node secret, hex or any text). */
export function makeKeyStore(secret: string): KeyStore {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
  return {
    seal(privateKeyPem, binding) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(binding, "utf8"));
      const body = Buffer.concat([cipher.update(privateKeyPem, "utf8"), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(sealed, binding) {
      const [version, data] = sealed.split(".", 2);
      if (version !== VERSION || !data) throw new Error("exchange keystore: unknown format of a sealed key");
      const raw = Buffer.from(data, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(binding, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}
