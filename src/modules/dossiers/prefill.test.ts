// A new online dossier's e-form starts from the signed-in account and the form's defaults (issue 15, item 6).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { testApp, type TestEnv } from "../../../test/helpers/app.ts";
import type { App } from "../../platform/http/types.ts";
import type { ProcedureContent } from "../catalog/index.ts";
import { prefilledFormData } from "./prefill.ts";
import { apiAs, buildProvincialProcedure, dossierSetting, publishProcedures, type DossierSetting } from "./testing.ts";

/** The demo catalogue's birth registration (1.001193): its e-form names the person asking and the child apart. */
const birthForm = (): ProcedureContent["form"] =>
  (JSON.parse(fs.readFileSync(new URL("../../../data/catalog/procedures.json", import.meta.url), "utf8")) as { procedures: ProcedureContent[] }).procedures.find((p) => p.code === "1.001193")!.form;

describe("the e-form pre-filled from the account", () => {
  let env: TestEnv & { app: App };
  let s: DossierSetting;
  let procedure: ProcedureContent;
  before(async () => {
    env = await testApp();
    s = await dossierSetting(env.ctx);
    procedure = await publishProcedures(env.ctx, buildProvincialProcedure(s.place, { form: birthForm() }));
  });
  after(() => env.close());

  it("fills the applicant's own name and CCCD and the form's default nationality, never the child's or a parent's fields", async () => {
    const api = apiAs(env.app);
    const res = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: {}, requestId: randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    const formData = (res.json() as { formData: Record<string, unknown> }).formData;
    assert.equal(formData.hoTenNguoiYeuCau, "Nguyễn Thị Mai");
    assert.equal(formData.soDinhDanhNguoiYeuCau, s.cast.citizen.username);
    assert.equal(formData.quocTich, "Việt Nam", "a real default, no longer a placeholder");
    for (const key of ["hoTenNguoiDuocKhaiSinh", "ngaySinh", "hoTenMe", "hoTenCha", "noiCuTru"]) assert.equal(formData[key], undefined, key);
  });

  it("keeps what the applicant sent, and fills nothing for an officer at the counter", async () => {
    const api = apiAs(env.app);
    const typed = await api(s.cast.citizen, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: { hoTenNguoiYeuCau: "Nguyễn Văn Khác" }, requestId: randomUUID() });
    assert.deepEqual((typed.json() as { formData: unknown }).formData, { hoTenNguoiYeuCau: "Nguyễn Văn Khác" });
    const applicant = { type: "citizen", name: "Lê Văn Quầy", idNumber: s.cast.citizen.username };
    const counter = await api(s.cast.receiver, "POST", "/api/dossiers", { procedureCode: procedure.code, agencyCode: s.place.centre, formData: {}, applicant, requestId: randomUUID() });
    assert.equal(counter.statusCode, 201, counter.body);
    assert.deepEqual((counter.json() as { formData: unknown }).formData, {});
  });

  it("fills a business's tax code, not a citizen's fields", () => {
    const form: ProcedureContent["form"] = {
      schema: { type: "object", properties: { maSoDoanhNghiep: { type: "string" }, hoTenNguoiYeuCau: { type: "string" }, email: { type: "string", format: "email" } } },
      ui: { order: ["maSoDoanhNghiep", "hoTenNguoiYeuCau", "email"], fields: {} },
    };
    assert.deepEqual(prefilledFormData(form, { kind: "business", fullName: "Công ty TNHH Ví dụ", idNumber: "0100233488", email: "lienhe@example.vn" }), {
      maSoDoanhNghiep: "0100233488",
      email: "lienhe@example.vn",
    });
  });

  it("fills nothing into fields named like an object's own properties", () => {
    const form: ProcedureContent["form"] = {
      schema: { type: "object", properties: { constructor: { type: "string" }, toString: { type: "string" }, valueOf: { type: "string" } } },
      ui: { order: ["constructor", "toString", "valueOf"], fields: {} },
    };
    assert.deepEqual(prefilledFormData(form, { kind: "citizen", fullName: "Nguyễn Thị Mai", idNumber: "001199000001", email: null }), {});
  });
});
