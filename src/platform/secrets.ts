import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * A secret kept in the data directory (mode 0600), generated on first use: `configured` when the
 * deployment sets one (every node of a PostgreSQL deployment must then share it).
 */
export function localSecret(configured: string | null, dataDir: string, fileName: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, fileName);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw err;
  }
}

/** A named secret of this node: derived from MOTCUA_SECRET when set, else kept in the data directory. */
export function nodeSecret(config: { secret: string | null; dataDir: string }, name: string): string {
  const derived = config.secret ? createHmac("sha256", config.secret).update(`motcua:${name}`).digest("hex") : null;
  return localSecret(derived, config.dataDir, `${name}.key`);
}
