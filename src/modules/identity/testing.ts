// Test helpers of identity: factories of accounts (citizens, businesses, officers) of each test's own, a
// cookie-keeping "browser" over app.inject, form posts with the CSRF token, and a password + TOTP sign-in.
import { createHash } from "node:crypto";
import type { Actor, Role, RoleGrant } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { Context } from "../../context.ts";
import { buildAgency } from "../directory/testing.ts";
import type { DirectoryService } from "../directory/service.ts";
import { checkCccd, checkTaxCode } from "./ids.ts";
import { hashPassword } from "./passwords.ts";
import { otplib } from "./second-factor.ts";
import type { IdentityService, UserView } from "./service.ts";

/** The password of every account the factories make. */
export const TEST_PASSWORD = "mat-khau-thu-2026";

/**
 * argon2id (19 MiB, 2 passes) costs tens of milliseconds a hash, most of what making an account costs: the
 * factories' accounts share one hash of TEST_PASSWORD, made once per process, through the hashing production uses.
 */
let testPasswordHash: Promise<string> | null = null;

/** What the factories use: the context's services (`env.ctx`). */
export interface FactoryDeps {
  database: Database;
  identity: IdentityService;
  directory: DirectoryService;
  oidc: { mintToken(actor: Actor, username: string, ttlSeconds: number): Promise<string> };
}

/** An account a factory made: it signs in with TEST_PASSWORD, or calls the API with `token()`. */
export interface TestAccount {
  id: string;
  username: string;
  user: UserView;
  password: string;
  /** A bearer token of the account for the API, valid for 30 days of the context's clock (minted once). */
  token(): Promise<string>;
}

let accounts = 0;

type NewAccount = Omit<Parameters<IdentityService["seedAccount"]>[1], "password" | "passwordHash">;

/** Loads the account as the operator does (`seedAccount`: roles, audit entry), with the shared password hash. */
async function makeAccount(deps: FactoryDeps, input: NewAccount): Promise<TestAccount> {
  const passwordHash = await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const user = await deps.database.transaction((tx) => deps.identity.seedAccount(tx, { ...input, passwordHash }));
  let token: Promise<string> | null = null;
  return {
    id: user.id,
    username: user.username,
    user,
    password: TEST_PASSWORD,
    token: () => (token ??= deps.oidc.mintToken({ type: "cli", name: "test" }, user.username, 30 * 24 * 3600)),
  };
}

/**
 * A citizen of their own: a valid CCCD (born in 1990 in Hà Nội) as the username, an address already verified
 * unless told otherwise (`email: null` for none).
 */
export async function buildCitizen(
  deps: FactoryDeps,
  /** `cccd`: a given one (a simulated registry's citizen), with its `birthDate` and `sex`. */
  opts: { fullName?: string; sex?: "male" | "female"; email?: string | null; emailVerified?: boolean; cccd?: string; birthDate?: string } = {},
): Promise<TestAccount> {
  const n = ++accounts;
  const sex = opts.sex ?? "female";
  const birthDate = opts.birthDate ?? "1990-01-01";
  // Province 001, century and sex (0 man, 1 woman born in the 1900s), year 90, then a serial no demo account has.
  const cccd = opts.cccd ?? `001${sex === "male" ? "0" : "1"}90${String(500000 + n).padStart(6, "0")}`;
  if (!checkCccd(cccd, { now: new Date(), birthDate, sex }).ok) throw new Error(`buildCitizen: ${cccd} is not a valid CCCD`);
  const email = opts.email === undefined ? `congdan${n}@example.vn` : opts.email;
  return makeAccount(deps, {
    kind: "citizen",
    username: cccd,
    fullName: opts.fullName ?? `Công dân Thử Nghiệm ${n}`,
    email,
    emailVerifiedAt: email && opts.emailVerified !== false ? new Date() : null,
    birthDate,
    sex,
    roles: [{ role: "citizen", agencyCode: "" }],
  });
}

/** A business of its own: a valid 10-digit tax code (MST) as the username, its address verified. */
export async function buildBusiness(deps: FactoryDeps, opts: { name?: string; email?: string | null } = {}): Promise<TestAccount> {
  const n = ++accounts;
  // Not every 9 digits have a check digit that makes them valid: the next ones that do.
  let taxCode: string | null = null;
  for (let base = 10_900_000 + n * 20; taxCode === null; base++) {
    for (let d = 0; d <= 9 && taxCode === null; d++) if (checkTaxCode(`0${base}${d}`).ok) taxCode = `0${base}${d}`;
  }
  const email = opts.email === undefined ? `doanhnghiep${n}@example.vn` : opts.email;
  return makeAccount(deps, {
    kind: "business",
    username: taxCode,
    fullName: opts.name ?? `Công ty TNHH Thử Nghiệm ${n}`,
    email,
    emailVerifiedAt: email ? new Date() : null,
    roles: [{ role: "business", agencyCode: "" }],
  });
}

/**
 * An officer of their own at `agency` (a new one, `buildAgency`, when not given), in `department` (one of the
 * agency's), holding `roles` (at the agency unless a grant says where; `specialist` by default). With
 * `system_admin` the account is an administrator's, as `createOfficer` makes it; `status: "disabled"` makes an
 * officer who is away (their account disabled).
 */
export async function buildOfficer(
  deps: FactoryDeps,
  opts: {
    agency?: string | { code: string };
    department?: string | null;
    roles?: Array<Role | RoleGrant>;
    fullName?: string;
    email?: string | null;
    status?: "active" | "disabled";
  } = {},
): Promise<TestAccount> {
  const n = ++accounts;
  const agencyCode = typeof opts.agency === "string" ? opts.agency : (opts.agency ?? (await buildAgency(deps))).code;
  const department = opts.department ?? null;
  if (department !== null && !(await deps.directory.agency(agencyCode)).departments.some((d) => d.code === department)) {
    throw new Error(`buildOfficer: ${agencyCode} has no department ${department}`);
  }
  const roles: RoleGrant[] = (opts.roles ?? ["specialist"]).map((r) =>
    typeof r === "string" ? { role: r, agencyCode: r === "system_admin" ? "" : agencyCode } : r,
  );
  const email = opts.email === undefined ? `canbo${n}@example.vn` : opts.email;
  return makeAccount(deps, {
    kind: roles.some((r) => r.role === "system_admin") ? "admin" : "officer",
    username: `canbo.thu${n}`,
    fullName: opts.fullName ?? `Cán bộ Thử Nghiệm ${n}`,
    email,
    emailVerifiedAt: email ? new Date() : null,
    agencyCode,
    departmentCode: department,
    ...(opts.status ? { status: opts.status } : {}),
    roles,
  });
}

export interface FormBrowser {
  get(url: string, headers?: Record<string, string>): ReturnType<App["inject"]>;
  /** Posts a form, adding the CSRF token the pages set. */
  post(url: string, fields: Record<string, string | string[]>): ReturnType<App["inject"]>;
  cookies: Map<string, string>;
}

/** The cookies a response sets, as [name, value] (an emptied cookie has the value ""). */
export function setCookies(res: { headers: Record<string, unknown> }): Array<[string, string]> {
  const raw = res.headers["set-cookie"];
  const out: Array<[string, string]> = [];
  for (const c of (Array.isArray(raw) ? raw : raw ? [raw] : []) as string[]) {
    const [pair] = c.split(";");
    const eq = pair!.indexOf("=");
    out.push([pair!.slice(0, eq), pair!.slice(eq + 1)]);
  }
  return out;
}

/** A browser on `app`: keeps cookies (an emptied cookie is dropped) and has fetched a CSRF token. */
export async function formBrowser(app: App): Promise<FormBrowser> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = async (res: Awaited<ReturnType<App["inject"]>>) => {
    for (const [k, v] of setCookies(res)) {
      if (v) jar.set(k, v);
      else jar.delete(k);
    }
    return res;
  };
  const get = async (url: string, headers: Record<string, string> = {}) =>
    keep(await app.inject({ method: "GET", url, headers: { cookie: cookie(), ...headers } }));
  const post = async (url: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ _csrf: jar.get("motcua_csrf") ?? "" });
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return keep(
      await app.inject({
        method: "POST",
        url,
        headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
        payload: body.toString(),
      }),
    );
  };
  await get("/dang-nhap");
  return { get: get as FormBrowser["get"], post: post as FormBrowser["post"], cookies: jar };
}

/** The current TOTP code of `secret` at the clock's time. */
export async function totpCode(secret: string, clock: Clock): Promise<string> {
  const { generate } = await otplib();
  return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
}

/**
 * Signs `username` in through the pages; an officer enrols a second factor (returning its secret and
 * recovery codes) or, when `secret` is given, enters a code.
 */
export async function signInThroughPages(
  ctx: Context,
  b: FormBrowser,
  username: string,
  password: string,
  secret?: string,
): Promise<{ secret: string | null; recovery: string[] }> {
  const res = await b.post("/dang-nhap", { username, password, next: "/tai-khoan" });
  if (res.statusCode !== 303) throw new Error(`sign-in of ${username}: ${res.statusCode}`);
  if (!String(res.headers.location).startsWith("/dang-nhap/xac-thuc")) return { secret: null, recovery: [] };
  if (secret) {
    const done = await b.post("/dang-nhap/xac-thuc", { code: await totpCode(secret, ctx.clock), next: "/tai-khoan" });
    if (done.statusCode !== 303) throw new Error(`second factor of ${username}: ${done.statusCode}`);
    return { secret, recovery: [] };
  }
  const page = await b.get("/dang-nhap/xac-thuc");
  const found = /<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1];
  if (!found) throw new Error(`no enrolment page for ${username}`);
  const ok = await b.post("/dang-nhap/xac-thuc/dang-ky", { code: await totpCode(found, ctx.clock), next: "/tai-khoan" });
  const recovery = [...ok.body.matchAll(/<code>([0-9a-f]{5}-[0-9a-f]{5})<\/code>/g)].map((m) => m[1]!);
  if (recovery.length === 0) throw new Error(`enrolment of ${username}: ${ok.statusCode}`);
  return { secret: found, recovery };
}

/** The session id behind a cookie token. */
export const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("hex");
