// Abuse controls on registry look-ups (issue 18, item 6): the per-person and per-client limits (429 with
// Retry-After, a new minute lets them through again), and the supervisors' anomaly report over look-ups laid down
// as fixtures on the test clock: an officer looking up many people for no dossier of the agency, look-ups outside
// the agency's office hours (evening, lunch break, Sunday).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { sql } from "../../platform/db/drizzle.ts";
import type { App } from "../../platform/http/types.ts";
import { buildAgency } from "../directory/testing.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, fileDossier, publishProcedures } from "../dossiers/testing.ts";
import { buildCitizen, buildOfficer, type TestAccount } from "../identity/testing.ts";
import { type AnomalyReport, makeAnomalyService } from "./anomalies.ts";
import { withLookupLimits } from "./limits.ts";
import { LookupThrottled } from "./rights/errors.ts";
import type { RegistriesService } from "./service.ts";
import * as repo from "./repo.ts";
import { DEFAULT_RIGHTS } from "./rights/settings.ts";

// Tuesday 1 December 2026, 10:00 in Hà Nội (UTC+7), inside the default office hours.
const clock = fixedClock("2026-12-01T03:00:00Z");
const LIMITS = { ...DEFAULT_RIGHTS, officerPerMinute: 2, clientPerMinute: 3, anomalyDistinct: 3 };

describe("abuse controls on look-ups", () => {
  let env: TestEnv & { app: App };
  let api: ReturnType<typeof apiAs>;
  let s: DossierSetting;
  let person: TestAccount;

  before(async () => {
    // No registry configured: every look-up is recorded and answers 503, unless a limit refuses it first.
    env = await testApp({ clock, config: { registries: { connectors: {}, breaker: { failures: 5, resetMs: 30_000 }, simulate: false, rights: LIMITS } } });
    api = apiAs(env.app);
    s = await dossierSetting(env.ctx);
    person = await buildCitizen(env.ctx);
  });
  after(() => env?.close());

  const lookUp = (who: TestAccount) =>
    api(who, "GET", `/api/registries/citizens/${person.username}?purpose=${encodeURIComponent("Tiếp nhận hồ sơ")}&legalBasis=${encodeURIComponent("Nghị định 118/2025/NĐ-CP")}&dossierId=ho-so-1`);

  it("limits look-ups per officer and per client, with Retry-After, until the next minute", async () => {
    clock.set("2026-12-01T03:00:10Z");
    assert.equal((await lookUp(s.cast.receiver)).statusCode, 503);
    assert.equal((await lookUp(s.cast.receiver)).statusCode, 503);
    const third = await lookUp(s.cast.receiver);
    assert.equal(third.statusCode, 429, third.body);
    assert.equal(third.json().error.code, "registries.throttled");
    assert.equal(third.json().error.scope, "officer");
    assert.equal(third.headers["retry-after"], "60", "a minute from the officer's first look-up");

    // Another officer from the same client address: their own count, but the address has used its three.
    const other = await lookUp(s.cast.specialist);
    assert.equal(other.statusCode, 503);
    const fromClient = await lookUp(s.cast.specialist);
    assert.equal(fromClient.statusCode, 429);
    assert.equal(fromClient.json().error.scope, "client");

    // A refused look-up never reached the registry: it is not recorded.
    assert.equal((await repo.lookupsOf(env.database.db, "citizen", person.username)).length, 3);

    clock.set("2026-12-01T03:01:09Z");
    const still = await lookUp(s.cast.receiver);
    assert.equal(still.statusCode, 429, "the minute runs from the first look-up");
    assert.equal(still.headers["retry-after"], "1");
    clock.set("2026-12-01T03:01:10Z");
    assert.equal((await lookUp(s.cast.receiver)).statusCode, 503, "a new minute, a new count");
  });

  it("counts a person's and an address's look-ups across the nodes: the limit is the same as on one node", async () => {
    clock.set("2026-12-02T03:00:00Z");
    // Two nodes' services over the one database, each with its own memory, around a registry that answers.
    const inner = { lookupCitizen: async () => ({ found: true }) } as unknown as RegistriesService;
    const node = () => withLookupLimits(inner, { officerPerMinute: 3, clientPerMinute: 4 }, { database: env.database, clock });
    const [a, b] = [node(), node()];
    const officer = actorOf(env.ctx, s.cast.specialist);
    const ask = (on: RegistriesService, client: string) => on.lookupCitizen(officer, person.username, { purpose: "Tiếp nhận hồ sơ", legalBasis: "Nghị định 118/2025/NĐ-CP", dossierId: "ho-so-1" }, { client });
    await ask(a, "10.0.0.1");
    await ask(b, "10.0.0.2");
    await ask(a, "10.0.0.1");
    await assert.rejects(ask(b, "10.0.0.2"), (err: unknown) => err instanceof LookupThrottled && err.details?.scope === "officer", "the officer's fourth, on the other node");
    await assert.rejects(ask(a, "10.0.0.1"), (err: unknown) => err instanceof LookupThrottled && err.details?.scope === "officer");

    // An address's look-ups by several officers, over both nodes.
    const others = [s.cast.receiver, s.cast.supervisor, s.cast.admin, s.cast.citizen].map((who) => actorOf(env.ctx, who));
    for (const [i, who] of others.entries()) await (i % 2 ? b : a).lookupCitizen(who, person.username, { purpose: "Tiếp nhận hồ sơ", legalBasis: "Nghị định 118/2025/NĐ-CP", dossierId: "ho-so-1" }, { client: "10.0.0.9" });
    await assert.rejects(
      b.lookupCitizen(others[0]!, person.username, { purpose: "Tiếp nhận hồ sơ", legalBasis: "Nghị định 118/2025/NĐ-CP", dossierId: "ho-so-1" }, { client: "10.0.0.9" }),
      (err: unknown) => err instanceof LookupThrottled && err.details?.scope === "client",
      "the address's fifth, by an officer under their own limit",
    );
  });

  it("applies the per-address limit to look-ups made from the pages as to the API", async () => {
    const place = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(place.place, { name: "Thủ tục thử giới hạn theo địa chỉ" }));
    const dossier = await fileDossier(env.ctx, place, procedure);
    clock.set("2026-12-08T03:00:10Z");
    const csrf = "c".repeat(32);
    // The office's verification of the dossier's applicant, a page post from one address (inject's 127.0.0.1).
    const verify = async (who: TestAccount) =>
      env.app.inject({
        method: "POST",
        url: `/office/ho-so/${dossier.id}/doi-chieu-csdl`,
        headers: { authorization: `Bearer ${await who.token()}`, cookie: `motcua_csrf=${csrf}`, accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, registry: "population", purpose: "Đối chiếu thông tin người nộp" }).toString(),
      });
    // Two officers, each under their own limit of two: the address's three are used by the third look-up.
    assert.equal((await verify(place.cast.receiver)).statusCode, 503);
    assert.equal((await verify(place.cast.receiver)).statusCode, 503);
    const colleague = await buildOfficer(env.ctx, { agency: place.agencies.centre, department: "tiep-nhan", roles: ["receiver"], fullName: "Đỗ Văn Đồng", email: null });
    assert.equal((await verify(colleague)).statusCode, 503);
    const fourth = await verify(colleague);
    assert.equal(fourth.statusCode, 429, "the page's look-up counts against its address");
    assert.match(fourth.body, /tra cứu|look-ups/i);
    const recorded = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM registry_lookups WHERE dossier_id = ${dossier.id}`);
    assert.equal(recorded[0]?.n, 3, "the refused look-up never reached the registry");
  });

  it("reports officers looking up many people for no dossier of the agency, and look-ups outside office hours", async () => {
    const place = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(place.place, { name: "Thủ tục thử tra cứu bất thường" }));
    const dossier = await fileDossier(env.ctx, place, procedure);
    const curious = place.cast.receiver;
    const diligent = await buildOfficer(env.ctx, { agency: place.agencies.centre, department: "tiep-nhan", roles: ["receiver"], fullName: "Vũ Thị Cẩn", email: null });
    const at = (iso: string, who: TestAccount, subjectId: string, dossierId: string) =>
      repo.insertLookup(env.database.db, {
        at: new Date(iso),
        actor: `user:${who.id}`,
        actorName: who.user.fullName,
        agencyCode: place.place.centre,
        registry: "population",
        subjectType: "citizen",
        subjectId,
        fields: ["fullName"],
        purpose: "Tiếp nhận hồ sơ",
        legalBasis: "Nghị định 118/2025/NĐ-CP",
        dossierId,
        outcome: "ok",
      });
    // Tuesday 10:00–10:02: three people for dossiers the agency does not have; three for one it has.
    for (const [i, cccd] of ["001090000001", "001090000002", "001090000003"].entries()) {
      await at(`2026-12-01T03:0${i}:00Z`, curious, cccd, `khong-co-${i}`);
      await at(`2026-12-01T03:0${i}:30Z`, diligent, `00119000001${i}`, dossier.id);
    }
    const evening = await at("2026-12-01T14:00:00Z", diligent, "001190000010", dossier.id); // 21:00
    const lunch = await at("2026-12-01T04:45:00Z", curious, "001090000001", `khong-co-0`); // 11:45, the lunch break
    const sunday = await at("2026-12-06T03:00:00Z", diligent, "001190000011", dossier.id); // Sunday 10:00
    clock.set("2026-12-07T03:00:00Z");

    const res = await api(place.cast.supervisor, "GET", `/api/registries/anomalies?agencyCode=${place.place.centre}&from=2026-11-30T17:00:00Z&to=2026-12-07T17:00:00Z`);
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json() as AnomalyReport;
    assert.equal(report.lookups, 9);
    assert.deepEqual(
      report.unlinked.map((o) => [o.actor, o.distinctUnlinked]),
      [[`user:${curious.id}`, 3]],
      "only the officer whose look-ups name no dossier of the agency",
    );
    assert.deepEqual(report.offHours.map((l) => l.id).sort(), [evening.id, lunch.id, sunday.id].sort());

    // Only those who oversee the agency read it.
    assert.equal((await api(curious, "GET", `/api/registries/anomalies?from=2026-11-30T17:00:00Z&to=2026-12-07T17:00:00Z`)).statusCode, 403);
    const elsewhere = await buildAgency(env.ctx, { name: "Ủy ban nhân dân tỉnh Khác", kind: "people_committee", departments: [] });
    const stranger = await buildOfficer(env.ctx, { agency: elsewhere, department: null, roles: ["supervisor"], fullName: "Giám sát Nơi khác", email: null });
    await assert.rejects(
      env.ctx.registryAnomalies.report(actorOf(env.ctx, stranger), { agencyCode: place.place.centre, from: new Date("2026-11-30T17:00:00Z"), to: new Date("2026-12-07T17:00:00Z") }),
      /không có quyền|not allowed/i,
    );
  });
  it("reads the dossier references of the whole report with one call, whatever the number of officers and dossiers", async () => {
    const place = await dossierSetting(env.ctx);
    const procedure = await publishProcedures(env.ctx, buildProvincialProcedure(place.place, { name: "Thủ tục thử báo cáo một truy vấn" }));
    const held = [await fileDossier(env.ctx, place, procedure), await fileDossier(env.ctx, place, procedure)];
    const officers = [place.cast.receiver, ...(await Promise.all([1, 2, 3].map((i) => buildOfficer(env.ctx, { agency: place.agencies.centre, department: "tiep-nhan", roles: ["receiver"], fullName: `Cán Bộ Số ${i}`, email: null }))))];
    // Each officer: one look-up for each dossier the agency holds, and three for dossiers it does not have.
    for (const [n, who] of officers.entries()) {
      const refs = [...held.map((d) => d.id), randomUUID(), randomUUID(), `ngoai-${n}`];
      for (const [i, ref] of refs.entries()) {
        await repo.insertLookup(env.database.db, {
          at: new Date(Date.UTC(2026, 11, 9, 3, n, i)),
          actor: `user:${who.id}`,
          actorName: who.user.fullName,
          agencyCode: place.place.centre,
          registry: "population",
          subjectType: "citizen",
          subjectId: `0010900002${n}${i}`,
          fields: ["fullName"],
          purpose: "Tiếp nhận hồ sơ",
          legalBasis: "Nghị định 118/2025/NĐ-CP",
          dossierId: ref,
          outcome: "ok",
        });
      }
    }
    let calls = 0;
    const counted = new Proxy(env.ctx.dossiers, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const anomalies = makeAnomalyService({ database: env.database, calendar: env.ctx.calendar, dossiers: counted, threshold: 3 });
    const report = await anomalies.report(actorOf(env.ctx, place.cast.supervisor), { agencyCode: place.place.centre, from: new Date("2026-12-08T17:00:00Z"), to: new Date("2026-12-09T17:00:00Z") });
    assert.equal(report.lookups, 20);
    assert.deepEqual(report.unlinked.map((o) => o.distinctUnlinked), [3, 3, 3, 3], "the agency's own dossiers are told apart from the others");
    assert.equal(calls, 1, `one call to the dossiers for ${officers.length} officers and 14 dossier references, not one each`);
  });
});
