import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RoleGrant } from "../../platform/auth/actor.ts";
import type { Seed } from "../../platform/db/seeds.ts";
import type { Logger } from "../../platform/log/index.ts";
import { hashPassword } from "./passwords.ts";
import { findUserByUsername } from "./repo.ts";
import type { IdentityService } from "./service.ts";

const DEMO_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../data/demo/accounts.json");

interface DemoAccounts {
  password: string;
  accounts: Array<{
    kind: "citizen" | "business" | "officer" | "admin";
    username: string;
    fullName: string;
    email?: string;
    birthDate?: string;
    sex?: "male" | "female";
    agencyCode?: string;
    departmentCode?: string;
    roles: RoleGrant[];
  }>;
}

export function readDemoAccounts(file = DEMO_FILE): DemoAccounts {
  return JSON.parse(fs.readFileSync(file, "utf8")) as DemoAccounts;
}

/**
 * The demo accounts of README (demo deployments only); logs the officers who can sign in (never the password). A new edition
 * (version 2 added the communes' officers) adds the accounts a demo database does not have yet and leaves the
 * others as their users may have changed them.
 */
export function demoAccountsSeed(identity: IdentityService, logger: Logger): Seed {
  return {
    name: "identity.demo-accounts",
    version: "2",
    demo: true,
    async run(tx) {
      const demo = readDemoAccounts();
      // Every demo account has the same (published) password: hashed once, not once per account.
      let passwordHash: Promise<string> | null = null;
      for (const a of demo.accounts) {
        if (await findUserByUsername(tx, a.username)) continue;
        await identity.seedAccount(tx, {
          kind: a.kind,
          username: a.username,
          fullName: a.fullName,
          email: a.email ?? null,
          emailVerifiedAt: a.email ? new Date() : null,
          birthDate: a.birthDate ?? null,
          sex: a.sex ?? null,
          agencyCode: a.agencyCode ?? null,
          departmentCode: a.departmentCode ?? null,
          passwordHash: await (passwordHash ??= hashPassword(demo.password)),
          roles: a.roles,
        });
      }
      // The password is README's, never the log's: no log line carries a password.
      logger.warn(
        { accounts: demo.accounts.filter((a) => a.kind === "officer" || a.kind === "admin").map((a) => a.username) },
        "demo accounts created (demo deployments only): sign in at /dang-nhap with the demo password of README, as one of these officers or as the demo citizen or business",
      );
    },
  };
}
