// TEMPORARY while the dossiers' tests move to testing.ts (a province and people of their own): the demo fixture
// they used, the demo agencies and accounts, tokens, uploads. Removed once no test imports it.
import { randomUUID } from "node:crypto";
import { type Actor, systemActor } from "../../platform/auth/actor.ts";
import type { Database } from "../../platform/db/index.ts";
import { runSeeds } from "../../platform/db/seeds.ts";
import type { App } from "../../platform/http/types.ts";
import type { FormBrowser } from "../identity/testing.ts";
import { createLogger } from "../../platform/log/index.ts";
import type { Context } from "../../context.ts";
import type { ProcedureContent } from "../catalog/model.ts";
import { buildProcedure } from "../catalog/testing.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../directory/seeds.ts";
import { demoAccountsSeed } from "../identity/seeds.ts";
import * as repo from "./repo.ts";

export const CENTRE = "000.00.01.H06";
export const JUSTICE = "000.00.11.H06";
/** The province's People's Committee (Bắc Ninh), above both. */
export const PROVINCE = "000.00.00.H06";

/** Received at the centre (its desk), examined and signed at the Department of Justice, returned at the centre. */
export function buildProvincialProcedure(overrides: Partial<ProcedureContent> = {}): ProcedureContent {
  return buildProcedure({
    name: "Cấp phiếu thử nghiệm liên thông",
    levels: ["province"],
    agencies: [JUSTICE],
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: CENTRE, hours: 2, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "hanh-chinh-tu-phap", agency: null, hours: 14, leaderSigns: false },
      { key: "ky-duyet", name: "Lãnh đạo Sở ký duyệt", role: "leader", department: "van-phong", agency: null, hours: 6, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: CENTRE, hours: 2, leaderSigns: false },
    ],
    ...overrides,
  });
}

/**
 * Two signatures, as a decision of the province's chairman is prepared (e.g. 1.900215 of the demo catalogue):
 * received at the centre, examined at the Department of Justice, reviewed by its head of unit (a leader who
 * signs nothing), signed by the director (the proposal), decided and signed by the province's chairman (an
 * inter-agency step at another agency), returned at the centre.
 */
export function buildTwoSignaturesProcedure(overrides: Partial<ProcedureContent> = {}): ProcedureContent {
  return buildProvincialProcedure({
    name: "Quyết định thử nghiệm hai chữ ký",
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: CENTRE, hours: 2, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "hanh-chinh-tu-phap", agency: null, hours: 10, leaderSigns: false },
      { key: "xem-xet", name: "Lãnh đạo phòng xem xét, trình Giám đốc Sở", role: "leader", department: "hanh-chinh-tu-phap", agency: null, hours: 4, leaderSigns: false },
      { key: "ky-to-trinh", name: "Giám đốc Sở ký tờ trình", role: "leader", department: "van-phong", agency: null, hours: 2, leaderSigns: true },
      { key: "quyet-dinh", name: "Chủ tịch Ủy ban nhân dân tỉnh ký quyết định", role: "leader", department: null, agency: PROVINCE, hours: 4, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: CENTRE, hours: 2, leaderSigns: false },
    ],
    ...overrides,
  });
}

export const USERS = ["001199000001", "0100233488", "tiepnhan", "chuyenvien.tuphap", "lanhdao.tuphap", "giamsat.tinh", "quantri.tinh"] as const;
export type TestUser = (typeof USERS)[number];

/** Seeds the demo agencies and accounts and publishes `procedures`; returns an access token per demo user. */
export async function dossierFixture(ctx: Context, procedures: ProcedureContent[]): Promise<Map<TestUser, string>> {
  await runSeeds(ctx.database, [adminUnitsSeed(), demoAgenciesSeed(ctx.directory), demoAccountsSeed(ctx.identity, createLogger("silent"))], { demo: true });
  for (const p of procedures) {
    await ctx.catalog.create(systemActor("test"), p);
    await ctx.catalog.publish(systemActor("test"), p.code);
  }
  const tokens = new Map<TestUser, string>();
  // A month: tests move their clock across due dates.
  for (const u of USERS) tokens.set(u, await ctx.oidc.mintToken({ type: "cli", name: "test" }, u, 30 * 24 * 3600));
  return tokens;
}

/** The actor of a demo (or seeded) account, as its session would make it. */
export async function actorOf(ctx: Context, username: string): Promise<Actor> {
  const user = await ctx.identity.findByUsername(username);
  if (!user) throw new Error(`no account ${username}`);
  return ctx.identity.actorFor(user, { loa: 0 });
}

let clones = 0;

/**
 * A copy of a dossier in the same state (its row, files, hand-overs and pauses; not its history), for a test
 * that changes it while the original stays as it was. Its code, when it has one, gets a suffix: codes are unique.
 */
export async function cloneDossier(database: Database, id: string): Promise<string> {
  const d = await repo.findDossier(database.db, id);
  if (!d) throw new Error(`no dossier ${id}`);
  clones += 1;
  const copy = { ...d, id: randomUUID(), code: d.code ? `${d.code}-${clones}` : null, requestId: randomUUID() };
  // The row first: its insert runs with its transaction's COMMIT, and the rows below refer to it.
  await database.transaction((tx) => repo.insertDossier(tx, copy));
  const [fileRows, steps, pauses] = await Promise.all([repo.listFiles(database.db, id), repo.listSteps(database.db, id), repo.listPauses(database.db, id)]);
  await database.transaction(async (tx) => {
    for (const { id: _id, ...f } of fileRows) await repo.insertFile(tx, { ...f, dossierId: copy.id });
    for (const { id: _id, ...s } of steps) await repo.insertStep(tx, { ...s, dossierId: copy.id });
    for (const { id: _id, ...p } of pauses) await repo.insertPause(tx, { ...p, dossierId: copy.id });
  });
  return copy.id;
}

/** A minimal real PDF (its magic number is what the file store reads). */
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
export const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

/** A multipart/form-data body: the fields first, then the file, as browsers send them. */
export function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----motcua${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** An API caller on `app` acting as a demo user. */
export function apiAs(app: App, tokens: Map<TestUser, string>) {
  return (who: TestUser | null, method: "GET" | "POST" | "PUT", url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${tokens.get(who)}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** Posts a one-file multipart form from `b` with its CSRF token (`csrf: false` leaves it out). */
export function uploadFrom(app: App, b: FormBrowser, url: string, component: string, file: { name: string; type: string; bytes: Buffer }, csrf = true) {
  const fields: Record<string, string> = csrf ? { _csrf: b.cookies.get("motcua_csrf") ?? "" } : {};
  if (component) fields.component = component;
  const { payload, headers } = multipart(fields, file);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return app.inject({ method: "POST", url, payload, headers: { ...headers, cookie, accept: "text/html" } });
}

