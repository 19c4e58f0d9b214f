// Once-only against `motcua registry-sim` (a child process, over HTTP): the applicant agrees on their draft's page,
// the mapped fields come from the population registry, marked, authoritative ones refused when changed, the
// paper the registry stands for no longer asked for, the databases read kept for DSKetNoiCSDL; a registry that is
// down leaves filing working; an officer verifies a dossier against the registry with a stated purpose.
import assert from "node:assert/strict";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import { sql } from "../../platform/db/drizzle.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { actorOf, apiAs, buildProvincialProcedure, dossierSetting, type DossierSetting, publishProcedures } from "../dossiers/testing.ts";
import { buildCitizen, type FormBrowser, formBrowser, TEST_PASSWORD, type TestAccount } from "../identity/testing.ts";
import { signInThroughParty } from "../identity/relying-party/testing.ts";
import { makeOnceOnly } from "./once-only.ts";
import { type SimProcess, simRegistries, startSimProcess } from "./testing.ts";

const demo = (code: string): ProcedureContent =>
  (JSON.parse(fs.readFileSync(new URL("../../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === code)!;
const HTML = { accept: "text/html" };

describe("once-only prefill and verification against registry-sim", () => {
  let sim: SimProcess;
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let procedure: ProcedureContent;
  let person: TestAccount;
  let browser: FormBrowser;
  let registryName: string;
  let registryAddress: string;

  before(async () => {
    sim = await startSimProcess({ seed: 5, citizens: 500, businesses: 10 });
    env = (await testApp({ config: { registries: simRegistries(sim.url) } })) as TestEnv & { app: App };
    s = await dossierSetting(env.ctx);
    const record = demo("1.900201");
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { name: "Cấp Phiếu lý lịch tư pháp (thử)", form: record.form, components: record.components }));
    const [cccd] = await sim.ids("citizens", 7, 1);
    const found = await env.ctx.registries.lookupCitizen(actorOf(env.ctx, s.cast.receiver), cccd!, { purpose: "Chuẩn bị dữ liệu thử", legalBasis: "Kiểm thử", dossierId: "setup" });
    assert.ok(found);
    registryName = found.fullName;
    const a = found.permanentResidence;
    registryAddress = [a.detail, a.communeName, a.provinceName].filter(Boolean).join(", ");
    // The account's own name differs from the registry's: the prefill is seen to come from the registry.
    person = await buildCitizen(env.ctx, { cccd: cccd!, birthDate: found.birthDate, sex: found.sex, fullName: "Tên Tài Khoản Khác" });
    browser = await formBrowser(env.app);
    await signInThroughParty(env.ctx, browser, "portal", person.username, TEST_PASSWORD);
  });
  after(async () => {
    await sim?.stop();
    await env?.close();
  });

  const newDraft = async () => {
    const res = await apiAs(env.app)(person, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  };
  const dossier = async (id: string) => (await apiAs(env.app)(person, "GET", `/api/dossiers/${id}`)).json() as Record<string, unknown> & { formData: Record<string, unknown>; registryFields: Record<string, { value: string; authoritative: boolean; source: string }>; registriesUsed: string[] };

  it("asks on the draft's page, fills the mapped fields from the registry once agreed, marks them read-only, and records the look-up", async () => {
    const id = await newDraft();
    const page = await browser.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Lấy thông tin từ Cơ sở dữ liệu quốc gia về dân cư/);
    assert.match(page.body, /Nơi thường trú/, "what will be read is listed");
    assert.match(page.body, /Bản chụp giấy tờ tùy thân/);

    const agreed = await browser.post(`/ho-so-cua-toi/${id}/lay-tu-csdl`, { registry: "population" });
    assert.equal(agreed.statusCode, 303, agreed.body.slice(0, 300));
    assert.equal(agreed.headers.location, `/ho-so-cua-toi/${id}?da=csdl`);

    const d = await dossier(id);
    assert.equal(d.formData.hoTen, registryName);
    assert.equal(d.formData.soDinhDanh, person.username);
    assert.equal(d.formData.noiThuongTru, registryAddress);
    assert.deepEqual(d.registryFields.hoTen, { source: "population", field: "fullName", value: registryName, authoritative: true });
    assert.deepEqual(d.registriesUsed, ["population"]);

    const shown = await browser.get(`/ho-so-cua-toi/${id}`, HTML);
    assert.match(shown.body, /id="f-hoTen-registry"|Lấy từ Cơ sở dữ liệu quốc gia về dân cư/);
    assert.match(shown.body, /thông tin chính thức, không sửa được/);
    assert.doesNotMatch(shown.body, /registry-consent/, "the consent is not asked again");
    assert.match(shown.body, /Không phải nộp: thông tin đã lấy từ Cơ sở dữ liệu quốc gia về dân cư/);

    const [row] = await env.database.rows<Record<string, unknown>>(sql`SELECT * FROM registry_lookups WHERE dossier_id = ${id}`);
    assert.equal(row?.prefill, true);
    assert.equal(row?.agency_code, null, "the citizen asked about themselves");
    assert.match(String(row?.legal_basis), /Nghị định 47\/2020\/NĐ-CP/);
    assert.match(String(row?.purpose), /Điền sẵn tờ khai/);
  });

  it("refuses a changed authoritative value on save, keeps it when the read-only field posts nothing, and no longer asks for the paper the registry stands for", async () => {
    const id = await newDraft();
    await browser.post(`/ho-so-cua-toi/${id}/lay-tu-csdl`, { registry: "population" });
    const api = apiAs(env.app);
    const before = await dossier(id);
    const changed = await api(person, "PUT", `/api/dossiers/${id}/form`, { formData: { ...before.formData, hoTen: "Người Khác" } });
    assert.equal(changed.statusCode, 400, changed.body);
    assert.match(changed.body, /\/formData\/hoTen/);
    const { hoTen: _dropped, ...rest } = before.formData;
    const kept = await api(person, "PUT", `/api/dossiers/${id}/form`, { formData: { ...rest, soDienThoai: "0912345678" } });
    assert.equal(kept.statusCode, 200, kept.body);
    assert.equal((await dossier(id)).formData.hoTen, registryName);
    const problems = (await env.ctx.dossiers.filingProblems(actorOf(env.ctx, person), id)).map((p) => p.path);
    assert.ok(!problems.includes("/attachments/giay-to-tuy-than"), problems.join());
    // Without the registry read, the paper is asked for.
    const other = await newDraft();
    assert.ok((await env.ctx.dossiers.filingProblems(actorOf(env.ctx, person), other)).some((p) => p.path === "/attachments/giay-to-tuy-than"));
  });

  it("leaves filing working with a clear message when the registry is down", async () => {
    const id = await newDraft();
    await sim.fault("down");
    try {
      const agreed = await browser.post(`/ho-so-cua-toi/${id}/lay-tu-csdl`, { registry: "population" });
      assert.equal(agreed.headers.location, `/ho-so-cua-toi/${id}?da=csdl-loi`);
    } finally {
      await sim.fault("none");
    }
    const page = await browser.get(`/ho-so-cua-toi/${id}?da=csdl-loi`, HTML);
    assert.match(page.body, /Bạn vẫn có thể tiếp tục nộp hồ sơ và tự điền thông tin/);
    const d = await dossier(id);
    assert.deepEqual(d.registriesUsed, []);
    assert.equal((await apiAs(env.app)(person, "PUT", `/api/dossiers/${id}/form`, { formData: { hoTen: "Tự điền" } })).statusCode, 200);
  });

  it("lets an officer verify a dossier's applicant with a stated purpose, the registry's values beside the dossier's, differences flagged", async () => {
    const receiver = actorOf(env.ctx, s.cast.receiver);
    const created = await env.ctx.dossiers.create(receiver, {
      procedureCode: procedure.code,
      agencyCode: s.place.centre,
      applicant: { type: "citizen", name: "Tên Trên Hồ Sơ", idNumber: person.username },
      formData: { hoTen: "Tên Trên Hồ Sơ", soDinhDanh: person.username },
      requestId: randomUUID(),
    });
    const onceOnly = makeOnceOnly({ registries: env.ctx.registries, dossiers: env.ctx.dossiers });
    const compared = await onceOnly.verify(receiver, created.dossier.id, "population", "Đối chiếu thông tin người nộp khi tiếp nhận");
    assert.ok(compared);
    const name = compared.find((c) => c.field === "hoTen")!;
    assert.deepEqual([name.dossierValue, name.registryValue, name.differs], ["Tên Trên Hồ Sơ", registryName, true]);
    assert.equal(compared.find((c) => c.field === "soDinhDanh")!.differs, false);
    const [row] = await env.database.rows<Record<string, unknown>>(sql`SELECT * FROM registry_lookups WHERE dossier_id = ${created.dossier.id}`);
    assert.equal(row?.agency_code, s.place.centre);
    assert.equal(row?.purpose, "Đối chiếu thông tin người nộp khi tiếp nhận");
    assert.deepEqual((await env.ctx.dossiers.get(receiver, created.dossier.id)).registriesUsed, ["population"]);
  });
});
