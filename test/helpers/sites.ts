// Nodes of the exchange tests: each a `motcua start` process with its own PostgreSQL database and data directory,
// and a context on that database to set it up from the test (keys, peers, procedures, officers).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Context, createContext } from "../../src/context.ts";
import { systemActor } from "../../src/platform/auth/actor.ts";
import { loadConfig } from "../../src/platform/config/index.ts";
import type { Database } from "../../src/platform/db/index.ts";
import { createLogger } from "../../src/platform/log/index.ts";
import type { AgencyDto } from "../../src/modules/directory/index.ts";
import { buildAgency } from "../../src/modules/directory/testing.ts";
import type { DossierSetting } from "../../src/modules/dossiers/testing.ts";
import { buildOfficer, type TestAccount } from "../../src/modules/identity/testing.ts";
import type { Node } from "./cluster.ts";
import { serverDatabase } from "./db.ts";

const cli = { type: "cli", name: "test" } as const;

export interface Site {
  name: string;
  ctx: Context;
  database: Database;
  env: Record<string, string>;
  port: number;
  url: string;
  dataDir: string;
  node: Node | null;
}

/** A node's database, data directory and settings (`extra` added), not started: `startNode("start", site.env, { port })`. */
export async function exchangeSite(name: string, port: number, extra: Record<string, string> = {}): Promise<Site> {
  const { database, url: databaseUrl } = await serverDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `motcua-node-${name}-`));
  const url = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: "4",
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_PUBLIC_URL: url,
    MOTCUA_SECRET: randomBytes(32).toString("hex"),
    MOTCUA_AUDIT_KEY: randomBytes(32).toString("hex"),
    MOTCUA_DEMO: "false",
    MOTCUA_WORKER_POLL_MS: "50",
    // Retries every 100–300 ms for as long as the test needs: a node that is down is waited for, not given up on.
    MOTCUA_EXCHANGE_RETRY_BASE_MS: "100",
    MOTCUA_EXCHANGE_RETRY_MAX_MS: "300",
    MOTCUA_EXCHANGE_MAX_ATTEMPTS: "500",
    MOTCUA_EXCHANGE_TIMEOUT_MS: "5000",
    LOG_LEVEL: "warn",
    ...extra,
  };
  const ctx = createContext(loadConfig({ ...env, PORT: String(port) }), database, { logger: createLogger("silent") });
  return { name, ctx, database, env, port, url, dataDir, node: null };
}

/** Stops the sites' nodes, closes their databases and removes their data directories. */
export async function removeSites(sites: Site[]): Promise<void> {
  await Promise.all(sites.map(async (x) => x.node?.stop()));
  for (const x of sites) {
    await x.database.close();
    fs.rmSync(x.dataDir, { recursive: true, force: true });
  }
}

/**
 * The Ministry of Justice on `decider`'s node, with its minister, listed in `origin`'s directory by the same code (a
 * procedure's step names it); keys from each node's development CA for the province's Justice (on `origin`) and the
 * ministry, each trusted by the other node.
 */
export async function ministryAcross(origin: Site, decider: Site, s: DossierSetting): Promise<{ ministry: AgencyDto; minister: TestAccount; certJustice: string; certMinistry: string }> {
  const ministry = await buildAgency(decider.ctx, { name: "Bộ Tư pháp", kind: "ministry", departments: [] });
  const minister = await buildOfficer(decider.ctx, { agency: ministry, department: null, roles: ["leader"], fullName: "Chu Văn Bộ", email: null });
  await origin.ctx.directory.createAgency(systemActor("test"), { code: ministry.code, name: ministry.name, kind: "ministry", departments: [], ...(ministry.provinceCode ? { provinceCode: ministry.provinceCode } : {}) });
  const certJustice = (await origin.ctx.exchangeKeys.generate(cli, { agencyCode: s.place.justice })).certificatePem;
  const certMinistry = (await decider.ctx.exchangeKeys.generate(cli, { agencyCode: ministry.code })).certificatePem;
  await decider.ctx.exchangeKeys.trust(cli, { agencyCode: s.place.justice, certificatePem: certJustice });
  await origin.ctx.exchangeKeys.trust(cli, { agencyCode: ministry.code, certificatePem: certMinistry });
  return { ministry, minister, certJustice, certMinistry };
}
