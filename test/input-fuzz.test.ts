// Hostile input on every route (issue 13, item 2). The operations come from the app's own OpenAPI document and the
// pages from its route list, so a route added later is fuzzed as it is. For each, as every role and signed out,
// requests whose other values are valid carry one hostile value (a NUL, a lone surrogate, 4-byte characters, a
// 1 MB string, deep nesting, prototype keys, a wrong type, a broken multipart body) in one place; none may answer
// 5xx, a refused one may change nothing in the database, and nothing may reach Object.prototype.
// Fixed seed, bounded count: the same requests on every run (FUZZ_SEED and FUZZ_RUNS vary them by hand).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { SQL } from "drizzle-orm";
import { sql } from "../src/platform/db/index.ts";
import { ROLES, type Role, systemActor } from "../src/platform/auth/actor.ts";
import { runSeeds } from "../src/platform/db/seeds.ts";
import { registeredRoutes } from "../src/platform/http/access.ts";
import type { App } from "../src/platform/http/types.ts";
import { buildProcedure } from "../src/modules/catalog/testing.ts";
import { adminUnitsSeed, demoAgenciesSeed } from "../src/modules/directory/seeds.ts";
import { multipart, PDF } from "../src/modules/dossiers/testing.ts";
import { buildBusiness, buildCitizen, buildOfficer, type TestAccount } from "../src/modules/identity/testing.ts";
import { testApp, type TestEnv } from "./helpers/app.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20260513);
/** Requests per operation and caller: 44 operations × 9 callers × 4 ≈ 1,600 requests. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
/** The commune of the demo agencies where buildProcedure's procedures are offered. */
const AGENCY = "000.00.51.H06";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const NUL = "a\u0000b";
const MEGABYTE = "x".repeat(1024 * 1024);
/** Any code point, and lone surrogates (fast-check's own string units never make one). */
const anyUnit = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant("\u0000") },
);

/** Text that is hostile where a string is expected. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(NUL, "\u0000", "x\ud800y", "\udfff", "😀𠀀𝔸", "Nguyễn 😀 𠀀", "__proto__", "constructor", "prototype", "", " ", "../../etc/passwd", "%00", "%", "\\", "' OR '1'='1", "<script>alert(1)</script>", "-1", "1e308", "NaN", "null") },
  { weight: 3, arbitrary: fc.string({ unit: anyUnit, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constant(MEGABYTE) },
);

/** A value nested `depth` levels deep. */
function nested(depth: number): Json {
  let v: Json = "x";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** A JSON value that is hostile where any value is expected: hostile text, a wrong type, deep nesting, prototype keys. */
const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  hostileText,
  fc.constantFrom<Json>(0, -1, 2 ** 53, 1.5, true, false, null, [], {}, [NUL], { [NUL]: 1 }),
  fc.integer({ min: 33, max: 3000 }).map(nested),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as Json),
);

/** A whole body that is hostile as text. */
const hostileRawBody = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `{"a":${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
  `"${"x".repeat(1024 * 1024 + 10)}"`,
  "{",
  "null",
  "[]",
  '"\\u0000"',
  '{"a":"\\ud800"}',
);

/** A multipart body that is broken or carries a NUL. */
const hostileMultipart = fc.constantFrom<"no-boundary" | "garbage" | "nul-field" | "nul-name" | "no-file">("no-boundary", "garbage", "nul-field", "nul-name", "no-file");

/**
 * Percent-encodes as a careless client would: a lone surrogate as the three bytes it would be in UTF-8 if it
 * could be (`%ED%A0%80`), where encodeURIComponent throws and URLSearchParams writes U+FFFD.
 */
function encodeLoose(s: string): string {
  return s.replace(/\p{Cs}|[^\p{Cs}]+/gu, (part) =>
    /\p{Cs}/u.test(part) ? [...Buffer.from([0xe0 | (part.charCodeAt(0) >> 12), 0x80 | ((part.charCodeAt(0) >> 6) & 0x3f), 0x80 | (part.charCodeAt(0) & 0x3f)])].map((b) => `%${b.toString(16).toUpperCase()}`).join("") : encodeURIComponent(part),
  );
}

/** A query string of `pairs`, each encoded loosely. */
const queryOf = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join("&");

interface Operation {
  method: string;
  /** Fastify's form of the path (`/api/dossiers/:id`). */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
}

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  format?: string;
  default?: unknown;
}

/** The operations of the OpenAPI document, with their parameters and JSON body. */
function operationsOf(spec: { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: Schema }>; requestBody?: { content: Record<string, { schema: Schema }> } }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path: path.replace(/\{([^}]+)\}/g, ":$1"),
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        query: params.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema })),
        body: op.requestBody?.content["application/json"]?.schema ?? null,
      });
    }
  }
  return ops;
}

let uuids = 0;
const nextUuid = () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`;

/** A valid value of `schema` (what is known of the test's data by field name first), so the hostile one is what is tested. */
function example(schema: Schema | undefined, name: string, known: Record<string, Json>): Json {
  if (name in known) return known[name]!;
  if (!schema) return "x";
  if (schema.enum) return schema.enum[0] as Json;
  if ("const" in schema) return schema.const as Json;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return example(choice.find((s) => s.type !== "null") ?? choice[0], name, known);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => example(s, name, known))) as Json;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, Json> = {};
      for (const [key, s] of Object.entries(schema.properties ?? {})) out[key] = example(s, key, known);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => example(schema.items, name, known));
    case "integer":
    case "number":
      return (schema.default as number | undefined) ?? schema.minimum ?? 1;
    case "boolean":
      return false;
    default:
      if (schema.format === "uuid") return nextUuid();
      if (schema.format === "date-time") return "2026-03-02T09:00:00+07:00";
      if (schema.format === "date") return "2026-03-02";
      if (schema.format === "email") return "fuzz@example.vn";
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
  }
}

/** Every JSON Pointer into `value` (its containers and leaves), to put a hostile value at. */
function pointers(value: Json, at = ""): string[] {
  if (typeof value !== "object" || value === null) return [at];
  const inner = Array.isArray(value) ? value.flatMap((v, i) => pointers(v, `${at}/${i}`)) : Object.entries(value).flatMap(([k, v]) => pointers(v, `${at}/${k}`));
  return at === "" ? inner : [at, ...inner];
}

function setAt(value: Json, pointer: string, replacement: Json): Json {
  if (pointer === "") return replacement;
  const copy = structuredClone(value) as Record<string, Json>;
  const keys = pointer.slice(1).split("/");
  let target: Record<string, Json> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, Json>;
  target[keys.at(-1)!] = replacement;
  return copy;
}

/** Where a request carries its one hostile value. */
type Slot =
  | { in: "path" | "query"; name: string }
  | { in: "body"; pointer: string }
  | { in: "extra-key" }
  | { in: "raw-body" }
  | { in: "multipart" }
  | { in: "header"; name: string };

interface Sample {
  slot: Slot;
  text: string;
  json: Json;
  raw: string;
  multipart: "no-boundary" | "garbage" | "nul-field" | "nul-name" | "no-file";
  /** Which known value each path parameter takes. */
  pick: number;
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const HEADERS = ["accept-language", "x-request-id", "cookie", "authorization", "content-type"];

/** The one request a sample makes of `op`. */
function requestOf(op: Operation, s: Sample, known: Record<string, Json[]>, bearer: string | null): Request {
  const knownFirst = Object.fromEntries(Object.entries(known).map(([k, v]) => [k, v[s.pick % v.length]!]));
  const path = op.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = s.slot.in === "path" && s.slot.name === name ? s.text : String(knownFirst[name] ?? "x");
    return encodeLoose(value);
  });
  const query: Array<[string, string]> = [];
  for (const q of op.query) {
    if (s.slot.in === "query" && s.slot.name === q.name) query.push([q.name, s.text]);
    else query.push([q.name, String(example(q.schema, q.name, knownFirst))]);
  }
  if (s.slot.in === "extra-key") query.push([s.text, "1"]);
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  if (s.slot.in === "header") headers[s.slot.name] = s.slot.name === "authorization" ? `Bearer ${s.text}` : s.text;
  const url = `${path}${query.length ? `?${queryOf(query)}` : ""}`;
  if (op.method === "GET" || op.method === "HEAD") return { method: op.method, url, headers };
  if (s.slot.in === "multipart") return { method: op.method, url, ...multipartOf(s.multipart, headers) };
  if (s.slot.in === "raw-body") return { method: op.method, url, headers: { "content-type": "application/json", ...headers }, payload: s.raw };
  if (!op.body) return { method: op.method, url, headers };
  let body = example(op.body, "", knownFirst);
  if (s.slot.in === "body") body = setAt(body, s.slot.pointer, s.json);
  if (s.slot.in === "extra-key" && typeof body === "object" && body !== null && !Array.isArray(body)) body = { ...body, [s.text]: s.json };
  return { method: op.method, url, headers: { "content-type": "application/json", ...headers }, payload: JSON.stringify(body) };
}

function multipartOf(kind: Sample["multipart"], headers: Record<string, string>): Pick<Request, "headers" | "payload"> {
  const file = { name: "to-khai.pdf", type: "application/pdf", bytes: PDF };
  switch (kind) {
    case "no-boundary":
      return { headers: { ...headers, "content-type": "multipart/form-data" }, payload: "--x\r\n" };
    case "garbage":
      return { headers: { ...headers, "content-type": "multipart/form-data; boundary=zz" }, payload: "not a multipart body" };
    case "nul-field": {
      const m = multipart({ component: NUL }, file);
      return { headers: { ...headers, ...m.headers }, payload: m.payload };
    }
    case "nul-name": {
      const m = multipart({ component: "to-khai" }, { ...file, name: `${NUL}.pdf` });
      return { headers: { ...headers, ...m.headers }, payload: m.payload };
    }
    case "no-file": {
      const boundary = "only-fields";
      return { headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` }, payload: `--${boundary}\r\nContent-Disposition: form-data; name="component"\r\n\r\nto-khai\r\n--${boundary}--\r\n` };
    }
  }
}

function slotsOf(op: Operation, known: Record<string, Json[]>): Slot[] {
  const slots: Slot[] = [
    ...op.pathParams.map((name) => ({ in: "path" as const, name })),
    ...op.query.map((q) => ({ in: "query" as const, name: q.name })),
    { in: "extra-key" },
    ...HEADERS.map((name) => ({ in: "header" as const, name })),
  ];
  if (op.method !== "GET") {
    slots.push({ in: "raw-body" }, { in: "multipart" });
    if (op.body) {
      const first = Object.fromEntries(Object.entries(known).map(([k, v]) => [k, v[0]!]));
      for (const pointer of pointers(example(op.body, "", first))) slots.push({ in: "body", pointer });
    }
  }
  return slots;
}

function sampleArb(slots: Slot[]): fc.Arbitrary<Sample> {
  return fc.record({ slot: fc.constantFrom(...slots), text: hostileText, json: hostileJson, raw: hostileRawBody, multipart: hostileMultipart, pick: fc.nat() });
}

/** Tables that count requests, refused ones too, by design: the public lookup's and the sign-in's throttles. */
const COUNTERS = ["public.lookup_throttle", "public.sign_in_throttle"];

/** The database's state as a string: each table's row count and the newest transaction that wrote a row of it. */
async function fingerprintOf(env: TestEnv, tables: SQL): Promise<string> {
  const [row] = await env.database.rows<{ state: string }>(tables);
  return row!.state;
}

/** The next transaction id: it moves only when a transaction wrote (or began to write) something. */
async function nextXid(env: TestEnv): Promise<string> {
  const [row] = await env.database.rows<{ xmax: string }>(sql`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
  return row!.xmax;
}

describe("hostile input on every route", () => {
  let env: TestEnv & { app: App };
  const callers: Array<{ who: Role | "anonymous"; token: string | null }> = [{ who: "anonymous", token: null }];
  let known: Record<string, Json[]>;
  let tablesQuery: SQL;
  let citizen: TestAccount;
  let dossierId: string;
  let fileId: string;
  let procedureCode: string;

  before(async () => {
    env = await testApp();
    await runSeeds(env.database, [adminUnitsSeed(), demoAgenciesSeed(env.ctx.directory)], { demo: true });
    const procedure = buildProcedure({ agencies: [AGENCY] });
    procedureCode = procedure.code;
    await env.ctx.catalog.create(systemActor("test"), procedure);
    await env.ctx.catalog.publish(systemActor("test"), procedure.code);
    const accounts: Record<Role, TestAccount> = {
      citizen: (citizen = await buildCitizen(env.ctx)),
      business: await buildBusiness(env.ctx),
      receiver: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["receiver"] }),
      specialist: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["specialist"] }),
      leader: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["leader"] }),
      agency_admin: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["agency_admin"] }),
      supervisor: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["supervisor"] }),
      system_admin: await buildOfficer(env.ctx, { agency: AGENCY, roles: ["system_admin"] }),
    };
    for (const role of ROLES) callers.push({ who: role, token: await accounts[role].token() });
    // An account only the fuzz changes (roles, department, disabled), so no caller loses its own.
    const victim = await buildOfficer(env.ctx, { agency: AGENCY, roles: ["specialist"] });

    const form = { hoTen: "Nguyễn Thị Mai", soCccd: "001190000001", ngaySinh: "1990-01-01" };
    const as = async (token: string, method: "POST" | "PUT", url: string, payload: object) => {
      const res = await env.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const draft = { procedureCode, agencyCode: AGENCY, formData: form };
    dossierId = (await as(await citizen.token(), "POST", "/api/dossiers", { ...draft, requestId: nextUuid() })).id;
    const upload = multipart({ component: "to-khai" }, { name: "to-khai.pdf", type: "application/pdf", bytes: PDF });
    const attached = await env.app.inject({ method: "POST", url: `/api/dossiers/${dossierId}/attachments`, headers: { authorization: `Bearer ${await citizen.token()}`, ...upload.headers }, payload: upload.payload });
    assert.equal(attached.statusCode, 201, attached.body);
    fileId = attached.json().id;
    const filed = await as(await citizen.token(), "POST", "/api/dossiers", { ...draft, requestId: nextUuid() });
    await env.app.inject({ method: "POST", url: `/api/dossiers/${filed.id}/attachments`, headers: { authorization: `Bearer ${await citizen.token()}`, ...upload.headers }, payload: upload.payload });
    await as(await citizen.token(), "POST", `/api/dossiers/${filed.id}/submit`, {});

    known = {
      id: [dossierId, filed.id, victim.id],
      fileId: [fileId],
      code: [procedureCode, AGENCY, "24"],
      version: [1],
      action: ["receive", "withdraw", "request_supplement", "refuse"],
      form: ["01.pdf"],
      procedureCode: [procedureCode],
      agencyCode: [AGENCY],
      agency: [AGENCY],
      formData: [form],
      q: ["giấy"],
      year: [2026],
    };

    const tables = await env.database.rows<{ name: string }>(
      sql`SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    assert.ok(tables.length > 10, `${tables.length} tables`);
    // The throttles count attempts, refused ones included, by design (a guesser's 404s are what they count): their
    // counters are not a refused request's partial write.
    const counted = tables.filter((t) => !COUNTERS.includes(t.name));
    assert.equal(tables.length - counted.length, COUNTERS.length, "every counter table named exists");
    const parts = counted.map((t) => sql.raw(`'${t.name}:' || (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${t.name})`));
    tablesQuery = sql`SELECT concat_ws(' ', ${sql.join(parts, sql`, `)}) AS state`;
  });
  after(() => env.close());

  /**
   * Sends each request, in order (made one at a time: a megabyte value is copied into each that carries it), and checks after each: no 5xx, nothing on Object.prototype, and, for a refused
   * one (4xx), the database as it was. Returns the problems found.
   */
  async function send(requests: Iterable<{ label: string; request: Request }>): Promise<{ problems: string[]; statuses: Map<number, number> }> {
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let xid = await nextXid(env);
    let state = await fingerprintOf(env, tablesQuery);
    for (const { label, request } of requests) {
      let status: number;
      try {
        status = (await env.app.inject({ ...request, method: request.method as "GET" })).statusCode;
      } catch (err) {
        // light-my-request refuses what no HTTP client can send (a header value outside Latin-1): not a request.
        if (err instanceof TypeError && /header|character/i.test(err.message)) continue;
        throw err;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) problems.push(`${label}: ${status}`);
      if (Object.keys(Object.prototype).length > 0 || ({} as { polluted?: unknown }).polluted !== undefined) problems.push(`${label}: Object.prototype polluted`);
      const nowXid = await nextXid(env);
      if (nowXid === xid) continue;
      xid = nowXid;
      const now = await fingerprintOf(env, tablesQuery);
      if (status >= 400 && now !== state) problems.push(`${label}: refused with ${status} but wrote ${changedTables(state, now).join(", ")}`);
      state = now;
    }
    return { problems, statuses };
  }

  it("answers every operation of the OpenAPI document, as every role and signed out, with no 5xx and no partial write", async () => {
    const spec = (await env.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const ops = operationsOf(spec);
    assert.ok(ops.length >= 40, `${ops.length} operations`);
    const requests = function* () {
      for (const [o, op] of ops.entries()) {
        const arb = sampleArb(slotsOf(op, known));
        for (const [c, caller] of callers.entries()) {
          for (const s of fc.sample(arb, { seed: SEED + o * 100 + c, numRuns: RUNS })) {
            const request = requestOf(op, s, known, caller.token);
            yield { label: `${request.method} ${request.url.slice(0, 120)} as ${caller.who} (${describeSlot(s)})`, request };
          }
        }
      }
    };
    const { problems, statuses } = await send(requests());
    assert.deepEqual(problems, [], `seed ${SEED}`);
    // The requests reached past validation too: some were accepted, some refused by the services.
    assert.ok((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) > 50, JSON.stringify([...statuses]));
    assert.ok((statuses.get(400) ?? 0) > 200, JSON.stringify([...statuses]));
  });

  it("answers every page with a query, as every role and signed out, with no 5xx and no partial write", async () => {
    const pages = registeredRoutes(env.app).filter(
      (r) => r.method === "GET" && !r.url.includes("*") && !/^\/(api|oidc|docs|openapi|\.well-known)/.test(r.url),
    );
    assert.ok(pages.length > 30, `${pages.length} pages`);
    // The names the pages' queries use; each request gives some of them a hostile value.
    const names = ["q", "next", "trang", "page", "da", "year", "v", "token", "from", "to", "ma", "khoa", "lang", "buoc", "agency"];
    const small = hostileText.filter((t) => t.length < 1000);
    const arb = fc.record({ values: fc.array(fc.option(small, { freq: 2 }), { minLength: names.length, maxLength: names.length }), pick: fc.nat() });
    const requests = function* () {
      for (const [p, page] of pages.entries()) {
        const path = (pick: number) => page.url.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(known[name]?.[pick % known[name]!.length] ?? "x")));
        for (const [c, caller] of callers.entries()) {
          for (const s of fc.sample(arb, { seed: SEED + 7 + p * 100 + c, numRuns: 1 })) {
            const pairs = names.flatMap((name, i): Array<[string, string]> => (s.values[i] === null ? [] : [[name, s.values[i]!]]));
            const url = `${path(s.pick)}?${queryOf(pairs)}`;
            const headers: Record<string, string> = { accept: "text/html", ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}) };
            yield { label: `GET ${url.slice(0, 160)} as ${caller.who}`, request: { method: "GET", url, headers } };
          }
        }
        // And once a megabyte, in one of the names pages read most.
        const big = ["q", "next", "trang"][p % 3]!;
        yield { label: `GET ${page.url}?${big}=<1 MB>`, request: { method: "GET", url: `${path(0)}?${queryOf([[big, MEGABYTE]])}`, headers: { accept: "text/html" } } };
      }
    };
    const { problems } = await send(requests());
    assert.deepEqual(problems, [], `seed ${SEED}`);
  });

  it("answers the OpenID provider's form posts (token, revocation, introspection) with no 5xx", async () => {
    const fields = ["grant_type", "refresh_token", "code", "client_id", "client_secret", "token", "redirect_uri", "code_verifier", "scope"];
    const benign: Record<string, string> = { grant_type: "refresh_token", client_id: "motcua-portal", refresh_token: "x", token: "x", redirect_uri: "http://localhost/auth/callback" };
    const arb = fc.record({ field: fc.constantFrom(...fields), text: hostileText.filter((t) => t.length < 1000) });
    const requests: Array<{ label: string; request: Request }> = [];
    for (const [e, endpoint] of ["/oidc/token", "/oidc/token/revocation", "/oidc/token/introspection"].entries()) {
      for (const s of fc.sample(arb, { seed: SEED + 11 + e, numRuns: 12 })) {
        const payload = queryOf(Object.entries({ ...benign, [s.field]: s.text }));
        requests.push({ label: `POST ${endpoint} ${s.field}=${JSON.stringify(s.text)}`, request: { method: "POST", url: endpoint, headers: { "content-type": "application/x-www-form-urlencoded" }, payload } });
      }
    }
    const { problems } = await send(requests);
    assert.deepEqual(problems, [], `seed ${SEED}`);
  });

  it("refuses the NULs and lone surrogates issue 13 met (500s before) with 400 naming the field, and writes nothing", async () => {
    const token = await citizen.token();
    const admin = callers.find((c) => c.who === "system_admin")!.token!;
    const api = (method: "GET" | "POST", url: string, extra: { token?: string | null; payload?: string | Buffer | object; headers?: Record<string, string> } = {}) => {
      const bearer = extra.token === undefined ? token : extra.token;
      return env.app.inject({ method, url, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra.headers }, ...(extra.payload === undefined ? {} : { payload: extra.payload }) });
    };
    const refused = async (res: Awaited<ReturnType<typeof api>>, code: string, paths?: string[]) => {
      assert.equal(res.statusCode, code === "request.not_multipart" ? 415 : 400, `${code}: ${res.body.slice(0, 300)}`);
      if (res.headers["content-type"]?.toString().startsWith("text/html")) return;
      assert.equal(res.json().error.code, code);
      if (paths) assert.deepEqual(res.json().error.fields.map((f: { path: string }) => f.path), paths);
    };
    const state = await fingerprintOf(env, tablesQuery);
    const dossier = (formData: object) => ({ procedureCode, agencyCode: AGENCY, formData, requestId: nextUuid() });

    await refused(await api("GET", "/api/procedures?q=a%00b", { token: null }), "request.invalid_characters", ["/querystring/q"]);
    await refused(await api("GET", "/api/agencies?q=%00", { token: null }), "request.invalid_characters", ["/querystring/q"]);
    // A browser is answered with a page naming the refusal, not the API's JSON.
    const page = await api("GET", "/thu-tuc?q=%00", { token: null, headers: { accept: "text/html" } });
    assert.equal(page.statusCode, 400);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.match(page.body, /ký tự không được phép/);
    await refused(await api("POST", "/api/dossiers", { payload: dossier({ hoTen: NUL, soCccd: "001190000001" }) }), "request.invalid_characters", ["/formData/hoTen"]);
    await refused(await api("POST", "/api/dossiers", { payload: dossier({ hoTen: "\ud800", soCccd: "001190000001" }) }), "request.invalid_characters", ["/formData/hoTen"]);
    await refused(await api("GET", `/api/dossiers/${dossierId}/attachments/%00`), "request.invalid_characters", ["/params/fileId"]);
    const officer = { username: "can.bo.nul", fullName: `Cán bộ ${NUL}`, agencyCode: AGENCY, roles: [{ role: "specialist" }], password: "MatKhau2026moi" };
    await refused(await api("POST", "/api/admin/officers", { token: admin, payload: officer }), "request.invalid_characters", ["/fullName"]);
    const named = multipart({ component: "to-khai" }, { name: `${NUL}.pdf`, type: "application/pdf", bytes: PDF });
    await refused(await api("POST", `/api/dossiers/${dossierId}/attachments`, { payload: named.payload, headers: named.headers }), "request.invalid_characters", ["/file/filename"]);
    await refused(await api("POST", `/api/dossiers/${dossierId}/attachments`, { payload: "--x", headers: { "content-type": "multipart/form-data" } }), "request.malformed_multipart");
    await refused(await api("POST", `/api/dossiers/${dossierId}/attachments`, { payload: { component: "to-khai" } }), "request.not_multipart");
    await refused(await api("GET", "/api/me", { token: NUL }), "request.invalid_characters", ["/headers/authorization"]);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    await refused(await api("POST", "/oidc/token", { token: null, headers: form, payload: "grant_type=refresh_token&client_id=motcua-portal&refresh_token=a%00b" }), "request.invalid_characters", ["/refresh_token"]);

    assert.equal(await fingerprintOf(env, tablesQuery), state);
  });

  it("keeps 4-byte characters (emoji, CJK Extension B) in a form, a name and a file name", async () => {
    const token = await citizen.token();
    const admin = callers.find((c) => c.who === "system_admin")!.token!;
    const name = "Nguyễn 𠀀 😀";
    const created = await env.app.inject({
      method: "POST",
      url: "/api/dossiers",
      headers: { authorization: `Bearer ${token}` },
      payload: { procedureCode, agencyCode: AGENCY, formData: { hoTen: name, soCccd: "001190000001" }, requestId: nextUuid() },
    });
    assert.equal(created.statusCode, 201, created.body);
    const upload = multipart({ component: "to-khai" }, { name: `${name}.pdf`, type: "application/pdf", bytes: PDF });
    const attached = await env.app.inject({ method: "POST", url: `/api/dossiers/${created.json().id}/attachments`, headers: { authorization: `Bearer ${token}`, ...upload.headers }, payload: upload.payload });
    assert.equal(attached.statusCode, 201, attached.body);
    const read = (await env.app.inject({ method: "GET", url: `/api/dossiers/${created.json().id}`, headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(read.formData.hoTen, name);
    assert.equal(read.attachments[0].name, `${name}.pdf`);
    const officer = await env.app.inject({
      method: "POST",
      url: "/api/admin/officers",
      headers: { authorization: `Bearer ${admin}` },
      payload: { username: "can.bo.bon.byte", fullName: `Cán bộ ${name}`, agencyCode: AGENCY, roles: [{ role: "specialist" }], password: "MatKhau2026moi" },
    });
    assert.equal(officer.statusCode, 201, officer.body);
    assert.equal(officer.json().fullName, `Cán bộ ${name}`);
  });
});

function describeSlot(s: Sample): string {
  const value = JSON.stringify(s.slot.in === "body" ? s.json : s.slot.in === "raw-body" ? s.raw : s.slot.in === "multipart" ? s.multipart : s.text) ?? "";
  return `${JSON.stringify(s.slot)} = ${value.length > 60 ? `${value.slice(0, 60)}… (${value.length})` : value}`;
}

function changedTables(before: string, after: string): string[] {
  const old = new Set(before.split(" "));
  return after.split(" ").filter((t) => !old.has(t));
}
