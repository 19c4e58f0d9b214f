// Test helpers of the dossiers: a province of each test file's own (its People's Committee, its Public
// Administration Service Centre and its Department of Justice, made with the directory's factories) and the
// people who work there (identity's factories); provincial procedures received at the centre and decided by the
// department; a dossier filed and driven to a stage through the service; API calls and uploads.
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { type Actor, systemActor } from "../../platform/auth/actor.ts";
import type { Database } from "../../platform/db/index.ts";
import type { App } from "../../platform/http/types.ts";
import type { Context } from "../../context.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { buildProcedure } from "../catalog/testing.ts";
import type { AgencyDto } from "../directory/index.ts";
import { buildAgency } from "../directory/testing.ts";
import { buildBusiness, buildCitizen, buildOfficer, type FormBrowser, type TestAccount } from "../identity/testing.ts";
import * as repo from "./repo.ts";
import type { DossierAction } from "./model.ts";
import type { ActionInput, CreateDossierInput, DossierDto } from "./schema.ts";

/** The agencies a provincial procedure names: the province, its service centre, the department deciding. */
export interface DossierPlace {
  /** The province's People's Committee, above both. */
  province: string;
  /** The Public Administration Service Centre: receives dossiers and returns results. */
  centre: string;
  /** The Department of Justice: examines and signs. */
  justice: string;
}

/** The demo's agencies (data/demo/agencies.json), for the browser tests and the benchmark, which run on the demo. */
export const DEMO_PLACE: DossierPlace = { province: "000.00.00.H06", centre: "000.00.01.H06", justice: "000.00.11.H06" };

/** Received at the centre (its desk), examined and signed at the Department of Justice, returned at the centre. */
export function buildProvincialProcedure(place: DossierPlace, overrides: Partial<ProcedureContent> = {}): ProcedureContent {
  return buildProcedure({
    name: "Cấp phiếu thử nghiệm liên thông",
    levels: ["province"],
    agencies: [place.justice],
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "hanh-chinh-tu-phap", agency: null, hours: 14, leaderSigns: false },
      { key: "ky-duyet", name: "Lãnh đạo Sở ký duyệt", role: "leader", department: "van-phong", agency: null, hours: 6, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
    ],
    ...overrides,
  });
}

/**
 * A provincial procedure decided by the leader of `decider`, an agency another node serves (the inter-agency tests):
 * received at the centre, examined at Justice, decided there, returned at the centre.
 */
export function buildInteragencyProcedure(place: DossierPlace, decider: string, name: string, decision = "Bộ trưởng Bộ Tư pháp ký quyết định"): ProcedureContent {
  return buildProvincialProcedure(place, {
    name,
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "hanh-chinh-tu-phap", agency: null, hours: 10, leaderSigns: false },
      { key: "quyet-dinh", name: decision, role: "leader", department: null, agency: decider, hours: 10, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
    ],
  });
}

/** The same procedure (code and version) as the deciding agency's node publishes it: one step there for the whole time (the package brings the step as the origin plans it). */
export function deciderCopy(procedure: ProcedureContent, decider: string, decision = "Bộ trưởng Bộ Tư pháp ký quyết định"): ProcedureContent {
  return { ...procedure, agencies: [decider], steps: [{ key: "quyet-dinh", name: decision, role: "leader", department: null, agency: null, hours: 24, leaderSigns: true }] };
}

/**
 * Two signatures, as a decision of the province's chairman is prepared (e.g. 1.900215 of the demo catalogue):
 * received at the centre, examined at the Department of Justice, reviewed by its head of unit (a leader who
 * signs nothing), signed by the director (the proposal), decided and signed by the province's chairman (an
 * inter-agency step at another agency), returned at the centre.
 */
export function buildTwoSignaturesProcedure(place: DossierPlace, overrides: Partial<ProcedureContent> = {}): ProcedureContent {
  return buildProvincialProcedure(place, {
    name: "Quyết định thử nghiệm hai chữ ký",
    steps: [
      { key: "tiep-nhan", name: "Tiếp nhận tại Trung tâm", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
      { key: "tham-dinh", name: "Thẩm định hồ sơ", role: "specialist", department: "hanh-chinh-tu-phap", agency: null, hours: 10, leaderSigns: false },
      { key: "xem-xet", name: "Lãnh đạo phòng xem xét, trình Giám đốc Sở", role: "leader", department: "hanh-chinh-tu-phap", agency: null, hours: 4, leaderSigns: false },
      { key: "ky-to-trinh", name: "Giám đốc Sở ký tờ trình", role: "leader", department: "van-phong", agency: null, hours: 2, leaderSigns: true },
      { key: "quyet-dinh", name: "Chủ tịch Ủy ban nhân dân tỉnh ký quyết định", role: "leader", department: null, agency: place.province, hours: 4, leaderSigns: true },
      { key: "tra-ket-qua", name: "Trả kết quả", role: "receiver", department: "tiep-nhan", agency: place.centre, hours: 2, leaderSigns: false },
    ],
    ...overrides,
  });
}

/** The people of a dossier's life, each an account of the test's own (it signs in with TEST_PASSWORD). */
export interface DossierCast {
  /** Nguyễn Thị Mai, who files online. */
  citizen: TestAccount;
  /** A business, another applicant. */
  business: TestAccount;
  /** Trần Văn Tiếp, at the centre's reception desk: receives dossiers, returns results. */
  receiver: TestAccount;
  /** Lê Thị Chuyên, specialist of Justice's civil judicial affairs division: examines. */
  specialist: TestAccount;
  /** Phạm Văn Lãnh, leader at Justice's office: signs, assigns. */
  leader: TestAccount;
  /** Chu Văn Tỉnh, a leader at the province: the chairman's inter-agency step, and above both. */
  chairman: TestAccount;
  /** Đỗ Văn Giám, the province's supervisor: sees every dossier of the province, takes no step. */
  supervisor: TestAccount;
  /** Hoàng Thị Quản, the province's agency administrator. */
  admin: TestAccount;
}

/** Where a test's dossiers live and who handles them. */
export interface DossierSetting {
  place: DossierPlace;
  agencies: { province: AgencyDto; centre: AgencyDto; justice: AgencyDto };
  cast: DossierCast;
}

/**
 * A province of the test's own, named as the demo's (Bắc Ninh) so pages and forms read as they would: its People's
 * Committee, the service centre with its reception desk, the Department of Justice with the divisions the
 * procedures name. Each call makes new agencies.
 */
export async function buildPlace(ctx: Context): Promise<Pick<DossierSetting, "place" | "agencies">> {
  const province = await buildAgency(ctx, { name: "Ủy ban nhân dân tỉnh Bắc Ninh", kind: "people_committee", departments: [] });
  const centre = await buildAgency(ctx, {
    parent: province,
    kind: "service_centre",
    name: "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
    departments: [{ code: "tiep-nhan", name: "Bộ phận tiếp nhận và trả kết quả" }],
  });
  const justice = await buildAgency(ctx, {
    parent: province,
    kind: "specialised_agency",
    name: "Sở Tư pháp tỉnh Bắc Ninh",
    departments: [
      { code: "van-phong", name: "Văn phòng Sở" },
      { code: "hanh-chinh-tu-phap", name: "Phòng Hành chính tư pháp" },
      { code: "bo-tro-tu-phap", name: "Phòng Bổ trợ tư pháp" },
    ],
  });
  return { place: { province: province.code, centre: centre.code, justice: justice.code }, agencies: { province, centre, justice } };
}

/** A province of the test's own (`buildPlace`) and the cast who work there. Each call makes new agencies and accounts. */
export async function dossierSetting(ctx: Context): Promise<DossierSetting> {
  const { place, agencies } = await buildPlace(ctx);
  const { province, centre, justice } = agencies;
  const officer = (agency: AgencyDto, department: string | null, role: "receiver" | "specialist" | "leader" | "supervisor" | "agency_admin", fullName: string) =>
    buildOfficer(ctx, { agency, department, roles: [role], fullName, email: null });
  const cast: DossierCast = {
    citizen: await buildCitizen(ctx, { fullName: "Nguyễn Thị Mai" }),
    business: await buildBusiness(ctx, { name: "Công ty TNHH Ví dụ Kinh Bắc" }),
    receiver: await officer(centre, "tiep-nhan", "receiver", "Trần Văn Tiếp"),
    specialist: await officer(justice, "hanh-chinh-tu-phap", "specialist", "Lê Thị Chuyên"),
    leader: await officer(justice, "van-phong", "leader", "Phạm Văn Lãnh"),
    chairman: await officer(province, null, "leader", "Chu Văn Tỉnh"),
    supervisor: await officer(province, null, "supervisor", "Đỗ Văn Giám"),
    admin: await officer(province, null, "agency_admin", "Hoàng Thị Quản"),
  };
  return { place, agencies, cast };
}

/**
 * A valid input for each action (the supplement's form is the one `buildProvincialProcedure` asks for): a test that
 * expects the guard's answer sends it, so no refusal it sees is the input's (400).
 */
export const VALID_ACTION_INPUT: Record<DossierAction, ActionInput> = {
  submit: {},
  receive: {},
  refuse_receipt: { reason: "Hồ sơ không thuộc thẩm quyền" },
  assign: { department: "hanh-chinh-tu-phap" },
  forward: { note: "Đủ điều kiện" },
  send_back: { note: "Cần kiểm tra lại" },
  request_supplement: { items: [{ component: "cccd", reason: "Bản sao bị mờ" }] },
  supplement: { formData: { hoTen: "Nguyễn Thị Mai", soCccd: "001199000001" } },
  approve: {},
  refuse: { reason: "Không đủ điều kiện" },
  apologize: { reason: "Chờ ý kiến cơ quan khác", newDueAt: "2026-12-31T02:00:00.000Z" },
  stop: { reason: "Theo đề nghị của cơ quan có thẩm quyền" },
  finish: {},
  return: { method: "counter" },
  withdraw: {},
};

/** Creates and publishes each procedure, as the operator would; returns the first. */
export async function publishProcedures(ctx: Context, ...procedures: [ProcedureContent, ...ProcedureContent[]]): Promise<ProcedureContent> {
  for (const p of procedures) {
    await ctx.catalog.create(systemActor("test"), p);
    await ctx.catalog.publish(systemActor("test"), p.code);
  }
  return procedures[0];
}

/** The actor of an account, as its session would make it. */
export function actorOf(ctx: Context, who: TestAccount): Actor {
  return ctx.identity.actorFor(who.user, { loa: 0 });
}

/** A citizen's form for the factory's procedures: their name and CCCD. */
export const formOf = (who: TestAccount) => ({ hoTen: who.user.fullName, soCccd: who.username });

/**
 * Where a dossier of `buildProvincialProcedure` is in its life, in order: a draft with its papers, filed (new),
 * received (examined at Justice), forwarded (at the leader's signature), approved (back at the centre's desk),
 * finished (its result issued), returned.
 */
export const STAGES = ["draft", "filed", "received", "forwarded", "approved", "finished", "returned"] as const;
export type Stage = (typeof STAGES)[number];

/** The stage of a dossier of `buildProvincialProcedure`. */
export function stageOf(d: Pick<DossierDto, "status" | "step">): Stage {
  switch (d.status) {
    case "draft":
      return "draft";
    case "new":
      return "filed";
    case "done":
      return "finished";
    case "returned":
      return "returned";
    case "processing": {
      const at = { "tham-dinh": "received", "ky-duyet": "forwarded", "tra-ket-qua": "approved" } as const;
      const stage = at[d.step?.key as keyof typeof at];
      if (stage) return stage;
    }
  }
  throw new Error(`a dossier ${d.status} at ${d.step?.key ?? "no step"} is at no stage of the provincial procedure`);
}

/** Drives a dossier of `buildProvincialProcedure` on to `stage`, each step by the party who takes it, through the service. */
export async function driveTo(ctx: Context, s: DossierSetting, dossier: DossierDto, stage: Stage): Promise<DossierDto> {
  const { cast } = s;
  const svc = ctx.dossiers;
  const as = (who: TestAccount) => actorOf(ctx, who);
  let d = dossier;
  while (STAGES.indexOf(stageOf(d)) < STAGES.indexOf(stage)) {
    switch (stageOf(d)) {
      case "draft": {
        const owner = d.channel === "counter" ? cast.receiver : [cast.citizen, cast.business].find((a) => a.username === d.applicant.idNumber);
        if (!owner) throw new Error(`driveTo: the draft ${d.id} is not the cast's`);
        d = await svc.submit(as(owner), d.id);
        break;
      }
      case "filed":
        d = await svc.act(as(cast.receiver), d.id, "receive", {});
        break;
      case "received":
        d = await svc.act(as(cast.specialist), d.id, "forward", {});
        break;
      case "forwarded":
        d = await svc.act(as(cast.leader), d.id, "approve", {});
        break;
      case "approved": {
        const result = await svc.attach(as(cast.receiver), d.id, { component: "result", declaredName: "ket-qua.pdf", source: Readable.from(PDF) });
        d = await svc.act(as(cast.receiver), d.id, "finish", { resultFileId: result.id });
        break;
      }
      case "finished":
        d = await svc.act(as(cast.receiver), d.id, "return", { method: "online" });
        break;
      case "returned":
        throw new Error("driveTo: nothing follows the return");
    }
  }
  return d;
}

/**
 * A dossier of `procedure` filed online at the centre by `by` (the cast's citizen by default) with `formData`
 * (their name and CCCD by default), the contact details of `applicant` if given, and a PDF for each required
 * paper, then driven to `stage` (filed by default).
 */
export async function fileDossier(
  ctx: Context,
  s: DossierSetting,
  procedure: ProcedureContent,
  opts: { stage?: Stage; by?: TestAccount; formData?: Record<string, unknown>; applicant?: CreateDossierInput["applicant"] } = {},
): Promise<DossierDto> {
  const by = opts.by ?? s.cast.citizen;
  const actor = actorOf(ctx, by);
  const { dossier } = await ctx.dossiers.create(actor, {
    procedureCode: procedure.code,
    agencyCode: s.place.centre,
    formData: opts.formData ?? formOf(by),
    requestId: randomUUID(),
    ...(opts.applicant ? { applicant: opts.applicant } : {}),
  });
  for (const c of procedure.components.filter((c) => c.required)) {
    await ctx.dossiers.attach(actor, dossier.id, { component: c.key, declaredName: `${c.key}.pdf`, source: Readable.from(PDF) });
  }
  return driveTo(ctx, s, dossier, opts.stage ?? "filed");
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

/** A part of a posted form: a text field, or a file input (an empty one: a file with no name and no bytes). */
export type FormPart = [name: string, value: string] | [name: string, file: { name: string; type: string; bytes: Buffer }];
export const EMPTY_FILE = { name: "", type: "application/octet-stream", bytes: Buffer.alloc(0) };

/** A multipart/form-data body with its parts in the order given, as a browser sends a form's controls in tree order. */
export function multipartParts(parts: readonly FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----motcua${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, v] of parts) {
    if (typeof v === "string") chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.name}"\r\nContent-Type: ${v.type}\r\n\r\n`), v.bytes, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart/form-data body: the fields first, then the file, as browsers send them. */
export function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  return multipartParts([...Object.entries(fields), ["file", file]]);
}

/** Posts a page's multipart form from browser `b` (its cookies), the CSRF token first unless `token` is given. */
export function postMultipart(app: App, b: FormBrowser, url: string, parts: readonly FormPart[], token = b.cookies.get("motcua_csrf") ?? "") {
  const { payload, headers } = multipartParts([["_csrf", token], ...parts]);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return app.inject({ method: "POST", url, payload, headers: { ...headers, cookie, accept: "text/html" } });
}

/** An API caller on `app` acting as an account (its bearer token), or signed out (`null`). */
export function apiAs(app: App) {
  return async (who: TestAccount | null, method: "GET" | "POST" | "PUT", url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${await who.token()}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

/** Uploads one file to a dossier through the API as `who` (a PDF named after the component unless told). */
export async function uploadAs(app: App, who: TestAccount, id: string, component: string, file: { name?: string; type?: string; bytes?: Buffer } = {}) {
  const { payload, headers } = multipart({ component }, { name: file.name ?? `${component}.pdf`, type: file.type ?? "application/pdf", bytes: file.bytes ?? PDF });
  return app.inject({ method: "POST", url: `/api/dossiers/${id}/attachments`, payload, headers: { ...headers, authorization: `Bearer ${await who.token()}` } });
}

/** Posts a one-file multipart form from `b` with its CSRF token (`csrf: false` leaves it out). */
export function uploadFrom(app: App, b: FormBrowser, url: string, component: string, file: { name: string; type: string; bytes: Buffer }, csrf = true) {
  const fields: Record<string, string> = csrf ? { _csrf: b.cookies.get("motcua_csrf") ?? "" } : {};
  if (component) fields.component = component;
  const { payload, headers } = multipart(fields, file);
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return app.inject({ method: "POST", url, payload, headers: { ...headers, cookie, accept: "text/html" } });
}
