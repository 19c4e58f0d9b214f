// "Ai đã xem dữ liệu của tôi" against `motcua registry-sim` (a child process, over HTTP): every look-up of the
// signed-in citizen's data, by whom, which agency, which fields, why, on what basis, for which dossier; filters;
// CSV and PDF; a covert look-up hidden until its disclosure date (the test clock); the link to the data store.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { fixedClock } from "../../platform/clock.ts";
import { sql } from "../../platform/db/drizzle.ts";
import type { App } from "../../platform/http/types.ts";
import { actorOf, dossierSetting, type DossierSetting } from "../dossiers/testing.ts";
import { buildCitizen, type FormBrowser, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { makeConnectors, makeRegistriesService } from "./service.ts";
import { type SimProcess, simRegistries, startSimProcess } from "./testing.ts";

const HTML = { accept: "text/html" };
const BASIS = "Nghị định 47/2020/NĐ-CP";

describe("the data tracker against registry-sim", () => {
  let sim: SimProcess;
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let person: TestAccount;
  let browser: FormBrowser;

  before(async () => {
    sim = await startSimProcess({ seed: 6, citizens: 300, businesses: 5 });
    env = (await testApp({ config: { registries: simRegistries(sim.url) } })) as TestEnv & { app: App };
    s = await dossierSetting(env.ctx);
    const [cccd] = await sim.ids("citizens", 3, 1);
    const officer = actorOf(env.ctx, s.cast.receiver);
    const found = await env.ctx.registries.lookupCitizen(officer, cccd!, { purpose: "Tiếp nhận hồ sơ khai sinh", legalBasis: BASIS, dossierId: "ho-so-khai-sinh" });
    assert.ok(found);
    await env.ctx.registries.civilEvents(actorOf(env.ctx, s.cast.specialist), cccd!, { purpose: "Thẩm định quan hệ cha mẹ con", legalBasis: BASIS, dossierId: "ho-so-khai-sinh" });
    person = await buildCitizen(env.ctx, { cccd: cccd!, birthDate: found.birthDate, sex: found.sex });
    await env.ctx.registries.lookupCitizen(actorOf(env.ctx, person), cccd!, { purpose: "Tự xem thông tin của mình", legalBasis: "Sự đồng ý của chủ thể dữ liệu", dossierId: "tu-xem" });
    browser = await formBrowser(env.app);
    await signInThroughParty(env.ctx, browser, "portal", person.username, TEST_PASSWORD);
  });
  after(async () => {
    await sim?.stop();
    await env?.close();
  });

  it("lists every look-up of the citizen's data with who, which agency, the fields, purpose, legal basis and dossier, and links the data store", async () => {
    const page = await browser.get("/ai-da-xem-du-lieu-cua-toi", HTML);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ai đã xem dữ liệu của tôi/);
    assert.match(page.body, /Trần Văn Tiếp/);
    assert.match(page.body, new RegExp(`\\(${s.place.centre.replaceAll(".", "\\.")}\\)`));
    assert.match(page.body, /Tiếp nhận hồ sơ khai sinh/);
    assert.match(page.body, /Thẩm định quan hệ cha mẹ con/);
    assert.match(page.body, /permanentResidence/);
    assert.match(page.body, /ho-so-khai-sinh/);
    assert.match(page.body, /\(chính bạn\)/);
    assert.match(page.body, /href="\/kho-du-lieu"/);
    // Each look-up is an entry of the audit chain too.
    const audited = await env.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registries.lookup' AND subject_id IN (SELECT id FROM registry_lookups WHERE subject_id = ${person.username})`);
    assert.equal(audited[0]?.n, 3);
  });

  it("filters by registry, agency, purpose and period", async () => {
    const civil = await browser.get("/ai-da-xem-du-lieu-cua-toi?csdl=civil_status", HTML);
    assert.match(civil.body, /Thẩm định quan hệ cha mẹ con/);
    assert.doesNotMatch(civil.body, /Tiếp nhận hồ sơ khai sinh/);
    const agency = await browser.get(`/ai-da-xem-du-lieu-cua-toi?co-quan=${encodeURIComponent(s.place.centre)}`, HTML);
    assert.match(agency.body, /Tiếp nhận hồ sơ khai sinh/);
    assert.doesNotMatch(agency.body, /Tự xem thông tin của mình/);
    const purpose = await browser.get(`/ai-da-xem-du-lieu-cua-toi?muc-dich=${encodeURIComponent("tự xem")}`, HTML);
    assert.match(purpose.body, /Tự xem thông tin của mình/);
    assert.doesNotMatch(purpose.body, /Thẩm định/);
    const past = await browser.get("/ai-da-xem-du-lieu-cua-toi?tu=2001-01-01&den=2001-12-31", HTML);
    assert.match(past.body, /id="no-lookups"/);
    // A date that does not exist is no filter, never a 500.
    const impossible = await browser.get("/ai-da-xem-du-lieu-cua-toi?tu=2024-13-45&den=2024-02-30", HTML);
    assert.equal(impossible.statusCode, 200);
    assert.doesNotMatch(impossible.body, /id="no-lookups"/);
  });

  it("exports the filtered look-ups as CSV and as PDF", async () => {
    const csv = await browser.get("/ai-da-xem-du-lieu-cua-toi?csdl=population&dinh-dang=csv");
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    assert.match(String(csv.headers["content-disposition"]), /attachment; filename="ai-da-xem-du-lieu.*\.csv"/);
    const lines = csv.body.replace(/^\uFEFF/, "").trim().split("\r\n");
    assert.equal(lines.length, 3, "the header and two population look-ups");
    assert.match(lines[0]!, /^Thời điểm,Người tra cứu,Cơ quan,Cơ sở dữ liệu/);
    assert.ok(lines.some((l) => l.includes("Tiếp nhận hồ sơ khai sinh") && l.includes(s.place.centre)));
    const pdf = await browser.get("/ai-da-xem-du-lieu-cua-toi?dinh-dang=pdf");
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers["content-type"], "application/pdf");
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), "%PDF-");
  });

  it("hides a look-up under a lawful covert purpose until its disclosure delay has passed (the test clock)", async () => {
    const clock = fixedClock("2026-12-06T03:00:00Z");
    const registries = makeRegistriesService({
      database: env.database,
      clock,
      audit: env.ctx.audit,
      connectors: makeConnectors(simRegistries(sim.url), clock),
      covertPurposes: { "dieu-tra": 30 },
    });
    const officer = actorOf(env.ctx, s.cast.specialist);
    await registries.lookupCitizen(officer, person.username, { purpose: "Xác minh theo yêu cầu điều tra", legalBasis: BASIS, dossierId: "vu-viec-1", covert: "dieu-tra" });
    const me = actorOf(env.ctx, person);
    const visible = async () => (await registries.lookupsAboutMe(me)).some((r) => r.dossierId === "vu-viec-1");
    assert.equal(await visible(), false, "not before its delay");
    clock.advance(29 * 86_400_000);
    assert.equal(await visible(), false);
    clock.advance(86_400_000);
    assert.equal(await visible(), true, "disclosed once the 30 days have passed");
    // A covert purpose nobody configured, or a citizen naming one, is refused.
    await assert.rejects(registries.lookupCitizen(officer, person.username, { purpose: "Không rõ", legalBasis: BASIS, dossierId: "x", covert: "khac" }), { code: "registries.invalid_lookup" });
    await assert.rejects(registries.lookupCitizen(me, person.username, { purpose: "Tự xem", legalBasis: BASIS, dossierId: "x", covert: "dieu-tra" }), { code: "registries.invalid_lookup" });
  });
});
